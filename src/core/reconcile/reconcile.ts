import type { Issue } from '../issues.js';
import type { BillItem, CdrItem } from '../records.js';
import { compareBytes } from '../order.js';
import { isSamePhone } from '../phone.js';
import { DEFAULT_MAX_CALL_SECONDS } from '../time/duration.js';
import { parsePeriod, type Period } from '../time/period.js';
import { createTimeZone, type TimeZone } from '../time/zone.js';
import {
  addMicros,
  formatMicros,
  formatSecondsAsMinutes,
  MinutesSum,
  minutesEqualSeconds,
  parseMicros,
} from '../money/index.js';
import { AllowanceLedger, amountFor, compareForAllowances, type Tariff } from '../tariff/index.js';
import { readBillRow, theirSeconds, type BilledItem } from './bill.js';
import { conflictingFields, isRepush, isUnrated, rateRecord, type RatedCall } from './calls.js';
import { DISCREPANCY_KINDS, type DiscrepancyKind } from './kinds.js';
import {
  toDiscrepancyRow,
  type Discrepancy,
  type DiscrepancyRow,
  type RowContext,
} from './rows.js';

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
  readonly calls: readonly RatedCall[];
  readonly rejected: readonly Issue[];
  readonly conflicts: readonly Discrepancy[];
  readonly counts: CdrCounts;
  readonly inputs: InputSummary[];
}

/** Counts of the CDR side (SPEC §5.1 `cdrs`). */
export interface CdrCounts {
  records: number;
  skippedEvents: number;
  duplicates: number;
  conflicts: number;
  rejected: number;
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

interface Context {
  readonly tariff: Tariff;
  readonly period: Period | undefined;
  readonly reportZone: TimeZone;
  readonly cdrZone: TimeZone;
  readonly billZone: TimeZone;
  readonly maxCallSeconds: number;
}

class Inputs {
  readonly list: InputSummary[] = [];
  private readonly byPath = new Map<string, InputSummary>();
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
  context: Context,
  inputs: Inputs,
  onProgress: ReconcileOptions['onProgress'],
): Promise<RateResult & { byKey: Map<string, RatedCall> }> {
  const kept: RatedCall[] = [];
  const byKey = new Map<string, RatedCall>();
  const rejected: Issue[] = [];
  const conflicts: Discrepancy[] = [];
  const counts: CdrCounts = {
    records: 0,
    skippedEvents: 0,
    duplicates: 0,
    conflicts: 0,
    rejected: 0,
  };
  const rateContext = {
    tariff: context.tariff,
    period: context.period,
    cdrZone: context.cdrZone,
    maxCallSeconds: context.maxCallSeconds,
  };
  let nextProgress = PROGRESS_EVERY;
  for await (const batch of items(cdrs)) {
    for (const item of batch) {
      if (item.type === 'skipped') {
        counts.skippedEvents++;
        continue;
      }
      const seq = counts.records++;
      if (item.type === 'rejected') {
        const entry = inputs.entry('cdrs', item.issue.source);
        entry.records++;
        entry.rejected++;
        counts.rejected++;
        rejected.push(item.issue);
        continue;
      }
      const entry = inputs.entry('cdrs', item.source);
      entry.records++;
      const checked = rateRecord(item.record, seq, item.source, item.line, rateContext);
      if (!checked.ok) {
        entry.rejected++;
        counts.rejected++;
        rejected.push(checked.issue);
        continue;
      }
      const call = checked.value;
      const first = byKey.get(call.callId);
      if (first === undefined) {
        byKey.set(call.callId, call);
        kept.push(call);
      } else if (isRepush(first, call)) {
        counts.duplicates++;
      } else {
        counts.conflicts++;
        conflicts.push({
          kind: 'CONFLICTING_CDR',
          call,
          bill: undefined,
          matchedBy: '',
          impact: 0,
          detail: `differs from the first record of the call (${first.source}:${first.line}) in ${conflictingFields(first, call).join(', ')}; the first is used`,
        });
      }
    }
    if (onProgress && counts.records >= nextProgress) {
      nextProgress = counts.records + PROGRESS_EVERY;
      onProgress({ phase: 'cdrs', cdrRecords: counts.records, billRows: 0 });
    }
  }
  applyAllowances(kept, context.tariff);
  return { calls: kept, byKey, rejected, conflicts, counts, inputs: inputs.list };
}

/** SPEC §3.5: answered, rated calls consume allowances in order of periodBy instant, then id. */
function applyAllowances(kept: readonly RatedCall[], tariff: Tariff): void {
  if (tariff.allowances.length > 0) {
    const ledger = new AllowanceLedger(tariff);
    const eligible = kept.filter((call) => call.answerMs !== undefined && call.billedSeconds > 0);
    eligible.sort((a, b) =>
      compareForAllowances(
        { periodMs: a.periodMs, sessionId: a.callId },
        { periodMs: b.periodMs, sessionId: b.callId },
      ),
    );
    for (const call of eligible) {
      call.packageSeconds = ledger.consume({
        answerMs: call.answerMs as number,
        bindNum: call.bindNum,
        serviceType: call.serviceType,
        direction: call.direction,
        mode: call.mode,
        billedSeconds: call.billedSeconds,
      });
    }
  }
  for (const call of kept) {
    if (call.rateIndex >= 0) {
      call.amount = amountFor(tariff, call.rateIndex, call.billedSeconds, call.packageSeconds);
    }
  }
}

function createContext(options: ReconcileOptions, period: string | undefined): Context {
  const tariff = options.tariff;
  const reportZone = createTimeZone(options.timezone ?? tariff.timezone ?? 'UTC');
  return {
    tariff,
    period: period === undefined ? undefined : parsePeriod(period, reportZone),
    reportZone,
    cdrZone: createTimeZone(options.cdrTimezone ?? 'UTC'),
    billZone: createTimeZone(options.billTimezone ?? 'UTC'),
    maxCallSeconds: options.maxCallSeconds ?? DEFAULT_MAX_CALL_SECONDS,
  };
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
  const context = createContext(options as ReconcileOptions, options.period);
  const { calls, rejected, conflicts, counts, inputs } = await readCalls(
    cdrs,
    context,
    new Inputs(),
    options.onProgress,
  );
  return { calls, rejected, conflicts, counts, inputs };
}

interface Pair {
  readonly call: RatedCall;
  readonly bill: BilledItem;
  readonly by: 'id' | 'composite';
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
  const context = createContext(options, options.period);
  const tariff = context.tariff;
  const inputs = new Inputs();
  const onProgress = options.onProgress;
  const window = (options.matchWindowSeconds ?? 2) * 1000;
  const toleranceText = options.amountTolerance ?? '0';
  const tolerance = parseMicros(toleranceText);
  if (tolerance === undefined || tolerance < 0) {
    throw new RangeError(`amount tolerance '${toleranceText}' is not a non-negative decimal`);
  }

  const cdrSide = await readCalls(input.cdrs, context, inputs, onProgress);
  const { calls, byKey, counts: cdrCounts } = cdrSide;
  const rejected: Issue[] = [...cdrSide.rejected];

  // The bill: validate rows, then match by id as they come (SPEC §4.1 step 1).
  const discrepancies: Discrepancy[] = [...cdrSide.conflicts];
  const matched = new Set<RatedCall>();
  const priceOf = tariff.rates.map((rate) => rate.pricePerMinute.text);
  let withinTolerance = 0;
  let clean = 0;
  let byId = 0;
  // SPEC §4.2: the CDR side is final before the bill is read, so a pair is classified as
  // soon as it is found and its bill row need not be kept.
  const settle = (pair: Pair): void => {
    const found = classifyPair(pair, priceOf, tolerance);
    if (found === undefined) {
      clean++;
      withinTolerance = addMicros(withinTolerance, pair.bill.amount - ours(pair.call));
    } else {
      discrepancies.push(found);
    }
  };
  const leftovers: BilledItem[] = [];
  let byIcid: Map<string, RatedCall> | undefined;
  const billCounts = { rows: 0, callRows: 0, otherRows: 0, rejected: 0 };
  let theirs = 0;
  let otherCharges = 0;
  const minutesTheirs = new MinutesSum();
  const rowContext = { currency: tariff.currency, billZone: context.billZone };
  let nextProgress = PROGRESS_EVERY;
  for await (const batch of items(input.bill)) {
    for (const item of batch) {
      const seq = billCounts.rows++;
      if (item.type === 'rejected') {
        const entry = inputs.entry('bill', item.issue.source);
        entry.records++;
        entry.rejected++;
        billCounts.rejected++;
        rejected.push(item.issue);
        continue;
      }
      const entry = inputs.entry('bill', item.source);
      entry.records++;
      const checked = readBillRow(item.row, seq, item.source, item.line, rowContext);
      if (!checked.ok) {
        entry.rejected++;
        billCounts.rejected++;
        rejected.push(checked.issue);
        continue;
      }
      const row = checked.value;
      if (!row.isCall) {
        billCounts.otherRows++;
        otherCharges = addMicros(otherCharges, row.amount);
        continue;
      }
      billCounts.callRows++;
      theirs = addMicros(theirs, row.amount);
      if (row.billedMinutes !== undefined) minutesTheirs.add(row.billedMinutes);
      let call: RatedCall | undefined;
      if (row.callId !== undefined) {
        call = byKey.get(row.callId);
        if (call === undefined) {
          byIcid ??= indexByIcid(calls);
          call = byIcid.get(row.callId);
        }
      }
      if (call === undefined) {
        leftovers.push(row);
      } else if (matched.has(call)) {
        discrepancies.push({
          kind: 'DUPLICATE_IN_BILL',
          call,
          bill: row,
          matchedBy: 'id',
          impact: row.amount,
          detail: 'the bill charges this call more than once; the first row is matched',
        });
      } else {
        matched.add(call);
        byId++;
        settle({ call, bill: row, by: 'id' });
      }
    }
    if (onProgress && billCounts.rows >= nextProgress) {
      nextProgress = billCounts.rows + PROGRESS_EVERY;
      onProgress({ phase: 'bill', cdrRecords: cdrCounts.records, billRows: billCounts.rows });
    }
  }
  onProgress?.({ phase: 'matching', cdrRecords: cdrCounts.records, billRows: billCounts.rows });

  // SPEC §4.1 step 2: composite matching of what is left.
  const composite = matchByComposite(leftovers, calls, matched, window);
  for (const pair of composite.pairs) {
    matched.add(pair.call);
    settle(pair);
  }
  for (const row of composite.unmatched) {
    discrepancies.push({
      kind: 'MISSING_IN_CDRS',
      call: undefined,
      bill: row,
      matchedBy: '',
      impact: row.amount,
      detail:
        row.callId === undefined
          ? 'no call record has this caller, private number and answer time'
          : 'no call record has this id, nor this caller, private number and answer time',
    });
  }

  // SPEC §4.1 step 3 and §4.3: what our side has that the bill does not.
  let oursTotal = 0;
  let oursSeconds = 0;
  const cdrSummary = { inPeriod: 0, answeredInPeriod: 0, unrated: 0 };
  const ratedCalls: RatedCall[] = [];
  for (const call of calls) {
    if (!call.inPeriod) continue;
    ratedCalls.push(call);
    cdrSummary.inPeriod++;
    if (call.answerMs === undefined) continue;
    cdrSummary.answeredInPeriod++;
    if (isUnrated(call)) {
      cdrSummary.unrated++;
      if (!matched.has(call)) {
        discrepancies.push({
          kind: 'NO_TARIFF',
          call,
          bill: undefined,
          matchedBy: '',
          impact: 0,
          detail: 'no rate of the tariff covers this call; it is not in our total',
        });
      }
      continue;
    }
    oursTotal = addMicros(oursTotal, call.amount);
    oursSeconds += call.billedSeconds;
    if (call.billedSeconds > 0 && !matched.has(call)) {
      discrepancies.push({
        kind: 'MISSING_IN_BILL',
        call,
        bill: undefined,
        matchedBy: '',
        impact: -call.amount,
        detail: 'the bill has no row for this call',
      });
    }
  }

  // SPEC §4.4: the books must balance.
  const byKind = new Map<DiscrepancyKind, { count: number; impact: number }>(
    DISCREPANCY_KINDS.map((kind) => [kind, { count: 0, impact: 0 }]),
  );
  let explained = 0;
  for (const found of discrepancies) {
    const entry = byKind.get(found.kind) as { count: number; impact: number };
    entry.count++;
    entry.impact = addMicros(entry.impact, found.impact);
    explained = addMicros(explained, found.impact);
  }
  const difference = theirs - oursTotal;
  const unexplained = difference - explained - withinTolerance;
  const decimals = tariff.amountDecimals;
  const money = (micros: number): string => formatMicros(micros, decimals);

  const rowContext2: RowContext = { tariff, zone: context.reportZone };
  const sorted = sortDiscrepancies(discrepancies);
  onProgress?.({ phase: 'done', cdrRecords: cdrCounts.records, billRows: billCounts.rows });

  const summary: Summary = {
    schemaVersion: 1,
    period: options.period,
    timezone: context.reportZone.name,
    currency: tariff.currency,
    inputs: inputs.list,
    cdrs: {
      records: cdrCounts.records,
      skippedEvents: cdrCounts.skippedEvents,
      duplicates: cdrCounts.duplicates,
      conflicts: cdrCounts.conflicts,
      rejected: cdrCounts.rejected,
      kept: calls.length,
      ...cdrSummary,
    },
    bill: billCounts,
    matched: { byId, byComposite: composite.pairs.length, clean },
    discrepancies: Object.fromEntries(
      DISCREPANCY_KINDS.map((kind) => {
        const entry = byKind.get(kind) as { count: number; impact: number };
        return [kind, { count: entry.count, impact: money(entry.impact) }];
      }),
    ) as Record<DiscrepancyKind, KindSummary>,
    totals: {
      ours: money(oursTotal),
      theirs: money(theirs),
      otherCharges: money(otherCharges),
      difference: money(difference),
      explained: money(explained),
      withinTolerance: money(withinTolerance),
      unexplained: money(unexplained),
    },
    minutes: { ours: formatSecondsAsMinutes(oursSeconds), theirs: minutesTheirs.toString() },
  };
  return {
    summary,
    discrepancies: sorted.map((found) => toDiscrepancyRow(found, rowContext2)),
    rejected,
    ratedCalls,
    balanced: unexplained === 0,
  };
}

/** Our amount of a call as it counts in `totals.ours`: in period, answered and rated. */
function ours(call: RatedCall): number {
  return call.inPeriod && call.answerMs !== undefined && call.rateIndex >= 0 ? call.amount : 0;
}

function indexByIcid(calls: readonly RatedCall[]): Map<string, RatedCall> {
  const index = new Map<string, RatedCall>();
  for (const call of calls) {
    if (call.icid !== undefined && call.icid !== call.callId && !index.has(call.icid)) {
      index.set(call.icid, call);
    }
  }
  return index;
}

/**
 * SPEC §4.1 step 2: bill rows with callerNum, privateNum and answerTime match unmatched
 * answered calls with the same numbers (a `*` matching any digit) answered at most `windowMs`
 * apart; candidate pairs in order of time difference, then bill row, then call input order.
 */
function matchByComposite(
  rows: readonly BilledItem[],
  calls: readonly RatedCall[],
  matched: ReadonlySet<RatedCall>,
  windowMs: number,
): { pairs: Pair[]; unmatched: BilledItem[] } {
  const candidatesRows = rows.filter(
    (row) =>
      row.callerNum !== undefined && row.privateNum !== undefined && row.answerMs !== undefined,
  );
  if (candidatesRows.length === 0) return { pairs: [], unmatched: [...rows] };
  // Unmatched answered calls by the second they were answered in.
  const bySecond = new Map<number, RatedCall[]>();
  for (const call of calls) {
    if (call.answerMs === undefined || matched.has(call)) continue;
    const second = Math.floor(call.answerMs / 1000);
    const bucket = bySecond.get(second);
    if (bucket === undefined) bySecond.set(second, [call]);
    else bucket.push(call);
  }
  const candidates: { diff: number; row: BilledItem; call: RatedCall }[] = [];
  for (const row of candidatesRows) {
    const at = row.answerMs as number;
    const last = Math.floor((at + windowMs) / 1000);
    for (let second = Math.floor((at - windowMs) / 1000); second <= last; second++) {
      const bucket = bySecond.get(second);
      if (bucket === undefined) continue;
      for (const call of bucket) {
        const diff = Math.abs(at - (call.answerMs as number));
        if (
          diff <= windowMs &&
          isSamePhone(row.callerNum as string, call.callerNum) &&
          isSamePhone(row.privateNum as string, call.bindNum)
        ) {
          candidates.push({ diff, row, call });
        }
      }
    }
  }
  candidates.sort((a, b) => a.diff - b.diff || a.row.seq - b.row.seq || a.call.seq - b.call.seq);
  const usedRows = new Set<BilledItem>();
  const usedCalls = new Set<RatedCall>();
  const pairs: Pair[] = [];
  for (const { row, call } of candidates) {
    if (usedRows.has(row) || usedCalls.has(call)) continue;
    usedRows.add(row);
    usedCalls.add(call);
    pairs.push({ call, bill: row, by: 'composite' });
  }
  pairs.sort((a, b) => a.bill.seq - b.bill.seq);
  return { pairs, unmatched: rows.filter((row) => !usedRows.has(row)) };
}

/** SPEC §4.2: the first rule that holds names the pair's kind; `undefined` when clean. */
function classifyPair(
  pair: Pair,
  priceOf: readonly (string | undefined)[],
  tolerance: number,
): Discrepancy | undefined {
  const { call, bill, by } = pair;
  const found = (kind: DiscrepancyKind, impact: number, detail: string): Discrepancy => ({
    kind,
    call,
    bill,
    matchedBy: by,
    impact,
    detail,
  });
  if (!call.inPeriod) {
    return found('PERIOD_MISMATCH', bill.amount, 'the call belongs to another month');
  }
  if (call.answerMs === undefined) {
    const minutesBilled = bill.billedMinutes !== undefined && bill.billedMinutes.units > 0n;
    if (bill.amount > 0 || minutesBilled) {
      return found('UNANSWERED_BILLED', bill.amount, 'the call was never answered');
    }
    return undefined;
  }
  if (call.rateIndex < 0) {
    return found('NO_TARIFF', bill.amount, 'no rate of the tariff covers this call');
  }
  const impact = bill.amount - call.amount;
  const seconds = theirSeconds(bill);
  if (seconds !== undefined && seconds !== call.seconds) {
    return found(
      'DURATION_MISMATCH',
      impact,
      `the bill states ${seconds} s, the call lasted ${call.seconds} s`,
    );
  }
  if (
    bill.billedMinutes !== undefined &&
    !minutesEqualSeconds(bill.billedMinutes, call.billedSeconds)
  ) {
    return found(
      'MINUTES_MISMATCH',
      impact,
      `the bill charges other minutes than our ${formatSecondsAsMinutes(call.billedSeconds)}`,
    );
  }
  if (bill.unitPriceValue !== undefined && bill.unitPriceValue !== priceOf[call.rateIndex]) {
    return found('RATE_MISMATCH', impact, `the bill's price per minute is not the tariff's`);
  }
  if (
    bill.packageMinutes !== undefined &&
    !minutesEqualSeconds(bill.packageMinutes, call.packageSeconds)
  ) {
    return found(
      'PACKAGE_MISMATCH',
      impact,
      `the bill covers other package minutes than our ${formatSecondsAsMinutes(call.packageSeconds)}`,
    );
  }
  if (Math.abs(impact) > tolerance) {
    return found(
      'AMOUNT_MISMATCH',
      impact,
      'the bill charges another amount for the same minutes and price',
    );
  }
  return undefined;
}

function sourceOf(item: { source: string; line: number } | undefined): string {
  return item === undefined ? '' : `${item.source}:${item.line}`;
}

function callIdOf(found: Discrepancy): string {
  return found.call?.callId ?? found.bill?.callId ?? '';
}

/**
 * SPEC §5.2 order: |impact| descending, then kind, callId and billSource in byte order; the
 * CDR's source last, so the order is total and does not depend on how the input was read.
 */
function sortDiscrepancies(discrepancies: readonly Discrepancy[]): Discrepancy[] {
  const keyed = discrepancies.map((found) => ({
    found,
    size: Math.abs(found.impact),
    callId: callIdOf(found),
    billSource: sourceOf(found.bill),
    cdrSource: sourceOf(found.call),
  }));
  keyed.sort(
    (a, b) =>
      b.size - a.size ||
      compareBytes(a.found.kind, b.found.kind) ||
      compareBytes(a.callId, b.callId) ||
      compareBytes(a.billSource, b.billSource) ||
      compareBytes(a.cdrSource, b.cdrSource),
  );
  return keyed.map((entry) => entry.found);
}
