import { MoneyOverflowError } from './errors.js';
import { isBlank, isDigit } from './scaled-decimal.js';

/**
 * An amount of money as an integer number of micro-units (10^−6 of the currency unit).
 * Every amount the product handles is a safe integer of micros, so sums are exact.
 *
 * @example
 * const amount: Micros = 12_300_000; // 12.30
 */
export type Micros = number;

const MICROS_PER_UNIT = 1_000_000;
/** The largest integer part whose micros stay a safe integer. */
const MAX_INTEGER_PART = Math.floor(Number.MAX_SAFE_INTEGER / MICROS_PER_UNIT);
const FRACTION_WEIGHTS = [100_000, 10_000, 1_000, 100, 10, 1] as const;

/**
 * Reads a plain decimal amount into micros; `undefined` when it is not a plain decimal, has a
 * non-zero digit beyond the 6th decimal, or does not fit a safe integer of micros.
 *
 * A plain decimal is: optional spaces or tabs around it, an optional `+` or `-`, digits with at
 * most one `.`, and at least one digit (`.5` and `5.` are accepted). No exponent, no thousands
 * separators. One pass over the characters, no allocation: it runs once per bill row.
 *
 * @param text - the amount as written, e.g. `'12.30'`
 * @returns the amount in micros, or `undefined`
 * @example
 * parseMicros('12.30'); // 12_300_000
 * parseMicros(' -0.50 '); // -500_000
 * parseMicros('0.0000001'); // undefined (beyond micros)
 * parseMicros('1,000.00'); // undefined
 */
export function parseMicros(text: string): Micros | undefined {
  let i = 0;
  let end = text.length;
  while (i < end && isBlank(text.charCodeAt(i))) i++;
  while (end > i && isBlank(text.charCodeAt(end - 1))) end--;
  if (i === end) return undefined;
  let negative = false;
  const first = text.charCodeAt(i);
  if (first === 45 /* - */) {
    negative = true;
    i++;
  } else if (first === 43 /* + */) {
    i++;
  }
  let digits = 0;
  let integer = 0;
  while (i < end) {
    const code = text.charCodeAt(i);
    if (!isDigit(code)) break;
    integer = integer * 10 + (code - 48);
    if (integer > MAX_INTEGER_PART) return undefined;
    digits++;
    i++;
  }
  let fraction = 0;
  if (i < end && text.charCodeAt(i) === 46 /* . */) {
    i++;
    let position = 0;
    while (i < end) {
      const code = text.charCodeAt(i);
      if (!isDigit(code)) break;
      const weight = FRACTION_WEIGHTS[position];
      if (weight !== undefined) fraction += (code - 48) * weight;
      else if (code !== 48) return undefined; // a non-zero digit beyond micros
      position++;
      digits++;
      i++;
    }
  }
  if (i !== end || digits === 0) return undefined;
  const micros = integer * MICROS_PER_UNIT + fraction;
  if (!Number.isSafeInteger(micros)) return undefined;
  return negative && micros !== 0 ? -micros : micros;
}

/**
 * Writes micros as a decimal with at least `minDecimals` decimals, and more only where needed
 * to stay exact. Zero is never written with a sign.
 *
 * @param micros - a safe integer of micros
 * @param minDecimals - the least number of decimals to write (an amount's `amountDecimals`)
 * @returns the decimal text
 * @throws RangeError when `micros` is not a safe integer or `minDecimals` not a whole number ≥ 0
 * @example
 * formatMicros(12_300_000, 2); // '12.30'
 * formatMicros(12_305_000, 2); // '12.305'
 * formatMicros(-0, 2); // '0.00'
 */
export function formatMicros(micros: Micros, minDecimals: number): string {
  if (!Number.isSafeInteger(micros)) throw new RangeError(`micros ${micros} is not a safe integer`);
  if (!Number.isInteger(minDecimals) || minDecimals < 0) {
    throw new RangeError(`minDecimals ${minDecimals} is not a whole number ≥ 0`);
  }
  const negative = micros < 0;
  const magnitude = negative ? -micros : micros;
  const fractionMicros = magnitude % MICROS_PER_UNIT;
  const integer = (magnitude - fractionMicros) / MICROS_PER_UNIT;
  let fraction = '';
  if (fractionMicros !== 0 || minDecimals > 0) {
    fraction = String(fractionMicros).padStart(6, '0');
    let cut = 6;
    while (cut > minDecimals && fraction.charCodeAt(cut - 1) === 48) cut--;
    fraction = fraction.slice(0, cut).padEnd(minDecimals, '0');
  }
  const sign = negative ? '-' : '';
  return fraction.length === 0 ? `${sign}${integer}` : `${sign}${integer}.${fraction}`;
}

/**
 * Adds two amounts of micros exactly.
 *
 * @param a - a safe integer of micros
 * @param b - a safe integer of micros
 * @returns `a + b`
 * @throws MoneyOverflowError when an operand or the sum is not a safe integer
 * @example
 * addMicros(120_000, 5_000); // 125_000
 */
export function addMicros(a: Micros, b: Micros): Micros {
  const sum = a + b;
  if (!Number.isSafeInteger(a) || !Number.isSafeInteger(b) || !Number.isSafeInteger(sum)) {
    throw new MoneyOverflowError(`the sum of ${a} and ${b} micros is not exact`, {
      cause: { operation: 'add', a, b },
    });
  }
  return sum === 0 ? 0 : sum;
}

/**
 * Subtracts two amounts of micros exactly (`theirs − ours`, say).
 *
 * @param a - a safe integer of micros
 * @param b - a safe integer of micros
 * @returns `a − b`
 * @throws MoneyOverflowError when an operand or the difference is not a safe integer
 * @example
 * subtractMicros(1_200_000, 1_250_000); // -50_000
 */
export function subtractMicros(a: Micros, b: Micros): Micros {
  const difference = a - b;
  if (!Number.isSafeInteger(a) || !Number.isSafeInteger(b) || !Number.isSafeInteger(difference)) {
    throw new MoneyOverflowError(`the difference of ${a} and ${b} micros is not exact`, {
      cause: { operation: 'subtract', a, b },
    });
  }
  return difference === 0 ? 0 : difference;
}
