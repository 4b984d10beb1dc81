import type { CdrItem, FeeField, FeeRecord } from '../core/records.js';
import { FEE_FIELDS } from '../core/records.js';
import type { IssueCode } from '../core/issues.js';
import type { CdrSink } from './cdr-sink.js';
import { invalidField } from './cdr-sink.js';
import type { ColumnMap } from './columns.js';
import { findColumns, headersFound } from './columns.js';
import type { CsvSink } from './csv.js';
import { CsvParser, fitsHeader, hasValues, isBlank, MAX_RECORD_CHARS, trimCell } from './csv.js';
import { InputError } from './errors.js';
import type { TextReader } from './text.js';

/** The names a CDR column map may use: the FeeInfo fields, and `eventType`. */
export const CDR_COLUMN_NAMES: readonly string[] = [...FEE_FIELDS, 'eventType'];

/** How CDR CSV headers are compared: case-insensitively, surrounding spaces ignored. */
export function normalizeCdrHeader(header: string): string {
  return header.trim().toLowerCase();
}

interface CdrLayout {
  readonly width: number;
  /** The cell index of each FeeInfo field, in FEE_FIELDS order; -1 when absent. */
  readonly at: Int32Array;
  readonly eventType: number;
}

type MutableFeeRecord = { -readonly [K in FeeField]?: string };

/**
 * Reads a `.csv` CDR file (SPEC §2.1): a header row of FeeInfo field names, matched
 * case-insensitively or through the column map; other columns are ignored. Cells are
 * trimmed and an empty cell is an absent value. A row whose cell count differs from the
 * header's is `MALFORMED_ROW`; a row whose cells are all empty is not a record. With an
 * `eventType` column, a row whose eventType is set and is not `fee` is a skipped event.
 * An empty or header-only file holds no records.
 */
export class CdrCsvReader implements TextReader<CdrItem>, CsvSink {
  readonly sink: CdrSink;
  private readonly parser: CsvParser;
  private readonly columns: ColumnMap;
  private layout: CdrLayout | undefined;

  constructor(sink: CdrSink, columns: ColumnMap, maxRecordChars: number = MAX_RECORD_CHARS) {
    this.sink = sink;
    this.columns = columns;
    this.parser = new CsvParser(this, maxRecordChars);
  }

  push(text: string): void {
    this.parser.push(text);
  }

  end(): void {
    this.parser.end();
  }

  cut(reason: string): void {
    this.sink.reject(this.parser.cut(), 'TRUNCATED_INPUT', reason);
  }

  row(cells: string[], line: number): void {
    const layout = this.layout;
    if (layout === undefined) {
      this.layout = this.readHeader(cells);
      return;
    }
    const sink = this.sink;
    if (!fitsHeader(cells, layout.width, line, sink)) return;
    if (layout.eventType >= 0) {
      const eventType = cells[layout.eventType]!.trim();
      if (eventType !== '' && eventType !== 'fee') {
        sink.skip(line);
        return;
      }
    }
    const record = feeRecordOf(cells, layout.at);
    if (!hasValues(record) && isBlank(cells)) return;
    if (sink.suspect) {
      const field = invalidField(record);
      if (field !== undefined) {
        sink.rejectEncoding(line, field);
        return;
      }
    }
    sink.fee(record, line);
  }

  reject(line: number, code: IssueCode, reason: string): void {
    if (this.layout === undefined) {
      throw new InputError(`${this.sink.source}: the header row cannot be read: ${reason}`);
    }
    this.sink.reject(line, code, reason);
  }

  private readHeader(header: readonly string[]): CdrLayout {
    const found = findColumns(
      this.sink.source,
      header,
      CDR_COLUMN_NAMES,
      this.columns,
      normalizeCdrHeader,
    );
    const at = Int32Array.from(found.slice(0, FEE_FIELDS.length));
    if (at.every((index) => index < 0)) {
      throw new InputError(
        `${this.sink.source}: no FeeInfo column in the header (such as sessionId, callEndTime); ${headersFound(header)}`,
      );
    }
    return { width: header.length, at, eventType: found[FEE_FIELDS.length] ?? -1 };
  }
}

/**
 * The trimmed cell at `index`, or '' when the column is absent; a database export's `NULL`,
 * `null` or `\\N` is an empty cell (SPEC §2.2).
 */
function cellAt(cells: readonly string[], index: number): string {
  if (index < 0) return '';
  const cell = trimCell(cells[index]!);
  return cell.length <= 4 && isNullMarker(cell) ? '' : cell;
}

function isNullMarker(cell: string): boolean {
  return cell === 'NULL' || cell === 'null' || cell === '\\N';
}

/**
 * The fee record of a CSV row, empty cells left out. Written out field by field: named
 * stores keep V8's inline caches monomorphic, which a loop over the names does not.
 */
export function feeRecordOf(cells: readonly string[], at: Int32Array): FeeRecord {
  const record: MutableFeeRecord = {};
  let v: string;
  v = cellAt(cells, at[0]!);
  if (v !== '') record.sessionId = v;
  v = cellAt(cells, at[1]!);
  if (v !== '') record.icid = v;
  v = cellAt(cells, at[2]!);
  if (v !== '') record.callerNum = v;
  v = cellAt(cells, at[3]!);
  if (v !== '') record.calleeNum = v;
  v = cellAt(cells, at[4]!);
  if (v !== '') record.bindNum = v;
  v = cellAt(cells, at[5]!);
  if (v !== '') record.fwdDstNum = v;
  v = cellAt(cells, at[6]!);
  if (v !== '') record.fwdDisplayNum = v;
  v = cellAt(cells, at[7]!);
  if (v !== '') record.callInTime = v;
  v = cellAt(cells, at[8]!);
  if (v !== '') record.fwdStartTime = v;
  v = cellAt(cells, at[9]!);
  if (v !== '') record.fwdAlertingTime = v;
  v = cellAt(cells, at[10]!);
  if (v !== '') record.fwdAnswerTime = v;
  v = cellAt(cells, at[11]!);
  if (v !== '') record.callEndTime = v;
  v = cellAt(cells, at[12]!);
  if (v !== '') record.direction = v;
  v = cellAt(cells, at[13]!);
  if (v !== '') record.serviceType = v;
  v = cellAt(cells, at[14]!);
  if (v !== '') record.subscriptionId = v;
  v = cellAt(cells, at[15]!);
  if (v !== '') record.appKey = v;
  v = cellAt(cells, at[16]!);
  if (v !== '') record.spId = v;
  v = cellAt(cells, at[17]!);
  if (v !== '') record.mode = v;
  return record;
}
