/**
 * The console's export of the virtual numbers held (`--numbers`, SPEC §4.5): a CSV with
 * `number` and optional `orderedAt`, `releasedAt`, headers matched like the bill's (or
 * through `--numbers-columns`), in the encodings of SPEC §2.3.
 */
import type { IssueCode } from '../core/issues.js';
import { NUMBER_COLUMNS, type NumberItem, type NumberRow } from '../core/records.js';
import { normalizeBillHeader } from './bill-csv.js';
import { checkColumnMap, findColumns, headersFound, type ColumnMap } from './columns.js';
import { CsvParser, fitsHeader, isBlank, MAX_RECORD_CHARS, trimCell, type CsvSink } from './csv.js';
import { checkEncoding } from './encoding.js';
import { InputError } from './errors.js';
import { findInputFiles, openFile, type FileKinds } from './files.js';
import type { TextEncoding } from './options.js';
import { decodeBatches, type ItemSink, type TextReader } from './text.js';

/** The files a `--numbers` path may name. */
export const NUMBER_FILES: FileKinds<'csv'> = { label: 'numbers', extensions: { '.csv': 'csv' } };

/** Options of {@link readNumbers}. */
export interface NumbersReadOptions {
  readonly encoding?: TextEncoding | undefined;
  /** Canonical column (`number`, `orderedAt`, `releasedAt`) → the file's header. */
  readonly columns?: Readonly<Record<string, string>> | undefined;
  /** Called once a file is read, with its role, path, digest and rows. */
  readonly onFile?: (file: {
    role: 'numbers';
    path: string;
    sha256: string;
    records: number;
  }) => void;
}

class NumbersReader implements TextReader<NumberItem>, CsvSink {
  readonly sink: ItemSink<NumberItem> = { items: [], suspect: false };
  private readonly parser = new CsvParser(this, MAX_RECORD_CHARS);
  private at: number[] | undefined;
  private width = 0;

  constructor(
    private readonly source: string,
    private readonly columns: ColumnMap,
  ) {}

  push(text: string): void {
    this.parser.push(text);
  }

  end(): void {
    this.parser.end();
    if (this.at === undefined)
      throw new InputError(`${this.source}: empty numbers file, no header row`);
  }

  cut(reason: string): void {
    this.reject(this.parser.cut(), 'TRUNCATED_INPUT', reason);
  }

  reject(line: number, code: IssueCode, reason: string): void {
    if (this.at === undefined)
      throw new InputError(`${this.source}: the header row cannot be read: ${reason}`);
    this.sink.items.push({ type: 'rejected', issue: { code, source: this.source, line, reason } });
  }

  row(cells: string[], line: number): void {
    if (this.at === undefined) {
      const at = findColumns(this.source, cells, NUMBER_COLUMNS, this.columns, normalizeBillHeader);
      if ((at[0] ?? -1) < 0) {
        throw new InputError(
          `${this.source}: a numbers file needs a number column; ${headersFound(cells)}`,
        );
      }
      this.at = at;
      this.width = cells.length;
      return;
    }
    if (isBlank(cells) || !fitsHeader(cells, this.width, line, this)) return;
    const row: { -readonly [K in keyof NumberRow]?: string } = {};
    NUMBER_COLUMNS.forEach((name, n) => {
      const index = this.at?.[n] ?? -1;
      const cell = index < 0 ? '' : trimCell(cells[index] ?? '');
      if (cell !== '') row[name] = cell;
    });
    this.sink.items.push({ type: 'number', row, source: this.source, line });
  }
}

/**
 * Reads the numbers held from CSV files (or folders of them), in file order, then row order.
 *
 * @param paths - files or folders
 * @param options - encoding, column map
 * @returns every row read, or rejected with its reason
 * @throws {@link InputError} for a missing file, a file without a number column, a bad map
 * @example
 * const numbers = await readNumbers(['numbers-2026-10.csv'], { encoding: 'gb18030' });
 */
export async function readNumbers(
  paths: readonly string[],
  options: NumbersReadOptions = {},
): Promise<NumberItem[]> {
  const encoding = checkEncoding(options.encoding);
  const columns = checkColumnMap(
    options.columns,
    NUMBER_COLUMNS,
    normalizeBillHeader,
    'numbers column map',
  );
  const items: NumberItem[] = [];
  for (const file of await findInputFiles(paths, NUMBER_FILES)) {
    const bytes = openFile(file.path, file.gzip);
    let records = 0;
    const reader = new NumbersReader(file.path, columns);
    for await (const batch of decodeBatches(bytes.chunks, file.path, encoding, reader)) {
      records += batch.length;
      items.push(...batch);
    }
    options.onFile?.({ role: 'numbers', path: file.path, sha256: bytes.digest(), records });
  }
  return items;
}
