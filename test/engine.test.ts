import { spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
  mkdirSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'csv-stringify/sync';
import { afterAll, describe, expect, it } from 'vitest';
import {
  parseTariff,
  rateCalls,
  reconcile,
  type BillRow,
  type FeeRecord,
  type Summary,
} from '../src/index.js';
import { readBillBatches, readCdrBatches, readNumbers, reconcileFiles } from '../src/io/index.js';
import { writeRatedCsv, writeReport } from '../src/io/report/write-report.js';
import { createTimeZone } from '../src/core/time/zone.js';
import { fc } from './helpers/fast-check.js';
import { builtIo } from './helpers/io.js';
import {
  chargesMonthArb,
  huaweiTime,
  monthArb,
  type ChargesMonth,
  type Month,
} from './arbitraries/month.js';

const root = mkdtempSync(join(tmpdir(), 'callrecon-engine-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let runs = 0;

const BILL_COLUMNS = [
  'callId',
  'callerNum',
  'privateNum',
  'answerTime',
  'billedSeconds',
  'billedMinutes',
  'packageMinutes',
  'unitPrice',
  'amount',
  'item',
] as const;

/** Writes a month as files: the records over three NDJSON files (a push per line), one bill CSV. */
function writeFiles(month: Month, bill: BillRow[]): { dir: string; cdrs: string; bill: string } {
  const dir = join(root, `m${runs++}`);
  mkdirSync(join(dir, 'cdrs'), { recursive: true });
  const records = month.cdrs.flatMap((item) => (item.type === 'fee' ? [item.record] : []));
  const thirds = [0, 1, 2].map((k) => records.filter((_, i) => i % 3 === k));
  thirds.forEach((part, k) => {
    const lines: string[] = [];
    for (let i = 0; i < part.length; i += 4)
      lines.push(JSON.stringify({ eventType: 'fee', feeLst: part.slice(i, i + 4) }));
    writeFileSync(join(dir, 'cdrs', `part-${k}.ndjson`), lines.map((line) => `${line}\n`).join(''));
  });
  writeFileSync(
    join(dir, 'bill.csv'),
    stringify([[...BILL_COLUMNS], ...bill.map((row) => BILL_COLUMNS.map((c) => row[c] ?? ''))]),
  );
  return { dir, cdrs: join(dir, 'cdrs'), bill: join(dir, 'bill.csv') };
}

/** A bill close to honest, with some rows naming the icid, some without id, and some wrong. */
async function billOf(month: Month, noise: number): Promise<BillRow[]> {
  const tariff = parseTariff(month.tariff);
  const { calls } = await rateCalls(month.cdrs, { tariff, period: '2026-10' });
  const rows: BillRow[] = [];
  calls.forEach((c, i) => {
    if (c.answerMs === undefined || c.billedSeconds === 0) return;
    const pick = (i * 7 + noise) % 11;
    if (pick === 0) return; // dropped
    rows.push({
      callId: pick === 1 ? (c.icid ?? '') : pick === 2 ? '' : c.callId,
      callerNum: c.callerNum,
      privateNum: c.bindNum,
      answerTime: huaweiTime(c.answerMs),
      billedSeconds: String(c.seconds),
      unitPrice: tariff.rates[c.rateIndex]?.pricePerMinute.text ?? '',
      amount: pick === 3 ? '9.99' : (c.amount / 1e6).toFixed(6),
    });
    if (pick === 4) rows.push({ callId: c.icid ?? '', amount: '0.50' }); // the same call again, by icid
  });
  rows.push({ item: 'rent', amount: '10.00' }, { callId: 'nobody', amount: '1.00' });
  return rows;
}

/** `reconcileFiles` on a written month, in this thread, with some partitions. */
function reconcileInParts(
  month: Month,
  files: { dir: string; cdrs: string; bill: string },
  partitions: number,
  bill: string[] = [files.bill],
): ReturnType<typeof reconcileFiles> {
  return reconcileFiles({
    cdrs: [files.cdrs],
    bill,
    tariff: parseTariff(month.tariff, 'tariff.json'),
    period: '2026-10',
    workers: 0,
    partitions,
    tmpDir: files.dir,
  });
}

/**
 * Writes a month with the rest of the invoice as files: `writeFiles`' pushes with the SMS
 * notifications put among them (over the three files, between push lines), the bill with
 * its non-call lines last, and `numbers.csv` when the month has numbers.
 */
function writeChargesFiles(
  month: ChargesMonth,
  bill: BillRow[],
): { dir: string; cdrs: string; bill: string; numbers: string | undefined } {
  const files = writeFiles(month, [...bill, ...month.chargeRows]);
  month.sms.forEach((push, k) => {
    const file = join(files.cdrs, `part-${k % 3}.ndjson`);
    const lines = readFileSync(file, 'utf8').split('\n').slice(0, -1);
    lines.splice((k * 7) % (lines.length + 1), 0, JSON.stringify(push));
    writeFileSync(file, lines.map((line) => `${line}\n`).join(''));
  });
  if (month.numbers === undefined) return { ...files, numbers: undefined };
  const numbers = join(files.dir, 'numbers.csv');
  writeFileSync(
    numbers,
    stringify([
      ['number', 'orderedAt', 'releasedAt'],
      ...month.numbers.map((row) => [row.number, row.orderedAt, row.releasedAt]),
    ]),
  );
  return { ...files, numbers };
}

/** The summary as both sides can write it: inputs that hold records, without file hashes. */
function comparableSummary(summary: Summary): Summary {
  return {
    ...summary,
    inputs: summary.inputs
      .filter((input) => input.records > 0)
      .map(({ sha256: _s, ...rest }) => rest),
    warnings: summary.warnings.filter((warning) => warning.code !== 'EMPTY_INPUT'),
  };
}

/** The files of a report folder that must match byte for byte. */
const COMPARED_FILES = ['summary.json', 'discrepancies.csv', 'rejected.csv', 'rated.csv'] as const;

function filesOf(dir: string): Record<string, string> {
  return Object.fromEntries(
    COMPARED_FILES.map((name) => [name, readFileSync(join(dir, name), 'utf8')]),
  );
}

function outputsOf(result: Awaited<ReturnType<typeof reconcile>>): unknown {
  return {
    summary: {
      ...result.summary,
      inputs: result.summary.inputs
        .filter((input) => input.records > 0)
        .map(({ sha256: _s, ...rest }) => rest),
      // Files without records: the in-memory reconcile sees items, not files.
      warnings: result.summary.warnings.filter((warning) => warning.code !== 'EMPTY_INPUT'),
    },
    discrepancies: result.discrepancies,
    rejected: result.rejected,
  };
}

describe('reconcileFiles', () => {
  it('gives the same result, byte for byte, with 1 or many partitions, and the same as the in-memory reconcile', async () => {
    await fc.assert(
      fc.asyncProperty(
        monthArb(['+86138', '+86139', '+86137'], 80),
        fc.nat(10),
        async (month, noise) => {
          const files = writeFiles(month, await billOf(month, noise));
          const base = {
            cdrs: [files.cdrs],
            bill: [files.bill],
            tariff: parseTariff(month.tariff, 'tariff.json'),
            period: '2026-10',
            workers: 0,
            tmpDir: files.dir,
          };
          const tariff = parseTariff(month.tariff);
          const memory = await reconcile(
            { cdrs: readCdrBatches([files.cdrs]), bill: readBillBatches([files.bill]) },
            { tariff, period: '2026-10' },
          );
          const memoryRated = join(files.dir, 'rated-memory.csv');
          await writeRatedCsv(
            memoryRated,
            memory.ratedCalls,
            { tariff, zone: createTimeZone('Asia/Shanghai') },
            {},
          );
          for (const [partitions, memoryBytes] of [
            [1, undefined],
            [3, undefined],
            [7, undefined],
            [3, 1],
            [7, 1],
          ] as const) {
            const run = await reconcileFiles({ ...base, partitions, memoryBytes });
            try {
              // The default budget keeps a small month in memory; a budget of 1 byte cannot.
              expect(run.spill).toBe(memoryBytes === undefined ? 'memory' : 'disk');
              expect(run.result.balanced).toBe(true);
              expect(outputsOf(run.result)).toEqual(outputsOf(memory));
              const rated = join(files.dir, `rated-${partitions}-${run.spill}.csv`);
              await run.writeRated(rated);
              expect(readFileSync(rated, 'utf8')).toBe(readFileSync(memoryRated, 'utf8'));
            } finally {
              await run.close();
            }
          }
        },
      ),
      { numRuns: 25 },
    );
  });

  it('writes the same summary.json, discrepancies.csv, rejected.csv and rated.csv as the in-memory core for months with numbers, SMS and charges, on 1 or several partitions', async () => {
    await fc.assert(
      fc.asyncProperty(
        chargesMonthArb(['+86138', '+86139', '+86137'], 50),
        fc.nat(10),
        async (month, noise) => {
          const files = writeChargesFiles(month, await billOf(month, noise));
          const numbers =
            files.numbers === undefined ? undefined : await readNumbers([files.numbers]);
          const tariff = parseTariff(month.tariff, 'tariff.json');
          const context = { tariff, zone: createTimeZone('Asia/Shanghai') };
          const memory = await reconcile(
            {
              cdrs: readCdrBatches([files.cdrs]),
              bill: readBillBatches([files.bill]),
              numbers,
            },
            { tariff, period: '2026-10' },
          );
          const memoryDir = join(files.dir, 'out-memory');
          await writeReport(memoryDir, memory, comparableSummary(memory.summary), context);
          const expected = filesOf(memoryDir);
          // The month's SMS are read from the push files, counted once per notification.
          expect(memory.summary.cdrs.smsRecords).toBe(month.sms.length);
          for (const [partitions, memoryBytes] of [
            [1, undefined],
            [4, undefined],
            [4, 1],
          ] as const) {
            const run = await reconcileFiles({
              cdrs: [files.cdrs],
              bill: [files.bill],
              numbers,
              tariff,
              period: '2026-10',
              workers: 0,
              partitions,
              memoryBytes,
              tmpDir: files.dir,
            });
            try {
              expect(run.result.balanced).toBe(true);
              const out = join(files.dir, `out-${partitions}-${run.spill}`);
              const result = run.result;
              await writeReport(
                out,
                result,
                comparableSummary(result.summary),
                context,
                {},
                run.writeRated,
              );
              expect(filesOf(out)).toEqual(expected);
            } finally {
              await run.close();
            }
          }
        },
      ),
      { numRuns: 20 },
    );
  });

  it('gives the same result on 1 or 2 worker threads, the spill in memory or on disk', async () => {
    const dist = await builtIo();
    await fc.assert(
      fc.asyncProperty(
        monthArb(['+86138', '+86139', '+86137'], 60),
        fc.nat(10),
        fc.boolean(),
        async (month, noise, packages) => {
          const tariffJson = packages
            ? { ...month.tariff, allowances: [{ id: 'pkg', minutes: 20 }] }
            : month.tariff;
          const files = writeFiles(month, await billOf(month, noise));
          const tariff = parseTariff(tariffJson);
          const memory = await reconcile(
            { cdrs: readCdrBatches([files.cdrs]), bill: readBillBatches([files.bill]) },
            { tariff, period: '2026-10' },
          );
          const memoryRated = join(files.dir, 'rated-memory.csv');
          await writeRatedCsv(
            memoryRated,
            memory.ratedCalls,
            { tariff, zone: createTimeZone('Asia/Shanghai') },
            {},
          );
          for (const [workers, memoryBytes] of [
            [1, undefined],
            [2, undefined],
            [2, 1],
          ] as const) {
            const run = await dist.reconcileFiles({
              cdrs: [files.cdrs],
              bill: [files.bill],
              tariff: parseTariff(tariffJson, 'tariff.json'),
              period: '2026-10',
              workers,
              memoryBytes,
              partitions: 4,
              tmpDir: files.dir,
            });
            try {
              expect([run.workers, run.spill]).toEqual([
                workers,
                memoryBytes === undefined ? 'memory' : 'disk',
              ]);
              expect(outputsOf(run.result)).toEqual(outputsOf(memory));
              const rated = join(files.dir, `rated-w${workers}-${run.spill}.csv`);
              await run.writeRated(rated);
              expect(readFileSync(rated, 'utf8')).toBe(readFileSync(memoryRated, 'utf8'));
            } finally {
              await run.close();
            }
          }
        },
      ),
      { numRuns: 4 },
    );
  });

  it('removes the spill folders of runs killed before they could, or half-removed by their cleanup, and only those', async () => {
    const month: Month = {
      tariff: { currency: 'CNY', timezone: 'Asia/Shanghai', rates: [{ pricePerMinute: '0.12' }] },
      cdrs: [],
    };
    const files = writeFiles(month, []);
    // A process that has exited: its pid names no process now (as after a SIGKILL).
    const gone = spawnSync(process.execPath, ['-e', '']).pid;
    const folder = (name: string, owner: string | undefined): string => {
      const dir = join(files.dir, `callrecon-${name}`);
      mkdirSync(dir);
      writeFileSync(join(dir, 'w0-c0.bin'), 'spill');
      if (owner !== undefined) writeFileSync(join(dir, 'owner.pid'), owner);
      return dir;
    };
    const dead = folder('dead', `${gone}\n`);
    const live = folder('live', `${process.pid}\n`);
    const unowned = folder('unowned', undefined);
    // Renamed by an interrupted run's cleanup, its owner file already removed.
    const halfRemoved = folder(`half.gone-${gone}`, undefined);
    const beingRemoved = folder(`busy.gone-${process.pid}`, undefined);
    const run = await reconcileInParts(month, files, 1);
    await run.close();
    expect([dead, live, unowned, halfRemoved, beingRemoved].map((dir) => existsSync(dir))).toEqual([
      false,
      true,
      true,
      false,
      true,
    ]);
  });

  it('reads a bill split over files in input order, whichever file is read first', async () => {
    await fc.assert(
      fc.asyncProperty(monthArb(['+86138', '+86139'], 60), fc.nat(10), async (month, noise) => {
        const files = writeFiles(month, await billOf(month, noise));
        // The second file is the larger: it is read first, its rows spilled first.
        const [header, ...lines] = readFileSync(files.bill, 'utf8').trimEnd().split('\n');
        const cut = Math.floor(lines.length / 3);
        const bills = [join(files.dir, 'bill-1.csv'), join(files.dir, 'bill-2.csv')];
        writeFileSync(bills[0] as string, [header, ...lines.slice(0, cut), ''].join('\n'));
        writeFileSync(bills[1] as string, [header, ...lines.slice(cut), ''].join('\n'));
        const tariff = parseTariff(month.tariff);
        const memory = await reconcile(
          { cdrs: readCdrBatches([files.cdrs]), bill: readBillBatches(bills) },
          { tariff, period: '2026-10' },
        );
        for (const partitions of [1, 3, 7]) {
          const run = await reconcileInParts(month, files, partitions, bills);
          try {
            expect(outputsOf(run.result)).toEqual(outputsOf(memory));
          } finally {
            await run.close();
          }
        }
      }),
      { numRuns: 15 },
    );
  });

  it('a bill row naming the icid of a call spilled to another partition still finds it', async () => {
    const record = (i: number): FeeRecord => ({
      sessionId: `session-${i}`,
      icid: `icid-${i}`,
      callerNum: '+8613800000021',
      bindNum: '+8613800000022',
      fwdAnswerTime: huaweiTime(Date.UTC(2026, 9, 10, 1, 0, i)),
      callEndTime: huaweiTime(Date.UTC(2026, 9, 10, 1, 1, i)),
    });
    const month: Month = {
      tariff: { currency: 'CNY', timezone: 'Asia/Shanghai', rates: [{ pricePerMinute: '0.12' }] },
      cdrs: Array.from({ length: 40 }, (_, i) => ({
        type: 'fee' as const,
        record: record(i),
        source: 'x',
        line: i + 1,
      })),
    };
    const bill: BillRow[] = Array.from({ length: 40 }, (_, i) => ({
      callId: `icid-${i}`,
      amount: '0.12',
    }));
    bill.push({ callId: 'session-5', amount: '0.12' }); // the same call as icid-5: a duplicate
    const files = writeFiles(month, bill);
    const run = await reconcileInParts(month, files, 9);
    try {
      expect(run.result.summary.matched).toEqual({ byId: 40, byComposite: 0, clean: 40 });
      expect(
        run.result.discrepancies.map((row) => [
          row.kind,
          row.callId,
          row.billSource.replace(/^.*:/, ''),
        ]),
      ).toEqual([['DUPLICATE_IN_BILL', 'session-5', '42']]);
    } finally {
      await run.close();
    }
  });

  it('keeps a month that fits in memory there, but writes its rated.csv lines, which are report output, to disk as they are made', async () => {
    const month: Month = {
      tariff: { currency: 'CNY', timezone: 'Asia/Shanghai', rates: [{ pricePerMinute: '0.12' }] },
      cdrs: Array.from({ length: 12 }, (_, i) => ({
        type: 'fee' as const,
        record: {
          sessionId: `session-${i}`,
          callerNum: '+8613800000021',
          bindNum: '+8613800000022',
          fwdAnswerTime: huaweiTime(Date.UTC(2026, 9, 10, 1, 0, i)),
          callEndTime: huaweiTime(Date.UTC(2026, 9, 10, 1, 1, i)),
        },
        source: 'x',
        line: i + 1,
      })),
    };
    const files = writeFiles(month, [{ callId: 'session-0', amount: '0.24' }]);
    const run = await reconcileInParts(month, files, 3);
    try {
      expect(run.spill).toBe('memory');
      const spillFolder = readdirSync(files.dir).find((name) => name.startsWith('callrecon-'));
      const onDisk = readdirSync(join(files.dir, spillFolder as string)).sort();
      // One file of lines for each of the three push files; no call or bill record.
      expect(onDisk.filter((name) => name.endsWith('.csv'))).toEqual([
        'rated-file-0.csv',
        'rated-file-1.csv',
        'rated-file-2.csv',
      ]);
      expect(onDisk.filter((name) => name.endsWith('.bin'))).toEqual([]);
      const rated = join(files.dir, 'rated.csv');
      await run.writeRated(rated);
      expect(readFileSync(rated, 'utf8').trimEnd().split('\n')).toHaveLength(1 + 12);
    } finally {
      await run.close();
    }
  });

  /** Records sharing sessions and icids, and bill rows naming either. */
  const icidRecordArb = fc.record({
    session: fc.integer({ min: 0, max: 6 }),
    icid: fc.integer({ min: 0, max: 6 }),
    second: fc.integer({ min: 0, max: 3 }),
  });
  const icidBillArb = fc.array(
    fc.oneof(
      fc.integer({ min: 0, max: 7 }).map((i) => `S${i}`),
      fc.integer({ min: 0, max: 7 }).map((i) => `I${i}`),
    ),
    { maxLength: 10 },
  );
  function icidMonth(
    specs: readonly { session: number; icid: number; second: number }[],
    billIds: readonly string[],
  ): { month: Month; bill: BillRow[] } {
    const month: Month = {
      tariff: {
        currency: 'CNY',
        timezone: 'Asia/Shanghai',
        rates: [{ pricePerMinute: '0.12' }],
      },
      cdrs: specs.map((spec, i) => ({
        type: 'fee' as const,
        source: 'x',
        line: i + 1,
        record: {
          sessionId: `S${spec.session}`,
          icid: `I${spec.icid}`,
          callerNum: '+8613800000021',
          bindNum: '+8613800000022',
          fwdAnswerTime: huaweiTime(Date.UTC(2026, 9, 10, 1, 0, 0)),
          callEndTime: huaweiTime(Date.UTC(2026, 9, 10, 1, 0, 0) + (30 + spec.second) * 1000),
        },
      })),
    };
    const bill = billIds.map((callId, i) => ({ callId, amount: `0.${String(10 + i)}` }));
    return { month, bill };
  }

  /** The records, the bill's ids and the partitions of an icid case. */
  const icidCaseArb = fc.tuple(
    fc.array(icidRecordArb, { minLength: 1, maxLength: 14 }),
    icidBillArb,
    fc.integer({ min: 2, max: 5 }),
  );
  /** Such a month as files, and what the in-memory core makes of it. */
  async function icidCase(
    specs: readonly { session: number; icid: number; second: number }[],
    billIds: readonly string[],
  ) {
    const { month, bill } = icidMonth(specs, billIds);
    const files = writeFiles(month, bill);
    const tariff = parseTariff(month.tariff);
    const memory = await reconcile(
      { cdrs: readCdrBatches([files.cdrs]), bill: readBillBatches([files.bill]) },
      { tariff, period: '2026-10' },
    );
    return { month, files, tariff, memory };
  }

  it('a run whose input cannot be read leaves no file open behind it', async () => {
    const { month, bill } = icidMonth([{ session: 1, icid: 1, second: 0 }], ['S1']);
    const files = writeFiles(month, bill);
    // Read after the good files: their rated.csv lines are open when it fails.
    writeFileSync(join(files.cdrs, 'zz-broken.ndjson.gz'), 'not gzip at all');
    const openFiles = (): number =>
      existsSync('/proc/self/fd') ? readdirSync('/proc/self/fd').length : 0;
    const before = openFiles();
    for (let i = 0; i < 3; i++) {
      await expect(reconcileInParts(month, files, 2)).rejects.toThrow();
    }
    expect(openFiles()).toBe(before);
  });

  it('resolves icids like the core when records share them, repeat or conflict', async () => {
    await fc.assert(
      fc.asyncProperty(icidCaseArb, async ([specs, billIds, partitions]) => {
        const { month, files, tariff, memory } = await icidCase(specs, billIds);
        const run = await reconcileInParts(month, files, partitions);
        try {
          expect(run.result.balanced).toBe(true);
          expect(outputsOf(run.result)).toEqual(outputsOf(memory));
          // Re-pushes and conflicts are left out of rated.csv, which keeps input order.
          const rated = join(files.dir, 'rated-files.csv');
          const ratedMemory = join(files.dir, 'rated-memory.csv');
          await run.writeRated(rated);
          await writeRatedCsv(
            ratedMemory,
            memory.ratedCalls,
            { tariff, zone: createTimeZone('Asia/Shanghai') },
            {},
          );
          expect(readFileSync(rated, 'utf8')).toBe(readFileSync(ratedMemory, 'utf8'));
        } finally {
          await run.close();
        }
      }),
      { numRuns: 150 },
    );
  });

  it("resolves icids like the core on 2 worker threads, the calls a bill names by icid read from the other worker's spill, in memory or on disk", async () => {
    const dist = await builtIo();
    await fc.assert(
      fc.asyncProperty(icidCaseArb, async ([specs, billIds, partitions]) => {
        const { month, files, memory } = await icidCase(specs, billIds);
        for (const memoryBytes of [undefined, 1]) {
          const run = await dist.reconcileFiles({
            cdrs: [files.cdrs],
            bill: [files.bill],
            tariff: parseTariff(month.tariff, 'tariff.json'),
            period: '2026-10',
            workers: 2,
            memoryBytes,
            partitions,
            tmpDir: files.dir,
          });
          try {
            expect([run.workers, run.spill]).toEqual([
              2,
              memoryBytes === undefined ? 'memory' : 'disk',
            ]);
            expect(outputsOf(run.result)).toEqual(outputsOf(memory));
          } finally {
            await run.close();
          }
        }
      }),
      { numRuns: 12 },
    );
  });

  it('allowances are drawn in one chronological order across partitions', async () => {
    const month: Month = {
      tariff: {
        currency: 'CNY',
        timezone: 'Asia/Shanghai',
        rates: [{ pricePerMinute: '0.10' }],
        allowances: [{ id: 'pkg', minutes: 30 }],
      },
      cdrs: Array.from({ length: 30 }, (_, i) => ({
        type: 'fee' as const,
        source: 'x',
        line: i + 1,
        record: {
          sessionId: `s${String(29 - i).padStart(2, '0')}`,
          bindNum: '+8613800000022',
          callerNum: '+8613800000021',
          fwdAnswerTime: huaweiTime(Date.UTC(2026, 9, 1 + (i % 28), 2)),
          callEndTime: huaweiTime(Date.UTC(2026, 9, 1 + (i % 28), 2) + 150_000),
        },
      })),
    };
    const files = writeFiles(month, []);
    const tariff = parseTariff(month.tariff);
    const memory = await reconcile(
      { cdrs: readCdrBatches([files.cdrs]), bill: readBillBatches([files.bill]) },
      { tariff, period: '2026-10' },
    );
    const run = await reconcileInParts(month, files, 5);
    try {
      // 30 calls of 3 minutes: the package covers the first 10 calls of the month, in time order.
      expect(run.result.summary.totals.ours).toBe('6.00');
      expect(outputsOf(run.result)).toEqual(outputsOf(memory));
    } finally {
      await run.close();
    }
  });
});
