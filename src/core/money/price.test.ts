import { priceCallReference } from '../../../test/oracles/price-reference.js';
import { describe, expect, it } from 'vitest';
import { fc } from '../../../test/helpers/fast-check.js';
import {
  amountDecimalsArb,
  nonNegativeDecimalTextArb,
  roundingModeArb,
  signedDecimalTextArb,
  smallDecimalTextArb,
} from '../../../test/arbitraries/money.js';
import {
  MoneyOverflowError,
  ROUNDING_MODES,
  parseMicros,
  parsePrice,
  priceCall,
  type Price,
  type RoundingMode,
} from './index.js';

function price(text: string): Price {
  const parsed = parsePrice(text);
  if (parsed === undefined) throw new Error(`not a price: ${text}`);
  return parsed;
}

function micros(text: string): number {
  const parsed = parseMicros(text);
  if (parsed === undefined) throw new Error(`not an amount: ${text}`);
  return parsed;
}

const ZERO = price('0');

/** `seconds` of a billed call at `perMinute`, no fee, no minimum, 2 decimals. */
function simple(seconds: number, perMinute: string, mode: RoundingMode = 'half-up'): number {
  return priceCall(seconds, seconds, price(perMinute), ZERO, 0, 2, mode);
}

/**
 * A second oracle: the exact rational N/D with BigInt, rounded by floor division (a different
 * route from the implementation's truncation).
 */
function bigIntOracle(
  chargedSeconds: number,
  billedSeconds: number,
  perMinute: Price,
  connectFee: Price,
  minimumChargeMicros: number | undefined,
  amountDecimals: number,
  mode: RoundingMode,
): bigint {
  const fee = billedSeconds > 0 ? connectFee : ZERO;
  // value = (s·P/10^p)/60 + C/10^c ; in units of 10^-d: × 10^d
  const den = 60n * 10n ** BigInt(perMinute.scale + fee.scale);
  const num =
    (BigInt(chargedSeconds) * perMinute.units * 10n ** BigInt(fee.scale) +
      60n * fee.units * 10n ** BigInt(perMinute.scale)) *
    10n ** BigInt(amountDecimals);
  const floor = num >= 0n ? num / den : -((-num + den - 1n) / den);
  const rest = num - floor * den; // 0 ≤ rest < den
  const ceil = rest === 0n ? floor : floor + 1n;
  const towardZero = num >= 0n ? floor : ceil;
  const awayFromZero = num >= 0n ? ceil : floor;
  let units: bigint;
  if (rest === 0n) units = floor;
  else if (mode === 'down') units = towardZero;
  else if (mode === 'up') units = awayFromZero;
  else if (2n * rest < den) units = floor;
  else if (2n * rest > den) units = ceil;
  else if (mode === 'half-up') units = awayFromZero;
  else units = floor % 2n === 0n ? floor : ceil;
  const amount = units * 10n ** BigInt(6 - amountDecimals);
  if (minimumChargeMicros === undefined || billedSeconds === 0) return amount;
  return amount < BigInt(minimumChargeMicros) ? BigInt(minimumChargeMicros) : amount;
}

describe('priceCall', () => {
  it('a 120 s call at 0.12 a minute costs 0.24', () => {
    expect(simple(120, '0.12')).toBe(micros('0.24'));
  });

  it('61 s billed as 61 s at 0.12 a minute costs 0.122, rounded to 0.12', () => {
    expect(simple(61, '0.12')).toBe(micros('0.12'));
  });

  it('zero seconds cost nothing: no connect fee, no minimum charge', () => {
    expect(priceCall(0, 0, price('0.12'), price('0.10'), micros('0.50'), 2, 'up')).toBe(0);
  });

  it('the connect fee is added to every billed call', () => {
    expect(priceCall(60, 60, price('0.12'), price('0.05'), 0, 2, 'half-up')).toBe(micros('0.17'));
  });

  it('a call fully covered by a package still pays the connect fee (billedSeconds > 0)', () => {
    expect(priceCall(0, 60, price('0.12'), price('0.05'), 0, 2, 'half-up')).toBe(micros('0.05'));
  });

  it('the minimum charge lifts a smaller amount of a billed call', () => {
    expect(priceCall(6, 6, price('0.12'), ZERO, micros('0.10'), 2, 'half-up')).toBe(micros('0.10'));
    expect(priceCall(0, 60, price('0.12'), ZERO, micros('0.10'), 2, 'half-up')).toBe(
      micros('0.10'),
    );
    expect(priceCall(120, 120, price('0.12'), ZERO, micros('0.10'), 2, 'half-up')).toBe(
      micros('0.24'),
    );
  });

  it('half-up rounds an exact half cent away from zero, half-even to the even cent', () => {
    // 2 s at 0.15 a minute = 0.005 exactly
    expect(simple(2, '0.15', 'half-up')).toBe(micros('0.01'));
    expect(simple(2, '0.15', 'half-even')).toBe(micros('0.00'));
    // 2 s at 0.45 = 0.015: both go to 0.02 (2 is even)
    expect(simple(2, '0.45', 'half-up')).toBe(micros('0.02'));
    expect(simple(2, '0.45', 'half-even')).toBe(micros('0.02'));
    // 2 s at 0.75 = 0.025: half-up 0.03, half-even 0.02
    expect(simple(2, '0.75', 'half-up')).toBe(micros('0.03'));
    expect(simple(2, '0.75', 'half-even')).toBe(micros('0.02'));
  });

  it('just below a half cent rounds down in both half modes', () => {
    // 1 s at 0.2999 = 0.0049983…
    expect(simple(1, '0.2999', 'half-up')).toBe(0);
    expect(simple(1, '0.2999', 'half-even')).toBe(0);
  });

  it('up rounds any fraction of a cent away from zero, down drops it', () => {
    // 1 s at 0.12 = 0.002
    expect(simple(1, '0.12', 'up')).toBe(micros('0.01'));
    expect(simple(1, '0.12', 'down')).toBe(0);
    expect(simple(59, '0.12', 'down')).toBe(micros('0.11')); // 0.118
    expect(simple(60, '0.12', 'up')).toBe(micros('0.12')); // exact: nothing to round
  });

  it('negative prices round symmetrically: half-up and up go away from zero', () => {
    const negative = (seconds: number, perMinute: string, mode: RoundingMode): number =>
      priceCall(seconds, seconds, price(perMinute), ZERO, Number.MIN_SAFE_INTEGER, 2, mode);
    expect(negative(2, '-0.15', 'half-up')).toBe(micros('-0.01'));
    expect(negative(2, '-0.15', 'half-even')).toBe(0);
    expect(negative(1, '-0.12', 'up')).toBe(micros('-0.01'));
    expect(negative(1, '-0.12', 'down')).toBe(0);
  });

  it('a negative amount is lifted to the minimum charge, 0 by default', () => {
    expect(simple(60, '-0.12')).toBe(0);
  });

  it('amountDecimals 0 rounds to whole units, 6 keeps micros', () => {
    expect(priceCall(90, 90, price('1'), ZERO, 0, 0, 'half-up')).toBe(micros('2')); // 1.5
    expect(priceCall(90, 90, price('1'), ZERO, 0, 0, 'half-even')).toBe(micros('2'));
    expect(priceCall(150, 150, price('1'), ZERO, 0, 0, 'half-even')).toBe(micros('2')); // 2.5
    expect(priceCall(1, 1, price('0.12'), ZERO, 0, 6, 'down')).toBe(micros('0.002'));
    expect(priceCall(1, 1, price('0.1'), ZERO, 0, 6, 'half-up')).toBe(micros('0.001667'));
  });

  it('prices with many decimals stay exact: 1/60 a minute for 60 s is not 1 cent but 1/60', () => {
    expect(simple(60, '0.0166666666666666666667', 'half-up')).toBe(micros('0.02'));
    expect(priceCall(60, 60, price('0.0166666666666666666667'), ZERO, 0, 6, 'down')).toBe(
      micros('0.016666'),
    );
  });

  it('huge values take the BigInt path and stay exact', () => {
    // scale 18 forces the fallback; 86400 s at 0.123456789012345678 = 177.777776177777776…
    expect(simple(86_400, '0.123456789012345678')).toBe(micros('177.78'));
    expect(
      priceCall(
        86_400,
        86_400,
        price('0.123456789012345678'),
        price('0.000000000000000001'),
        0,
        6,
        'down',
      ),
    ).toBe(micros('177.777776'));
    // an integer part near the edge of safe micros
    expect(priceCall(60, 60, price('9007199254.74099'), ZERO, 0, 2, 'half-up')).toBe(
      micros('9007199254.74'),
    );
  });

  it('an amount beyond exact micros throws MoneyOverflowError', () => {
    expect(() => simple(86_400, '123456789.12')).toThrow(MoneyOverflowError);
  });

  it('refuses arguments outside their domain', () => {
    expect(() => priceCall(-1, 0, ZERO, ZERO, 0, 2, 'up')).toThrow(RangeError);
    expect(() => priceCall(1.5, 2, ZERO, ZERO, 0, 2, 'up')).toThrow(RangeError);
    expect(() => priceCall(1, 1, ZERO, ZERO, 0, 7, 'up')).toThrow(RangeError);
    expect(() => priceCall(1, 1, ZERO, ZERO, 0.5, 2, 'up')).toThrow(RangeError);
  });

  it('agrees with the decimal.js reference on the examples above', () => {
    for (const mode of ROUNDING_MODES) {
      expect(priceCallReference(2, 2, price('0.75'), ZERO, 0, 2, mode)).toBe(
        simple(2, '0.75', mode),
      );
    }
  });
});

describe('parsePrice', () => {
  it('reads decimal strings exactly and refuses anything else', () => {
    expect(parsePrice('0.120')).toEqual({ text: '0.12', units: 12n, scale: 2, unitsNumber: 12 });
    expect(parsePrice('1e-3')).toBeUndefined();
    expect(parsePrice('')).toBeUndefined();
  });
});

describe('properties', () => {
  const secondsArb = fc.oneof(
    { weight: 4, arbitrary: fc.integer({ min: 0, max: 7_200 }) },
    { weight: 1, arbitrary: fc.integer({ min: 0, max: 10 ** 9 }) },
  );
  const callArb = fc
    .record({
      chargedSeconds: secondsArb,
      coveredSeconds: fc.nat({ max: 3_600 }),
      perMinute: signedDecimalTextArb,
      connectFee: nonNegativeDecimalTextArb,
      minimumCharge: fc.nat({ max: 2_000_000 }),
      amountDecimals: amountDecimalsArb,
      mode: roundingModeArb,
    })
    .map((c) => ({ ...c, billedSeconds: c.chargedSeconds + c.coveredSeconds }));

  it('equals the decimal.js reference and the BigInt oracle for every rounding mode, or overflows', () => {
    fc.assert(
      fc.property(callArb, (c) => {
        const args = [
          c.chargedSeconds,
          c.billedSeconds,
          price(c.perMinute),
          price(c.connectFee),
        ] as const;
        const raw = bigIntOracle(...args, undefined, c.amountDecimals, c.mode);
        if (raw > BigInt(Number.MAX_SAFE_INTEGER) || raw < BigInt(Number.MIN_SAFE_INTEGER)) {
          expect(() => priceCall(...args, c.minimumCharge, c.amountDecimals, c.mode)).toThrow(
            MoneyOverflowError,
          );
          return;
        }
        const amount = priceCall(...args, c.minimumCharge, c.amountDecimals, c.mode);
        expect(amount).toBe(priceCallReference(...args, c.minimumCharge, c.amountDecimals, c.mode));
        expect(BigInt(amount)).toBe(
          bigIntOracle(...args, c.minimumCharge, c.amountDecimals, c.mode),
        );
      }),
      { numRuns: 2_000 },
    );
  });

  it('amounts never decrease when a call gets longer', () => {
    fc.assert(
      fc.property(
        fc.nat({ max: 100_000 }),
        fc.nat({ max: 100_000 }),
        smallDecimalTextArb,
        smallDecimalTextArb,
        fc.nat({ max: 1_000_000 }),
        amountDecimalsArb,
        roundingModeArb,
        (a, b, perMinute, fee, minimum, decimals, mode) => {
          const [short, long] = a <= b ? [a, b] : [b, a];
          const p = price(perMinute);
          const f = price(fee);
          expect(priceCall(long, long, p, f, minimum, decimals, mode)).toBeGreaterThanOrEqual(
            priceCall(short, short, p, f, minimum, decimals, mode),
          );
        },
      ),
    );
  });

  it('a billed call never costs less than its minimum charge, an unbilled one costs nothing', () => {
    fc.assert(
      fc.property(
        secondsArb,
        nonNegativeDecimalTextArb,
        fc.nat({ max: 10_000_000 }),
        amountDecimalsArb,
        roundingModeArb,
        (s, perMinute, minimum, decimals, mode) => {
          const p = price(perMinute);
          let amount: number;
          try {
            amount = priceCall(s, s, p, ZERO, minimum, decimals, mode);
          } catch (error) {
            expect(error).toBeInstanceOf(MoneyOverflowError);
            return;
          }
          if (s === 0) expect(amount).toBe(0);
          else expect(amount).toBeGreaterThanOrEqual(minimum);
        },
      ),
    );
  });
});
