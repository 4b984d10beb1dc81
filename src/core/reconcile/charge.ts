import { AllowanceLedger, amountFor, compareForAllowances, type Tariff } from '../tariff/index.js';
import type { RatedCall } from './calls.js';

/** Whether a call draws on allowances: answered, rated and billing seconds (SPEC §3.5). */
export function drawsOnAllowances(call: RatedCall): boolean {
  return call.answerMs !== undefined && call.rateIndex >= 0 && call.billedSeconds > 0;
}

/**
 * The order in which calls consume allowances (SPEC §3.5): their periodBy instant, then
 * their id in byte order.
 */
export function compareAllowanceOrder(a: RatedCall, b: RatedCall): number {
  return compareForAllowances(
    { periodMs: a.periodMs, sessionId: a.callId },
    { periodMs: b.periodMs, sessionId: b.callId },
  );
}

/**
 * Lets calls, given in consumption order, draw on the tariff's allowances: sets each call's
 * `packageSeconds`.
 *
 * @param ordered - the calls that draw (see {@link drawsOnAllowances}), sorted by
 *   {@link compareAllowanceOrder}
 * @param ledger - the allowances' remaining seconds, carried from earlier calls
 */
export function drawAllowances(ordered: Iterable<RatedCall>, ledger: AllowanceLedger): void {
  for (const call of ordered) {
    call.packageSeconds = ledger.consume({
      answerMs: call.answerMs as number,
      bindNum: call.bindNum,
      serviceType: call.serviceType,
      direction: call.direction,
      mode: call.mode,
      billedSeconds: call.billedSeconds,
    });
  }
}

/** Sets a rated call's amount from its billed and package seconds (SPEC §3.4). */
export function priceRatedCall(call: RatedCall, tariff: Tariff): void {
  if (call.rateIndex >= 0) {
    call.amount = amountFor(tariff, call.rateIndex, call.billedSeconds, call.packageSeconds);
  }
}

/** Sets every rated call's amount (see {@link priceRatedCall}). */
export function priceCalls(calls: Iterable<RatedCall>, tariff: Tariff): void {
  for (const call of calls) priceRatedCall(call, tariff);
}

/**
 * Charges a complete set of calls: allowances drawn in order, then every amount.
 *
 * @param calls - every kept call, any order
 * @param tariff - the tariff
 */
export function chargeCalls(calls: readonly RatedCall[], tariff: Tariff): void {
  if (tariff.allowances.length > 0) {
    const drawing = calls.filter(drawsOnAllowances).sort(compareAllowanceOrder);
    drawAllowances(drawing, new AllowanceLedger(tariff));
  }
  priceCalls(calls, tariff);
}
