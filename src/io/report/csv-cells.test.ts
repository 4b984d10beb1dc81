import { describe, expect, it } from 'vitest';
import { parse } from 'csv-parse/sync';
import { fc } from '../../../test/helpers/fast-check.js';
import { csvLine, guardFormula } from './csv-cells.js';

describe('report cells', () => {
  it.each([
    ['=1+1', "'=1+1"],
    ['+SUM(A1)', "'+SUM(A1)"],
    ['-2+3', "'-2+3"],
    ['@cmd', "'@cmd"],
    ['\tx', "'\tx"],
    ['\rx', "'\rx"],
  ])('a cell a spreadsheet would run, %j, is written as text', (cell, written) => {
    expect(guardFormula(cell)).toBe(written);
  });

  it.each(['-1.20', '+3', '0.24', '+86138****0021', '+8613800000021', 'abc', ''])(
    'a plain number, a phone number or ordinary text, %j, is left as it is',
    (cell) => {
      expect(guardFormula(cell)).toBe(cell);
    },
  );

  it('quotes a cell with a comma, quote or line break', () => {
    expect(csvLine(['a,b', 'say "hi"', 'two\nlines', 'plain'], 'plain')).toBe(
      '"a,b","say ""hi""","two\nlines",plain\n',
    );
  });

  describe('properties', () => {
    it('csv-parse reads back exactly the cells written (round trip)', () => {
      fc.assert(
        fc.property(
          fc.array(
            fc.array(
              fc.string({
                unit: fc.constantFrom('a', ',', '"', '\n', '\r', ' ', '=', '-', '1', '.', 'é'),
              }),
              { minLength: 2, maxLength: 5 },
            ),
            { minLength: 1, maxLength: 8 },
          ),
          (rows) => {
            const width = rows[0]?.length ?? 0;
            const table = rows.map((row) => Array.from({ length: width }, (_, i) => row[i] ?? ''));
            const text = table.map((row) => csvLine(row, 'plain')).join('');
            expect(parse(text, { relax_column_count: false })).toEqual(table);
          },
        ),
      );
    });

    it('a guarded cell never starts with a formula character unless it is a number or phone', () => {
      fc.assert(
        fc.property(fc.string(), (cell) => {
          const guarded = guardFormula(cell);
          if (guarded !== cell) expect(guarded).toBe(`'${cell}`);
          else if (/^[=+\-@\t\r]/.test(cell))
            expect(cell).toMatch(/^([+-]?\d+(\.\d+)?|\+?[\d*]+)$/);
        }),
      );
    });
  });
});
