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
 *
 * @packageDocumentation
 */

// Reconciliation
export { rateCalls, reconcile } from './core/reconcile/reconcile.js';
export { inferredTariff } from './core/reconcile/inferred-tariff.js';
export type { BillInput, CdrInput, ItemSource, RateResult } from './core/reconcile/reconcile.js';
export type { ReconcileOptions } from './core/reconcile/plan.js';
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
} from './core/reconcile/summary.js';
export {
  actionOf,
  CHARGE_KINDS,
  DISCREPANCY_ACTIONS,
  DISCREPANCY_KINDS,
  KIND_ACTIONS,
  KIND_DESCRIPTIONS,
} from './core/reconcile/kinds.js';
export type { DiscrepancyAction, DiscrepancyKind } from './core/reconcile/kinds.js';
export { WARNING_CODES } from './core/reconcile/warnings.js';
export type { RunWarning, WarningCode } from './core/reconcile/warnings.js';
export { BRIDGE_STEPS } from './core/reconcile/summary.js';
export {
  DISCREPANCY_COLUMNS,
  DISCREPANCY_CSV_COLUMNS,
  DISCREPANCY_EXTRA_COLUMNS,
  RATED_COLUMNS,
} from './core/reconcile/rows.js';
export type { PairSteps } from './core/reconcile/rows.js';
export type { Discrepancy, DiscrepancyRow } from './core/reconcile/rows.js';
export type { ChargedCall, RatedCall } from './core/reconcile/calls.js';
export type { BilledItem } from './core/reconcile/bill.js';

// Records and rejected input
export { ISSUE_CODES } from './core/issues.js';
export type { Checked, Issue, IssueCode } from './core/issues.js';
export { BILL_COLUMNS, FEE_FIELDS, NUMBER_COLUMNS } from './core/records.js';
export type {
  BillColumn,
  BillItem,
  BillRow,
  CdrItem,
  FeeField,
  FeeRecord,
  NumberItem,
  NumberRow,
  SmsRecord,
} from './core/records.js';

// Errors
export { CallreconError, OptionsError } from './core/errors.js';
export type { FailureCode } from './core/errors.js';

// Time
export {
  billableMinutes,
  billableSeconds,
  callDurationMs,
  createTimeZone,
  DEFAULT_MAX_CALL_SECONDS,
  formatIsoTime,
  INVALID_TIME,
  isInPeriod,
  parseInstant,
  parsePeriod,
  PeriodError,
  TimeZoneError,
  UTC,
} from './core/time/index.js';
export type { DurationRejection, ParsedInstant, Period, TimeZone } from './core/time/index.js';

// Phone numbers
export { isSamePhone, maskPhone, normalisePhone } from './core/phone.js';

// Money
export {
  formatAnyMicros,
  formatMicros,
  formatMinutes,
  formatSecondsAsMinutes,
  MicrosSum,
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
  Charges,
  AllowanceCall,
  PeriodBy,
  Rate,
  RateIndex,
  RateSelector,
  Tariff,
  When,
} from './core/tariff/index.js';
