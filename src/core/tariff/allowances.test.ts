import { describe, expect, it } from 'vitest';
import { fc } from '../../../test/helpers/fast-check.js';
import {
  BIND_NUMS,
  DIRECTIONS,
  MODES,
  MONTH_START_MS,
  SERVICE_TYPES,
  allowanceJsonArb,
} from '../../../test/arbitraries/tariff.js';
import realistic from '../../../test/fixtures/tariffs/realistic.json' with { type: 'json' };
import { AllowanceLedger, compareForAllowances, parseTariff, type Tariff } from './index.js';

function tariffWith(allowances: Record<string, unknown>[]): Tariff {
  return parseTariff({ currency: 'CNY', rates: [{ pricePerMinute: '0.12' }], allowances });
}

const OCT_2 = Date.parse('2026-10-02T10:00:00+08:00');

describe('AllowanceLedger', () => {
  it('an allowance that runs out in the middle of a call covers only what it has left', () => {
    const ledger = new AllowanceLedger(tariffWith([{ id: 'pkg', minutes: 2 }]));
    expect(ledger.consume({ answerMs: OCT_2, billedSeconds: 60 })).toBe(60);
    expect(ledger.consume({ answerMs: OCT_2, billedSeconds: 120 })).toBe(60);
    expect(ledger.consume({ answerMs: OCT_2, billedSeconds: 60 })).toBe(0);
    expect(ledger.remainingSeconds()).toEqual([0]);
  });

  it('allowances are drawn in the order listed, the rest of a call from the next', () => {
    const ledger = new AllowanceLedger(
      tariffWith([
        { id: 'small', minutes: 1 },
        { id: 'large', minutes: 10 },
      ]),
    );
    expect(ledger.consume({ answerMs: OCT_2, billedSeconds: 180 })).toBe(180);
    expect(ledger.remainingSeconds()).toEqual([0, 480]);
  });

  it('a call answered outside its validity, or that its when does not match, leaves it untouched', () => {
    const ledger = new AllowanceLedger(
      tariffWith([
        {
          id: 'axb-october',
          minutes: 10,
          when: { mode: 'AXB', privateNumPrefix: '+86138' },
          validFrom: '2026-10-01T00:00:00+08:00',
          validTo: '2026-11-01T00:00:00+08:00',
        },
      ]),
    );
    const call = { bindNum: '+8613800000022', mode: 'AXB', billedSeconds: 60 };
    expect(ledger.consume({ ...call, answerMs: Date.parse('2026-10-01T00:00:00+08:00') - 1 })).toBe(
      0,
    );
    expect(ledger.consume({ ...call, answerMs: Date.parse('2026-11-01T00:00:00+08:00') })).toBe(0);
    expect(ledger.consume({ ...call, mode: 'AX', answerMs: OCT_2 })).toBe(0);
    expect(ledger.consume({ ...call, bindNum: '+8613900000001', answerMs: OCT_2 })).toBe(0);
    expect(ledger.consume({ ...call, answerMs: Date.parse('2026-10-01T00:00:00+08:00') })).toBe(60);
    expect(ledger.remainingSeconds()).toEqual([540]);
  });

  it('consumedBeforeMinutes is already spent', () => {
    const ledger = new AllowanceLedger(tariffWith([{ minutes: 100, consumedBeforeMinutes: 99.5 }]));
    expect(ledger.consume({ answerMs: OCT_2, billedSeconds: 60 })).toBe(30);
  });

  it('a call with no billed seconds takes nothing; each ledger starts full', () => {
    const tariff = parseTariff(realistic);
    const first = new AllowanceLedger(tariff);
    expect(first.consume({ answerMs: OCT_2, billedSeconds: 0 })).toBe(0);
    first.consume({ answerMs: OCT_2, billedSeconds: 600 });
    expect(first.remainingSeconds()).toEqual([299_400]);
    expect(new AllowanceLedger(tariff).remainingSeconds()).toEqual([300_000]);
  });

  it('refuses billed seconds that are not a whole number ≥ 0', () => {
    const ledger = new AllowanceLedger(tariffWith([{ minutes: 1 }]));
    expect(() => ledger.consume({ answerMs: OCT_2, billedSeconds: -60 })).toThrow(RangeError);
    expect(() => ledger.consume({ answerMs: OCT_2, billedSeconds: 1.5 })).toThrow(RangeError);
  });
});

describe('compareForAllowances', () => {
  it('orders by the period instant, then sessionId in byte order', () => {
    const calls = [
      { periodMs: 2, sessionId: 'a' },
      { periodMs: 1, sessionId: 'z' },
      { periodMs: 2, sessionId: 'B' },
      { periodMs: 2, sessionId: '\u{1F600}' },
      { periodMs: 2, sessionId: '\uFF5E' },
      { periodMs: 2, sessionId: 'a0' },
    ];
    const sorted = [...calls].sort(compareForAllowances).map((c) => `${c.periodMs}:${c.sessionId}`);
    // uppercase before lowercase (bytes, not locale); U+FF5E (EF BD 9E) before U+1F600 (F0 …)
    expect(sorted).toEqual(['1:z', '2:B', '2:a', '2:a0', '2:\uFF5E', '2:\u{1F600}']);
  });
});

interface GeneratedCall {
  sessionId: string;
  periodMs: number;
  answerMs: number;
  billedSeconds: number;
  bindNum: string | undefined;
  serviceType: string | undefined;
  direction: string | undefined;
  mode: string | undefined;
}

/** Calls with unique session ids (any characters), near the sample month. */
const callsArb: fc.Arbitrary<GeneratedCall[]> = fc
  .uniqueArray(fc.string({ unit: 'binary', maxLength: 6 }), { maxLength: 40 })
  .chain((ids) =>
    fc.tuple(
      ...ids.map((sessionId) =>
        fc.record({
          sessionId: fc.constant(sessionId),
          answerMs: fc.integer({
            min: MONTH_START_MS - 5 * 86_400_000,
            max: MONTH_START_MS + 35 * 86_400_000,
          }),
          durationMs: fc.nat({ max: 3_600_000 }),
          billedSeconds: fc.nat({ max: 7_200 }),
          bindNum: fc.option(fc.constantFrom(...BIND_NUMS), { nil: undefined }),
          serviceType: fc.option(fc.constantFrom(...SERVICE_TYPES), { nil: undefined }),
          direction: fc.option(fc.constantFrom(...DIRECTIONS), { nil: undefined }),
          mode: fc.option(fc.constantFrom(...MODES), { nil: undefined }),
        }),
      ),
    ),
  )
  .map((calls) =>
    // periodBy callEndTime: the period instant is the end, after the answer by construction
    calls.map(({ durationMs, ...call }) => ({ ...call, periodMs: call.answerMs + durationMs })),
  );

/** packageSeconds of every call, consuming in comparator order. */
function consumeSorted(tariff: Tariff, calls: readonly GeneratedCall[]): Map<string, number> {
  const ledger = new AllowanceLedger(tariff);
  const covered = new Map<string, number>();
  for (const call of [...calls].sort(compareForAllowances))
    covered.set(call.sessionId, ledger.consume(call));
  return covered;
}

/** Sign of the comparison of two texts' UTF-8 bytes. */
function compareUtf8Bytes(a: string, b: string): number {
  const x = new TextEncoder().encode(a);
  const y = new TextEncoder().encode(b);
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    if (x[i] !== y[i]) return Math.sign((x[i] ?? 0) - (y[i] ?? 0));
  }
  return Math.sign(x.length - y.length);
}

describe('properties', () => {
  it('one allowance covers min(capacity, Σ billed seconds of the calls it is eligible for)', () => {
    fc.assert(
      fc.property(allowanceJsonArb, callsArb, (allowance, calls) => {
        const tariff = tariffWith([allowance]);
        // eligibility as seen by an allowance with unlimited capacity
        const probe = tariffWith([{ ...allowance, minutes: 10 ** 9, consumedBeforeMinutes: 0 }]);
        const eligible = calls.filter(
          (call) => new AllowanceLedger(probe).consume({ ...call, billedSeconds: 1 }) === 1,
        );
        const eligibleBilled = eligible.reduce((sum, call) => sum + call.billedSeconds, 0);
        const covered = consumeSorted(tariff, calls);
        const total = [...covered.values()].reduce((sum, s) => sum + s, 0);
        const capacity = tariff.allowances[0]?.capacitySeconds ?? 0;
        expect(total).toBe(Math.min(capacity, eligibleBilled));
        for (const call of calls) {
          const seconds = covered.get(call.sessionId) ?? -1;
          expect(seconds).toBeGreaterThanOrEqual(0);
          expect(seconds).toBeLessThanOrEqual(call.billedSeconds);
          if (!eligible.includes(call)) expect(seconds).toBe(0);
        }
      }),
    );
  });

  it('allowances that cover everything cover min(Σ capacity, Σ billed seconds)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.nat({ max: 300 }), { minLength: 1, maxLength: 4 }),
        callsArb,
        (sizes, calls) => {
          const tariff = tariffWith(sizes.map((minutes) => ({ minutes })));
          const covered = [...consumeSorted(tariff, calls).values()].reduce((sum, s) => sum + s, 0);
          const capacity = sizes.reduce((sum, minutes) => sum + minutes * 60, 0);
          const billed = calls.reduce((sum, call) => sum + call.billedSeconds, 0);
          expect(covered).toBe(Math.min(capacity, billed));
        },
      ),
    );
  });

  it('once sorted by the comparator, the input order does not change what each call gets', () => {
    fc.assert(
      fc.property(
        fc.array(allowanceJsonArb, { minLength: 1, maxLength: 3 }),
        callsArb.chain((calls) =>
          fc.tuple(fc.constant(calls), fc.shuffledSubarray(calls, { minLength: calls.length })),
        ),
        (allowances, [calls, shuffled]) => {
          const tariff = tariffWith(allowances);
          expect(consumeSorted(tariff, shuffled)).toEqual(consumeSorted(tariff, calls));
        },
      ),
    );
  });

  it('the comparator is a total order: antisymmetric, and 0 only for equal keys', () => {
    const key = fc.record({
      periodMs: fc.integer({ min: 0, max: 3 }),
      sessionId: fc.string({ unit: 'binary', maxLength: 3 }),
    });
    fc.assert(
      fc.property(key, key, (a, b) => {
        const ab = compareForAllowances(a, b);
        const ba = compareForAllowances(b, a);
        expect(Math.sign(ab) === -Math.sign(ba)).toBe(true);
        expect(ab === 0).toBe(a.periodMs === b.periodMs && a.sessionId === b.sessionId);
        if (a.periodMs === b.periodMs && ab !== 0) {
          // byte order of UTF-8
          expect(Math.sign(ab)).toBe(compareUtf8Bytes(a.sessionId, b.sessionId));
        }
      }),
    );
  });
});
