import { describe, expect, it } from 'vitest';
import { format, parse, parseISO } from 'date-fns';
import { tz, TZDate } from '@date-fns/tz';
import { fc } from '../../../test/helpers/fast-check.js';
import { createTimeZone, UTC } from './zone.js';
import { formatWallTime, INVALID_TIME, parseInstant } from './instant.js';

const shanghai = createTimeZone('Asia/Shanghai');
const berlin = createTimeZone('Europe/Berlin');
const newYork = createTimeZone('America/New_York');

describe('parseInstant', () => {
  it("reads Huawei's UTC times by fixed positions", () => {
    expect(parseInstant('2026-10-15 09:15:36', UTC)).toBe(Date.UTC(2026, 9, 15, 9, 15, 36));
  });

  it('reads a wall time in the given zone: 08:00 in Shanghai is midnight UTC', () => {
    expect(parseInstant('2026-10-01 08:00:00', shanghai)).toBe(Date.UTC(2026, 9, 1, 0, 0, 0));
  });

  it('lets an ISO offset win over the zone option', () => {
    expect(parseInstant('2026-10-15T17:15:36+08:00', UTC)).toBe(Date.UTC(2026, 9, 15, 9, 15, 36));
    expect(parseInstant('2026-10-15T17:15:36+0800', newYork)).toBe(
      Date.UTC(2026, 9, 15, 9, 15, 36),
    );
    expect(parseInstant('2026-10-15T04:15:36-05', UTC)).toBe(Date.UTC(2026, 9, 15, 9, 15, 36));
    expect(parseInstant('2026-10-15T09:15:36Z', shanghai)).toBe(Date.UTC(2026, 9, 15, 9, 15, 36));
  });

  it('keeps milliseconds of an ISO fraction and drops digits below them', () => {
    expect(parseInstant('2026-10-15T09:15:36.5Z', UTC)).toBe(Date.UTC(2026, 9, 15, 9, 15, 36, 500));
    expect(parseInstant('2026-10-15T09:15:36.123999Z', UTC)).toBe(
      Date.UTC(2026, 9, 15, 9, 15, 36, 123),
    );
  });

  it.each([
    ['2026-02-30 00:00:00', 'a day not in the month'],
    ['2026-02-29 00:00:00', '2026 is not a leap year'],
    ['2026-13-01 00:00:00', 'month 13'],
    ['2026-10-15 25:00:00', 'hour 25'],
    ['2026-10-15 24:00:00', 'hour 24'],
    ['2026-10-15 09:60:00', 'minute 60'],
    ['2026-10-15 09:15:60', 'a leap second'],
    ['2026-10-15T09:15:36', 'ISO without an offset'],
    ['2026/10/15 09:15:36', 'slashes'],
    ['2026-10-15 9:15:36', 'a one-digit hour'],
    ['20261015091536', 'no separators'],
    ['2026-10-15T09:15:36.Z', 'an empty fraction'],
    ['2026-10-15T09:15:36+8', 'a one-digit offset'],
    ['2026-10-15T09:15:36+08:00x', 'trailing text'],
    ['', 'empty text'],
    ['1792055736', 'epoch seconds'],
  ])('refuses %j (%s)', (text) => {
    expect(parseInstant(text, UTC)).toBe(INVALID_TIME);
  });

  it('accepts 29 February in a leap year', () => {
    expect(parseInstant('2028-02-29 12:00:00', UTC)).toBe(Date.UTC(2028, 1, 29, 12));
  });

  it('reads a wall time skipped by a daylight-saving jump with the offset before it', () => {
    // Berlin jumps from 02:00 to 03:00 on 2026-03-29; 02:30 is read as 02:30+01:00.
    expect(parseInstant('2026-03-29 02:30:00', berlin)).toBe(Date.UTC(2026, 2, 29, 1, 30));
  });

  it('reads a repeated wall time as its first instant', () => {
    // Berlin repeats 02:00–03:00 on 2026-10-25; the first 02:30 is 02:30+02:00.
    expect(parseInstant('2026-10-25 02:30:00', berlin)).toBe(Date.UTC(2026, 9, 25, 0, 30));
  });

  describe('properties', () => {
    const zones = [
      'UTC',
      'Asia/Shanghai',
      'Europe/Berlin',
      'America/New_York',
      'Asia/Kolkata',
      'Australia/Lord_Howe',
    ];
    // Whole seconds between 1971 and 2099.
    const instant = fc
      .integer({ min: 31_536_000, max: 4_102_444_799 })
      .map((seconds) => seconds * 1000);

    it('agrees with date-fns on wall times in any zone, outside daylight-saving repeats', () => {
      fc.assert(
        fc.property(instant, fc.constantFrom(...zones), (epochMs, zoneName) => {
          const zone = createTimeZone(zoneName);
          const text = formatWallTime(epochMs, zone);
          expect(text).toBe(format(new TZDate(epochMs, zoneName), 'yyyy-MM-dd HH:mm:ss'));
          const ours = parseInstant(text, zone);
          const theirs = parse(text, 'yyyy-MM-dd HH:mm:ss', new TZDate(0, zoneName), {
            in: tz(zoneName),
          }).getTime();
          // A repeated wall time has two instants; both parsers must name one of them.
          if (ours !== epochMs) {
            expect(Math.abs((ours as number) - epochMs)).toBeLessThanOrEqual(3_600_000);
            expect(formatWallTime(ours as number, zone)).toBe(text);
          }
          expect(formatWallTime(theirs, zone)).toBe(text);
        }),
      );
    });

    it('agrees with date-fns parseISO on ISO times with any offset and fraction', () => {
      fc.assert(
        fc.property(
          instant,
          fc.integer({ min: 0, max: 999 }),
          fc.integer({ min: -14 * 60, max: 14 * 60 }).map((m) => m - (m % 15)),
          (epochMs, ms, offsetMinutes) => {
            const local = epochMs + ms + offsetMinutes * 60_000;
            const sign = offsetMinutes < 0 ? '-' : '+';
            const abs = Math.abs(offsetMinutes);
            const pad = (n: number, w = 2): string => String(n).padStart(w, '0');
            const wall = formatWallTime(local - ms, UTC).replace(' ', 'T');
            const text = `${wall}.${pad(ms, 3)}${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
            expect(parseInstant(text, shanghai)).toBe(epochMs + ms);
            expect(parseInstant(text, shanghai)).toBe(parseISO(text).getTime());
          },
        ),
      );
    });

    it('refuses every day past the end of its month', () => {
      fc.assert(
        fc.property(
          fc.integer({ min: 1971, max: 2099 }),
          fc.integer({ min: 1, max: 12 }),
          fc.integer({ min: 1, max: 3 }),
          (year, month, past) => {
            const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
            const day = last + past;
            if (day > 99) return;
            const text = `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')} 00:00:00`;
            expect(parseInstant(text, UTC)).toBe(INVALID_TIME);
          },
        ),
      );
    });
  });
});
