/**
 * callrecon/io — the readers that turn CDR and bill files into the core's input, as async
 * iterables that never hold a whole file in memory.
 */
export { readCdrBatches, readCdrs } from './read-cdrs.js';
export { readBillBatches, readBill } from './read-bill.js';
export { InputError } from './errors.js';
export { TEXT_ENCODINGS } from './options.js';
export type {
  TextEncoding,
  InputFileInfo,
  ReadOptions,
  CdrReadOptions,
  BillReadOptions,
} from './options.js';

export {
  checkOutputFile,
  checkReportFolder,
  REPORT_FILES,
  RATED_HEADER,
  OutputError,
  removePendingOutputs,
  writeRatedFile,
  writeReport,
  writeFileAtomically,
  writeFolderAtomically,
  guardFormula,
  renderMarkdownReport,
  writeHtmlReport,
  preloadXlsx,
  startXlsxThread,
  writeXlsxInThread,
  xlsxThreadStarted,
  writeXlsxReport,
  actionLine,
  headlineOf,
  stringsFor,
  REPORT_LANGS,
  UTF8_BOM,
} from './report/index.js';
export type { Headline, ReportLang, ReportOptions, XlsxRows } from './report/index.js';
export { reconcileFiles } from './engine/reconcile-files.js';
export type { FileReconcileOptions, FileReconciliation } from './engine/reconcile-files.js';
export { NUMBER_FILES, readNumbers } from './read-numbers.js';
export type { NumbersReadOptions } from './read-numbers.js';
