/**
 * callrecon — the pure core: durations, tariff rating and bill reconciliation.
 * No file system, clock or process here; readers and writers live in `callrecon/io`.
 */
export { ISSUE_CODES } from './core/issues.js';
export type { Issue, IssueCode, Checked } from './core/issues.js';
export { FEE_FIELDS, BILL_COLUMNS } from './core/records.js';
export type {
  FeeRecord,
  FeeField,
  CdrItem,
  BillRow,
  BillColumn,
  BillItem,
} from './core/records.js';
