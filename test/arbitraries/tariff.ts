import fc from 'fast-check';
import { amountDecimalsArb, decimalText, roundingModeArb } from './money.js';

/** 2026-10-01T00:00:00+08:00, the start of the sample month. */
export const MONTH_START_MS = Date.UTC(2026, 8, 30, 16);
const DAY_MS = 86_400_000;

/** Prefixes that nest (`+86` ⊂ `+86138` ⊂ `+861380`) so that longest-prefix choices happen. */
export const PREFIXES = ['+86', '+86138', '+861380', '+86139', '+8610'] as const;
export const SERVICE_TYPES = ['001', '002', '003'] as const;
export const DIRECTIONS = ['0', '1'] as const;
export const MODES = ['AXB', 'AX', 'X', 'AXE'] as const;

/** Normalised virtual numbers, some under the prefixes above, some under none. */
export const BIND_NUMS = [
  '+8613800000022',
  '+8613811112222',
  '+8613900000001',
  '+8610123456789',
  '+8615000000000',
  '+12025550100',
] as const;

/** A raw `when` value: one value, or a non-empty list; numbers for direction at times. */
function whenValuesArb(pool: readonly string[], numeric: boolean): fc.Arbitrary<unknown> {
  const value: fc.Arbitrary<string | number> = numeric
    ? fc.constantFrom(...pool).chain((v) => fc.constantFrom<string | number>(v, Number(v)))
    : fc.constantFrom(...pool);
  return fc.oneof(value, fc.uniqueArray(fc.constantFrom(...pool), { minLength: 1, maxLength: 3 }));
}

/** A raw `when` object as a tariff file holds it (each key present or not). */
export const whenJsonArb: fc.Arbitrary<Record<string, unknown>> = fc.record(
  {
    privateNumPrefix: whenValuesArb(PREFIXES, false),
    serviceType: whenValuesArb(SERVICE_TYPES, false),
    direction: whenValuesArb(DIRECTIONS, true),
    mode: whenValuesArb(MODES, false),
  },
  { requiredKeys: [] },
);

/** An instant near the sample month, on a day boundary, as ISO text. */
const boundaryArb = fc
  .integer({ min: -20, max: 50 })
  .map((day) => new Date(MONTH_START_MS + day * DAY_MS).toISOString());

/** A validity: both bounds, one, or none; `validTo` after `validFrom` by construction. */
const validityArb: fc.Arbitrary<{ validFrom?: string; validTo?: string }> = fc.oneof(
  fc.constant({}),
  boundaryArb.map((validFrom) => ({ validFrom })),
  boundaryArb.map((validTo) => ({ validTo })),
  fc
    .tuple(fc.integer({ min: -20, max: 49 }), fc.integer({ min: 1, max: 40 }))
    .map(([start, length]) => ({
      validFrom: new Date(MONTH_START_MS + start * DAY_MS).toISOString(),
      validTo: new Date(MONTH_START_MS + (start + length) * DAY_MS).toISOString(),
    })),
);

/** A price string with up to 4 decimals. */
const priceTextArb = fc
  .tuple(fc.bigInt({ min: 0n, max: 200_000n }), fc.integer({ min: 0, max: 4 }))
  .map(([units, scale]) => decimalText(units, scale));

/** A raw rate (without id or validity) and a validity, possibly overlapping another's. */
const rawRateArb = fc.record({
  rate: fc.record(
    {
      pricePerMinute: priceTextArb,
      when: whenJsonArb,
      firstIncrementSeconds: fc.integer({ min: 1, max: 120 }),
      nextIncrementSeconds: fc.integer({ min: 1, max: 60 }),
      connectFee: priceTextArb,
    },
    { requiredKeys: ['pricePerMinute'] },
  ),
  validity: validityArb,
});

/** Text identity of a raw `when` (same keys, same sets of values as text). */
function rawWhenIdentity(when: Record<string, unknown> | undefined): string {
  if (when === undefined) return '[]';
  const keys = Object.keys(when).sort();
  return JSON.stringify(
    keys.map((key) => {
      const value = when[key];
      const list = Array.isArray(value) ? value : [value];
      return [key, [...new Set(list.map(String))].sort()];
    }),
  );
}

/**
 * A list of raw rates that forms a valid tariff, by construction: the rates that share a
 * `when` get disjoint validity windows of 10 days (the n-th of them the n-th window), so no two
 * rates with the same `when` overlap. Every prefix of the list is valid too.
 */
export const ratesJsonArb: fc.Arbitrary<Record<string, unknown>[]> = fc
  .array(rawRateArb, { minLength: 1, maxLength: 8 })
  .map((raws) => {
    const identities = raws.map(({ rate }) => rawWhenIdentity(rate.when));
    const seen = new Map<string, number>();
    return raws.map(({ rate, validity: drawn }, index) => {
      const identity = identities[index] as string;
      const occurrence = seen.get(identity) ?? 0;
      seen.set(identity, occurrence + 1);
      const shared = identities.filter((other) => other === identity).length > 1;
      const validity = shared
        ? {
            validFrom: new Date(MONTH_START_MS + (occurrence - 1) * 10 * DAY_MS).toISOString(),
            validTo: new Date(MONTH_START_MS + occurrence * 10 * DAY_MS).toISOString(),
          }
        : drawn;
      return { id: `rate-${index}`, ...rate, ...validity };
    });
  });

/** A raw allowance (without id) with optional `when` and validity. */
export const allowanceJsonArb: fc.Arbitrary<Record<string, unknown>> = fc
  .record(
    {
      minutes: fc.nat({ max: 600 }),
      consumedPart: fc.nat({ max: 100 }),
      when: whenJsonArb,
      validity: validityArb,
    },
    { requiredKeys: ['minutes', 'consumedPart', 'validity'] },
  )
  .map(({ minutes, consumedPart, validity, ...rest }) => ({
    minutes,
    // at most minutes, by construction
    consumedBeforeMinutes: Math.floor((minutes * consumedPart) / 100),
    ...rest,
    ...validity,
  }));

/** A whole valid tariff file as JSON. */
export const tariffJsonArb: fc.Arbitrary<Record<string, unknown>> = fc
  .record({
    rates: ratesJsonArb,
    allowances: fc.array(allowanceJsonArb, { maxLength: 3 }),
    amountDecimals: amountDecimalsArb,
    roundingMode: roundingModeArb,
  })
  .map(({ rates, allowances, amountDecimals, roundingMode }) => ({
    currency: 'CNY',
    amountDecimals,
    roundingMode,
    rates,
    allowances: allowances.map((allowance, index) => ({ id: `pkg-${index}`, ...allowance })),
  }));

/** The fields of a call that select a rate, near the sample month and often on a boundary. */
export const callSelectorArb = fc.record({
  bindNum: fc.option(fc.constantFrom(...BIND_NUMS), { nil: undefined }),
  serviceType: fc.option(fc.constantFrom(...SERVICE_TYPES), { nil: undefined }),
  direction: fc.option(fc.constantFrom(...DIRECTIONS), { nil: undefined }),
  mode: fc.option(fc.constantFrom(...MODES), { nil: undefined }),
  answerMs: fc.oneof(
    fc
      .integer({ min: -20, max: 50 })
      .chain((day) =>
        fc.constantFrom(MONTH_START_MS + day * DAY_MS, MONTH_START_MS + day * DAY_MS - 1),
      ),
    fc.integer({ min: MONTH_START_MS - 20 * DAY_MS, max: MONTH_START_MS + 50 * DAY_MS }),
  ),
});
