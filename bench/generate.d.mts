import type { DiscrepancyKind, Summary } from '../src/index.js';

/**
 * Types of bench/generate.mjs, the deterministic month generator (plain ESM JavaScript),
 * for TypeScript callers such as the tests.
 */

/** `bench`: N calls streamed to disk; `sample`: the realistic month of fixtures/2026-10. */
export type Profile = 'bench' | 'sample';

/** The discrepancy kinds of SPEC §4.3. */
export type { DiscrepancyKind };

/** Every kind, in the order manifests list them. */
export declare const KINDS: readonly DiscrepancyKind[];
export declare const INJECTED_KINDS: readonly DiscrepancyKind[];

/** Bumped whenever the files written for a given profile, seed and size change. */
export declare const GENERATOR_VERSION: number;

interface CommonOptions {
  /** The folder to write into (created; the generator's own files in it are replaced). */
  readonly out: string;
  /** An integer in [0, 2^32); default 1. */
  readonly seed?: number;
  /** Progress lines (default: silent). */
  readonly log?: (line: string) => void;
}

/** Options of the `bench` profile. */
export interface BenchOptions extends CommonOptions {
  readonly profile?: 'bench';
  /** Calls in the month: a number or `100k`, `1m`, `10m`; default `100k`. */
  readonly calls?: number | string;
  /** Share of calls with a bill error, spread evenly over 8 kinds; default 0.01. */
  readonly discrepancyRate?: number;
  /** The single per-minute rate, a decimal string; default `'0.12'`. */
  readonly pricePerMinute?: string;
}

/** Options of the `sample` profile. */
export interface SampleOptions extends CommonOptions {
  readonly profile: 'sample';
  /** Calls in the month (at least 1000); default 3000. */
  readonly calls?: number | string;
}

export type GenerateOptions = BenchOptions | SampleOptions;

/** One file written, relative to the output folder (POSIX separators). */
export interface ManifestFile {
  readonly path: string;
  readonly bytes: number;
  readonly sha256: string;
  readonly lines: number;
  /** CDR files of the bench profile: push lines, re-sent push lines, FeeInfo records. */
  readonly pushes?: number;
  readonly repushes?: number;
  readonly records?: number;
  /** Bill files: data rows (header excluded). */
  readonly rows?: number;
}

/**
 * The result a correct run must produce: the counting fields of SPEC §5.1 summary.json
 * (`bill.rows = callRows + otherRows + rejected`: call and other rows count usable rows).
 */
export type ExpectedSummary = Pick<
  Summary,
  'cdrs' | 'bill' | 'matched' | 'discrepancies' | 'totals' | 'minutes' | 'charges' | 'invoice'
>;

interface ManifestBase {
  readonly manifestVersion: 1;
  readonly generatorVersion: number;
  readonly seed: number;
  readonly calls: number;
  /** `2026-10` in `Asia/Shanghai`. */
  readonly period: string;
  readonly timezone: string;
  /** The period's bounds as UTC `yyyy-MM-dd HH:mm:ss`, `[from, to)`. */
  readonly periodUtc: { readonly from: string; readonly to: string };
  readonly currency: string;
  /** The reconcile arguments, paths relative to the output folder. */
  readonly command: readonly string[];
  readonly files: {
    readonly cdrs: readonly ManifestFile[];
    readonly bill: readonly ManifestFile[];
    readonly tariff: ManifestFile;
    /** The virtual numbers held (the sample's `numbers.csv`; `rows` counts its numbers). */
    readonly numbers?: ManifestFile;
  };
  readonly expected: ExpectedSummary;
}

/** What the bench generator did, counted as it did it. */
export interface BenchInjected {
  /** Answered calls (each lasts at least 1 s, so each has something to bill). */
  readonly billedAnsweredCalls: number;
  readonly unansweredCalls: number;
  /** Answered calls left out of the bill (MISSING_IN_BILL). */
  readonly droppedFromBill: number;
  /** Bill rows for calls that are in no push (MISSING_IN_CDRS). */
  readonly addedNotInCdrs: number;
  /** Bill rows written twice (DUPLICATE_IN_BILL). */
  readonly duplicatedInBill: number;
  /** Unanswered calls billed from the ringing time (UNANSWERED_BILLED). */
  readonly unansweredBilled: number;
  /** A minute more, in billedSeconds too (DURATION_MISMATCH). */
  readonly durationChanged: number;
  /** A minute more in billedMinutes only (MINUTES_MISMATCH). */
  readonly minutesChanged: number;
  /** Billed at another price (RATE_MISMATCH). */
  readonly priceChanged: number;
  /** Another amount only (AMOUNT_MISMATCH). */
  readonly amountChanged: number;
  /** Rent and SMS lines. */
  readonly otherRows: number;
  readonly pushes: number;
  readonly repushedPushes: number;
  readonly repushedRecords: number;
}

export interface BenchManifest extends ManifestBase {
  readonly profile: 'bench';
  readonly discrepancyRate: number;
  readonly pricePerMinute: string;
  readonly injected: BenchInjected;
}

/** How many of each error the sample month carries. */
export interface SampleInjected {
  readonly dropped: number;
  readonly phantoms: number;
  readonly duplicated: number;
  readonly periodSeptember: number;
  readonly periodNovember: number;
  readonly unansweredBilled: number;
  readonly noTariffBilled: number;
  readonly noTariffUnbilled: number;
  readonly duration: number;
  readonly minutes: number;
  readonly rate: number;
  readonly package: number;
  readonly amount: number;
  readonly composite: number;
  readonly byIcid: number;
  readonly conflicts: number;
  readonly unreadableAmount: number;
  readonly unansweredBilledAtZero: number;
  readonly skippedEvents: number;
  readonly brokenLines: number;
  /** Rows of numbers.csv, and how many of them are held in the period. */
  readonly numbers: number;
  readonly numbersHeld: number;
  /** SMS notifications (each once), and what is special about some of them. */
  readonly smsNotifications: number;
  readonly smsRepushed: number;
  readonly smsFailed: number;
  readonly smsInParts: number;
  readonly smsOutsidePeriod: number;
  /** A rent line at another amount (CHARGE_MISMATCH). */
  readonly wrongRent: number;
  /** The rent of a number released before the month (UNEXPECTED_CHARGE). */
  readonly rentOfReleasedNumber: number;
}

export interface SampleManifest extends ManifestBase {
  readonly profile: 'sample';
  readonly injected: SampleInjected;
  /** The rows of rejected.csv: file relative to the output folder, 1-based line, code. */
  readonly expectedRejected: readonly {
    readonly source: string;
    readonly line: number;
    readonly code: string;
  }[];
  /**
   * Every discrepancy, sorted by kind, callId, then number (SPEC §5.2's callId and
   * matchedBy); those of the other charges (SPEC §4.5) name their item and number.
   */
  readonly expectedDiscrepancies: readonly {
    readonly kind: DiscrepancyKind;
    readonly callId: string;
    readonly matchedBy: '' | 'id' | 'composite';
    readonly impact: string;
    readonly item?: string;
    readonly number?: string;
  }[];
  readonly notes: {
    readonly allowance: {
      readonly id: string;
      /** Shanghai wall time of the call that used the last second, or null. */
      readonly ranOutAt: string | null;
      readonly ranOutOnCall: string | null;
      readonly remainingSeconds: number;
    };
    readonly callsInPeriodAnswered: number;
    readonly callsOutsidePeriod: number;
    readonly callsAtOldPrice: number;
    readonly callsAtNewPrice: number;
    readonly callsOn139: number;
    /** The numbers that come and go (Shanghai wall times), and the wrong rent line. */
    readonly numbers: {
      readonly orderedMidMonth: { readonly number: string; readonly orderedAt: string };
      readonly releasedEarly: { readonly number: string; readonly releasedAt: string };
      readonly releasedBeforePeriod: { readonly number: string; readonly releasedAt: string };
      readonly wrongRent: { readonly number: string; readonly amount: string };
    };
  };
}

export type Manifest = BenchManifest | SampleManifest;

/**
 * Generates a month into `options.out`, writes its `manifest.json` there and returns it.
 * The same options give byte-identical files.
 *
 * @example
 * const manifest = await generateMonth({ profile: 'bench', calls: '1m', out: 'bench/data/1m' });
 */
export declare function generateMonth(options: SampleOptions): Promise<SampleManifest>;
export declare function generateMonth(options: BenchOptions): Promise<BenchManifest>;

/** `100k`, `1m`, `10m`, `2.5m`, `3000` → a call count; throws on anything else. */
export declare function parseCallCount(text: string | number): number;

/** The short label of a call count: 100000 → `100k`, 1000000 → `1m`. */
export declare function callCountLabel(calls: number): string;
