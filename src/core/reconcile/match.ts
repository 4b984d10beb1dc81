import { compareBytes } from '../order.js';
import { isSamePhone } from '../phone.js';
import {
  formatMicros,
  formatMinutes,
  formatSecondsAsMinutes,
  minutesAgreeWithSeconds,
} from '../money/index.js';
import { theirSeconds, type BilledItem } from './bill.js';
import type { CallBook, IdLookup } from './book.js';
import { isUnrated, type ChargedCall } from './calls.js';
import type { DiscrepancyKind } from './kinds.js';
import type { PairRules } from './plan.js';
import {
  findNearDuplicates,
  matchedCallOf,
  nearDuplicateDetail,
  type MatchedCalls,
} from './near.js';
import type { Discrepancy } from './rows.js';
import { pairSteps } from './steps.js';
import type { Tally } from './tally.js';

/** A bill row matched to a call. */
export interface Pair {
  readonly call: ChargedCall;
  readonly bill: BilledItem;
  readonly by: 'id' | 'composite';
}

/**
 * SPEC §4.2: the first rule that holds names the pair's kind.
 *
 * @returns the discrepancy, or `undefined` for a clean pair
 */
export function classifyPair(pair: Pair, rules: PairRules): Discrepancy | undefined {
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
  // SPEC §4.6: a rated pair's impact, split into what causes it.
  const mismatch = (kind: DiscrepancyKind, detail: string): Discrepancy => ({
    ...found(kind, impact, detail),
    steps: pairSteps(call, bill, rules.tariff),
  });
  const seconds = theirSeconds(bill);
  // SPEC §4.2 rule 4: a provider may state the call's length or its billed length.
  if (seconds !== undefined && seconds !== call.seconds && seconds !== call.billedSeconds) {
    const billed =
      call.billedSeconds === call.seconds ? '' : ` (${call.billedSeconds} s after increments)`;
    return mismatch(
      'DURATION_MISMATCH',
      `the bill states ${seconds} s, the call lasted ${call.seconds} s${billed}`,
    );
  }
  // Rules 5 and 7: minutes compare at the precision the bill writes them with.
  if (
    bill.billedMinutes !== undefined &&
    !minutesAgreeWithSeconds(bill.billedMinutes, call.billedSeconds)
  ) {
    return mismatch(
      'MINUTES_MISMATCH',
      `the bill charges ${formatMinutes(bill.billedMinutes)} minutes, we count ${formatSecondsAsMinutes(call.billedSeconds)}`,
    );
  }
  if (bill.unitPriceValue !== undefined && bill.unitPriceValue !== rules.priceOf[call.rateIndex]) {
    return mismatch(
      'RATE_MISMATCH',
      `the bill's price is ${bill.unitPrice ?? ''} a minute, the tariff's ${rules.priceOf[call.rateIndex] ?? ''}`,
    );
  }
  if (
    bill.packageMinutes !== undefined &&
    !minutesAgreeWithSeconds(bill.packageMinutes, call.packageSeconds)
  ) {
    return mismatch(
      'PACKAGE_MISMATCH',
      `the bill covers ${formatMinutes(bill.packageMinutes)} minutes by a package, we count ${formatSecondsAsMinutes(call.packageSeconds)}`,
    );
  }
  if (Math.abs(impact) > rules.tolerance) {
    return mismatch(
      'AMOUNT_MISMATCH',
      `the bill charges ${formatMicros(bill.amount, rules.amountDecimals)} for the same minutes and price, we rate ${formatMicros(call.amount, rules.amountDecimals)}`,
    );
  }
  return undefined;
}

/**
 * SPEC §4.1 step 1 for one bill call row, in file order: matched by id to a kept call (and
 * classified at once), a `DUPLICATE_IN_BILL` when its call is already matched, or left over
 * for composite matching.
 *
 * @param lookup - whether the row may name a call by its icid here (see {@link CallBook.find})
 * @returns the row when it is left over, else `undefined`
 */
export function matchById(
  row: BilledItem,
  book: CallBook<ChargedCall>,
  matched: Map<ChargedCall, BilledItem>,
  tally: Tally,
  rules: PairRules,
  lookup: IdLookup = 'key-or-icid',
): BilledItem | undefined {
  const call = row.callId === undefined ? undefined : book.find(row.callId, lookup);
  if (call === undefined) return row;
  if (matched.has(call)) {
    tally.discrepancies.push({
      kind: 'DUPLICATE_IN_BILL',
      call,
      bill: row,
      matchedBy: 'id',
      impact: row.amount,
      detail: 'the bill charges this call more than once; the first row is matched',
    });
    return undefined;
  }
  matched.set(call, row);
  tally.byId++;
  tally.settle(call, row, classifyPair({ call, bill: row, by: 'id' }, rules));
  tally.evidence.add(call, row, rules.tariff);
  return undefined;
}

/**
 * Whether a kept call can still be matched by composite key or must be reported when not:
 * an answered call no bill row matched by id.
 */
export function isLeftoverCall(
  call: ChargedCall,
  matched: { has(call: ChargedCall): boolean },
): boolean {
  return call.answerMs !== undefined && !matched.has(call);
}

/**
 * SPEC §4.1 steps 2–3 over what id matching left: bill rows with callerNum, privateNum and
 * answerTime match answered calls with the same numbers (a `*` matching any digit) answered
 * at most the window apart — candidate pairs in order of time difference, then bill row,
 * then call input order. Then a row still unmatched that bills a matched call again is
 * `NEAR_DUPLICATE_IN_BILL` (SPEC §4.3), every other one `MISSING_IN_CDRS`; every call
 * still unmatched in the period is `NO_TARIFF` when unrated, else `MISSING_IN_BILL` when it
 * bills seconds.
 *
 * @param rows - bill call rows left over, any order
 * @param calls - answered calls no row matched by id, any order
 * @param tally - where pairs and discrepancies go
 * @param rules - how pairs are classified
 * @param rejectedIds - callId → `file:line` of rejected bill rows, named in the detail of a
 *   call only such a row names (SPEC §2.2)
 * @param matched - the calls id matching paired, any order (read only when a row is left)
 */
export function settleLeftovers(
  rows: readonly BilledItem[],
  calls: readonly ChargedCall[],
  tally: Tally,
  rules: PairRules,
  rejectedIds: ReadonlyMap<string, string> = new Map(),
  matched: MatchedCalls = { calls: () => [] },
): void {
  const pairs = matchByComposite(rows, calls, rules.windowMs);
  const usedRows = new Set<BilledItem>();
  const usedCalls = new Set<ChargedCall>();
  for (const pair of pairs) {
    usedRows.add(pair.bill);
    usedCalls.add(pair.call);
    tally.byComposite++;
    tally.settle(pair.call, pair.bill, classifyPair(pair, rules));
    tally.evidence.add(pair.call, pair.bill, rules.tariff);
  }
  const unmatched = rows.filter((row) => !usedRows.has(row));
  const second = findNearDuplicates(unmatched, withPairs(matched, pairs));
  for (const row of unmatched) {
    const first = second.get(row);
    if (first !== undefined) {
      tally.discrepancies.push({
        kind: 'NEAR_DUPLICATE_IN_BILL',
        call: undefined,
        bill: row,
        matchedBy: '',
        impact: row.amount,
        detail: nearDuplicateDetail(first),
      });
      continue;
    }
    tally.discrepancies.push({
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
  for (const call of calls) {
    if (usedCalls.has(call) || !call.inPeriod) continue;
    if (isUnrated(call)) {
      tally.discrepancies.push({
        kind: 'NO_TARIFF',
        call,
        bill: undefined,
        matchedBy: '',
        impact: 0,
        detail: 'no rate of the tariff covers this call; it is not in our total',
      });
    } else if (call.billedSeconds > 0) {
      const rejectedAt =
        rejectedIds.get(call.callId) ??
        (call.icid === undefined ? undefined : rejectedIds.get(call.icid));
      tally.discrepancies.push({
        kind: 'MISSING_IN_BILL',
        call,
        bill: undefined,
        matchedBy: '',
        impact: -call.amount,
        detail:
          rejectedAt === undefined
            ? 'the bill has no row for this call'
            : `the bill's only row for this call, ${rejectedAt}, was rejected (see rejected.csv): its money is in bill.rejectedAmount`,
      });
    }
  }
}

/** The calls paired by id, then those paired by composite key here. */
function withPairs(matched: MatchedCalls, pairs: readonly Pair[]): MatchedCalls {
  return {
    *calls(keys, spans) {
      yield* matched.calls(keys, spans);
      for (const pair of pairs) {
        const call = matchedCallOf(pair.call, pair.bill);
        if (call !== undefined) yield call;
      }
    },
  };
}

function matchByComposite(
  rows: readonly BilledItem[],
  calls: readonly ChargedCall[],
  windowMs: number,
): Pair[] {
  const eligible = rows.filter(
    (row) =>
      row.callerNum !== undefined && row.privateNum !== undefined && row.answerMs !== undefined,
  );
  if (eligible.length === 0 || calls.length === 0) return [];
  // Calls by time bucket as wide as the window (at least a second): a row looks only at its
  // own bucket and the two beside it, however wide the window.
  const bucketMs = Math.max(1000, windowMs);
  const byBucket = new Map<number, ChargedCall[]>();
  for (const call of calls) {
    const bucket = Math.floor((call.answerMs as number) / bucketMs);
    const list = byBucket.get(bucket);
    if (list === undefined) byBucket.set(bucket, [call]);
    else list.push(call);
  }
  const candidates: { diff: number; row: BilledItem; call: ChargedCall }[] = [];
  for (const row of eligible) {
    const at = row.answerMs as number;
    const bucket = Math.floor(at / bucketMs);
    for (let b = bucket - 1; b <= bucket + 1; b++) {
      for (const call of byBucket.get(b) ?? []) {
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
  const usedCalls = new Set<ChargedCall>();
  const pairs: Pair[] = [];
  for (const { row, call } of candidates) {
    if (usedRows.has(row) || usedCalls.has(call)) continue;
    usedRows.add(row);
    usedCalls.add(call);
    pairs.push({ call, bill: row, by: 'composite' });
  }
  return pairs;
}

function sourceOf(item: { source: string; line: number } | undefined): string {
  return item === undefined ? '' : `${item.source}:${item.line}`;
}

/**
 * SPEC §5.2 order: |impact| descending, then kind, callId and billSource in byte order; the
 * CDR's source last, so the order is total and does not depend on how the input was read.
 */
export function sortDiscrepancies(discrepancies: readonly Discrepancy[]): Discrepancy[] {
  const keyed = discrepancies.map((found) => ({
    found,
    size: Math.abs(found.impact),
    callId: found.call?.callId ?? found.bill?.callId ?? '',
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
