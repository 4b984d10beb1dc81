import { conflictingFields, isRepush, type RatedCall } from './calls.js';
import type { Discrepancy } from './rows.js';

/**
 * The kept calls of a set of records, deduplicated by key (SPEC §3.6): the first record of
 * a key is kept, a later equal one is a re-push, a later different one a conflict.
 *
 * @example
 * const book = new CallBook();
 * for (const call of calls) book.add(call);
 * book.kept.length; // distinct calls
 */
export class CallBook {
  /** The kept calls, in the order they were added. */
  readonly kept: RatedCall[] = [];
  /** Re-pushes dropped. */
  duplicates = 0;
  /** One `CONFLICTING_CDR` for each record that disagrees with the kept one. */
  readonly conflicts: Discrepancy[] = [];
  private readonly byKey = new Map<string, RatedCall>();
  private byIcid: Map<string, RatedCall> | undefined;

  /**
   * Adds a rated record: kept, counted as a re-push, or recorded as a conflict.
   *
   * @param call - a record that passed validation
   * @returns what became of it
   */
  add(call: RatedCall): 'kept' | 'duplicate' | 'conflict' {
    const first = this.byKey.get(call.callId);
    if (first === undefined) {
      this.byKey.set(call.callId, call);
      this.kept.push(call);
      this.byIcid = undefined;
      return 'kept';
    }
    if (isRepush(first, call)) {
      this.duplicates++;
      return 'duplicate';
    }
    this.conflicts.push({
      kind: 'CONFLICTING_CDR',
      call,
      bill: undefined,
      matchedBy: '',
      impact: 0,
      detail: `differs from the first record of the call (${first.source}:${first.line}) in ${conflictingFields(first, call).join(', ')}; the first is used`,
    });
    return 'conflict';
  }

  /**
   * The kept call a bill's `callId` names: its key (`sessionId`, else `icid`) first, else its
   * `icid` (SPEC §4.1). The icid index is built only when a key lookup first misses.
   *
   * @param callId - the bill's `callId`
   * @param byIcid - `false` looks at keys only (the file engine resolves icids across
   *   partitions itself)
   */
  find(callId: string, byIcid = true): RatedCall | undefined {
    const byKey = this.byKey.get(callId);
    if (byKey !== undefined || !byIcid) return byKey;
    if (this.byIcid === undefined) {
      this.byIcid = new Map();
      for (const call of this.kept) {
        if (call.icid !== undefined && call.icid !== call.callId && !this.byIcid.has(call.icid)) {
          this.byIcid.set(call.icid, call);
        }
      }
    }
    return this.byIcid.get(callId);
  }
}
