import { formatMicros } from './micros.js';
import { roundDivBig } from './rounding.js';
import {
  POW10,
  formatScaled,
  parseScaledDecimal,
  pow10Big,
  scaledFromBig,
  type ScaledDecimal,
} from './scaled-decimal.js';

/**
 * A minutes value read exactly from a bill (`billedMinutes`, `packageMinutes`), however many
 * decimals it has (`'0.6166666666666667'`).
 *
 * @example
 * const minutes: Minutes | undefined = parseMinutes('1.5'); // { text: '1.5', units: 15n, scale: 1, … }
 */
export type Minutes = ScaledDecimal;

/** Decimals written for a minutes value that is not exact at fewer (SPEC §5.1). */
const MINUTES_DECIMALS = 6;
const MAX_SAFE_BIG = BigInt(Number.MAX_SAFE_INTEGER);

/**
 * Reads a minutes value exactly; `undefined` when it is not a plain decimal.
 *
 * Accepts the same plain decimals as {@link parseMicros}, with any number of decimals, and
 * keeps the decimals it is written with (`'0.60'` has scale 2): a provider states minutes
 * at its own precision, and SPEC §4.2 compares at that precision. A negative value is read
 * as written (comparisons with seconds then fail).
 *
 * @param text - the minutes as written, e.g. `'1.5'`
 * @returns the exact value, its text in plain form with the written decimals
 * @example
 * parseMinutes('0.6166666666666667'); // { text: '0.6166666666666667', units: 6166666666666667n, scale: 16, … }
 * parseMinutes('0.60'); // { text: '0.60', units: 60n, scale: 2, … }
 * parseMinutes('1 min'); // undefined
 */
export function parseMinutes(text: string): Minutes | undefined {
  // A month's bill states few distinct minutes ('1' to a few hundred): each read once. The
  // values are read-only, so one object serves every row that states them.
  const known = MINUTES_READ.get(text);
  if (known !== undefined) return known;
  // Frozen: every caller (a library's too) shares it.
  const read = readMinutes(text);
  if (read !== undefined) {
    Object.freeze(read);
    if (MINUTES_READ.size >= MINUTES_KEPT) MINUTES_READ.clear();
    MINUTES_READ.set(text, read);
  }
  return read;
}

/** Minutes already read, by text; emptied when it reaches {@link MINUTES_KEPT}. */
const MINUTES_READ = new Map<string, Minutes>();
const MINUTES_KEPT = 4096;

function readMinutes(text: string): Minutes | undefined {
  const value = parseScaledDecimal(text);
  if (value === undefined) return undefined;
  const trimmed = text.trim();
  const dot = trimmed.indexOf('.');
  const written = dot < 0 ? 0 : trimmed.length - dot - 1;
  if (written <= value.scale) return value;
  const units = value.units * pow10Big(written - value.scale);
  const magnitude = units < 0n ? -units : units;
  return {
    text: formatScaled(units, written, written),
    units,
    scale: written,
    unitsNumber: magnitude <= MAX_SAFE_BIG ? Number(units) : undefined,
  };
}

/**
 * Whether stated minutes agree with a number of seconds at the precision they are written
 * with (SPEC §4.2 rules 5, 7): `seconds / 60` rounded half-up to the stated decimals equals
 * the stated value. `'0.62'` and `'0.616667'` agree with 37 s; `'1'` does not agree with 90 s.
 *
 * @param minutes - minutes read with {@link parseMinutes}
 * @param seconds - a whole number of seconds
 * @returns true when they agree
 * @throws RangeError when `seconds` is not a safe integer
 * @example
 * minutesAgreeWithSeconds(parseMinutes('0.62')!, 37); // true
 * minutesAgreeWithSeconds(parseMinutes('1')!, 90); // false
 */
export function minutesAgreeWithSeconds(minutes: Minutes, seconds: number): boolean {
  checkSeconds(seconds);
  const ours = roundDivBig(BigInt(seconds) * pow10Big(minutes.scale), 60n, 'half-up');
  return ours === minutes.units;
}

function checkSeconds(seconds: number): void {
  if (!Number.isSafeInteger(seconds)) {
    throw new RangeError(`seconds ${seconds} is not a safe integer`);
  }
}

/**
 * Whether stated minutes are exactly a whole number of seconds: `minutes × 60 = seconds`,
 * compared exactly (SPEC §5.1). `'0.6166666666666667'` is not 37 s; `'0.5'` is 30 s.
 *
 * @param minutes - minutes read with {@link parseMinutes}
 * @param seconds - a whole number of seconds
 * @returns true when they are equal
 * @throws RangeError when `seconds` is not a safe integer
 * @example
 * minutesEqualSeconds(parseMinutes('2')!, 120); // true
 * minutesEqualSeconds(parseMinutes('0.616667')!, 37); // false
 */
export function minutesEqualSeconds(minutes: Minutes, seconds: number): boolean {
  checkSeconds(seconds);
  const { unitsNumber, scale } = minutes;
  const power = POW10[scale];
  if (unitsNumber !== undefined && power !== undefined) {
    const left = unitsNumber * 60;
    const right = seconds * power;
    if (Number.isSafeInteger(left) && Number.isSafeInteger(right)) return left === right;
  }
  return minutes.units * 60n === BigInt(seconds) * pow10Big(scale);
}

/**
 * The whole number of seconds in a minutes value; `undefined` when `minutes × 60` is not a
 * whole number or not a safe integer.
 *
 * @param minutes - minutes read with {@link parseMinutes}
 * @returns the seconds, or `undefined`
 * @example
 * minutesToSeconds(parseMinutes('1.5')!); // 90
 * minutesToSeconds(parseMinutes('0.01')!); // undefined (0.6 s)
 */
export function minutesToSeconds(minutes: Minutes): number | undefined {
  const product = minutes.units * 60n;
  const divisor = pow10Big(minutes.scale);
  if (product % divisor !== 0n) return undefined;
  const seconds = product / divisor;
  if (seconds > MAX_SAFE_BIG || seconds < -MAX_SAFE_BIG) return undefined;
  return seconds === 0n ? 0 : Number(seconds);
}

/**
 * Writes a minutes value as SPEC §5.1 says: no trailing zeros, exact when it has at most 6
 * decimals, else rounded half-up (ties away from zero) to 6.
 *
 * @param minutes - an exact minutes value
 * @returns the text
 * @example
 * formatMinutes(parseMinutes('1234.50')!); // '1234.5'
 * formatMinutes(parseMinutes('0.6166666666666667')!); // '0.616667'
 */
export function formatMinutes(minutes: Minutes): string {
  if (minutes.scale <= MINUTES_DECIMALS) return formatScaled(minutes.units, minutes.scale, 0);
  const divisor = pow10Big(minutes.scale - MINUTES_DECIMALS);
  return formatScaled(roundDivBig(minutes.units, divisor, 'half-up'), MINUTES_DECIMALS, 0);
}

/**
 * Writes `seconds / 60` as a minutes value (SPEC §5.1): exact when it has at most 6 decimals,
 * else rounded half-up to 6, no trailing zeros.
 *
 * @param seconds - a whole number of seconds (a call's `billedSeconds`, or a total)
 * @returns the minutes text
 * @throws RangeError when `seconds` is not a safe integer
 * @example
 * formatSecondsAsMinutes(74_070); // '1234.5'
 * formatSecondsAsMinutes(37); // '0.616667'
 * formatSecondsAsMinutes(0); // '0'
 */
export function formatSecondsAsMinutes(seconds: number): string {
  checkSeconds(seconds);
  // Whole minutes, the usual case with 60-second increments.
  if (seconds % 60 === 0) return String(seconds / 60);
  // micro-minutes = seconds × 10^6 / 60 = seconds × 50000 / 3
  const scaled = seconds * 50_000;
  if (Number.isSafeInteger(scaled)) {
    const r = scaled % 3;
    const q = (scaled - r) / 3;
    // a remainder of 2/3 rounds away from zero, 1/3 toward it: never a tie
    const microMinutes = r === 2 ? q + 1 : r === -2 ? q - 1 : q;
    return formatMicros(microMinutes, 0);
  }
  return formatScaled(roundDivBig(BigInt(seconds) * 50_000n, 3n, 'half-up'), 6, 0);
}

/**
 * An exact running total of stated minutes values (`minutes.theirs` of SPEC §5.1).
 *
 * @example
 * const sum = new MinutesSum();
 * sum.add(parseMinutes('0.5')!).add(parseMinutes('0.6166666666666667')!);
 * sum.toString(); // '1.116667'
 */
export class MinutesSum {
  #units = 0n;
  #scale = 0;

  /**
   * Adds a minutes value.
   *
   * @param minutes - a value read with {@link parseMinutes}
   * @returns this sum, to chain
   */
  add(minutes: Minutes): this {
    if (minutes.scale > this.#scale) {
      this.#units *= pow10Big(minutes.scale - this.#scale);
      this.#scale = minutes.scale;
    }
    this.#units += minutes.units * pow10Big(this.#scale - minutes.scale);
    return this;
  }

  /**
   * The exact total so far.
   *
   * @returns the total as a minutes value
   */
  toMinutes(): Minutes {
    return scaledFromBig(this.#units, this.#scale);
  }

  /**
   * The total written as SPEC §5.1 says (see {@link formatMinutes}).
   *
   * @returns the total's text
   */
  toString(): string {
    return formatMinutes(this.toMinutes());
  }
}
