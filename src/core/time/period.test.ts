import { describe, expect, it } from 'vitest';
import { fc } from '../../../test/helpers/fast-check.js';
import { isInPeriod, parsePeriod, PeriodError } from './period.js';
import { parseInstant } from './instant.js';
import { createTimeZone, UTC } from './zone.js';

const shanghai = createTimeZone('Asia/Shanghai');

describe('period', () => {
  it('October in Shanghai starts at 2026-09-30 16:00 UTC and ends at 2026-10-31 16:00 UTC', () => {
    const october = parsePeriod('2026-10', shanghai);
    expect(october.startMs).toBe(Date.UTC(2026, 8, 30, 16));
    expect(october.endMs).toBe(Date.UTC(2026, 9, 31, 16));
  });

  it('a call at 23:59:59 on the last day of the month in UTC belongs to the next month in Asia/Shanghai', () => {
    const end = parseInstant('2026-10-31 23:59:59', UTC) as number;
    expect(isInPeriod(parsePeriod('2026-10', UTC), end)).toBe(true);
    expect(isInPeriod(parsePeriod('2026-10', shanghai), end)).toBe(false);
    expect(isInPeriod(parsePeriod('2026-11', shanghai), end)).toBe(true);
  });

  it('December runs into January of the next year', () => {
    const december = parsePeriod('2026-12', UTC);
    expect(december.endMs).toBe(Date.UTC(2027, 0, 1));
  });

  it('the start is in the period and the end is not', () => {
    const october = parsePeriod('2026-10', shanghai);
    expect(isInPeriod(october, october.startMs)).toBe(true);
    expect(isInPeriod(october, october.startMs - 1)).toBe(false);
    expect(isInPeriod(october, october.endMs)).toBe(false);
    expect(isInPeriod(october, october.endMs - 1)).toBe(true);
  });

  it.each(['2026-13', '2026-1', '26-10', '2026-10-01', 'October'])('refuses %j', (label) => {
    expect(() => parsePeriod(label, UTC)).toThrow(PeriodError);
  });

  describe('properties', () => {
    it('every instant belongs to exactly one month, in any zone', () => {
      const zones = ['UTC', 'Asia/Shanghai', 'America/New_York', 'Asia/Kolkata'];
      fc.assert(
        fc.property(
          fc.integer({ min: Date.UTC(2000, 1, 1), max: Date.UTC(2090, 1, 1) }),
          fc.constantFrom(...zones),
          (epochMs, zoneName) => {
            const zone = createTimeZone(zoneName);
            const local = new Date(epochMs + zone.offsetAt(epochMs));
            const year = local.getUTCFullYear();
            const month = local.getUTCMonth() + 1;
            const label = (y: number, m: number): string => `${y}-${String(m).padStart(2, '0')}`;
            expect(isInPeriod(parsePeriod(label(year, month), zone), epochMs)).toBe(true);
            const next = month === 12 ? label(year + 1, 1) : label(year, month + 1);
            const previous = month === 1 ? label(year - 1, 12) : label(year, month - 1);
            expect(isInPeriod(parsePeriod(next, zone), epochMs)).toBe(false);
            expect(isInPeriod(parsePeriod(previous, zone), epochMs)).toBe(false);
          },
        ),
      );
    });
  });
});
