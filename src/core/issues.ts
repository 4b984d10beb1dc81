/**
 * The stable codes of records and rows that could not be used (SPEC §5.3).
 *
 * Codes are part of the API: they appear in `rejected.csv` and in library results, and a
 * code is never renamed. Each comes with a one-line description of what it means.
 */
export const ISSUE_CODES = {
  INVALID_JSON: 'a line or document is not valid JSON, or not a JSON object',
  INVALID_TIME: 'a time is not yyyy-MM-dd HH:mm:ss or ISO 8601, or is not in the calendar',
  NEGATIVE_DURATION: 'callEndTime is before fwdAnswerTime',
  DURATION_OUT_OF_RANGE: 'the call lasts longer than --max-call-seconds',
  MISSING_FIELD: 'a required field is absent or empty',
  INVALID_AMOUNT: 'an amount or price is not a plain decimal',
  INVALID_NUMBER: 'billedSeconds is not a whole number, or a minutes value is not a decimal',
  MALFORMED_ROW:
    'a CSV row cannot be read (unclosed quote, wrong number of cells), or a minutes or price cell is no decimal',
  CURRENCY_MISMATCH: 'the row is in another currency than the tariff',
  INVALID_ENCODING: 'the bytes are not text in the chosen encoding',
  TRUNCATED_INPUT: 'the file ends in the middle of a record (a cut-off gzip stream, say)',
  EXCEL_MANGLED:
    'an id or phone number a spreadsheet wrote in scientific notation, its digits lost',
} as const;

/** A stable code of a rejected record or row. */
export type IssueCode = keyof typeof ISSUE_CODES;

/**
 * One input record or row that could not be used, with where it is and why.
 *
 * @example
 * { code: 'INVALID_TIME', source: 'cdrs/10-01.ndjson', line: 7,
 *   reason: "callEndTime '2026-13-01 00:00:00' is not a valid time" }
 */
export interface Issue {
  readonly code: IssueCode;
  /** The file (as given on the command line, or a caller's label). */
  readonly source: string;
  /** 1-based line where the record starts; 0 when the problem is the whole file. */
  readonly line: number;
  /** A sentence a person can act on. */
  readonly reason: string;
}

/** A value that is either usable or an {@link Issue}. Never thrown in the hot loop. */
export type Checked<T> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly issue: Issue };
