/**
 * The inputs of SPEC §4.5 besides the bill: SMS notifications among the pushes and the list
 * of virtual numbers held, read into the plain tuples a tally carries.
 */
import type { Checked } from '../issues.js';
import { normalisePhone } from '../phone.js';
import type { NumberRow, SmsRecord } from '../records.js';
import { readCellTime } from '../time/index.js';
import { parseInstant, INVALID_TIME } from '../time/instant.js';
import { UTC, type TimeZone } from '../time/zone.js';
import { reject } from './checks.js';
import type { NumberHeld, SmsSeen } from './tally.js';

/**
 * Reads an SMS notification (SPEC §4.5): sent when `sendResult` is `success` (any case) or
 * `0`, in `splitNum` parts (default 1), at `timeStamp` (UTC). One without an id is keyed by
 * where it was read, so it counts once and is never merged with another.
 *
 * @param sms - the notification's fields
 * @param where - `file:line`
 * @returns the tuple a tally keeps
 * @example
 * readSms({ smsIdentifier: 'm-1', sendResult: 'success', splitNum: '2', timeStamp: '2026-10-05 03:00:00' }, 'cdrs/a.ndjson:3');
 */
export function readSms(sms: SmsRecord, where: string): SmsSeen {
  const id = sms.smsIdentifier?.trim() || `@${where}`;
  const result = sms.sendResult?.trim().toLowerCase() ?? '';
  const sent = result === 'success' || result === '0';
  const parts = /^\d{1,4}$/.test(sms.splitNum?.trim() ?? '') ? Number(sms.splitNum) : 1;
  const ms = sms.timeStamp === undefined ? INVALID_TIME : parseInstant(sms.timeStamp.trim(), UTC);
  return [
    id,
    normalisePhone(sms.virtualNumber ?? ''),
    ms === INVALID_TIME ? undefined : ms,
    Math.max(1, parts),
    sent,
    where,
  ];
}

/**
 * Validates a row of the numbers held (SPEC §4.5): a number, and optional order and release
 * times (plain or spreadsheet-formatted, in the bill's zone).
 *
 * @param row - the row under canonical names
 * @param source - its file
 * @param line - its line
 * @param zone - the zone of times without an offset (`--bill-timezone`)
 * @returns the number held, or why the row cannot be used
 * @example
 * readNumberRow({ number: '+8613800000022', orderedAt: '2026/10/20 9:00:00' }, 'numbers.csv', 2, UTC);
 */
export function readNumberRow(
  row: NumberRow,
  source: string,
  line: number,
  zone: TimeZone,
): Checked<NumberHeld> {
  const number = normalisePhone(row.number ?? '');
  if (number === '') return reject('MISSING_FIELD', source, line, 'the row has no number');
  const times: (number | undefined)[] = [];
  for (const field of ['orderedAt', 'releasedAt'] as const) {
    const text = row[field]?.trim() ?? '';
    if (text === '') {
      times.push(undefined);
      continue;
    }
    const read = readCellTime(text, zone);
    if (typeof read === 'string') {
      return reject(
        'INVALID_TIME',
        source,
        line,
        read === 'no-seconds'
          ? `${field} '${text}' has no seconds: they were cut off (a spreadsheet's time format?)`
          : `${field} '${text}' is not a valid time (expected yyyy-MM-dd HH:mm:ss or ISO 8601)`,
      );
    }
    times.push(read.ms);
  }
  const [orderedMs, releasedMs] = times;
  if (orderedMs !== undefined && releasedMs !== undefined && releasedMs < orderedMs) {
    return reject('INVALID_TIME', source, line, `releasedAt is before orderedAt`);
  }
  return { ok: true, value: [number, orderedMs, releasedMs, `${source}:${line}`] };
}
