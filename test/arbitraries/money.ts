import fc from 'fast-check';
import type { RoundingMode } from '../../src/core/money/index.js';

/** Any rounding mode of SPEC §3.2. */
export const roundingModeArb: fc.Arbitrary<RoundingMode> = fc.constantFrom(
  'half-up',
  'half-even',
  'up',
  'down',
);

/** An `amountDecimals` setting, 0..6. */
export const amountDecimalsArb: fc.Arbitrary<number> = fc.integer({ min: 0, max: 6 });

/** Text of `units × 10^−scale` as a plain decimal, exactly (no trailing-zero trimming). */
export function decimalText(units: bigint, scale: number): string {
  const negative = units < 0n;
  const digits = (negative ? -units : units).toString().padStart(scale + 1, '0');
  const integer = digits.slice(0, digits.length - scale);
  const fraction = digits.slice(digits.length - scale);
  return (negative ? '-' : '') + (scale === 0 ? integer : `${integer}.${fraction}`);
}

/**
 * A non-negative decimal string: mostly small prices with a few decimals (the fast path),
 * sometimes many decimals or huge values (the BigInt fallback). Built as units and a scale.
 */
export const nonNegativeDecimalTextArb: fc.Arbitrary<string> = fc.oneof(
  { weight: 6, arbitrary: scaledText(fc.bigInt({ min: 0n, max: 100_000n }), 0, 6) },
  { weight: 2, arbitrary: scaledText(fc.bigInt({ min: 0n, max: 10n ** 12n }), 0, 20) },
  { weight: 1, arbitrary: scaledText(fc.bigInt({ min: 0n, max: 10n ** 30n }), 0, 30) },
);

/** A non-negative decimal string below 1000 with up to 12 decimals: amounts stay far from overflow. */
export const smallDecimalTextArb: fc.Arbitrary<string> = fc
  .integer({ min: 0, max: 12 })
  .chain((scale) =>
    fc.bigInt({ min: 0n, max: 10n ** BigInt(scale + 3) - 1n }).map((u) => decimalText(u, scale)),
  );

/** A decimal string of any sign (same shapes as {@link nonNegativeDecimalTextArb}). */
export const signedDecimalTextArb: fc.Arbitrary<string> = fc
  .tuple(nonNegativeDecimalTextArb, fc.boolean())
  .map(([text, negative]) => (negative && text !== '0' ? `-${text}` : text));

function scaledText(
  units: fc.Arbitrary<bigint>,
  minScale: number,
  maxScale: number,
): fc.Arbitrary<string> {
  return fc
    .tuple(units, fc.integer({ min: minScale, max: maxScale }))
    .map(([u, scale]) => decimalText(u, scale));
}
