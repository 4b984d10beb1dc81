import { describe, expect, it } from 'vitest';
import { fc } from '../../../test/helpers/fast-check.js';
import { callSelectorArb, tariffJsonArb } from '../../../test/arbitraries/tariff.js';
import everyOption from '../../../test/fixtures/tariffs/every-option.json' with { type: 'json' };
import realistic from '../../../test/fixtures/tariffs/realistic.json' with { type: 'json' };
import { formatMicros } from '../money/index.js';
import { priceCallReference } from '../../../test/oracles/price-reference.js';
import {
  AllowanceLedger,
  amountFor,
  billedSecondsFor,
  chooseRate,
  parseTariff,
  type Tariff,
} from './index.js';

/** Our amount of a call of `seconds`, no package, as text. */
function amountText(
  tariff: Tariff,
  rateIndex: number,
  seconds: number,
  packageSeconds = 0,
): string {
  const rate = tariff.rates[rateIndex];
  if (rate === undefined) throw new Error(`no rate ${rateIndex}`);
  const billed = billedSecondsFor(seconds, rate.firstIncrementSeconds, rate.nextIncrementSeconds);
  return formatMicros(amountFor(tariff, rateIndex, billed, packageSeconds), tariff.amountDecimals);
}

describe('amountFor', () => {
  const carrier = parseTariff(realistic, 'realistic.json');

  it.each([
    [0, '0.00'],
    [1, '0.12'],
    [59, '0.12'],
    [60, '0.12'],
    [61, '0.24'],
    [119, '0.24'],
    [120, '0.24'],
    [121, '0.36'],
  ])('%i s at 0.12 a minute, 60/60, cost %s', (seconds, amount) => {
    expect(amountText(carrier, 0, seconds)).toBe(amount);
  });

  const options = parseTariff(everyOption, 'every-option.json');

  it.each([
    // 30/6 at 0.009 a minute, connect fee 0.001, minimum 0.005, 3 decimals half-even
    [0, '0.000'], // nothing: no fee, no minimum
    [1, '0.006'], // 30 s: 0.0045 + 0.001 = 0.0055 → 0.006 (half-even: 5 → 6)
    [30, '0.006'],
    [31, '0.006'], // 36 s: 0.0054 + 0.001 = 0.0064
    [37, '0.007'], // 42 s: 0.0063 + 0.001 = 0.0073
    [60, '0.010'], // 60 s: 0.009 + 0.001
  ])('%i s at 30/6 with a connect fee and minimum charge cost %s', (seconds, amount) => {
    expect(amountText(options, 1, seconds)).toBe(amount);
  });

  it('the minimum charge applies to a billed call fully covered by a package', () => {
    expect(amountText(options, 1, 30, 30)).toBe('0.005');
  });

  it('half-up and half-even differ at an exact half of the last decimal', () => {
    const base = {
      currency: 'CNY',
      rates: [{ pricePerMinute: '0.15', firstIncrementSeconds: 1, nextIncrementSeconds: 1 }],
    };
    // 2 s at 0.15 a minute = 0.005 exactly
    expect(amountText(parseTariff({ ...base, roundingMode: 'half-up' }), 0, 2)).toBe('0.01');
    expect(amountText(parseTariff({ ...base, roundingMode: 'half-even' }), 0, 2)).toBe('0.00');
    expect(amountText(parseTariff({ ...base, roundingMode: 'up' }), 0, 1)).toBe('0.01');
    expect(amountText(parseTariff({ ...base, roundingMode: 'down' }), 0, 3)).toBe('0.00');
  });

  it('a package covers part of a call: only the rest is charged', () => {
    // 180 s billed, 120 covered: 60 s charged at 0.12
    expect(amountText(carrier, 0, 180, 120)).toBe('0.12');
  });

  it('the new price applies to a call answered at the exact instant it starts', () => {
    const answerMs = Date.parse('2026-10-16T00:00:00+08:00');
    const index = chooseRate(carrier, { bindNum: '+8613800000022', answerMs });
    expect(index).toBe(1);
    expect(amountText(carrier, index ?? -1, 120)).toBe('0.20');
  });

  it('refuses a rate that does not exist or a package larger than the call', () => {
    expect(() => amountFor(carrier, 9, 60, 0)).toThrow(RangeError);
    expect(() => amountFor(carrier, 0, 60, 61)).toThrow(RangeError);
    expect(() => amountFor(carrier, 0, 60, -1)).toThrow(RangeError);
  });

  describe('properties', () => {
    const rated = fc
      .tuple(tariffJsonArb, callSelectorArb, fc.nat({ max: 7_200 }), fc.nat({ max: 7_200 }))
      .map(([json, call, a, b]) => ({
        tariff: parseTariff(json),
        call,
        short: Math.min(a, b),
        long: Math.max(a, b),
      }));

    it('amounts never decrease when a call gets longer', () => {
      fc.assert(
        fc.property(rated, ({ tariff, call, short, long }) => {
          const index = chooseRate(tariff, call);
          if (index === undefined) return;
          const rate = tariff.rates[index]!;
          const billed = (s: number): number =>
            billedSecondsFor(s, rate.firstIncrementSeconds, rate.nextIncrementSeconds);
          expect(amountFor(tariff, index, billed(long), 0)).toBeGreaterThanOrEqual(
            amountFor(tariff, index, billed(short), 0),
          );
        }),
      );
    });

    it('equals the decimal.js reference with the tariff rounding, with or without a package', () => {
      fc.assert(
        fc.property(rated, fc.nat({ max: 7_200 }), ({ tariff, call, long }, covered) => {
          const index = chooseRate(tariff, call);
          if (index === undefined) return;
          const rate = tariff.rates[index]!;
          const billed = billedSecondsFor(
            long,
            rate.firstIncrementSeconds,
            rate.nextIncrementSeconds,
          );
          const packageSeconds = Math.min(covered, billed);
          expect(amountFor(tariff, index, billed, packageSeconds)).toBe(
            priceCallReference(
              billed - packageSeconds,
              billed,
              rate.pricePerMinute,
              rate.connectFee,
              rate.minimumChargeMicros,
              tariff.amountDecimals,
              tariff.roundingMode,
            ),
          );
        }),
      );
    });

    it('a package never makes a call cost more', () => {
      fc.assert(
        fc.property(rated, (ctx) => {
          const index = chooseRate(ctx.tariff, ctx.call);
          if (index === undefined) return;
          const rate = ctx.tariff.rates[index]!;
          const billed = billedSecondsFor(
            ctx.long,
            rate.firstIncrementSeconds,
            rate.nextIncrementSeconds,
          );
          const ledger = new AllowanceLedger(ctx.tariff);
          const packageSeconds = ledger.consume({ ...ctx.call, billedSeconds: billed });
          expect(amountFor(ctx.tariff, index, billed, packageSeconds)).toBeLessThanOrEqual(
            amountFor(ctx.tariff, index, billed, 0),
          );
        }),
      );
    });
  });
});
