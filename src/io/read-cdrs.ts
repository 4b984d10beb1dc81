import type { CdrItem } from '../core/records.js';
import { CdrCsvReader, CDR_COLUMN_NAMES, normalizeCdrHeader } from './cdr-csv.js';
import { JsonReader } from './cdr-json.js';
import { NdjsonReader } from './cdr-ndjson.js';
import { CdrSink } from './cdr-sink.js';
import type { ColumnMap } from './columns.js';
import { checkColumnMap } from './columns.js';
import { MAX_RECORD_CHARS } from './csv.js';
import type { CdrFormat } from './files.js';
import { CDR_FILES, findInputFiles, openFile } from './files.js';
import type { CdrReadOptions, TextEncoding } from './options.js';
import { checkEncoding } from './encoding.js';
import { decodeBatches } from './text.js';

/**
 * Reads CDR files (SPEC §2.1) into batches of {@link CdrItem}, in input order: file order,
 * then order inside the file. Each batch holds a few thousand items and never spans two
 * files.
 *
 * - A path is a file, or a folder read as every `.json`, `.ndjson`, `.jsonl` and `.csv`
 *   file below it (each optionally `.gz`), in byte order of their paths.
 * - Each FeeInfo is a `fee` item; a non-fee event (`eventType` other than `fee`) is one
 *   `skipped` item; a line or value that cannot be parsed is one `rejected` item with code
 *   `INVALID_JSON` (CSV: `MALFORMED_ROW`), and reading goes on.
 * - Values become text (`"direction": 1` → `'1'`); null and empty strings are absent; only
 *   the FeeInfo fields are carried. A field holding an object or array, or an integer too
 *   large for `JSON.parse` to keep exactly, rejects the record (`INVALID_JSON`, naming the
 *   field) rather than being read as absent.
 * - A record whose values hold bytes invalid in the encoding is rejected
 *   `INVALID_ENCODING`; a file holding NUL bytes is not text and throws {@link InputError}.
 * - A gzip stream that ends early keeps the records before the cut and adds one rejected
 *   `TRUNCATED_INPUT` item for the cut.
 * - An empty file, or a CSV file with only a header, holds no records.
 * - A record longer than 16 MiB of text is rejected rather than buffered.
 *
 * Nothing is read until the first batch is asked for; then all paths are checked first.
 *
 * @param paths - files or folders, as the user wrote them (they become each item's `source`)
 * @param options - encoding, CSV column map, per-file callback, abort signal
 * @returns an async iterable of item batches
 * @throws {@link InputError} for a missing or unreadable path, an unknown file type, a file
 *   that is not text, a CSV header without any FeeInfo column, or a bad column map
 *
 * @example
 * for await (const batch of readCdrBatches(['cdrs/'], { onFile: (f) => inputs.push(f) })) {
 *   for (const item of batch) if (item.type === 'fee') rate(item.record);
 * }
 */
export async function* readCdrBatches(
  paths: readonly string[],
  options: CdrReadOptions = {},
): AsyncIterable<CdrItem[]> {
  const encoding = checkEncoding(options.encoding);
  const columns = checkColumnMap(
    options.columns,
    CDR_COLUMN_NAMES,
    normalizeCdrHeader,
    'CDR column map',
  );
  const { signal, onFile } = options;
  const files = await findInputFiles(paths, CDR_FILES, { exclude: options.exclude });
  for (const file of files) {
    signal?.throwIfAborted();
    const bytes = openFile(file.path, file.gzip);
    const reading = readCdrChunks(bytes.chunks, file.format, file.path, {
      encoding,
      columns,
      ...(signal === undefined ? {} : { signal }),
    });
    let records = 0;
    for await (const batch of reading) {
      for (const item of batch) if (item.type !== 'skipped' && item.type !== 'sms') records++;
      yield batch;
    }
    onFile?.({ role: 'cdrs', path: file.path, sha256: bytes.digest(), records });
  }
}

/**
 * Reads CDR files item by item: {@link readCdrBatches}, flattened.
 *
 * @param paths - files or folders, as the user wrote them
 * @param options - as for {@link readCdrBatches}
 * @returns an async iterable of items in input order
 *
 * @example
 * for await (const item of readCdrs(['cdrs/10-01.ndjson'])) {
 *   if (item.type === 'rejected') console.warn(item.issue.reason);
 * }
 */
export async function* readCdrs(
  paths: readonly string[],
  options: CdrReadOptions = {},
): AsyncIterable<CdrItem> {
  for await (const batch of readCdrBatches(paths, options)) yield* batch;
}

/** Options of {@link readCdrChunks}. */
export interface CdrChunkOptions {
  readonly encoding?: TextEncoding;
  readonly columns?: ColumnMap;
  readonly signal?: AbortSignal;
  readonly maxRecordChars?: number;
}

/**
 * Reads the bytes of one CDR file, given as chunks, into item batches: what
 * {@link readCdrBatches} does for each file, without the file system.
 *
 * @param chunks - the file's bytes (decompressed), split anywhere
 * @param format - the file's format
 * @param source - the file's name for items and issues
 */
export function readCdrChunks(
  chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  format: CdrFormat,
  source: string,
  options: CdrChunkOptions = {},
): AsyncGenerator<CdrItem[], void, undefined> {
  const encoding = options.encoding ?? 'utf-8';
  const max = options.maxRecordChars ?? MAX_RECORD_CHARS;
  const sink = new CdrSink(source, encoding);
  const reader =
    format === 'json'
      ? new JsonReader(sink, max)
      : format === 'ndjson'
        ? new NdjsonReader(sink, max)
        : new CdrCsvReader(sink, options.columns ?? [], max);
  return decodeBatches(chunks, source, encoding, reader, options.signal);
}
