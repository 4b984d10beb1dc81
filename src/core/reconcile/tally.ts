import { MicrosSum, MinutesSum, type Minutes } from '../money/index.js';
import type { BilledItem } from './bill.js';
import { isUnrated, type ChargedCall } from './calls.js';
import type { Discrepancy } from './rows.js';
import type { RunWarning } from './warnings.js';
import { PolicyEvidence, type PolicyEvidenceData } from './infer.js';

/** Counts of the CDR side (SPEC §5.1 `cdrs`). */
export interface CdrCounts {
  records: number;
  skippedEvents: number;
  duplicates: number;
  conflicts: number;
  rejected: number;
  kept: number;
  inPeriod: number;
  answeredInPeriod: number;
  unrated: number;
  smsRecords: number;
}

/** Counts of the bill side (SPEC §5.1 `bill`). */
export interface BillCounts {
  rows: number;
  callRows: number;
  otherRows: number;
  rejected: number;
  totalRows: number;
  normalisedCells: number;
  rejectedUnreadable: number;
}

/** A {@link Tally} as plain data, to move between threads or sum up partitions. */
export interface TallyData {
  readonly discrepancies: readonly Discrepancy[];
  readonly cdrs: CdrCounts;
  readonly bill: BillCounts;
  readonly byId: number;
  readonly byComposite: number;
  readonly clean: number;
  /** Sums in micros (a bigint past 2^53). */
  readonly ours: number | bigint;
  readonly theirs: number | bigint;
  readonly otherCharges: number | bigint;
  readonly withinTolerance: number | bigint;
  /** Clean pairs whose amounts differ (within the tolerance). */
  readonly toleranceMoves: number;
  readonly rejectedAmount: number | bigint;
  /** Σ billedSeconds of the calls in `ours`. */
  readonly oursSeconds: number;
  /** Σ stated billedMinutes of the bill's call rows, exact. */
  readonly minutesTheirs: Minutes | undefined;
  /** The bill's non-call rows by item: `[item, Σ amount in micros, rows]`. */
  readonly otherByItem: readonly (readonly [string, number | bigint, number])[];
  /** What the inputs look like (SPEC §2.4), in the order noticed. */
  readonly warnings: readonly RunWarning[];
  /** `[callId, file:line]` of rejected bill rows that name a call (SPEC §2.2). */
  readonly rejectedIds: readonly (readonly [string, string])[];
  /** What the matched pairs say of the provider's policy (SPEC §4.7). */
  readonly evidence: PolicyEvidenceData;
  /** SPEC §4.5: SMS notifications read, numbers held, and the bill's non-call rows. */
  readonly sms: readonly SmsSeen[];
  readonly numbers: readonly NumberHeld[];
  readonly otherRows: readonly BilledItem[];
}

/** An SMS notification as read: `[smsIdentifier, virtualNumber, epoch ms, parts, sent, file:line]`. */
export type SmsSeen = readonly [string, string, number | undefined, number, boolean, string];

/** A number held: `[number, orderedAt ms, releasedAt ms, file:line]`. */
export type NumberHeld = readonly [string, number | undefined, number | undefined, string];

/**
 * Everything a reconciliation counts and sums on its way (SPEC §4.4, §5.1). Sums are exact
 * integers of micros at any size ({@link MicrosSum}), so partial tallies of partitions add up
 * to the same result in any order.
 */
export class Tally {
  readonly discrepancies: Discrepancy[] = [];
  readonly warnings: RunWarning[] = [];
  readonly rejectedIds: (readonly [string, string])[] = [];
  readonly evidence = new PolicyEvidence();
  readonly sms: SmsSeen[] = [];
  readonly numbers: NumberHeld[] = [];
  readonly otherRows: BilledItem[] = [];
  readonly cdrs: CdrCounts = {
    records: 0,
    skippedEvents: 0,
    duplicates: 0,
    conflicts: 0,
    rejected: 0,
    kept: 0,
    inPeriod: 0,
    answeredInPeriod: 0,
    unrated: 0,
    smsRecords: 0,
  };
  readonly bill: BillCounts = {
    rows: 0,
    callRows: 0,
    otherRows: 0,
    rejected: 0,
    totalRows: 0,
    normalisedCells: 0,
    rejectedUnreadable: 0,
  };
  /** Σ the amounts of rejected bill rows whose amount could be read. */
  readonly rejectedAmount = new MicrosSum();
  /** The bill's non-call rows by item, in the order items are first seen. */
  readonly otherByItem = new Map<string, { theirs: MicrosSum; rows: number }>();
  byId = 0;
  byComposite = 0;
  clean = 0;
  readonly ours = new MicrosSum();
  readonly theirs = new MicrosSum();
  readonly otherCharges = new MicrosSum();
  readonly withinTolerance = new MicrosSum();
  toleranceMoves = 0;
  oursSeconds = 0;
  private minutesTheirs = new MinutesSum();
  private hasMinutes = false;

  /** Counts a usable bill row into `theirs`, `otherCharges` and the stated minutes. */
  countBillRow(row: BilledItem): void {
    if (!row.isCall) {
      this.otherRows.push(row);
      this.bill.otherRows++;
      this.otherCharges.add(row.amount);
      this.addOther(row.item, row.amount, 1);
      return;
    }
    this.bill.callRows++;
    this.theirs.add(row.amount);
    if (row.billedMinutes !== undefined) this.addMinutes(row.billedMinutes);
  }

  private addOther(item: string, amount: number | bigint, rows: number): void {
    let entry = this.otherByItem.get(item);
    if (entry === undefined) {
      entry = { theirs: new MicrosSum(), rows: 0 };
      this.otherByItem.set(item, entry);
    }
    entry.theirs.addSum(amount);
    entry.rows += rows;
  }

  private addMinutes(minutes: Minutes): void {
    this.minutesTheirs.add(minutes);
    this.hasMinutes = true;
  }

  /** Records the outcome of a classified pair: a discrepancy, or a clean pair. */
  settle(call: ChargedCall, bill: BilledItem, found: Discrepancy | undefined): void {
    if (found !== undefined) {
      this.discrepancies.push(found);
      return;
    }
    this.clean++;
    const difference = bill.amount - oursOf(call);
    this.withinTolerance.add(difference);
    if (difference !== 0) this.toleranceMoves++;
  }

  /**
   * Counts a kept call into the period counts and `ours` (SPEC §4.4): in period, answered and
   * rated calls are our side of the books.
   */
  countKeptCall(call: ChargedCall): void {
    this.cdrs.kept++;
    if (!call.inPeriod) return;
    this.cdrs.inPeriod++;
    if (call.answerMs === undefined) return;
    this.cdrs.answeredInPeriod++;
    if (isUnrated(call)) {
      this.cdrs.unrated++;
      return;
    }
    this.ours.add(call.amount);
    this.oursSeconds += call.billedSeconds;
  }

  /** The tally as plain data. */
  toData(): TallyData {
    return {
      discrepancies: this.discrepancies,
      cdrs: { ...this.cdrs },
      bill: { ...this.bill },
      byId: this.byId,
      byComposite: this.byComposite,
      clean: this.clean,
      ours: this.ours.value(),
      theirs: this.theirs.value(),
      otherCharges: this.otherCharges.value(),
      withinTolerance: this.withinTolerance.value(),
      toleranceMoves: this.toleranceMoves,
      rejectedAmount: this.rejectedAmount.value(),
      oursSeconds: this.oursSeconds,
      minutesTheirs: this.hasMinutes ? this.minutesTheirs.toMinutes() : undefined,
      otherByItem: [...this.otherByItem].map(
        ([item, entry]) => [item, entry.theirs.value(), entry.rows] as const,
      ),
      warnings: this.warnings,
      rejectedIds: this.rejectedIds,
      evidence: this.evidence.toData(),
      sms: this.sms,
      numbers: this.numbers,
      otherRows: this.otherRows,
    };
  }

  /** Adds another tally's counts, sums and discrepancies to this one. */
  merge(other: TallyData): void {
    for (const found of other.discrepancies) this.discrepancies.push(found);
    for (const warning of other.warnings) this.warnings.push(warning);
    for (const entry of other.rejectedIds) this.rejectedIds.push(entry);
    this.evidence.merge(other.evidence);
    for (const sms of other.sms) this.sms.push(sms);
    for (const held of other.numbers) this.numbers.push(held);
    for (const row of other.otherRows) this.otherRows.push(row);
    for (const key of Object.keys(this.cdrs) as (keyof CdrCounts)[])
      this.cdrs[key] += other.cdrs[key];
    for (const key of Object.keys(this.bill) as (keyof BillCounts)[])
      this.bill[key] += other.bill[key];
    this.byId += other.byId;
    this.byComposite += other.byComposite;
    this.clean += other.clean;
    this.ours.addSum(other.ours);
    this.theirs.addSum(other.theirs);
    this.otherCharges.addSum(other.otherCharges);
    this.withinTolerance.addSum(other.withinTolerance);
    this.toleranceMoves += other.toleranceMoves;
    this.rejectedAmount.addSum(other.rejectedAmount);
    this.oursSeconds += other.oursSeconds;
    if (other.minutesTheirs !== undefined) this.addMinutes(other.minutesTheirs);
    for (const [item, theirs, rows] of other.otherByItem) this.addOther(item, theirs, rows);
  }

  /** The stated minutes of the bill, summed exactly. */
  minutesTheirsText(): string {
    return this.minutesTheirs.toString();
  }
}

/** Our amount of a call as it counts in `totals.ours`: in period, answered and rated. */
export function oursOf(call: ChargedCall): number {
  return call.inPeriod && call.answerMs !== undefined && call.rateIndex >= 0 ? call.amount : 0;
}
