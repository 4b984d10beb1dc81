import { readLatin1, readUtf16, writeUtf16, writeUtf8 } from '../bytes.js';
import type { SpillSink } from './store.js';

// Spill records are binary: a u32 length, then the record. Numbers are little-endian
// float64 (NaN for an absent one), or u32, i32 or a byte where a record says so; a text is
// a header, its byte length × 4 plus a kind (0 absent, 1 ASCII, 2 UTF-16), then its bytes.
// The header is a u16 for a text of up to SHORT_HEADER_UNITS code units (ids, numbers,
// codes: all of a month's but a few); longer, the u16 LONG_HEADER and then a u32. ASCII is
// the common case; any other text is kept as UTF-16 so that it comes back exactly (lone
// surrogates too, which UTF-8 cannot hold).

export const ABSENT = 0;
/** Texts up to this long are copied by a loop; longer ones by Buffer's encoder (measured). */
const SHORT_TEXT = 24;
export const ASCII = 1;
const UTF16 = 2;
/** Code units a text with a u16 header has at most: 2 bytes each at most as kept, × 4 + kind, below 0xffff. */
const SHORT_HEADER_UNITS = 5000;
/** The u16 that says a u32 header follows. */
const LONG_HEADER = 0xffff;

/** Bytes a text can take at most (UTF-8 when trying ASCII: 3 a code unit; header). */
export function textBound(value: string | undefined): number {
  return value === undefined ? 2 : 6 + value.length * 3;
}

/** Writes a text (absent, ASCII or UTF-16) from `at`; returns the offset after it. */
export function putText(buf: Buffer, at: number, value: string | undefined): number {
  if (value === undefined) {
    buf.writeUInt16LE(ABSENT, at);
    return at + 2;
  }
  const n = value.length;
  if (n <= SHORT_TEXT) {
    // Numbers, codes, amounts: copied here faster than through a native call.
    let i = 0;
    for (; i < n; i++) {
      const c = value.charCodeAt(i);
      if (c > 0x7f) break;
      buf[at + 2 + i] = c;
    }
    if (i === n) {
      buf.writeUInt16LE(n * 4 + ASCII, at);
      return at + 2 + n;
    }
  }
  const long = n > SHORT_HEADER_UNITS;
  const from = at + (long ? 6 : 2);
  let bytes = writeUtf8(buf, value, from);
  let kind = ASCII;
  // Every code unit past U+007F takes two bytes or more in UTF-8.
  if (bytes !== n) {
    bytes = writeUtf16(buf, value, from);
    kind = UTF16;
  }
  if (long) {
    buf.writeUInt16LE(LONG_HEADER, at);
    buf.writeUInt32LE(bytes * 4 + kind, at + 2);
  } else {
    buf.writeUInt16LE(bytes * 4 + kind, at);
  }
  return from + bytes;
}

/** Writes a number (NaN for absent) from `at`; returns the offset after it. */
export function putNumber(buf: Buffer, at: number, value: number | undefined): number {
  buf.writeDoubleLE(value ?? Number.NaN, at);
  return at + 8;
}

/** Reads a record's fields in order. */
export class Fields {
  constructor(
    private readonly buf: Buffer,
    private at: number,
  ) {}

  number(): number {
    const value = this.buf.readDoubleLE(this.at);
    this.at += 8;
    return value;
  }

  u32(): number {
    const value = this.buf.readUInt32LE(this.at);
    this.at += 4;
    return value;
  }

  i32(): number {
    const value = this.buf.readInt32LE(this.at);
    this.at += 4;
    return value;
  }

  u8(): number {
    return this.buf[this.at++] as number;
  }

  skip(bytes: number): void {
    this.at += bytes;
  }

  optionalNumber(): number | undefined {
    const value = this.number();
    return Number.isNaN(value) ? undefined : value;
  }

  text(): string | undefined {
    let header = this.buf.readUInt16LE(this.at);
    let start = this.at + 2;
    if (header === LONG_HEADER) {
      header = this.buf.readUInt32LE(start);
      start += 4;
    }
    const end = start + (header >>> 2);
    this.at = end;
    const kind = header & 3;
    if (kind === ABSENT) return undefined;
    if (kind !== ASCII) return readUtf16(this.buf, start, end);
    return end - start <= SHORT_KEPT
      ? shortText(this.buf, start, end)
      : readLatin1(this.buf, start, end);
  }
}

/** ASCII texts up to this long are made once and shared: codes, items, prices, minutes. */
const SHORT_KEPT = 4;
/** Short texts by length, then by their bytes as one number (below 2^31: a small integer). */
const SHORT_TEXTS = Array.from({ length: SHORT_KEPT + 1 }, () => new Map<number, string>());
/** Texts a length keeps at most before it starts again (many distinct ones: ids, not codes). */
const SHORT_TEXTS_KEPT = 4096;

/**
 * A short ASCII text: a month's records repeat a few (`'004'`, `'call'`, `'0.12'`), so each
 * is made once instead of once a record.
 */
function shortText(buf: Buffer, start: number, end: number): string {
  let key = 0;
  for (let i = start; i < end; i++) key = key * 128 + (buf[i] as number);
  const texts = SHORT_TEXTS[end - start] as Map<number, string>;
  let text = texts.get(key);
  if (text === undefined) {
    text = readLatin1(buf, start, end);
    if (texts.size >= SHORT_TEXTS_KEPT) texts.clear();
    texts.set(key, text);
  }
  return text;
}

/**
 * Writes one record: reserves room for `bound` bytes, lets `encode` fill them from an offset
 * and return the offset after, and frames them with their length.
 */
export function putRecord(
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
 * Ends a record written straight into the buffer `out.reserve(4 + bound)` returned, from
 * `start + 4` (`start` being `out.offset` then) up to `end`: frames it with its length.
 * {@link putRecord} without its callback, for the records written once a call.
 */
export function endRecord(out: SpillSink, buf: Buffer, start: number, end: number): void {
  buf.writeUInt32LE(end - start - 4, start);
  out.commit(end);
}
