import { describe, expect, it } from 'vitest';
import { fc } from '../../../test/helpers/fast-check.js';
import { meetsNearSpan, mergedIntervals } from './near.js';

describe('the spans a call billed twice is looked for in', () => {
  it('merges the intervals of a key where they meet, in order', () => {
    expect(
      mergedIntervals([
        [50, 60],
        [0, 10],
        [10, 20],
        [55, 70],
      ]),
    ).toEqual([0, 20, 50, 70]);
  });

  it('a call meets a span when it overlaps or touches one of its intervals', () => {
    const span = [0, 10, 50, 70];
    expect(meetsNearSpan(span, 5, 8)).toBe(true);
    expect(meetsNearSpan(span, 10, 40)).toBe(true);
    expect(meetsNearSpan(span, 20, 50)).toBe(true);
    expect(meetsNearSpan(span, 11, 49)).toBe(false);
    expect(meetsNearSpan(span, 71, 90)).toBe(false);
    expect(meetsNearSpan(span, Number.NaN, 5)).toBe(false);
  });

  it('property: a call meets the merged span exactly when it meets one of the intervals, or (ending before it is answered) lies within their union', () => {
    const time = fc.integer({ min: 0, max: 40 });
    const interval = fc.tuple(time, time).map(([a, b]) => [Math.min(a, b), Math.max(a, b)]);
    fc.assert(
      fc.property(fc.array(interval, { minLength: 1, maxLength: 8 }), time, time, (list, a, e) => {
        const span = mergedIntervals(list.map((i) => [...i]));
        const meets = meetsNearSpan(span, a, e);
        // What isSecondBill asks of a row: it begins by the call's end and ends by its answer.
        const one = list.some(([from, to]) => (from as number) <= e && (to as number) >= a);
        if (one) expect(meets).toBe(true);
        if (a <= e) expect(meets).toBe(one);
      }),
    );
  });
});
