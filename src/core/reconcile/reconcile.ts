import type { Issue } from '../issues.js';
import type { BillItem, CdrItem, NumberItem } from '../records.js';
import type { ChargedCall } from './calls.js';
import { finishRun } from './finish.js';
import { billItemOfValue, cdrItemsOfValue } from './loose-items.js';
import { compareRejected, Intake } from './intake.js';
import { planRun, type ReconcileOptions } from './plan.js';
import { matchedCallsOfPairs } from './near.js';
import { Reconciler } from './reconciler.js';
import type { Discrepancy } from './rows.js';
import type { InputSummary, ReconcileResult } from './summary.js';

/** Items of an input: a plain list, an async stream, or an async stream of batches. */
export type ItemSource<T> = Iterable<T> | AsyncIterable<T> | AsyncIterable<readonly T[]>;

/** What {@link rateCalls} returns: the kept CDRs rated, plus what could not be used. */
export interface RateResult {
  /** Every kept call, in input order, charged (allowances applied). */
  readonly calls: readonly ChargedCall[];
  readonly rejected: readonly Issue[];
  readonly conflicts: readonly Discrepancy[];
  /** Re-pushes dropped. */
  readonly duplicates: number;
  readonly inputs: InputSummary[];
}

async function* batches<T>(source: ItemSource<T>): AsyncGenerator<readonly T[]> {
  if (Symbol.iterator in source) {
    yield Array.isArray(source) ? (source as readonly T[]) : [...source];
    return;
  }
  for await (const item of source) {
    yield Array.isArray(item) ? (item as readonly T[]) : [item as T];
  }
}

const PROGRESS_EVERY = 50_000;

/**
 * A CDR input of the library: an item as the readers yield it, or what a service received —
 * a push body or a plain FeeInfo (numbers are read as text).
 */
export type CdrInput = CdrItem | Readonly<Record<string, unknown>>;

/** A bill input of the library: an item as the readers yield it, or a plain row of canonical columns. */
export type BillInput = BillItem | Readonly<Record<string, unknown>>;

async function addCalls(
  cdrs: ItemSource<CdrInput>,
  intake: Intake,
  reconciler: Reconciler,
  onProgress: ReconcileOptions['onProgress'],
): Promise<void> {
  let seq = 0;
  let nextProgress = PROGRESS_EVERY;
  let position = 0;
  for await (const batch of batches(cdrs)) {
    for (const given of batch) {
      // SPEC §7: what a service received (a push body, a FeeInfo) is accepted as it is.
      for (const item of cdrItemsOfValue(given, ++position)) {
        const call = intake.cdr(item, seq++);
        if (call !== undefined) reconciler.add(call);
      }
    }
    const records = intake.tally.cdrs.records;
    if (onProgress && records >= nextProgress) {
      nextProgress = records + PROGRESS_EVERY;
      onProgress({ phase: 'cdrs', cdrRecords: records, billRows: 0 });
    }
  }
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
  cdrs: ItemSource<CdrInput>,
  options: Omit<ReconcileOptions, 'period'> & { readonly period?: string | undefined },
): Promise<RateResult> {
  const plan = planRun(options);
  const intake = new Intake(plan);
  const reconciler = new Reconciler(plan);
  await addCalls(cdrs, intake, reconciler, options.onProgress);
  reconciler.charge();
  const settled = reconciler.settle();
  return {
    calls: settled.calls,
    rejected: intake.rejected.map((entry) => entry.issue),
    conflicts: settled.tally.discrepancies.filter((found) => found.kind === 'CONFLICTING_CDR'),
    duplicates: settled.tally.cdrs.duplicates,
    inputs: intake.inputs.list,
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
 * @param input - `cdrs` and `bill` items (and optionally `numbers`), each a list or an async
 *   stream of items or batches
 * @param options - tariff, period and the options of SPEC §6
 * @returns the summary of `summary.json`, the sorted discrepancies, the rejected records and
 *   the rated calls
 * @throws OptionsError naming an option of the wrong type or out of range; TimeZoneError,
 *   PeriodError for an unknown zone or a bad month
 * @example
 * const result = await reconcile({ cdrs, bill }, { tariff: parseTariff(json), period: '2026-10' });
 * result.summary.totals.unexplained; // '0.00'
 */
export async function reconcile(
  input: {
    readonly cdrs: ItemSource<CdrInput>;
    readonly bill: ItemSource<BillInput>;
    /** The virtual numbers held (SPEC §4.5), to check their rent; optional. */
    readonly numbers?: ItemSource<NumberItem> | undefined;
  },
  options: ReconcileOptions,
): Promise<ReconcileResult> {
  const plan = planRun(options);
  const intake = new Intake(plan);
  const reconciler = new Reconciler(plan);
  const onProgress = options.onProgress;
  await addCalls(input.cdrs, intake, reconciler, onProgress);
  // The CDR side is final before the bill is read, so id matches are classified as they come.
  reconciler.charge();
  let seq = 0;
  let nextProgress = PROGRESS_EVERY;
  const counts = intake.tally;
  for await (const batch of batches(input.bill)) {
    for (const given of batch) {
      const row = intake.bill(billItemOfValue(given, seq + 1), seq++);
      if (row !== undefined) reconciler.match(row);
    }
    if (onProgress && counts.bill.rows >= nextProgress) {
      nextProgress = counts.bill.rows + PROGRESS_EVERY;
      onProgress({ phase: 'bill', cdrRecords: counts.cdrs.records, billRows: counts.bill.rows });
    }
  }
  // SPEC §4.5: the numbers held, read last, so that `inputs` lists the CDR files, the bill
  // files and then the numbers, as the file engine does.
  if (input.numbers !== undefined) {
    let numberSeq = 0;
    for await (const batch of batches(input.numbers)) {
      for (const item of batch) intake.number(item, numberSeq++);
    }
  }
  onProgress?.({ phase: 'matching', cdrRecords: counts.cdrs.records, billRows: counts.bill.rows });
  const settled = reconciler.settle();
  const result = finishRun(plan, {
    period: options.period,
    tallies: [intake.tally.toData(), settled.tally],
    leftoverRows: settled.leftoverRows,
    leftoverCalls: settled.leftoverCalls,
    matched: matchedCallsOfPairs(settled.pairs),
    inputs: intake.inputs.list,
    rejected: [...intake.rejected].sort(compareRejected).map((entry) => entry.issue),
    ratedCalls: settled.calls.filter((call) => call.inPeriod),
    hasNumbers: input.numbers !== undefined,
  });
  onProgress?.({ phase: 'done', cdrRecords: counts.cdrs.records, billRows: counts.bill.rows });
  return result;
}
