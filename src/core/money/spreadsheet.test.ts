import { describe, expect, it } from 'vitest';
import { fc } from '../../../test/helpers/fast-check.js';
import { isScientificNotation, readCellDecimal } from './spreadsheet.js';

describe('readCellDecimal', () => {
  it('a plain decimal is read as it is, not normalised', () => {
    expect(readCellDecimal('0.24')).toEqual({ text: '0.24', normalised: false });
    expect(readCellDecimal('-0.50')).toEqual({ text: '-0.50', normalised: false });
  });

  it('reads what Excel on Chinese Windows writes: ¥, ￥, 元, CNY, RMB, thousands separators', () => {
    expect(readCellDecimal('¥1,234.50')).toEqual({ text: '1234.50', normalised: true });
    expect(readCellDecimal('￥0.24')).toEqual({ text: '0.24', normalised: true });
    expect(readCellDecimal('12.30元')).toEqual({ text: '12.30', normalised: true });
    expect(readCellDecimal('CNY 1,000')).toEqual({ text: '1000', normalised: true });
    expect(readCellDecimal('RMB12.3')).toEqual({ text: '12.3', normalised: true });
    expect(readCellDecimal('$ 5')).toEqual({ text: '5', normalised: true });
  });

  it('reads a trailing minus and accounting parentheses as a negative', () => {
    expect(readCellDecimal('1.20-')).toEqual({ text: '-1.20', normalised: true });
    expect(readCellDecimal('(1.20)')).toEqual({ text: '-1.20', normalised: true });
    expect(readCellDecimal('(¥1,234.50)')).toEqual({ text: '-1234.50', normalised: true });
    expect(readCellDecimal('-¥0.24')).toEqual({ text: '-0.24', normalised: true });
  });

  it('refuses what is no decimal in any of these forms', () => {
    for (const cell of ['12.3.4', '1,23.4', '1,2345', 'abc', '', '¥', '1e3', '--1', '(1.20']) {
      expect(readCellDecimal(cell)).toBeUndefined();
    }
  });
});

describe('isScientificNotation', () => {
  it('finds a phone number or id a spreadsheet turned into a float', () => {
    expect(isScientificNotation('8.61381E+12')).toBe(true);
    expect(isScientificNotation('1.2e5')).toBe(true);
    expect(isScientificNotation('+8613800000021')).toBe(false);
    expect(isScientificNotation('abc-1e5')).toBe(false);
  });

  it('property: the same answer as the pattern on the trimmed cell, whatever the cell', () => {
    const unit = fc.constantFrom(
      '1',
      '0',
      '.',
      'e',
      'E',
      '+',
      '-',
      ' ',
      '\t',
      '\u00a0',
      '\u3000',
      'a',
      '_',
      '@',
    );
    fc.assert(
      fc.property(fc.string({ unit, maxLength: 12 }), (cell) => {
        expect(isScientificNotation(cell)).toBe(/^[+-]?\d+(\.\d+)?[eE][+-]?\d+$/.test(cell.trim()));
      }),
      { numRuns: 2000 },
    );
  });
});

describe('properties', () => {
  const amount = fc
    .tuple(fc.bigInt({ min: 0n, max: 10n ** 12n }), fc.integer({ min: 0, max: 2 }))
    .map(([units, decimals]) => {
      const digits = units.toString().padStart(decimals + 1, '0');
      const integer = digits.slice(0, digits.length - decimals);
      const fraction = digits.slice(digits.length - decimals);
      return { integer, fraction };
    });

  it('any amount written with ¥, separators and parentheses reads back to its plain decimal', () => {
    fc.assert(
      fc.property(
        amount,
        fc.boolean(),
        fc.constantFrom('¥', '￥', 'CNY ', ''),
        ({ integer, fraction }, negative, sign) => {
          const grouped = integer.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
          const body = `${sign}${grouped}${fraction === '' ? '' : `.${fraction}`}`;
          const cell = negative ? `(${body})` : body;
          const plain = `${negative ? '-' : ''}${integer}${fraction === '' ? '' : `.${fraction}`}`;
          expect(readCellDecimal(cell)?.text).toBe(plain);
        },
      ),
    );
  });
});
