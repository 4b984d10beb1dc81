import { EngineError } from '../errors.js';
import { writeFile } from 'node:fs/promises';
import {
  Reconciler,
  type BilledItem,
  type ChargedCall,
  type RatedCall,
  type RowContext,
  type TallyData,
} from '../../core/reconcile/index.js';
import { LineWriter } from '../report/line-writer.js';
import { encodeRatedLine, ratedLineMaxBytes } from '../report/rated-line.js';
import type { ReportOptions } from '../report/write-report.js';
import {
  readBillRow as readSpilledBillRow,
  collectRecords,
  forEachRecord,
  readBillRowSeq,
  readCall,
  readEntry,
  readRatedSpan,
  writeEntry,
  writeKeyedBytes,
} from './spill.js';
import { FILE_SEQ, spillFile, type EngineConfig, type Prepared } from './config.js';
import { encodeMatchedCalls, type CallPlace } from './matched-calls.js';

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
 * dropped, conflicts noted); the input positions of the records dropped, where
 * the `rated.csv` lines of those that had one were written: `[CDR file, offset, bytes]`,
 * and where each call's spill record is.
 */
async function loadPartition(
  prepared: Prepared,
  partition: number,
  workers: number,
): Promise<{
  reconciler: Reconciler;
  dropped: number[];
  droppedLines: number[];
  placeOf: (call: ChargedCall) => CallPlace;
}> {
  const { config } = prepared;
  const files = Array.from({ length: workers }, (_, w) =>
    spillFile.calls(config.tmpDir, w, partition),
  );
  const calls: RatedCall[] = [];
  const seqs: number[] = [];
  const spans: number[] = [];
  const places: number[] = [];
  await forEachRecord(files, (buf, at, _length, file, position) => {
    const call = readCall(buf, at, config.cdrFiles);
    calls.push(call);
    seqs.push(call.seq);
    const span = readRatedSpan(buf, at);
    spans.push(span.offset, span.bytes);
    places.push(file, position);
  });
  const reconciler = new Reconciler(prepared.plan);
  const dropped: number[] = [];
  const droppedLines: number[] = [];
  const order = inputOrder(seqs);
  const placeOf = placesBySeq(seqs, order, places);
  for (const i of order) {
    const call = calls[i] as RatedCall;
    if (reconciler.add(call) === 'kept') continue;
    dropped.push(call.seq);
    const bytes = spans[2 * i + 1] as number;
    if (bytes > 0)
      droppedLines.push(Math.floor(call.seq / FILE_SEQ), spans[2 * i] as number, bytes);
  }
  return { reconciler, dropped, droppedLines, placeOf };
}

/**
 * Where each call's spill record is, by its input position (a record's alone), found by
 * halving the input order. Made apart from the records read, so that it keeps only these
 * numbers alive, not the calls.
 */
function placesBySeq(
  seqs: readonly number[],
  order: Int32Array,
  places: readonly number[],
): (call: ChargedCall) => CallPlace {
  return (call) => {
    let low = 0;
    let high = order.length - 1;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if ((seqs[order[mid] as number] as number) < call.seq) low = mid + 1;
      else high = mid;
    }
    const i = order[low] as number;
    if (seqs[i] !== call.seq) {
      throw new EngineError(
        `call ${call.callId} (input position ${call.seq}) is not in its partition's spill`,
      );
    }
    return { file: places[2 * i] as number, position: places[2 * i + 1] as number };
  };
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
  /**
   * The answered calls matched by id, as `encodeMatchedCalls` wrote them: the bytes, or the
   * spill file they were written to when the spill is on disk (a 10M-call month's pairs
   * would take 1.5 GB of the main thread's memory).
   */
  readonly matched: Uint8Array[] | string;
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
  const { reconciler, dropped, droppedLines, placeOf } = await loadPartition(
    prepared,
    partition,
    workers,
  );
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
    matched: await keepMatched(
      config,
      partition,
      encodeMatchedCalls(settled.pairs, config.billFiles, placeOf),
    ),
  };
}

/** The matched calls' bytes, or on disk with the rest of the spill: the file's path. */
async function keepMatched(
  config: EngineConfig,
  partition: number,
  chunks: Uint8Array[],
): Promise<Uint8Array[] | string> {
  if (config.spill !== 'disk') return chunks;
  const file = spillFile.matched(config.tmpDir, partition);
  await writeFile(file, chunks);
  return file;
}
