import { Decimal } from 'decimal.js';
import { describe, expect, it } from 'vitest';
import { fc } from '../../../test/helpers/fast-check.js';
import { decimalText } from '../../../test/arbitraries/money.js';
import {
  MoneyOverflowError,
  addMicros,
  formatMicros,
  parseMicros,
  subtractMicros,
} from './index.js';

describe('parseMicros', () => {
  it('reads plain decimals as micros', () => {
    expect(parseMicros('12.30')).toBe(12_300_000);
    expect(parseMicros('-0.50')).toBe(-500_000);
    expect(parseMicros('+1')).toBe(1_000_000);
    expect(parseMicros('.5')).toBe(500_000);
    expect(parseMicros('5.')).toBe(5_000_000);
    expect(parseMicros('  0.000001\t')).toBe(1);
    expect(parseMicros('007')).toBe(7_000_000);
  });

  it('accepts zeros beyond the 6th decimal but not other digits', () => {
    expect(parseMicros('0.0000010000')).toBe(1);
    expect(parseMicros('0.0000001')).toBeUndefined();
    expect(parseMicros('1.1234567')).toBeUndefined();
  });

  it('reads -0 as plain zero', () => {
    expect(Object.is(parseMicros('-0.00'), 0)).toBe(true);
  });

  it('refuses what is not a plain decimal', () => {
    for (const text of [
      '',
      '  ',
      '-',
      '+',
      '.',
      '1e3',
      '1,000.00',
      '1 000',
      '1.2.3',
      '--1',
      '¥1',
      '1-',
      'abc',
      '0x1',
    ]) {
      expect(parseMicros(text), text).toBeUndefined();
    }
  });

  it('refuses amounts whose micros are not a safe integer', () => {
    expect(parseMicros('9007199254.740991')).toBe(Number.MAX_SAFE_INTEGER);
    expect(parseMicros('-9007199254.740991')).toBe(-Number.MAX_SAFE_INTEGER);
    expect(parseMicros('9007199254.740992')).toBeUndefined();
    expect(parseMicros('9007199255')).toBeUndefined();
    expect(parseMicros('1' + '0'.repeat(40))).toBeUndefined();
  });
});

describe('formatMicros', () => {
  it('writes at least minDecimals decimals, more only to stay exact', () => {
    expect(formatMicros(12_300_000, 2)).toBe('12.30');
    expect(formatMicros(12_305_000, 2)).toBe('12.305');
    expect(formatMicros(1, 2)).toBe('0.000001');
    expect(formatMicros(5_000_000, 0)).toBe('5');
    expect(formatMicros(5_000_000, 3)).toBe('5.000');
    expect(formatMicros(-500_000, 2)).toBe('-0.50');
  });

  it('never writes -0', () => {
    expect(formatMicros(-0, 2)).toBe('0.00');
    expect(formatMicros(0, 0)).toBe('0');
  });

  it('writes the largest safe amount exactly', () => {
    expect(formatMicros(Number.MAX_SAFE_INTEGER, 2)).toBe('9007199254.740991');
    expect(formatMicros(-Number.MAX_SAFE_INTEGER, 2)).toBe('-9007199254.740991');
  });

  it('refuses a fractional or unsafe number of micros', () => {
    expect(() => formatMicros(0.5, 2)).toThrow(RangeError);
    expect(() => formatMicros(2 ** 53, 2)).toThrow(RangeError);
    expect(() => formatMicros(1, -1)).toThrow(RangeError);
  });
});

describe('addMicros and subtractMicros', () => {
  it('add and subtract exactly', () => {
    expect(addMicros(120_000, 5_000)).toBe(125_000);
    expect(subtractMicros(1_200_000, 1_250_000)).toBe(-50_000);
    expect(Object.is(addMicros(-0, 0), 0)).toBe(true);
  });

  it('throw MoneyOverflowError, with the operands as cause, past safe integers', () => {
    let caught: unknown;
    try {
      addMicros(Number.MAX_SAFE_INTEGER, 1);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(MoneyOverflowError);
    expect((caught as MoneyOverflowError).name).toBe('MoneyOverflowError');
    expect((caught as MoneyOverflowError).cause).toEqual({
      operation: 'add',
      a: Number.MAX_SAFE_INTEGER,
      b: 1,
    });
    expect(() => subtractMicros(-Number.MAX_SAFE_INTEGER, 1)).toThrow(MoneyOverflowError);
    expect(() => addMicros(0.5, 1)).toThrow(MoneyOverflowError);
  });
});

describe('properties', () => {
  const safeMicros = fc.integer({ min: Number.MIN_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER });

  it('formatMicros then parseMicros gives back the micros, for any minDecimals', () => {
    fc.assert(
      fc.property(safeMicros, fc.integer({ min: 0, max: 8 }), (micros, minDecimals) => {
        const text = formatMicros(micros, minDecimals);
        expect(parseMicros(text)).toBe(micros);
        const decimals = text.includes('.') ? text.length - text.indexOf('.') - 1 : 0;
        expect(decimals).toBeGreaterThanOrEqual(minDecimals);
      }),
    );
  });

  it('parseMicros agrees with decimal.js on every plain decimal with up to 6 decimals', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: -(10n ** 17n), max: 10n ** 17n }),
        fc.integer({ min: 0, max: 6 }),
        (units, scale) => {
          const text = decimalText(units, scale);
          const expected = new Decimal(text).times(1_000_000);
          const parsed = parseMicros(text);
          if (expected.abs().lte(Number.MAX_SAFE_INTEGER)) expect(parsed).toBe(expected.toNumber());
          else expect(parsed).toBeUndefined();
        },
      ),
    );
  });

  it('addMicros is exact or throws, never rounds', () => {
    fc.assert(
      fc.property(safeMicros, safeMicros, (a, b) => {
        const exact = BigInt(a) + BigInt(b);
        if (exact >= BigInt(Number.MIN_SAFE_INTEGER) && exact <= BigInt(Number.MAX_SAFE_INTEGER)) {
          expect(BigInt(addMicros(a, b))).toBe(exact);
        } else {
          expect(() => addMicros(a, b)).toThrow(MoneyOverflowError);
        }
      }),
    );
  });
});
