/**
 * The codes of run warnings (SPEC §2.4): the run's own doubts about its inputs. A report
 * built on the wrong month, zone or column map is confidently wrong; these say so.
 *
 * Codes are part of the API, never renamed.
 *
 * @example
 * WARNING_CODES.FEW_MATCHES; // what it means, in a sentence
 */
export const WARNING_CODES = {
  COLUMN_NOT_FOUND: 'a header a column map names is not in a file',
  TOTAL_ROW_MISMATCH: "an export's total row disagrees with the rows above it",
  NO_CALLS_IN_PERIOD: 'the bill has call rows but no kept CDR is in the period',
  FEW_MATCHES: "fewer than half of the bill's call rows matched a CDR",
  BILL_TIME_OFFSET: "the bill's times look shifted by a whole number of quarter-hours",
  ITEM_VALUES: 'an item value that is not understood covers many rows',
  INVOICE_TOTAL_MISMATCH: 'the invoice total given differs from the sum of the bill',
  EMPTY_INPUT: 'an input file holds no records',
  SKIPPED_FILE: 'a file in an input folder is not a regular file and was not read',
} as const;

/** A warning code. */
export type WarningCode = keyof typeof WARNING_CODES;

/**
 * One warning: a code, a sentence that says what looks wrong and what to do, and the file
 * or row it is about when there is one.
 *
 * @example
 * { code: 'BILL_TIME_OFFSET', message: 'every unmatched bill row …; try --bill-timezone Asia/Shanghai' }
 */
export interface RunWarning {
  readonly code: WarningCode;
  readonly message: string;
  readonly source?: string;
}
