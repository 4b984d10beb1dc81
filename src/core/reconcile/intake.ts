import type { Issue } from '../issues.js';
import { formatAnyMicros, MicrosSum } from '../money/index.js';
import type { BillItem, CdrItem, NumberItem } from '../records.js';
import { readNumberRow, readSms } from './charge-inputs.js';
import { readAmount, readBillRow, type BilledItem, type BillRowContext } from './bill.js';
import { rateRecord, type RatedCall } from './calls.js';
import type { RunPlan } from './plan.js';
import type { InputSummary } from './summary.js';
import { Tally } from './tally.js';

/** A rejected record or row with its place in the input order (SPEC §5.3 lists them so). */
export interface RejectedAt {
  readonly role: 'cdrs' | 'bill' | 'numbers';
  /** The record's input position, as given to {@link Intake}. */
  readonly seq: number;
  readonly issue: Issue;
}

/** Orders rejected records as `rejected.csv` lists them: CDRs first, then the bill, in input order. */
export function compareRejected(a: RejectedAt, b: RejectedAt): number {
  if (a.role !== b.role) return ROLE_ORDER[a.role] - ROLE_ORDER[b.role];
  return a.seq - b.seq;
}

const ROLE_ORDER = { cdrs: 0, bill: 1, numbers: 2 } as const;

/** Per-file counts of records read and rejected, in the order files are first seen. */
export class InputCounts {
  readonly list: InputSummary[] = [];
  private readonly byPath = new Map<string, InputSummary>();

  private last: InputSummary | undefined;

  /** The entry of a file, created on first use. */
  entry(role: 'cdrs' | 'bill' | 'numbers', path: string): InputSummary {
    // Records come file by file: the last file's entry, without a key made for each.
    const last = this.last;
    if (last !== undefined && last.path === path && last.role === role) return last;
    const key = `${role}\u0000${path}`;
    let entry = this.byPath.get(key);
    if (entry === undefined) {
      entry = { role, path, records: 0, rejected: 0 };
      this.byPath.set(key, entry);
      this.list.push(entry);
    }
    this.last = entry;
    return entry;
  }
}

/**
 * The first step of every reconciliation, for the library and the file engine alike: each
 * CDR item and bill item read is counted, validated and rated, or rejected (SPEC §2, §3).
 * Nothing read is lost: a record is a rated call, a skipped event or a rejected record; a bill
 * row is a call row, another charge or a rejected row. What it counts goes into
 * {@link tally}; the file engine runs one intake a thread and merges their tallies.
 *
 * @example
 * const intake = new Intake(plan);
 * const call = intake.cdr(item, seq); // a RatedCall, or undefined (skipped or rejected)
 */
export class Intake {
  readonly tally = new Tally();
  readonly rejected: RejectedAt[] = [];
  readonly inputs = new InputCounts();
  private readonly plan: RunPlan;
  private readonly rowContext: BillRowContext;
  /** Per bill file, Σ the readable amounts since its last total row (SPEC §2.2). */
  private readonly fileSums = new Map<string, MicrosSum>();

  constructor(plan: RunPlan) {
    this.plan = plan;
    this.rowContext = {
      currency: plan.tariff.currency,
      billZone: plan.billZone,
      items: plan.items,
    };
  }

  /**
   * Takes one CDR item: a skipped event is counted, a fee record is rated (SPEC §3.1–§3.4,
   * allowances aside), a bad one is rejected.
   *
   * @param item - what a CDR reader yielded
   * @param seq - its input position (decides ties and the order of rejected records)
   * @returns the rated call, or `undefined` when the item is skipped or rejected
   */
  cdr(item: CdrItem, seq: number): RatedCall | undefined {
    const counts = this.tally.cdrs;
    if (item.type === 'skipped') {
      counts.skippedEvents++;
      return undefined;
    }
    if (item.type === 'sms') {
      counts.smsRecords++;
      this.tally.sms.push(readSms(item.sms, `${item.source}:${item.line}`));
      return undefined;
    }
    counts.records++;
    const source = item.type === 'rejected' ? item.issue.source : item.source;
    const entry = this.inputs.entry('cdrs', source);
    entry.records++;
    const checked =
      item.type === 'rejected'
        ? ({ ok: false, issue: item.issue } as const)
        : rateRecord(item.record, seq, item.source, item.line, this.plan);
    if (checked.ok) return checked.value;
    entry.rejected++;
    counts.rejected++;
    this.rejected.push({ role: 'cdrs', seq, issue: checked.issue });
    return undefined;
  }

  /**
   * Takes one bill item: validated (SPEC §2.2) and counted into `theirs` or `otherCharges`,
   * or rejected.
   *
   * @param item - what a bill reader yielded
   * @param seq - its input position
   * @returns the row when it is a usable call row, else `undefined`
   */
  bill(item: BillItem, seq: number): BilledItem | undefined {
    const tally = this.tally;
    if (item.type === 'warning') {
      tally.warnings.push(item.warning);
      return undefined;
    }
    if (item.type === 'total') {
      this.checkTotal(item.source, item.line, item.amount);
      return undefined;
    }
    tally.bill.rows++;
    const source = item.type === 'rejected' ? item.issue.source : item.source;
    const entry = this.inputs.entry('bill', source);
    entry.records++;
    const checked =
      item.type === 'rejected'
        ? ({ ok: false, issue: item.issue } as const)
        : readBillRow(item.row, seq, item.source, item.line, this.rowContext);
    if (!checked.ok) {
      entry.rejected++;
      tally.bill.rejected++;
      this.rejected.push({ role: 'bill', seq, issue: checked.issue });
      // SPEC §2.2: a rejected row's money is not hidden, nor the call it names.
      const amount = item.type === 'row' ? amountOf(item.row.amount) : undefined;
      if (amount === undefined) tally.bill.rejectedUnreadable++;
      else {
        tally.rejectedAmount.add(amount);
        this.addToFileSum(source, amount);
      }
      const callId = item.type === 'row' ? item.row.callId : undefined;
      if (callId !== undefined && callId !== '') {
        tally.rejectedIds.push([callId, `${checked.issue.source}:${checked.issue.line}`]);
      }
      return undefined;
    }
    const row = checked.value;
    tally.bill.normalisedCells += row.normalised ?? 0;
    this.addToFileSum(source, row.amount);
    tally.countBillRow(row);
    return row.isCall ? row : undefined;
  }

  /**
   * Takes one row of the numbers held (SPEC §4.5): validated into the numbers that owe rent,
   * or rejected.
   *
   * @param item - what a numbers reader yielded
   * @param seq - its input position
   */
  number(item: NumberItem, seq: number): void {
    const source = item.type === 'rejected' ? item.issue.source : item.source;
    const entry = this.inputs.entry('numbers', source);
    entry.records++;
    const checked =
      item.type === 'rejected'
        ? ({ ok: false, issue: item.issue } as const)
        : readNumberRow(item.row, item.source, item.line, this.plan.billZone);
    if (!checked.ok) {
      entry.rejected++;
      this.rejected.push({ role: 'numbers', seq, issue: checked.issue });
      return;
    }
    this.tally.numbers.push(checked.value);
  }

  private addToFileSum(source: string, micros: number): void {
    let sum = this.fileSums.get(source);
    if (sum === undefined) {
      sum = new MicrosSum();
      this.fileSums.set(source, sum);
    }
    sum.add(micros);
  }

  /** SPEC §2.2: a total row is counted, and checked against the rows above it. */
  private checkTotal(source: string, line: number, text: string | undefined): void {
    const tally = this.tally;
    tally.bill.totalRows++;
    const above = this.fileSums.get(source) ?? new MicrosSum();
    this.fileSums.delete(source);
    const stated = text === undefined ? undefined : amountOf(text);
    if (stated === undefined) return;
    const decimals = this.plan.tariff.amountDecimals;
    if (BigInt(stated) !== above.big()) {
      tally.warnings.push({
        code: 'TOTAL_ROW_MISMATCH',
        source: `${source}:${line}`,
        message: `${source}:${line}: the total row states ${formatAnyMicros(stated, decimals)} but the rows above it sum to ${above.format(decimals)}`,
      });
    }
  }
}

/** The micros of an amount cell, plain or spreadsheet-formatted; `undefined` when unreadable. */
function amountOf(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const read = readAmount(text);
  return typeof read === 'string' ? undefined : read.micros;
}
