import { instantOfWallTime, type TimeZone } from './zone.js';

/** Returned by {@link parseInstant} for text that is not a valid time (never `NaN`). */
export const INVALID_TIME = 'INVALID_TIME';

/** An instant in epoch milliseconds, or {@link INVALID_TIME}. */
export type ParsedInstant = number | typeof INVALID_TIME;

const DAY_MS = 86_400_000;

/**
 * Days from 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's `days_from_civil`).
 * Integer arithmetic only, so it is exact for every year we accept.
 */
export function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const mp = (month + 9) % 12;
  const doy = Math.floor((153 * mp + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}

/** Days in a month of the proleptic Gregorian calendar. */
export function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

// Digit at position i, or -1 when the character there is not 0-9. charCodeAt past the end is
// NaN, which fails the range check too.
function digit(text: string, i: number): number {
  const c = text.charCodeAt(i) - 48;
  return c >= 0 && c <= 9 ? c : -1;
}

function twoDigits(text: string, i: number): number {
  const a = digit(text, i);
  const b = digit(text, i + 1);
  return a < 0 || b < 0 ? -1 : a * 10 + b;
}

/**
 * Parses the date-time part `yyyy-MM-dd?HH:mm:ss` at fixed positions into wall-clock epoch
 * milliseconds (the same digits read as UTC), checking the calendar; -1 when invalid.
 */
function wallTimeMs(text: string, separator: number): number {
  const y1 = twoDigits(text, 0);
  const y2 = twoDigits(text, 2);
  const month = twoDigits(text, 5);
  const day = twoDigits(text, 8);
  const hour = twoDigits(text, 11);
  const minute = twoDigits(text, 14);
  const second = twoDigits(text, 17);
  if (
    y1 < 0 ||
    y2 < 0 ||
    text.charCodeAt(4) !== 45 || // '-'
    text.charCodeAt(7) !== 45 ||
    text.charCodeAt(10) !== separator ||
    text.charCodeAt(13) !== 58 || // ':'
    text.charCodeAt(16) !== 58 ||
    month < 1 ||
    month > 12 ||
    day < 1 ||
    hour < 0 ||
    hour > 23 ||
    minute < 0 ||
    minute > 59 ||
    second < 0 ||
    second > 59
  ) {
    return -1;
  }
  const year = y1 * 100 + y2;
  if (day > daysInMonth(year, month)) return -1;
  return (
    daysFromCivil(year, month, day) * DAY_MS + hour * 3_600_000 + minute * 60_000 + second * 1000
  );
}

/**
 * Parses a time of a CDR or bill into epoch milliseconds (SPEC §2.3).
 *
 * These forms are accepted, nothing else:
 * - Huawei's `yyyy-MM-dd HH:mm:ss`, a wall-clock time in `zone`, optionally with fractional
 *   seconds as databases export it (`2026-10-05 03:00:00.000`);
 * - ISO 8601 `yyyy-MM-ddTHH:mm:ss[.fraction](Z|±HH:mm|±HHmm|±HH)`, whose own offset wins.
 *   Digits of a fraction below the millisecond are dropped (the instant is the start of
 *   its millisecond).
 *
 * A date or time that is not in the calendar (`2026-02-30`, `25:00:00`, second 60) is
 * invalid. Fixed-position parsing: no regular expression, no allocation.
 *
 * @param text - the time as written
 * @param zone - the zone of times without an offset
 * @returns epoch milliseconds, or {@link INVALID_TIME}
 * @example
 * parseInstant('2026-10-15 09:15:36', UTC); // 1792055736000
 * parseInstant('2026-10-15T17:15:36+08:00', UTC); // the same instant
 * parseInstant('2026-02-30 00:00:00', UTC); // 'INVALID_TIME'
 */
export function parseInstant(text: string, zone: TimeZone): ParsedInstant {
  const length = text.length;
  if (length === 19) {
    const wall = wallTimeMs(text, 32); // ' '
    if (wall < 0) return INVALID_TIME;
    return zone.isUtc ? wall : instantOfWallTime(wall, zone);
  }
  if (length < 20) return INVALID_TIME;
  // `yyyy-MM-dd HH:mm:ss.fff`, as databases export: fractional seconds, the zone's wall time.
  if (text.charCodeAt(10) === 32 && text.charCodeAt(19) === 46) {
    const wall = wallTimeMs(text, 32);
    if (wall < 0 || length > 29) return INVALID_TIME;
    let fractionMs = 0;
    let scale = 100;
    for (let i = 20; i < length; i++) {
      const d = digit(text, i);
      if (d < 0) return INVALID_TIME;
      fractionMs += d * scale;
      scale /= 10;
    }
    if (length === 20) return INVALID_TIME;
    const ms = wall + Math.floor(fractionMs + 1e-9);
    return zone.isUtc ? ms : instantOfWallTime(wall, zone) + Math.floor(fractionMs + 1e-9);
  }
  const t = text.charCodeAt(10);
  if (t !== 84 && t !== 116) return INVALID_TIME; // 'T' or 't'
  const wall = wallTimeMs(text, t);
  if (wall < 0) return INVALID_TIME;
  let i = 19;
  let fractionMs = 0;
  if (text.charCodeAt(i) === 46 || text.charCodeAt(i) === 44) {
    // '.' or ',' then at least one digit
    i++;
    const start = i;
    let scale = 100;
    for (let d = digit(text, i); d >= 0; d = digit(text, ++i)) {
      fractionMs += d * scale;
      scale /= 10;
    }
    if (i === start) return INVALID_TIME;
    fractionMs = Math.floor(fractionMs + 1e-9);
  }
  const z = text.charCodeAt(i);
  if (z === 90 || z === 122) {
    // 'Z' or 'z'
    return i + 1 === length ? wall + fractionMs : INVALID_TIME;
  }
  if (z !== 43 && z !== 45) return INVALID_TIME; // '+' or '-'
  const sign = z === 43 ? 1 : -1;
  const offsetHours = twoDigits(text, i + 1);
  let offsetMinutes = 0;
  const rest = length - (i + 3);
  if (rest === 3 && text.charCodeAt(i + 3) === 58) offsetMinutes = twoDigits(text, i + 4);
  else if (rest === 2) offsetMinutes = twoDigits(text, i + 3);
  else if (rest !== 0) return INVALID_TIME;
  if (offsetHours < 0 || offsetHours > 23 || offsetMinutes < 0 || offsetMinutes > 59)
    return INVALID_TIME;
  return wall + fractionMs - sign * (offsetHours * 3_600_000 + offsetMinutes * 60_000);
}

/**
 * Whether a parse result is an instant (and not {@link INVALID_TIME}).
 *
 * @example
 * isInstant(parseInstant('2026-10-15 09:15:36', UTC)); // true
 */
export function isInstant(value: ParsedInstant): value is number {
  return value !== INVALID_TIME;
}

/**
 * Writes an instant as Huawei's `yyyy-MM-dd HH:mm:ss` in a zone (milliseconds dropped).
 *
 * @param epochMs - the instant
 * @param zone - the zone whose wall clock to show
 * @example
 * formatWallTime(Date.UTC(2026, 9, 15, 1, 15, 36), createTimeZone('Asia/Shanghai')); // '2026-10-15 09:15:36'
 */
export function formatWallTime(epochMs: number, zone: TimeZone): string {
  const local = epochMs + zone.offsetAt(epochMs);
  const days = Math.floor(local / DAY_MS);
  const seconds = Math.floor((local - days * DAY_MS) / 1000);
  return `${datePart(days)} ${TWO_DIGITS[Math.floor(seconds / 3600)]}:${TWO_DIGITS[Math.floor(seconds / 60) % 60]}:${TWO_DIGITS[seconds % 60]}`;
}

const TWO_DIGITS: readonly string[] = Array.from({ length: 60 }, (_, n) =>
  n < 10 ? `0${n}` : `${n}`,
);

// Reports write millions of times of a few dozen days: the last day's text is kept.
let lastDays = Number.NaN;
let lastDate = '';

/** `yyyy-MM-dd` of a day number since 1970-01-01 (Howard Hinnant's `civil_from_days`). */
function datePart(days: number): string {
  if (days === lastDays) return lastDate;
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  lastDays = days;
  lastDate = `${String(year).padStart(4, '0')}-${TWO_DIGITS[month]}-${TWO_DIGITS[day]}`;
  return lastDate;
}

/**
 * Writes an instant as ISO 8601 with the zone's offset, to the second
 * (`2026-10-15T17:15:36+08:00`; `Z` in UTC), so a reader never has to guess the zone.
 *
 * @param epochMs - the instant
 * @param zone - the zone whose wall clock and offset to show
 * @example
 * formatIsoTime(Date.UTC(2026, 9, 15, 9, 15, 36), createTimeZone('Asia/Shanghai')); // '2026-10-15T17:15:36+08:00'
 */
export function formatIsoTime(epochMs: number, zone: TimeZone): string {
  const offset = zone.offsetAt(epochMs);
  const local = epochMs + offset;
  const days = Math.floor(local / DAY_MS);
  const seconds = Math.floor((local - days * DAY_MS) / 1000);
  return `${datePart(days)}T${TWO_DIGITS[Math.floor(seconds / 3600)]}:${TWO_DIGITS[Math.floor(seconds / 60) % 60]}:${TWO_DIGITS[seconds % 60]}${offsetSuffix(offset)}`;
}

const offsetSuffixes = new Map<number, string>();

/** `Z`, or `±HH:mm`, of an offset in ms (a zone has only a few). */
function offsetSuffix(offset: number): string {
  let suffix = offsetSuffixes.get(offset);
  if (suffix === undefined) {
    const minutes = Math.round(Math.abs(offset) / 60_000);
    suffix =
      offset === 0
        ? 'Z'
        : `${offset < 0 ? '-' : '+'}${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
    offsetSuffixes.set(offset, suffix);
  }
  return suffix;
}
