import { describe, expect, it } from 'vitest';
import { fc } from '../../../test/helpers/fast-check.js';
import { billedSecondsFor } from './index.js';

describe('billedSecondsFor', () => {
  it.each([
    [0, 0],
    [1, 60],
    [59, 60],
    [60, 60],
    [61, 120],
    [119, 120],
    [120, 120],
    [121, 180],
  ])('%i s at 60/60 bill as %i s', (seconds, billed) => {
    expect(billedSecondsFor(seconds, 60, 60)).toBe(billed);
  });

  it.each([
    [0, 0],
    [1, 30],
    [30, 30],
    [31, 36],
    [36, 36],
    [37, 42],
    [61, 66],
  ])('%i s at 30/6 bill as %i s', (seconds, billed) => {
    expect(billedSecondsFor(seconds, 30, 6)).toBe(billed);
  });

  it('1/1 increments bill the seconds as they are', () => {
    expect(billedSecondsFor(37, 1, 1)).toBe(37);
  });

  it('refuses seconds or increments that are not whole numbers in range', () => {
    expect(() => billedSecondsFor(-1, 60, 60)).toThrow(RangeError);
    expect(() => billedSecondsFor(1.5, 60, 60)).toThrow(RangeError);
    expect(() => billedSecondsFor(10, 0, 60)).toThrow(RangeError);
    expect(() => billedSecondsFor(10, 60, 0)).toThrow(RangeError);
    expect(() => billedSecondsFor(10, 60, 2.5)).toThrow(RangeError);
  });

  describe('properties', () => {
    const seconds = fc.nat({ max: 10 ** 7 });
    const increment = fc.integer({ min: 1, max: 3_600 });

    it('billed seconds are never fewer than the seconds, and 0 only for 0', () => {
      fc.assert(
        fc.property(seconds, increment, increment, (s, f, n) => {
          const billed = billedSecondsFor(s, f, n);
          expect(billed).toBeGreaterThanOrEqual(s);
          expect(billed === 0).toBe(s === 0);
        }),
      );
    });

    it('past the first increment, billed − actual < next increment, on a whole increment', () => {
      fc.assert(
        fc.property(seconds, increment, increment, (s, f, n) => {
          const billed = billedSecondsFor(s, f, n);
          if (s > f) {
            expect(billed - s).toBeLessThan(n);
            expect((billed - f) % n).toBe(0);
          } else if (s > 0) {
            expect(billed).toBe(f);
          }
        }),
      );
    });

    it('is monotone in the seconds', () => {
      fc.assert(
        fc.property(seconds, seconds, increment, increment, (a, b, f, n) => {
          const [short, long] = a <= b ? [a, b] : [b, a];
          expect(billedSecondsFor(long, f, n)).toBeGreaterThanOrEqual(
            billedSecondsFor(short, f, n),
          );
        }),
      );
    });

    it('is a fixed point: billing billed seconds again changes nothing', () => {
      fc.assert(
        fc.property(seconds, increment, increment, (s, f, n) => {
          const billed = billedSecondsFor(s, f, n);
          expect(billedSecondsFor(billed, f, n)).toBe(billed);
        }),
      );
    });
  });
});
