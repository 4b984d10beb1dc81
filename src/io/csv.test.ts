import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { fc } from '../../test/helpers/fast-check.js';
import { collect, splitAt } from '../../test/helpers/io.js';
import type { IssueCode } from '../core/issues.js';
import { CsvParser } from './csv.js';
import type { CsvSink } from './csv.js';
import { decodeBatches } from './text.js';
import type { ItemSink, TextReader } from './text.js';

type Parsed =
  | { readonly cells: string[]; readonly line: number }
  | { readonly code: IssueCode; readonly line: number; readonly reason: string };

/** A text reader that records what a CsvParser reads. */
class Recorder implements TextReader<Parsed>, CsvSink {
  readonly sink: ItemSink<Parsed> = { items: [], suspect: false };
  readonly parser: CsvParser;
  cutAt = 0;

  constructor(maxRecordChars?: number) {
    this.parser = new CsvParser(this, maxRecordChars);
  }
  push(text: string): void {
    this.parser.push(text);
  }
  end(): void {
    this.parser.end();
  }
  cut(): void {
    this.cutAt = this.parser.cut();
  }
  row(cells: string[], line: number): void {
    this.sink.items.push({ cells, line });
  }
  reject(line: number, code: IssueCode, reason: string): void {
    this.sink.items.push({ code, line, reason });
  }
}

/** Parses `text` fed as the given string chunks. */
function parseChunks(chunks: readonly string[], maxRecordChars?: number): Parsed[] {
  const recorder = new Recorder(maxRecordChars);
  for (const chunk of chunks) recorder.push(chunk);
  recorder.end();
  return recorder.sink.items;
}

const parseText = (text: string): Parsed[] => parseChunks([text]);

/** Parses bytes fed as chunks through the decoding driver (BOM, split characters). */
async function parseBytes(chunks: readonly Uint8Array[]): Promise<Parsed[]> {
  return collect(decodeBatches(chunks, 'test.csv', 'utf-8', new Recorder()));
}

describe('CsvParser', () => {
  it('splits plain rows at commas, with LF or CRLF line ends', () => {
    expect(parseText('a,b,c\r\n1,,3\n')).toEqual([
      { cells: ['a', 'b', 'c'], line: 1 },
      { cells: ['1', '', '3'], line: 2 },
    ]);
  });

  it('reads a quoted cell holding commas, doubled quotes and a line break, and numbers the next row right', () => {
    expect(parseText('id,note\n1,"a, ""b""\nc"\n2,x\n')).toEqual([
      { cells: ['id', 'note'], line: 1 },
      { cells: ['1', 'a, "b"\nc'], line: 2 },
      { cells: ['2', 'x'], line: 4 },
    ]);
  });

  it('keeps a CRLF inside quotes as data', () => {
    expect(parseText('"x\r\ny",z\r\n')).toEqual([{ cells: ['x\r\ny', 'z'], line: 1 }]);
  });

  it('skips empty lines, which still count as lines', () => {
    expect(parseText('a\n\n\r\nb\n')).toEqual([
      { cells: ['a'], line: 1 },
      { cells: ['b'], line: 4 },
    ]);
  });

  it('reads the last row without a line break', () => {
    expect(parseText('a,b\n1,2')).toEqual([
      { cells: ['a', 'b'], line: 1 },
      { cells: ['1', '2'], line: 2 },
    ]);
    expect(parseText('a,"b"')).toEqual([{ cells: ['a', 'b'], line: 1 }]);
  });

  it('reads a quote inside an unquoted cell as a literal character', () => {
    expect(parseText('12" screen,1\n')).toEqual([{ cells: ['12" screen', '1'], line: 1 }]);
  });

  it('rejects a row with text after a closing quote and reads the next row', () => {
    expect(parseText('"ab"c,d\n1,2\n')).toEqual([
      { code: 'MALFORMED_ROW', line: 1, reason: 'text follows the closing quote of cell 1' },
      { cells: ['1', '2'], line: 2 },
    ]);
  });

  it('rejects a row whose quote is never closed and resumes on the next line', () => {
    expect(parseText('a,b\n1,"open\n2,3\n')).toEqual([
      { cells: ['a', 'b'], line: 1 },
      { code: 'MALFORMED_ROW', line: 2, reason: 'a quoted cell of the row is never closed' },
      { cells: ['2', '3'], line: 3 },
    ]);
  });

  it('rejects a row longer than the limit without buffering the rest of the file', () => {
    const items = parseChunks(['a,b\n1,"', 'x'.repeat(30), '\n', 'y'.repeat(30), '\n2,3\n'], 40);
    expect(items[0]).toEqual({ cells: ['a', 'b'], line: 1 });
    expect(items[1]).toMatchObject({ code: 'MALFORMED_ROW', line: 2 });
    expect(items.slice(2)).toEqual([
      { cells: ['y'.repeat(30)], line: 3 },
      { cells: ['2', '3'], line: 4 },
    ]);
  });

  it('reads a 2 MB single line', () => {
    const cell = 'z'.repeat(2 * 1024 * 1024);
    const chunks = splitEvery(`a,b\n${cell},"${cell}"\n`, 65536);
    const items = parseChunks(chunks);
    expect(items).toEqual([
      { cells: ['a', 'b'], line: 1 },
      { cells: [cell, cell], line: 2 },
    ]);
  });

  it('reports the line of the incomplete row when the input is cut', () => {
    const recorder = new Recorder();
    recorder.push('a,b\n1,2\n3,"x\ny');
    recorder.cut();
    expect(recorder.cutAt).toBe(3);
    expect(recorder.sink.items).toHaveLength(2);
  });
});

function splitEvery(text: string, size: number): string[] {
  const chunks: string[] = [];
  for (let i = 0; i < text.length; i += size) chunks.push(text.slice(i, i + size));
  return chunks;
}

/** A CSV document built from cells, with the line each row starts on. */
interface Document {
  readonly text: string;
  readonly rows: readonly (readonly string[])[];
  readonly lines: readonly number[];
}

const cellArbitrary = fc.oneof(
  fc.string({
    unit: fc.constantFrom('a', 'b', ' ', ',', '"', '\n', '\r\n', '\r', 'é', '中', '𠀀'),
  }),
  fc.constantFrom('', '0.12', '+8613800000021', '2026-10-15 09:15:36'),
);

const documentArbitrary: fc.Arbitrary<Document> = fc
  .record({
    rows: fc.array(
      fc.array(fc.tuple(cellArbitrary, fc.boolean()), { minLength: 1, maxLength: 5 }),
      {
        maxLength: 12,
      },
    ),
    eol: fc.constantFrom('\n', '\r\n'),
    bom: fc.boolean(),
    finalEol: fc.boolean(),
  })
  .map(({ rows, eol, bom, finalEol }) => {
    let text = '';
    const lines: number[] = [];
    let line = 1;
    rows.forEach((row, r) => {
      lines.push(line);
      const cells = row.map(([cell, quoteAnyway], c) => {
        const needsQuotes = /[",\r\n]/.test(cell) || (row.length === 1 && cell === '');
        const quoted = needsQuotes || (quoteAnyway && c % 2 === 0);
        return quoted ? `"${cell.replace(/"/g, '""')}"` : cell;
      });
      const record = cells.join(',');
      text += record;
      line += record.split('\n').length - 1;
      if (r < rows.length - 1 || finalEol) {
        text += eol;
        line++;
      }
    });
    return {
      text: (bom ? '\uFEFF' : '') + text,
      rows: rows.map((row) => row.map(([cell]) => cell)),
      lines,
    };
  });

describe('properties', () => {
  it('reads the same rows as csv-parse, on the right lines, however the bytes are split', async () => {
    await fc.assert(
      fc.asyncProperty(
        documentArbitrary,
        fc.array(fc.nat(), { maxLength: 8 }),
        async (doc, cuts) => {
          const bytes = new TextEncoder().encode(doc.text);
          const reference: string[][] = parse(doc.text, {
            bom: true,
            relax_column_count: true,
            skip_empty_lines: true,
          });
          const items = await parseBytes(splitAt(bytes, cuts));
          expect(items.map((item) => ('cells' in item ? item.cells : item))).toEqual(reference);
          expect(items.map((item) => item.line)).toEqual(doc.lines);
          expect(reference).toEqual(doc.rows);
        },
      ),
    );
  });

  it('reads any text, malformed or not, the same in one piece or in chunks', () => {
    const text = fc.string({
      unit: fc.constantFrom('a', ',', '"', '\n', '\r', ' ', '中'),
      maxLength: 60,
    });
    fc.assert(
      fc.property(text, fc.array(fc.nat({ max: 60 }), { maxLength: 6 }), (input, cuts) => {
        const sorted = [...new Set(cuts)]
          .filter((c) => c > 0 && c < input.length)
          .sort((a, b) => a - b);
        const chunks: string[] = [];
        let start = 0;
        for (const cut of sorted) {
          chunks.push(input.slice(start, cut));
          start = cut;
        }
        chunks.push(input.slice(start));
        expect(parseChunks(chunks)).toEqual(parseText(input));
      }),
    );
  });

  it('accounts for every line: each row or rejection starts on a line after the one before', () => {
    const text = fc.string({ unit: fc.constantFrom('a', ',', '"', '\n', '\r\n'), maxLength: 80 });
    fc.assert(
      fc.property(text, (input) => {
        const lines = parseText(input).map((item) => item.line);
        const total = input.split('\n').length;
        for (let i = 1; i < lines.length; i++) expect(lines[i]).toBeGreaterThan(lines[i - 1] ?? 0);
        for (const line of lines) expect(line).toBeLessThanOrEqual(total);
      }),
    );
  });
});
