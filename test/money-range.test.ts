import { describe, expect, it } from 'vitest';
import { parseTariff, reconcile, TariffError } from '../src/index.js';
import { fc } from './helpers/fast-check.js';
import { billItemsOf } from './arbitraries/month.js';

const idr = parseTariff({
  currency: 'IDR',
  amountDecimals: 0,
  rates: [{ pricePerMinute: '1500' }],
});

describe('money of any realistic size', () => {
  it('two bill rows of IDR 5,000,000,000 sum exactly past 2^53 micros', async () => {
    const result = await reconcile(
      {
        cdrs: [],
        bill: billItemsOf([
          { callId: 'x1', amount: '5000000000' },
          { callId: 'x2', amount: '5,000,000,000' },
        ]),
      },
      { tariff: idr, period: '2026-10' },
    );
    expect(result.summary.totals.theirs).toBe('10000000000');
    expect(result.balanced).toBe(true);
  });

  it('one row beyond the largest exact amount is rejected with that reason, not as "not a decimal"', async () => {
    const result = await reconcile(
      { cdrs: [], bill: billItemsOf([{ callId: 'x1', amount: '10000000000' }]) },
      { tariff: idr, period: '2026-10' },
    );
    expect(result.rejected[0]?.reason).toContain('beyond the largest amount one row may have');
  });

  it('a price too large for exact amounts is a tariff error naming the field', () => {
    expect(() =>
      parseTariff({ currency: 'IDR', rates: [{ pricePerMinute: '100000000000000' }] }, 't.json'),
    ).toThrow(TariffError);
    expect(() =>
      parseTariff({ currency: 'IDR', rates: [{ pricePerMinute: '100000000000000' }] }, 't.json'),
    ).toThrow(/rates\[0\], field pricePerMinute: 100000000000000 is too large/);
  });

  it('properties: bill sums of any accepted amounts are exact against a BigInt oracle', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.bigInt({ min: -(10n ** 15n), max: 9_007_199_254_740_991n }), { maxLength: 30 }),
        async (micros) => {
          const amounts = micros.map((m) => {
            const sign = m < 0n ? '-' : '';
            const abs = m < 0n ? -m : m;
            return `${sign}${abs / 1_000_000n}.${String(abs % 1_000_000n).padStart(6, '0')}`;
          });
          const tariff = parseTariff({
            currency: 'CNY',
            amountDecimals: 6,
            rates: [{ pricePerMinute: '0.12' }],
          });
          const result = await reconcile(
            {
              cdrs: [],
              bill: billItemsOf(amounts.map((amount, i) => ({ callId: `x${i}`, amount }))),
            },
            { tariff, period: '2026-10' },
          );
          const sum = micros
            .filter((m) => m >= -9_007_199_254_740_991n)
            .reduce((a, b) => a + b, 0n);
          const sign = sum < 0n ? '-' : '';
          const abs = sum < 0n ? -sum : sum;
          expect(result.summary.totals.theirs).toBe(
            `${sign}${abs / 1_000_000n}.${String(abs % 1_000_000n).padStart(6, '0')}`,
          );
        },
      ),
      { numRuns: 60 },
    );
  });
});
