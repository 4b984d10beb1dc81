/**
 * The finding of SPEC §4.7, made once over the whole month from the evidence counted pair
 * by pair (infer.ts): increments, prices and their changes, the rounding mode, the period
 * zone and the time offset, each only with enough pairs.
 */
import { ROUNDING_MODES, type RoundingMode } from '../money/index.js';
import type { Rate, Tariff } from '../tariff/index.js';
import { formatIsoTime } from '../time/instant.js';
import { createTimeZone, type TimeZone } from '../time/zone.js';
import type { ChargedCall } from './calls.js';
import type { TimeOffset } from './doubts.js';
import { MIN_PAIRS, type PolicyEvidenceData } from './infer.js';
import type { Discrepancy } from './rows.js';
import type { InferredPolicy } from './summary.js';

/** What the finding needs besides the evidence. */
export interface InferInput {
  readonly evidence: PolicyEvidenceData;
  readonly tariff: Tariff;
  readonly reportZone: TimeZone;
  /** The month's bounds in its zone, to test other zones' months. */
  readonly period: { readonly label: string } | undefined;
  readonly discrepancies: readonly Discrepancy[];
  readonly offset: TimeOffset | undefined;
}

/**
 * The inferred policy of SPEC §4.7, each part only with evidence of at least
 * {@link MIN_PAIRS} pairs.
 *
 * @param input - the month's evidence, tariff, zone, discrepancies and time shift
 * @returns the policy, with a sentence for each place it differs from the tariff
 * @example
 * inferPolicy({ evidence, tariff, reportZone, period, discrepancies, offset }).findings;
 */
export function inferPolicy(input: InferInput): InferredPolicy {
  const { evidence, tariff } = input;
  const findings: string[] = [];
  const policy: { -readonly [K in keyof InferredPolicy]: InferredPolicy[K] } = {
    pairs: evidence.pairs,
    findings,
  };
  if (evidence.incrementPairs >= MIN_PAIRS && evidence.increments.length > 0) {
    // The most pairs; among as many, the most given exactly. The list keeps the others in
    // order of pairs, then increments.
    const [best] = [...evidence.increments].sort(
      (a, b) => b[2] - a[2] || b[3] - a[3] || a[0] - b[0] || a[1] - b[1],
    );
    const [first, next, pairs, exact] = best as readonly [number, number, number, number];
    const ranked = [...evidence.increments].sort(
      (a, b) => b[2] - a[2] || +(b === best) - +(a === best) || a[0] - b[0] || a[1] - b[1],
    );
    const own = tariff.rates[0];
    const ownEntry = evidence.increments.find(
      ([f, n]) => f === own?.firstIncrementSeconds && n === own?.nextIncrementSeconds,
    );
    const [ownPairs, ownExact] = [ownEntry?.[2] ?? 0, ownEntry?.[3] ?? 0];
    const differs =
      own !== undefined &&
      (first !== own.firstIncrementSeconds || next !== own.nextIncrementSeconds) &&
      (pairs > ownPairs || (pairs === ownPairs && exact > ownExact));
    policy.increments = {
      first,
      next,
      differs,
      evidence: { pairs, of: evidence.incrementPairs },
      candidates: ranked.map(([f, n, p]) => ({ first: f, next: n, pairs: p })),
    };
    if (differs) {
      findings.push(
        `the bill's minutes follow ${first}/${next} s increments for ${pairs} of ${evidence.incrementPairs} pairs; the tariff says ${own.firstIncrementSeconds}/${own.nextIncrementSeconds}`,
      );
    }
  }
  if (evidence.roundingPairs >= MIN_PAIRS && evidence.rounding.length > 0) {
    const byMode = new Map(evidence.rounding);
    const preferred = (mode: RoundingMode): number =>
      mode === tariff.roundingMode ? -1 : ROUNDING_MODES.indexOf(mode);
    const ranked = [...ROUNDING_MODES].sort(
      (a, b) => (byMode.get(b) ?? 0) - (byMode.get(a) ?? 0) || preferred(a) - preferred(b),
    );
    const mode = ranked[0] as RoundingMode;
    const pairs = byMode.get(mode) ?? 0;
    const differs = mode !== tariff.roundingMode && pairs > (byMode.get(tariff.roundingMode) ?? 0);
    policy.roundingMode = { mode, differs, evidence: { pairs, of: evidence.roundingPairs } };
    if (differs) {
      findings.push(
        `the bill's amounts are rounded ${mode} for ${pairs} of ${evidence.roundingPairs} pairs; the tariff says ${tariff.roundingMode}`,
      );
    }
  }
  const prices = pricesOf(input);
  if (prices.length > 0) policy.prices = prices;
  for (const rate of prices) {
    if (!rate.differs) continue;
    const segments = rate.segments.map((s) => `${s.price} from ${s.from}`).join(', then ');
    findings.push(
      `rate ${rate.rateId}: the bill's prices are ${segments}; the tariff says ${rate.tariffPrice}`,
    );
  }
  const periodZone = periodZoneOf(input);
  if (periodZone !== undefined) {
    policy.periodZone = periodZone;
    findings.push(
      `the ${periodZone.evidence.pairs} calls billed in another month all fall in ${input.period?.label ?? ''} by the ${periodZone.zone} calendar: the provider bills by ${periodZone.zone} months`,
    );
  }
  if (input.offset !== undefined && input.offset.zone !== undefined) {
    policy.timeOffset = {
      seconds: input.offset.minutes * 60,
      zone: input.offset.zone,
      evidence: { pairs: input.offset.rows, of: input.offset.of },
    };
    findings.push(
      `the bill's times are ${input.offset.minutes / 60} h off the CDRs': they are ${input.offset.zone} times`,
    );
  }
  return policy;
}

function pricesOf(input: InferInput): NonNullable<InferredPolicy['prices']> {
  const { evidence, tariff, reportZone } = input;
  const byRate = new Map<number, (readonly [number, string, number, number, number])[]>();
  for (const entry of evidence.prices) {
    const list = byRate.get(entry[0]);
    if (list === undefined) byRate.set(entry[0], [entry]);
    else list.push(entry);
  }
  const result: NonNullable<InferredPolicy['prices']>[number][] = [];
  for (const [rateIndex, entries] of [...byRate].sort((a, b) => a[0] - b[0])) {
    const pairs = entries.reduce((sum, entry) => sum + entry[2], 0);
    if (pairs < MIN_PAIRS) continue;
    const rate = tariff.rates[rateIndex] as Rate;
    // A price that a few stray rows state is noise, not the provider's price.
    const held = entries
      .filter((entry) => entry[2] * 20 >= pairs)
      .sort((a, b) => a[3] - b[3] || (a[1] < b[1] ? -1 : 1));
    const segments = held.map(([, price, count, firstMs]) => ({
      price,
      from: formatIsoTime(firstMs, reportZone),
      pairs: count,
    }));
    const differs = held.some(([, price]) => price !== rate.pricePerMinute.text);
    result.push({
      rateIndex,
      rateId: rate.id ?? `#${rateIndex}`,
      tariffPrice: rate.pricePerMinute.text,
      differs,
      segments,
    });
  }
  return result;
}

function periodZoneOf(input: InferInput): InferredPolicy['periodZone'] {
  const label = input.period?.label;
  if (label === undefined) return undefined;
  const rows = input.discrepancies.filter(
    (d) => d.kind === 'PERIOD_MISMATCH' && d.call !== undefined,
  );
  // One stray call of the next month's first hours fits the UTC month by chance; a
  // provider's calendar shows in many.
  if (rows.length < MIN_PAIRS) return undefined;
  for (const name of ['UTC', 'Asia/Shanghai']) {
    if (name === input.reportZone.name) continue;
    const zone = createTimeZone(name);
    const fits = rows.every((d) => {
      const call = d.call as ChargedCall;
      const instant = call.periodMs;
      return formatIsoTime(instant, zone).slice(0, 7) === label;
    });
    if (fits) return { zone: name, evidence: { pairs: rows.length, of: rows.length } };
  }
  return undefined;
}
