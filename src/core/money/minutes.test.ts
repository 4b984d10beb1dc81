import { describe, expect, it } from 'vitest';
import { fc } from '../../../test/helpers/fast-check.js';
import { decimalText } from '../../../test/arbitraries/money.js';
import {
  MinutesSum,
  formatMinutes,
  formatSecondsAsMinutes,
  minutesAgreeWithSeconds,
  minutesEqualSeconds,
  minutesToSeconds,
  parseMinutes,
  type Minutes,
} from './index.js';

function minutes(text: string): Minutes {
  const parsed = parseMinutes(text);
  if (parsed === undefined) throw new Error(`not minutes: ${text}`);
  return parsed;
}

describe('parseMinutes', () => {
  it('reads stated minutes with many decimals exactly', () => {
    expect(minutes('0.6166666666666667')).toMatchObject({ units: 6166666666666667n, scale: 16 });
    expect(minutes('2.50')).toMatchObject({ text: '2.50', units: 250n, scale: 2 });
  });

  it('keeps the decimals a value is written with, and writes it without trailing zeros', () => {
    expect(minutes('0.60').scale).toBe(2);
    expect(formatMinutes(minutes('0.60'))).toBe('0.6');
    expect(formatMinutes(minutes('3.000'))).toBe('3');
  });

  it('reads a text the same the first time and every time after, also once many others were read', () => {
    const first = parseMinutes('0.60');
    expect(parseMinutes('0.60')).toBe(first);
    for (let i = 0; i < 10_000; i++) parseMinutes(`${i}.5`);
    expect(parseMinutes('0.60')).toEqual(first);
    expect(parseMinutes('0.60')).toEqual({ text: '0.60', units: 60n, scale: 2, unitsNumber: 60 });
    expect(parseMinutes('1 min')).toBeUndefined();
    expect(parseMinutes('1 min')).toBeUndefined();
  });

  it('refuses what is not a plain decimal', () => {
    expect(parseMinutes('2 min')).toBeUndefined();
    expect(parseMinutes('1e2')).toBeUndefined();
    expect(parseMinutes('')).toBeUndefined();
  });
});

describe('minutesAgreeWithSeconds', () => {
  it('0.62 and 0.616667 agree with 37 seconds, at the precision each is written with', () => {
    expect(minutesAgreeWithSeconds(minutes('0.62'), 37)).toBe(true);
    expect(minutesAgreeWithSeconds(minutes('0.616667'), 37)).toBe(true);
    expect(minutesAgreeWithSeconds(minutes('0.61'), 37)).toBe(false);
  });

  it('1 does not agree with 90 seconds: 1.5 rounds half-up to 2', () => {
    expect(minutesAgreeWithSeconds(minutes('1'), 90)).toBe(false);
    expect(minutesAgreeWithSeconds(minutes('2'), 90)).toBe(true);
    expect(minutesAgreeWithSeconds(minutes('1.50'), 90)).toBe(true);
  });

  it('properties: seconds/60 written at any precision agrees with the seconds', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 10_000_000 }),
        fc.integer({ min: 0, max: 8 }),
        (seconds, decimals) => {
          const scaled = (BigInt(seconds) * 10n ** BigInt(decimals) * 2n + 60n) / 120n;
          const text =
            decimals === 0
              ? String(scaled)
              : `${scaled / 10n ** BigInt(decimals)}.${(scaled % 10n ** BigInt(decimals)).toString().padStart(decimals, '0')}`;
          expect(minutesAgreeWithSeconds(minutes(text), seconds)).toBe(true);
          const value = minutes(text);
          expect(minutesAgreeWithSeconds({ ...value, units: value.units + 1n }, seconds)).toBe(
            false,
          );
        },
      ),
    );
  });
});

describe('minutesEqualSeconds', () => {
  it('2 minutes are 120 seconds, 1.5 are 90', () => {
    expect(minutesEqualSeconds(minutes('2'), 120)).toBe(true);
    expect(minutesEqualSeconds(minutes('1.50'), 90)).toBe(true);
    expect(minutesEqualSeconds(minutes('2'), 121)).toBe(false);
  });

  it('a rounded 37 s is not 37 s: minutes compare exactly', () => {
    expect(minutesEqualSeconds(minutes('0.616667'), 37)).toBe(false);
    expect(minutesEqualSeconds(minutes('0.6166666666666667'), 37)).toBe(false);
  });

  it('compares huge values exactly on the BigInt path', () => {
    expect(minutesEqualSeconds(minutes('150119987579016.5'), 9_007_199_254_740_990)).toBe(true);
    expect(
      minutesEqualSeconds(minutes('150119987579016.50000000000000000001'), 9_007_199_254_740_990),
    ).toBe(false);
  });

  it('refuses fractional seconds as a programming error', () => {
    expect(() => minutesEqualSeconds(minutes('1'), 60.5)).toThrow(RangeError);
  });
});

describe('minutesToSeconds', () => {
  it('gives whole seconds or nothing', () => {
    expect(minutesToSeconds(minutes('1.5'))).toBe(90);
    expect(minutesToSeconds(minutes('0.1'))).toBe(6);
    expect(minutesToSeconds(minutes('0.01'))).toBeUndefined();
    expect(minutesToSeconds(minutes('1' + '0'.repeat(20)))).toBeUndefined();
    expect(Object.is(minutesToSeconds(minutes('-0')), 0)).toBe(true);
  });
});

describe('formatSecondsAsMinutes', () => {
  it('writes exact minutes without trailing zeros', () => {
    expect(formatSecondsAsMinutes(74_070)).toBe('1234.5');
    expect(formatSecondsAsMinutes(120)).toBe('2');
    expect(formatSecondsAsMinutes(0)).toBe('0');
    expect(formatSecondsAsMinutes(6)).toBe('0.1');
    expect(formatSecondsAsMinutes(3)).toBe('0.05');
  });

  it('rounds 37 s half-up to 6 decimals: 0.616667', () => {
    expect(formatSecondsAsMinutes(37)).toBe('0.616667');
    expect(formatSecondsAsMinutes(1)).toBe('0.016667');
    expect(formatSecondsAsMinutes(2)).toBe('0.033333');
    expect(formatSecondsAsMinutes(-37)).toBe('-0.616667');
  });

  it('stays exact on the BigInt path', () => {
    expect(formatSecondsAsMinutes(Number.MAX_SAFE_INTEGER)).toBe('150119987579016.516667');
  });
});

describe('formatMinutes', () => {
  it('writes stated minutes as SPEC §5.1 says', () => {
    expect(formatMinutes(minutes('1234.50'))).toBe('1234.5');
    expect(formatMinutes(minutes('0.6166666666666667'))).toBe('0.616667');
    expect(formatMinutes(minutes('0.0000004'))).toBe('0');
    expect(formatMinutes(minutes('0.0000005'))).toBe('0.000001');
    expect(formatMinutes(minutes('-0.0000005'))).toBe('-0.000001');
    expect(formatMinutes(minutes('-0.0000004'))).toBe('0');
  });
});

describe('MinutesSum', () => {
  it('adds stated minutes exactly and writes the total as SPEC §5.1 says', () => {
    const sum = new MinutesSum();
    expect(sum.toString()).toBe('0');
    sum.add(minutes('0.5')).add(minutes('0.6166666666666667')).add(minutes('1.00'));
    expect(sum.toString()).toBe('2.116667');
    expect(sum.toMinutes()).toMatchObject({ units: 21166666666666667n, scale: 16 });
  });

  it('a total of exact thirds compares exactly to seconds', () => {
    const sum = new MinutesSum();
    sum.add(minutes('0.25')).add(minutes('0.75'));
    expect(minutesEqualSeconds(sum.toMinutes(), 60)).toBe(true);
  });
});

describe('properties', () => {
  const secondsArb = fc.integer({ min: 0, max: 10 ** 12 });

  it('written minutes are within half a millionth of seconds / 60', () => {
    fc.assert(
      fc.property(secondsArb, (seconds) => {
        const written = minutes(formatSecondsAsMinutes(seconds));
        // |written − s/60| ≤ 0.5e-6  ⇔  |written·60·10^6 − s·10^6| ≤ 30 (written has ≤ 6 decimals)
        expect(written.scale).toBeLessThanOrEqual(6);
        const left = written.units * 60n * 10n ** BigInt(6 - written.scale);
        const difference = left - BigInt(seconds) * 1_000_000n;
        expect(difference >= -30n && difference <= 30n).toBe(true);
      }),
    );
  });

  it('written minutes are exact, and compare equal, exactly when seconds are a multiple of 3', () => {
    fc.assert(
      fc.property(secondsArb, (seconds) => {
        const written = minutes(formatSecondsAsMinutes(seconds));
        expect(minutesEqualSeconds(written, seconds)).toBe(seconds % 3 === 0);
        expect(minutesToSeconds(written) === seconds).toBe(seconds % 3 === 0);
      }),
    );
  });

  it('minutesEqualSeconds agrees with minutesToSeconds', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: 10n ** 20n }),
        fc.integer({ min: 0, max: 20 }),
        secondsArb,
        (units, scale, seconds) => {
          const m = minutes(decimalText(units, scale));
          const whole = minutesToSeconds(m);
          expect(minutesEqualSeconds(m, seconds)).toBe(whole === seconds);
          if (whole !== undefined) expect(minutesEqualSeconds(m, whole)).toBe(true);
        },
      ),
    );
  });

  it('MinutesSum equals the exact sum, in any order', () => {
    const valueArb = fc.tuple(
      fc.bigInt({ min: -(10n ** 18n), max: 10n ** 18n }),
      fc.integer({ min: 0, max: 18 }),
    );
    fc.assert(
      fc.property(fc.array(valueArb, { maxLength: 20 }), (values) => {
        // exact sum at scale 18
        const exact = values.reduce((acc, [u, s]) => acc + u * 10n ** BigInt(18 - s), 0n);
        const forward = new MinutesSum();
        const backward = new MinutesSum();
        for (const [u, s] of values) forward.add(minutes(decimalText(u, s)));
        for (const [u, s] of [...values].reverse()) backward.add(minutes(decimalText(u, s)));
        const total = forward.toMinutes();
        expect(total.units * 10n ** BigInt(18 - total.scale)).toBe(exact);
        expect(backward.toString()).toBe(forward.toString());
      }),
    );
  });
});
