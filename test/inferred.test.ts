import { describe, expect, it } from 'vitest';
import {
  inferredTariff,
  parseTariff,
  reconcile,
  type BillRow,
  type FeeRecord,
} from '../src/index.js';
import { fc } from './helpers/fast-check.js';
import { billItemsOf, cdrItemsOf, huaweiTime } from './arbitraries/month.js';

const TARIFF_JSON = {
  currency: 'CNY',
  timezone: 'Asia/Shanghai',
  rates: [{ id: 'mobile', pricePerMinute: '0.12', when: { privateNumPrefix: '+86138' } }],
};
const AT = Date.UTC(2026, 9, 15, 1, 0, 0);

function call(n: number, seconds: number): FeeRecord {
  const answer = AT + n * 3_600_000;
  return {
    sessionId: `s-${n}`,
    callerNum: '+8613800000021',
    bindNum: '+8613800000022',
    fwdDstNum: '+8613866887021',
    fwdAnswerTime: huaweiTime(answer),
    callEndTime: huaweiTime(answer + seconds * 1000),
  };
}

/** A provider that bills 6-second increments at `price`, minutes stated to one decimal. */
function billedBySixSeconds(n: number, seconds: number, price = 0.12): BillRow {
  const billed = Math.ceil(seconds / 6) * 6;
  const cents = Math.round((billed / 60) * price * 100 + 1e-9);
  return {
    callId: `s-${n}`,
    billedSeconds: String(seconds),
    billedMinutes: (billed / 60).toFixed(1),
    unitPrice: String(price),
    amount: (cents / 100).toFixed(2),
  };
}

async function run(calls: FeeRecord[], rows: BillRow[], json: unknown = TARIFF_JSON) {
  return reconcile(
    { cdrs: cdrItemsOf(calls), bill: billItemsOf(rows) },
    { tariff: parseTariff(json), period: '2026-10' },
  );
}

describe('the inferred policy', () => {
  it('finds 6/6 increments where the tariff says 60/60, and the inferred tariff explains them all', async () => {
    const seconds = Array.from({ length: 30 }, (_, n) => 7 + n * 37);
    const calls = seconds.map((s, n) => call(n, s));
    const rows = seconds.map((s, n) => billedBySixSeconds(n, s));
    const result = await run(calls, rows);
    expect(result.summary.inferred.increments).toMatchObject({ first: 6, next: 6, differs: true });
    expect(result.summary.inferred.findings[0]).toContain('6/6 s increments');
    expect(result.discrepancies.length).toBeGreaterThan(20);
    const json = inferredTariff(TARIFF_JSON, result.summary.inferred);
    const again = await run(calls, rows, json);
    expect(again.discrepancies).toEqual([]);
  });

  it('finds a price change the tariff does not have, dated from the first call billed at it', async () => {
    const calls = Array.from({ length: 40 }, (_, n) => call(n, 60));
    const rows = calls.map((_, n) => ({
      callId: `s-${n}`,
      billedSeconds: '60',
      billedMinutes: '1',
      unitPrice: n < 20 ? '0.12' : '0.10',
      amount: n < 20 ? '0.12' : '0.10',
    }));
    const result = await run(calls, rows);
    const prices = result.summary.inferred.prices?.[0];
    expect(prices?.differs).toBe(true);
    expect(prices?.segments.map((s) => s.price)).toEqual(['0.12', '0.1']);
    const json = inferredTariff(TARIFF_JSON, result.summary.inferred);
    expect(parseTariff(json).rates.map((r) => r.pricePerMinute.text)).toEqual(['0.12', '0.1']);
    expect((await run(calls, rows, json)).discrepancies).toEqual([]);
  });

  it('says nothing with fewer than 20 pairs', async () => {
    const calls = [call(0, 7), call(1, 13)];
    const result = await run(calls, [billedBySixSeconds(0, 7), billedBySixSeconds(1, 13)]);
    expect(result.summary.inferred).toEqual({ pairs: 2, findings: [] });
  });

  it('properties: a bill that follows the tariff infers no difference', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 1, max: 3600 }), { minLength: 20, maxLength: 40 }),
        async (seconds) => {
          const calls = seconds.map((s, n) => call(n, s));
          const rows = seconds.map((s, n) => {
            const minutes = Math.ceil(s / 60);
            return {
              callId: `s-${n}`,
              billedSeconds: String(s),
              billedMinutes: String(minutes),
              unitPrice: '0.12',
              amount: ((minutes * 12) / 100).toFixed(2),
            };
          });
          const result = await run(calls, rows);
          expect(result.discrepancies).toEqual([]);
          expect(result.summary.inferred.findings).toEqual([]);
          expect(inferredTariff(TARIFF_JSON, result.summary.inferred)).toEqual({
            ...TARIFF_JSON,
            rates: TARIFF_JSON.rates.map((rate) => ({ ...rate })),
          });
        },
      ),
      { numRuns: 30 },
    );
  });
});
