import { describe, expect, it } from 'vitest';
import { fc } from '../../test/helpers/fast-check.js';
import { collect, splitAt } from '../../test/helpers/io.js';
import type { BillItem } from '../core/records.js';
import { CsvParser, type CsvSink } from './csv.js';
import { readBillChunks } from './read-bill.js';

/** Every row or rejection a parser reads from `chunks`, with its line. */
function parse(chunks: readonly string[]): unknown[] {
  const out: unknown[] = [];
  const sink: CsvSink = {
    row: (cells, line) => out.push({ cells, line }),
    reject: (line, code, reason) => out.push({ line, code, reason }),
  };
  const parser = new CsvParser(sink);
  for (const chunk of chunks) parser.push(chunk);
  parser.end();
  return out;
}

const readBill = (bytes: readonly Uint8Array[]): Promise<BillItem[]> =>
  collect(readBillChunks(bytes, 'bill.csv'));

const HEADER = 'callId,answerTime,billedSeconds,amount,currency';

describe('line ends', () => {
  it('reads a CR-only file (old Mac Excel) row by row, on the right lines', () => {
    expect(parse(['a,b\r1,2\r\r3,4\r'])).toEqual([
      { cells: ['a', 'b'], line: 1 },
      { cells: ['1', '2'], line: 2 },
      { cells: ['3', '4'], line: 4 },
    ]);
  });

  it('keeps a lone CR inside a quoted cell as data', () => {
    expect(parse(['a,"x\ry"\rb,c'])).toEqual([
      { cells: ['a', 'x\ry'], line: 1 },
      { cells: ['b', 'c'], line: 2 },
    ]);
  });

  it('reads a CRLF split between two chunks as one line end', () => {
    expect(parse(['a,b\r', '\n1,2\r', '\n'])).toEqual([
      { cells: ['a', 'b'], line: 1 },
      { cells: ['1', '2'], line: 2 },
    ]);
  });

  it('ends the last row at a CR the file ends with', () => {
    expect(parse(['a\r', 'b\r'])).toEqual([
      { cells: ['a'], line: 1 },
      { cells: ['b'], line: 2 },
    ]);
  });

  it('reads a CR-only bill as its rows, not as one header line', async () => {
    const text = `${HEADER}\rc-1,2026-10-15 09:15:36,65,0.24,CNY\rc-2,2026-10-15 10:00:00,30,0.12,CNY\r`;
    const items = await readBill([new TextEncoder().encode(text)]);
    expect(items.map((item) => item.type)).toEqual(['row', 'row']);
    expect(items.map((item) => (item.type === 'row' ? item.row.callId : ''))).toEqual([
      'c-1',
      'c-2',
    ]);
  });
});

const cell = fc.oneof(
  fc.stringMatching(/^[a-z0-9 .:-]{0,6}$/),
  // Quoted cells holding commas, quotes and every line end.
  fc
    .array(fc.constantFrom('a', ',', '""', '\n', '\r\n', '\r', ' '), { maxLength: 5 })
    .map((parts) => `"${parts.join('')}"`),
);

describe('properties', () => {
  it('any bill with line ends mixed from LF, CRLF and CR reads the same rows as with LF', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.tuple(
            fc.constantFrom('c-1', 'c-2', '', '"c,3"'),
            cell,
            fc.constantFrom('65', '0', 'x'),
            fc.constantFrom('0.24', '-1.20', ''),
          ),
          { maxLength: 10 },
        ),
        fc.array(fc.constantFrom('\n', '\r\n', '\r'), { minLength: 12, maxLength: 12 }),
        fc.array(fc.nat(), { maxLength: 6 }),
        async (rows, ends, cuts) => {
          const lines = [HEADER, ...rows.map((row) => `${row.join(',')},CNY`)];
          const withLf = lines.map((line) => `${line}\n`).join('');
          const mixed = lines.map((line, i) => `${line}${ends[i % ends.length]}`).join('');
          const expected = await readBill([new TextEncoder().encode(withLf)]);
          const actual = await readBill(splitAt(new TextEncoder().encode(mixed), cuts));
          expect(actual).toEqual(expected);
        },
      ),
    );
  });

  it('a CsvParser reads text with mixed line ends the same in one piece or in chunks', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(cell, fc.constantFrom('\n', '\r\n', '\r')), { maxLength: 12 }),
        fc.array(fc.nat(), { maxLength: 6 }),
        (records, cuts) => {
          const text = records.map(([c, end]) => `${c},x${end}`).join('');
          const at = [...new Set(cuts.map((c) => c % (text.length + 1)))].sort((a, b) => a - b);
          const chunks = [0, ...at].map((from, i) => text.slice(from, at[i] ?? text.length));
          expect(parse(chunks)).toEqual(parse([text]));
          expect(parse([text]).length).toBe(records.length);
        },
      ),
    );
  });
});
