import type { Issue } from '../issues.js';
import { compareBytes } from '../order.js';
import { formatAnyMicros, formatSecondsAsMinutes, MicrosSum } from '../money/index.js';
import type { BilledItem } from './bill.js';
import type { ChargedCall } from './calls.js';
import { actionOf, CHARGE_KINDS, DISCREPANCY_KINDS, type DiscrepancyKind } from './kinds.js';
import { settleLeftovers, sortDiscrepancies } from './match.js';
import type { MatchedCalls } from './near.js';
import type { RunPlan } from './plan.js';
import { toDiscrepancyRow } from './rows.js';
import type {
  ChargeItemSummary,
  InputSummary,
  KindSummary,
  ReconcileResult,
  Summary,
} from './summary.js';
import type { RunWarning } from './warnings.js';
import { compareWarnings, judgeInputs } from './doubts.js';
import { bridgeOf } from './bridge.js';
import { inferPolicy } from './infer-policy.js';
import { checkCharges } from './charges.js';
import { Tally, type TallyData } from './tally.js';

/** Everything a month's last step needs: the parts' tallies and what id matching left. */
export interface FinishInput {
  /** The month, `YYYY-MM`, as given. */
  readonly period: string;
  /** Every part's counts, sums and discrepancies (intakes and reconcilers), any order. */
  readonly tallies: readonly TallyData[];
  /** Bill call rows no call matched by id, any order (sorted here by input position). */
  readonly leftoverRows: readonly BilledItem[];
  /** Answered calls no row matched by id, any order (sorted here by input position). */
  readonly leftoverCalls: readonly ChargedCall[];
  /**
   * The answered calls id matching paired, any order: a bill row left over that bills one
   * again is a near-duplicate (SPEC §4.3). Read once, and only when rows are left over.
   */
  readonly matched?: MatchedCalls | undefined;
  /** Per-file counts, in the order to list them. */
  readonly inputs: InputSummary[];
  /** What could not be used, in input order. */
  readonly rejected: readonly Issue[];
  /** The kept calls of the period, in input order (`rated.csv`); may be empty when streamed. */
  readonly ratedCalls: readonly ChargedCall[];
  /** Whether a list of the numbers held was given (SPEC §4.5): then rent is checked by number. */
  readonly hasNumbers?: boolean | undefined;
  /** Warnings found while reading (SPEC §2.4), in the order found. */
  readonly warnings?: readonly RunWarning[] | undefined;
}

/**
 * The month's last step (SPEC §4.1 steps 2–3, §4.4, §5.1): what id matching left is matched
 * by caller, number and time over the whole month, the rest reported missing, and the
 * books closed — the summary with its balance check, and the discrepancies sorted as §5.2
 * says.
 *
 * @param plan - the run's plan
 * @param input - the parts' tallies and leftovers
 * @returns the result of the reconciliation
 * @example
 * const result = finishRun(plan, { period: '2026-10', tallies, leftoverRows, leftoverCalls,
 *   inputs, rejected, ratedCalls });
 */
export function finishRun(plan: RunPlan, input: FinishInput): ReconcileResult {
  const tally = new Tally();
  for (const part of input.tallies) tally.merge(part);
  const bySeq = (a: { seq: number }, b: { seq: number }): number => a.seq - b.seq;
  // SPEC §2.2: a call that only a rejected row names says which row.
  const rejectedIds = new Map<string, string>();
  for (const [callId, where] of [...tally.rejectedIds].sort(compareRejectedId)) {
    if (!rejectedIds.has(callId)) rejectedIds.set(callId, where);
  }
  settleLeftovers(
    [...input.leftoverRows].sort(bySeq),
    [...input.leftoverCalls].sort(bySeq),
    tally,
    plan.rules,
    rejectedIds,
    input.matched,
  );
  const tariff = plan.tariff;
  // SPEC §4.5: the rest of the invoice.
  const charges = checkCharges(
    tally,
    plan,
    input.hasNumbers ?? input.inputs.some((entry) => entry.role === 'numbers'),
  );
  for (const found of charges.discrepancies) tally.discrepancies.push(found);
  const byKind = new Map<DiscrepancyKind, { count: number; impact: MicrosSum }>(
    DISCREPANCY_KINDS.map((kind) => [kind, { count: 0, impact: new MicrosSum() }]),
  );
  const explained = new MicrosSum();
  const chargesExplained = new MicrosSum();
  const claimable = new MicrosSum();
  const underBilled = new MicrosSum();
  const chargeKinds: ReadonlySet<DiscrepancyKind> = new Set(CHARGE_KINDS);
  for (const found of tally.discrepancies) {
    const entry = byKind.get(found.kind) as { count: number; impact: MicrosSum };
    entry.count++;
    entry.impact.add(found.impact);
    (chargeKinds.has(found.kind) ? chargesExplained : explained).add(found.impact);
    // SPEC §4.4: what to claim back, and what the bill charges too little.
    const action = actionOf(found.kind, found.impact);
    if (action === 'claim') claimable.add(found.impact);
    else if (action === 'note' && found.impact < 0) underBilled.add(-found.impact);
  }
  // SPEC §4.4: the books must balance.
  const difference = tally.theirs.big() - tally.ours.big();
  const unexplained = difference - explained.big() - tally.withinTolerance.big();
  const chargesOurs = charges.ours.big();
  const chargesDifference = tally.otherCharges.big() - chargesOurs;
  const chargesUnexplained = chargesDifference - chargesExplained.big();
  const money = (micros: number | bigint | MicrosSum): string =>
    micros instanceof MicrosSum
      ? micros.format(tariff.amountDecimals)
      : formatAnyMicros(micros, tariff.amountDecimals);
  const byItem: Record<string, ChargeItemSummary> = {};
  for (const [item, entry] of charges.byItem) {
    byItem[item] = { theirs: money(entry.theirs), ours: money(entry.ours), rows: entry.rows };
  }
  const chargeRows = tally.discrepancies.filter((d) => chargeKinds.has(d.kind)).length;
  const invoiceTheirs = tally.theirs.big() + tally.otherCharges.big();
  const invoiceOurs = tally.ours.big() + chargesOurs;
  const doubts = judgeInputs({
    tally,
    plan,
    unmatchedRows: tally.discrepancies.flatMap((d) =>
      d.kind === 'MISSING_IN_CDRS' && d.bill !== undefined ? [d.bill] : [],
    ),
    unmatchedCalls: tally.discrepancies.flatMap((d) =>
      (d.kind === 'MISSING_IN_BILL' || d.kind === 'NO_TARIFF') &&
      d.bill === undefined &&
      d.call !== undefined
        ? [d.call as ChargedCall]
        : [],
    ),
    invoiceTheirs,
  });
  const warnings = [...(input.warnings ?? []), ...tally.warnings, ...doubts.warnings].sort(
    compareWarnings,
  );
  const summary: Summary = {
    schemaVersion: 1,
    period: input.period,
    timezone: plan.reportZone.name,
    currency: tariff.currency,
    inputs: input.inputs,
    cdrs: { ...tally.cdrs },
    bill: { ...tally.bill, rejectedAmount: money(tally.rejectedAmount) },
    matched: { byId: tally.byId, byComposite: tally.byComposite, clean: tally.clean },
    discrepancies: Object.fromEntries(
      DISCREPANCY_KINDS.map((kind) => {
        const entry = byKind.get(kind) as { count: number; impact: MicrosSum };
        return [kind, { count: entry.count, impact: money(entry.impact) }];
      }),
    ) as Record<DiscrepancyKind, KindSummary>,
    totals: {
      ours: money(tally.ours),
      theirs: money(tally.theirs),
      otherCharges: money(tally.otherCharges),
      difference: money(difference),
      explained: money(explained),
      withinTolerance: money(tally.withinTolerance),
      unexplained: money(unexplained),
      claimable: money(claimable),
      underBilled: money(underBilled),
    },
    minutes: { ours: formatSecondsAsMinutes(tally.oursSeconds), theirs: tally.minutesTheirsText() },
    warnings,
    charges: {
      theirs: money(tally.otherCharges),
      ours: money(chargesOurs),
      difference: money(chargesDifference),
      explained: money(chargesExplained),
      unexplained: money(chargesUnexplained),
      byItem,
      checked: charges.checked,
    },
    invoice: {
      theirs: money(invoiceTheirs),
      ours: money(invoiceOurs),
      difference: money(invoiceTheirs - invoiceOurs),
    },
    explanation: {
      bridge: bridgeOf(
        tally.discrepancies,
        { amount: tally.withinTolerance.value(), count: tally.toleranceMoves },
        { amount: chargesDifference, count: chargeRows },
      ).map((step) => ({ step: step.step, amount: money(step.amount), count: step.count })),
    },
    inferred: inferPolicy({
      evidence: tally.evidence.toData(),
      tariff,
      reportZone: plan.reportZone,
      period: plan.period,
      discrepancies: tally.discrepancies,
      offset: doubts.offset,
    }),
  };
  const rowContext = { tariff, zone: plan.reportZone };
  return {
    summary,
    discrepancies: sortDiscrepancies(tally.discrepancies).map((found) =>
      toDiscrepancyRow(found, rowContext),
    ),
    rejected: input.rejected,
    ratedCalls: input.ratedCalls,
    balanced: unexplained === 0n && chargesUnexplained === 0n,
  };
}

function compareRejectedId(a: readonly [string, string], b: readonly [string, string]): number {
  if (a[0] !== b[0]) return compareBytes(a[0], b[0]);
  const [fileA, lineA] = splitWhere(a[1]);
  const [fileB, lineB] = splitWhere(b[1]);
  return fileA !== fileB ? compareBytes(fileA, fileB) : lineA - lineB;
}

function splitWhere(where: string): [string, number] {
  const colon = where.lastIndexOf(':');
  return [where.slice(0, colon), Number(where.slice(colon + 1))];
}
