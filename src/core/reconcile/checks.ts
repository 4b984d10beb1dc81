import type { Checked, IssueCode } from '../issues.js';
import { INVALID_TIME, parseInstant } from '../time/instant.js';
import type { TimeZone } from '../time/zone.js';

/** A rejected record or row as a value (never thrown: STYLE, errors of the second kind). */
export function reject(
  code: IssueCode,
  source: string,
  line: number,
  reason: string,
): Checked<never> {
  return { ok: false, issue: { code, source, line, reason } };
}

/**
 * Reads a time of a record or row (SPEC §2.3).
 *
 * @param text - the time as written; empty or absent is an absent time
 * @param field - the field's name, for the reason
 * @param zone - the zone of times written without an offset
 * @param callId - the call the field belongs to, named in the reason (`of call abc`), or `''`
 * @returns epoch ms, `undefined` when absent, or the reason it is not a time (a string)
 */
export function readTime(
  text: string | undefined,
  field: string,
  zone: TimeZone,
  callId = '',
): number | undefined | string {
  if (text === undefined || text === '') return undefined;
  const ms = parseInstant(text, zone);
  return ms === INVALID_TIME
    ? `${field} '${text}'${callId === '' ? '' : ` of call ${callId}`} is not a valid time (expected yyyy-MM-dd HH:mm:ss or ISO 8601 with Z or an offset)`
    : ms;
}
