import { CallreconError } from '../errors.js';
import { daysFromCivil } from './instant.js';
import { instantOfWallTime, type TimeZone } from './zone.js';

/** A billing month as a half-open interval of instants `[startMs, endMs)`. */
export interface Period {
  /** The month as written, `YYYY-MM`. */
  readonly label: string;
  /** The zone whose calendar the month follows. */
  readonly zone: TimeZone;
  /** First day 00:00 in the zone, epoch ms. */
  readonly startMs: number;
  /** First day of the next month 00:00 in the zone, epoch ms (excluded). */
  readonly endMs: number;
}

/** Thrown when a period is not `YYYY-MM`. */
export class PeriodError extends CallreconError {
  override readonly name = 'PeriodError';
  readonly exitCode = 2;
}

/**
 * The month `YYYY-MM` in a time zone (SPEC §3.7).
 *
 * @param label - e.g. `2026-10`
 * @param zone - the zone of the month's calendar
 * @throws {@link PeriodError} when the label is not a month
 * @example
 * const october = parsePeriod('2026-10', createTimeZone('Asia/Shanghai'));
 * october.startMs === Date.UTC(2026, 8, 30, 16); // true
 */
export function parsePeriod(label: string, zone: TimeZone): Period {
  const match = /^(\d{4})-(\d{2})$/.exec(label);
  const year = Number(match?.[1]);
  const month = Number(match?.[2]);
  if (!match || month < 1 || month > 12) {
    throw new PeriodError(`period '${label}' is not a month written YYYY-MM (e.g. 2026-10)`);
  }
  const nextYear = month === 12 ? year + 1 : year;
  const nextMonth = month === 12 ? 1 : month + 1;
  return {
    label,
    zone,
    startMs: instantOfWallTime(daysFromCivil(year, month, 1) * 86_400_000, zone),
    endMs: instantOfWallTime(daysFromCivil(nextYear, nextMonth, 1) * 86_400_000, zone),
  };
}

/**
 * Whether an instant falls in a period.
 *
 * @example
 * isInPeriod(october, Date.UTC(2026, 9, 31, 16)); // false: 2026-11-01 00:00 in Shanghai
 */
export function isInPeriod(period: Period, epochMs: number): boolean {
  return epochMs >= period.startMs && epochMs < period.endMs;
}
