import type { IssueCode } from '../core/issues.js';
import type { BillColumn, BillItem, BillRow } from '../core/records.js';
import { BILL_COLUMNS } from '../core/records.js';
import { encodingReason } from './cdr-sink.js';
import type { ColumnMap } from './columns.js';
import { findColumns, headersFound, quote } from './columns.js';
import { isTotalLabel } from '../core/reconcile/index.js';
import type { CsvSink } from './csv.js';
import { CsvParser, fitsHeader, hasValues, isBlank, MAX_RECORD_CHARS, trimCell } from './csv.js';
import { InputError } from './errors.js';
import type { TextEncoding } from './options.js';
import type { ItemSink, TextReader } from './text.js';

/** How bill headers are compared: ignoring case, spaces, `_` and `-` (SPEC §2.2). */
export function normalizeBillHeader(header: string): string {
  return header.toLowerCase().replace(/[\s_-]+/g, '');
}

/** The columns that identify a call without a `callId` (SPEC §2.2). */
const COMPOSITE_COLUMNS = ['callerNum', 'privateNum', 'answerTime'] as const;

interface BillLayout {
  readonly width: number;
  /** The cell index of each canonical column, in BILL_COLUMNS order; -1 when absent. */
  readonly at: Int32Array;
}

type MutableBillRow = { -readonly [K in BillColumn]?: string };

/** Collects the items a bill file yields. */
export class BillSink implements ItemSink<BillItem> {
  items: BillItem[] = [];
  suspect = false;
  readonly source: string;
  readonly encoding: TextEncoding;

  constructor(source: string, encoding: TextEncoding) {
    this.source = source;
    this.encoding = encoding;
  }

  reject(line: number, code: IssueCode, reason: string): void {
    this.items.push({ type: 'rejected', issue: { code, source: this.source, line, reason } });
  }
}

/**
 * Reads a bill CSV file (SPEC §2.2) into rows under canonical column names. Cells are
 * trimmed and an empty cell is left out; values are not validated here. A row whose cell
 * count differs from the header's is `MALFORMED_ROW`; a row whose cells are all empty is
 * not a row. A header-only file has no rows.
 *
 * @throws {@link InputError} for an unusable layout (no `amount`, or neither `callId` nor
 *   all of `callerNum`, `privateNum`, `answerTime`), an unreadable header, a column map
 *   that does not fit, or an empty file (it has no header, so no `amount` column)
 */
export class BillCsvReader implements TextReader<BillItem>, CsvSink {
  readonly sink: BillSink;
  private readonly parser: CsvParser;
  private readonly columns: ColumnMap;
  private layout: BillLayout | undefined;

  constructor(sink: BillSink, columns: ColumnMap, maxRecordChars: number = MAX_RECORD_CHARS) {
    this.sink = sink;
    this.columns = columns;
    this.parser = new CsvParser(this, maxRecordChars);
  }

  push(text: string): void {
    this.parser.push(text);
  }

  end(): void {
    this.parser.end();
    if (this.layout === undefined) {
      throw new InputError(
        `${this.sink.source}: empty bill file, no header row (a bill needs an amount column and callId, or callerNum, privateNum and answerTime)`,
      );
    }
  }

  cut(reason: string): void {
    if (this.layout === undefined) {
      throw new InputError(
        `${this.sink.source}: the file is cut off before its header row: ${reason}`,
      );
    }
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
    if (isTotalRow(cells, layout.at)) {
      const amount = cellAt(cells, layout.at[0]!);
      sink.items.push({
        type: 'total',
        amount: amount === '' ? undefined : amount,
        source: sink.source,
        line,
      });
      return;
    }
    const row = billRowOf(cells, layout.at);
    // SPEC §2.2: without an item column, a row with no identity is no call.
    if (row !== undefined && layout.at[ITEM]! < 0 && hasNoIdentity(row)) {
      (row as MutableBillRow).item = 'unknown';
    }
    if (row === undefined) {
      if (!isBlank(cells)) sink.items.push({ type: 'row', row: {}, source: sink.source, line });
      return;
    }
    if (sink.suspect) {
      const column = BILL_COLUMNS.find((c) => row[c]?.includes('\uFFFD'));
      if (column !== undefined) {
        sink.reject(line, 'INVALID_ENCODING', encodingReason(column, sink.encoding));
        return;
      }
    }
    sink.items.push({ type: 'row', row, source: sink.source, line });
  }

  reject(line: number, code: IssueCode, reason: string): void {
    if (this.layout === undefined) {
      throw new InputError(`${this.sink.source}: the header row cannot be read: ${reason}`);
    }
    this.sink.reject(line, code, reason);
  }

  private readHeader(header: readonly string[]): BillLayout {
    const source = this.sink.source;
    const found = findColumns(
      source,
      header,
      BILL_COLUMNS,
      this.columns,
      normalizeBillHeader,
      (name, wanted) => {
        this.sink.items.push({
          type: 'warning',
          warning: {
            code: 'COLUMN_NOT_FOUND',
            source,
            message: `${source}: the bill column map names header ${quote(wanted)} for ${name}, but the file has no such header, so ${name} is absent there; ${headersFound(header)}`,
          },
        });
      },
    );
    const has = (column: BillColumn): boolean => (found[BILL_COLUMNS.indexOf(column)] ?? -1) >= 0;
    // SPEC §2.2: amount, and a way to identify the call.
    const missing: string[] = [];
    if (!has('amount')) missing.push('amount');
    if (!has('callId')) {
      const absent = COMPOSITE_COLUMNS.filter((column) => !has(column));
      if (absent.length > 0) missing.push(`callId (or else ${absent.join(', ')})`);
    }
    if (missing.length > 0) {
      const mapped = this.columns.length > 0 ? ' (after the column map)' : '';
      throw new InputError(
        `${source}: unusable bill layout: missing column ${missing.join(' and ')}${mapped}; ${headersFound(header)}`,
      );
    }
    return { width: header.length, at: Int32Array.from(found) };
  }
}

const ITEM = BILL_COLUMNS.indexOf('item');
const CALL_ID = BILL_COLUMNS.indexOf('callId');

/**
 * SPEC §2.2: a row whose first non-empty cell, or whose `item` or `callId` cell, labels a
 * total (`合计`, `total`, …) is the export's own total.
 */
function isTotalRow(cells: readonly string[], at: Int32Array): boolean {
  const first = cells.find((cell) => trimCell(cell) !== '');
  if (first !== undefined && isTotalLabel(trimCell(first))) return true;
  const item = cellAt(cells, at[ITEM]!);
  const callId = cellAt(cells, at[CALL_ID]!);
  return (item !== '' && isTotalLabel(item)) || (callId !== '' && isTotalLabel(callId));
}

function hasNoIdentity(row: BillRow): boolean {
  return (
    row.callId === undefined &&
    row.callerNum === undefined &&
    row.privateNum === undefined &&
    row.answerTime === undefined
  );
}

/** The trimmed cell at `index`, or '' when the column is absent. */
function cellAt(cells: readonly string[], index: number): string {
  return index < 0 ? '' : trimCell(cells[index]!);
}

/**
 * The row under canonical names, empty cells left out; undefined when every used cell is
 * empty. Written out column by column: named stores keep V8's inline caches monomorphic,
 * which a loop over the names does not (about a third slower).
 */
export function billRowOf(cells: readonly string[], at: Int32Array): BillRow | undefined {
  const row: MutableBillRow = {};
  let v: string;
  v = cellAt(cells, at[0]!);
  if (v !== '') row.amount = v;
  v = cellAt(cells, at[1]!);
  if (v !== '') row.callId = v;
  v = cellAt(cells, at[2]!);
  if (v !== '') row.callerNum = v;
  v = cellAt(cells, at[3]!);
  if (v !== '') row.privateNum = v;
  v = cellAt(cells, at[4]!);
  if (v !== '') row.calleeNum = v;
  v = cellAt(cells, at[5]!);
  if (v !== '') row.answerTime = v;
  v = cellAt(cells, at[6]!);
  if (v !== '') row.endTime = v;
  v = cellAt(cells, at[7]!);
  if (v !== '') row.billedSeconds = v;
  v = cellAt(cells, at[8]!);
  if (v !== '') row.billedMinutes = v;
  v = cellAt(cells, at[9]!);
  if (v !== '') row.packageMinutes = v;
  v = cellAt(cells, at[10]!);
  if (v !== '') row.unitPrice = v;
  v = cellAt(cells, at[11]!);
  if (v !== '') row.currency = v;
  v = cellAt(cells, at[12]!);
  if (v !== '') row.item = v;
  return hasValues(row) ? row : undefined;
}
