/**
 * A plain decimal read exactly: `value = units × 10^−scale`, with `scale` as small as possible
 * (no trailing zeros in the fraction). Prices and stated minutes are held this way, so that
 * arithmetic on them is integer arithmetic and never touches binary floats.
 *
 * @example
 * parseScaledDecimal('0.120'); // { text: '0.12', units: 12n, scale: 2, unitsNumber: 12 }
 */
export interface ScaledDecimal {
  /** The value as canonical text: no sign on zero, no leading or trailing zeros (`'0.12'`). */
  readonly text: string;
  /** The digits as an integer, with the sign. */
  readonly units: bigint;
  /** The number of decimals, 0 or more. */
  readonly scale: number;
  /** `units` as a number when it is a safe integer (the fast path), else `undefined`. */
  readonly unitsNumber: number | undefined;
}

const CHAR_0 = 48;
const CHAR_9 = 57;
const CHAR_PLUS = 43;
const CHAR_MINUS = 45;
const CHAR_DOT = 46;
const CHAR_SPACE = 32;
const CHAR_TAB = 9;
const MAX_SAFE_BIG = BigInt(Number.MAX_SAFE_INTEGER);

/** True for the blanks allowed around a plain decimal: space and tab. */
export function isBlank(code: number): boolean {
  return code === CHAR_SPACE || code === CHAR_TAB;
}

/** True for an ASCII digit. */
export function isDigit(code: number): boolean {
  return code >= CHAR_0 && code <= CHAR_9;
}

/** Where the parts of a plain decimal are inside its text, with leading/trailing zeros cut. */
interface DecimalParts {
  readonly negative: boolean;
  /** Integer digits without leading zeros (may be empty). */
  readonly integer: string;
  /** Fraction digits without trailing zeros (may be empty). */
  readonly fraction: string;
}

/**
 * Splits a plain decimal into sign, integer and fraction digits; `undefined` when the text is
 * not one. A plain decimal is: optional spaces or tabs, an optional `+` or `-`, digits with at
 * most one `.`, at least one digit, optional spaces or tabs. No exponent, no thousands
 * separators. `.5` and `5.` are accepted.
 */
function splitDecimal(text: string): DecimalParts | undefined {
  let start = 0;
  let end = text.length;
  while (start < end && isBlank(text.charCodeAt(start))) start++;
  while (end > start && isBlank(text.charCodeAt(end - 1))) end--;
  if (start === end) return undefined;
  let i = start;
  let negative = false;
  const first = text.charCodeAt(i);
  if (first === CHAR_MINUS) {
    negative = true;
    i++;
  } else if (first === CHAR_PLUS) {
    i++;
  }
  const intStart = i;
  while (i < end && isDigit(text.charCodeAt(i))) i++;
  const intEnd = i;
  let fracStart = i;
  let fracEnd = i;
  if (i < end && text.charCodeAt(i) === CHAR_DOT) {
    i++;
    fracStart = i;
    while (i < end && isDigit(text.charCodeAt(i))) i++;
    fracEnd = i;
  }
  if (i !== end || (intEnd === intStart && fracEnd === fracStart)) return undefined;
  let a = intStart;
  while (a < intEnd && text.charCodeAt(a) === CHAR_0) a++;
  let b = fracEnd;
  while (b > fracStart && text.charCodeAt(b - 1) === CHAR_0) b--;
  return { negative, integer: text.slice(a, intEnd), fraction: text.slice(fracStart, b) };
}

/**
 * Reads a plain decimal exactly; `undefined` when the text is not a plain decimal.
 *
 * A plain decimal is: optional spaces or tabs around it, an optional `+` or `-`, digits with at
 * most one `.`, and at least one digit (`.5` and `5.` are accepted). No exponent, no thousands
 * separators. There is no limit on the number of digits.
 *
 * @param text - the decimal as written, e.g. `'0.120'`
 * @returns the exact value, or `undefined`
 * @example
 * parseScaledDecimal('-.50'); // { text: '-0.5', units: -5n, scale: 1, unitsNumber: -5 }
 * parseScaledDecimal('1e3'); // undefined
 */
export function parseScaledDecimal(text: string): ScaledDecimal | undefined {
  const parts = splitDecimal(text);
  if (parts === undefined) return undefined;
  return fromParts(parts);
}

function fromParts({ negative, integer, fraction }: DecimalParts): ScaledDecimal {
  const digits = integer + fraction;
  const isZero = digits.length === 0;
  const magnitude = isZero ? 0n : BigInt(digits);
  const units = negative ? -magnitude : magnitude;
  const unitsNumber = magnitude <= MAX_SAFE_BIG ? Number(units) : undefined;
  return {
    text: canonicalFromParts(negative && !isZero, integer, fraction),
    units,
    scale: fraction.length,
    unitsNumber: unitsNumber === 0 ? 0 : unitsNumber, // never -0
  };
}

function canonicalFromParts(negative: boolean, integer: string, fraction: string): string {
  const sign = negative ? '-' : '';
  const whole = integer.length === 0 ? '0' : integer;
  return fraction.length === 0 ? sign + whole : `${sign}${whole}.${fraction}`;
}

/**
 * Value-canonical text of a plain decimal, so that decimals compare by value as strings
 * (SPEC §4.2: `0.1` = `0.10`). `undefined` when the text is not a plain decimal (see
 * {@link parseScaledDecimal} for the accepted forms).
 *
 * @param text - the decimal as written
 * @returns the canonical text: no `+`, no sign on zero, no leading or trailing zeros
 * @example
 * canonicalDecimal(' +.10 '); // '0.1'
 * canonicalDecimal('-0.00'); // '0'
 * canonicalDecimal('1,000'); // undefined
 */
export function canonicalDecimal(text: string): string | undefined {
  const parts = splitDecimal(text);
  if (parts === undefined) return undefined;
  const isZero = parts.integer.length === 0 && parts.fraction.length === 0;
  return canonicalFromParts(parts.negative && !isZero, parts.integer, parts.fraction);
}

/**
 * Text of `units × 10^−scale` with at least `minDecimals` decimals and more only where
 * needed to stay exact. Internal helper shared by the formatters.
 */
export function formatScaled(units: bigint, scale: number, minDecimals: number): string {
  const negative = units < 0n;
  const digits = (negative ? -units : units).toString();
  let integer: string;
  let fraction: string;
  if (digits.length > scale) {
    integer = digits.slice(0, digits.length - scale);
    fraction = digits.slice(digits.length - scale);
  } else {
    integer = '0';
    fraction = digits.padStart(scale, '0');
  }
  let cut = fraction.length;
  while (cut > minDecimals && fraction.charCodeAt(cut - 1) === CHAR_0) cut--;
  fraction = fraction.slice(0, cut).padEnd(minDecimals, '0');
  const sign = negative ? '-' : '';
  return fraction.length === 0 ? sign + integer : `${sign}${integer}.${fraction}`;
}

/** Powers of ten that are safe integers: `POW10[k] = 10^k` for k in 0..15. */
export const POW10: readonly number[] = Array.from({ length: 16 }, (_, k) => 10 ** k);

const POW10_BIG: readonly bigint[] = Array.from({ length: 40 }, (_, k) => 10n ** BigInt(k));

/** `10n ** BigInt(k)`, cached for small k. */
export function pow10Big(k: number): bigint {
  return POW10_BIG[k] ?? 10n ** BigInt(k);
}

/**
 * The {@link ScaledDecimal} of `units × 10^−scale`, with trailing zeros of the fraction cut.
 * Internal helper for values computed rather than read.
 */
export function scaledFromBig(units: bigint, scale: number): ScaledDecimal {
  let u = units;
  let s = scale;
  while (s > 0 && u % 10n === 0n) {
    u /= 10n;
    s--;
  }
  const magnitude = u < 0n ? -u : u;
  const unitsNumber = magnitude <= MAX_SAFE_BIG ? Number(u) : undefined;
  return { text: formatScaled(u, s, 0), units: u, scale: s, unitsNumber };
}
