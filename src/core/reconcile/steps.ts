/**
 * The bridge of SPEC §4.6 for one matched pair: our amount re-rated toward theirs one thing
 * at a time — their seconds, their billed minutes, their price, their package minutes — and
 * the rest (rounding, fees, minimums). Each step is the change of the re-rated amount,
 * computed exactly as SPEC §3.4 with our rounding; the five sum to the pair's impact.
 */
import {
  minutesAgreeWithSeconds,
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

const MAX_SAFE_BIG = BigInt(Number.MAX_SAFE_INTEGER);

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

/**
 * Stated minutes as the seconds they stand for: the whole number of seconds when exactly one
 * agrees with them at the precision they are written with (`0.616667` and `0.62` stand for
 * 37 s, as SPEC §4.2 reads them), else their exact value × 60. A provider bills whole
 * seconds; re-rating 37.00002 s instead of 37 s would move a cent at a tie into the wrong
 * step.
 *
 * @example
 * statedSeconds(parseMinutes('0.616667')!); // { units: 37n, scale: 0 }
 * statedSeconds(parseMinutes('0.6')!); // { units: 36n, scale: 0 }
 */
export function statedSeconds(minutes: Minutes): ExactSeconds {
  const stated = ofMinutes(minutes);
  if (stated.scale === 0) return stated;
  const unit = pow10Big(stated.scale);
  if (stated.units % unit === 0n) return { units: stated.units / unit, scale: 0 };
  const nearest = roundDivBig(stated.units, unit, 'half-up');
  // At one decimal or fewer the value × 60 is whole; at two or more, one second at most agrees.
  if (nearest <= MAX_SAFE_BIG && minutesAgreeWithSeconds(minutes, Number(nearest))) {
    return { units: nearest, scale: 0 };
  }
  return stated;
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
 * connect fee and minimum, in micros, exactly at any size (a bill may state any seconds,
 * minutes or price).
 *
 * @example
 * repriceMicros(whole(120), whole(0), price, rate, 2, 'half-up'); // 240_000n at 0.12
 */
export function repriceMicros(
  billed: ExactSeconds,
  covered: ExactSeconds,
  price: Price,
  rate: Rate,
  decimals: number,
  mode: RoundingMode,
): bigint {
  const [b, p, scale] = aligned(billed, covered);
  const charged = b > p ? b - p : 0n;
  const withFee = b > 0n;
  const fee = rate.connectFee;
  const numerator =
    charged * price.units * pow10Big(fee.scale) +
    (withFee ? 60n * fee.units * pow10Big(scale + price.scale) : 0n);
  const denominator = 60n * pow10Big(scale + price.scale + fee.scale);
  const units = roundDivBig(numerator * pow10Big(decimals), denominator, mode);
  const micros = units * pow10Big(6 - decimals);
  const minimum = BigInt(rate.minimumChargeMicros);
  return withFee && micros < minimum ? minimum : micros;
}

/**
 * {@link repriceMicros} as a number of micros (inexact past 2^53, where it matches no
 * bill's amount).
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
  return Number(repriceMicros(billed, covered, price, rate, decimals, mode));
}

/**
 * Holds re-rated amounts within a band around ours and theirs that is at most 2^53 − 1
 * micros wide, so that every step (the difference of two held amounts) is an exact safe
 * integer and the steps still sum to the impact. Only a row stating absurd seconds, minutes
 * or a price (an amount of billions) reaches the band's edge.
 */
function heldWithin(ours: number, theirs: number): (micros: bigint) => number {
  const low = BigInt(Math.min(ours, theirs));
  const high = BigInt(Math.max(ours, theirs));
  const room = MAX_SAFE_BIG - (high - low);
  const slack = room > 0n ? room / 2n : 0n;
  const floor = low - slack;
  const ceiling = high + slack;
  return (micros) => Number(micros < floor ? floor : micros > ceiling ? ceiling : micros);
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
  const held = heldWithin(start, bill.amount);
  const rerate = (): number => held(repriceMicros(billed, covered, price, rate, decimals, mode));
  let amount = start;
  const seconds = theirSeconds(bill);
  if (seconds !== undefined && seconds >= 0) {
    billed = whole(
      billedSecondsFor(seconds, rate.firstIncrementSeconds, rate.nextIncrementSeconds),
    );
    covered = smaller(covered, billed);
    amount = rerate();
  }
  const duration = amount - start;
  let before = amount;
  if (bill.billedMinutes !== undefined) {
    billed = statedSeconds(bill.billedMinutes);
    covered = smaller(covered, billed);
    amount = rerate();
  }
  const increments = amount - before;
  before = amount;
  const theirPrice =
    bill.unitPriceValue === undefined ? undefined : parsePrice(bill.unitPriceValue);
  if (theirPrice !== undefined && theirPrice.units >= 0n) {
    price = theirPrice;
    amount = rerate();
  }
  const rateStep = amount - before;
  before = amount;
  if (bill.packageMinutes !== undefined) {
    covered = smaller(statedSeconds(bill.packageMinutes), billed);
    amount = rerate();
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
