import { compareBytes } from '../order.js';
import { compiledOf, type CompiledEntry } from './compiled.js';
import type { RateSelector, Tariff } from './types.js';
import { matchWhen } from './when.js';

/**
 * A call as allowances see it: what selects an allowance, and the seconds it would draw.
 *
 * @example
 * const call: AllowanceCall = { bindNum: '+8613800000022', answerMs: 1790000000000, billedSeconds: 120 };
 */
export interface AllowanceCall extends RateSelector {
  /** Billed seconds of the call (SPEC §3.4). */
  readonly billedSeconds: number;
}

/**
 * The order in which calls consume allowances (SPEC §3.5): by their `periodBy` instant, then
 * `sessionId` in byte order (not `localeCompare`).
 *
 * @param a - a call's `periodMs` and `sessionId`
 * @param b - another call's
 * @returns negative, zero or positive, for `Array.prototype.sort`
 * @example
 * calls.sort(compareForAllowances);
 */
export function compareForAllowances(
  a: { readonly periodMs: number; readonly sessionId: string },
  b: { readonly periodMs: number; readonly sessionId: string },
): number {
  if (a.periodMs !== b.periodMs) return a.periodMs < b.periodMs ? -1 : 1;
  return compareBytes(a.sessionId, b.sessionId);
}

/**
 * What allowances (packages of minutes) remain, as calls consume them (SPEC §3.5). Feed it
 * the answered, rated calls in {@link compareForAllowances} order; it holds one counter per
 * allowance, so it streams.
 *
 * @example
 * const ledger = new AllowanceLedger(tariff);
 * for (const call of calls.sort(compareForAllowances)) {
 *   call.packageSeconds = ledger.consume(call);
 * }
 */
export class AllowanceLedger {
  readonly #allowances: readonly CompiledEntry[];
  readonly #remaining: number[];

  /**
   * @param tariff - the tariff whose allowances are drawn, each starting at its capacity
   *   `(minutes − consumedBeforeMinutes) · 60` seconds
   */
  constructor(tariff: Tariff) {
    this.#allowances = compiledOf(tariff).allowances;
    this.#remaining = tariff.allowances.map((allowance) => allowance.capacitySeconds);
  }

  /**
   * Draws a call's billed seconds from the allowances, in the order listed: each allowance
   * whose validity contains `answerMs` and whose `when` matches takes the smaller of what it
   * has left and what is still uncovered.
   *
   * @param call - the call's selecting fields, `answerMs` and `billedSeconds`
   * @returns the call's `packageSeconds`, 0..billedSeconds
   * @throws RangeError when `billedSeconds` is not a whole number ≥ 0
   */
  consume(call: AllowanceCall): number {
    const billed = call.billedSeconds;
    if (!Number.isSafeInteger(billed) || billed < 0) {
      throw new RangeError(`billedSeconds ${billed} is not a whole number ≥ 0`);
    }
    let uncovered = billed;
    for (let i = 0; i < this.#allowances.length && uncovered > 0; i++) {
      const remaining = this.#remaining[i] as number;
      if (remaining === 0) continue;
      const allowance = this.#allowances[i] as CompiledEntry;
      if (call.answerMs < allowance.fromMs || !(call.answerMs < allowance.toMs)) continue;
      if (matchWhen(allowance.matcher, call) < 0) continue;
      const take = remaining < uncovered ? remaining : uncovered;
      this.#remaining[i] = remaining - take;
      uncovered -= take;
    }
    return billed - uncovered;
  }

  /**
   * Seconds left in each allowance, in the tariff's order.
   *
   * @returns a copy of the counters
   */
  remainingSeconds(): number[] {
    return [...this.#remaining];
  }
}
