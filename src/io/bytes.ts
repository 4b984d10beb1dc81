/**
 * Text to and from bytes in a Buffer, on the hot paths of spilling and writing reports.
 *
 * Node's Buffers carry their encoders as methods (`utf8Write`, `latin1Slice`, …): `write` and
 * `toString` check their arguments and then call them. They are not documented, so each is
 * used only where it exists, and the public method otherwise; the result is the same.
 */

interface Encoders {
  utf8Write(text: string, offset: number): number;
  ucs2Write(text: string, offset: number): number;
  latin1Slice(start: number, end: number): string;
  ucs2Slice(start: number, end: number): string;
}

const own = Buffer.prototype as unknown as Partial<Encoders>;
const direct =
  typeof own.utf8Write === 'function' &&
  typeof own.ucs2Write === 'function' &&
  typeof own.latin1Slice === 'function' &&
  typeof own.ucs2Slice === 'function';

/** Writes text as UTF-8 at `offset` (room for it is the caller's); returns the bytes written. */
export const writeUtf8: (buf: Buffer, text: string, offset: number) => number = direct
  ? (buf, text, offset) => (buf as unknown as Encoders).utf8Write(text, offset)
  : (buf, text, offset) => buf.write(text, offset, 'utf8');

/** Writes text as UTF-16 (little-endian) at `offset`; returns the bytes written. */
export const writeUtf16: (buf: Buffer, text: string, offset: number) => number = direct
  ? (buf, text, offset) => (buf as unknown as Encoders).ucs2Write(text, offset)
  : (buf, text, offset) => buf.write(text, offset, 'utf16le');

/** Reads bytes `[start, end)` as Latin-1 (ASCII, for text written as such). */
export const readLatin1: (buf: Buffer, start: number, end: number) => string = direct
  ? (buf, start, end) => (buf as unknown as Encoders).latin1Slice(start, end)
  : (buf, start, end) => buf.toString('latin1', start, end);

/** Reads bytes `[start, end)` as UTF-16 (little-endian). */
export const readUtf16: (buf: Buffer, start: number, end: number) => string = direct
  ? (buf, start, end) => (buf as unknown as Encoders).ucs2Slice(start, end)
  : (buf, start, end) => buf.toString('utf16le', start, end);
