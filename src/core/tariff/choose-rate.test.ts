import { describe, expect, it } from 'vitest';
import { fc } from '../../../test/helpers/fast-check.js';
import { callSelectorArb, ratesJsonArb } from '../../../test/arbitraries/tariff.js';
import realistic from '../../../test/fixtures/tariffs/realistic.json' with { type: 'json' };
import { WHEN_KEYS, chooseRate, parseTariff, type RateSelector, type Tariff } from './index.js';

function tariffOf(rates: Record<string, unknown>[]): Tariff {
  return parseTariff({ currency: 'CNY', rates });
}

/** The id of the rate chosen for the call, or undefined. */
function chosenId(tariff: Tariff, call: RateSelector): string | undefined {
  const index = chooseRate(tariff, call);
  return index === undefined ? undefined : (tariff.rates[index]?.id ?? `#${index}`);
}

const OCT_16_SHANGHAI = Date.parse('2026-10-16T00:00:00+08:00');
const MOBILE = '+8613800000022';

/** The rules of SPEC §3.3 written plainly: filter, score, first best in file order. */
function chooseRateNaively(tariff: Tariff, call: RateSelector): number | undefined {
  let best: { index: number; prefix: number; keys: number } | undefined;
  tariff.rates.forEach((rate, index) => {
    if (!(rate.validFromMs <= call.answerMs && call.answerMs < rate.validToMs)) return;
    const { privateNumPrefix, ...others } = rate.when;
    for (const [key, values] of Object.entries(others)) {
      const value = call[key as keyof typeof others];
      if (value === undefined || !values.includes(value)) return;
    }
    let prefix = 0;
    if (privateNumPrefix !== undefined) {
      const matching = privateNumPrefix.filter((p) => call.bindNum?.startsWith(p) === true);
      if (matching.length === 0) return;
      prefix = Math.max(...matching.map((p) => p.length));
    }
    const keys = WHEN_KEYS.filter((key) => rate.when[key] !== undefined).length;
    if (
      best === undefined ||
      prefix > best.prefix ||
      (prefix === best.prefix && keys > best.keys)
    ) {
      best = { index, prefix, keys };
    }
  });
  return best?.index;
}

describe('chooseRate', () => {
  const tariff = parseTariff(realistic, 'realistic.json');

  it('a price change at a validity boundary: the new rate at that exact instant, the old one 1 ms before', () => {
    expect(chosenId(tariff, { bindNum: MOBILE, answerMs: OCT_16_SHANGHAI })).toBe(
      'mobile-138-139-from-10-16',
    );
    expect(chosenId(tariff, { bindNum: MOBILE, answerMs: OCT_16_SHANGHAI - 1 })).toBe(
      'mobile-138-139',
    );
  });

  it('validTo is exclusive: nothing covers the instant the last rate ends', () => {
    const end = Date.parse('2027-01-01T00:00:00+08:00');
    expect(chosenId(tariff, { bindNum: MOBILE, answerMs: end - 1 })).toBe(
      'mobile-138-139-from-10-16',
    );
    expect(chooseRate(tariff, { bindNum: MOBILE, answerMs: end })).toBeUndefined();
  });

  it('a number no prefix covers is unrated', () => {
    expect(
      chooseRate(tariff, { bindNum: '+8615000000000', answerMs: OCT_16_SHANGHAI }),
    ).toBeUndefined();
    expect(chooseRate(tariff, { answerMs: OCT_16_SHANGHAI })).toBeUndefined();
    expect(chosenId(tariff, { bindNum: '+8610123456789', answerMs: OCT_16_SHANGHAI })).toBe(
      'fixed-010',
    );
  });

  it('the longest matching prefix wins, wherever the rate is in the file', () => {
    const rates = tariffOf([
      { id: 'country', pricePerMinute: '0.2', when: { privateNumPrefix: '+86' } },
      { id: 'range', pricePerMinute: '0.1', when: { privateNumPrefix: ['+8613', '+861380'] } },
      { id: 'block', pricePerMinute: '0.1', when: { privateNumPrefix: '+86138' } },
    ]);
    expect(chosenId(rates, { bindNum: '+8613800000022', answerMs: 0 })).toBe('range');
    expect(chosenId(rates, { bindNum: '+8613811112222', answerMs: 0 })).toBe('block');
    expect(chosenId(rates, { bindNum: '+8613900000001', answerMs: 0 })).toBe('range');
    expect(chosenId(rates, { bindNum: '+8615000000000', answerMs: 0 })).toBe('country');
  });

  it('a longer prefix beats more when keys', () => {
    const rates = tariffOf([
      {
        id: 'many-keys',
        pricePerMinute: '0.2',
        when: { privateNumPrefix: '+86', direction: '1', mode: 'AXB' },
      },
      { id: 'long-prefix', pricePerMinute: '0.1', when: { privateNumPrefix: '+86138' } },
    ]);
    expect(chosenId(rates, { bindNum: MOBILE, direction: '1', mode: 'AXB', answerMs: 0 })).toBe(
      'long-prefix',
    );
  });

  it('with equal prefixes, more when keys win', () => {
    const rates = tariffOf([
      { id: 'any-direction', pricePerMinute: '0.2', when: { privateNumPrefix: '+86138' } },
      {
        id: 'outbound',
        pricePerMinute: '0.1',
        when: { privateNumPrefix: '+86138', direction: '1' },
      },
      { id: 'no-when', pricePerMinute: '0.3' },
    ]);
    expect(chosenId(rates, { bindNum: MOBILE, direction: '1', answerMs: 0 })).toBe('outbound');
    expect(chosenId(rates, { bindNum: MOBILE, direction: '0', answerMs: 0 })).toBe('any-direction');
    expect(chosenId(rates, { bindNum: '+12025550100', direction: '1', answerMs: 0 })).toBe(
      'no-when',
    );
  });

  it('the first in the file wins a remaining tie', () => {
    const rates = tariffOf([
      { id: 'first', pricePerMinute: '0.2', when: { serviceType: '001' } },
      { id: 'second', pricePerMinute: '0.1', when: { direction: '1' } },
    ]);
    expect(chosenId(rates, { serviceType: '001', direction: '1', answerMs: 0 })).toBe('first');
    expect(chosenId(rates, { serviceType: '002', direction: '1', answerMs: 0 })).toBe('second');
  });

  it('values compare as text: a when of 1 matches a record\'s "1"', () => {
    const rates = tariffOf([
      { id: 'numeric', pricePerMinute: '0.2', when: { direction: 1, serviceType: [3, '004'] } },
    ]);
    expect(chosenId(rates, { direction: '1', serviceType: '3', answerMs: 0 })).toBe('numeric');
    expect(chosenId(rates, { direction: '1', serviceType: '003', answerMs: 0 })).toBeUndefined();
  });

  it('a call without a field does not match a when that names it', () => {
    const rates = tariffOf([{ id: 'axb', pricePerMinute: '0.2', when: { mode: 'AXB' } }]);
    expect(chooseRate(rates, { answerMs: 0 })).toBeUndefined();
    expect(chooseRate(rates, { mode: undefined, answerMs: 0 })).toBeUndefined();
    expect(chosenId(rates, { mode: 'AXB', answerMs: 0 })).toBe('axb');
  });

  it('a prefix written with spaces, dashes, brackets or 00 matches the normalised number', () => {
    const rates = tariffOf([
      { id: 'us', pricePerMinute: '0.2', when: { privateNumPrefix: ['001 (202)', '+1-212'] } },
    ]);
    expect(chosenId(rates, { bindNum: '+12025550100', answerMs: 0 })).toBe('us');
    expect(chosenId(rates, { bindNum: '+12125550100', answerMs: 0 })).toBe('us');
  });

  it('finds the longest prefix in a long list of number ranges', () => {
    const prefixes = Array.from({ length: 40 }, (_, i) => `+86138${String(i).padStart(2, '0')}`);
    const rates = tariffOf([
      { id: 'ranges', pricePerMinute: '0.1', when: { privateNumPrefix: ['+861', ...prefixes] } },
      { id: 'mid', pricePerMinute: '0.1', when: { privateNumPrefix: '+8613800', direction: '1' } },
    ]);
    // '+8613800' (8 chars) in 'ranges' ties 'mid' on prefix; 'mid' has more keys
    expect(chosenId(rates, { bindNum: '+8613800000022', direction: '1', answerMs: 0 })).toBe('mid');
    expect(chosenId(rates, { bindNum: '+8613800000022', answerMs: 0 })).toBe('ranges');
    expect(chosenId(rates, { bindNum: '+8613999999999', answerMs: 0 })).toBe('ranges');
    expect(chooseRate(rates, { bindNum: '+8620000000000', answerMs: 0 })).toBeUndefined();
  });

  it('no rate covers a call at an instant that is not a number', () => {
    expect(chooseRate(tariff, { bindNum: MOBILE, answerMs: Number.NaN })).toBeUndefined();
  });

  describe('properties', () => {
    it('chooses what the rules of SPEC §3.3, written plainly, choose', () => {
      fc.assert(
        fc.property(ratesJsonArb, callSelectorArb, (rates, call) => {
          const tariff = tariffOf(rates);
          expect(chooseRate(tariff, call)).toBe(chooseRateNaively(tariff, call));
        }),
        { numRuns: 500 },
      );
    });

    it('a rate appended after the chosen one changes the choice only when it wins by the rules', () => {
      fc.assert(
        fc.property(ratesJsonArb, callSelectorArb, (rates, call) => {
          // every prefix of a valid list is valid: compare the list without its last rate
          const before = tariffOf(rates.slice(0, -1).length > 0 ? rates.slice(0, -1) : rates);
          const after = tariffOf(rates);
          if (before.rates.length === after.rates.length) return;
          const chosenBefore = chooseRate(before, call);
          const chosenAfter = chooseRate(after, call);
          const last = after.rates.length - 1;
          if (chosenAfter !== last) {
            expect(chosenAfter).toBe(chosenBefore);
            return;
          }
          // the appended rate won: it must match, and beat the earlier choice strictly
          const alone = parseTariff({ currency: 'CNY', rates: [rates[last]] });
          expect(chooseRate(alone, call)).toBe(0);
          if (chosenBefore !== undefined) {
            const pair = parseTariff({
              currency: 'CNY',
              rates: [rates[last], rates[chosenBefore]],
            });
            expect(chooseRate(pair, call)).toBe(0);
            const reversed = parseTariff({
              currency: 'CNY',
              rates: [rates[chosenBefore], rates[last]],
            });
            expect(chooseRate(reversed, call)).toBe(1);
          }
        }),
        { numRuns: 500 },
      );
    });

    it('the chosen rate covers the call: its when matches and its validity holds', () => {
      fc.assert(
        fc.property(ratesJsonArb, callSelectorArb, (rates, call) => {
          const tariff = tariffOf(rates);
          const index = chooseRate(tariff, call);
          if (index === undefined) return;
          const rate = tariff.rates[index];
          expect(rate).toBeDefined();
          expect(rate!.validFromMs <= call.answerMs && call.answerMs < rate!.validToMs).toBe(true);
        }),
      );
    });
  });
});
