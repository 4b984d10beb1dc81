import type { Checked } from '../issues.js';
import type { FeeRecord } from '../records.js';
import { normalisePhone } from '../phone.js';
import { billableSeconds, callDurationMs } from '../time/duration.js';
import type { TimeZone } from '../time/zone.js';
import { isInPeriod, type Period } from '../time/period.js';
import { billedSecondsFor, chooseRate, type Tariff } from '../tariff/index.js';
import { readTime, reject } from './checks.js';

/**
 * One usable call record, rated (SPEC §3.1–§3.3): its seconds, rate and billed seconds.
 * Numbers are normalised (§2.3), instants are epoch ms. Its money waits for the allowances:
 * see {@link ChargedCall}.
 */
export interface RatedCall {
  /** Position in the input, 0-based over all records read (decides ties, SPEC §4.1). */
  readonly seq: number;
  readonly source: string;
  readonly line: number;
  /** The record's key: `sessionId`, or `icid` without one (SPEC §3.6). */
  readonly callId: string;
  readonly sessionId: string | undefined;
  readonly icid: string | undefined;
  readonly callerNum: string;
  readonly bindNum: string;
  readonly fwdDstNum: string;
  readonly serviceType: string | undefined;
  readonly direction: string | undefined;
  readonly mode: string | undefined;
  /** `fwdAnswerTime`, or `undefined` for an unanswered call. */
  readonly answerMs: number | undefined;
  readonly endMs: number;
  /** The instant that places the call in a month (`periodBy`; `callEndTime` if unanswered). */
  readonly periodMs: number;
  readonly inPeriod: boolean;
  /** Whole seconds of `callEndTime − fwdAnswerTime` (0 if unanswered). */
  readonly seconds: number;
  /** Index of the chosen rate in `tariff.rates`, or -1 (unanswered, or no rate: unrated). */
  readonly rateIndex: number;
  /** Seconds after increments; 0 for unanswered and unrated calls. */
  readonly billedSeconds: number;
}

/**
 * A rated call with its final money (SPEC §3.4–§3.5): what allowances cover and our amount.
 * Made once the allowances have been drawn in order (see `chargeCalls`), never changed.
 */
export interface ChargedCall extends RatedCall {
  /** Seconds covered by allowances. */
  readonly packageSeconds: number;
  /** Our amount in micro-units of the currency; 0 for unanswered and unrated calls. */
  readonly amount: number;
}

/** Whether a call is answered but no rate covers it (SPEC §3.3). */
export function isUnrated(call: RatedCall): boolean {
  return call.answerMs !== undefined && call.rateIndex < 0;
}

/** The settings that turn a fee record into a {@link RatedCall}. */
export interface RateCallContext {
  readonly tariff: Tariff;
  readonly period: Period | undefined;
  readonly cdrZone: TimeZone;
  readonly maxCallSeconds: number;
}

/**
 * Validates and rates one fee record, allowances aside (SPEC §3.1–§3.4, §3.7).
 *
 * @param record - the record as read
 * @param seq - its position in the input
 * @param source - the file it came from
 * @param line - its line
 * @param context - tariff, period, zone and limits
 * @returns the rated call, or the reason it cannot be used
 * @example
 * const checked = rateRecord(record, 0, 'cdrs.ndjson', 1, context);
 * if (checked.ok) checked.value.billedSeconds; // 120 for a 65 s call at 60/60
 */
export function rateRecord(
  record: FeeRecord,
  seq: number,
  source: string,
  line: number,
  context: RateCallContext,
): Checked<RatedCall> {
  const sessionId = record.sessionId || undefined;
  const icid = record.icid || undefined;
  const callId = sessionId ?? icid;
  if (callId === undefined) {
    return reject('MISSING_FIELD', source, line, 'the record has neither sessionId nor icid');
  }
  const endText = record.callEndTime;
  const endMs = readTime(endText, 'callEndTime', context.cdrZone, callId);
  if (endMs === undefined) {
    return reject('MISSING_FIELD', source, line, `call ${callId} has no callEndTime`);
  }
  if (typeof endMs === 'string') return reject('INVALID_TIME', source, line, endMs);
  const answerText = record.fwdAnswerTime;
  const answerMs = readTime(answerText, 'fwdAnswerTime', context.cdrZone, callId);
  if (typeof answerMs === 'string') return reject('INVALID_TIME', source, line, answerMs);
  const durationMs = callDurationMs(answerMs, endMs, context.maxCallSeconds);
  if (durationMs === 'NEGATIVE_DURATION') {
    return reject(
      'NEGATIVE_DURATION',
      source,
      line,
      `call ${callId} ends (${endText}) before it is answered (${answerText ?? ''})`,
    );
  }
  if (durationMs === 'DURATION_OUT_OF_RANGE') {
    return reject(
      'DURATION_OUT_OF_RANGE',
      source,
      line,
      `call ${callId} lasts ${Math.ceil((endMs - (answerMs ?? endMs)) / 1000)} s, more than --max-call-seconds ${context.maxCallSeconds}`,
    );
  }
  if (durationMs === 'MISSING_FIELD') {
    return reject('MISSING_FIELD', source, line, `call ${callId} has no callEndTime`);
  }
  const tariff = context.tariff;
  let periodMs = endMs;
  if (answerMs !== undefined) {
    if (tariff.periodBy === 'fwdAnswerTime') periodMs = answerMs;
    else if (tariff.periodBy === 'callInTime') {
      const inText = record.callInTime;
      if (!inText) {
        return reject(
          'MISSING_FIELD',
          source,
          line,
          `call ${callId} has no callInTime, which the tariff's periodBy needs`,
        );
      }
      const inMs = readTime(inText, 'callInTime', context.cdrZone, callId) as number | string;
      if (typeof inMs === 'string') return reject('INVALID_TIME', source, line, inMs);
      periodMs = inMs;
    }
  }
  const bindNum = normalisePhone(record.bindNum ?? '');
  const serviceType = record.serviceType || undefined;
  const direction = record.direction || undefined;
  const mode = record.mode || undefined;
  const seconds = billableSeconds(durationMs);
  let rateIndex = -1;
  let billedSeconds = 0;
  if (answerMs !== undefined) {
    rateIndex = chooseRate(tariff, { bindNum, serviceType, direction, mode, answerMs }) ?? -1;
    const rate = tariff.rates[rateIndex];
    if (rate !== undefined) {
      billedSeconds = billedSecondsFor(
        seconds,
        rate.firstIncrementSeconds,
        rate.nextIncrementSeconds,
      );
    }
  }
  return {
    ok: true,
    value: {
      seq,
      source,
      line,
      callId,
      sessionId,
      icid,
      callerNum: normalisePhone(record.callerNum ?? ''),
      bindNum,
      fwdDstNum: normalisePhone(record.fwdDstNum ?? ''),
      serviceType,
      direction,
      mode,
      answerMs,
      endMs,
      periodMs,
      inPeriod: context.period === undefined || isInPeriod(context.period, periodMs),
      seconds,
      rateIndex,
      billedSeconds,
    },
  };
}

/**
 * Whether a later record with a kept record's key is a re-push of it: the fields of SPEC
 * §3.6 are equal (times compared as instants, numbers normalised).
 */
export function isRepush(kept: RatedCall, later: RatedCall): boolean {
  return (
    kept.answerMs === later.answerMs &&
    kept.endMs === later.endMs &&
    kept.callerNum === later.callerNum &&
    kept.bindNum === later.bindNum &&
    kept.fwdDstNum === later.fwdDstNum &&
    kept.serviceType === later.serviceType &&
    kept.direction === later.direction
  );
}

/** The fields that differ between two records of one call, for a conflict's detail. */
export function conflictingFields(kept: RatedCall, later: RatedCall): string[] {
  const fields: string[] = [];
  if (kept.answerMs !== later.answerMs) fields.push('fwdAnswerTime');
  if (kept.endMs !== later.endMs) fields.push('callEndTime');
  if (kept.callerNum !== later.callerNum) fields.push('callerNum');
  if (kept.bindNum !== later.bindNum) fields.push('bindNum');
  if (kept.fwdDstNum !== later.fwdDstNum) fields.push('fwdDstNum');
  if (kept.serviceType !== later.serviceType) fields.push('serviceType');
  if (kept.direction !== later.direction) fields.push('direction');
  return fields;
}
