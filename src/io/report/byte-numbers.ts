/**
 * Numbers written as ASCII digits straight into a Buffer, for `rated.csv` lines: whole
 * numbers, amounts in micros and minutes, the same text the core's formatters give.
 */
import { formatMicros, formatSecondsAsMinutes } from '../../core/money/index.js';

const ZERO = 48;
const INT32_MAX = 0x7fff_ffff;

/** Decimal digits of a whole number 0 ≤ n < 2^53. */
export function digitCount(n: number): number {
  let count = 1;
  for (let power = 10; power <= n; power *= 10) count++;
  return count;
}

/** A whole number 0 ≤ n < 2^53, in `width` digits (at least its own), zero-padded. */
export function writeDigits(target: Buffer, offset: number, n: number, width: number): number {
  let p = offset + width;
  let rest = n;
  while (rest > INT32_MAX) {
    const next = Math.floor(rest / 10);
    target[--p] = ZERO + (rest - next * 10); // brackets: 48 + rest may pass 2^53
    rest = next;
  }
  // Then 32-bit integer arithmetic, which V8 compiles to machine division.
  let small = rest | 0;
  while (p > offset) {
    const next = (small / 10) | 0;
    target[--p] = ZERO + small - next * 10;
    small = next;
  }
  return offset + width;
}

/** `String(n)`, as `${n}` writes it. */
export function writeNumber(target: Buffer, offset: number, n: number): number {
  if (Number.isSafeInteger(n)) {
    if (n >= 0) return writeDigits(target, offset, n, digitCount(n)); // -0 too, as '0'
    target[offset] = 45;
    return writeDigits(target, offset + 1, -n, digitCount(-n));
  }
  return writeAscii(target, offset, String(n));
}

/** `formatMicros(micros, minDecimals)`. */
export function writeMicros(
  target: Buffer,
  offset: number,
  micros: number,
  minDecimals: number,
): number {
  if (!Number.isSafeInteger(micros) || !Number.isInteger(minDecimals) || minDecimals < 0) {
    return writeAscii(target, offset, formatMicros(micros, minDecimals)); // throws as it does
  }
  let o = offset;
  let magnitude = micros;
  if (micros < 0) {
    target[o++] = 45;
    magnitude = -micros;
  }
  let integer: number;
  let fraction: number;
  if (magnitude <= INT32_MAX) {
    integer = (magnitude / 1_000_000) | 0;
    fraction = (magnitude - integer * 1_000_000) | 0;
  } else {
    fraction = (magnitude % 1_000_000) | 0;
    integer = (magnitude - fraction) / 1_000_000;
  }
  o = writeDigits(target, o, integer, digitCount(integer));
  if (fraction === 0 && minDecimals === 0) return o;
  // The 6 decimals of micros, trailing zeros dropped down to minDecimals, then padded to it.
  let decimals = 6;
  while (decimals > minDecimals && fraction % 10 === 0) {
    fraction = (fraction / 10) | 0;
    decimals--;
  }
  target[o++] = 46; // '.'
  o = writeDigits(target, o, fraction, decimals);
  for (let i = decimals; i < minDecimals; i++) target[o++] = ZERO;
  return o;
}

/** `formatSecondsAsMinutes(seconds)`. */
export function writeMinutes(target: Buffer, offset: number, seconds: number): number {
  if (Number.isSafeInteger(seconds)) {
    if (seconds % 60 === 0) return writeNumber(target, offset, seconds / 60);
    // As formatSecondsAsMinutes: micro-minutes = seconds × 50000 / 3, never a tie to round.
    const scaled = seconds * 50_000;
    if (Number.isSafeInteger(scaled)) {
      const r = scaled % 3;
      const q = (scaled - r) / 3;
      return writeMicros(target, offset, r === 2 ? q + 1 : r === -2 ? q - 1 : q, 0);
    }
  }
  return writeAscii(target, offset, formatSecondsAsMinutes(seconds)); // throws as it does
}

/** ASCII text written as bytes. */
export function writeAscii(target: Buffer, offset: number, text: string): number {
  for (let i = 0; i < text.length; i++) target[offset + i] = text.charCodeAt(i);
  return offset + text.length;
}
