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
 * The answer times of the rows searched for with each key: `[earliest answer, latest answer
 * or end]` in ms. A call no row of its key can overlap lies wholly outside its key's span.
 */
export type NearSpans = ReadonlyMap<string, readonly [number, number]>;

/**
 * The matched calls of a run, read on demand: `calls(keys, spans)` gives at least every call
 * whose virtual number's {@link nearKeyOf} is in `keys` (every call when `keys` is
 * `undefined`) and, when `spans` is given, whose answered interval meets its key's span, so
 * that a source can skip the rest without reading them.
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
  const spans = new Map<string, [number, number]>();
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
    // isSecondBill: a call overlaps a row only if it meets [its answer, its end or answer].
    const answer = row.answerMs as number;
    const last = row.endMs === undefined || row.endMs < answer ? answer : row.endMs;
    const span = spans.get(key);
    if (span === undefined) spans.set(key, [answer, last]);
    else {
      span[0] = Math.min(span[0], answer);
      span[1] = Math.max(span[1], last);
    }
  }
  if (byKey.size === 0 && masked.length === 0) return found;
  const consider = (row: BilledItem, call: MatchedCall): void => {
    if (!isSecondBill(row, call)) return;
    const known = found.get(row);
    if (known === undefined || isCloser(row.answerMs as number, call, known)) found.set(row, call);
  };
  const wanted = masked.length > 0 ? undefined : new Set(byKey.keys());
  for (const call of matched.calls(wanted, wanted === undefined ? undefined : spans)) {
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
