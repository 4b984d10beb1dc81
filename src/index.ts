/**
 * callrecon — the pure core: durations, tariff rating and bill reconciliation.
 *
 * No file system, clock or process here: give it records from anywhere. The readers of
 * CDR and bill files and the report writers live in `callrecon/io`.
 *
 * @example
 * import { parseTariff, reconcile } from 'callrecon';
 * const result = await reconcile({ cdrs, bill }, { tariff: parseTariff(json), period: '2026-10' });
 * console.log(result.summary.totals);
 */

// Records and rejected input
export { ISSUE_CODES } from './core/issues.js';
export type { Checked, Issue, IssueCode } from './core/issues.js';
export { BILL_COLUMNS, FEE_FIELDS } from './core/records.js';
export type {
  BillColumn,
  BillItem,
  BillRow,
  CdrItem,
  FeeField,
  FeeRecord,
} from './core/records.js';

// Time
export {
  billableMinutes,
  billableSeconds,
  callDurationMs,
  createTimeZone,
  DEFAULT_MAX_CALL_SECONDS,
  formatIsoTime,
  formatWallTime,
  INVALID_TIME,
  isInPeriod,
  isInstant,
  parseInstant,
  parsePeriod,
  PeriodError,
  TimeZoneError,
  UTC,
} from './core/time/index.js';
export type { DurationRejection, ParsedInstant, Period, TimeZone } from './core/time/index.js';

// Phone numbers and ordering
export { isSamePhone, maskPhone, normalisePhone } from './core/phone.js';
export { compareBytes } from './core/order.js';

// Money
export {
  addMicros,
  canonicalDecimal,
  formatMicros,
  formatMinutes,
  formatSecondsAsMinutes,
  minutesEqualSeconds,
  MinutesSum,
  MoneyOverflowError,
  parseMicros,
  parseMinutes,
  parsePrice,
  priceCall,
  ROUNDING_MODES,
} from './core/money/index.js';
export type { Micros, Minutes, Price, RoundingMode } from './core/money/index.js';

// Tariff and rating
export {
  AllowanceLedger,
  amountFor,
  billedSecondsFor,
  chooseRate,
  compareForAllowances,
  parseTariff,
  TariffError,
} from './core/tariff/index.js';
export type {
  Allowance,
  PeriodBy,
  Rate,
  RateIndex,
  RateSelector,
  Tariff,
  When,
} from './core/tariff/index.js';

// Reconciliation
export { readBillRow, theirSeconds } from './core/reconcile/bill.js';
export type { BilledItem, BillRowContext } from './core/reconcile/bill.js';
export { isUnrated, rateRecord } from './core/reconcile/calls.js';
export type { RateCallContext, RatedCall } from './core/reconcile/calls.js';
export { DISCREPANCY_KINDS, KIND_DESCRIPTIONS } from './core/reconcile/kinds.js';
export type { DiscrepancyKind } from './core/reconcile/kinds.js';
export {
  createRunContext,
  finishReconciliation,
  InputCounts,
  rateCalls,
  reconcile,
} from './core/reconcile/reconcile.js';
export type { RunContext } from './core/reconcile/reconcile.js';
export { CallBook } from './core/reconcile/book.js';
export {
  chargeCalls,
  compareAllowanceOrder,
  drawAllowances,
  drawsOnAllowances,
  priceRatedCall,
  priceCalls,
} from './core/reconcile/charge.js';
export {
  classifyPair,
  createPairRules,
  isLeftoverCall,
  matchById,
  settleLeftovers,
  sortDiscrepancies,
} from './core/reconcile/match.js';
export type { Pair, PairRules } from './core/reconcile/match.js';
export { oursOf, Tally } from './core/reconcile/tally.js';
export type { BillCounts, CdrCounts, TallyData } from './core/reconcile/tally.js';
export type {
  InputSummary,
  ItemSource,
  KindSummary,
  RateResult,
  ReconcileOptions,
  ReconcileProgress,
  ReconcileResult,
  Summary,
} from './core/reconcile/reconcile.js';
export {
  DISCREPANCY_COLUMNS,
  formatPricePerMinute,
  RATED_COLUMNS,
  toDiscrepancyRow,
  toRatedRow,
} from './core/reconcile/rows.js';
export type { Discrepancy, DiscrepancyRow, RatedRow, RowContext } from './core/reconcile/rows.js';
