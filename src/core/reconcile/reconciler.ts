import type { BilledItem } from './bill.js';
import { CallBook, type IdLookup } from './book.js';
import type { ChargedCall, RatedCall } from './calls.js';
import { chargeCall, chargeCalls, compareAllowanceOrder, drawsOnAllowances } from './charge.js';
import { isLeftoverCall, matchById } from './match.js';
import type { RunPlan } from './plan.js';
import { Tally, type TallyData } from './tally.js';

/** A kept call that draws on allowances, with its index among the kept calls. */
export interface DrawingCall {
  readonly call: RatedCall;
  readonly index: number;
}

/** What a {@link Reconciler} leaves for the month's last step (see `finishRun`). */
export interface Settled {
  /** Its counts, sums and discrepancies. */
  readonly tally: TallyData;
  /** Bill call rows no call matched by id, in the order they were given. */
  readonly leftoverRows: BilledItem[];
  /** Answered calls no row matched by id, in input order. */
  readonly leftoverCalls: ChargedCall[];
  /** Every kept call, charged, in input order. */
  readonly calls: readonly ChargedCall[];
  /** The pairs id matching made: each matched call with its row. */
  readonly pairs: ReadonlyMap<ChargedCall, BilledItem>;
}

/**
 * The reconciliation of a set of calls and the bill rows that name them, for the library
 * and the file engine alike (SPEC §3.5–§4.2). The library runs one over the whole month;
 * the file engine one per partition of call ids, on worker threads.
 *
 * In order: {@link add} every rated call (in input order) — re-pushes are dropped and
 * conflicts noted (SPEC §3.6); {@link charge} the kept calls, with the package seconds a
 * month-wide pass gave ({@link drawing} lists what draws) or, for a whole month, drawing the
 * allowances here; {@link match} every bill call row (in file order) by id, classifying each
 * pair at once (SPEC §4.1–§4.2); {@link settle} to count the kept calls and hand over what id
 * matching left.
 *
 * @example
 * const reconciler = new Reconciler(plan);
 * for (const call of calls) reconciler.add(call);
 * reconciler.charge();
 * for (const row of rows) reconciler.match(row);
 * const settled = reconciler.settle();
 */
export class Reconciler {
  readonly tally = new Tally();
  private readonly plan: RunPlan;
  private book: CallBook<RatedCall> | undefined = new CallBook();
  private charged: CallBook<ChargedCall> | undefined;
  private readonly matched = new Map<ChargedCall, BilledItem>();
  private readonly leftoverRows: BilledItem[] = [];

  constructor(plan: RunPlan) {
    this.plan = plan;
  }

  /**
   * Adds a rated call: kept, a re-push, or a conflict with the kept one.
   *
   * @param call - a call from `Intake.cdr` (or `rateRecord`), in input order
   * @returns what became of it
   */
  add(call: RatedCall): 'kept' | 'duplicate' | 'conflict' {
    if (this.book === undefined) throw new RangeError('calls are added before charge()');
    return this.book.add(call);
  }

  /**
   * The kept calls that draw on allowances, in the order they consume them (SPEC §3.5).
   *
   * @returns each with its index among the kept calls, for {@link charge}
   */
  drawing(): DrawingCall[] {
    const drawing: DrawingCall[] = [];
    this.book?.kept.forEach((call, index) => {
      if (drawsOnAllowances(call)) drawing.push({ call, index });
    });
    return drawing.sort((a, b) => compareAllowanceOrder(a.call, b.call));
  }

  /**
   * Gives every kept call its final money (SPEC §3.4).
   *
   * @param packageSeconds - `[index of kept call, seconds]` from a month-wide allowance
   *   pass over {@link drawing}; without it the allowances are drawn here, as for a whole
   *   month
   */
  charge(packageSeconds?: Iterable<readonly [number, number]>): void {
    const book = this.book;
    if (book === undefined) throw new RangeError('charge() is called once');
    const tariff = this.plan.tariff;
    if (packageSeconds === undefined) {
      const charged = chargeCalls(book.kept, tariff);
      this.charged = book.mapKept((_, index) => charged[index] as ChargedCall);
    } else {
      const seconds = new Map(packageSeconds);
      this.charged = book.mapKept((call, index) =>
        chargeCall(call, seconds.get(index) ?? 0, tariff),
      );
    }
    this.book = undefined;
    this.tally.cdrs.duplicates += book.duplicates;
    this.tally.cdrs.conflicts += book.conflicts.length;
    this.tally.discrepancies.push(...book.conflicts);
  }

  /**
   * Matches one bill call row by id (SPEC §4.1 step 1) and classifies the pair, or keeps the
   * row for matching by caller, number and time.
   *
   * @param row - a call row from `Intake.bill`, in file order
   * @param lookup - `'key'` when the row's id cannot be an icid of a call here (the file
   *   engine sends such rows to the partition of their call)
   */
  match(row: BilledItem, lookup: IdLookup = 'key-or-icid'): void {
    const book = this.charged;
    if (book === undefined) throw new RangeError('bill rows are matched after charge()');
    const left = matchById(row, book, this.matched, this.tally, this.plan.rules, lookup);
    if (left !== undefined) this.leftoverRows.push(left);
  }

  /**
   * Counts the kept calls into the period's counts and `ours` (SPEC §4.4) and hands over
   * what id matching left.
   */
  settle(): Settled {
    const book = this.charged;
    if (book === undefined) throw new RangeError('settle() comes after charge()');
    const leftoverCalls: ChargedCall[] = [];
    for (const call of book.kept) {
      this.tally.countKeptCall(call);
      if (isLeftoverCall(call, this.matched)) leftoverCalls.push(call);
    }
    return {
      tally: this.tally.toData(),
      leftoverRows: this.leftoverRows,
      leftoverCalls,
      calls: book.kept,
      pairs: this.matched,
    };
  }
}
