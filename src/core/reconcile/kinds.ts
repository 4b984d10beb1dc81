/**
 * The kinds of discrepancy (SPEC §4.3, §4.5), in the order reports list them: the calls,
 * then the rest of the invoice.
 *
 * @example
 * DISCREPANCY_KINDS.includes('MISSING_IN_BILL'); // true
 */
export const DISCREPANCY_KINDS = [
  'MISSING_IN_BILL',
  'MISSING_IN_CDRS',
  'DUPLICATE_IN_BILL',
  'NEAR_DUPLICATE_IN_BILL',
  'PERIOD_MISMATCH',
  'UNANSWERED_BILLED',
  'NO_TARIFF',
  'DURATION_MISMATCH',
  'MINUTES_MISMATCH',
  'RATE_MISMATCH',
  'PACKAGE_MISMATCH',
  'AMOUNT_MISMATCH',
  'CONFLICTING_CDR',
  'CHARGE_MISMATCH',
  'UNEXPECTED_CHARGE',
  'MISSING_CHARGE',
] as const;

/**
 * One kind of discrepancy.
 *
 * @example
 * const kind: DiscrepancyKind = 'RATE_MISMATCH';
 */
export type DiscrepancyKind = (typeof DISCREPANCY_KINDS)[number];

/** The kinds of the rest of the invoice (SPEC §4.5): rent, SMS, packages and other items. */
export const CHARGE_KINDS = [
  'CHARGE_MISMATCH',
  'UNEXPECTED_CHARGE',
  'MISSING_CHARGE',
] as const satisfies readonly DiscrepancyKind[];

/**
 * What each kind means, in a sentence for reports.
 *
 * @example
 * KIND_DESCRIPTIONS.MISSING_IN_CDRS; // 'a billed call we have no record of'
 */
export const KIND_DESCRIPTIONS: Readonly<Record<DiscrepancyKind, string>> = {
  MISSING_IN_BILL: 'a call we rated that the bill does not charge',
  MISSING_IN_CDRS: 'a billed call we have no record of',
  DUPLICATE_IN_BILL: 'a call billed more than once',
  NEAR_DUPLICATE_IN_BILL: 'one call billed twice under two ids',
  PERIOD_MISMATCH: 'a call of another month billed in this one',
  UNANSWERED_BILLED: 'a call that was never answered, billed',
  NO_TARIFF: 'an answered call no rate of the tariff covers',
  DURATION_MISMATCH: 'the bill states another duration',
  MINUTES_MISMATCH: 'the bill charges another number of minutes',
  RATE_MISMATCH: 'the bill charges another price per minute',
  PACKAGE_MISMATCH: 'the bill covers another number of minutes by a package',
  AMOUNT_MISMATCH: 'the bill charges another amount',
  CONFLICTING_CDR: 'two records of the same call disagree; the first is used',
  CHARGE_MISMATCH: 'rent, SMS or a package billed at another amount',
  UNEXPECTED_CHARGE: 'a charge we owe nothing for',
  MISSING_CHARGE: 'a charge we owe that the bill does not have',
};

/**
 * The first thing finance does about a discrepancy (SPEC §4.3): claim it back, check the
 * period, fix the tariff, check the records, or note it.
 *
 * @example
 * const action: DiscrepancyAction = 'claim';
 */
export type DiscrepancyAction = 'claim' | 'check-period' | 'fix-tariff' | 'check-records' | 'note';

/** The actions, in the order reports list them. */
export const DISCREPANCY_ACTIONS = [
  'claim',
  'check-period',
  'fix-tariff',
  'check-records',
  'note',
] as const satisfies readonly DiscrepancyAction[];

const MISMATCHES: ReadonlySet<DiscrepancyKind> = new Set([
  'DURATION_MISMATCH',
  'MINUTES_MISMATCH',
  'RATE_MISMATCH',
  'PACKAGE_MISMATCH',
  'AMOUNT_MISMATCH',
  'CHARGE_MISMATCH',
]);

/**
 * The action of a discrepancy (SPEC §4.3): `claim` when the bill charges too much
 * (a billed call we have no record of, twice billed, unanswered, an unexpected charge, a
 * mismatch with a positive impact), `check-period` for a call of another month, `fix-tariff`
 * for an unrated call, `check-records` for conflicting records, `note` when the bill
 * charges less (missing from the bill, a missing charge, a mismatch with a negative or zero
 * impact).
 *
 * @param kind - the kind
 * @param impact - its impact, theirs − ours (any number type)
 * @returns the action
 * @example
 * actionOf('RATE_MISMATCH', 30_000); // 'claim'
 * actionOf('RATE_MISMATCH', -30_000); // 'note'
 */
export function actionOf(kind: DiscrepancyKind, impact: number | bigint): DiscrepancyAction {
  if (MISMATCHES.has(kind)) return impact > 0 ? 'claim' : 'note';
  switch (kind) {
    case 'PERIOD_MISMATCH':
      return 'check-period';
    case 'NO_TARIFF':
      return 'fix-tariff';
    case 'CONFLICTING_CDR':
      return 'check-records';
    case 'MISSING_IN_BILL':
    case 'MISSING_CHARGE':
      return 'note';
    default:
      return 'claim';
  }
}

/**
 * What to do about each kind, for a person (reports): one sentence each, the first step.
 *
 * @example
 * KIND_ACTIONS.MISSING_IN_CDRS; // starts with 'check the push receiver'
 */
export const KIND_ACTIONS: Readonly<Record<DiscrepancyKind, string>> = {
  MISSING_IN_BILL: 'nothing to claim; note it (the provider may bill it later)',
  MISSING_IN_CDRS:
    "check the push receiver's log of that day; claim it back if the call did not happen",
  DUPLICATE_IN_BILL: 'claim the second row back',
  NEAR_DUPLICATE_IN_BILL: 'claim the second row back: the same call, answered at the same time',
  PERIOD_MISMATCH: "claim it back, unless the call is missing from its own month's bill",
  UNANSWERED_BILLED: 'claim it back',
  NO_TARIFF: 'fix the tariff file, or ask which price applies',
  DURATION_MISMATCH: 'claim the difference when the bill is higher; compare the seconds',
  MINUTES_MISMATCH: 'claim the difference when the bill is higher; compare the minutes',
  RATE_MISMATCH: "claim the difference when the bill is higher; check the contract's prices",
  PACKAGE_MISMATCH: "check the package's size, dates and earlier use; claim when higher",
  AMOUNT_MISMATCH: 'usually rounding: claim when higher, or consider --amount-tolerance',
  CONFLICTING_CDR: 'check the push receiver: two records of one call disagree',
  CHARGE_MISMATCH: 'claim the difference when the bill is higher',
  UNEXPECTED_CHARGE: 'claim it back, or add the item to the tariff',
  MISSING_CHARGE: 'nothing to claim; note it (the provider may bill it later)',
};
