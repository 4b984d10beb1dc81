import { parseMinutes } from '../../core/money/index.js';
import type { BilledItem, RatedCall } from '../../core/reconcile/index.js';
import { endRecord, Fields, putNumber, putRecord, putText, textBound } from './spill-codec.js';
import type { SpillSink } from './store.js';
import { spillFile } from './config.js';
import { MAX_OPEN_FILES, RecordsAt } from './spill-cursor.js';

// The record layouts of the spill: calls, bill rows, aliases, keyed lines, run entries. The
// hash that picks a partition, the codec and the reader are in spill-hash.ts,
// spill-codec.ts and spill-cursor.ts.
export { idHash, partitionOf, partitionOfHash } from './spill-hash.js';
export {
  collectRecords,
  forEachRecord,
  readRecords,
  RecordCursor,
  RecordsAt,
} from './spill-cursor.js';

/**
 * Where a call's `rated.csv` line was written while reading: its byte offset in the file of
 * its CDR file's lines, and its length (0: none written).
 */
export interface RatedSpan {
  readonly offset: number;
  readonly bytes: number;
}

/**
 * A call record's numbers, before its texts: seq (f64), its file (u32), line, answerMs,
 * endMs, periodMs (f64), inPeriod (u8), seconds (f64), rateIndex (i32), billedSeconds (f64),
 * then its rated span: offset (f64), bytes (u32).
 */
const CALL_NUMBER_BYTES = 8 + 4 + 4 * 8 + 1 + 8 + 4 + 8 + 8 + 4;
const RATED_SPAN_BYTES = 12;

/**
 * Spills a rated call (before charging); its source is an index into a list, its rated
 * span (see {@link RatedSpan}) given as its two numbers.
 */
export function writeCall(
  out: SpillSink,
  call: RatedCall,
  sourceIndex: number,
  ratedOffset = 0,
  ratedBytes = 0,
): void {
  const bound =
    CALL_NUMBER_BYTES +
    textBound(call.sessionId) +
    textBound(call.icid) +
    textBound(call.callerNum) +
    textBound(call.bindNum) +
    textBound(call.fwdDstNum) +
    textBound(call.serviceType) +
    textBound(call.direction) +
    textBound(call.mode);
  // Encoded here, not through putRecord: no closure made a call.
  const buf = out.reserve(4 + bound);
  const start = out.offset;
  let at = putNumber(buf, start + 4, call.seq);
  buf.writeUInt32LE(sourceIndex, at);
  at = putNumber(buf, at + 4, call.line);
  at = putNumber(buf, at, call.answerMs);
  at = putNumber(buf, at, call.endMs);
  at = putNumber(buf, at, call.periodMs);
  buf[at] = call.inPeriod ? 1 : 0;
  at = putNumber(buf, at + 1, call.seconds);
  buf.writeInt32LE(call.rateIndex, at);
  at = putNumber(buf, at + 4, call.billedSeconds);
  at = putNumber(buf, at, ratedOffset);
  buf.writeUInt32LE(ratedBytes, at);
  at += 4;
  // The key is the sessionId, else the icid (SPEC §3.6): not written twice.
  at = putText(buf, at, call.sessionId);
  at = putText(buf, at, call.icid);
  at = putText(buf, at, call.callerNum);
  at = putText(buf, at, call.bindNum);
  at = putText(buf, at, call.fwdDstNum);
  at = putText(buf, at, call.serviceType);
  at = putText(buf, at, call.direction);
  endRecord(out, buf, start, putText(buf, at, call.mode));
}

/** Reads a call written by {@link writeCall}. */
export function readCall(buf: Buffer, at: number, sources: readonly string[]): RatedCall {
  const f = new Fields(buf, at);
  const seq = f.number();
  const source = sources[f.u32()] as string;
  const line = f.number();
  const answerMs = f.optionalNumber();
  const endMs = f.number();
  const periodMs = f.number();
  const inPeriod = f.u8() === 1;
  const seconds = f.number();
  const rateIndex = f.i32();
  const billedSeconds = f.number();
  f.skip(RATED_SPAN_BYTES); // its rated span: readRatedSpan
  const sessionId = f.text();
  const icid = f.text();
  return {
    seq,
    source,
    line,
    callId: (sessionId ?? icid) as string,
    sessionId,
    icid,
    callerNum: f.text() ?? '',
    bindNum: f.text() ?? '',
    fwdDstNum: f.text() ?? '',
    serviceType: f.text(),
    direction: f.text(),
    mode: f.text(),
    answerMs,
    endMs,
    periodMs,
    inPeriod,
    seconds,
    rateIndex,
    billedSeconds,
  };
}

/**
 * Reads single calls from the calls spill by where their record is: the partition, the
 * worker whose file holds it, its position there (see {@link RecordsAt}).
 *
 * @example
 * const calls = new CallsAt(config.tmpDir, config.cdrFiles, workers);
 * try { calls.read(partition, file, position).icid; } finally { calls.close(); }
 */
export class CallsAt {
  private readonly records: RecordsAt;

  /**
   * @param dir - the run's spill folder
   * @param sources - the CDR files, by index
   * @param workers - the run's workers: a partition's calls are in one file a worker, read in
   *   turn, so as many stay open
   */
  constructor(
    private readonly dir: string,
    private readonly sources: readonly string[],
    workers: number,
  ) {
    this.records = new RecordsAt(Math.max(MAX_OPEN_FILES, workers));
  }

  read(partition: number, file: number, position: number): RatedCall {
    const { buf, at } = this.records.read(spillFile.calls(this.dir, file, partition), position);
    return readCall(buf, at, this.sources);
  }

  /** Closes the files opened on disk. */
  close(): void {
    this.records.close();
  }
}

/** The rated span of a call written by {@link writeCall}. */
export function readRatedSpan(buf: Buffer, at: number): RatedSpan {
  // After ten numbers.
  const span = at + CALL_NUMBER_BYTES - RATED_SPAN_BYTES;
  return { offset: buf.readDoubleLE(span), bytes: buf.readUInt32LE(span + 8) };
}

/** Bytes a bill row's record can take at most. */
function billRowBound(row: BilledItem): number {
  return (
    64 +
    textBound(row.item) +
    textBound(row.callId) +
    textBound(row.callerNum) +
    textBound(row.privateNum) +
    textBound(row.calleeNum) +
    textBound(row.billedMinutes?.text) +
    textBound(row.packageMinutes?.text) +
    textBound(row.unitPrice) +
    textBound(row.unitPriceValue)
  );
}

/** Spills a validated bill call row; its source is an index into a list. */
export function writeBillRow(out: SpillSink, row: BilledItem, sourceIndex: number): void {
  const buf = out.reserve(4 + billRowBound(row));
  const start = out.offset;
  endRecord(out, buf, start, encodeBillRow(buf, start + 4, row, sourceIndex));
}

/** A bill call row as the bytes of one record (without its length), to send elsewhere. */
export function billRowBytes(row: BilledItem, sourceIndex: number): Uint8Array {
  const buf = Buffer.allocUnsafe(billRowBound(row));
  return buf.subarray(0, encodeBillRow(buf, 0, row, sourceIndex));
}

function encodeBillRow(buf: Buffer, start: number, row: BilledItem, sourceIndex: number): number {
  let at = putNumber(buf, start, row.seq);
  at = putNumber(buf, at, sourceIndex);
  at = putNumber(buf, at, row.line);
  at = putNumber(buf, at, row.amount);
  at = putNumber(buf, at, row.answerMs);
  at = putNumber(buf, at, row.endMs);
  at = putNumber(buf, at, row.billedSeconds);
  at = putText(buf, at, row.item);
  at = putText(buf, at, row.callId);
  at = putText(buf, at, row.callerNum);
  at = putText(buf, at, row.privateNum);
  at = putText(buf, at, row.calleeNum);
  at = putText(buf, at, row.billedMinutes?.text);
  at = putText(buf, at, row.packageMinutes?.text);
  at = putText(buf, at, row.unitPrice);
  return putText(buf, at, row.unitPriceValue);
}

/** The input position of a bill row written by {@link writeBillRow}, without reading it. */
export function readBillRowSeq(buf: Buffer, at: number): number {
  return buf.readDoubleLE(at);
}

/** Reads a bill row written by {@link writeBillRow} or {@link billRowBytes}. */
export function readBillRow(buf: Buffer, at: number, sources: readonly string[]): BilledItem {
  const f = new Fields(buf, at);
  const seq = f.number();
  const source = sources[f.number()] as string;
  const line = f.number();
  const amount = f.number();
  const answerMs = f.optionalNumber();
  const endMs = f.optionalNumber();
  const billedSeconds = f.optionalNumber();
  const item = f.text() ?? 'call';
  const callId = f.text();
  const callerNum = f.text();
  const privateNum = f.text();
  const calleeNum = f.text();
  const billedMinutes = f.text();
  const packageMinutes = f.text();
  return {
    seq,
    source,
    line,
    isCall: true,
    item,
    amount,
    callId,
    callerNum,
    privateNum,
    calleeNum,
    answerMs,
    endMs,
    billedSeconds,
    billedMinutes: billedMinutes === undefined ? undefined : parseMinutes(billedMinutes),
    packageMinutes: packageMinutes === undefined ? undefined : parseMinutes(packageMinutes),
    unitPrice: f.text(),
    unitPriceValue: f.text(),
  };
}

/** A call a bill can find by its icid: the icid, the partition of the call's key, its seq. */
export interface Alias {
  readonly icid: string;
  readonly partition: number;
  readonly seq: number;
}

/**
 * An alias as spilled: the partition of the call's key, its seq, and where its spill
 * record is (the worker that wrote it, its position in that worker's calls file of the
 * partition), which holds the icid itself.
 */
export interface AliasRecord {
  readonly partition: number;
  readonly seq: number;
  readonly file: number;
  readonly position: number;
}

/** Bytes of an alias record after its length. */
const ALIAS_BYTES = 28;

/**
 * Spills an alias under the {@link idHash} of its icid: a reader looking for some icids
 * skips the others on it, and reads the icid of a call whose hash is wanted from the call's
 * own record (the icid is not written twice).
 */
export function writeAlias(out: SpillSink, hash: number, alias: AliasRecord): void {
  const buf = out.reserve(4 + ALIAS_BYTES);
  const start = out.offset;
  buf.writeUInt32LE(alias.partition, start + 4);
  buf.writeDoubleLE(alias.seq, start + 8);
  buf.writeUInt32LE(hash, start + 16);
  buf.writeUInt32LE(alias.file, start + 20);
  buf.writeDoubleLE(alias.position, start + 24);
  endRecord(out, buf, start, start + 4 + ALIAS_BYTES);
}

/** The {@link idHash} of the icid of an alias written by {@link writeAlias}. */
export function aliasHash(buf: Buffer, at: number): number {
  return buf.readUInt32LE(at + 12);
}

/** Reads an alias written by {@link writeAlias}. */
export function readAlias(buf: Buffer, at: number): AliasRecord {
  return {
    partition: buf.readUInt32LE(at),
    seq: buf.readDoubleLE(at + 4),
    file: buf.readUInt32LE(at + 16),
    position: buf.readDoubleLE(at + 20),
  };
}

/** Spills a line of text (already encoded bytes) under a number that orders it. */
export function writeKeyedBytes(
  out: SpillSink,
  key: number,
  bytes: number,
  encode: (buf: Buffer, at: number) => number,
): void {
  putRecord(out, 8 + bytes, (buf, start) => encode(buf, putNumber(buf, start, key)));
}

/** The key of a record written by {@link writeKeyedBytes}. */
export function keyOf(buf: Buffer, at: number): number {
  return buf.readDoubleLE(at);
}

/** Spills a run entry: numbers then texts, for the allowance merge. */
export function writeEntry(
  out: SpillSink,
  numbers: readonly (number | undefined)[],
  texts: readonly (string | undefined)[],
): void {
  let bound = 8 * numbers.length;
  for (const value of texts) bound += textBound(value);
  putRecord(out, bound, (buf, start) => {
    let at = start;
    for (const value of numbers) at = putNumber(buf, at, value);
    for (const value of texts) at = putText(buf, at, value);
    return at;
  });
}

/** Reads an entry written by {@link writeEntry}, given how many numbers and texts it has. */
export function readEntry(
  buf: Buffer,
  at: number,
  numbers: number,
  texts: number,
): { numbers: (number | undefined)[]; texts: (string | undefined)[] } {
  const f = new Fields(buf, at);
  return {
    numbers: Array.from({ length: numbers }, () => f.optionalNumber()),
    texts: Array.from({ length: texts }, () => f.text()),
  };
}
