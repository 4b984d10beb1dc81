import type { BillItem } from '../core/records.js';
import { BILL_COLUMNS } from '../core/records.js';
import { BillCsvReader, BillSink, normalizeBillHeader } from './bill-csv.js';
import type { ColumnMap } from './columns.js';
import { checkColumnMap } from './columns.js';
import { MAX_RECORD_CHARS } from './csv.js';
import { checkEncoding } from './encoding.js';
import { BILL_FILES, findInputFiles, openFile } from './files.js';
import type { BillReadOptions, TextEncoding } from './options.js';
import { decodeBatches } from './text.js';

/**
 * Reads bill CSV files (SPEC §2.2) into batches of {@link BillItem}, in file order, then
 * row order. Each batch holds a few thousand items and never spans two files.
 *
 * - A path is a file, or a folder read as every `.csv` and `.csv.gz` file below it, in
 *   byte order of their paths.
 * - Headers are matched to canonical columns ignoring case, spaces, `_` and `-`, or through
 *   the column map. Cells are trimmed; an empty cell is left out of the row. Values are
 *   not validated here: the core does that.
 * - Quoted cells may hold commas, line breaks and doubled quotes; CRLF and LF both work.
 *   A quote inside an unquoted cell is a literal character. Blank lines, and rows whose
 *   cells are all empty, are not rows.
 * - A row whose cell count differs from the header's, with text after a closing quote, or
 *   with a quote that is never closed, is one rejected `MALFORMED_ROW` item (at the line it
 *   starts on), and reading goes on (after a quote never closed, on the next line).
 * - A row whose used cells hold bytes invalid in the encoding is rejected
 *   `INVALID_ENCODING`; a file holding NUL bytes is not text and throws {@link InputError}.
 * - A gzip stream that ends early keeps the rows before the cut and adds one rejected
 *   `TRUNCATED_INPUT` item for the cut.
 * - A file with only a header has no rows; an empty file has no header, so it is unusable.
 *
 * @param paths - files or folders, as the user wrote them (they become each item's `source`)
 * @param options - encoding, column map, per-file callback, abort signal
 * @returns an async iterable of item batches
 * @throws {@link InputError} for a missing or unreadable path, a file that is not `.csv`
 *   or `.csv.gz`, a file that is not text, an unusable layout (no `amount` column, or
 *   neither `callId` nor all of `callerNum`, `privateNum`, `answerTime`; the message names
 *   the file, the missing columns and the headers found), or a bad column map
 *
 * @example
 * const columns = { callId: '呼叫记录ID', amount: '费用(元)' };
 * for await (const batch of readBillBatches(['bill.csv'], { columns, encoding: 'gb18030' })) {
 *   for (const item of batch) if (item.type === 'row') match(item.row);
 * }
 */
export async function* readBillBatches(
  paths: readonly string[],
  options: BillReadOptions = {},
): AsyncIterable<BillItem[]> {
  const encoding = checkEncoding(options.encoding);
  const columns = checkColumnMap(
    options.columns,
    BILL_COLUMNS,
    normalizeBillHeader,
    'bill column map',
  );
  const { signal, onFile } = options;
  const files = await findInputFiles(paths, BILL_FILES, { exclude: options.exclude });
  for (const file of files) {
    signal?.throwIfAborted();
    const bytes = openFile(file.path, file.gzip);
    const reading = readBillChunks(bytes.chunks, file.path, {
      encoding,
      columns,
      ...(signal === undefined ? {} : { signal }),
    });
    let records = 0;
    for await (const batch of reading) {
      records += batch.length;
      yield batch;
    }
    onFile?.({ role: 'bill', path: file.path, sha256: bytes.digest(), records });
  }
}

/**
 * Reads bill files row by row: {@link readBillBatches}, flattened.
 *
 * @param paths - files or folders, as the user wrote them
 * @param options - as for {@link readBillBatches}
 * @returns an async iterable of items in file order
 *
 * @example
 * for await (const item of readBill(['bill.csv.gz'])) {
 *   if (item.type === 'row') console.log(item.row.amount);
 * }
 */
export async function* readBill(
  paths: readonly string[],
  options: BillReadOptions = {},
): AsyncIterable<BillItem> {
  for await (const batch of readBillBatches(paths, options)) yield* batch;
}

/** Options of {@link readBillChunks}. */
export interface BillChunkOptions {
  readonly encoding?: TextEncoding;
  readonly columns?: ColumnMap;
  readonly signal?: AbortSignal;
  readonly maxRecordChars?: number;
}

/**
 * Reads the bytes of one bill file, given as chunks, into item batches: what
 * {@link readBillBatches} does for each file, without the file system.
 *
 * @param chunks - the file's bytes (decompressed), split anywhere
 * @param source - the file's name for items, issues and messages
 */
export function readBillChunks(
  chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  source: string,
  options: BillChunkOptions = {},
): AsyncGenerator<BillItem[], void, undefined> {
  const encoding = options.encoding ?? 'utf-8';
  const sink = new BillSink(source, encoding);
  const reader = new BillCsvReader(
    sink,
    options.columns ?? [],
    options.maxRecordChars ?? MAX_RECORD_CHARS,
  );
  return decodeBatches(chunks, source, encoding, reader, options.signal);
}
