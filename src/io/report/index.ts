export {
  checkOutputFile,
  checkReportFolder,
  OutputError,
  removePendingOutputs,
  writeFileAtomically,
  writeFolderAtomically,
} from './atomic.js';
export { csvCell, csvLine, guardFormula } from './csv-cells.js';
export { renderMarkdownReport } from './markdown.js';
export { writeHtmlReport } from './html.js';
export { preloadXlsx, writeXlsxReport } from './xlsx.js';
export type { XlsxRows } from './xlsx.js';
export { startXlsxThread, writeXlsxInThread, xlsxThreadStarted } from './xlsx-thread.js';
export { actionLine, headlineOf } from './model.js';
export type { Headline } from './model.js';
export { REPORT_LANGS, stringsFor } from './strings.js';
export type { ReportLang } from './strings.js';
export {
  RATED_HEADER,
  REPORT_FILES,
  UTF8_BOM,
  writeRatedCsv,
  writeRatedFile,
  writeReport,
} from './write-report.js';
export type { ReportOptions } from './write-report.js';
