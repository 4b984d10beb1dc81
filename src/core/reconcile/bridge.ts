/**
 * The bridge of SPEC §4.6: from our total to theirs in named steps, each the sum of what
 * the discrepancies of one cause move, so that a waterfall from `totals.ours` (and, with the
 * other charges, `invoice.ours`) ends exactly at theirs.
 */
import { MicrosSum } from '../money/index.js';
import { CHARGE_KINDS, type DiscrepancyKind } from './kinds.js';
import type { Discrepancy, PairSteps } from './rows.js';
import { BRIDGE_STEPS, type BridgeStepName } from './summary.js';

const BILLED_NOT_OURS: ReadonlySet<DiscrepancyKind> = new Set([
  'MISSING_IN_CDRS',
  'DUPLICATE_IN_BILL',
  'NEAR_DUPLICATE_IN_BILL',
  'UNANSWERED_BILLED',
  'PERIOD_MISMATCH',
  'NO_TARIFF',
]);
const CHARGES: ReadonlySet<DiscrepancyKind> = new Set(CHARGE_KINDS);
const PAIR_STEPS: readonly (keyof PairSteps & BridgeStepName)[] = [
  'duration',
  'increments',
  'rate',
  'package',
  'rounding',
];

/** One step of the bridge, in micros. */
export interface BridgeSum {
  readonly step: BridgeStepName;
  readonly amount: MicrosSum;
  count: number;
}

/**
 * Sums the discrepancies into the steps of the bridge, in SPEC §4.6's order.
 *
 * @param discrepancies - every discrepancy of the month
 * @param withinTolerance - Σ (theirs − ours) over clean pairs, and how many pairs moved it
 * @param charges - `charges.difference` (the other charges), with the rows it covers
 * @returns every step, zero ones included, in order
 * @example
 * bridgeOf(tally.discrepancies, { amount: tally.withinTolerance.value(), count: 3 }, { amount: 0, count: 0 });
 */
export function bridgeOf(
  discrepancies: readonly Discrepancy[],
  withinTolerance: { readonly amount: number | bigint; readonly count: number },
  charges: { readonly amount: number | bigint; readonly count: number },
): BridgeSum[] {
  const steps = new Map<BridgeStepName, BridgeSum>(
    BRIDGE_STEPS.map((step) => [step, { step, amount: new MicrosSum(), count: 0 }]),
  );
  const add = (name: BridgeStepName, micros: number): void => {
    const step = steps.get(name) as BridgeSum;
    step.amount.add(micros);
    step.count++;
  };
  for (const found of discrepancies) {
    if (found.kind === 'MISSING_IN_BILL') add('missing', found.impact);
    else if (BILLED_NOT_OURS.has(found.kind)) add('billedNotOurs', found.impact);
    else if (found.steps !== undefined) {
      for (const name of PAIR_STEPS) if (found.steps[name] !== 0) add(name, found.steps[name]);
    } else if (!CHARGES.has(found.kind) && found.impact !== 0) {
      // A kind without steps that moves money (none today): counted as rounding, so the
      // bridge still ends at theirs.
      add('rounding', found.impact);
    }
  }
  const tolerance = steps.get('withinTolerance') as BridgeSum;
  tolerance.amount.addSum(withinTolerance.amount);
  tolerance.count = withinTolerance.count;
  const other = steps.get('charges') as BridgeSum;
  other.amount.addSum(charges.amount);
  other.count = charges.count;
  return BRIDGE_STEPS.map((step) => steps.get(step) as BridgeSum);
}
