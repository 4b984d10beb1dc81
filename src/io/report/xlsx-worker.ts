import { parentPort } from 'node:worker_threads';
import { OutputError } from './output-error.js';
import { preloadXlsx, writeXlsxReport } from './xlsx.js';
import type { XlsxAnswer, XlsxJob } from './xlsx-thread.js';

// The thread of xlsx-thread.ts: loads exceljs at once, then writes the one workbook it is sent.
const port = parentPort;
if (port === null) throw new OutputError('the workbook writer must run in a worker thread');
void preloadXlsx().catch(() => {});

port.once('message', (job: XlsxJob) => {
  writeXlsxReport(job.path, job.summary, job.rows, job.options).then(
    () => port.postMessage({ done: true } satisfies XlsxAnswer),
    (error: unknown) => {
      const e = error instanceof Error ? error : new Error(String(error));
      const code = (e as { code?: unknown }).code;
      port.postMessage({
        error: { name: e.name, message: e.message, ...(typeof code === 'string' && { code }) },
      } satisfies XlsxAnswer);
    },
  );
});
