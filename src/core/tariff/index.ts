/**
 * Tariffs (SPEC §3.2–§3.5): parsing and validation, choosing the rate of a call, billed
 * seconds after increments, allowances, and the amount of one call.
 */
export { AllowanceLedger, compareForAllowances } from './allowances.js';
export type { AllowanceCall } from './allowances.js';
export { amountFor } from './amount.js';
export { billedSecondsFor } from './billed-seconds.js';
export { chooseRate } from './choose-rate.js';
export { TariffError } from './errors.js';
export { parseTariff } from './parse-tariff.js';
export { PERIOD_BY_VALUES, WHEN_KEYS } from './types.js';
export type {
  Allowance,
  Charges,
  PeriodBy,
  Rate,
  RateIndex,
  RateSelector,
  Tariff,
  When,
  WhenKey,
} from './types.js';
