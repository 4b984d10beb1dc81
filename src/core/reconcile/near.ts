import { isSamePhone } from '../phone.js';
import type { BilledItem } from './bill.js';
import type { ChargedCall } from './calls.js';

/**
 * A call matched to a bill row, as the search for one call billed twice needs it (SPEC
 * §4.3 `NEAR_DUPLICATE_IN_BILL`): its numbers, its answered interval, and where its row is.
 */
export interface MatchedCall {
  /** The call's input position: ties go to the earlier call. */
  readonly seq: number;
  /** Its key: `sessionId`, or `icid` without one. */
  readonly callId: string;
  readonly callerNum: string;
  readonly bindNum: string;
  readonly fwdDstNum: string;
  readonly answerMs: number;
  readonly endMs: number;
  /** The `file:line` of the bill row it is matched to. */
  readonly billAt: string;
}

/**
 * A matched pair as {@link findNearDuplicates} reads it, or `undefined` for a call that was
 * never answered (it has no answered interval to overlap).
 *
 * @param call - the pair's call
 * @param row - the pair's bill row
 */
export function matchedCallOf(call: ChargedCall, row: BilledItem): MatchedCall | undefined {
  if (call.answerMs === undefined) return undefined;
  return {
    seq: call.seq,
    callId: call.callId,
    callerNum: call.callerNum,
    bindNum: call.bindNum,
    fwdDstNum: call.fwdDstNum,
    answerMs: call.answerMs,
    endMs: call.endMs,
    billAt: `${row.source}:${row.line}`,
  };
}

/**
 * When the rows searched for with each key were answered: for each key, the intervals
 * `[answer, end or answer]` of its rows, in ms, merged where they meet, in order, flat
 * (`[from0, to0, from1, to1, …]`). A call that meets none of its key's intervals is a second
 * bill of none of them (see {@link meetsNearSpan}).
 */
export type NearSpans = ReadonlyMap<string, readonly number[]>;

/**
 * Whether a call answered at `answerMs` and ended at `endMs` may overlap a row of a key
 * whose intervals are `span` (see {@link NearSpans}): some interval begins by the call's end
 * and ends at its answer or after. Binary search: no allocation, whatever the rows.
 *
 * @param span - a key's merged intervals, flat
 * @param answerMs - the call's answer
 * @param endMs - the call's end
 * @returns `false` only when no row of the key can be a second bill of the call
 * @example
 * meetsNearSpan([0, 60_000], 30_000, 90_000); // true
 * meetsNearSpan([0, 60_000], 61_000, 90_000); // false
 */
export function meetsNearSpan(span: readonly number[], answerMs: number, endMs: number): boolean {
  // The last interval that begins by endMs: ends are in order too, so it ends the latest.
  let low = 0;
  let high = span.length / 2 - 1;
  let last = -1;
  while (low <= high) {
    const mid = (low + high) >> 1;
    if ((span[2 * mid] as number) <= endMs) {
      last = mid;
      low = mid + 1;
    } else {
      high = mid - 1;
    }
  }
  return last >= 0 && (span[2 * last + 1] as number) >= answerMs;
}

/**
 * What a call must meet to be billed again by a row (see isSecondBill): `[its answer, its
 * end]`, or its answer alone when it has no end or ends before it.
 */
function answeredSpan(row: BilledItem): number[] {
  const answer = row.answerMs as number;
  return [answer, row.endMs === undefined || row.endMs < answer ? answer : row.endMs];
}

/** Intervals `[from, to]` merged where they meet, in order, flat. */
export function mergedIntervals(intervals: number[][]): number[] {
  intervals.sort((a, b) => (a[0] as number) - (b[0] as number));
  const out: number[] = [];
  for (const [from, to] of intervals as [number, number][]) {
    const n = out.length;
    if (n > 0 && from <= (out[n - 1] as number)) out[n - 1] = Math.max(out[n - 1] as number, to);
    else out.push(from, to);
  }
  return out;
}

/**
 * The matched calls of a run, read on demand: `calls(keys, spans)` gives at least every call
 * whose virtual number's {@link nearKeyOf} is in `keys` (every call when `keys` is
 * `undefined`) and, when `spans` is given, whose answered interval meets one of its key's
 * ({@link meetsNearSpan}), so that a source can skip the rest without reading them.
 */
export interface MatchedCalls {
  calls(keys: ReadonlySet<string> | undefined, spans?: NearSpans): Iterable<MatchedCall>;
}

/** How many trailing characters of the private number key the search. */
const KEY_LENGTH = 4;

/**
 * The key a number is looked up by: its last four characters (masked numbers keep them
 * mostly, as portals show `+86138****0021`).
 */
export function nearKeyOf(number: string): string {
  return number.slice(-KEY_LENGTH);
}

/**
 * The matched calls of id-matched pairs, read on demand (every call, whatever the keys).
 *
 * @param pairs - each matched call with its bill row, as `Settled.pairs` holds them
 */
export function matchedCallsOfPairs(pairs: ReadonlyMap<ChargedCall, BilledItem>): MatchedCalls {
  return {
    *calls() {
      for (const [call, row] of pairs) {
        const matched = matchedCallOf(call, row);
        if (matched !== undefined) yield matched;
      }
    },
  };
}

/**
 * Whether a bill row can be a second bill of a call at all: it names the caller and the
 * private number, and says when the call was answered. A row with no times never is: an
 * automatic redial makes a second record with another id, the same numbers and blank
 * times (the platform documents it), and it is billed as the call it is.
 */
export function mayBeNearDuplicate(row: BilledItem): boolean {
  return row.callerNum !== undefined && row.privateNum !== undefined && row.answerMs !== undefined;
}

/** Whether a row is a second bill of a matched call: same numbers, overlapping in time. */
function isSecondBill(row: BilledItem, call: MatchedCall): boolean {
  const answer = row.answerMs as number;
  // SPEC §4.3: the row's [answerTime, endTime] overlaps the call's answered interval; a row
  // without an end overlaps when its answer lies in the interval.
  const overlaps =
    row.endMs === undefined || row.endMs < answer
      ? answer >= call.answerMs && answer <= call.endMs
      : answer <= call.endMs && row.endMs >= call.answerMs;
  if (!overlaps) return false;
  if (!isSamePhone(row.callerNum as string, call.callerNum)) return false;
  if (!isSamePhone(row.privateNum as string, call.bindNum)) return false;
  const callee = row.calleeNum;
  return (
    callee === undefined ||
    callee === '' ||
    call.fwdDstNum === '' ||
    isSamePhone(callee, call.fwdDstNum)
  );
}

/** Whether `a` is a better match for a row answered at `at` than `b`. */
function isCloser(at: number, a: MatchedCall, b: MatchedCall): boolean {
  const da = Math.abs(at - a.answerMs);
  const db = Math.abs(at - b.answerMs);
  return da < db || (da === db && a.seq < b.seq);
}

/**
 * SPEC §4.3: which of the bill rows no call matched are a second bill of a matched call —
 * the same caller and private number (and callee, when both sides have one), answered
 * within the call's answered interval. Each such row gets the closest call by answer time
 * (then the earlier call); the result does not depend on the order of `matched`.
 *
 * @param rows - bill call rows no call matched, by id or composite key
 * @param matched - the matched pairs' calls, any order (read once, only when a row may be
 *   a near-duplicate)
 * @returns each near-duplicate row with the call it bills again
 * @example
 * const second = findNearDuplicates(unmatchedRows, matchedCalls);
 * second.get(row)?.billAt; // 'bill.csv:12', the row that bills the call first
 */
export function findNearDuplicates(
  rows: readonly BilledItem[],
  matched: MatchedCalls,
): Map<BilledItem, MatchedCall> {
  const found = new Map<BilledItem, MatchedCall>();
  const byKey = new Map<string, BilledItem[]>();
  const masked: BilledItem[] = [];
  for (const row of rows) {
    if (!mayBeNearDuplicate(row)) continue;
    const key = nearKeyOf(row.privateNum as string);
    if (key.includes('*')) {
      masked.push(row);
      continue;
    }
    const list = byKey.get(key);
    if (list === undefined) byKey.set(key, [row]);
    else list.push(row);
  }
  if (byKey.size === 0 && masked.length === 0) return found;
  const consider = (row: BilledItem, call: MatchedCall): void => {
    if (!isSecondBill(row, call)) return;
    const known = found.get(row);
    if (known === undefined || isCloser(row.answerMs as number, call, known)) found.set(row, call);
  };
  const wanted = masked.length > 0 ? undefined : new Set(byKey.keys());
  const spans =
    wanted === undefined
      ? undefined
      : new Map([...byKey].map(([key, list]) => [key, mergedIntervals(list.map(answeredSpan))]));
  for (const call of matched.calls(wanted, spans)) {
    const list = byKey.get(nearKeyOf(call.bindNum));
    if (list !== undefined) for (const row of list) consider(row, call);
    for (const row of masked) consider(row, call);
  }
  return found;
}

/**
 * The `detail` of a near-duplicate row (SPEC §4.3): the row that bills the call first, and
 * the call's id.
 */
export function nearDuplicateDetail(call: MatchedCall): string {
  return `the same call as ${call.billAt} (sessionId ${call.callId}), billed again under another id`;
}
