import {
  formatMicros,
  formatMinutes,
  formatScaled,
  formatSecondsAsMinutes,
  type Price,
} from '../money/index.js';
import type { Tariff } from '../tariff/index.js';
import { formatIsoTime } from '../time/instant.js';
import type { TimeZone } from '../time/zone.js';
import type { BilledItem } from './bill.js';
import { theirSeconds } from './bill.js';
import type { ChargedCall, RatedCall } from './calls.js';
import { actionOf, type DiscrepancyAction, type DiscrepancyKind } from './kinds.js';

/** One discrepancy as the engine finds it: the call and/or bill row, and the money at stake. */
export interface Discrepancy {
  readonly kind: DiscrepancyKind;
  /** The call: charged, except the record of a `CONFLICTING_CDR` (never kept, never priced). */
  readonly call: ChargedCall | RatedCall | undefined;
  readonly bill: BilledItem | undefined;
  readonly matchedBy: 'id' | 'composite' | '';
  /** theirs − ours for this item, in micro-units (SPEC §4.3). */
  readonly impact: number;
  readonly detail: string;
  /** A pair's impact split into the steps of SPEC §4.6, in micros; absent without a pair. */
  readonly steps?: PairSteps | undefined;
  /** The virtual number an other charge is about (SPEC §4.5), when no row names it. */
  readonly number?: string | undefined;
}

/**
 * The money of each step that re-rates our amount toward theirs (SPEC §4.6), in micros:
 * the five sum to the pair's impact exactly.
 */
export interface PairSteps {
  readonly duration: number;
  readonly increments: number;
  readonly rate: number;
  readonly package: number;
  readonly rounding: number;
}

/** The columns of `discrepancies.csv`, in order (SPEC §5.2). */
export const DISCREPANCY_COLUMNS = [
  'kind',
  'callId',
  'matchedBy',
  'impact',
  'amountOurs',
  'amountTheirs',
  'secondsOurs',
  'secondsTheirs',
  'minutesOurs',
  'minutesTheirs',
  'unitPriceOurs',
  'unitPriceTheirs',
  'callerNum',
  'privateNum',
  'calleeNum',
  'answerTime',
  'endTime',
  'cdrSource',
  'billSource',
  'detail',
] as const;

/**
 * The columns `discrepancies.csv` has after those of SPEC §5.2: the action (§4.3) and a
 * pair's steps of the bridge (§4.6).
 */
export const DISCREPANCY_EXTRA_COLUMNS = [
  'action',
  'stepDuration',
  'stepIncrements',
  'stepRate',
  'stepPackage',
  'stepRounding',
] as const;

/** Every column of `discrepancies.csv`, in order. */
export const DISCREPANCY_CSV_COLUMNS = [
  ...DISCREPANCY_COLUMNS,
  ...DISCREPANCY_EXTRA_COLUMNS,
] as const;

/**
 * One row of `discrepancies.csv` (SPEC §5.2), every cell as text; an unknown value is the
 * empty string. Phone numbers are not masked here (writers mask them).
 */
export type DiscrepancyRow = {
  readonly [K in (typeof DISCREPANCY_CSV_COLUMNS)[number]]: string;
} & {
  readonly kind: DiscrepancyKind;
  readonly matchedBy: 'id' | 'composite' | '';
  readonly action: DiscrepancyAction;
};

/** What turning engine values into text needs. */
export interface RowContext {
  readonly tariff: Tariff;
  /** The zone times are shown in (`summary.timezone`). */
  readonly zone: TimeZone;
}

const priceTexts = new WeakMap<Price, string>();

/**
 * A price with at least the amount's decimals (`0.10`, not `0.1`), more where it has them.
 * Written once per rate: reports write it for every call.
 *
 * @param price - a rate's price, or `undefined` (the empty string)
 * @param decimals - the tariff's `amountDecimals`
 * @example
 * formatPricePerMinute(parsePrice('0.1'), 2); // '0.10'
 */
export function formatPricePerMinute(price: Price | undefined, decimals: number): string {
  if (price === undefined) return '';
  let text = priceTexts.get(price);
  if (text === undefined) {
    text = formatScaled(price.units, price.scale, decimals);
    priceTexts.set(price, text);
  }
  return text;
}

function time(ms: number | undefined, zone: TimeZone): string {
  return ms === undefined ? '' : formatIsoTime(ms, zone);
}

/**
 * Writes one discrepancy as the text cells of `discrepancies.csv`. Our side's cells come from
 * the call, theirs from the bill row; numbers and times prefer the call's.
 *
 * @param found - the discrepancy
 * @param context - the tariff (decimals, prices) and the report's zone
 * @returns the row
 */
export function toDiscrepancyRow(found: Discrepancy, context: RowContext): DiscrepancyRow {
  const { call, bill } = found;
  const decimals = context.tariff.amountDecimals;
  // A conflicting record is not kept, so never priced: it has no amount of ours.
  const charged = call !== undefined && 'amount' in call ? call : undefined;
  const rated = charged !== undefined && charged.answerMs !== undefined && charged.rateIndex >= 0;
  const seconds = bill === undefined ? undefined : theirSeconds(bill);
  return {
    kind: found.kind,
    callId: call?.callId ?? bill?.callId ?? '',
    matchedBy: found.matchedBy,
    impact: formatMicros(found.impact, decimals),
    amountOurs:
      charged === undefined || (charged.answerMs !== undefined && !rated)
        ? ''
        : formatMicros(charged.amount, decimals),
    amountTheirs: bill === undefined ? '' : formatMicros(bill.amount, decimals),
    secondsOurs: call === undefined ? '' : String(call.seconds),
    secondsTheirs: seconds === undefined ? '' : String(seconds),
    minutesOurs:
      charged === undefined || (charged.answerMs !== undefined && !rated)
        ? ''
        : formatSecondsAsMinutes(charged.billedSeconds),
    minutesTheirs: bill?.billedMinutes === undefined ? '' : formatMinutes(bill.billedMinutes),
    unitPriceOurs: rated
      ? formatPricePerMinute(context.tariff.rates[charged.rateIndex]?.pricePerMinute, decimals)
      : '',
    unitPriceTheirs: bill?.unitPrice ?? '',
    callerNum: call?.callerNum ?? bill?.callerNum ?? '',
    privateNum: call?.bindNum ?? bill?.privateNum ?? found.number ?? '',
    calleeNum: call?.fwdDstNum ?? bill?.calleeNum ?? '',
    answerTime: time(call !== undefined ? call.answerMs : bill?.answerMs, context.zone),
    endTime: time(call !== undefined ? call.endMs : bill?.endMs, context.zone),
    cdrSource: call === undefined ? '' : `${call.source}:${call.line}`,
    billSource: bill === undefined ? '' : `${bill.source}:${bill.line}`,
    detail: found.detail,
    action: actionOf(found.kind, found.impact),
    stepDuration: step(found.steps?.duration, decimals),
    stepIncrements: step(found.steps?.increments, decimals),
    stepRate: step(found.steps?.rate, decimals),
    stepPackage: step(found.steps?.package, decimals),
    stepRounding: step(found.steps?.rounding, decimals),
  };
}

function step(micros: number | undefined, decimals: number): string {
  return micros === undefined ? '' : formatMicros(micros, decimals);
}

/** The columns of `rated.csv`, in order (SPEC §5.4). */
export const RATED_COLUMNS = [
  'callId',
  'callerNum',
  'privateNum',
  'calleeNum',
  'answerTime',
  'endTime',
  'seconds',
  'billedSeconds',
  'billedMinutes',
  'packageMinutes',
  'unitPrice',
  'amount',
  'rateId',
] as const;

/** One row of `rated.csv`, every cell as text. */
export type RatedRow = { readonly [K in (typeof RATED_COLUMNS)[number]]: string };

/**
 * Writes one rated call as the text cells of `rated.csv`. An unrated call has empty
 * billing cells; an unanswered one bills 0.
 *
 * @param call - the rated call
 * @param context - the tariff and the report's zone
 */
export function toRatedRow(call: ChargedCall, context: RowContext): RatedRow {
  const rate = context.tariff.rates[call.rateIndex];
  const unrated = call.answerMs !== undefined && rate === undefined;
  return {
    callId: call.callId,
    callerNum: call.callerNum,
    privateNum: call.bindNum,
    calleeNum: call.fwdDstNum,
    answerTime: time(call.answerMs, context.zone),
    endTime: time(call.endMs, context.zone),
    seconds: String(call.seconds),
    billedSeconds: unrated ? '' : String(call.billedSeconds),
    billedMinutes: unrated ? '' : formatSecondsAsMinutes(call.billedSeconds),
    packageMinutes: unrated ? '' : formatSecondsAsMinutes(call.packageSeconds),
    unitPrice: formatPricePerMinute(rate?.pricePerMinute, context.tariff.amountDecimals),
    amount: unrated ? '' : formatMicros(call.amount, context.tariff.amountDecimals),
    rateId: rate?.id ?? '',
  };
}
