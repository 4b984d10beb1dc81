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
export {
  RATED_HEADER,
  REPORT_FILES,
  writeRatedCsv,
  writeRatedFile,
  writeReport,
} from './write-report.js';
export type { ReportOptions } from './write-report.js';
