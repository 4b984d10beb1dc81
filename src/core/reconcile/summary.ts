import type { Issue } from '../issues.js';
import type { ChargedCall } from './calls.js';
import type { DiscrepancyKind } from './kinds.js';
import type { RunWarning } from './warnings.js';
import type { DiscrepancyRow } from './rows.js';

/** Counts and money of one input file (SPEC §5.1 `inputs`); the CLI adds `sha256`. */
export interface InputSummary {
  readonly role: 'cdrs' | 'bill' | 'numbers';
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
    /** SMS notifications read (SPEC §4.5), re-pushes included. */
    readonly smsRecords: number;
  };
  readonly bill: {
    /** Data rows read: call rows + other rows + rejected + total rows. */
    readonly rows: number;
    readonly callRows: number;
    readonly otherRows: number;
    readonly rejected: number;
    /** The export's own total rows (`合计`, `Total`), checked and left out (SPEC §2.2). */
    readonly totalRows: number;
    /** Cells read from a spreadsheet's format (`¥1,234.50`, `2026/10/1 8:00:37`). */
    readonly normalisedCells: number;
    /** Σ the amounts of rejected rows whose amount could be read. */
    readonly rejectedAmount: string;
    /** Rejected rows whose amount could not be read. */
    readonly rejectedUnreadable: number;
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
    /** Σ impact of the discrepancies whose action is `claim`, calls and other charges. */
    readonly claimable: string;
    /** − Σ impact of the discrepancies whose action is `note` and impact < 0. */
    readonly underBilled: string;
  };
  readonly minutes: { readonly ours: string; readonly theirs: string };
  /** What looks wrong with the inputs (SPEC §2.4), in the order found. */
  readonly warnings: readonly RunWarning[];
  /** The rest of the invoice: rent, SMS, packages (SPEC §4.5). */
  readonly charges: ChargesSummary;
  /** Calls and other charges together, on each side (SPEC §4.5). */
  readonly invoice: { readonly theirs: string; readonly ours: string; readonly difference: string };
  /** The difference, explained step by step (SPEC §4.6). */
  readonly explanation: { readonly bridge: readonly BridgeStep[] };
  /** How the provider actually rated, inferred from the matched pairs (SPEC §4.7). */
  readonly inferred: InferredPolicy;
}

/** The non-call lines of the bill against what we owe (SPEC §4.5). */
export interface ChargesSummary {
  /** Σ the bill's non-call rows (= `totals.otherCharges`). */
  readonly theirs: string;
  /** What we owe for rent, SMS and packages. */
  readonly ours: string;
  readonly difference: string;
  /** Σ impact of CHARGE_MISMATCH, UNEXPECTED_CHARGE and MISSING_CHARGE. */
  readonly explained: string;
  /** `difference − explained`: exactly zero. */
  readonly unexplained: string;
  /** By item (`rent`, `sms`, `package`, or the item as written). */
  readonly byItem: Readonly<Record<string, ChargeItemSummary>>;
  /** Whether the charges were checked (the tariff prices them or `--numbers` was given). */
  readonly checked: boolean;
}

/** One item of the other charges. */
export interface ChargeItemSummary {
  readonly theirs: string;
  readonly ours: string;
  /** Bill rows of this item. */
  readonly rows: number;
}

/** The steps of the bridge from `ours` to `theirs`, in order (SPEC §4.6). */
export const BRIDGE_STEPS = [
  'missing',
  'billedNotOurs',
  'duration',
  'increments',
  'rate',
  'package',
  'rounding',
  'withinTolerance',
  'charges',
] as const;

/** One step of the bridge. */
export type BridgeStepName = (typeof BRIDGE_STEPS)[number];

/** One step of the bridge: its money and how many items it moves. */
export interface BridgeStep {
  readonly step: BridgeStepName;
  readonly amount: string;
  readonly count: number;
}

/** The evidence a finding rests on. */
export interface Evidence {
  /** Pairs (or rows) that support the finding. */
  readonly pairs: number;
  /** Pairs (or rows) it was judged on. */
  readonly of: number;
}

/** The provider's policy as inferred from its bill (SPEC §4.7); each part only with evidence. */
export interface InferredPolicy {
  /** Matched pairs the inference looked at. */
  readonly pairs: number;
  /** The increments that explain the most pairs' billed minutes, and the share of each. */
  readonly increments?: {
    readonly first: number;
    readonly next: number;
    /** Whether the tariff's increments are others. */
    readonly differs: boolean;
    readonly evidence: Evidence;
    readonly candidates: readonly {
      readonly first: number;
      readonly next: number;
      readonly pairs: number;
    }[];
  };
  /** Per rate of the tariff: the price per minute the bill implies, and where it changes. */
  readonly prices?: readonly {
    readonly rateIndex: number;
    readonly rateId: string;
    readonly tariffPrice: string;
    readonly differs: boolean;
    readonly segments: readonly {
      readonly price: string;
      /** ISO instant from which the price holds (the first segment: the first pair's). */
      readonly from: string;
      readonly pairs: number;
    }[];
  }[];
  /** The rounding mode that reproduces their amounts from their minutes and price. */
  readonly roundingMode?: {
    readonly mode: string;
    readonly differs: boolean;
    readonly evidence: Evidence;
  };
  /** The zone whose calendar month the PERIOD_MISMATCH rows all fit. */
  readonly periodZone?: { readonly zone: string; readonly evidence: Evidence };
  /** A constant shift of the bill's times (SPEC §2.4 BILL_TIME_OFFSET). */
  readonly timeOffset?: {
    readonly seconds: number;
    readonly zone: string;
    readonly evidence: Evidence;
  };
  /** Where the provider differs from the tariff, one sentence each. */
  readonly findings: readonly string[];
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
