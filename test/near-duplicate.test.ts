import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'csv-stringify/sync';
import { afterAll, describe, expect, it } from 'vitest';
import {
  BILL_COLUMNS,
  parseTariff,
  reconcile,
  type BillRow,
  type FeeRecord,
  type ReconcileResult,
} from '../src/index.js';
import { readBillBatches, readCdrBatches, reconcileFiles } from '../src/io/index.js';
import { fc } from './helpers/fast-check.js';
import { builtIo } from './helpers/io.js';
import { billItemsOf, cdrItemsOf, huaweiTime } from './arbitraries/month.js';

const TARIFF = {
  currency: 'CNY',
  timezone: 'Asia/Shanghai',
  rates: [{ id: 'mobile', pricePerMinute: '0.12', when: { privateNumPrefix: '+86138' } }],
};
const AT = Date.UTC(2026, 9, 15, 1, 0, 0);
const CALLER = '+8613800000021';
const VIRTUAL = '+8613800000022';
const CALLEE = '+8613866887021';

/** A 90-second call `n` minutes after the first, from `caller`. */
function call(id: string, minutes = 0, caller = CALLER): FeeRecord {
  const answer = AT + minutes * 60_000;
  return {
    sessionId: id,
    callerNum: caller,
    bindNum: VIRTUAL,
    fwdDstNum: CALLEE,
    fwdAnswerTime: huaweiTime(answer),
    callEndTime: huaweiTime(answer + 90_000),
  };
}

/** The provider's row for a 90-second call answered `minutes` after the first. */
function row(id: string, minutes = 0, extra: Partial<BillRow> = {}): BillRow {
  const answer = AT + minutes * 60_000;
  return {
    callId: id,
    callerNum: CALLER,
    privateNum: VIRTUAL,
    calleeNum: CALLEE,
    answerTime: huaweiTime(answer),
    endTime: huaweiTime(answer + 90_000),
    billedSeconds: '90',
    unitPrice: '0.12',
    amount: '0.24',
    ...extra,
  };
}

function run(calls: FeeRecord[], rows: BillRow[]): Promise<ReconcileResult> {
  return reconcile(
    { cdrs: cdrItemsOf(calls), bill: billItemsOf(rows) },
    { tariff: parseTariff(TARIFF), period: '2026-10' },
  );
}

const kinds = (result: ReconcileResult): string[] => result.discrepancies.map((d) => d.kind);

describe('NEAR_DUPLICATE_IN_BILL: one call billed twice under two ids', () => {
  it('a second row with another id, the same numbers and the same times bills the call again', async () => {
    const result = await run([call('s-1')], [row('s-1'), row('x-99')]);
    expect(result.discrepancies).toHaveLength(1);
    const [found] = result.discrepancies;
    expect(found).toMatchObject({
      kind: 'NEAR_DUPLICATE_IN_BILL',
      callId: 'x-99',
      impact: '0.24',
      action: 'claim',
      billSource: 'bill.csv:3',
    });
    // It names the row that bills the call first (line 2, under the header), and the call.
    expect(found?.detail).toContain('bill.csv:2 ');
    expect(found?.detail).toContain('s-1');
    expect(result.summary.discrepancies.NEAR_DUPLICATE_IN_BILL).toEqual({
      count: 1,
      impact: '0.24',
    });
    expect(result.summary.discrepancies.MISSING_IN_CDRS.count).toBe(0);
    expect(result.balanced).toBe(true);
  });

  it('a second row answered inside the call, without an end time, bills it again', async () => {
    const second = row('x-99', 0, { endTime: '', answerTime: huaweiTime(AT + 30_000) });
    expect(kinds(await run([call('s-1')], [row('s-1'), second]))).toEqual([
      'NEAR_DUPLICATE_IN_BILL',
    ]);
  });

  it('a second row whose numbers the portal masks still bills the call again', async () => {
    const second = row('x-99', 0, { callerNum: '+86138****0021', privateNum: '+86138****0022' });
    expect(kinds(await run([call('s-1')], [row('s-1'), second]))).toEqual([
      'NEAR_DUPLICATE_IN_BILL',
    ]);
  });

  it('the call matched by caller, number and time is billed again just the same', async () => {
    const first = row('', 0);
    expect(kinds(await run([call('s-1')], [first, row('x-99')]))).toEqual([
      'NEAR_DUPLICATE_IN_BILL',
    ]);
  });

  it('an automatic redial (another id, the same binding, blank times) is never a near-duplicate', async () => {
    const redial = row('x-99', 0, { answerTime: '', endTime: '', billedSeconds: '0', amount: '0' });
    const result = await run([call('s-1')], [row('s-1'), redial]);
    expect(kinds(result)).not.toContain('NEAR_DUPLICATE_IN_BILL');
    expect(result.summary.discrepancies.NEAR_DUPLICATE_IN_BILL.count).toBe(0);
  });

  it('a row of the same numbers after the call ended is a call we have no record of', async () => {
    expect(kinds(await run([call('s-1')], [row('s-1'), row('x-99', 5)]))).toEqual([
      'MISSING_IN_CDRS',
    ]);
  });

  it('a row of another caller, or another callee, at the same time is not the same call', async () => {
    const otherCaller = row('x-98', 0, { callerNum: '+8613800000099' });
    const otherCallee = row('x-99', 0, { calleeNum: '+8613866887099' });
    expect(kinds(await run([call('s-1')], [row('s-1'), otherCaller, otherCallee]))).toEqual([
      'MISSING_IN_CDRS',
      'MISSING_IN_CDRS',
    ]);
  });

  it('of two calls the row overlaps, it names the one answered closest to it', async () => {
    // Two calls of the same numbers, 60 s apart, each 90 s: the row answered at 50 s
    // overlaps both and is closest to the second.
    const second = row('x-99', 0, { answerTime: huaweiTime(AT + 50_000) });
    const result = await run(
      [call('s-1', 0), call('s-2', 1)],
      [row('s-1', 0), row('s-2', 1), second],
    );
    expect(kinds(result)).toEqual(['NEAR_DUPLICATE_IN_BILL']);
    expect(result.discrepancies[0]?.detail).toContain('bill.csv:3 ');
    expect(result.discrepancies[0]?.detail).toContain('s-2');
  });
});

const root = mkdtempSync(join(tmpdir(), 'callrecon-near-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let months = 0;

/**
 * Writes calls as pushes (one a line) under `cdrs/`, in `files` files of about as many calls
 * each, and the rows as `bill.csv`; the folder.
 */
function writeMonth(
  name: string,
  calls: readonly FeeRecord[],
  rows: readonly BillRow[],
  files = 1,
): string {
  const dir = join(root, name);
  mkdirSync(join(dir, 'cdrs'), { recursive: true });
  const size = Math.ceil(calls.length / files);
  for (let file = 0; file < files; file++) {
    writeFileSync(
      join(dir, 'cdrs', `calls-${file + 1}.ndjson`),
      calls
        .slice(file * size, (file + 1) * size)
        .map((record) => `${JSON.stringify({ feeLst: [record] })}\n`)
        .join(''),
    );
  }
  writeFileSync(
    join(dir, 'bill.csv'),
    stringify([[...BILL_COLUMNS], ...rows.map((r) => BILL_COLUMNS.map((c) => r[c] ?? ''))]),
  );
  return dir;
}

/** A month of calls from a few callers, each billed once, and some billed again. */
const monthArb = fc
  .array(
    fc.record({
      caller: fc.integer({ min: 0, max: 3 }),
      minutes: fc.integer({ min: 0, max: 600 }),
      again: fc.option(
        fc.record({
          offsetSeconds: fc.integer({ min: -120, max: 120 }),
          masked: fc.boolean(),
          blank: fc.boolean(),
        }),
        { freq: 3 },
      ),
    }),
    { minLength: 1, maxLength: 40 },
  )
  .map((specs) => {
    const calls: FeeRecord[] = [];
    const rows: BillRow[] = [];
    specs.forEach((spec, n) => {
      const caller = `+861380000${String(spec.caller).padStart(4, '0')}`;
      calls.push(call(`s-${n}`, spec.minutes, caller));
      rows.push(row(`s-${n}`, spec.minutes, { callerNum: caller }));
    });
    specs.forEach((spec, n) => {
      if (spec.again === null) return;
      const caller = `+861380000${String(spec.caller).padStart(4, '0')}`;
      const answer = AT + spec.minutes * 60_000 + spec.again.offsetSeconds * 1000;
      rows.push(
        row(`again-${n}`, 0, {
          callerNum: spec.again.masked ? `${caller.slice(0, 6)}****${caller.slice(-4)}` : caller,
          answerTime: spec.again.blank ? '' : huaweiTime(answer),
          endTime: spec.again.blank ? '' : huaweiTime(answer + 90_000),
        }),
      );
    });
    return { calls, rows };
  });

describe('near-duplicates in the file engine', () => {
  it('properties: the file engine finds the same near-duplicates as the in-memory core, at any partitioning, the spill in memory or on disk', async () => {
    await fc.assert(
      fc.asyncProperty(
        monthArb,
        fc.integer({ min: 1, max: 5 }),
        fc.constantFrom(undefined, 1),
        async ({ calls, rows }, parts, memoryBytes) => {
          const dir = writeMonth(`m${months++}`, calls, rows);
          const tariff = parseTariff(TARIFF);
          const memory = await reconcile(
            {
              cdrs: readCdrBatches([join(dir, 'cdrs')]),
              bill: readBillBatches([join(dir, 'bill.csv')]),
            },
            { tariff, period: '2026-10' },
          );
          const files = await reconcileFiles({
            cdrs: [join(dir, 'cdrs')],
            bill: [join(dir, 'bill.csv')],
            tariff,
            period: '2026-10',
            workers: 0,
            partitions: parts,
            memoryBytes,
            tmpDir: dir,
          });
          try {
            // A budget of 1 byte sends the spill, the matched calls with it, to disk.
            expect(files.spill).toBe(memoryBytes === undefined ? 'memory' : 'disk');
            expect(files.result.discrepancies).toEqual(memory.discrepancies);
            expect(files.result.summary.discrepancies).toEqual(memory.summary.discrepancies);
            expect(files.result.balanced).toBe(true);
            // Every row billed again with its times and overlapping its call is found; the
            // rest are rows we have no record of.
            const near = memory.summary.discrepancies.NEAR_DUPLICATE_IN_BILL.count;
            const missing = memory.summary.discrepancies.MISSING_IN_CDRS.count;
            expect(near + missing).toBe(rows.length - calls.length);
            const blank = rows.filter((r) => r.callId?.startsWith('again-') && r.answerTime === '');
            for (const found of memory.discrepancies) {
              if (found.kind === 'NEAR_DUPLICATE_IN_BILL') {
                expect(blank.map((r) => r.callId)).not.toContain(found.callId);
              }
            }
          } finally {
            await files.close();
          }
        },
      ),
      { numRuns: 40 },
    );
  });
});

describe('near-duplicates on worker threads', () => {
  it('worker threads send their matched calls back, or leave them on disk with the spill, and find the same near-duplicates', async () => {
    // Worker threads run the built engine.
    const dist = await builtIo();
    const calls = Array.from({ length: 200 }, (_, n) => call(`s-${n}`, n * 3));
    const rows = [
      ...calls.map((_, n) => row(`s-${n}`, n * 3)),
      row('again-7', 21),
      row('again-150', 450, { privateNum: '+86138****0022' }),
      row('redial-9', 27, { answerTime: '', endTime: '' }),
    ];
    const dir = writeMonth('workers', calls, rows);
    for (const memoryBytes of [undefined, 1]) {
      const run = await dist.reconcileFiles({
        cdrs: [join(dir, 'cdrs')],
        bill: [join(dir, 'bill.csv')],
        tariff: parseTariff(TARIFF),
        period: '2026-10',
        workers: 2,
        partitions: 4,
        memoryBytes,
        tmpDir: dir,
      });
      try {
        const found = run.result.discrepancies.map((d) => [d.kind, d.callId]);
        expect([run.workers, run.spill]).toEqual([
          2,
          memoryBytes === undefined ? 'memory' : 'disk',
        ]);
        expect(found).toEqual([
          ['MISSING_IN_CDRS', 'redial-9'],
          ['NEAR_DUPLICATE_IN_BILL', 'again-150'],
          ['NEAR_DUPLICATE_IN_BILL', 'again-7'],
        ]);
        expect(run.result.discrepancies[1]?.detail).toContain('(sessionId s-150)');
      } finally {
        await run.close();
      }
    }
  });

  it('calls billed again, from two files of calls read beside the bill, are found as by the in-memory core', async () => {
    const dist = await builtIo();
    // The bill, the costliest file, goes to the first worker, the larger file of calls
    // (`calls-2`, with longer ids) to the second, the other to either: the matched calls are
    // read back from the second worker's spill, and from the first's when the files split.
    // Calls of two callers, so that the files' calls differ in the numbers the near-duplicate
    // search compares: a call read at the wrong place would not match its row billed again.
    const callerOf = (n: number): string => (n < 100 ? CALLER : '+8613800000099');
    const calls = Array.from({ length: 200 }, (_, n) => call(`s-${n}`, n * 3, callerOf(n)));
    const rows = [
      ...calls.map((_, n) => row(`s-${n}`, n * 3, { callerNum: callerOf(n) })),
      row('again-150', 450, { callerNum: '+8613800000099' }),
      row('again-199', 597, { callerNum: '+86138****0099' }),
      row('again-20', 60),
    ];
    const dir = writeMonth('two-files', calls, rows, 2);
    const tariff = parseTariff(TARIFF);
    const memory = await reconcile(
      {
        cdrs: readCdrBatches([join(dir, 'cdrs')]),
        bill: readBillBatches([join(dir, 'bill.csv')]),
      },
      { tariff, period: '2026-10' },
    );
    expect(memory.discrepancies.map((d) => [d.kind, d.callId])).toEqual([
      ['NEAR_DUPLICATE_IN_BILL', 'again-150'],
      ['NEAR_DUPLICATE_IN_BILL', 'again-199'],
      ['NEAR_DUPLICATE_IN_BILL', 'again-20'],
    ]);
    for (const memoryBytes of [undefined, 1]) {
      const run = await dist.reconcileFiles({
        cdrs: [join(dir, 'cdrs')],
        bill: [join(dir, 'bill.csv')],
        tariff,
        period: '2026-10',
        workers: 2,
        partitions: 3,
        memoryBytes,
        tmpDir: dir,
      });
      try {
        expect(run.result.summary.inputs.map((input) => input.records)).toEqual([100, 100, 203]);
        expect(run.result.discrepancies).toEqual(memory.discrepancies);
        expect(run.result.discrepancies[1]?.detail).toContain('(sessionId s-199)');
      } finally {
        await run.close();
      }
    }
  });
});
