import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { fc } from '../../../test/helpers/fast-check.js';
import { tariffJsonArb } from '../../../test/arbitraries/tariff.js';
import everyOption from '../../../test/fixtures/tariffs/every-option.json' with { type: 'json' };
import minimal from '../../../test/fixtures/tariffs/minimal.json' with { type: 'json' };
import realistic from '../../../test/fixtures/tariffs/realistic.json' with { type: 'json' };
import sampleMonth from '../../../fixtures/2026-10/tariff.json' with { type: 'json' };
import schema from '../../../schema/tariff.schema.json' with { type: 'json' };
import { ROUNDING_MODES, parsePrice } from '../money/index.js';
import { ISO_WITH_OFFSET_PATTERN } from './iso-instant.js';
import { PERIOD_BY_VALUES, TariffError, WHEN_KEYS, parseTariff } from './index.js';

const ajv = new Ajv({ allErrors: true });
const validate = ajv.compile(schema);

function accepts(json: unknown): boolean {
  return validate(json);
}

function parses(json: unknown): boolean {
  try {
    parseTariff(json);
    return true;
  } catch (error) {
    if (error instanceof TariffError) return false;
    throw error;
  }
}

const BASE = { currency: 'CNY', rates: [{ id: 'carrier', pricePerMinute: '0.12' }] };
const withRate = (changes: Record<string, unknown>): unknown => ({
  ...BASE,
  rates: [{ id: 'carrier', pricePerMinute: '0.12', ...changes }],
});
const withAllowance = (allowance: Record<string, unknown>): unknown => ({
  ...BASE,
  allowances: [allowance],
});

describe('schema/tariff.schema.json', () => {
  it('accepts the sample tariffs', () => {
    for (const sample of [minimal, realistic, everyOption, sampleMonth]) {
      expect(accepts(sample), JSON.stringify(validate.errors)).toBe(true);
      expect(parses(sample)).toBe(true);
    }
  });

  it('lists the same keys, modes and instant shape as the parser', () => {
    const definitions = schema.definitions;
    expect(Object.keys(definitions.when.properties)).toEqual([...WHEN_KEYS]);
    expect(schema.properties.roundingMode.enum).toEqual([...ROUNDING_MODES]);
    expect(schema.properties.periodBy.enum).toEqual([...PERIOD_BY_VALUES]);
    expect(definitions.instant.pattern).toBe(ISO_WITH_OFFSET_PATTERN);
  });

  const structural: [string, unknown][] = [
    ['not an object', []],
    ['no currency', { rates: BASE.rates }],
    ['a lowercase currency', { ...BASE, currency: 'cny' }],
    ['no rates', { currency: 'CNY' }],
    ['an empty rates list', { currency: 'CNY', rates: [] }],
    ['an unknown top-level key', { ...BASE, discount: '0.1' }],
    ['an unknown rate key', withRate({ pricePerMinut: '0.12' })],
    ['an unknown when key', withRate({ when: { prefix: '+86' } })],
    ['an unknown allowance key', withAllowance({ minutes: 10, size: 1 })],
    ['a JSON number for pricePerMinute', withRate({ pricePerMinute: 0.12 })],
    ['a JSON number for connectFee', withRate({ connectFee: 0 })],
    ['a JSON number for minimumCharge', withRate({ minimumCharge: 1 })],
    ['an exponent in a price', withRate({ pricePerMinute: '1e-3' })],
    ['a thousands separator in a price', withRate({ pricePerMinute: '1,000.00' })],
    ['an empty price', withRate({ pricePerMinute: '' })],
    ['a negative price', withRate({ pricePerMinute: '-0.01' })],
    ['a negative connect fee', withRate({ connectFee: '-1' })],
    ['a zero increment', withRate({ firstIncrementSeconds: 0 })],
    ['a negative increment', withRate({ nextIncrementSeconds: -6 })],
    ['a fractional increment', withRate({ nextIncrementSeconds: 1.5 })],
    ['an increment as text', withRate({ firstIncrementSeconds: '60' })],
    ['validFrom without an offset', withRate({ validFrom: '2026-10-01T00:00:00' })],
    ['validTo as a date only', withRate({ validTo: '2026-10-01' })],
    ['validFrom as a number', withRate({ validFrom: 1790000000000 })],
    ['an unknown rounding mode', { ...BASE, roundingMode: 'half-down' }],
    ['an unknown periodBy', { ...BASE, periodBy: 'callStartTime' }],
    ['amountDecimals 7', { ...BASE, amountDecimals: 7 }],
    ['amountDecimals 2.5', { ...BASE, amountDecimals: 2.5 }],
    ['amountDecimals as text', { ...BASE, amountDecimals: '2' }],
    ['an empty when list', withRate({ when: { serviceType: [] } })],
    ['a boolean when value', withRate({ when: { direction: true } })],
    ['an empty when value', withRate({ when: { mode: '' } })],
    ['a when that is a list', withRate({ when: ['+86'] })],
    ['an empty id', withRate({ id: '' })],
    ['a numeric id', withRate({ id: 7 })],
    ['negative allowance minutes', withAllowance({ minutes: -1 })],
    ['allowance minutes as text', withAllowance({ minutes: '5000' })],
    ['an allowance without minutes', withAllowance({ id: 'pkg' })],
    ['negative consumedBeforeMinutes', withAllowance({ minutes: 10, consumedBeforeMinutes: -2 })],
    ['allowances that are not a list', { ...BASE, allowances: {} }],
    ['a timezone that is not text', { ...BASE, timezone: 8 }],
    ['a $schema that is not text', { ...BASE, $schema: 1 }],
  ];

  it.each(structural)('rejects, as parseTariff does, %s', (_name, json) => {
    expect(parses(json)).toBe(false);
    expect(accepts(json)).toBe(false);
  });

  // What a schema cannot say; parseTariff refuses these at load.
  const semantic: [string, unknown][] = [
    [
      'validTo before validFrom',
      withRate({ validFrom: '2026-10-02T00:00:00Z', validTo: '2026-10-01T00:00:00Z' }),
    ],
    ['a date out of the calendar', withRate({ validFrom: '2026-02-30T00:00:00Z' })],
    ['an unknown time zone', { ...BASE, timezone: 'Mars/Olympus_Mons' }],
    ['a minimum charge finer than amountDecimals', withRate({ minimumCharge: '0.005' })],
    [
      'two rates with the same when and overlapping validity',
      { ...BASE, rates: [{ pricePerMinute: '0.1' }, { pricePerMinute: '0.2' }] },
    ],
    [
      'duplicate rate ids',
      {
        ...BASE,
        rates: [
          { id: 'a', pricePerMinute: '0.1', when: { direction: '0' } },
          { id: 'a', pricePerMinute: '0.2', when: { direction: '1' } },
        ],
      },
    ],
    [
      'consumedBeforeMinutes above minutes',
      withAllowance({ minutes: 1, consumedBeforeMinutes: 2 }),
    ],
    ['package minutes that are not whole seconds', withAllowance({ minutes: 0.01 })],
    ['a prefix that normalises to nothing', withRate({ when: { privateNumPrefix: '()' } })],
  ];

  it.each(semantic)('leaves to parseTariff %s', (_name, json) => {
    expect(accepts(json)).toBe(true);
    expect(parses(json)).toBe(false);
  });

  describe('properties', () => {
    it('accepts every tariff built valid', () => {
      fc.assert(
        fc.property(tariffJsonArb, (json) => {
          expect(accepts(json), JSON.stringify(validate.errors)).toBe(true);
        }),
      );
    });

    it('the money pattern accepts exactly the non-negative plain decimals parsePrice reads', () => {
      const moneyPattern = new RegExp(schema.definitions.money.pattern, 'u');
      const text = fc.string({
        unit: fc.constantFrom('0', '1', '9', '.', '+', '-', ' ', '\t', 'e', ','),
        maxLength: 8,
      });
      fc.assert(
        fc.property(text, (candidate) => {
          const price = parsePrice(candidate);
          expect(moneyPattern.test(candidate)).toBe(price !== undefined && price.units >= 0n);
        }),
        { numRuns: 5_000 },
      );
    });
  });
});
