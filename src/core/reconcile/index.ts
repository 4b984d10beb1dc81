/**
 * Reconciliation (SPEC §3.5–§5): the building blocks the library's `reconcile` and the file
 * engine share. The package root exports the public part of it; the file engine imports the
 * rest from here.
 */
export { readBillRow, theirSeconds } from './bill.js';
export type { BilledItem, BillRowContext } from './bill.js';
export { CallBook } from './book.js';
export type { IdLookup } from './book.js';
export { isUnrated, rateRecord } from './calls.js';
export type { ChargedCall, RateCallContext, RatedCall } from './calls.js';
export {
  chargeCall,
  chargeCalls,
  compareAllowanceOrder,
  drawAllowances,
  drawsOnAllowances,
} from './charge.js';
export { finishRun } from './finish.js';
export type { FinishInput } from './finish.js';
export { compareRejected, InputCounts, Intake } from './intake.js';
export type { RejectedAt } from './intake.js';
export {
  actionOf,
  CHARGE_KINDS,
  DISCREPANCY_ACTIONS,
  DISCREPANCY_KINDS,
  KIND_ACTIONS,
  KIND_DESCRIPTIONS,
} from './kinds.js';
export type { DiscrepancyAction, DiscrepancyKind } from './kinds.js';
export { WARNING_CODES } from './warnings.js';
export type { RunWarning, WarningCode } from './warnings.js';
export { BRIDGE_STEPS } from './summary.js';
export {
  classifyPair,
  isLeftoverCall,
  matchById,
  settleLeftovers,
  sortDiscrepancies,
} from './match.js';
export type { Pair } from './match.js';
export {
  findNearDuplicates,
  matchedCallOf,
  matchedCallsOfPairs,
  meetsNearSpan,
  nearKeyOf,
} from './near.js';
export type { MatchedCall, MatchedCalls, NearSpans } from './near.js';
export { MAX_CALL_SECONDS_LIMIT, MAX_MATCH_WINDOW_SECONDS, planRun } from './plan.js';
export type { PairRules, ReconcileOptions, RunPlan } from './plan.js';
export { rateCalls, reconcile } from './reconcile.js';
export type { ItemSource, RateResult } from './reconcile.js';
export { Reconciler } from './reconciler.js';
export type { DrawingCall, Settled } from './reconciler.js';
export {
  DISCREPANCY_COLUMNS,
  DISCREPANCY_CSV_COLUMNS,
  DISCREPANCY_EXTRA_COLUMNS,
  formatPricePerMinute,
  RATED_COLUMNS,
  toDiscrepancyRow,
  toRatedRow,
} from './rows.js';
export type { Discrepancy, DiscrepancyRow, PairSteps, RatedRow, RowContext } from './rows.js';
export type {
  BridgeStep,
  BridgeStepName,
  ChargeItemSummary,
  ChargesSummary,
  Evidence,
  InferredPolicy,
  InputSummary,
  KindSummary,
  ReconcileProgress,
  ReconcileResult,
  Summary,
} from './summary.js';
export { oursOf, Tally } from './tally.js';
export type { BillCounts, CdrCounts, TallyData } from './tally.js';
export { isKnownItem, isTotalLabel, itemOf, itemValues, ITEM_VALUES } from './items.js';
export type { ItemValues, KnownItem } from './items.js';
export { inferredTariff } from './inferred-tariff.js';
