import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AllowanceLedger, compareForAllowances } from '../../core/tariff/index.js';
import {
  compareRejected,
  finishRun,
  Intake,
  planRun,
  type InputSummary,
  type ReconcileResult,
} from '../../core/reconcile/index.js';
import type { RunWarning } from '../../core/reconcile/warnings.js';
import type { NumberItem } from '../../core/records.js';
import { BILL_FILES, CDR_FILES, emptyInputWarnings, findInputFiles } from '../files.js';
import type { TextEncoding } from '../options.js';
import { trackTemporary } from '../report/atomic.js';
import { asOutputFailure } from '../report/output-error.js';
import { mergeSorted } from './merge.js';
import { joinRatedLines, mergeRatedLines } from './rated-output.js';
import { EnginePool } from './pool.js';
import { findIcidRows } from './icid-rows.js';
import { decodeMatchedCalls } from './matched-calls.js';
import { billRowBytes, CallsAt, readBillRow, readRecords } from './spill.js';
import { adoptMemoryFiles, dropMemoryFiles, dropMemoryFolder, type SpillPlace } from './store.js';
import { fittedNotice, planEngine } from './resources.js';
import { claimSpillFolder, removeLeftovers, SPILL_PREFIX } from './leftovers.js';
import {
  readRunEntry,
  spillFile,
  type EngineConfig,
  type IngestResult,
  type RunSettings,
  type SettleResult,
} from './tasks.js';

/** Settings of {@link reconcileFiles}: the CLI's options, plus how to split the work. */
export interface FileReconcileOptions extends RunSettings {
  readonly cdrs: readonly string[];
  readonly bill: readonly string[];
  readonly encoding?: TextEncoding | undefined;
  readonly cdrColumns?: Readonly<Record<string, string>> | undefined;
  readonly billColumns?: Readonly<Record<string, string>> | undefined;
  readonly showNumbers?: boolean | undefined;
  /** The virtual numbers held (SPEC §4.5, `readNumbers`), to check their rent. */
  readonly numbers?: readonly NumberItem[] | undefined;
  /** The sha256 of each numbers file by its path (`readNumbers`' `onFile`), for `inputs`. */
  readonly numberDigests?: ReadonlyMap<string, string> | undefined;
  /** Paths never read from a `--cdrs` or `--bill` folder (SPEC §2.1), with all below them. */
  readonly exclude?: readonly string[] | undefined;
  /**
   * Partitions by a hash of the call id; default: one per 8 MiB of input when the month is
   * kept in memory, one per 32 MiB when it spills to disk.
   */
  readonly partitions?: number | undefined;
  /**
   * Worker threads; default one per available core, as many as the memory budget holds,
   * for inputs over 32 MiB, else 0 (this thread).
   */
  readonly workers?: number | undefined;
  /**
   * The memory budget of the run, bytes: the month's spill is kept in memory while its
   * estimated size fits in it (beside the workers' heaps), and written to `tmpDir` past
   * that; it also bounds how many workers run. Default: a quarter of the machine's memory (or of
   * the process's memory limit, when it has one), see `defaultMemoryBytes`.
   */
  readonly memoryBytes?: number | undefined;
  /** Where to keep spill files (a temporary folder is made inside); default the OS's. */
  readonly tmpDir?: string | undefined;
  /** Told how many records and rows have been read so far. */
  readonly onProgress?: ((records: number) => void) | undefined;
  /** Told each time a partition is settled, with how many are done of how many. */
  readonly onPartitions?: ((settled: number, partitions: number) => void) | undefined;
  /**
   * Told when a phase ends (for tracing); the first, `start: …`, once the workers are
   * started and reading.
   */
  readonly onPhase?: ((phase: string) => void) | undefined;
  /** Told, in a sentence, what the run gave up to fit the machine (workers, for the open-file limit). */
  readonly onNotice?: ((notice: string) => void) | undefined;
}

/** What {@link reconcileFiles} returns; call `close()` when done with it. */
export interface FileReconciliation {
  /** The result; `ratedCalls` is empty: `writeRated` streams them instead. */
  readonly result: ReconcileResult;
  /** How the work was split. */
  readonly partitions: number;
  readonly workers: number;
  /** Where the spill was kept: in memory, or on disk in `tmpDir`. */
  readonly spill: SpillPlace;
  /** Writes `rated.csv`: every kept call of the period, in input order. */
  readonly writeRated: (path: string) => Promise<void>;
  /** Removes the spill files. */
  readonly close: () => Promise<void>;
}

/** How many bytes of text a byte of gzip holds, about, for CDR pushes and bills. */
const GZIP_RATIO = 8;
/**
 * How much longer a byte of bill takes to read, rate and spill than a byte of JSON pushes
 * (measured: a bill row is shorter than a pushed record, for the same work).
 */
const BILL_BYTE_COST = 1.7;

/**
 * Reconciles CDR and bill files of any size with bounded memory (SPEC §3–§5): records are
 * read, validated and rated on worker threads and spilled to partitions by a hash of the
 * call id; each partition is then settled alone (allowances first take one global,
 * chronological pass), and what id matching leaves goes through composite matching
 * together. The result is the same whatever the partitioning.
 *
 * @param options - inputs, tariff, period and options
 * @returns the result, a writer for `rated.csv`, and `close()` for the spill files
 * @throws InputError for unusable inputs; TariffError, TimeZoneError for bad settings
 */
export async function reconcileFiles(options: FileReconcileOptions): Promise<FileReconciliation> {
  const plan = planRun(options);
  const tariff = plan.tariff;
  const warnings: RunWarning[] = [];
  const listing = {
    exclude: options.exclude,
    required: true,
    onWarning: warnings.push.bind(warnings),
  };
  const cdrFiles = (await findInputFiles(options.cdrs, CDR_FILES, listing)).map((f) => f.path);
  const billFiles = (await findInputFiles(options.bill, BILL_FILES, listing)).map((f) => f.path);
  // Sizes as read: a gzip file holds several times its size on disk.
  const sizeOf = async (path: string): Promise<number> =>
    (await stat(path)).size * (path.toLowerCase().endsWith('.gz') ? GZIP_RATIO : 1);
  const cdrSizes = await Promise.all(cdrFiles.map(sizeOf));
  const billSizes = await Promise.all(billFiles.map(sizeOf));
  const totalBytes = [...cdrSizes, ...billSizes].reduce((a, b) => a + b, 0);
  const { workers, partitions, spill, workersWanted } = planEngine({
    inputBytes: totalBytes,
    workers: options.workers,
    memoryBytes: options.memoryBytes,
    partitions: options.partitions,
    allowances: tariff.allowances.length > 0,
  });
  const notice = fittedNotice(workers, workersWanted);
  if (notice !== undefined) options.onNotice?.(notice);
  const tmpBase = options.tmpDir ?? tmpdir();
  // Runs killed outside our control (SIGKILL, a crash) leave their folder: removed here.
  await removeLeftovers(tmpBase);
  const dir = await mkdtemp(join(tmpBase, SPILL_PREFIX));
  const untrack = trackTemporary(dir);
  await claimSpillFolder(dir);
  const config: EngineConfig = {
    tariff,
    period: options.period,
    timezone: options.timezone,
    cdrTimezone: options.cdrTimezone,
    billTimezone: options.billTimezone,
    maxCallSeconds: options.maxCallSeconds,
    amountTolerance: options.amountTolerance,
    matchWindowSeconds: options.matchWindowSeconds,
    encoding: options.encoding,
    cdrColumns: options.cdrColumns,
    billColumns: options.billColumns,
    showNumbers: options.showNumbers ?? false,
    ratedAtIngest: tariff.allowances.length === 0,
    partitions,
    spill,
    tmpDir: dir,
    cdrFiles,
    billFiles,
  };
  const readByTask = new Map<number, number>();
  const pool = new EnginePool(config, workers, (task, records) => {
    readByTask.set(task, records);
    let total = 0;
    for (const n of readByTask.values()) total += n;
    options.onProgress?.(total);
  });
  const mark = (phase: string): void => {
    options.onPhase?.(phase);
  };
  const workersText = `${workers} ${workers === 1 ? 'worker' : 'workers'}${
    workersWanted === undefined ? '' : ` (of ${workersWanted}: the open-file limit)`
  }`;
  mark(`start: ${partitions} partitions, ${workersText}, spill in ${spill}`);
  // Spill files no longer needed are removed while the rest of the work goes on.
  let removing: Promise<unknown> = Promise.resolve();
  const close = async (): Promise<void> => {
    await pool.close();
    await removing;
    dropMemoryFolder(dir);
    // Retried: files another thread was still closing can hold the descriptors it needs.
    await rm(dir, { recursive: true, force: true, maxRetries: 3 });
    untrack();
  };
  try {
    // 1. Read, validate, rate and spill: a task a file, the costliest first, each to the
    //    first worker free, so that both finish together.
    const shares = Math.max(1, workers);
    const files = [
      ...cdrSizes.map((bytes, index) => ({ role: 'cdr' as const, index, cost: bytes })),
      ...billSizes.map((bytes, index) => ({
        role: 'bill' as const,
        index,
        cost: bytes * BILL_BYTE_COST,
      })),
    ].sort(
      (a, b) =>
        b.cost - a.cost || (a.role === b.role ? a.index - b.index : a.role === 'cdr' ? -1 : 1),
    );
    const ingested: IngestResult[] = await Promise.all(
      files.map(({ role, index }) =>
        pool.run({
          kind: 'ingest',
          cdr: role === 'cdr' ? [index] : [],
          bill: role === 'bill' ? [index] : [],
        }),
      ),
    );
    const kept = await pool.runOnEach({ kind: 'finish-ingest' });
    if (spill === 'memory' && workers > 0) {
      // Every thread reads every worker's files: shared memory, sent without a copy.
      const files = Object.assign({}, ...kept) as Record<string, Uint8Array[]>;
      adoptMemoryFiles(files);
      await pool.runOnEach({ kind: 'adopt-files', files });
    }

    mark('ingested');
    // 2. Allowances: one chronological pass over every partition's calls (SPEC §3.5).
    const packageSeconds = Array.from(
      { length: partitions },
      () => [] as (readonly [number, number])[],
    );
    if (tariff.allowances.length > 0) {
      const runs = await Promise.all(
        Array.from({ length: partitions }, (_, partition) =>
          pool.run({ kind: 'order', partition, workers: shares }),
        ),
      );
      const ledger = new AllowanceLedger(tariff);
      await mergeSorted(runs, readRunEntry, compareForAllowances, ({ source, key: entry }) => {
        const seconds = ledger.consume(entry);
        if (seconds > 0) packageSeconds[source]?.push([entry.index, seconds]);
      });
    }

    // 3. Settle every partition.
    const settle = (partition: number, injected: Uint8Array[]): Promise<SettleResult> =>
      pool.run({
        kind: 'settle',
        partition,
        workers: shares,
        packageSeconds: packageSeconds[partition] ?? [],
        injected,
      });
    let done = 0;
    const settled = await Promise.all(
      Array.from({ length: partitions }, async (_, partition) => {
        const result = await settle(partition, []);
        options.onPartitions?.(++done, partitions);
        return result;
      }),
    );

    mark('settled');
    // 4. A bill row naming the icid of a call in another partition: settle that partition
    //    again with the row added, so it is matched exactly as in one pass.
    const injected = await findIcidRows(pool, config, shares, settled);
    if (injected.size > 0) {
      const byTarget = new Map<number, Uint8Array[]>();
      for (const [row, target] of injected) {
        const rows = byTarget.get(target) ?? [];
        rows.push(billRowBytes(row, billFiles.indexOf(row.source)));
        byTarget.set(target, rows);
      }
      await Promise.all(
        [...byTarget].map(async ([target, rows]) => {
          settled[target] = await settle(target, rows);
        }),
      );
      // An injected row belongs to the partition it was sent to, and only there.
      const targetOf = new Map([...injected].map(([row, target]) => [row.seq, target]));
      for (const [partition, result] of settled.entries()) {
        settled[partition] = {
          ...result,
          leftoverRows: result.leftoverRows.filter(
            (row) => (targetOf.get(row.seq) ?? partition) === partition,
          ),
        };
      }
    }

    // 5. Composite matching and what is left, over all partitions together.
    const withoutId = await readRecords(
      Array.from({ length: shares }, (_, w) => spillFile.billWithoutId(dir, w)),
      (buf, at) => readBillRow(buf, at, billFiles),
    );
    // Bill rows and aliases have all been read for the last time; calls are read once more
    // for the texts of the matched calls the month's last step looks at.
    const callFiles = Array.from({ length: partitions }, (_, p) =>
      Array.from({ length: shares }, (_, w) => spillFile.calls(dir, w, p)),
    );
    removing = removeFiles(
      spill,
      Array.from({ length: shares }, (_, w) => [
        spillFile.billWithoutId(dir, w),
        ...Array.from({ length: partitions }, (_, p) => [
          spillFile.bill(dir, w, p),
          spillFile.aliases(dir, w, p),
        ]).flat(),
      ]).flat(),
    );
    // SPEC §4.5: the numbers held are few; read here, on this thread.
    const held = new Intake(plan);
    (options.numbers ?? []).forEach((item, index) => held.number(item, index));
    const rejected = [...ingested.flatMap((part) => part.rejected), ...held.rejected]
      .sort(compareRejected)
      .map((entry) => entry.issue);
    const counts = new Map(
      ingested.flatMap((part) => part.files).map((file) => [`${file.role}:${file.index}`, file]),
    );
    const inputs: InputSummary[] = [
      ...cdrFiles.map((path, index) => inputOf('cdrs', path, counts.get(`cdrs:${index}`))),
      ...billFiles.map((path, index) => inputOf('bill', path, counts.get(`bill:${index}`))),
      ...held.inputs.list.map((entry) => {
        const sha256 = options.numberDigests?.get(entry.path);
        return sha256 === undefined ? entry : inputOf(entry.role, entry.path, { ...entry, sha256 });
      }),
    ];
    const callRecords = new CallsAt(dir, cdrFiles, Math.max(1, workers));
    const matched = decodeMatchedCalls(
      settled.map((part) => part.matched),
      billFiles,
      (partition, file, position) => callRecords.read(partition, file, position),
    );
    let result: ReturnType<typeof finishRun>;
    try {
      result = finishRun(plan, {
        period: options.period,
        tallies: [...[...ingested, ...settled].map((part) => part.tally), held.tally.toData()],
        hasNumbers: options.numbers !== undefined,
        leftoverRows: [...settled.flatMap((part) => part.leftoverRows), ...withoutId],
        leftoverCalls: settled.flatMap((part) => part.leftoverCalls),
        matched,
        inputs,
        rejected,
        ratedCalls: [],
        warnings: [...warnings, ...emptyInputWarnings(inputs)],
      });
    } finally {
      callRecords.close();
    }
    const removingCalls = removeFiles(spill, callFiles.flat());
    removing = Promise.all([removing, removingCalls]);
    const ratedBytes = cdrFiles.map((_, index) => counts.get(`cdrs:${index}`)?.ratedBytes ?? 0);
    const droppedLines = settled.flatMap((part) => part.droppedLines);
    mark('finished');
    return {
      result,
      partitions,
      workers,
      spill,
      writeRated: (path) =>
        config.ratedAtIngest
          ? joinRatedLines(pool, path, config, shares, ratedBytes, droppedLines)
          : mergeRatedLines(pool, path, config, shares, cdrSizes),
      close,
    };
  } catch (error) {
    // The failure is what the user must see: a folder that cannot be removed now (its
    // descriptors all taken) is the next run's to remove, its owner gone.
    await close().catch(() => {});
    // A full disk or a permission where the spill files go is the user's to fix (exit 2).
    throw asOutputFailure(`${dir} (the engine's temporary files; TMPDIR moves them)`, error);
  }
}

/** Removes files, a few at a time; missing ones and failures are left to the final cleanup. */
async function removeFiles(spill: SpillPlace, paths: readonly string[]): Promise<void> {
  // Memory files are freed once the workers are stopped too.
  if (spill === 'memory' && dropMemoryFiles(paths)) return;
  for (let i = 0; i < paths.length; i += 8) {
    await Promise.all(
      paths.slice(i, i + 8).map((path) => rm(path, { force: true }).catch(() => {})),
    );
  }
}

function inputOf(
  role: InputSummary['role'],
  path: string,
  counts: { sha256: string; records: number; rejected: number } | undefined,
): InputSummary {
  return {
    role,
    path,
    sha256: counts?.sha256 ?? '',
    records: counts?.records ?? 0,
    rejected: counts?.rejected ?? 0,
  };
}
