import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  DISCREPANCY_CSV_COLUMNS,
  formatPricePerMinute,
  RATED_COLUMNS,
  type DiscrepancyRow,
  type ChargedCall,
  type ReconcileResult,
  type RowContext,
  type Summary,
} from '../../core/reconcile/index.js';
import { formatIsoTime } from '../../core/time/index.js';
import { formatMicros, formatSecondsAsMinutes } from '../../core/money/index.js';
import { maskPhone } from '../../core/phone.js';
import type { Issue } from '../../core/issues.js';
import { writeFileAtomically, writeFolderAtomically } from './atomic.js';
import { csvCell, csvLine, guardFormula } from './csv-cells.js';
import { LineWriter } from './line-writer.js';
import { writeRatedLine } from './rated-line.js';
import { shownCell } from './model.js';
import { allSettledOrThrow } from '../all-settled.js';
import { renderMarkdownReport } from './markdown.js';
import { writeHtmlReport } from './html.js';
import { writeXlsxReport } from './xlsx.js';
import { writeXlsxInThread, xlsxThreadStarted } from './xlsx-thread.js';
import type { ReportLang } from './strings.js';

/** How reports are written. */
export interface ReportOptions {
  /** Show phone numbers in full; by default they are masked (`+86138****0021`). */
  readonly showNumbers?: boolean;
  /** The language of `report.md` and `report.html` (SPEC §5.5 `--lang`); default `en`. */
  readonly lang?: ReportLang;
}

/**
 * The byte order mark that starts `discrepancies.csv` and `rejected.csv`: without it, Excel
 * on a Chinese Windows reads UTF-8 as GBK and shows the details and file names garbled.
 * It comes before the header, so the formula guard of each cell is unchanged.
 *
 * @example
 * `${UTF8_BOM}source,line,code,reason\n`; // the first line of rejected.csv
 */
export const UTF8_BOM = '\uFEFF';

/** The files a report folder holds (SPEC §5). */
export const REPORT_FILES = [
  'summary.json',
  'discrepancies.csv',
  'rejected.csv',
  'rated.csv',
  'report.md',
  'report.html',
  'report.xlsx',
] as const;

/** The header line of `rated.csv`. */
export const RATED_HEADER = csvLine(RATED_COLUMNS, 'plain');

/**
 * Writes `discrepancies.csv` (SPEC §5.2): a BOM, the columns in order, phone numbers masked
 * unless asked, every cell guarded against spreadsheet formulas.
 */
async function writeDiscrepancies(
  path: string,
  rows: readonly DiscrepancyRow[],
  options: ReportOptions,
): Promise<void> {
  const out = new LineWriter(path);
  out.write(UTF8_BOM + csvLine(DISCREPANCY_CSV_COLUMNS, 'plain'));
  const show = options.showNumbers === true;
  for (const [i, row] of rows.entries()) {
    if (i % 1024 === 0) await out.drain();
    out.write(
      csvLine(
        DISCREPANCY_CSV_COLUMNS.map((column) => shownCell(row, column, show)),
        'guarded',
      ),
    );
  }
  await out.close();
}

async function writeRejected(path: string, rejected: readonly Issue[]): Promise<void> {
  const out = new LineWriter(path);
  out.write(`${UTF8_BOM}source,line,code,reason\n`);
  for (const [i, issue] of rejected.entries()) {
    if (i % 1024 === 0) await out.drain();
    out.write(csvLine([issue.source, String(issue.line), issue.code, issue.reason], 'guarded'));
  }
  await out.close();
}

/**
 * One line of `rated.csv` for a call, phone numbers masked unless asked, cells guarded.
 *
 * @param call - the rated call
 * @param context - tariff and zone for the cells
 * @param options - masking
 */
export function ratedCsvLine(
  call: ChargedCall,
  context: RowContext,
  options: ReportOptions,
): string {
  // The same cells as `csvLine(toRatedRow(call))`, written directly. Files are written by
  // encodeRatedLine, which writes this line's bytes without building it.
  const tariff = context.tariff;
  const rate = tariff.rates[call.rateIndex];
  const unrated = call.answerMs !== undefined && rate === undefined;
  const mask = options.showNumbers !== true;
  const phone = (n: string): string => csvCell(guardFormula(mask ? maskPhone(n) : n));
  const zone = context.zone;
  const answer = call.answerMs === undefined ? '' : formatIsoTime(call.answerMs, zone);
  const billed = unrated
    ? ',,'
    : `${call.billedSeconds},${formatSecondsAsMinutes(call.billedSeconds)},${formatSecondsAsMinutes(call.packageSeconds)}`;
  const price =
    rate === undefined ? '' : formatPricePerMinute(rate.pricePerMinute, tariff.amountDecimals);
  const amount = unrated ? '' : formatMicros(call.amount, tariff.amountDecimals);
  const rateId = csvCell(guardFormula(rate?.id ?? ''));
  return `${csvCell(guardFormula(call.callId))},${phone(call.callerNum)},${phone(call.bindNum)},${phone(call.fwdDstNum)},${answer},${formatIsoTime(call.endMs, zone)},${call.seconds},${billed},${price},${amount},${rateId}\n`;
}

/**
 * Writes the rated calls as CSV (`rated.csv`, SPEC §5.4; also the `rate` command's output).
 *
 * @param path - the file to write
 * @param calls - the calls, in the order to write them
 * @param context - tariff and zone for the cells
 * @param options - masking
 */
export async function writeRatedCsv(
  path: string,
  calls: readonly ChargedCall[],
  context: RowContext,
  options: ReportOptions,
): Promise<void> {
  const out = new LineWriter(path);
  out.write(RATED_HEADER);
  for (const [i, call] of calls.entries()) {
    if (i % 1024 === 0) await out.drain();
    writeRatedLine(out, call, context, options);
  }
  await out.close();
}

/**
 * Writes the whole report of a reconciliation into `dir` (SPEC §5): `summary.json`,
 * `discrepancies.csv`, `rejected.csv`, `rated.csv`, `report.md`, `report.html` and
 * `report.xlsx`, atomically — a run that
 * fails leaves no partial report and keeps the previous one.
 *
 * @param dir - the output folder (`--out`)
 * @param result - what `reconcile` returned
 * @param summary - the summary to write (the result's, with input hashes added)
 * @param context - tariff and zone for the cells
 * @param options - masking, language of the human-readable reports
 * @param writeRated - writes `rated.csv` to the path it is given; by default from
 *   `result.ratedCalls`
 * @example
 * await writeReport('./callrecon-out', result, result.summary, { tariff, zone }, {});
 */
export async function writeReport(
  dir: string,
  result: ReconcileResult,
  summary: Summary,
  context: RowContext,
  options: ReportOptions = {},
  writeRated?: (path: string) => Promise<void>,
): Promise<void> {
  await writeFolderAtomically(
    dir,
    async (tmp) => {
      const rated = join(tmp, 'rated.csv');
      const workbook = join(tmp, 'report.xlsx');
      // Two lanes, three with a workbook thread started: rated.csv, the largest file and
      // mostly the disk's work when the engine copies its lines, and the workbook are written
      // while this thread renders the other files.
      const inThread = xlsxThreadStarted();
      await allSettledOrThrow([
        writeRated ? writeRated(rated) : writeRatedCsv(rated, result.ratedCalls, context, options),
        ...(inThread ? [writeXlsxInThread(workbook, summary, result, options)] : []),
        (async () => {
          await writeFile(join(tmp, 'summary.json'), `${JSON.stringify(summary, null, 2)}\n`);
          await writeDiscrepancies(join(tmp, 'discrepancies.csv'), result.discrepancies, options);
          await writeRejected(join(tmp, 'rejected.csv'), result.rejected);
          await writeFile(join(tmp, 'report.md'), renderMarkdownReport(summary, result, options));
          await writeHtmlReport(join(tmp, 'report.html'), summary, result, options);
          if (!inThread) await writeXlsxReport(workbook, summary, result, options);
        })(),
      ]);
    },
    REPORT_FILES,
  );
}

/**
 * Writes the `rate` command's CSV atomically.
 *
 * @param file - the CSV file to produce
 * @param calls - the rated calls
 * @param context - tariff and zone for the cells
 * @param options - masking
 */
export async function writeRatedFile(
  file: string,
  calls: readonly ChargedCall[],
  context: RowContext,
  options: ReportOptions = {},
): Promise<void> {
  await writeFileAtomically(file, (tmp) => writeRatedCsv(tmp, calls, context, options));
}
