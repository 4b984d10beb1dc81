import { conflictingFields, isRepush, type RatedCall } from './calls.js';
import type { Discrepancy } from './rows.js';

/**
 * How a bill's `callId` is looked up among kept calls: by key (`sessionId`, else `icid`)
 * then by `icid` (SPEC §4.1), or by key only.
 */
export type IdLookup = 'key-or-icid' | 'key';

/**
 * The kept calls of a set of records, deduplicated by key (SPEC §3.6): the first record of
 * a key is kept, a later equal one is a re-push, a later different one a conflict.
 *
 * @example
 * const book = new CallBook();
 * for (const call of calls) book.add(call);
 * book.kept.length; // distinct calls
 */
export class CallBook<T extends RatedCall = RatedCall> {
  /** The kept calls, in the order they were added. */
  readonly kept: T[];
  /** Re-pushes dropped. */
  duplicates = 0;
  /** One `CONFLICTING_CDR` for each record that disagrees with the kept one. */
  readonly conflicts: Discrepancy[] = [];
  /** Index in {@link kept} of each key's call. */
  private readonly byKey: Map<string, number>;
  private byIcid: Map<string, number> | undefined;

  constructor(kept: T[] = [], byKey = new Map<string, number>()) {
    this.kept = kept;
    this.byKey = byKey;
  }

  /**
   * Adds a rated record: kept, counted as a re-push, or recorded as a conflict.
   *
   * @param call - a record that passed validation
   * @returns what became of it
   */
  add(call: T): 'kept' | 'duplicate' | 'conflict' {
    const index = this.byKey.get(call.callId);
    if (index === undefined) {
      this.byKey.set(call.callId, this.kept.length);
      this.kept.push(call);
      this.byIcid = undefined;
      return 'kept';
    }
    const first = this.kept[index] as T;
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
   * @param lookup - `'key'` looks at keys only (the file engine resolves icids across
   *   partitions itself)
   */
  find(callId: string, lookup: IdLookup = 'key-or-icid'): T | undefined {
    const byKey = this.byKey.get(callId);
    if (byKey !== undefined || lookup === 'key')
      return byKey === undefined ? undefined : this.kept[byKey];
    if (this.byIcid === undefined) {
      this.byIcid = new Map();
      this.kept.forEach((call, index) => {
        const icid = call.icid;
        if (icid !== undefined && icid !== call.callId && !this.byIcid?.has(icid)) {
          this.byIcid?.set(icid, index);
        }
      });
    }
    const byIcid = this.byIcid.get(callId);
    return byIcid === undefined ? undefined : this.kept[byIcid];
  }

  /**
   * The same book with every kept call replaced by what `f` makes of it (the charged calls,
   * say), keys and counts shared: no map is built again.
   *
   * @param f - makes the new call from a kept one and its index
   * @returns the new book; this one should not be added to any more
   */
  mapKept<U extends RatedCall>(f: (call: T, index: number) => U): CallBook<U> {
    const book = new CallBook<U>(this.kept.map(f), this.byKey);
    book.duplicates = this.duplicates;
    book.conflicts.push(...this.conflicts);
    return book;
  }
}
