/**
 * `--write-inferred-tariff` (SPEC §4.7): the tariff as the provider actually applied it —
 * the inferred increments, dated prices and rounding written into the user's own tariff —
 * so that reconciling with it leaves only what no consistent policy explains.
 */
import type { InferredPolicy } from './summary.js';

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Writes the inferred policy into a copy of the tariff's JSON: every rate takes the inferred
 * increments, a rate whose price changed is split into dated rates (one per price, each valid
 * from the first call billed at it), and the rounding mode is the inferred one. Parts without
 * evidence are left as they are.
 *
 * @param tariffJson - the tariff file's JSON, as parsed (the input of `parseTariff`)
 * @param policy - `summary.inferred`
 * @returns a new tariff JSON; check it with `parseTariff` before use
 * @example
 * const json = inferredTariff(JSON.parse(text), result.summary.inferred);
 */
export function inferredTariff(tariffJson: unknown, policy: InferredPolicy): Json {
  if (!isObject(tariffJson) || !Array.isArray(tariffJson['rates'])) {
    throw new TypeError('tariffJson is not a tariff object with rates');
  }
  const rates = tariffJson['rates'] as unknown[];
  const out: Json = { ...tariffJson };
  if (policy.roundingMode?.differs === true) out['roundingMode'] = policy.roundingMode.mode;
  const increments = policy.increments?.differs === true ? policy.increments : undefined;
  const written: unknown[] = [];
  rates.forEach((rate, index) => {
    if (!isObject(rate)) {
      written.push(rate);
      return;
    }
    const base: Json = { ...rate };
    if (increments !== undefined) {
      base['firstIncrementSeconds'] = increments.first;
      base['nextIncrementSeconds'] = increments.next;
    }
    const prices = policy.prices?.find((p) => p.rateIndex === index);
    if (prices === undefined || !prices.differs || prices.segments.length === 0) {
      written.push(base);
      return;
    }
    prices.segments.forEach((segment, n) => {
      const next = prices.segments[n + 1];
      const dated: Json = { ...base, pricePerMinute: segment.price };
      if (n > 0) dated['validFrom'] = segment.from;
      if (next !== undefined) dated['validTo'] = next.from;
      const id = typeof base['id'] === 'string' ? base['id'] : `rate-${index}`;
      dated['id'] = prices.segments.length === 1 ? id : `${id}-${n + 1}`;
      written.push(dated);
    });
  });
  out['rates'] = written;
  return out;
}
