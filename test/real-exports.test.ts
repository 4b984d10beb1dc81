/**
 * The files finance really has: console exports that went through Excel on Chinese
 * Windows (GBK, Chinese headers and items, ¥ amounts, 2026/10/1 8:00:37, a 合计 row), and
 * inputs that look wrong (the wrong month, a shifted zone), run through the real CLI.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Summary } from '../src/index.js';

const root = join(import.meta.dirname, '..');
const bin = join(root, 'dist', 'cli', 'main.js');
const month = join(root, 'fixtures', '2026-10');
const exports = join(root, 'test', 'fixtures', 'exports');

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'callrecon-exports-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

function reconcile(
  out: string,
  ...extra: string[]
): { code: number | null; stderr: string; summary: Summary | undefined } {
  const args = [
    'reconcile',
    '--cdrs',
    join(month, 'cdrs'),
    '--tariff',
    join(month, 'tariff.json'),
    '--period',
    '2026-10',
    '--out',
    join(dir, out),
    '--quiet',
    ...extra,
  ];
  const result = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8' });
  let summary: Summary | undefined;
  try {
    summary = JSON.parse(readFileSync(join(dir, out, 'summary.json'), 'utf8')) as Summary;
  } catch {
    summary = undefined;
  }
  return { code: result.status, stderr: result.stderr, summary };
}

describe('a console export that went through Excel on Chinese Windows', () => {
  it('reads to the same books as the clean export: GBK, Chinese headers and items, ¥1,234.50, 2026/9/30 7:44:04, a 合计 row', () => {
    const clean = reconcile('clean', '--bill', join(month, 'bill.csv'));
    const excel = reconcile(
      'excel',
      '--bill',
      join(exports, 'bill-console-gbk.csv'),
      '--encoding',
      'gbk',
      '--bill-columns',
      join(exports, 'bill-console-columns.json'),
    );
    expect(excel.code).toBe(clean.code);
    const a = clean.summary as Summary;
    const b = excel.summary as Summary;
    expect(b.totals).toEqual(a.totals);
    expect(b.discrepancies).toEqual(a.discrepancies);
    expect(b.matched).toEqual(a.matched);
    expect(b.charges.byItem).toEqual(a.charges.byItem);
    expect(b.bill.totalRows).toBe(1);
    expect(b.bill.rows).toBe(a.bill.rows);
    // Every ¥ amount and every Excel time was normalised, and counted.
    expect(b.bill.normalisedCells).toBeGreaterThan(2 * a.bill.callRows);
    expect(a.bill.normalisedCells).toBe(0);
    // The 合计 row agrees with the rows above it: no warning.
    expect(b.warnings.filter((w) => w.code === 'TOTAL_ROW_MISMATCH')).toEqual([]);
  });

  it('a total row that disagrees with its rows is a TOTAL_ROW_MISMATCH warning naming both figures, never a charge', () => {
    writeFileSync(
      join(dir, 'bill.csv'),
      'callId,amount,item\r\nx1,1.00,rent\r\nx2,2.00,sms\r\n合计,¥4.00,\r\n',
    );
    const { summary, stderr } = reconcile('out', '--bill', join(dir, 'bill.csv'));
    expect(summary?.bill.totalRows).toBe(1);
    expect(summary?.totals.otherCharges).toBe('3.00');
    const mismatch = summary?.warnings.find((w) => w.code === 'TOTAL_ROW_MISMATCH');
    expect(mismatch?.source).toBe(`${join(dir, 'bill.csv')}:4`);
    expect(mismatch?.message).toContain('states 4.00 but the rows above it sum to 3.00');
    expect(stderr).toContain('callrecon: warning TOTAL_ROW_MISMATCH');
  });
});

describe('a database export of the CDRs', () => {
  it('reads NULL and \\N as empty and .000 seconds as the same instant', () => {
    mkdirSync(join(dir, 'db'));
    writeFileSync(
      join(dir, 'db', 'cdrs.csv'),
      [
        'sessionId,icid,callerNum,bindNum,fwdDstNum,fwdAnswerTime,callEndTime,serviceType',
        'db-1,NULL,+8613800000021,+8613800000022,+8613866887021,2026-10-15 01:00:00.000,2026-10-15 01:01:05.000,\\N',
        'db-2,\\N,+8613800000021,+8613800000022,+8613866887021,NULL,2026-10-15 02:00:00.000,NULL',
      ].join('\n'),
    );
    writeFileSync(join(dir, 'bill.csv'), 'callId,amount\ndb-1,0.24\n');
    writeFileSync(
      join(dir, 'tariff.json'),
      JSON.stringify({ currency: 'CNY', rates: [{ pricePerMinute: '0.12' }] }),
    );
    const result = spawnSync(
      process.execPath,
      [
        bin,
        'reconcile',
        '--cdrs',
        join(dir, 'db'),
        '--bill',
        join(dir, 'bill.csv'),
        '--tariff',
        join(dir, 'tariff.json'),
        '--period',
        '2026-10',
        '--out',
        join(dir, 'out'),
        '--quiet',
      ],
      { encoding: 'utf8' },
    );
    const summary = JSON.parse(readFileSync(join(dir, 'out', 'summary.json'), 'utf8')) as Summary;
    expect(result.status).toBe(0);
    expect(summary.cdrs).toMatchObject({ records: 2, rejected: 0, answeredInPeriod: 1 });
    expect(summary.totals.ours).toBe('0.24');
  });
});

describe('--write-inferred-tariff', () => {
  it('writes a tariff the parser accepts, and says what it changed', () => {
    const file = join(dir, 'inferred', 'tariff.json');
    const { stderr, summary } = reconcile(
      'out',
      '--bill',
      join(month, 'bill.csv'),
      '--write-inferred-tariff',
      file,
    );
    const written = JSON.parse(readFileSync(file, 'utf8')) as { rates: unknown[] };
    expect(written.rates.length).toBeGreaterThan(0);
    expect(stderr).toContain(`inferred tariff written to ${file}`);
    expect(summary?.inferred.pairs).toBeGreaterThan(2000);
  });
});

describe('inputs that look wrong say so', () => {
  it('the wrong --period: NO_CALLS_IN_PERIOD and FEW_MATCHES, and --fail-on-warning exits 2 after writing the report', () => {
    const result = spawnSync(
      process.execPath,
      [
        bin,
        'reconcile',
        '--cdrs',
        join(month, 'cdrs'),
        '--bill',
        join(month, 'bill.csv'),
        '--tariff',
        join(month, 'tariff.json'),
        '--period',
        '2026-07',
        '--out',
        join(dir, 'out'),
        '--quiet',
        '--fail-on-warning',
      ],
      { encoding: 'utf8' },
    );
    expect(result.status).toBe(2);
    const summary = JSON.parse(readFileSync(join(dir, 'out', 'summary.json'), 'utf8')) as Summary;
    const codes = summary.warnings.map((w) => w.code);
    expect(codes).toContain('NO_CALLS_IN_PERIOD');
    expect(result.stderr).toContain('--fail-on-warning');
  });

  it('a Beijing-time bill read as UTC: BILL_TIME_OFFSET names +8 h and Asia/Shanghai', () => {
    const lines = readFileSync(join(month, 'bill.csv'), 'utf8').split(/\r?\n/);
    const header = (lines[0] as string).split(',');
    const answer = header.indexOf('Answer Time');
    const end = header.indexOf('endTime');
    const id = header.indexOf('callId');
    const shift = (text: string): string => {
      if (!/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/.test(text)) return text;
      const ms = Date.parse(`${text.replace(' ', 'T')}Z`) + 8 * 3_600_000;
      return new Date(ms).toISOString().replace('T', ' ').slice(0, 19);
    };
    const shifted = lines.map((line, n) => {
      if (n === 0 || line === '' || line.includes('"')) return line;
      const cells = line.split(',');
      cells[answer] = shift(cells[answer] ?? '');
      cells[end] = shift(cells[end] ?? '');
      cells[id] = ''; // a bill without ids is matched by caller, number and time
      return cells.join(',');
    });
    mkdirSync(join(dir, 'in'));
    writeFileSync(join(dir, 'in', 'bill.csv'), shifted.join('\n'));
    const { summary } = reconcile('out', '--bill', join(dir, 'in', 'bill.csv'));
    const offset = summary?.warnings.find((w) => w.code === 'BILL_TIME_OFFSET');
    expect(offset?.message).toContain('shifted by -8 h');
    expect(offset?.message).toContain('try --bill-timezone Asia/Shanghai');
    expect(summary?.warnings.map((w) => w.code)).toContain('FEW_MATCHES');
  });
});
