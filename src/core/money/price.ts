import { MoneyOverflowError } from './errors.js';
import type { Micros } from './micros.js';
import { roundDivBig, roundDivNumber, type RoundingMode } from './rounding.js';
import { POW10, parseScaledDecimal, pow10Big, type ScaledDecimal } from './scaled-decimal.js';

/**
 * A price read exactly from a decimal string (a rate's `pricePerMinute`, `connectFee`,
 * `minimumCharge`): `value = units × 10^−scale`, any number of decimals. Parse it once, at
 * tariff load, and price every call from it without touching a Decimal.
 *
 * @example
 * const price: Price = parsePrice('0.12')!; // { text: '0.12', units: 12n, scale: 2, unitsNumber: 12 }
 */
export type Price = ScaledDecimal;

/**
 * Reads a price; `undefined` when the text is not a plain decimal (see
 * `parseScaledDecimal` for the accepted forms). The sign is kept: refusing a negative
 * price is the tariff's rule, not this parser's.
 *
 * @param text - the price as written, e.g. `'0.12'`
 * @returns the exact price, or `undefined`
 * @example
 * parsePrice('0.0016666666667')?.scale; // 13
 * parsePrice('1e-3'); // undefined
 */
export function parsePrice(text: string): Price | undefined {
  return parseScaledDecimal(text);
}

const MAX_SAFE_BIG = BigInt(Number.MAX_SAFE_INTEGER);

function checkArguments(
  chargedSeconds: number,
  billedSeconds: number,
  minimumChargeMicros: number,
  amountDecimals: number,
): void {
  if (!Number.isSafeInteger(chargedSeconds) || chargedSeconds < 0) {
    throw new RangeError(`chargedSeconds ${chargedSeconds} is not a whole number ≥ 0`);
  }
  if (!Number.isSafeInteger(billedSeconds) || billedSeconds < 0) {
    throw new RangeError(`billedSeconds ${billedSeconds} is not a whole number ≥ 0`);
  }
  if (!Number.isSafeInteger(minimumChargeMicros)) {
    throw new RangeError(`minimumChargeMicros ${minimumChargeMicros} is not a safe integer`);
  }
  if (!Number.isInteger(amountDecimals) || amountDecimals < 0 || amountDecimals > 6) {
    throw new RangeError(`amountDecimals ${amountDecimals} is not a whole number 0..6`);
  }
}

/**
 * The amount of one call (SPEC §3.4), exactly:
 * `round(chargedSeconds · pricePerMinute / 60 + (billedSeconds > 0 ? connectFee : 0))` to
 * `amountDecimals` with `mode`; then, when `billedSeconds > 0` and that is below the minimum
 * charge, the minimum charge.
 *
 * Integer arithmetic on scaled amounts: with `k` the larger scale of price (`p`) and fee
 * (`c`), `N = chargedSeconds·P·10^(k−p) + 60·C·10^(k−c)` over `60·10^k`, rounded to units of
 * 10^−amountDecimals. Plain numbers while everything stays a safe integer, BigInt otherwise;
 * never a Decimal, never a binary fraction.
 *
 * @param chargedSeconds - billed seconds not covered by allowances, a whole number ≥ 0
 * @param billedSeconds - billed seconds of the call (decides the connect fee and the minimum)
 * @param price - the price per minute
 * @param connectFee - the fee per answered, billed call
 * @param minimumChargeMicros - the least amount of a billed call, in micros
 * @param amountDecimals - decimals of the amount, 0..6
 * @param mode - how the exact amount is rounded
 * @returns the amount in micros
 * @throws MoneyOverflowError when the amount is not a safe integer of micros
 * @throws RangeError when an argument is outside its domain
 * @example
 * const price = parsePrice('0.12')!, zero = parsePrice('0')!;
 * priceCall(120, 120, price, zero, 0, 2, 'half-up'); // 240_000 (0.24)
 * priceCall(0, 0, price, parsePrice('0.10')!, 500_000, 2, 'half-up'); // 0: no call, no fee
 */
export function priceCall(
  chargedSeconds: number,
  billedSeconds: number,
  price: Price,
  connectFee: Price,
  minimumChargeMicros: Micros,
  amountDecimals: number,
  mode: RoundingMode,
): Micros {
  checkArguments(chargedSeconds, billedSeconds, minimumChargeMicros, amountDecimals);
  const withFee = billedSeconds > 0;
  const micros =
    fastAmount(chargedSeconds, withFee, price, connectFee, amountDecimals, mode) ??
    bigAmount(chargedSeconds, withFee, price, connectFee, amountDecimals, mode);
  return withFee && micros < minimumChargeMicros ? minimumChargeMicros : micros;
}

/** The amount with plain numbers, or `undefined` when an intermediate is not a safe integer. */
function fastAmount(
  chargedSeconds: number,
  withFee: boolean,
  price: Price,
  connectFee: Price,
  amountDecimals: number,
  mode: RoundingMode,
): Micros | undefined {
  const priceUnits = price.unitsNumber;
  const feeUnits = withFee ? connectFee.unitsNumber : 0;
  if (priceUnits === undefined || feeUnits === undefined) return undefined;
  const feeScale = withFee ? connectFee.scale : 0;
  const k = Math.max(price.scale, feeScale);
  const priceShift = POW10[k - price.scale];
  const feeShift = POW10[k - feeScale];
  if (priceShift === undefined || feeShift === undefined) return undefined;
  // A product or sum of safe integers that is not itself safe shows as unsafe here: floats
  // round monotonically, so a true value ≥ 2^53 never comes out below it.
  const timePart = chargedSeconds * priceUnits * priceShift;
  const feePart = 60 * feeUnits * feeShift;
  let numerator = timePart + feePart;
  if (
    !Number.isSafeInteger(chargedSeconds * priceUnits) ||
    !Number.isSafeInteger(timePart) ||
    !Number.isSafeInteger(feePart) ||
    !Number.isSafeInteger(numerator)
  ) {
    return undefined;
  }
  // value = numerator / (60·10^k); result units are 10^−amountDecimals
  const excess = k - amountDecimals;
  let denominator = 60;
  if (excess >= 0) {
    const shift = POW10[excess];
    if (shift === undefined) return undefined;
    denominator = 60 * shift;
  } else {
    numerator *= POW10[-excess] as number;
  }
  if (!Number.isSafeInteger(denominator) || !Number.isSafeInteger(numerator)) return undefined;
  const units = roundDivNumber(numerator, denominator, mode);
  const micros = units * (POW10[6 - amountDecimals] as number);
  return Number.isSafeInteger(micros) ? micros : undefined;
}

/** The amount with BigInt: the fallback for huge values and long decimals. */
function bigAmount(
  chargedSeconds: number,
  withFee: boolean,
  price: Price,
  connectFee: Price,
  amountDecimals: number,
  mode: RoundingMode,
): Micros {
  const feeScale = withFee ? connectFee.scale : 0;
  const feeUnits = withFee ? connectFee.units : 0n;
  const k = Math.max(price.scale, feeScale);
  let numerator =
    BigInt(chargedSeconds) * price.units * pow10Big(k - price.scale) +
    60n * feeUnits * pow10Big(k - feeScale);
  const excess = k - amountDecimals;
  let denominator = 60n;
  if (excess >= 0) denominator *= pow10Big(excess);
  else numerator *= pow10Big(-excess);
  const micros = roundDivBig(numerator, denominator, mode) * pow10Big(6 - amountDecimals);
  if (micros > MAX_SAFE_BIG || micros < -MAX_SAFE_BIG) {
    throw new MoneyOverflowError(
      `the amount of ${chargedSeconds} s at ${price.text} per minute plus ${withFee ? connectFee.text : 0} is beyond exact micros`,
      { cause: { chargedSeconds, price: price.text, connectFee: connectFee.text, micros } },
    );
  }
  return micros === 0n ? 0 : Number(micros);
}
