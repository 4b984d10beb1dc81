/**
 * The kinds of discrepancy (SPEC §4.3), in the order reports list them.
 */
export const DISCREPANCY_KINDS = [
  'MISSING_IN_BILL',
  'MISSING_IN_CDRS',
  'DUPLICATE_IN_BILL',
  'PERIOD_MISMATCH',
  'UNANSWERED_BILLED',
  'NO_TARIFF',
  'DURATION_MISMATCH',
  'MINUTES_MISMATCH',
  'RATE_MISMATCH',
  'PACKAGE_MISMATCH',
  'AMOUNT_MISMATCH',
  'CONFLICTING_CDR',
] as const;

/** One kind of discrepancy. */
export type DiscrepancyKind = (typeof DISCREPANCY_KINDS)[number];

/** What each kind means, in a sentence for reports. */
export const KIND_DESCRIPTIONS: Readonly<Record<DiscrepancyKind, string>> = {
  MISSING_IN_BILL: 'a call we rated that the bill does not charge',
  MISSING_IN_CDRS: 'a billed call we have no record of',
  DUPLICATE_IN_BILL: 'a call billed more than once',
  PERIOD_MISMATCH: 'a call of another month billed in this one',
  UNANSWERED_BILLED: 'a call that was never answered, billed',
  NO_TARIFF: 'an answered call no rate of the tariff covers',
  DURATION_MISMATCH: 'the bill states another duration',
  MINUTES_MISMATCH: 'the bill charges another number of minutes',
  RATE_MISMATCH: 'the bill charges another price per minute',
  PACKAGE_MISMATCH: 'the bill covers another number of minutes by a package',
  AMOUNT_MISMATCH: 'the bill charges another amount',
  CONFLICTING_CDR: 'two records of the same call disagree; the first is used',
};
