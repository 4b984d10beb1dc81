import { describe, expect, it } from 'vitest';
import { fc } from '../../../test/helpers/fast-check.js';
import { billableMinutes, billableSeconds, callDurationMs } from './duration.js';
import { parseInstant } from './instant.js';
import { UTC } from './zone.js';
import samplePush from '../../../fixtures/samples/fee-push.json' with { type: 'json' };

describe('call duration', () => {
  it('the sample push: answered 09:15:36, ended 09:16:41 — 65 s bill as 2 minutes', () => {
    const [call] = samplePush.feeLst;
    const answer = parseInstant(call!.fwdAnswerTime, UTC) as number;
    const end = parseInstant(call!.callEndTime, UTC) as number;
    const durationMs = callDurationMs(answer, end) as number;
    expect(billableSeconds(durationMs)).toBe(65);
    expect(billableMinutes(durationMs)).toBe(2);
  });

  it.each([
    [0, 0, 0],
    [1, 1, 1],
    [59, 59, 1],
    [60, 60, 1],
    [61, 61, 2],
    [119, 119, 2],
    [120, 120, 2],
    [121, 121, 3],
  ])('%i s lasts %i s and bills as %i minutes', (s, seconds, minutes) => {
    expect(billableSeconds(s * 1000)).toBe(seconds);
    expect(billableMinutes(s * 1000)).toBe(minutes);
  });

  it('a part of a second counts as a full second, a part of a minute as a full minute', () => {
    expect(billableSeconds(60_001)).toBe(61);
    expect(billableMinutes(60_001)).toBe(2);
  });

  it('an unanswered call lasts 0 ms', () => {
    expect(callDurationMs(undefined, 1000)).toBe(0);
  });

  it('an end before the answer is rejected as NEGATIVE_DURATION', () => {
    expect(callDurationMs(2000, 1000)).toBe('NEGATIVE_DURATION');
  });

  it('a missing callEndTime is rejected as MISSING_FIELD, answered or not', () => {
    expect(callDurationMs(1000, undefined)).toBe('MISSING_FIELD');
    expect(callDurationMs(undefined, undefined)).toBe('MISSING_FIELD');
  });

  it('a call longer than the limit is DURATION_OUT_OF_RANGE; exactly the limit is fine', () => {
    expect(callDurationMs(0, 86_400_000)).toBe(86_400_000);
    expect(callDurationMs(0, 86_400_001)).toBe('DURATION_OUT_OF_RANGE');
    expect(callDurationMs(0, 3_601_000, 3600)).toBe('DURATION_OUT_OF_RANGE');
  });

  describe('properties', () => {
    const durationMs = fc.integer({ min: 0, max: 86_400_000 });

    it('60·minutes − 60 < seconds ≤ 60·minutes', () => {
      fc.assert(
        fc.property(durationMs, (ms) => {
          const seconds = billableSeconds(ms);
          const minutes = billableMinutes(ms);
          expect(60 * minutes - 60 < seconds || seconds === 0).toBe(true);
          expect(seconds).toBeLessThanOrEqual(60 * minutes);
          expect(seconds * 1000).toBeGreaterThanOrEqual(ms);
          expect(seconds * 1000 - ms).toBeLessThan(1000);
        }),
      );
    });

    it('seconds and minutes never decrease when a call gets longer', () => {
      fc.assert(
        fc.property(durationMs, fc.integer({ min: 0, max: 100_000 }), (ms, longer) => {
          expect(billableSeconds(ms + longer)).toBeGreaterThanOrEqual(billableSeconds(ms));
          expect(billableMinutes(ms + longer)).toBeGreaterThanOrEqual(billableMinutes(ms));
        }),
      );
    });

    it('the duration of any answered call is end − answer, built by construction', () => {
      fc.assert(
        fc.property(fc.integer({ min: 0, max: 4e12 }), durationMs, (answer, ms) => {
          expect(callDurationMs(answer, answer + ms)).toBe(ms);
        }),
      );
    });
  });
});
