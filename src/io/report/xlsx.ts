/**
 * `report.xlsx` (SPEC §5.5): a workbook for finance, written row by row with exceljs's
 * streaming writer, so a month with a million discrepancies holds one row at a time.
 */
import { stampZipDates } from './zip-dates.js';
import type ExcelJS from 'exceljs';
import {
  DISCREPANCY_CSV_COLUMNS,
  DISCREPANCY_KINDS,
  type DiscrepancyRow,
  type ReconcileResult,
  type Summary,
} from '../../core/reconcile/index.js';
import { actionLine, decimalsOf, shownCell } from './model.js';
import { stringsFor } from './strings.js';
import type { ReportOptions } from './write-report.js';

/**
 * The sheets of `report.xlsx`, in order (more Discrepancies sheets follow past a sheet's rows).
 *
 * @example
 * XLSX_SHEETS[1]; // 'Discrepancies'
 */
export const XLSX_SHEETS = ['Summary', 'Discrepancies', 'Rejected', 'Charges'] as const;

/**
 * Data rows a sheet can hold below its header (Excel's limit is 1,048,576 rows).
 *
 * @example
 * Math.ceil(rows.length / XLSX_SHEET_ROWS); // Discrepancies sheets written
 */
export const XLSX_SHEET_ROWS = 1_048_575;

/** What of a result the workbook shows besides the summary: plain rows, so a thread can be sent them. */
export type XlsxRows = Pick<ReconcileResult, 'discrepancies' | 'rejected'>;

type Column = (typeof DISCREPANCY_CSV_COLUMNS)[number];

const MONEY_COLUMNS: ReadonlySet<Column> = new Set([
  'impact',
  'amountOurs',
  'amountTheirs',
  'stepDuration',
  'stepIncrements',
  'stepRate',
  'stepPackage',
  'stepRounding',
]);
const PRICE_COLUMNS: ReadonlySet<Column> = new Set(['unitPriceOurs', 'unitPriceTheirs']);
const NUMBER_COLUMNS: ReadonlySet<Column> = new Set([
  'secondsOurs',
  'secondsTheirs',
  'minutesOurs',
  'minutesTheirs',
]);

const SYMBOLS: Readonly<Record<string, string>> = {
  CNY: '¥',
  USD: '$',
  EUR: '€',
  GBP: '£',
  HKD: 'HK$',
  JPY: '¥',
};

/**
 * The Excel number format of a currency's amounts: its symbol and decimals, negative with a
 * minus (`"¥"#,##0.00;-"¥"#,##0.00`); a currency without a known symbol is named after it.
 *
 * @param currency - ISO 4217 code
 * @param decimals - the amounts' decimals
 * @param extra - optional further decimals shown when present (prices: `##`)
 * @example
 * currencyFormat('CNY', 2); // '"¥"#,##0.00;-"¥"#,##0.00'
 */
export function currencyFormat(currency: string, decimals: number, extra = ''): string {
  const digits = decimals > 0 || extra !== '' ? `.${'0'.repeat(decimals)}${extra}` : '';
  const symbol = SYMBOLS[currency];
  const body = `#,##0${digits}`;
  return symbol === undefined
    ? `${body} "${currency}";-${body} "${currency}"`
    : `"${symbol}"${body};-"${symbol}"${body}`;
}

/** A decimal string as a number cell's value; the empty string as an empty cell. */
function numberOrEmpty(text: string): number | null {
  return text === '' ? null : Number(text);
}

/** Text as a string cell (never a number, never a formula); the empty string as an empty cell. */
function textOrEmpty(text: string): string | null {
  return text === '' ? null : text;
}

type Sheet = ExcelJS.Worksheet;

/** What exceljs 4.4's streaming sheet holds (not in its types): its buffer and its pipe. */
interface SheetStream {
  readonly buffers?: readonly unknown[];
  /** The zip's entry stream, a readable-stream 3 Transform: its queue is `_writableState`. */
  readonly pipes?: readonly { readonly _writableState?: { readonly length?: number } }[];
}

/** Midnight UTC of the period's first day (a fixed date for the workbook and its zip entries). */
function periodStart(period: string): Date {
  const match = /^(\d{4})-(\d{2})$/.exec(period);
  return match === null
    ? new Date(Date.UTC(2000, 0, 1))
    : new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, 1));
}

/** Bytes of a sheet's XML that may wait to be zipped before the writer waits. */
const PENDING_BYTES = 4 * 1024 * 1024;

/**
 * Waits until the zip has taken most of what the sheet wrote. exceljs's sheet stream hands
 * its 64 KiB buffers to the zip without waiting for it, so a writer that never waits keeps
 * the whole sheet in memory when rows come faster than they are compressed (measured: +400
 * MB at 300,000 rows). Polling its buffer and the queue of the stream it writes to bounds
 * that to a few MiB (measured: 32 MB live at 60,000 rows instead of 202 MB).
 */
async function drainSheet(sheet: Sheet): Promise<void> {
  const stream = (sheet as unknown as { stream?: SheetStream }).stream;
  const pending = (): number =>
    (stream?.buffers?.length ?? 0) * 65_536 + (stream?.pipes?.[0]?._writableState?.length ?? 0);
  while (pending() > PENDING_BYTES) await new Promise((resolve) => setTimeout(resolve, 1));
}

function addSheet(
  book: ExcelJS.stream.xlsx.WorkbookWriter,
  name: string,
  columns: readonly { header: string; width: number; numFmt?: string }[],
): Sheet {
  const sheet = book.addWorksheet(name, { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = columns.map((c) => ({
    key: c.header,
    width: c.width,
    ...(c.numFmt !== undefined && { style: { numFmt: c.numFmt } }),
  }));
  const header = sheet.addRow(columns.map((c) => c.header));
  header.font = { bold: true };
  header.commit();
  sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: columns.length } };
  return sheet;
}

let loading: Promise<typeof ExcelJS> | undefined;

/**
 * Loads exceljs (about 0.15 s of the one thread's time), once: a run starts it while its
 * workers read, so that the report does not wait for it; the library's users who never write
 * a workbook never load it.
 *
 * @returns the module
 * @example
 * void preloadXlsx().catch(() => {}); // a failure shows when the workbook is written
 */
export function preloadXlsx(): Promise<typeof ExcelJS> {
  // Node hands a CommonJS module over as `default`; the types know it as the module itself.
  loading ??= import('exceljs').then(
    (module) => (module as { default?: typeof ExcelJS }).default ?? module,
  );
  return loading;
}

/**
 * Writes `report.xlsx` (SPEC §5.5): sheets Summary, Discrepancies, Rejected and Charges;
 * amounts are numbers in the currency's format, ids and phone numbers text, headers frozen
 * with filters. Rows are committed as they are written (streaming), so memory does not grow
 * with the number of discrepancies.
 *
 * @param path - the file to write
 * @param summary - the run's summary
 * @param result - the discrepancies (all of them, in `discrepancies.csv`'s order) and rejected rows
 * @param options - masking of phone numbers, language of the headline
 * @example
 * await writeXlsxReport('out/report.xlsx', result.summary, result, {});
 */
export async function writeXlsxReport(
  path: string,
  summary: Summary,
  result: XlsxRows,
  options: ReportOptions = {},
): Promise<void> {
  // The same month gives the same bytes: dates come from the period, not the clock.
  const written = periodStart(summary.period);
  const Excel = await preloadXlsx();
  const book = new Excel.stream.xlsx.WorkbookWriter({
    filename: path,
    useStyles: true,
    useSharedStrings: false,
    created: written,
    modified: written,
  } as ConstructorParameters<typeof ExcelJS.stream.xlsx.WorkbookWriter>[0]);
  book.creator = 'callrecon';
  const decimals = decimalsOf(summary);
  const money = currencyFormat(summary.currency, decimals);
  writeSummarySheet(book, summary, result, options, money);
  await writeDiscrepancySheets(book, summary, result.discrepancies, options, money);
  const rejected = addSheet(book, 'Rejected', [
    { header: 'source', width: 40 },
    { header: 'line', width: 8 },
    { header: 'code', width: 22 },
    { header: 'reason', width: 80 },
  ]);
  for (const issue of result.rejected) {
    rejected.addRow([issue.source, issue.line, issue.code, issue.reason]).commit();
  }
  rejected.commit();
  const charges = addSheet(book, 'Charges', [
    { header: 'item', width: 20 },
    { header: 'theirs', width: 14, numFmt: money },
    { header: 'ours', width: 14, numFmt: money },
    { header: 'rows', width: 8 },
  ]);
  for (const [item, entry] of Object.entries(summary.charges.byItem)) {
    charges.addRow([item, Number(entry.theirs), Number(entry.ours), entry.rows]).commit();
  }
  charges.commit();
  await book.commit();
  await stampZipDates(path, written);
}

function writeSummarySheet(
  book: ExcelJS.stream.xlsx.WorkbookWriter,
  summary: Summary,
  result: XlsxRows,
  options: ReportOptions,
  money: string,
): void {
  const s = stringsFor(options.lang);
  const sheet = addSheet(book, 'Summary', [
    { header: 'item', width: 44 },
    { header: 'value', width: 18 },
    { header: 'count', width: 10 },
    { header: 'action', width: 70 },
  ]);
  const text = (item: string, value: string): void => {
    sheet.addRow([item, value]).commit();
  };
  const amount = (item: string, value: string, count?: number, action?: string): void => {
    const row = sheet.addRow([item, Number(value), count ?? null, action ?? null]);
    row.getCell(2).numFmt = money;
    row.commit();
  };
  const t = summary.totals;
  text('period', summary.period);
  text('timezone', summary.timezone);
  text('currency', summary.currency);
  text('headline', actionLine(summary, result.discrepancies, s));
  for (const w of summary.warnings) text(`warning ${w.code}`, w.message);
  amount('claimable', t.claimable);
  amount('underBilled', t.underBilled);
  amount('ours', t.ours);
  amount('theirs', t.theirs);
  amount('difference', t.difference);
  amount('explained', t.explained);
  amount('withinTolerance', t.withinTolerance);
  amount('unexplained', t.unexplained);
  amount('otherCharges', t.otherCharges);
  amount('invoice.ours', summary.invoice.ours);
  amount('invoice.theirs', summary.invoice.theirs);
  for (const kind of DISCREPANCY_KINDS) {
    const entry = summary.discrepancies[kind];
    amount(kind, entry.impact, entry.count, s.kinds.kindActions[kind]);
  }
  sheet.commit();
}

async function writeDiscrepancySheets(
  book: ExcelJS.stream.xlsx.WorkbookWriter,
  summary: Summary,
  rows: readonly DiscrepancyRow[],
  options: ReportOptions,
  money: string,
): Promise<void> {
  const price = currencyFormat(summary.currency, decimalsOf(summary), '####');
  const columns = DISCREPANCY_CSV_COLUMNS.map((column) => ({
    header: column,
    width: column === 'detail' ? 60 : column.endsWith('Source') ? 28 : 14,
    ...(MONEY_COLUMNS.has(column)
      ? { numFmt: money }
      : PRICE_COLUMNS.has(column)
        ? { numFmt: price }
        : NUMBER_COLUMNS.has(column)
          ? { numFmt: '0.######' }
          : { numFmt: '@' }),
  }));
  const show = options.showNumbers === true;
  // One style object a column, shared by its cells: the writer remembers a style by its
  // object, and works out the style of a new object afresh (0.2 s of 10,000 rows).
  const styles = columns.map((column) => ({ numFmt: column.numFmt }));
  let sheet = addSheet(book, 'Discrepancies', columns);
  let inSheet = 0;
  let sheets = 1;
  for (const [i, row] of rows.entries()) {
    if (inSheet === XLSX_SHEET_ROWS) {
      sheet.commit();
      sheets++;
      sheet = addSheet(book, `Discrepancies ${sheets}`, columns);
      inSheet = 0;
    }
    const values = DISCREPANCY_CSV_COLUMNS.map((column) =>
      MONEY_COLUMNS.has(column) || PRICE_COLUMNS.has(column) || NUMBER_COLUMNS.has(column)
        ? numberOrEmpty(row[column])
        : textOrEmpty(shownCell(row, column, show)),
    );
    const added = sheet.addRow(values);
    added.eachCell((cell, column) => {
      cell.style = styles[column - 1] as Partial<ExcelJS.Style>;
    });
    added.commit();
    inSheet++;
    if (i % 1024 === 1023) await drainSheet(sheet);
  }
  sheet.commit();
}
