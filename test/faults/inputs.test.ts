import { execFileSync } from 'node:child_process';
import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Summary } from '../../src/index.js';
import { run, TARIFF, writeMonth } from './month.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'callrecon-inputs-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

const summaryOf = (out = 'out'): Summary =>
  JSON.parse(readFileSync(join(dir, out, 'summary.json'), 'utf8')) as Summary;

/** The summary without what names or hashes the input files. */
function figures(summary: Summary): unknown {
  return { ...summary, inputs: summary.inputs.map((input) => input.records) };
}

describe('hostile inputs', () => {
  it('skips a FIFO in the CDR folder with a SKIPPED_FILE warning instead of waiting on it', async () => {
    const args = writeMonth(dir, 20);
    execFileSync('mkfifo', [join(dir, 'cdrs', 'live.ndjson')]);
    const ended = await run(dir, args);
    expect(ended.code).toBe(0);
    expect(summaryOf().warnings).toEqual([
      {
        code: 'SKIPPED_FILE',
        message: 'cdrs/live.ndjson is a FIFO (named pipe), not a regular file: not read',
        source: 'cdrs/live.ndjson',
      },
    ]);
  });

  it('refuses a FIFO given as --bill by name, exit 2, without waiting on it', async () => {
    const args = writeMonth(dir, 5);
    rmSync(join(dir, 'bill.csv'));
    execFileSync('mkfifo', [join(dir, 'bill.csv')]);
    const ended = await run(dir, args);
    expect(ended.code).toBe(2);
    expect(ended.stderr).toBe(
      'callrecon: bill.csv: a FIFO (named pipe), not a regular file; give a bill file or a folder of them\n',
    );
  });

  it('reads a CR-only bill (old Mac Excel) as the same bill with LF or CRLF', async () => {
    await run(dir, writeMonth(dir, 30, { overBilledEvery: 4, out: 'crlf' }));
    const ended = await run(dir, writeMonth(dir, 30, { overBilledEvery: 4, lineEnd: '\r' }));
    expect(ended.code).toBe(1);
    expect(summaryOf().bill.rows).toBe(30);
    expect(figures(summaryOf())).toEqual(figures(summaryOf('crlf')));
  });

  it('reads a bill with a double byte order mark as with one', async () => {
    const args = writeMonth(dir, 10, { overBilledEvery: 3 });
    const bill = readFileSync(join(dir, 'bill.csv'));
    writeFileSync(join(dir, 'bill.csv'), Buffer.concat([Buffer.from('\uFEFF\uFEFF'), bill]));
    const ended = await run(dir, args);
    expect(ended.code).toBe(1);
    const summary = summaryOf();
    expect(summary.bill.rejected).toBe(0);
    expect(summary.bill.rows).toBe(10);
    expect(readFileSync(join(dir, 'out', 'rejected.csv'), 'utf8')).toBe(
      '\uFEFFsource,line,code,reason\n',
    );
  });

  it('lists an empty .json, a zero-byte .gz and an empty gzip member with 0 records and an EMPTY_INPUT warning each', async () => {
    const args = writeMonth(dir, 10);
    writeFileSync(join(dir, 'cdrs', 'a.json'), '');
    writeFileSync(join(dir, 'cdrs', 'b.ndjson.gz'), '');
    writeFileSync(join(dir, 'cdrs', 'c.json.gz'), gzipSync(Buffer.alloc(0)));
    const ended = await run(dir, args);
    expect(ended.code).toBe(0);
    const summary = summaryOf();
    const empty = ['cdrs/a.json', 'cdrs/b.ndjson.gz', 'cdrs/c.json.gz'];
    expect(
      summary.inputs.filter((input) => input.records === 0).map((input) => input.path),
    ).toEqual(empty);
    expect(summary.warnings.map((w) => [w.code, w.source])).toEqual(
      empty.map((path) => ['EMPTY_INPUT', path]),
    );
  });

  it('ignores a dangling link with a name no input has (README)', async () => {
    const args = writeMonth(dir, 5);
    symlinkSync(join(dir, 'moved-away.md'), join(dir, 'cdrs', 'README'));
    const ended = await run(dir, args);
    expect(ended.stderr).toBe('');
    expect(ended.code).toBe(0);
  });

  it('refuses a tariff that names a key twice, exit 2, naming the key', async () => {
    const args = writeMonth(dir, 5);
    const text = JSON.stringify(TARIFF, null, 2).replace('{\n', '{\n  "currency": "USD",\n');
    writeFileSync(join(dir, 'tariff.json'), text);
    const ended = await run(dir, args);
    expect(ended.code).toBe(2);
    expect(ended.stderr).toBe(
      'callrecon: tariff tariff.json: the key "currency" appears twice in $ (again at line 3, column 3); keep one\n',
    );
  });

  it('refuses a column map that names a key twice, exit 2', async () => {
    const args = writeMonth(dir, 5);
    writeFileSync(join(dir, 'map.json'), '{"callId": "a", "callId": "b"}');
    const ended = await run(dir, [...args, '--bill-columns', 'map.json']);
    expect(ended.code).toBe(2);
    expect(ended.stderr).toContain('the key "callId" appears twice');
  });

  it('exits 2 when --cdrs holds no CDR file (SPEC §2.1)', async () => {
    const args = writeMonth(dir, 5);
    rmSync(join(dir, 'cdrs'), { recursive: true });
    mkdirSync(join(dir, 'cdrs'));
    writeFileSync(join(dir, 'cdrs', 'notes.txt'), 'x');
    const ended = await run(dir, args);
    expect(ended.code).toBe(2);
    expect(ended.stderr).toBe(
      'callrecon: no CDR file found in cdrs: expected .json, .ndjson, .jsonl, .csv files (optionally .gz)\n',
    );
  });

  it('never reads the bill, the tariff, a column map or the report as CDRs when they lie in the --cdrs folder', async () => {
    writeMonth(dir, 10, { overBilledEvery: 3 });
    for (const name of ['bill.csv', 'tariff.json']) {
      writeFileSync(join(dir, 'cdrs', name), readFileSync(join(dir, name)));
    }
    writeFileSync(join(dir, 'cdrs', 'map.json'), '{"amount": "amount"}');
    const args = [
      'reconcile',
      '--cdrs',
      'cdrs',
      '--bill',
      'cdrs/bill.csv',
      '--tariff',
      'cdrs/tariff.json',
      '--bill-columns',
      'cdrs/map.json',
      '--period',
      '2026-10',
      '--out',
      'cdrs/out',
      '--quiet',
    ];
    for (let i = 0; i < 2; i++) {
      const ended = await run(dir, args);
      expect(ended.code).toBe(1);
      const summary = summaryOf('cdrs/out');
      expect(summary.inputs.map((input) => input.path)).toEqual([
        'cdrs/pushes.ndjson',
        'cdrs/bill.csv',
      ]);
      expect(summary.cdrs.rejected).toBe(0);
    }
    expect(readdirSync(join(dir, 'cdrs')).sort()).toEqual([
      'bill.csv',
      'map.json',
      'out',
      'pushes.ndjson',
      'tariff.json',
    ]);
  });
});
