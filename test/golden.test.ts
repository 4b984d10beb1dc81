import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'csv-parse/sync';
import type { Summary } from '../src/index.js';

const root = join(import.meta.dirname, '..');
const month = join(root, 'fixtures', '2026-10');

interface Manifest {
  command: string[];
  expected: Pick<
    Summary,
    'cdrs' | 'bill' | 'matched' | 'discrepancies' | 'totals' | 'minutes' | 'charges' | 'invoice'
  >;
  expectedRejected: { source: string; line: number; code: string }[];
  expectedDiscrepancies: {
    kind: string;
    callId: string;
    matchedBy: string;
    impact: string;
    item?: string;
    number?: string;
  }[];
}

const manifest = JSON.parse(readFileSync(join(month, 'manifest.json'), 'utf8')) as Manifest;
let out: string;
let code: number | null;

/** The README's main command, as `npm start` runs it from the project folder; its exit code. */
function reconcileSample(outDir: string, ...options: string[]): number | null {
  return spawnSync(
    process.execPath,
    [
      join(root, 'dist', 'cli', 'main.js'),
      'reconcile',
      '--cdrs',
      'fixtures/2026-10/cdrs',
      '--bill',
      'fixtures/2026-10/bill.csv',
      '--tariff',
      'fixtures/2026-10/tariff.json',
      '--period',
      '2026-10',
      '--numbers',
      'fixtures/2026-10/numbers.csv',
      '--out',
      outDir,
      ...options,
    ],
    { cwd: root, encoding: 'utf8' },
  ).status;
}

beforeAll(() => {
  out = mkdtempSync(join(tmpdir(), 'callrecon-golden-'));
  code = reconcileSample(out);
});
afterAll(() => rmSync(out, { recursive: true, force: true }));

function read(name: string): string {
  return readFileSync(join(out, name), 'utf8');
}

describe('the sample month of October 2026', () => {
  it('reconciles with discrepancies found (exit code 1) and the pinned summary', () => {
    expect(code).toBe(1);
    expect(read('summary.json')).toBe(
      readFileSync(join(root, 'test', 'golden', '2026-10-summary.json'), 'utf8'),
    );
  });

  it('names every input file with the sha256 of its bytes, the numbers held too', () => {
    const summary = JSON.parse(read('summary.json')) as Summary;
    expect(summary.inputs.map((input) => input.role)).toContain('numbers');
    for (const input of summary.inputs) {
      const digest = createHash('sha256')
        .update(readFileSync(join(root, input.path)))
        .digest('hex');
      expect(input.sha256, input.path).toBe(digest);
    }
  });

  it("agrees with the generator's own rating of the month, count for count and cent for cent", () => {
    const summary = JSON.parse(read('summary.json')) as Summary;
    const { cdrs, bill, matched, discrepancies, totals, minutes, charges, invoice } = summary;
    expect({ cdrs, bill, matched, discrepancies, totals, minutes, charges, invoice }).toEqual(
      manifest.expected,
    );
  });

  it("is run as the manifest's command says, with the numbers held", () => {
    const script = (
      JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
        scripts: { start: string };
      }
    ).scripts.start;
    const relative = manifest.command.map((arg) =>
      /\.(csv|json)$|^cdrs$/.test(arg) ? `fixtures/2026-10/${arg}` : arg,
    );
    expect(script).toContain(relative.join(' '));
    expect(manifest.command).toContain('--numbers');
  });

  it('ties out the whole invoice: the wrong rent line and the rent of a released number are found', () => {
    const summary = JSON.parse(read('summary.json')) as Summary;
    expect(summary.charges.checked).toBe(true);
    expect(summary.charges.unexplained).toBe('0.00');
    expect(summary.discrepancies.CHARGE_MISMATCH.count).toBe(1);
    expect(summary.discrepancies.UNEXPECTED_CHARGE.count).toBe(1);
    expect(summary.discrepancies.MISSING_CHARGE.count).toBe(0);
    expect(summary.cdrs.smsRecords).toBeGreaterThan(24);
    const rows = parse<Record<string, string>>(read('discrepancies.csv'), {
      columns: true,
      bom: true,
    });
    const charges = rows
      .filter((row) => ['CHARGE_MISMATCH', 'UNEXPECTED_CHARGE'].includes(row['kind'] ?? ''))
      .map((row) => [row['kind'], row['privateNum'], row['impact'], row['action']])
      .sort();
    const mask = (n: string): string => `${n.slice(0, 6)}****${n.slice(-4)}`;
    expect(charges).toEqual(
      manifest.expectedDiscrepancies
        .filter((d) => d.item !== undefined)
        .map((d) => [d.kind, mask(d.number ?? ''), d.impact, 'claim'])
        .sort(),
    );
  });

  it("names a charge's number in its detail as its privateNum column shows it: masked", () => {
    const numbers = manifest.expectedDiscrepancies
      .filter((d) => d.item !== undefined && d.number !== undefined)
      .map((d) => d.number as string);
    expect(numbers.length).toBeGreaterThan(0);
    const rows = parse<Record<string, string>>(read('discrepancies.csv'), {
      columns: true,
      bom: true,
    });
    for (const number of numbers) {
      const masked = `${number.slice(0, 6)}****${number.slice(-4)}`;
      const row = rows.find((r) => r['privateNum'] === masked && r['kind'] !== 'MISSING_IN_BILL');
      expect(row?.['detail']).toContain(masked);
      for (const file of ['discrepancies.csv', 'report.md', 'report.html']) {
        expect(read(file)).not.toContain(number);
      }
    }
  });

  it('lists exactly the discrepancies the generator injected', () => {
    const rows = parse<{ kind: string; callId: string; matchedBy: string; impact: string }>(
      read('discrepancies.csv'),
      { columns: true, bom: true },
    );
    const key = (d: { kind: string; callId: string; matchedBy: string; impact: string }): string =>
      [d.kind, d.callId, d.matchedBy, d.impact].join('|');
    expect(rows.map(key).sort()).toEqual(manifest.expectedDiscrepancies.map(key).sort());
  });

  it('rejects exactly the broken push line and the broken bill amount', () => {
    const rows = parse<Record<string, string>>(read('rejected.csv'), {
      columns: true,
      bom: true,
    });
    expect(rows.map((row) => [row['source'], Number(row['line']), row['code']])).toEqual(
      manifest.expectedRejected.map((r) => [`fixtures/2026-10/${r.source}`, r.line, r.code]),
    );
  });

  it('balances the books', () => {
    const summary = JSON.parse(read('summary.json')) as Summary;
    expect(summary.totals.unexplained).toBe('0.00');
    expect(read('report.md')).toContain('The books balance');
  });
});

describe('the sample month, however the work is split', () => {
  it('writes the same five files byte for byte on 1 partition in one thread and 7 partitions on 2 workers', () => {
    const outputs = [
      ['--partitions', '1', '--workers', '0'],
      ['--partitions', '7', '--workers', '2'],
    ].map((split) => {
      const dir = mkdtempSync(join(tmpdir(), 'callrecon-split-'));
      try {
        expect(reconcileSample(join(dir, 'out'), ...split)).toBe(1);
        return ['summary.json', 'discrepancies.csv', 'rejected.csv', 'rated.csv', 'report.md'].map(
          (name) => readFileSync(join(dir, 'out', name), 'utf8'),
        );
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
    expect(outputs[1]).toEqual(outputs[0]);
  });
});
