import { describe, expect, it } from 'vitest';
import { fc } from '../../../test/helpers/fast-check.js';
import { parseIsoInstant } from './iso-instant.js';

describe('parseIsoInstant', () => {
  it('reads an offset and Z into the same instant', () => {
    expect(parseIsoInstant('2026-10-01T00:00:00+08:00')).toBe(Date.UTC(2026, 8, 30, 16));
    expect(parseIsoInstant('2026-09-30T16:00:00Z')).toBe(Date.UTC(2026, 8, 30, 16));
    expect(parseIsoInstant('2026-09-30T11:30:00-04:30')).toBe(Date.UTC(2026, 8, 30, 16));
    expect(parseIsoInstant('2026-10-01T00:00+0800')).toBe(Date.UTC(2026, 8, 30, 16));
    expect(parseIsoInstant('2026-10-01T00:00:00+08')).toBe(Date.UTC(2026, 8, 30, 16));
  });

  it('reads fractions of a second; finer than a millisecond rounds up', () => {
    expect(parseIsoInstant('2026-01-01T00:00:00.5Z')).toBe(Date.UTC(2026, 0, 1, 0, 0, 0, 500));
    expect(parseIsoInstant('2026-01-01T00:00:00.123Z')).toBe(Date.UTC(2026, 0, 1, 0, 0, 0, 123));
    expect(parseIsoInstant('2026-01-01T00:00:00.1230001Z')).toBe(
      Date.UTC(2026, 0, 1, 0, 0, 0, 124),
    );
    expect(parseIsoInstant('2026-01-01T00:00:00.1230000Z')).toBe(
      Date.UTC(2026, 0, 1, 0, 0, 0, 123),
    );
  });

  it('knows leap years', () => {
    expect(parseIsoInstant('2028-02-29T00:00:00Z')).toBe(Date.UTC(2028, 1, 29));
    expect(parseIsoInstant('2026-02-29T00:00:00Z')).toBeUndefined();
    expect(parseIsoInstant('2100-02-29T00:00:00Z')).toBeUndefined();
    expect(parseIsoInstant('2000-02-29T00:00:00Z')).toBe(Date.UTC(2000, 1, 29));
  });

  it('refuses times without an offset, out of the calendar, or of another shape', () => {
    for (const text of [
      '2026-10-01T00:00:00',
      '2026-10-01 00:00:00',
      '2026-10-01',
      '2026-02-30T00:00:00Z',
      '2026-13-01T00:00:00Z',
      '2026-00-01T00:00:00Z',
      '2026-10-00T00:00:00Z',
      '2026-10-01T24:00:00Z',
      '2026-10-01T25:00:00Z',
      '2026-10-01T00:60:00Z',
      '2026-10-01T00:00:60Z',
      '2026-10-01T00:00:00+24:00',
      '2026-10-01T00:00:00+08:60',
      ' 2026-10-01T00:00:00Z',
      '26-10-01T00:00:00Z',
    ]) {
      expect(parseIsoInstant(text), text).toBeUndefined();
    }
  });

  describe('properties', () => {
    it('agrees with Date.prototype.toISOString for every millisecond of 1900..2200', () => {
      fc.assert(
        fc.property(fc.integer({ min: Date.UTC(1900, 0, 1), max: Date.UTC(2200, 0, 1) }), (ms) => {
          expect(parseIsoInstant(new Date(ms).toISOString())).toBe(ms);
        }),
      );
    });
  });
});
