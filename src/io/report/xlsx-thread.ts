/**
 * `report.xlsx` made in a thread of its own, so that the workbook, the slowest of the files
 * this thread renders (0.5 s of a 1M-call month's report, 4.7 s at 10M), is written while
 * this thread renders the others. A run starts the thread early ({@link startXlsxThread}),
 * while its workers read, so that loading exceljs costs the report nothing; the bytes are
 * those of {@link writeXlsxReport} in this thread.
 */
import { Worker } from 'node:worker_threads';
import type { Summary } from '../../core/reconcile/index.js';
import type { XlsxRows } from './xlsx.js';
import type { ReportOptions } from './write-report.js';

/** What the thread is sent: one workbook to write. */
export interface XlsxJob {
  readonly path: string;
  readonly summary: Summary;
  readonly rows: XlsxRows;
  readonly options: ReportOptions;
}

/** What it answers: done, or the failure (its errno code kept, for the exit code). */
export type XlsxAnswer =
  | { readonly done: true }
  | { readonly error: { readonly name: string; readonly message: string; readonly code?: string } };

interface XlsxThread {
  readonly worker: Worker;
  /** Settles with the reason once the thread fails or stops on its own. */
  readonly ended: Promise<Error>;
}

let started: XlsxThread | undefined;

function spawn(): XlsxThread {
  const worker = new Worker(new URL('./xlsx-worker.js', import.meta.url));
  // A thread started for a run that fails before its report does not keep the process alive.
  worker.unref();
  const ended = new Promise<Error>((resolve) => {
    worker.once('error', resolve);
    worker.once('exit', (code) =>
      resolve(new Error(`the thread writing report.xlsx stopped (exit code ${code})`)),
    );
  });
  return { worker, ended };
}

/**
 * Starts the thread that the next {@link writeReport} writes `report.xlsx` in (it loads
 * exceljs at once). Without it, the workbook is written in this thread.
 *
 * @example
 * startXlsxThread(); // while the month is read
 */
export function startXlsxThread(): void {
  started ??= spawn();
}

/**
 * Whether {@link startXlsxThread} started a thread that no workbook has used yet.
 *
 * @example
 * const write = xlsxThreadStarted() ? writeXlsxInThread : writeXlsxReport;
 */
export function xlsxThreadStarted(): boolean {
  return started !== undefined;
}

/**
 * Writes `report.xlsx` like {@link writeXlsxReport}, in the thread {@link startXlsxThread}
 * started (or in a new one), which ends with it.
 *
 * @param path - the file to write
 * @param summary - the run's summary
 * @param rows - the discrepancies and rejected rows (sent to the thread as a copy)
 * @param options - masking of phone numbers, language of the headline
 * @example
 * await writeXlsxInThread('out/report.xlsx', result.summary, result, {});
 */
export async function writeXlsxInThread(
  path: string,
  summary: Summary,
  rows: XlsxRows,
  options: ReportOptions = {},
): Promise<void> {
  const thread = started ?? spawn();
  started = undefined;
  const { worker } = thread;
  worker.ref();
  try {
    const answer = new Promise<void>((resolve, reject) => {
      worker.once('message', (message: XlsxAnswer) => {
        if ('done' in message) resolve();
        else reject(Object.assign(new Error(message.error.message), message.error));
      });
    });
    const job: XlsxJob = {
      path,
      summary,
      rows: { discrepancies: rows.discrepancies, rejected: rows.rejected },
      // Whole, so that an option the workbook reads reaches the thread without being named
      // here; but not a caller's own callback, which cannot be sent and the workbook ignores.
      options: Object.fromEntries(
        Object.entries(options).filter(([, value]) => typeof value !== 'function'),
      ),
    };
    worker.postMessage(job);
    await Promise.race([
      answer,
      thread.ended.then((reason) => {
        throw reason;
      }),
    ]);
  } finally {
    await worker.terminate();
  }
}
