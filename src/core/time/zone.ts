import { CallreconError } from '../errors.js';
import { tzOffset } from '@date-fns/tz';

const HOUR_MS = 3_600_000;
const MINUTE_MS = 60_000;

/**
 * An IANA time zone prepared for fast conversions between wall-clock time and instants.
 * Create one per zone with {@link createTimeZone} and reuse it: offsets are cached per hour.
 */
export interface TimeZone {
  /** The zone's IANA name, or `UTC`. */
  readonly name: string;
  /** Whether the zone is UTC itself (no offset lookups at all). */
  readonly isUtc: boolean;
  /**
   * The offset from UTC in milliseconds at an instant (`+8 h` for Asia/Shanghai).
   * @param epochMs - the instant, in epoch milliseconds
   */
  offsetAt(epochMs: number): number;
}

/** Thrown when a time zone name is not a known IANA zone. */
export class TimeZoneError extends CallreconError {
  override readonly name = 'TimeZoneError';
  readonly exitCode = 2;
}

/**
 * Prepares a time zone by its IANA name (`Asia/Shanghai`, `UTC`, `Europe/Berlin`).
 *
 * @param name - an IANA zone name; `UTC`, `Etc/UTC` and `Z` are UTC
 * @returns the prepared zone
 * @throws {@link TimeZoneError} when the name is not a zone this runtime knows
 * @example
 * const shanghai = createTimeZone('Asia/Shanghai');
 * shanghai.offsetAt(Date.UTC(2026, 9, 1)); // 28_800_000
 */
export function createTimeZone(name: string): TimeZone {
  if (name === 'UTC' || name === 'Etc/UTC' || name === 'Z') return UTC;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
  } catch (cause) {
    throw new TimeZoneError(`'${name}' is not a known IANA time zone (e.g. Asia/Shanghai, UTC)`, {
      cause,
    });
  }
  // An hour's offset is cached only when it is the same at both ends of the hour, so a
  // transition at any minute inside an hour is still computed exactly.
  const byHour = new Map<number, number>();
  const lookup = (epochMs: number): number =>
    Math.round(tzOffset(name, new Date(epochMs)) * MINUTE_MS);
  return {
    name,
    isUtc: false,
    offsetAt(epochMs: number): number {
      const hour = Math.floor(epochMs / HOUR_MS);
      const cached = byHour.get(hour);
      if (cached !== undefined) return cached;
      const start = lookup(hour * HOUR_MS);
      const end = lookup(hour * HOUR_MS + HOUR_MS - 1);
      if (start === end) {
        byHour.set(hour, start);
        return start;
      }
      return lookup(epochMs);
    },
  };
}

/** The UTC zone: no offset, no lookups. */
export const UTC: TimeZone = { name: 'UTC', isUtc: true, offsetAt: () => 0 };

/**
 * The instant at which a zone's wall clock shows `localMs` (wall-clock time written as if
 * it were UTC epoch milliseconds). A wall time skipped by a daylight-saving jump is read
 * with the offset in force before the jump (as JavaScript's `Date` does); a repeated one
 * is the earlier of its two instants.
 *
 * @param localMs - wall-clock time as epoch milliseconds of the same digits in UTC
 * @param zone - the zone whose wall clock it is
 * @returns epoch milliseconds
 * @example
 * instantOfWallTime(Date.UTC(2026, 9, 1, 8), createTimeZone('Asia/Shanghai')); // Date.UTC(2026, 9, 1, 0)
 */
export function instantOfWallTime(localMs: number, zone: TimeZone): number {
  if (zone.isUtc) return localMs;
  const before = zone.offsetAt(localMs - 2 * HOUR_MS * 12);
  const after = zone.offsetAt(localMs + 2 * HOUR_MS * 12);
  // Try the earlier offset first so a repeated wall time resolves to its first instant.
  const first = Math.max(before, after);
  const second = Math.min(before, after);
  for (const offset of before === after ? [before] : [first, second]) {
    const utc = localMs - offset;
    if (zone.offsetAt(utc) === offset) return utc;
  }
  const guess = localMs - zone.offsetAt(localMs);
  const refined = localMs - zone.offsetAt(guess);
  // A skipped wall time: no offset reproduces it; take the offset in force before the jump.
  return zone.offsetAt(refined) + refined === localMs ? refined : localMs - before;
}
