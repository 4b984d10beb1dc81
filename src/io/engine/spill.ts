import { EngineError } from '../errors.js';
import { open, type FileHandle } from 'node:fs/promises';
import { parseMinutes } from '../../core/money/index.js';
import type { BilledItem, RatedCall } from '../../core/reconcile/index.js';
import { readLatin1, readUtf16, writeUtf16, writeUtf8 } from '../bytes.js';
import { memoryFile, type SpillSink } from './store.js';

/**
 * The partition of an id: FNV-1a over its UTF-16 code units, in two interleaved lanes (odd
 * and even units) so that the multiplications of one lane overlap those of the other. Stable
 * across runs and machines, so the same month always splits the same way.
 *
 * @param id - a call id
 * @param partitions - how many partitions there are
 */
export function partitionOf(id: string, partitions: number): number {
  if (partitions === 1) return 0;
  let even = 0x811c9dc5;
  let odd = 0x050c5d1f;
  const n = id.length;
  let i = 0;
  for (; i + 1 < n; i += 2) {
    even = Math.imul(even ^ id.charCodeAt(i), 0x01000193);
    odd = Math.imul(odd ^ id.charCodeAt(i + 1), 0x01000193);
  }
  if (i < n) even = Math.imul(even ^ id.charCodeAt(i), 0x01000193);
  return ((even ^ Math.imul(odd ^ n, 0x9e3779b1)) >>> 0) % partitions;
}

// Spill records are binary: a u32 length, then the record. Numbers are little-endian
// float64 (NaN for an absent one) or u32; a text is a u32 header, its byte length × 4 plus
// a kind (0 absent, 1 ASCII, 2 UTF-16), then its bytes. ASCII is the common case; any other
// text is kept as UTF-16 so that it comes back exactly (lone surrogates too, which UTF-8
// cannot hold).

const ABSENT = 0;
/** Texts up to this long are copied by a loop; longer ones by Buffer's encoder (measured). */
const SHORT_TEXT = 24;
const ASCII = 1;
const UTF16 = 2;

/** Bytes a text can take at most (UTF-8 when trying ASCII: 3 a code unit; header). */
function textBound(value: string | undefined): number {
  return value === undefined ? 4 : 4 + value.length * 3;
}

function putText(buf: Buffer, at: number, value: string | undefined): number {
  if (value === undefined) {
    buf.writeUInt32LE(ABSENT, at);
    return at + 4;
  }
  const n = value.length;
  if (n <= SHORT_TEXT) {
    // Numbers, codes, amounts: copied here faster than through a native call.
    let i = 0;
    for (; i < n; i++) {
      const c = value.charCodeAt(i);
      if (c > 0x7f) break;
      buf[at + 4 + i] = c;
    }
    if (i === n) {
      buf.writeUInt32LE(n * 4 + ASCII, at);
      return at + 4 + n;
    }
  }
  let bytes = writeUtf8(buf, value, at + 4);
  let kind = ASCII;
  // Every code unit past U+007F takes two bytes or more in UTF-8.
  if (bytes !== n) {
    bytes = writeUtf16(buf, value, at + 4);
    kind = UTF16;
  }
  buf.writeUInt32LE(bytes * 4 + kind, at);
  return at + 4 + bytes;
}

function putNumber(buf: Buffer, at: number, value: number | undefined): number {
  buf.writeDoubleLE(value ?? Number.NaN, at);
  return at + 8;
}

/** Reads a record's fields in order. */
class Fields {
  constructor(
    private readonly buf: Buffer,
    private at: number,
  ) {}

  number(): number {
    const value = this.buf.readDoubleLE(this.at);
    this.at += 8;
    return value;
  }

  skip(bytes: number): void {
    this.at += bytes;
  }

  optionalNumber(): number | undefined {
    const value = this.number();
    return Number.isNaN(value) ? undefined : value;
  }

  text(): string | undefined {
    const header = this.buf.readUInt32LE(this.at);
    const start = this.at + 4;
    const end = start + (header >>> 2);
    this.at = end;
    const kind = header & 3;
    if (kind === ABSENT) return undefined;
    return kind === ASCII ? readLatin1(this.buf, start, end) : readUtf16(this.buf, start, end);
  }
}

/**
 * Writes one record: reserves room for `bound` bytes, lets `encode` fill them from an offset
 * and return the offset after, and frames them with their length.
 */
function putRecord(
  out: SpillSink,
  bound: number,
  encode: (buf: Buffer, at: number) => number,
): void {
  const buf = out.reserve(4 + bound);
  const start = out.offset;
  const end = encode(buf, start + 4);
  buf.writeUInt32LE(end - start - 4, start);
  out.commit(end);
}

/**
 * Where a call's `rated.csv` line was written while reading: its byte offset in the file of
 * its CDR file's lines, and its length (0: none written).
 */
export interface RatedSpan {
  readonly offset: number;
  readonly bytes: number;
}

const NO_SPAN: RatedSpan = { offset: 0, bytes: 0 };

/** Spills a rated call (before charging); its source is an index into a list. */
export function writeCall(
  out: SpillSink,
  call: RatedCall,
  sourceIndex: number,
  rated: RatedSpan = NO_SPAN,
): void {
  const bound =
    96 +
    textBound(call.sessionId) +
    textBound(call.icid) +
    textBound(call.callerNum) +
    textBound(call.bindNum) +
    textBound(call.fwdDstNum) +
    textBound(call.serviceType) +
    textBound(call.direction) +
    textBound(call.mode);
  putRecord(out, bound, (buf, start) => {
    let at = putNumber(buf, start, call.seq);
    at = putNumber(buf, at, sourceIndex);
    at = putNumber(buf, at, call.line);
    at = putNumber(buf, at, call.answerMs);
    at = putNumber(buf, at, call.endMs);
    at = putNumber(buf, at, call.periodMs);
    at = putNumber(buf, at, call.inPeriod ? 1 : 0);
    at = putNumber(buf, at, call.seconds);
    at = putNumber(buf, at, call.rateIndex);
    at = putNumber(buf, at, call.billedSeconds);
    at = putNumber(buf, at, rated.offset);
    at = putNumber(buf, at, rated.bytes);
    // The key is the sessionId, else the icid (SPEC §3.6): not written twice.
    at = putText(buf, at, call.sessionId);
    at = putText(buf, at, call.icid);
    at = putText(buf, at, call.callerNum);
    at = putText(buf, at, call.bindNum);
    at = putText(buf, at, call.fwdDstNum);
    at = putText(buf, at, call.serviceType);
    at = putText(buf, at, call.direction);
    return putText(buf, at, call.mode);
  });
}

/** Reads a call written by {@link writeCall}. */
export function readCall(buf: Buffer, at: number, sources: readonly string[]): RatedCall {
  const f = new Fields(buf, at);
  const seq = f.number();
  const source = sources[f.number()] as string;
  const line = f.number();
  const answerMs = f.optionalNumber();
  const endMs = f.number();
  const periodMs = f.number();
  const inPeriod = f.number() === 1;
  const seconds = f.number();
  const rateIndex = f.number();
  const billedSeconds = f.number();
  f.skip(16); // its rated span: readRatedSpan
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

/** The rated span of a call written by {@link writeCall}. */
export function readRatedSpan(buf: Buffer, at: number): RatedSpan {
  // After ten numbers.
  return { offset: buf.readDoubleLE(at + 80), bytes: buf.readDoubleLE(at + 88) };
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
  putRecord(out, billRowBound(row), (buf, start) => encodeBillRow(buf, start, row, sourceIndex));
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

/** Where a bill can find a call by its icid: the partition of the call's key, and its position. */
export interface Alias {
  readonly icid: string;
  readonly partition: number;
  readonly seq: number;
}

/** Spills an alias. */
export function writeAlias(out: SpillSink, icid: string, partition: number, seq: number): void {
  putRecord(out, 16 + textBound(icid), (buf, start) => {
    let at = putNumber(buf, start, partition);
    at = putNumber(buf, at, seq);
    return putText(buf, at, icid);
  });
}

/** Reads an alias written by {@link writeAlias}. */
export function readAlias(buf: Buffer, at: number): Alias {
  const f = new Fields(buf, at);
  const partition = f.number();
  const seq = f.number();
  return { icid: f.text() as string, partition, seq };
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

/**
 * Reads the records of a spill file one at a time. After `advance()` returns `true` (or
 * `next()` resolves `true`), the record is in `buf` from `at` for `length` bytes, until the
 * next move. `advance()` moves within what has been read, without waiting: read loops wait
 * (`load()`) once a chunk, not once a record.
 */
export class RecordCursor {
  buf: Buffer;
  at = 0;
  length = 0;
  private have = 0;
  private next_ = 0;
  private handle: FileHandle | undefined;
  private opened = false;
  private ended = false;
  /** A memory file's chunks, read one after the other instead of the disk. */
  private memory: readonly Buffer[] | undefined;
  private nextChunk = 0;

  /**
   * @param path - a file written by the engine; a missing file has no records
   * @param chunkBytes - how much to read at a time: large for one file read through, small
   *   when hundreds are open at once (a merge)
   * @param keep - read each chunk into a new buffer, so that records read stay valid
   */
  constructor(
    private readonly path: string,
    private readonly chunkBytes = 1 << 20,
    private readonly keep = false,
  ) {
    // Allocated on the first read from disk: a memory file lends its own chunks.
    this.buf = Buffer.alloc(0);
  }

  /** Moves to the next record if it has been read whole; `false` when more must be loaded. */
  advance(): boolean {
    const rest = this.have - this.next_;
    if (rest < 4) return false;
    const length = this.buf.readUInt32LE(this.next_);
    if (rest < 4 + length) return false;
    this.at = this.next_ + 4;
    this.length = length;
    this.next_ = this.at + length;
    return true;
  }

  /** Reads more of the file; `false` at its end (then the file has been read whole). */
  async load(): Promise<boolean> {
    if (this.ended) return false;
    if (!this.opened) {
      this.memory = memoryFile(this.path);
      if (this.memory !== undefined) this.opened = true;
    }
    if (this.memory !== undefined) return this.loadChunk(this.memory);
    if (this.buf.length === 0) this.buf = Buffer.allocUnsafe(this.chunkBytes);
    const rest = this.have - this.next_;
    const need = rest >= 4 ? 4 + this.buf.readUInt32LE(this.next_) : 0;
    if (need > this.buf.length || (this.keep && this.have > 0)) {
      // A record larger than the buffer, or records to keep: a new buffer.
      const fresh = Buffer.allocUnsafe(Math.max(need, this.chunkBytes));
      this.buf.copy(fresh, 0, this.next_, this.have);
      this.buf = fresh;
    } else if (this.next_ > 0) {
      this.buf.copyWithin(0, this.next_, this.have);
    }
    this.have = rest;
    this.next_ = 0;
    if (!this.opened) {
      this.opened = true;
      try {
        this.handle = await open(this.path, 'r');
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      }
    }
    const bytesRead =
      this.handle === undefined
        ? 0
        : (await this.handle.read(this.buf, this.have, this.buf.length - this.have, null))
            .bytesRead;
    if (bytesRead === 0) {
      this.ended = true;
      await this.close();
      if (this.have > 0) throw new EngineError(`${this.path}: a spill file ends inside a record`);
      return false;
    }
    this.have += bytesRead;
    return true;
  }

  /** The next chunk of a memory file: it holds whole records, so nothing is copied. */
  private loadChunk(chunks: readonly Buffer[]): boolean {
    if (this.have - this.next_ !== 0) {
      throw new EngineError(`${this.path}: a spill file ends inside a record`);
    }
    const chunk = chunks[this.nextChunk++];
    if (chunk === undefined) {
      this.ended = true;
      return false;
    }
    this.buf = chunk;
    this.have = chunk.length;
    this.next_ = 0;
    return true;
  }

  /** Moves to the next record; `false` at the end of the file. */
  async next(): Promise<boolean> {
    while (!this.advance()) if (!(await this.load())) return false;
    return true;
  }

  /** Stops reading the file. */
  async close(): Promise<void> {
    const handle = this.handle;
    this.handle = undefined;
    await handle?.close();
  }
}

/**
 * Visits every record of some spill files, in file order.
 *
 * @param paths - the files, read one after the other
 * @param visit - called with each record; it must not keep the buffer
 */
export async function forEachRecord(
  paths: readonly string[],
  visit: (buf: Buffer, at: number, length: number) => void,
): Promise<void> {
  for (const path of paths) {
    const cursor = new RecordCursor(path);
    try {
      do {
        while (cursor.advance()) visit(cursor.buf, cursor.at, cursor.length);
      } while (await cursor.load());
    } finally {
      await cursor.close();
    }
  }
}

/**
 * Reads every record of some spill files as bytes, to be decoded later: the chunks read, and
 * for each record, in file order, `[chunk, offset]` (flat). Bytes stay off the JavaScript
 * heap, where the collector would copy them again and again.
 *
 * @param paths - the files, read one after the other
 */
export async function collectRecords(
  paths: readonly string[],
): Promise<{ chunks: Buffer[]; records: number[] }> {
  const chunks: Buffer[] = [];
  const records: number[] = [];
  for (const path of paths) {
    const cursor = new RecordCursor(path, 1 << 20, true);
    try {
      do {
        let chunk = -1;
        while (cursor.advance()) {
          if (chunk < 0 || chunks[chunk] !== cursor.buf) chunk = chunks.push(cursor.buf) - 1;
          records.push(chunk, cursor.at);
        }
      } while (await cursor.load());
    } finally {
      await cursor.close();
    }
  }
  return { chunks, records };
}

/**
 * Reads every record of some spill files through a decoder, in file order.
 *
 * @param paths - the files, read one after the other
 * @param decode - turns a record into a value; it must not keep the buffer
 */
export async function readRecords<T>(
  paths: readonly string[],
  decode: (buf: Buffer, at: number, length: number) => T,
): Promise<T[]> {
  const out: T[] = [];
  await forEachRecord(paths, (buf, at, length) => {
    out.push(decode(buf, at, length));
  });
  return out;
}
