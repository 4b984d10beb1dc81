import { Decimal } from 'decimal.js';
import type { BillRow, RoundingMode } from '../../src/index.js';
import { DECIMAL_MODES } from './price-reference.js';

/**
 * A provider's rating, written the plain way with decimal.js and apart from the product's
 * own rating code, so that tests of the bridge and the inferred policy do not check the
 * product against itself: seconds up to the increments, price × minutes, rounded to cents.
 */
const ProviderDecimal = Decimal.clone({ precision: 80, toExpNeg: -100, toExpPos: 100 });

/** How a provider rates a call. */
export interface ProviderPolicy {
  readonly first: number;
  readonly next: number;
  /** Its price per minute, as a decimal string. */
  readonly price: string;
  readonly mode: RoundingMode;
}

/** Seconds after increments: `first` for a call up to it, then whole `next` steps. */
export function providerBilledSeconds(seconds: number, first: number, next: number): number {
  if (seconds === 0) return 0;
  if (seconds <= first) return first;
  return first + Math.ceil((seconds - first) / next) * next;
}

/** `billedSeconds × price / 60`, rounded to 2 decimals with the mode. */
export function providerAmount(billedSeconds: number, price: string, mode: RoundingMode): string {
  return new ProviderDecimal(billedSeconds)
    .times(price)
    .div(60)
    .toDecimalPlaces(2, DECIMAL_MODES[mode])
    .toFixed(2);
}

/** Billed minutes as a bill writes them: exact when 6 decimals hold them, else to 6. */
export function providerMinutes(billedSeconds: number): string {
  const minutes = new ProviderDecimal(billedSeconds).div(60);
  const written = minutes.toDecimalPlaces(6, Decimal.ROUND_HALF_UP);
  return written.eq(minutes) ? minutes.toFixed() : written.toFixed(6);
}

/** The bill row a provider writes for a call of `seconds` under its policy. */
export function providerRow(callId: string, seconds: number, policy: ProviderPolicy): BillRow {
  const billed = providerBilledSeconds(seconds, policy.first, policy.next);
  return {
    callId,
    billedSeconds: String(seconds),
    billedMinutes: providerMinutes(billed),
    unitPrice: policy.price,
    amount: providerAmount(billed, policy.price, policy.mode),
  };
}

/** Exact sum of decimal strings. */
export function decimalSum(texts: readonly string[]): Decimal {
  return texts.reduce((sum, text) => sum.plus(text), new ProviderDecimal(0));
}

/** A decimal string read exactly. */
export function exact(text: string): Decimal {
  return new ProviderDecimal(text);
}
