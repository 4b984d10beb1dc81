import { describe, expect, it } from 'vitest';
import { fc } from '../../../test/helpers/fast-check.js';
import { tariffJsonArb } from '../../../test/arbitraries/tariff.js';
import everyOption from '../../../test/fixtures/tariffs/every-option.json' with { type: 'json' };
import minimal from '../../../test/fixtures/tariffs/minimal.json' with { type: 'json' };
import realistic from '../../../test/fixtures/tariffs/realistic.json' with { type: 'json' };
import { TariffError, parseTariff } from './index.js';

type Json = Record<string, unknown>;

const BASE: Json = { currency: 'CNY', rates: [{ id: 'carrier', pricePerMinute: '0.12' }] };

/** The base tariff with its one rate changed. */
function withRate(changes: Json): Json {
  return { ...BASE, rates: [{ id: 'carrier', pricePerMinute: '0.12', ...changes }] };
}

/** The base tariff with allowances. */
function withAllowances(...allowances: Json[]): Json {
  return { ...BASE, allowances };
}

/** The TariffError that parsing `json` throws (fails the test when it does not throw one). */
function refusal(json: unknown): TariffError {
  try {
    parseTariff(json, 'tariff.json');
  } catch (error) {
    if (error instanceof TariffError) return error;
    throw error;
  }
  throw new Error('the tariff was accepted');
}

describe('parseTariff', () => {
  it('applies every default to a minimal tariff', () => {
    const tariff = parseTariff(minimal, 'minimal.json');
    expect(tariff).toMatchObject({
      source: 'minimal.json',
      currency: 'CNY',
      timezone: undefined,
      amountDecimals: 2,
      roundingMode: 'half-up',
      periodBy: 'callEndTime',
      allowances: [],
    });
    expect(tariff.rates).toHaveLength(1);
    expect(tariff.rates[0]).toMatchObject({
      index: 0,
      id: undefined,
      when: {},
      validFromMs: Number.NEGATIVE_INFINITY,
      validToMs: Number.POSITIVE_INFINITY,
      firstIncrementSeconds: 60,
      nextIncrementSeconds: 60,
      minimumChargeMicros: 0,
    });
    expect(tariff.rates[0]?.pricePerMinute.text).toBe('0.12');
    expect(tariff.rates[0]?.connectFee.text).toBe('0');
    expect(tariff.rates[0]?.minimumCharge.text).toBe('0');
  });

  it('names the file "tariff" when no source is given', () => {
    expect(parseTariff(minimal).source).toBe('tariff');
    expect(refusal({}).message).toMatch(/^tariff\.json: /);
  });

  it('reads a realistic tariff: two number ranges, a price change mid-month, a package', () => {
    const tariff = parseTariff(realistic, 'realistic.json');
    expect(tariff.timezone).toBe('Asia/Shanghai');
    expect(tariff.rates.map((rate) => [rate.id, rate.pricePerMinute.text])).toEqual([
      ['mobile-138-139', '0.12'],
      ['mobile-138-139-from-10-16', '0.1'],
      ['fixed-010', '0.15'],
    ]);
    expect(tariff.rates[0]?.validToMs).toBe(Date.parse('2026-10-15T16:00:00Z'));
    expect(tariff.rates[1]?.validFromMs).toBe(Date.parse('2026-10-15T16:00:00Z'));
    expect(tariff.rates[2]?.when).toEqual({ privateNumPrefix: ['+8610'] });
    expect(tariff.allowances).toEqual([
      {
        index: 0,
        id: 'pkg-5000',
        minutes: 5000,
        consumedBeforeMinutes: 0,
        capacitySeconds: 300_000,
        when: {},
        validFromMs: Date.parse('2026-09-30T16:00:00Z'),
        validToMs: Date.parse('2027-09-30T16:00:00Z'),
      },
    ]);
  });

  it('reads every option: values as text, prefixes normalised, fractional package minutes', () => {
    const tariff = parseTariff(everyOption, 'every-option.json');
    expect(tariff).toMatchObject({
      currency: 'USD',
      amountDecimals: 3,
      roundingMode: 'half-even',
      periodBy: 'fwdAnswerTime',
    });
    expect(tariff.rates[1]?.when).toEqual({ direction: ['0', '1'], mode: ['AXB'] });
    expect(tariff.rates[1]).toMatchObject({
      firstIncrementSeconds: 30,
      nextIncrementSeconds: 6,
      minimumChargeMicros: 5_000,
    });
    expect(tariff.rates[2]?.when.privateNumPrefix).toEqual(['+1800', '+1888']);
    expect(tariff.rates[2]?.validToMs).toBe(Number.POSITIVE_INFINITY);
    // (100.5 − 20.25) · 60
    expect(tariff.allowances[0]?.capacitySeconds).toBe(4_815);
    expect(tariff.allowances[1]).toMatchObject({ id: undefined, capacitySeconds: 3_600 });
  });

  it('accepts "-0" as a zero price, and rates with the same when that only touch', () => {
    expect(() => parseTariff(withRate({ connectFee: '-0.00' }))).not.toThrow();
    const touching = {
      ...BASE,
      rates: [
        { id: 'a', pricePerMinute: '0.12', validTo: '2026-10-16T00:00:00+08:00' },
        { id: 'b', pricePerMinute: '0.10', validFrom: '2026-10-15T16:00:00Z' },
      ],
    };
    expect(parseTariff(touching).rates).toHaveLength(2);
  });

  describe('refuses, naming the file, the rate or allowance, the field and what is valid', () => {
    it('an unknown key at the top level', () => {
      const error = refusal({ ...BASE, discount: '0.1' });
      expect(error.message).toBe(
        'tariff.json: field discount: unknown key; valid keys are $schema, currency, timezone, amountDecimals, roundingMode, periodBy, rates, allowances, charges',
      );
      expect(error.name).toBe('TariffError');
      expect(error.field).toBe('discount');
      expect(error.subject).toBe('');
    });

    it('an unknown key in a rate, a when and an allowance', () => {
      expect(refusal(withRate({ pricePerMinut: '0.12' })).message).toMatch(
        /^tariff\.json: rate 'carrier', field pricePerMinut: unknown key; valid keys are id, pricePerMinute, /,
      );
      expect(refusal(withRate({ when: { prefix: '+86' } })).message).toMatch(
        /rate 'carrier', field when\.prefix: unknown key; valid keys are privateNumPrefix, serviceType, direction, mode$/,
      );
      expect(refusal(withAllowances({ minutes: 10, size: 1 })).message).toMatch(
        /allowances\[0\], field size: unknown key; valid keys are id, minutes, /,
      );
    });

    it('money written as a JSON number', () => {
      expect(refusal(withRate({ pricePerMinute: 0.12 })).message).toBe(
        `tariff.json: rate 'carrier', field pricePerMinute: got the JSON number 0.12; money is a decimal string, e.g. "0.12"`,
      );
      expect(refusal(withRate({ connectFee: 0 })).field).toBe('connectFee');
      expect(refusal(withRate({ minimumCharge: 1 })).field).toBe('minimumCharge');
    });

    it('money that is not a plain decimal', () => {
      for (const text of ['1e-3', '0,12', '', '¥0.12', '0.1.2', 'free']) {
        const error = refusal(withRate({ pricePerMinute: text }));
        expect(error.field).toBe('pricePerMinute');
        expect(error.message).toContain(
          'is not a plain decimal; write digits with an optional "."',
        );
      }
      expect(refusal(withRate({ connectFee: true })).message).toContain(
        'field connectFee: got true; money is a decimal string such as "0.12"',
      );
      expect(refusal({ ...BASE, rates: [{ id: 'x' }] }).message).toContain(
        "rate 'x', field pricePerMinute: missing; give a decimal string",
      );
    });

    it('a negative price, connect fee or minimum charge', () => {
      expect(refusal(withRate({ pricePerMinute: '-0.01' })).message).toBe(
        `tariff.json: rate 'carrier', field pricePerMinute: "-0.01" is negative; it must be 0 or more`,
      );
      expect(refusal(withRate({ connectFee: '-1' })).field).toBe('connectFee');
      expect(refusal(withRate({ minimumCharge: '-0.10' })).field).toBe('minimumCharge');
    });

    it('an increment that is not a whole number of seconds ≥ 1', () => {
      for (const value of [0, -60, 1.5, '60', null]) {
        const error = refusal(withRate({ firstIncrementSeconds: value }));
        expect(error.field).toBe('firstIncrementSeconds');
        expect(error.message).toContain('an increment is a whole number of seconds, 1 or more');
      }
      expect(refusal(withRate({ nextIncrementSeconds: 0 })).message).toContain(
        "rate 'carrier', field nextIncrementSeconds: got the JSON number 0;",
      );
    });

    it('validTo not after validFrom', () => {
      const error = refusal(
        withRate({ validFrom: '2026-10-01T00:00:00+08:00', validTo: '2026-09-30T16:00:00Z' }),
      );
      expect(error.message).toBe(
        `tariff.json: rate 'carrier', field validTo: "2026-09-30T16:00:00Z" is not after validFrom "2026-10-01T00:00:00+08:00"; validTo must be later than validFrom`,
      );
      expect(
        refusal(withRate({ validFrom: '2026-10-02T00:00:00Z', validTo: '2026-10-01T00:00:00Z' }))
          .field,
      ).toBe('validTo');
    });

    it('validFrom or validTo without an offset, out of the calendar, or not text', () => {
      for (const value of [
        '2026-10-01T00:00:00',
        '2026-10-01 00:00:00',
        '2026-02-30T00:00:00Z',
        1790000000000,
      ]) {
        const error = refusal(withRate({ validFrom: value }));
        expect(error.field).toBe('validFrom');
        expect(error.message).toContain(
          'expected an ISO 8601 date-time in the calendar with Z or an offset',
        );
      }
      expect(refusal(withAllowances({ minutes: 1, validTo: '2026-10' })).message).toContain(
        'allowances[0], field validTo: got the text "2026-10"',
      );
    });

    it('an unknown roundingMode or periodBy', () => {
      expect(refusal({ ...BASE, roundingMode: 'half-down' }).message).toBe(
        'tariff.json: field roundingMode: got the text "half-down"; valid modes are half-up, half-even, up, down',
      );
      expect(refusal({ ...BASE, periodBy: 'callStartTime' }).message).toBe(
        'tariff.json: field periodBy: got the text "callStartTime"; valid values are callEndTime, fwdAnswerTime, callInTime',
      );
    });

    it('amountDecimals that is not a whole number from 0 to 6', () => {
      for (const value of [7, -1, 2.5, '2', null]) {
        const error = refusal({ ...BASE, amountDecimals: value });
        expect(error.field).toBe('amountDecimals');
        expect(error.message).toContain('amountDecimals is a whole number from 0 to 6');
      }
    });

    it('a minimum charge with more decimals than amountDecimals', () => {
      expect(refusal(withRate({ minimumCharge: '0.005' })).message).toBe(
        `tariff.json: rate 'carrier', field minimumCharge: "0.005" has 3 decimals; at most amountDecimals (2)`,
      );
      expect(() =>
        parseTariff({ ...withRate({ minimumCharge: '0.005' }), amountDecimals: 3 }),
      ).not.toThrow();
      expect(() => parseTariff(withRate({ minimumCharge: '0.100' }))).not.toThrow();
    });

    it('a currency that is not 3 uppercase letters', () => {
      for (const value of ['cny', 'CN', 'CNYY', 156, undefined]) {
        const error = refusal({ ...BASE, currency: value });
        expect(error.field).toBe('currency');
        expect(error.message).toContain('a currency is an ISO 4217 code of 3 uppercase letters');
      }
    });

    it('a timezone that is not an IANA name', () => {
      expect(refusal({ ...BASE, timezone: 'Mars/Olympus_Mons' }).message).toBe(
        'tariff.json: field timezone: got the text "Mars/Olympus_Mons"; a timezone is an IANA name, e.g. "Asia/Shanghai" or "UTC"',
      );
      expect(refusal({ ...BASE, timezone: 8 }).field).toBe('timezone');
      expect(refusal({ ...BASE, timezone: '' }).field).toBe('timezone');
    });

    it('two rates with the same when and overlapping validity', () => {
      const error = refusal({
        ...BASE,
        rates: [
          { id: 'a', pricePerMinute: '0.12', when: { privateNumPrefix: ['+86138', '+86139'] } },
          { id: 'other', pricePerMinute: '0.2', when: { privateNumPrefix: '+86' } },
          {
            id: 'b',
            pricePerMinute: '0.10',
            when: { privateNumPrefix: ['+86139', '+86138', '+86139'] },
            validFrom: '2026-10-16T00:00:00+08:00',
          },
        ],
      });
      expect(error.message).toBe(
        `tariff.json: rate 'b', field validFrom/validTo: has the same when as rate 'a' and an overlapping validity ([2026-10-16T00:00:00+08:00, unbounded) and [unbounded, unbounded)); make the validity periods disjoint or the when different`,
      );
    });

    it('two rates whose when are the same as text (1 and "1")', () => {
      const error = refusal({
        ...BASE,
        rates: [
          { pricePerMinute: '0.12', when: { direction: 1 } },
          { pricePerMinute: '0.10', when: { direction: ['1'] } },
        ],
      });
      expect(error.subject).toBe('rates[1]');
      expect(error.message).toContain('has the same when as rates[0]');
    });

    it('a rate with an empty when and one without when: both match all, so they are the same', () => {
      const error = refusal({
        ...BASE,
        rates: [
          { id: 'empty', pricePerMinute: '0.12', when: {} },
          { id: 'absent', pricePerMinute: '0.10' },
        ],
      });
      expect(error.message).toContain(
        `rate 'absent', field validFrom/validTo: has the same when as rate 'empty'`,
      );
    });

    it('two rates without when (both match all) and overlapping validity', () => {
      const error = refusal({
        ...BASE,
        rates: [
          { pricePerMinute: '0.12', validTo: '2026-11-01T00:00:00Z' },
          { pricePerMinute: '0.10', validFrom: '2026-10-31T23:59:59.999Z' },
        ],
      });
      expect(error.subject).toBe('rates[1]');
    });

    it('duplicate rate ids and duplicate allowance ids', () => {
      const rates = [
        { id: 'carrier', pricePerMinute: '0.12', when: { direction: '0' } },
        { id: 'carrier', pricePerMinute: '0.12', when: { direction: '1' } },
      ];
      expect(refusal({ ...BASE, rates }).message).toBe(
        `tariff.json: rates[1], field id: 'carrier' is also the id of rates[0]; ids must be unique`,
      );
      expect(
        refusal(withAllowances({ id: 'p', minutes: 1 }, { id: 'p', minutes: 2 })).message,
      ).toContain(`allowances[1], field id: 'p' is also the id of allowances[0]`);
    });

    it('an id that is not a non-empty string', () => {
      expect(refusal(withRate({ id: 7 })).message).toBe(
        'tariff.json: rates[0], field id: got the JSON number 7; an id is a non-empty string',
      );
      expect(refusal(withRate({ id: '' })).field).toBe('id');
    });

    it('allowance minutes that are negative, not numbers, or not whole seconds', () => {
      for (const value of [-1, '5000', 0.01, 1e-7, null]) {
        const error = refusal(withAllowances({ id: 'pkg', minutes: value }));
        expect(error.subject).toBe(`allowance 'pkg'`);
        expect(error.field).toBe('minutes');
        expect(error.message).toContain(
          'minutes are a JSON number, 0 or more, that is a whole number of seconds',
        );
      }
      expect(refusal(withAllowances({ id: 'pkg' })).message).toContain('field minutes: missing;');
      expect(refusal(withAllowances({ minutes: 10, consumedBeforeMinutes: -2 })).field).toBe(
        'consumedBeforeMinutes',
      );
      expect(parseTariff(withAllowances({ minutes: 0.1 })).allowances[0]?.capacitySeconds).toBe(6);
    });

    it('consumedBeforeMinutes above minutes', () => {
      expect(
        refusal(withAllowances({ id: 'pkg', minutes: 100, consumedBeforeMinutes: 100.5 })).message,
      ).toBe(
        `tariff.json: allowance 'pkg', field consumedBeforeMinutes: 100.5 is more than minutes 100; it must be at most minutes`,
      );
      expect(
        parseTariff(withAllowances({ minutes: 100, consumedBeforeMinutes: 100 })).allowances[0]
          ?.capacitySeconds,
      ).toBe(0);
    });

    it('rates that are missing, empty or not objects', () => {
      expect(refusal({ currency: 'CNY' }).message).toBe(
        'tariff.json: field rates: got nothing; rates is a non-empty list of rates',
      );
      expect(refusal({ currency: 'CNY', rates: [] }).field).toBe('rates');
      expect(refusal({ currency: 'CNY', rates: {} }).field).toBe('rates');
      expect(refusal({ currency: 'CNY', rates: ['0.12'] }).message).toContain(
        'rates[0], field (rate): got the text "0.12"; a rate is an object',
      );
      expect(refusal({ ...BASE, allowances: {} }).field).toBe('allowances');
      expect(refusal({ ...BASE, allowances: null }).field).toBe('allowances');
      expect(refusal({ ...BASE, roundingMode: null }).field).toBe('roundingMode');
      expect(refusal({ ...BASE, allowances: [5000] }).subject).toBe('allowances[0]');
    });

    it('when values that are empty, not text or numbers, or not an object', () => {
      expect(refusal(withRate({ when: { serviceType: [] } })).message).toContain(
        'field when.serviceType: an empty list matches no call',
      );
      expect(refusal(withRate({ when: { serviceType: true } })).message).toContain(
        'field when.serviceType: got true; values are non-empty strings or numbers',
      );
      expect(refusal(withRate({ when: { mode: '' } })).field).toBe('when.mode');
      expect(refusal(withRate({ when: { privateNumPrefix: '( )' } })).message).toContain(
        'is an empty prefix; leave privateNumPrefix out to match every number',
      );
      expect(refusal(withRate({ when: ['+86'] })).message).toContain(
        'field when: got a list; a when is an object with keys privateNumPrefix, serviceType, direction, mode',
      );
    });

    it('a tariff that is not a JSON object', () => {
      expect(refusal([]).message).toBe(
        'tariff.json: field (root): got a list; a tariff is a JSON object with currency and rates',
      );
      expect(refusal(null).field).toBe('(root)');
      expect(refusal({ ...BASE, $schema: 1 }).field).toBe('$schema');
    });

    it('with a message on one line, however odd the input', () => {
      const error = refusal(withRate({ id: 'line\nbreak', pricePerMinute: 'a\nb' }));
      expect(error.message).not.toContain('\n');
    });
  });

  describe('properties', () => {
    it('accepts every tariff built valid, and keeps its rates and allowances in file order', () => {
      fc.assert(
        fc.property(tariffJsonArb, (json) => {
          const tariff = parseTariff(json);
          expect(tariff.rates.map((rate) => rate.id)).toEqual(
            (json['rates'] as Json[]).map((rate) => rate['id']),
          );
          expect(tariff.allowances.map((allowance) => allowance.id)).toEqual(
            (json['allowances'] as Json[]).map((allowance) => allowance['id']),
          );
          for (const rate of tariff.rates) expect(rate.validToMs).toBeGreaterThan(rate.validFromMs);
        }),
      );
    });

    it('a duplicate of any rate with the same validity is refused', () => {
      fc.assert(
        fc.property(tariffJsonArb, fc.nat(), (json, pick) => {
          const rates = json['rates'] as Json[];
          const copy = { ...(rates[pick % rates.length] as Json), id: 'copy' };
          const error = refusal({ ...json, rates: [...rates, copy] });
          expect(error.subject).toBe(`rate 'copy'`);
          expect(error.field).toBe('validFrom/validTo');
        }),
      );
    });
  });
});
