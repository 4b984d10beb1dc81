import { describe, expect, it } from 'vitest';
import { fc } from '../../../test/helpers/fast-check.js';
import { decimalText, signedDecimalTextArb } from '../../../test/arbitraries/money.js';
import { canonicalDecimal, parseScaledDecimal } from './index.js';

describe('canonicalDecimal', () => {
  it('makes 0.1, 0.10, +.10 and " 0.1 " the same text', () => {
    for (const text of ['0.1', '0.10', '+.10', ' 0.1 ', '00.100', '\t0.1']) {
      expect(canonicalDecimal(text)).toBe('0.1');
    }
  });

  it('writes zero without a sign, however it is written', () => {
    for (const text of ['0', '-0', '+0.000', '-.0', '0.', '-0.00'])
      expect(canonicalDecimal(text)).toBe('0');
  });

  it('keeps the sign of a non-zero value and the integer digits', () => {
    expect(canonicalDecimal('-0.50')).toBe('-0.5');
    expect(canonicalDecimal('0012.300')).toBe('12.3');
    expect(canonicalDecimal('100')).toBe('100');
    expect(canonicalDecimal('5.')).toBe('5');
  });

  it('refuses what is not a plain decimal: exponents, separators, empty text, lone signs', () => {
    for (const text of [
      '',
      ' ',
      '-',
      '+',
      '.',
      '-.',
      '1e3',
      '1E-2',
      '1,000',
      '1 000',
      '1.2.3',
      '--1',
      '+-1',
      '0x10',
      'NaN',
      'Infinity',
      '١٢',
      '12a',
    ]) {
      expect(canonicalDecimal(text), text).toBeUndefined();
    }
  });
});

describe('parseScaledDecimal', () => {
  it('reads digits and scale exactly, trailing zeros cut', () => {
    expect(parseScaledDecimal('0.120')).toEqual({
      text: '0.12',
      units: 12n,
      scale: 2,
      unitsNumber: 12,
    });
    expect(parseScaledDecimal('-.50')).toEqual({
      text: '-0.5',
      units: -5n,
      scale: 1,
      unitsNumber: -5,
    });
  });

  it('reads any number of digits, with a number form only while it is a safe integer', () => {
    const long = parseScaledDecimal('123456789012345678901234567890.5');
    expect(long?.units).toBe(1234567890123456789012345678905n);
    expect(long?.scale).toBe(1);
    expect(long?.unitsNumber).toBeUndefined();
    expect(parseScaledDecimal('9007199254740991')?.unitsNumber).toBe(Number.MAX_SAFE_INTEGER);
    expect(parseScaledDecimal('9007199254740992')?.unitsNumber).toBeUndefined();
  });

  it('never gives a negative zero', () => {
    expect(Object.is(parseScaledDecimal('-0.0')?.unitsNumber, 0)).toBe(true);
    expect(parseScaledDecimal('-0.0')?.units).toBe(0n);
  });

  describe('properties', () => {
    it('reads back the units and scale a decimal was written from', () => {
      fc.assert(
        fc.property(
          fc.bigInt({ min: -(10n ** 40n), max: 10n ** 40n }),
          fc.integer({ min: 0, max: 30 }),
          (units, scale) => {
            const parsed = parseScaledDecimal(decimalText(units, scale));
            expect(parsed).toBeDefined();
            // same value: units × 10^(s'−s) = units'
            const p = parsed!;
            expect(units * 10n ** BigInt(p.scale)).toBe(p.units * 10n ** BigInt(scale));
          },
        ),
      );
    });

    it('the canonical text is a fixed point and ignores trailing zeros', () => {
      fc.assert(
        fc.property(signedDecimalTextArb, fc.integer({ min: 0, max: 5 }), (text, zeros) => {
          const canonical = canonicalDecimal(text);
          expect(canonical).toBeDefined();
          expect(canonicalDecimal(canonical!)).toBe(canonical);
          const padded = text.includes('.')
            ? text + '0'.repeat(zeros)
            : `${text}.${'0'.repeat(zeros)}`;
          expect(canonicalDecimal(padded)).toBe(canonical);
          expect(parseScaledDecimal(text)?.text).toBe(canonical);
        }),
      );
    });
  });
});
