import { join } from 'node:path';
import {
  chargeCall,
  Intake,
  planRun,
  Reconciler,
  type BilledItem,
  type ChargedCall,
  type RatedCall,
  type ReconcileOptions,
  type RejectedAt,
  type RowContext,
  type RunPlan,
  type TallyData,
} from '../../core/reconcile/index.js';
import { readBillBatches } from '../read-bill.js';
import { readCdrBatches } from '../read-cdrs.js';
import type { InputFileInfo, TextEncoding } from '../options.js';
import { CHUNK_BYTES, LineWriter } from '../report/line-writer.js';
import { encodeRatedLine, ratedLineMaxBytes } from '../report/rated-line.js';
import type { ReportOptions } from '../report/write-report.js';
import {
  partitionOf,
  readBillRow as readSpilledBillRow,
  collectRecords,
  forEachRecord,
  readAlias,
  readBillRowSeq,
  readCall,
  readEntry,
  readRatedSpan,
  writeAlias,
  writeBillRow,
  writeCall,
  writeEntry,
  writeKeyedBytes,
  type Alias,
  type RatedSpan,
} from './spill.js';
import { exportMemoryFiles, openSpill, type SpillPlace, type SpillSink } from './store.js';

/** Records of one file get `seq = fileIndex · FILE_SEQ + position`: input order across workers. */
export const FILE_SEQ = 2 ** 32;

/** Everything a worker needs to do its share of a run; plain data. */
export interface EngineConfig extends RunSettings {
  readonly encoding: TextEncoding | undefined;
  readonly cdrColumns: Readonly<Record<string, string>> | undefined;
  readonly billColumns: Readonly<Record<string, string>> | undefined;
  readonly showNumbers: boolean;
  /**
   * Write `rated.csv` lines while reading, in input order (possible when no package makes an
   * amount depend on other calls); otherwise each partition writes them when settled.
   */
  readonly ratedAtIngest: boolean;
  readonly partitions: number;
  /** Where the files written while reading are kept: memory while the month fits the budget. */
  readonly spill: SpillPlace;
  readonly tmpDir: string;
  readonly cdrFiles: readonly string[];
  readonly billFiles: readonly string[];
}

/** A worker's prepared view of the config, and its spill files while it reads. */
export interface Prepared {
  readonly config: EngineConfig;
  readonly plan: RunPlan;
  /** This worker's number: names its spill files. */
  readonly worker: number;
  /** Open from the first file it reads until {@link finishIngest}. */
  spill: SpillWriters | undefined;
}

/**
 * The settings of a run, as plain data a worker thread can be sent: the core's options,
 * with the tariff parsed once (a parsed tariff is plain data), without the progress callback.
 */
export type RunSettings = Omit<ReconcileOptions, 'onProgress'>;

/**
 * Prepares the run once per worker: its plan, from the same settings as every other thread.
 *
 * @param config - the run's config
 * @param worker - the worker's number (0 when the work runs in one thread)
 */
export function prepare(config: EngineConfig, worker: number): Prepared {
  return { config, plan: planRun(config), worker, spill: undefined };
}

/** Where a worker spills: call lines, alias lines and bill lines per partition. */
export const spillFile = {
  calls: (dir: string, worker: number, partition: number) =>
    join(dir, `w${worker}-c${partition}.bin`),
  aliases: (dir: string, worker: number, partition: number) =>
    join(dir, `w${worker}-a${partition}.bin`),
  bill: (dir: string, worker: number, partition: number) =>
    join(dir, `w${worker}-b${partition}.bin`),
  billWithoutId: (dir: string, worker: number) => join(dir, `w${worker}-bnone.bin`),
  rated: (dir: string, partition: number) => join(dir, `rated-${partition}.bin`),
  ratedOfFile: (dir: string, file: number) => join(dir, `rated-file-${file}.csv`),
  run: (dir: string, partition: number) => join(dir, `run-${partition}.bin`),
};

/** Write buffers a worker holds for its spill files, in all (about). */
const SPILL_BUFFER_BYTES = 128 * 1024 * 1024;
const MIN_SPILL_CHUNK_BYTES = 64 * 1024;

/**
 * The spill writers of one worker, opened on first use, looked up by partition. Each writes
 * in chunks as large as the worker's buffer budget allows for three files a partition.
 */
class SpillWriters {
  private readonly open: SpillSink[] = [];
  private readonly byPartition: Map<string, (SpillSink | undefined)[]> = new Map();
  private withoutIdWriter: SpillSink | undefined;
  readonly chunkBytes: number;

  constructor(
    private readonly dir: string,
    private readonly worker: number,
    partitions: number,
    private readonly place: SpillPlace,
  ) {
    const share = Math.floor(SPILL_BUFFER_BYTES / (3 * partitions + 2) / 4096) * 4096;
    this.chunkBytes = Math.max(MIN_SPILL_CHUNK_BYTES, Math.min(CHUNK_BYTES, share));
  }

  get(kind: 'calls' | 'aliases' | 'bill', partition: number): SpillSink {
    let list = this.byPartition.get(kind);
    if (list === undefined) {
      list = [];
      this.byPartition.set(kind, list);
    }
    let writer = list[partition];
    if (writer === undefined) {
      writer = openSpill(
        spillFile[kind](this.dir, this.worker, partition),
        this.place,
        this.chunkBytes,
      );
      list[partition] = writer;
      this.open.push(writer);
    }
    return writer;
  }

  withoutId(): SpillSink {
    if (this.withoutIdWriter === undefined) {
      this.withoutIdWriter = openSpill(
        spillFile.billWithoutId(this.dir, this.worker),
        this.place,
        this.chunkBytes,
      );
      this.open.push(this.withoutIdWriter);
    }
    return this.withoutIdWriter;
  }

  async drain(): Promise<void> {
    for (const writer of this.open) await writer.drain();
  }

  async close(): Promise<void> {
    await Promise.all(this.open.map((writer) => writer.close()));
  }
}

/** One file's counts, as SPEC §5.1 `inputs` needs them. */
export interface FileCounts {
  readonly role: 'cdrs' | 'bill';
  readonly index: number;
  readonly sha256: string;
  readonly records: number;
  readonly rejected: number;
  /** Bytes of `rated.csv` lines written while reading it (CDR files, without packages). */
  readonly ratedBytes: number;
}

/** What reading a share of the files returns. */
export interface IngestResult {
  readonly files: FileCounts[];
  readonly rejected: RejectedAt[];
  readonly tally: TallyData;
}

/** Reader options for one file, and the file's counts once it has been read. */
function fileReading(
  config: EngineConfig,
  columns: Readonly<Record<string, string>> | undefined,
): {
  options: {
    encoding?: TextEncoding;
    columns?: Readonly<Record<string, string>>;
    onFile: (info: InputFileInfo) => void;
  };
  counts: (role: 'cdrs' | 'bill', index: number, position: number, rejected: number) => FileCounts;
} {
  let info: InputFileInfo | undefined;
  return {
    options: {
      ...(config.encoding && { encoding: config.encoding }),
      ...(columns && { columns }),
      onFile: (found) => {
        info = found;
      },
    },
    counts: (role, index, position, rejected) => ({
      role,
      index,
      sha256: info?.sha256 ?? '',
      records: info?.records ?? position,
      rejected,
      ratedBytes: 0,
    }),
  };
}

/** Called with how many records and rows a task has read so far. */
export type ProgressSink = (records: number) => void;

/**
 * Reads, validates and rates some input files, and spills every usable call and bill call
 * row to the partition of its id (with an alias for an icid that falls elsewhere), in this
 * worker's spill files, which stay open for the next files until {@link finishIngest}.
 * Counts what it reads; rejected records come back with their input position.
 *
 * @param prepared - the worker's prepared config
 * @param cdrIndices - indices into `config.cdrFiles` to read
 * @param billIndices - indices into `config.billFiles` to read
 */
export async function ingest(
  prepared: Prepared,
  cdrIndices: readonly number[],
  billIndices: readonly number[],
  progress?: ProgressSink,
): Promise<IngestResult> {
  const { config, plan } = prepared;
  const intake = new Intake(plan);
  const files: FileCounts[] = [];
  const ratedContext = { tariff: plan.tariff, zone: plan.reportZone };
  const ratedOptions = { showNumbers: config.showNumbers };
  const writers = (prepared.spill ??= new SpillWriters(
    config.tmpDir,
    prepared.worker,
    config.partitions,
    config.spill,
  ));
  const partitions = config.partitions;
  let read = 0;
  const rejectedOf = (role: 'cdrs' | 'bill', path: string): number =>
    intake.inputs.entry(role, path).rejected;
  try {
    for (const index of cdrIndices) {
      const path = config.cdrFiles[index] as string;
      let position = 0;
      const file = fileReading(config, config.cdrColumns);
      const ratedOut = config.ratedAtIngest
        ? openSpill(spillFile.ratedOfFile(config.tmpDir, index), config.spill)
        : undefined;
      for await (const batch of readCdrBatches([path], file.options)) {
        for (const item of batch) {
          const seq = index * FILE_SEQ + position;
          if (item.type !== 'skipped') position++;
          const call = intake.cdr(item, seq);
          if (call === undefined) continue;
          let span: RatedSpan | undefined;
          if (ratedOut !== undefined && call.inPeriod) {
            // No packages: the amount is final now. The line's place is kept with the call,
            // so that a record that turns out not to be kept is cut when lines are joined.
            const offset = ratedOut.position;
            const charged = chargeCall(call, 0, plan.tariff);
            const target = ratedOut.reserve(ratedLineMaxBytes(charged, ratedContext));
            ratedOut.commit(
              encodeRatedLine(charged, ratedContext, ratedOptions, target, ratedOut.offset),
            );
            span = { offset, bytes: ratedOut.position - offset };
          }
          const partition = partitionOf(call.callId, partitions);
          writeCall(writers.get('calls', partition), call, index, span);
          if (call.icid !== undefined && call.icid !== call.callId) {
            // Where to look when a bill names the call by its icid (SPEC §4.1); a record that
            // turns out not to be kept is skipped when the aliases are read.
            writeAlias(
              writers.get('aliases', partitionOf(call.icid, partitions)),
              call.icid,
              partition,
              seq,
            );
          }
        }
        read += batch.length;
        progress?.(read);
        await writers.drain();
        await ratedOut?.drain();
      }
      await ratedOut?.close();
      files.push({
        ...file.counts('cdrs', index, position, rejectedOf('cdrs', path)),
        ratedBytes: ratedOut?.position ?? 0,
      });
    }
    for (const index of billIndices) {
      const path = config.billFiles[index] as string;
      let position = 0;
      const file = fileReading(config, config.billColumns);
      for await (const batch of readBillBatches([path], file.options)) {
        for (const item of batch) {
          const row = intake.bill(item, index * FILE_SEQ + position++);
          if (row === undefined) continue;
          const writer =
            row.callId === undefined
              ? writers.withoutId()
              : writers.get('bill', partitionOf(row.callId, partitions));
          writeBillRow(writer, row, index);
        }
        read += batch.length;
        progress?.(read);
        await writers.drain();
      }
      files.push(file.counts('bill', index, position, rejectedOf('bill', path)));
    }
  } catch (error) {
    await finishIngest(prepared);
    throw error;
  }
  return { files, rejected: intake.rejected, tally: intake.tally.toData() };
}

/**
 * Closes a worker's spill files once every file has been read.
 *
 * @returns the files it kept in memory, for the other threads to read
 */
export async function finishIngest(prepared: Prepared): Promise<Record<string, Uint8Array[]>> {
  const writers = prepared.spill;
  prepared.spill = undefined;
  await writers?.close();
  return prepared.config.spill === 'memory' ? exportMemoryFiles(prepared.config.tmpDir) : {};
}

/**
 * The aliases of an alias partition whose icid is one of `icids` (kept or not: the caller
 * knows which records were dropped).
 */
export async function findAliases(
  prepared: Prepared,
  partition: number,
  workers: number,
  icids: readonly string[],
): Promise<Alias[]> {
  const wanted = new Set(icids);
  const found: Alias[] = [];
  const files = Array.from({ length: workers }, (_, w) =>
    spillFile.aliases(prepared.config.tmpDir, w, partition),
  );
  await forEachRecord(files, (buf, at) => {
    const alias = readAlias(buf, at);
    if (wanted.has(alias.icid)) found.push(alias);
  });
  return found;
}

/** A `rated.csv` line, spilled under its input position so that lines can be merged in order. */
function writeKeyedRatedLine(
  out: LineWriter,
  call: ChargedCall,
  context: RowContext,
  options: ReportOptions,
): void {
  writeKeyedBytes(out, call.seq, ratedLineMaxBytes(call, context), (buf, at) =>
    encodeRatedLine(call, context, options, buf, at),
  );
}

/** A call that draws on allowances, as the global allowance pass needs it (SPEC §3.5). */
export interface RunEntry {
  readonly periodMs: number;
  readonly sessionId: string;
  /** Index of the call among its partition's kept calls. */
  readonly index: number;
  /** Only answered calls draw on allowances. */
  readonly answerMs: number;
  readonly bindNum: string;
  readonly serviceType: string | undefined;
  readonly direction: string | undefined;
  readonly mode: string | undefined;
  readonly billedSeconds: number;
}

function writeRunEntry(out: LineWriter, call: RatedCall, index: number): void {
  writeEntry(
    out,
    [call.periodMs, index, call.answerMs, call.billedSeconds],
    [call.callId, call.bindNum, call.serviceType, call.direction, call.mode],
  );
}

/** Reads a run entry that {@link orderPartition} wrote. */
export function readRunEntry(buf: Buffer, at: number): RunEntry {
  const { numbers, texts } = readEntry(buf, at, 4, 5);
  return {
    periodMs: numbers[0] as number,
    index: numbers[1] as number,
    answerMs: numbers[2] as number,
    billedSeconds: numbers[3] as number,
    sessionId: texts[0] as string,
    bindNum: texts[1] as string,
    serviceType: texts[2],
    direction: texts[3],
    mode: texts[4],
  };
}

/** Runs merged by scanning their heads, up to this many; sorted beyond. */
const MAX_SCANNED_RUNS = 8;

/**
 * The indices of records in input order, given their positions in the order read. They come
 * as a few runs already in order (a worker spills a file's records in order, and reads file
 * after file): the runs are merged.
 */
export function inputOrder(seqs: ArrayLike<number>): Int32Array {
  const n = seqs.length;
  const heads: number[] = [];
  for (let i = 0; i < n; i++) {
    if (i === 0 || (seqs[i] as number) < (seqs[i - 1] as number)) heads.push(i);
  }
  const order = new Int32Array(n);
  if (heads.length > MAX_SCANNED_RUNS) {
    for (let i = 0; i < n; i++) order[i] = i;
    return order.sort((a, b) => (seqs[a] as number) - (seqs[b] as number));
  }
  const ends = heads.map((_, r) => heads[r + 1] ?? n);
  for (let out = 0; out < n; out++) {
    let best = -1;
    for (let r = 0; r < heads.length; r++) {
      const head = heads[r] as number;
      if (
        head < (ends[r] as number) &&
        (best < 0 || (seqs[head] as number) < (seqs[heads[best] as number] as number))
      ) {
        best = r;
      }
    }
    order[out] = heads[best] as number;
    heads[best] = (heads[best] as number) + 1;
  }
  return order;
}

/**
 * A partition's calls, added in input order to the reconciler that settles it (re-pushes
 * dropped, conflicts noted); the input positions of the records dropped, and where
 * the `rated.csv` lines of those that had one were written: `[CDR file, offset, bytes]`.
 */
async function loadPartition(
  prepared: Prepared,
  partition: number,
  workers: number,
): Promise<{ reconciler: Reconciler; dropped: number[]; droppedLines: number[] }> {
  const { config } = prepared;
  const files = Array.from({ length: workers }, (_, w) =>
    spillFile.calls(config.tmpDir, w, partition),
  );
  const calls: RatedCall[] = [];
  const seqs: number[] = [];
  const spans: number[] = [];
  await forEachRecord(files, (buf, at) => {
    const call = readCall(buf, at, config.cdrFiles);
    calls.push(call);
    seqs.push(call.seq);
    const span = readRatedSpan(buf, at);
    spans.push(span.offset, span.bytes);
  });
  const reconciler = new Reconciler(prepared.plan);
  const dropped: number[] = [];
  const droppedLines: number[] = [];
  for (const i of inputOrder(seqs)) {
    const call = calls[i] as RatedCall;
    if (reconciler.add(call) === 'kept') continue;
    dropped.push(call.seq);
    const bytes = spans[2 * i + 1] as number;
    if (bytes > 0)
      droppedLines.push(Math.floor(call.seq / FILE_SEQ), spans[2 * i] as number, bytes);
  }
  return { reconciler, dropped, droppedLines };
}

/**
 * SPEC §3.5 across partitions, first step: the calls of a partition that draw on
 * allowances, sorted in consumption order, written as a run for a global merge.
 *
 * @returns the run file
 */
export async function orderPartition(
  prepared: Prepared,
  partition: number,
  workers: number,
): Promise<string> {
  const { reconciler } = await loadPartition(prepared, partition, workers);
  const drawing = reconciler.drawing();
  const file = spillFile.run(prepared.config.tmpDir, partition);
  const out = new LineWriter(file);
  for (const { call, index } of drawing) {
    if (index % 1024 === 0) await out.drain();
    writeRunEntry(out, call, index);
  }
  await out.close();
  return file;
}

/** What settling a partition returns. */
export interface SettleResult {
  readonly partition: number;
  readonly tally: TallyData;
  /** Bill call rows no call of the partition matched by id, in file order. */
  readonly leftoverRows: BilledItem[];
  /** Answered calls no row matched by id, in input order. */
  readonly leftoverCalls: ChargedCall[];
  /** Input positions of the records that are not kept (re-pushes, conflicts). */
  readonly dropped: number[];
  /** Their `rated.csv` lines written while reading: `[CDR file, offset, bytes]` each. */
  readonly droppedLines: number[];
}

/**
 * Settles one partition: deduplicates its calls, charges them (with the package seconds the
 * global allowance pass gave), matches its bill rows by id in file order and classifies
 * every pair, counts our side, and writes its calls of the period as `rated.csv` lines
 * prefixed with their input position.
 *
 * @param packageSeconds - `[index of kept call, seconds]` from the allowance pass
 * @param injected - bill rows from other partitions that name an icid of this one, as
 *   {@link billRowBytes} wrote them
 */
export async function settlePartition(
  prepared: Prepared,
  partition: number,
  workers: number,
  packageSeconds: readonly (readonly [number, number])[],
  injected: readonly Uint8Array[],
): Promise<SettleResult> {
  const { config, plan } = prepared;
  const { reconciler, dropped, droppedLines } = await loadPartition(prepared, partition, workers);
  // The package seconds come from the month-wide pass over every partition (SPEC §3.5).
  reconciler.charge(packageSeconds);

  // The bill rows stay as bytes, off the JavaScript heap, and each is read when it is
  // matched, in file order: only leftovers outlive their turn.
  const files = Array.from({ length: workers }, (_, w) =>
    spillFile.bill(config.tmpDir, w, partition),
  );
  const { chunks, records } = await collectRecords(files);
  const seqs = new Float64Array(records.length / 2);
  for (let i = 0; i < seqs.length; i++) {
    seqs[i] = readBillRowSeq(
      chunks[records[2 * i] as number] as Buffer,
      records[2 * i + 1] as number,
    );
  }
  // A row naming an icid is found through the alias files and sent to the partition of
  // its call (maybe its own, then it is read once): only such rows are looked up by icid.
  const sent = injected
    .map((bytes) =>
      readSpilledBillRow(
        Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength),
        0,
        config.billFiles,
      ),
    )
    .sort((a, b) => a.seq - b.seq);
  const match = (row: BilledItem, byIcid: boolean): void => {
    reconciler.match(row, byIcid ? 'key-or-icid' : 'key');
  };
  let next = 0;
  for (const i of inputOrder(seqs)) {
    const seq = seqs[i] as number;
    while (next < sent.length && (sent[next] as BilledItem).seq < seq)
      match(sent[next++] as BilledItem, true);
    const own = next < sent.length && (sent[next] as BilledItem).seq === seq;
    if (own) next++;
    const buf = chunks[records[2 * i] as number] as Buffer;
    match(readSpilledBillRow(buf, records[2 * i + 1] as number, config.billFiles), own);
  }
  while (next < sent.length) match(sent[next++] as BilledItem, true);

  const settled = reconciler.settle();
  if (!config.ratedAtIngest) {
    const rated = new LineWriter(spillFile.rated(config.tmpDir, partition));
    const rowContext = { tariff: plan.tariff, zone: plan.reportZone };
    const options = { showNumbers: config.showNumbers };
    for (const call of settled.calls) {
      if (!call.inPeriod) continue;
      if (call.seq % 1024 === 0) await rated.drain();
      writeKeyedRatedLine(rated, call, rowContext, options);
    }
    await rated.close();
  }
  return {
    partition,
    tally: settled.tally,
    leftoverRows: settled.leftoverRows,
    leftoverCalls: settled.leftoverCalls,
    dropped,
    droppedLines,
  };
}
