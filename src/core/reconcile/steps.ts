/**
 * The bridge of SPEC §4.6 for one matched pair: our amount re-rated toward theirs one thing
 * at a time — their seconds, their billed minutes, their price, their package minutes — and
 * the rest (rounding, fees, minimums). Each step is the change of the re-rated amount,
 * computed exactly as SPEC §3.4 with our rounding; the five sum to the pair's impact.
 */
import {
  parsePrice,
  pow10Big,
  roundDivBig,
  type Minutes,
  type Price,
  type RoundingMode,
} from '../money/index.js';
import { billedSecondsFor, type Rate, type Tariff } from '../tariff/index.js';
import { theirSeconds, type BilledItem } from './bill.js';
import type { ChargedCall } from './calls.js';
import type { PairSteps } from './rows.js';

/** A number of seconds, exactly: `units × 10^−scale` (billed minutes × 60 may have decimals). */
export interface ExactSeconds {
  readonly units: bigint;
  readonly scale: number;
}

/** Whole seconds as {@link ExactSeconds}. */
export function whole(seconds: number): ExactSeconds {
  return { units: BigInt(seconds), scale: 0 };
}

/** Stated minutes as {@link ExactSeconds} (× 60, exactly; a negative value is 0). */
export function ofMinutes(minutes: Minutes): ExactSeconds {
  const units = minutes.units * 60n;
  return { units: units < 0n ? 0n : units, scale: minutes.scale };
}

function aligned(a: ExactSeconds, b: ExactSeconds): [bigint, bigint, number] {
  const scale = Math.max(a.scale, b.scale);
  return [a.units * pow10Big(scale - a.scale), b.units * pow10Big(scale - b.scale), scale];
}

/** The smaller of two exact second counts. */
export function smaller(a: ExactSeconds, b: ExactSeconds): ExactSeconds {
  const [x, y] = aligned(a, b);
  return x <= y ? a : b;
}

/**
 * The amount of SPEC §3.4 for exact billed and package seconds at a price, with the rate's
 * connect fee and minimum, in micros.
 *
 * @example
 * reprice(whole(120), whole(0), price, rate, 2, 'half-up'); // 240_000 at 0.12
 */
export function reprice(
  billed: ExactSeconds,
  covered: ExactSeconds,
  price: Price,
  rate: Rate,
  decimals: number,
  mode: RoundingMode,
): number {
  const [b, p, scale] = aligned(billed, covered);
  const charged = b > p ? b - p : 0n;
  const withFee = b > 0n;
  const fee = rate.connectFee;
  const numerator =
    charged * price.units * pow10Big(fee.scale) +
    (withFee ? 60n * fee.units * pow10Big(scale + price.scale) : 0n);
  const denominator = 60n * pow10Big(scale + price.scale + fee.scale);
  const units = roundDivBig(numerator * pow10Big(decimals), denominator, mode);
  const micros = Number(units * pow10Big(6 - decimals));
  return withFee && micros < rate.minimumChargeMicros ? rate.minimumChargeMicros : micros;
}

/**
 * Splits a rated pair's impact (their amount − ours) into the steps of SPEC §4.6.
 *
 * @param call - our side: answered, in the period, rated
 * @param bill - their row
 * @param tariff - the tariff (the call's rate, rounding, decimals)
 * @returns the money of each step in micros; they sum to `bill.amount − call.amount`
 * @example
 * pairSteps(call, row, tariff); // { duration: 120000, increments: 0, rate: 0, package: 0, rounding: 0 }
 */
export function pairSteps(call: ChargedCall, bill: BilledItem, tariff: Tariff): PairSteps {
  const rate = tariff.rates[call.rateIndex] as Rate;
  const { amountDecimals: decimals, roundingMode: mode } = tariff;
  let billed = whole(call.billedSeconds);
  let covered = whole(call.packageSeconds);
  let price: Price = rate.pricePerMinute;
  const start = call.amount;
  let amount = start;
  const seconds = theirSeconds(bill);
  if (seconds !== undefined && seconds >= 0) {
    billed = whole(
      billedSecondsFor(seconds, rate.firstIncrementSeconds, rate.nextIncrementSeconds),
    );
    covered = smaller(covered, billed);
    amount = reprice(billed, covered, price, rate, decimals, mode);
  }
  const duration = amount - start;
  let before = amount;
  if (bill.billedMinutes !== undefined) {
    billed = ofMinutes(bill.billedMinutes);
    covered = smaller(covered, billed);
    amount = reprice(billed, covered, price, rate, decimals, mode);
  }
  const increments = amount - before;
  before = amount;
  const theirPrice =
    bill.unitPriceValue === undefined ? undefined : parsePrice(bill.unitPriceValue);
  if (theirPrice !== undefined && theirPrice.units >= 0n) {
    price = theirPrice;
    amount = reprice(billed, covered, price, rate, decimals, mode);
  }
  const rateStep = amount - before;
  before = amount;
  if (bill.packageMinutes !== undefined) {
    covered = smaller(ofMinutes(bill.packageMinutes), billed);
    amount = reprice(billed, covered, price, rate, decimals, mode);
  }
  const packageStep = amount - before;
  return {
    duration,
    increments,
    rate: rateStep,
    package: packageStep,
    rounding: bill.amount - amount,
  };
}
