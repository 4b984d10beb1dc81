import type { Issue } from '../issues.js';
import type { BillItem, CdrItem } from '../records.js';
import { DEFAULT_MAX_CALL_SECONDS } from '../time/duration.js';
import { parsePeriod, type Period } from '../time/period.js';
import { createTimeZone, type TimeZone } from '../time/zone.js';
import { addMicros, formatMicros, formatSecondsAsMinutes } from '../money/index.js';
import type { Tariff } from '../tariff/index.js';
import { readBillRow, type BilledItem } from './bill.js';
import { CallBook } from './book.js';
import { rateRecord, type RatedCall } from './calls.js';
import { chargeCalls } from './charge.js';
import { DISCREPANCY_KINDS, type DiscrepancyKind } from './kinds.js';
import {
  createPairRules,
  isLeftoverCall,
  matchById,
  settleLeftovers,
  sortDiscrepancies,
} from './match.js';
import { toDiscrepancyRow, type Discrepancy, type DiscrepancyRow } from './rows.js';
import { Tally } from './tally.js';

/** Items of an input: a plain list, an async stream, or an async stream of batches. */
export type ItemSource<T> = Iterable<T> | AsyncIterable<T> | AsyncIterable<readonly T[]>;

/** The settings of a reconciliation (SPEC §3–§4, the options of §6). */
export interface ReconcileOptions {
  /** The parsed tariff (see `parseTariff`). */
  readonly tariff: Tariff;
  /** The month to reconcile, `YYYY-MM`. */
  readonly period: string;
  /** The zone of the month (default: the tariff's, else `UTC`). */
  readonly timezone?: string | undefined;
  /** The zone of CDR times without an offset (default `UTC`, as Huawei writes them). */
  readonly cdrTimezone?: string | undefined;
  /** The zone of bill times without an offset (default `UTC`). */
  readonly billTimezone?: string | undefined;
  /** Seconds a composite match may be apart (default 2). */
  readonly matchWindowSeconds?: number | undefined;
  /** Largest amount difference of a pair still clean, a decimal string (default `'0'`). */
  readonly amountTolerance?: string | undefined;
  /** Longest call rated, in seconds (default 86400). */
  readonly maxCallSeconds?: number | undefined;
  /** Called now and then with the number of records and rows read so far. */
  readonly onProgress?: ((progress: ReconcileProgress) => void) | undefined;
}

/** What {@link ReconcileOptions.onProgress} is told. */
export interface ReconcileProgress {
  readonly phase: 'cdrs' | 'bill' | 'matching' | 'done';
  readonly cdrRecords: number;
  readonly billRows: number;
}

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
  readonly ratedCalls: readonly RatedCall[];
  /** Whether `totals.unexplained` is zero, as it must be (SPEC §4.4). */
  readonly balanced: boolean;
}

/** What {@link rateCalls} returns: the kept CDRs rated, plus what could not be used. */
export interface RateResult {
  /** Every kept call, in input order, charged (allowances applied). */
  readonly calls: readonly RatedCall[];
  readonly rejected: readonly Issue[];
  readonly conflicts: readonly Discrepancy[];
  /** Re-pushes dropped. */
  readonly duplicates: number;
  readonly inputs: InputSummary[];
}

async function* items<T>(source: ItemSource<T>): AsyncGenerator<readonly T[]> {
  if (Symbol.iterator in source) {
    yield Array.isArray(source) ? (source as readonly T[]) : [...source];
    return;
  }
  for await (const item of source) {
    yield Array.isArray(item) ? (item as readonly T[]) : [item as T];
  }
}

/** The prepared settings of a run. */
export interface RunContext {
  readonly tariff: Tariff;
  readonly period: Period | undefined;
  readonly reportZone: TimeZone;
  readonly cdrZone: TimeZone;
  readonly billZone: TimeZone;
  readonly maxCallSeconds: number;
}

/**
 * Prepares zones, the period and limits from the options (SPEC §3.7: the month's zone is
 * `timezone`, else the tariff's, else UTC).
 *
 * @throws TimeZoneError or PeriodError for a bad zone or month
 */
export function createRunContext(
  options: Omit<ReconcileOptions, 'period'> & { readonly period?: string | undefined },
): RunContext {
  const tariff = options.tariff;
  const reportZone = createTimeZone(options.timezone ?? tariff.timezone ?? 'UTC');
  return {
    tariff,
    period: options.period === undefined ? undefined : parsePeriod(options.period, reportZone),
    reportZone,
    cdrZone: createTimeZone(options.cdrTimezone ?? 'UTC'),
    billZone: createTimeZone(options.billTimezone ?? 'UTC'),
    maxCallSeconds: options.maxCallSeconds ?? DEFAULT_MAX_CALL_SECONDS,
  };
}

/** Per-file counts of records read and rejected, in the order files are first seen. */
export class InputCounts {
  readonly list: InputSummary[] = [];
  private readonly byPath = new Map<string, InputSummary>();

  /** The entry of a file, created on first use. */
  entry(role: 'cdrs' | 'bill', path: string): InputSummary {
    const key = `${role}\u0000${path}`;
    let entry = this.byPath.get(key);
    if (entry === undefined) {
      entry = { role, path, records: 0, rejected: 0 };
      this.byPath.set(key, entry);
      this.list.push(entry);
    }
    return entry;
  }
}

const PROGRESS_EVERY = 50_000;

async function readCalls(
  cdrs: ItemSource<CdrItem>,
  context: RunContext,
  inputs: InputCounts,
  tally: Tally,
  rejected: Issue[],
  onProgress: ReconcileOptions['onProgress'],
): Promise<CallBook> {
  const book = new CallBook();
  const counts = tally.cdrs;
  let nextProgress = PROGRESS_EVERY;
  for await (const batch of items(cdrs)) {
    for (const item of batch) {
      if (item.type === 'skipped') {
        counts.skippedEvents++;
        continue;
      }
      const seq = counts.records++;
      const source = item.type === 'rejected' ? item.issue.source : item.source;
      const entry = inputs.entry('cdrs', source);
      entry.records++;
      const checked =
        item.type === 'rejected'
          ? ({ ok: false, issue: item.issue } as const)
          : rateRecord(item.record, seq, item.source, item.line, context);
      if (!checked.ok) {
        entry.rejected++;
        counts.rejected++;
        rejected.push(checked.issue);
        continue;
      }
      book.add(checked.value);
    }
    if (onProgress && counts.records >= nextProgress) {
      nextProgress = counts.records + PROGRESS_EVERY;
      onProgress({ phase: 'cdrs', cdrRecords: counts.records, billRows: 0 });
    }
  }
  counts.duplicates += book.duplicates;
  counts.conflicts += book.conflicts.length;
  tally.discrepancies.push(...book.conflicts);
  chargeCalls(book.kept, context.tariff);
  return book;
}

/**
 * Rates fee records without a bill (the `rate` command): validates, drops re-pushes, rates
 * every kept call and applies allowances (SPEC §3).
 *
 * @param cdrs - the records, as a list or an async stream (of items or of batches)
 * @param options - the tariff and zones; `period` optional: with it, calls are marked in or out
 * @returns the kept calls in input order, the rejected records, conflicts and counts
 * @example
 * const { calls } = await rateCalls(items, { tariff });
 */
export async function rateCalls(
  cdrs: ItemSource<CdrItem>,
  options: Omit<ReconcileOptions, 'period'> & { readonly period?: string | undefined },
): Promise<RateResult> {
  const inputs = new InputCounts();
  const tally = new Tally();
  const rejected: Issue[] = [];
  const book = await readCalls(
    cdrs,
    createRunContext(options),
    inputs,
    tally,
    rejected,
    options.onProgress,
  );
  return {
    calls: book.kept,
    rejected,
    conflicts: book.conflicts,
    duplicates: book.duplicates,
    inputs: inputs.list,
  };
}

/**
 * Reconciles a month of fee records against the provider's bill (SPEC §3–§5): rates our
 * side, matches bill rows to calls by id and by composite key, classifies every pair and
 * leftover, and balances the books.
 *
 * Pure: give it records and rows from anywhere (the `callrecon/io` readers, a database, an
 * array). Money in the result is decimal strings with the tariff's decimals.
 *
 * @param input - `cdrs` and `bill` items, each a list or an async stream of items or batches
 * @param options - tariff, period and the options of SPEC §6
 * @returns the summary of `summary.json`, the sorted discrepancies, the rejected records and
 *   the rated calls
 * @example
 * const result = await reconcile({ cdrs, bill }, { tariff: parseTariff(json), period: '2026-10' });
 * result.summary.totals.unexplained; // '0.00'
 */
export async function reconcile(
  input: { readonly cdrs: ItemSource<CdrItem>; readonly bill: ItemSource<BillItem> },
  options: ReconcileOptions,
): Promise<ReconcileResult> {
  const context = createRunContext(options);
  const rules = createPairRules(
    context.tariff,
    options.amountTolerance,
    options.matchWindowSeconds,
  );
  const inputs = new InputCounts();
  const tally = new Tally();
  const rejected: Issue[] = [];
  const onProgress = options.onProgress;
  const book = await readCalls(input.cdrs, context, inputs, tally, rejected, onProgress);

  // The CDR side is final before the bill is read, so id matches are classified as they come.
  const matched = new Set<RatedCall>();
  const leftovers: BilledItem[] = [];
  const rowContext = { currency: context.tariff.currency, billZone: context.billZone };
  let nextProgress = PROGRESS_EVERY;
  for await (const batch of items(input.bill)) {
    for (const item of batch) {
      const seq = tally.bill.rows++;
      const source = item.type === 'rejected' ? item.issue.source : item.source;
      const entry = inputs.entry('bill', source);
      entry.records++;
      const checked =
        item.type === 'rejected'
          ? ({ ok: false, issue: item.issue } as const)
          : readBillRow(item.row, seq, item.source, item.line, rowContext);
      if (!checked.ok) {
        entry.rejected++;
        tally.bill.rejected++;
        rejected.push(checked.issue);
        continue;
      }
      const row = checked.value;
      tally.countBillRow(row);
      if (row.isCall) {
        const left = matchById(row, book, matched, tally, rules);
        if (left !== undefined) leftovers.push(left);
      }
    }
    if (onProgress && tally.bill.rows >= nextProgress) {
      nextProgress = tally.bill.rows + PROGRESS_EVERY;
      onProgress({ phase: 'bill', cdrRecords: tally.cdrs.records, billRows: tally.bill.rows });
    }
  }
  onProgress?.({ phase: 'matching', cdrRecords: tally.cdrs.records, billRows: tally.bill.rows });

  const leftoverCalls: RatedCall[] = [];
  const ratedCalls: RatedCall[] = [];
  for (const call of book.kept) {
    tally.countKeptCall(call);
    if (call.inPeriod) ratedCalls.push(call);
    if (isLeftoverCall(call, matched)) leftoverCalls.push(call);
  }
  settleLeftovers(leftovers, leftoverCalls, tally, rules);
  onProgress?.({ phase: 'done', cdrRecords: tally.cdrs.records, billRows: tally.bill.rows });
  return finishReconciliation(tally, inputs.list, rejected, ratedCalls, context, options.period);
}

/**
 * Turns a complete tally into the result: the summary of SPEC §5.1 with the balance check of
 * §4.4, and the discrepancies sorted as §5.2 says.
 *
 * @param tally - every count, sum and discrepancy of the run
 * @param inputs - per-file counts
 * @param rejected - what could not be used, in input order
 * @param ratedCalls - the kept calls of the period, in input order
 * @param context - tariff and zones
 * @param period - the month, `YYYY-MM`
 */
export function finishReconciliation(
  tally: Tally,
  inputs: InputSummary[],
  rejected: readonly Issue[],
  ratedCalls: readonly RatedCall[],
  context: RunContext,
  period: string,
): ReconcileResult {
  const tariff = context.tariff;
  const byKind = new Map<DiscrepancyKind, { count: number; impact: number }>(
    DISCREPANCY_KINDS.map((kind) => [kind, { count: 0, impact: 0 }]),
  );
  let explained = 0;
  for (const found of tally.discrepancies) {
    const entry = byKind.get(found.kind) as { count: number; impact: number };
    entry.count++;
    entry.impact = addMicros(entry.impact, found.impact);
    explained = addMicros(explained, found.impact);
  }
  // SPEC §4.4: the books must balance.
  const difference = tally.theirs - tally.ours;
  const unexplained = difference - explained - tally.withinTolerance;
  const money = (micros: number): string => formatMicros(micros, tariff.amountDecimals);
  const summary: Summary = {
    schemaVersion: 1,
    period,
    timezone: context.reportZone.name,
    currency: tariff.currency,
    inputs,
    cdrs: { ...tally.cdrs },
    bill: { ...tally.bill },
    matched: { byId: tally.byId, byComposite: tally.byComposite, clean: tally.clean },
    discrepancies: Object.fromEntries(
      DISCREPANCY_KINDS.map((kind) => {
        const entry = byKind.get(kind) as { count: number; impact: number };
        return [kind, { count: entry.count, impact: money(entry.impact) }];
      }),
    ) as Record<DiscrepancyKind, KindSummary>,
    totals: {
      ours: money(tally.ours),
      theirs: money(tally.theirs),
      otherCharges: money(tally.otherCharges),
      difference: money(difference),
      explained: money(explained),
      withinTolerance: money(tally.withinTolerance),
      unexplained: money(unexplained),
    },
    minutes: { ours: formatSecondsAsMinutes(tally.oursSeconds), theirs: tally.minutesTheirsText() },
  };
  const rowContext = { tariff, zone: context.reportZone };
  return {
    summary,
    discrepancies: sortDiscrepancies(tally.discrepancies).map((found) =>
      toDiscrepancyRow(found, rowContext),
    ),
    rejected,
    ratedCalls,
    balanced: unexplained === 0,
  };
}
