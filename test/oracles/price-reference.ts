import { Decimal } from 'decimal.js';
import type { Micros } from '../../src/core/money/micros.js';
import type { Price } from '../../src/core/money/price.js';
import type { RoundingMode } from '../../src/core/money/rounding.js';

/**
 * A Decimal constructor of its own (never `Decimal.set`): 1000 significant digits. A quotient
 * by 60 either terminates or repeats 3s or 6s, so it can never land on a rounding boundary
 * by the division's own rounding when the inputs have far fewer than 1000 digits.
 */
const ReferenceDecimal = Decimal.clone({ precision: 1000, toExpNeg: -9e15, toExpPos: 9e15 });

/** decimal.js's rounding mode for each of SPEC's. */
export const DECIMAL_MODES = {
  'half-up': Decimal.ROUND_HALF_UP,
  'half-even': Decimal.ROUND_HALF_EVEN,
  up: Decimal.ROUND_UP,
  down: Decimal.ROUND_DOWN,
} as const satisfies Record<RoundingMode, Decimal.Rounding>;

/**
 * The amount of one call (SPEC §3.4) computed the plain way with decimal.js. Slow; it is the
 * oracle that tests hold {@link priceCall} to, with the same parameters and result.
 *
 * @param chargedSeconds - billed seconds not covered by allowances
 * @param billedSeconds - billed seconds of the call
 * @param price - the price per minute
 * @param connectFee - the fee per billed call
 * @param minimumChargeMicros - the least amount of a billed call, in micros
 * @param amountDecimals - decimals of the amount, 0..6
 * @param mode - how the exact amount is rounded
 * @returns the amount in micros (may be beyond safe integers: the oracle does not check)
 * @example
 * priceCallReference(61, 120, parsePrice('0.12')!, parsePrice('0')!, 0, 2, 'half-up'); // 122_000
 */
export function priceCallReference(
  chargedSeconds: number,
  billedSeconds: number,
  price: Price,
  connectFee: Price,
  minimumChargeMicros: Micros,
  amountDecimals: number,
  mode: RoundingMode,
): Micros {
  const fee = billedSeconds > 0 ? new ReferenceDecimal(connectFee.text) : new ReferenceDecimal(0);
  const exact = new ReferenceDecimal(price.text).times(chargedSeconds).dividedBy(60).plus(fee);
  const rounded = exact.toDecimalPlaces(amountDecimals, DECIMAL_MODES[mode]);
  const micros = rounded.times(1_000_000).toNumber();
  const amount = micros === 0 ? 0 : micros;
  return billedSeconds > 0 && amount < minimumChargeMicros ? minimumChargeMicros : amount;
}
