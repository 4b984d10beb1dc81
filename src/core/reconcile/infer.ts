/**
 * The provider's policy, inferred from the matched pairs (SPEC §4.7). Evidence is counted
 * pair by pair into sums that add up across partitions in any order; the finding is made
 * once, over the whole month.
 */
import {
  minutesAgreeWithSeconds,
  parsePrice,
  ROUNDING_MODES,
  type Minutes,
  type RoundingMode,
} from '../money/index.js';
import { billedSecondsFor, type Rate, type Tariff } from '../tariff/index.js';
import { theirSeconds, type BilledItem } from './bill.js';
import type { ChargedCall } from './calls.js';
import { reprice, smaller, statedSeconds, whole, type ExactSeconds } from './steps.js';

/** SPEC §4.7's increments to try, besides the tariff's own. */
const INCREMENTS: readonly (readonly [number, number])[] = [
  [1, 1],
  [6, 6],
  [30, 6],
  [60, 60],
];
/** Pairs needed before anything is inferred. */
export const MIN_PAIRS = 20;

/** Evidence of the provider's policy, as plain data (sums across partitions). */
export interface PolicyEvidenceData {
  readonly pairs: number;
  /**
   * `[first, next, pairs it explains, pairs whose stated minutes it gives exactly]`, over
   * `incrementPairs`: minutes stated as `1` agree with 30 s and with 60 s (SPEC §4.2), but a
   * provider billing 30 s would have written `0.5`.
   */
  readonly increments: readonly (readonly [number, number, number, number])[];
  readonly incrementPairs: number;
  /** `[mode, pairs it reproduces]`, over `roundingPairs`. */
  readonly rounding: readonly (readonly [string, number])[];
  readonly roundingPairs: number;
  /** `[rateIndex, price, pairs, first answer ms, last answer ms]`. */
  readonly prices: readonly (readonly [number, string, number, number, number])[];
}

/** Collects {@link PolicyEvidenceData} pair by pair. */
export class PolicyEvidence {
  pairs = 0;
  incrementPairs = 0;
  roundingPairs = 0;
  /** `first/next` → [pairs it explains, pairs whose stated minutes it gives exactly]. */
  private readonly increments = new Map<string, [number, number]>();
  private readonly rounding = new Map<string, [number]>();
  private readonly prices = new Map<string, [number, string, number, number, number]>();
  /** What a pair's inputs showed, by those inputs, for the tariff they were judged with. */
  private memoTariff: Tariff | undefined;
  private memoEntries = 0;
  /** minutes → their seconds → the increments' counts it adds to, and 1 when exact. */
  private readonly incrementsMemo = new Map<
    number,
    Map<number, readonly (readonly [[number, number], number])[]>
  >();
  /** price → minutes → package → amount → [rate] → the modes' counts it adds to. */
  private readonly roundingMemo = new Map<unknown, unknown>();
  /** The entries of {@link prices} by rate, then price as written. */
  private readonly pricesByRate: Map<string, [number, string, number, number, number]>[] = [];

  /**
   * Counts one matched pair: which increments turn their seconds into their minutes, which
   * rounding mode turns their minutes and price into their amount, the price they imply.
   */
  add(call: ChargedCall, bill: BilledItem, tariff: Tariff): void {
    if (!call.inPeriod || call.answerMs === undefined || call.rateIndex < 0) return;
    this.pairs++;
    if (this.memoTariff !== tariff) {
      this.memoTariff = tariff;
      this.forget();
    }
    const seconds = theirSeconds(bill);
    const minutes = bill.billedMinutes;
    if (seconds !== undefined && seconds >= 0 && minutes !== undefined) {
      this.incrementPairs++;
      // The same seconds and minutes recur across a month: judged once each.
      const minutesKey = numericKey(minutes);
      let bySeconds = minutesKey === undefined ? undefined : this.incrementsMemo.get(minutesKey);
      if (bySeconds === undefined) {
        bySeconds = new Map();
        if (minutesKey !== undefined) this.incrementsMemo.set(minutesKey, bySeconds);
      }
      let explained = bySeconds.get(seconds);
      if (explained === undefined) {
        explained = incrementsExplaining(seconds, minutes, tariff).map(
          ([name, exact]) => [this.incrementsEntry(name), exact] as const,
        );
        bySeconds.set(seconds, explained);
        this.remembered();
      }
      for (const [entry, exact] of explained) {
        entry[0]++;
        entry[1] += exact;
      }
    }
    if (minutes !== undefined && minutes.units > 0n) {
      const modes = this.modesOf(call, bill, minutes, tariff);
      if (modes !== null) {
        this.roundingPairs++;
        for (const entry of modes) entry[0]++;
      }
    }
    if (bill.unitPriceValue !== undefined) {
      const byPrice = (this.pricesByRate[call.rateIndex] ??= new Map());
      const entry = byPrice.get(bill.unitPriceValue);
      if (entry === undefined) {
        const key = `${call.rateIndex}\u0000${bill.unitPriceValue}`;
        const made = this.prices.get(key) ?? [
          call.rateIndex,
          bill.unitPriceValue,
          0,
          call.answerMs,
          call.answerMs,
        ];
        made[2]++;
        made[3] = Math.min(made[3], call.answerMs);
        made[4] = Math.max(made[4], call.answerMs);
        this.prices.set(key, made);
        byPrice.set(bill.unitPriceValue, made);
      } else {
        entry[2]++;
        entry[3] = Math.min(entry[3], call.answerMs);
        entry[4] = Math.max(entry[4], call.answerMs);
      }
    }
  }

  /**
   * The counts of the rounding modes that reproduce a pair's amount, remembered by rate,
   * minutes, price, package and amount (numbers as keys: no text to build per pair).
   */
  private modesOf(
    call: ChargedCall,
    bill: BilledItem,
    minutes: Minutes,
    tariff: Tariff,
  ): [number][] | null {
    const minutesKey = numericKey(minutes);
    const packageKey =
      bill.packageMinutes === undefined ? call.packageSeconds : numericKey(bill.packageMinutes);
    if (minutesKey === undefined || packageKey === undefined) {
      const found = modesReproducing(call, bill, minutes, tariff);
      return found === null ? null : found.map((mode) => this.roundingEntry(mode));
    }
    const path = [
      bill.unitPriceValue ?? '',
      minutesKey,
      bill.packageMinutes === undefined ? -1 - packageKey : packageKey,
    ] as const;
    let level: Map<unknown, unknown> = this.roundingMemo;
    for (const key of path) {
      let below = level.get(key) as Map<unknown, unknown> | undefined;
      if (below === undefined) {
        below = new Map();
        level.set(key, below);
      }
      level = below;
    }
    let byRate = level.get(bill.amount) as ([number][] | null | undefined)[] | undefined;
    if (byRate === undefined) {
      byRate = [];
      level.set(bill.amount, byRate);
    }
    let modes = byRate[call.rateIndex];
    if (modes === undefined) {
      const found = modesReproducing(call, bill, minutes, tariff);
      modes = found === null ? null : found.map((mode) => this.roundingEntry(mode));
      byRate[call.rateIndex] = modes;
      this.remembered();
    }
    return modes;
  }

  /** Counts one more remembered input; past {@link MEMO_ENTRIES}, starts afresh. */
  private remembered(): void {
    if (++this.memoEntries > MEMO_ENTRIES) this.forget();
  }

  private forget(): void {
    this.incrementsMemo.clear();
    this.roundingMemo.clear();
    this.memoEntries = 0;
  }

  private incrementsEntry(key: string): [number, number] {
    let entry = this.increments.get(key);
    if (entry === undefined) {
      entry = [0, 0];
      this.increments.set(key, entry);
    }
    return entry;
  }

  private roundingEntry(mode: string): [number] {
    let entry = this.rounding.get(mode);
    if (entry === undefined) {
      entry = [0];
      this.rounding.set(mode, entry);
    }
    return entry;
  }

  /** The evidence as plain data. */
  toData(): PolicyEvidenceData {
    return {
      pairs: this.pairs,
      increments: [...this.increments].map(([key, [pairs, exact]]) => {
        const [first, next] = key.split('/').map(Number) as [number, number];
        return [first, next, pairs, exact] as const;
      }),
      incrementPairs: this.incrementPairs,
      rounding: [...this.rounding].map(([mode, [pairs]]) => [mode, pairs] as const),
      roundingPairs: this.roundingPairs,
      prices: [...this.prices.values()].map((entry) => [...entry] as const),
    };
  }

  /** Adds another part's evidence. */
  merge(other: PolicyEvidenceData): void {
    this.pairs += other.pairs;
    this.incrementPairs += other.incrementPairs;
    this.roundingPairs += other.roundingPairs;
    for (const [first, next, pairs, exact] of other.increments) {
      const entry = this.incrementsEntry(`${first}/${next}`);
      entry[0] += pairs;
      entry[1] += exact;
    }
    for (const [mode, pairs] of other.rounding) this.roundingEntry(mode)[0] += pairs;
    for (const [rateIndex, price, pairs, firstMs, lastMs] of other.prices) {
      const key = `${rateIndex}\u0000${price}`;
      const entry = this.prices.get(key);
      if (entry === undefined) this.prices.set(key, [rateIndex, price, pairs, firstMs, lastMs]);
      else {
        entry[2] += pairs;
        entry[3] = Math.min(entry[3], firstMs);
        entry[4] = Math.max(entry[4], lastMs);
      }
    }
  }
}

/** Inputs remembered at most, so that a bill of all-different rows stays small in memory. */
const MEMO_ENTRIES = 1 << 16;

/**
 * The candidate increments that turn their seconds into their minutes at the precision
 * written, as `[first/next, 1 when they give the stated minutes exactly]`.
 */
function incrementsExplaining(
  seconds: number,
  minutes: Minutes,
  tariff: Tariff,
): (readonly [string, number])[] {
  const stated = wholeSeconds(statedSeconds(minutes));
  const explained: (readonly [string, number])[] = [];
  for (const [first, next] of candidates(tariff)) {
    const billed = billedSecondsFor(seconds, first, next);
    if (minutesAgreeWithSeconds(minutes, billed)) {
      explained.push([`${first}/${next}`, billed === stated ? 1 : 0]);
    }
  }
  return explained;
}

/**
 * The rounding modes that turn their minutes, package minutes and price into their amount;
 * `null` when the pair tells nothing of rounding (a price that is no decimal).
 */
function modesReproducing(
  call: ChargedCall,
  bill: BilledItem,
  minutes: Minutes,
  tariff: Tariff,
): readonly RoundingMode[] | null {
  const rate = tariff.rates[call.rateIndex] as Rate;
  const price =
    bill.unitPriceValue === undefined ? rate.pricePerMinute : parsePrice(bill.unitPriceValue);
  if (price === undefined) return null;
  const billed = statedSeconds(minutes);
  const covered = smaller(
    bill.packageMinutes === undefined
      ? whole(call.packageSeconds)
      : statedSeconds(bill.packageMinutes),
    billed,
  );
  return ROUNDING_MODES.filter(
    (mode) => reprice(billed, covered, price, rate, tariff.amountDecimals, mode) === bill.amount,
  );
}

/** Minutes as one number (`units × 16 + scale`), when they fit; else `undefined`. */
function numericKey(minutes: Minutes): number | undefined {
  const units = minutes.unitsNumber;
  if (units === undefined || minutes.scale > 15 || units < 0 || units >= 2 ** 48) return undefined;
  return units * 16 + minutes.scale;
}

/** Whole seconds as a number, or -1 for a fraction of a second or an unsafe count. */
function wholeSeconds(seconds: ExactSeconds): number {
  return seconds.scale === 0 && seconds.units <= MAX_SAFE_BIG ? Number(seconds.units) : -1;
}

const MAX_SAFE_BIG = BigInt(Number.MAX_SAFE_INTEGER);

const CANDIDATES = new WeakMap<Tariff, readonly (readonly [number, number])[]>();

/** SPEC §4.7's increments and the tariff's own, once per tariff (it runs for every pair). */
function candidates(tariff: Tariff): readonly (readonly [number, number])[] {
  const known = CANDIDATES.get(tariff);
  if (known !== undefined) return known;
  const list: (readonly [number, number])[] = [...INCREMENTS];
  for (const rate of tariff.rates) {
    const own = [rate.firstIncrementSeconds, rate.nextIncrementSeconds] as const;
    if (!list.some(([f, n]) => f === own[0] && n === own[1])) list.push(own);
  }
  CANDIDATES.set(tariff, list);
  return list;
}
