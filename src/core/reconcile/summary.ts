import type { Issue } from '../issues.js';
import type { ChargedCall } from './calls.js';
import type { DiscrepancyKind } from './kinds.js';
import type { DiscrepancyRow } from './rows.js';

/** Counts and money of one input file (SPEC §5.1 `inputs`); the CLI adds `sha256`. */
export interface InputSummary {
  readonly role: 'cdrs' | 'bill';
  readonly path: string;
  sha256?: string;
  records: number;
  rejected: number;
}

/** One kind's count and money impact in the summary. */
export interface KindSummary {
  readonly count: number;
  readonly impact: string;
}

/** The structure of `summary.json` (SPEC §5.1). Amounts are decimal strings. */
export interface Summary {
  readonly schemaVersion: 1;
  readonly period: string;
  readonly timezone: string;
  readonly currency: string;
  readonly inputs: InputSummary[];
  readonly cdrs: {
    readonly records: number;
    readonly skippedEvents: number;
    readonly duplicates: number;
    readonly conflicts: number;
    readonly rejected: number;
    readonly kept: number;
    readonly inPeriod: number;
    readonly answeredInPeriod: number;
    readonly unrated: number;
  };
  readonly bill: {
    readonly rows: number;
    readonly callRows: number;
    readonly otherRows: number;
    readonly rejected: number;
  };
  readonly matched: { readonly byId: number; readonly byComposite: number; readonly clean: number };
  readonly discrepancies: Readonly<Record<DiscrepancyKind, KindSummary>>;
  readonly totals: {
    readonly ours: string;
    readonly theirs: string;
    readonly otherCharges: string;
    readonly difference: string;
    readonly explained: string;
    readonly withinTolerance: string;
    readonly unexplained: string;
  };
  readonly minutes: { readonly ours: string; readonly theirs: string };
}

/** What {@link reconcile} returns. */
export interface ReconcileResult {
  /** The content of `summary.json`. */
  readonly summary: Summary;
  /** Every discrepancy, sorted as `discrepancies.csv` is (SPEC §5.2), numbers unmasked. */
  readonly discrepancies: readonly DiscrepancyRow[];
  /** Every record or row that could not be used, in input order (SPEC §5.3). */
  readonly rejected: readonly Issue[];
  /** Every kept CDR in the period, rated, in input order (`rated.csv`, SPEC §5.4). */
  readonly ratedCalls: readonly ChargedCall[];
  /** Whether `totals.unexplained` is zero, as it must be (SPEC §4.4). */
  readonly balanced: boolean;
}

/** What `onProgress` of the reconcile options is told. */
export interface ReconcileProgress {
  readonly phase: 'cdrs' | 'bill' | 'matching' | 'done';
  readonly cdrRecords: number;
  readonly billRows: number;
}
