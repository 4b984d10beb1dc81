import { describe, expect, it } from 'vitest';
import { fc } from '../../../test/helpers/fast-check.js';
import { readCellTime } from './spreadsheet.js';
import { createTimeZone, UTC } from './zone.js';

describe('readCellTime', () => {
  it('reads Huawei and ISO times as they are', () => {
    expect(readCellTime('2026-10-01 08:00:37', UTC)).toEqual({
      ms: Date.UTC(2026, 9, 1, 8, 0, 37),
      normalised: false,
    });
  });

  it("reads Excel's 2026/10/1 8:00:37 and 2026-10-1 8:00:37, counted as normalised", () => {
    const ms = Date.UTC(2026, 9, 1, 8, 0, 37);
    expect(readCellTime('2026/10/1 8:00:37', UTC)).toEqual({ ms, normalised: true });
    expect(readCellTime('2026-10-1 8:00:37', UTC)).toEqual({ ms, normalised: true });
  });

  it('reads fractional seconds in the zone given', () => {
    const shanghai = createTimeZone('Asia/Shanghai');
    expect(readCellTime('2026-10-05 03:00:00.250', shanghai)).toEqual({
      ms: Date.UTC(2026, 9, 4, 19, 0, 0, 250),
      normalised: true,
    });
  });

  it('a time whose seconds a spreadsheet cut off says so', () => {
    expect(readCellTime('2026-10-25 16:00', UTC)).toBe('no-seconds');
    expect(readCellTime('2026/10/25 16:00', UTC)).toBe('no-seconds');
  });

  it('a day not in the calendar is no time', () => {
    expect(readCellTime('2026/2/30 8:00:00', UTC)).toBe('invalid');
    expect(readCellTime('yesterday', UTC)).toBe('invalid');
  });
});

describe('properties', () => {
  it('any instant written the Excel way reads back to the same instant', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 4_000_000_000 }), (seconds) => {
        const date = new Date(Date.UTC(2000, 0, 1) + seconds * 1000);
        const cell = `${date.getUTCFullYear()}/${date.getUTCMonth() + 1}/${date.getUTCDate()} ${date.getUTCHours()}:${String(date.getUTCMinutes()).padStart(2, '0')}:${String(date.getUTCSeconds()).padStart(2, '0')}`;
        const read = readCellTime(cell, UTC);
        expect(read).toMatchObject({ ms: date.getTime() });
      }),
    );
  });
});
