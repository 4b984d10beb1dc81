import type { RunWarning } from './reconcile/warnings.js';
import type { Issue } from './issues.js';

/**
 * The FeeInfo fields the product reads (SPEC §1), as text. Readers turn JSON numbers into
 * text (`"direction": 1` → `'1'`) and leave absent fields out; an empty string is an absent
 * value. Other fields of the source are not carried.
 */
export interface FeeRecord {
  readonly sessionId?: string;
  readonly icid?: string;
  readonly callerNum?: string;
  readonly calleeNum?: string;
  readonly bindNum?: string;
  readonly fwdDstNum?: string;
  readonly fwdDisplayNum?: string;
  readonly callInTime?: string;
  readonly fwdStartTime?: string;
  readonly fwdAlertingTime?: string;
  readonly fwdAnswerTime?: string;
  readonly callEndTime?: string;
  readonly direction?: string;
  readonly serviceType?: string;
  readonly subscriptionId?: string;
  readonly appKey?: string;
  readonly spId?: string;
  readonly mode?: string;
}

/** The names of {@link FeeRecord}'s fields, in SPEC §1 order. */
export const FEE_FIELDS = [
  'sessionId',
  'icid',
  'callerNum',
  'calleeNum',
  'bindNum',
  'fwdDstNum',
  'fwdDisplayNum',
  'callInTime',
  'fwdStartTime',
  'fwdAlertingTime',
  'fwdAnswerTime',
  'callEndTime',
  'direction',
  'serviceType',
  'subscriptionId',
  'appKey',
  'spId',
  'mode',
] as const satisfies readonly (keyof FeeRecord)[];

/** One field name of {@link FeeRecord}. */
export type FeeField = (typeof FEE_FIELDS)[number];

/**
 * What a CDR reader yields, in input order (SPEC §2.1): a fee record, a non-fee event that
 * is skipped and counted, or a record that could not be read.
 */
export type CdrItem =
  | {
      readonly type: 'fee';
      readonly record: FeeRecord;
      readonly source: string;
      readonly line: number;
    }
  | { readonly type: 'skipped'; readonly source: string; readonly line: number }
  | {
      /** An SMS notification (SPEC §4.5), found among the fee pushes. */
      readonly type: 'sms';
      readonly sms: SmsRecord;
      readonly source: string;
      readonly line: number;
    }
  | { readonly type: 'rejected'; readonly issue: Issue };

/**
 * The fields of an SMS notification (`smsEvent`) the product reads (SPEC §4.5), as text.
 *
 * @example
 * { smsIdentifier: 'm-1', virtualNumber: '+8613800000022', timeStamp: '2026-10-05 03:00:00', sendResult: 'success', splitNum: '2' }
 */
export interface SmsRecord {
  readonly smsIdentifier?: string;
  readonly virtualNumber?: string;
  /** UTC, `yyyy-MM-dd HH:mm:ss`. */
  readonly timeStamp?: string;
  /** `success` (any case) or `0` when sent. */
  readonly sendResult?: string;
  /** Parts the message was sent in (`extInfo.extParas` `splitNum`), default 1. */
  readonly splitNum?: string;
}

/**
 * One row of the console's export of the virtual numbers held (`--numbers`, SPEC §4.5), as
 * text; times without an offset are in the bill's zone.
 */
export interface NumberRow {
  readonly number?: string;
  readonly orderedAt?: string;
  readonly releasedAt?: string;
}

/** The canonical columns of a numbers file. */
export const NUMBER_COLUMNS = ['number', 'orderedAt', 'releasedAt'] as const;

/** What a numbers reader yields: a row, or a row that could not be read. */
export type NumberItem =
  | {
      readonly type: 'number';
      readonly row: NumberRow;
      readonly source: string;
      readonly line: number;
    }
  | { readonly type: 'rejected'; readonly issue: Issue };

/**
 * One data row of a bill file under canonical column names (SPEC §2.2), as text. An empty
 * cell is left out. Validation against the tariff and time zones happens in the core.
 */
export interface BillRow {
  readonly amount?: string;
  readonly callId?: string;
  readonly callerNum?: string;
  readonly privateNum?: string;
  readonly calleeNum?: string;
  readonly answerTime?: string;
  readonly endTime?: string;
  readonly billedSeconds?: string;
  readonly billedMinutes?: string;
  readonly packageMinutes?: string;
  readonly unitPrice?: string;
  readonly currency?: string;
  readonly item?: string;
}

/** The canonical bill column names, in SPEC §2.2 order. */
export const BILL_COLUMNS = [
  'amount',
  'callId',
  'callerNum',
  'privateNum',
  'calleeNum',
  'answerTime',
  'endTime',
  'billedSeconds',
  'billedMinutes',
  'packageMinutes',
  'unitPrice',
  'currency',
  'item',
] as const satisfies readonly (keyof BillRow)[];

/** One canonical bill column name. */
export type BillColumn = (typeof BILL_COLUMNS)[number];

/** What a bill reader yields, in file order: a data row, or a row that could not be read. */
export type BillItem =
  | { readonly type: 'row'; readonly row: BillRow; readonly source: string; readonly line: number }
  | { readonly type: 'rejected'; readonly issue: Issue }
  | {
      /** The export's own total row (SPEC §2.2): counted and checked, never a charge. */
      readonly type: 'total';
      /** Its amount cell as written, when it has one. */
      readonly amount: string | undefined;
      readonly source: string;
      readonly line: number;
    }
  | {
      /** Something a reader noticed about a file (SPEC §2.4), e.g. a mapped header it lacks. */
      readonly type: 'warning';
      readonly warning: RunWarning;
    };
