import { describe, expect, it } from 'vitest';
import {
  BRIDGE_STEPS,
  formatMicros,
  formatSecondsAsMinutes,
  inferredTariff,
  parseTariff,
  rateCalls,
  reconcile,
  type BillRow,
  type BridgeStepName,
  type CdrItem,
  type DiscrepancyRow,
  type FeeRecord,
  type NumberItem,
  type ReconcileResult,
  type RoundingMode,
} from '../src/index.js';
import { fc } from './helpers/fast-check.js';
import { billItemsOf, cdrItemsOf, huaweiTime, monthArb } from './arbitraries/month.js';
import { decimalSum, exact, providerRow, type ProviderPolicy } from './oracles/provider.js';

const TARIFF_JSON = {
  currency: 'CNY',
  timezone: 'Asia/Shanghai',
  rates: [{ id: 'mobile', pricePerMinute: '0.12', when: { privateNumPrefix: '+86138' } }],
};

/** The tariff with its one rate changed as `rate` says. */
function tariffWith(rate: Record<string, unknown>): unknown {
  return { ...TARIFF_JSON, rates: [{ ...TARIFF_JSON.rates[0], ...rate }] };
}

const SHANGHAI = { first: 60, next: 60, price: '0.12', mode: 'half-up' } as const;

/** An instant in Shanghai time: `day` of October 2026 (32 is 1 November), hour and minute. */
function shanghai(day: number, hour: number, minute = 0): number {
  return Date.UTC(2026, 9, day, hour - 8, minute);
}

function callAt(id: string, answerMs: number, seconds: number): FeeRecord {
  return {
    sessionId: id,
    callerNum: '+8613800000021',
    bindNum: '+8613800000022',
    fwdDstNum: '+8613866887021',
    fwdAnswerTime: huaweiTime(answerMs),
    callEndTime: huaweiTime(answerMs + seconds * 1000),
  };
}

/** Call lengths that tell every increment of SPEC §4.7 from the others, then a spread. */
function lengthOf(n: number): number {
  return [1, 31, 61, 7, 37, 90][n] ?? 5 + ((n * 97) % 600);
}

/** `count` calls, one a day at 10:00 and one at 15:00 from the 1st, lengths by `lengthOf`. */
function month(count: number): { calls: FeeRecord[]; seconds: number[]; answers: number[] } {
  const answers = Array.from({ length: count }, (_, n) =>
    shanghai(1 + Math.floor(n / 2), n % 2 === 0 ? 10 : 15, n % 60),
  );
  const seconds = answers.map((_, n) => lengthOf(n));
  return {
    calls: answers.map((at, n) => callAt(`s-${n}`, at, seconds[n] as number)),
    seconds,
    answers,
  };
}

async function run(
  calls: FeeRecord[],
  rows: BillRow[],
  json: unknown = TARIFF_JSON,
): Promise<ReconcileResult> {
  return reconcile(
    { cdrs: cdrItemsOf(calls), bill: billItemsOf(rows) },
    { tariff: parseTariff(json), period: '2026-10' },
  );
}

/** The bridge's steps that move money, by name, as exact decimals' text. */
function movingSteps(result: ReconcileResult): Partial<Record<BridgeStepName, string>> {
  const moving: Partial<Record<BridgeStepName, string>> = {};
  for (const step of result.summary.explanation.bridge) {
    if (!exact(step.amount).isZero()) moving[step.step] = exact(step.amount).toFixed(2);
  }
  return moving;
}

/** A discrepancy row's five steps of the bridge, summed exactly. */
function stepSum(row: DiscrepancyRow): ReturnType<typeof decimalSum> {
  return decimalSum([
    row.stepDuration,
    row.stepIncrements,
    row.stepRate,
    row.stepPackage,
    row.stepRounding,
  ]);
}

function expectBridgeEndsAtTheirs(result: ReconcileResult): void {
  const { bridge } = result.summary.explanation;
  expect(bridge.map((step) => step.step)).toEqual([...BRIDGE_STEPS]);
  const across = decimalSum(bridge.map((step) => step.amount));
  expect(across.eq(exact(result.summary.totals.difference))).toBe(true);
}

describe('the bridge and the inferred policy', () => {
  it('a price raised from 0.12 to 0.15 on the 16th is all rate, and is found as a dated change from the 16th', async () => {
    const { calls, seconds, answers } = month(60);
    const raisedAt = shanghai(16, 0);
    const rows = seconds.map((s, n) =>
      providerRow(`s-${n}`, s, {
        ...SHANGHAI,
        price: (answers[n] as number) < raisedAt ? '0.12' : '0.15',
      }),
    );
    const result = await run(calls, rows);
    expectBridgeEndsAtTheirs(result);
    expect(movingSteps(result)).toEqual({
      rate: exact(result.summary.totals.difference).toFixed(2),
    });
    expect(new Set(result.discrepancies.map((row) => row.kind))).toEqual(
      new Set(['RATE_MISMATCH']),
    );
    for (const row of result.discrepancies) expect(row.stepRate).toBe(row.impact);
    const prices = result.summary.inferred.prices?.[0];
    expect(prices).toMatchObject({ rateId: 'mobile', tariffPrice: '0.12', differs: true });
    expect(prices?.segments.map((s) => s.price)).toEqual(['0.12', '0.15']);
    expect(prices?.segments[1]?.from.slice(0, 10)).toBe('2026-10-16');
    expect(prices?.segments.map((s) => s.pairs)).toEqual([30, 30]);
    expect(result.summary.inferred.findings).toEqual([
      expect.stringContaining("rate mobile: the bill's prices are 0.12 from 2026-10-01"),
    ]);
    expect(result.summary.inferred.findings[0]).toContain('then 0.15 from 2026-10-16');
  });

  it('a provider billing 6/6 where the tariff says 60/60 is found as 6/6, and its difference is all increments', async () => {
    const { calls, seconds } = month(40);
    const rows = seconds.map((s, n) =>
      providerRow(`s-${n}`, s, { ...SHANGHAI, first: 6, next: 6 }),
    );
    const result = await run(calls, rows);
    expectBridgeEndsAtTheirs(result);
    expect(movingSteps(result)).toEqual({
      increments: exact(result.summary.totals.difference).toFixed(2),
    });
    expect(exact(result.summary.totals.difference).isNegative()).toBe(true);
    expect(result.summary.inferred.increments).toMatchObject({
      first: 6,
      next: 6,
      differs: true,
      evidence: { pairs: 40, of: 40 },
    });
    expect(result.summary.inferred.findings).toEqual([
      "the bill's minutes follow 6/6 s increments for 40 of 40 pairs; the tariff says 60/60",
    ]);
  });

  it('a provider rounding half-even at ties where the tariff says half-up is found, and its difference is all rounding', async () => {
    // 0.125 a minute: every odd number of minutes costs a half cent, a tie.
    const json = tariffWith({ pricePerMinute: '0.125' });
    const { calls, seconds } = month(40);
    const rows = seconds.map((s, n) =>
      providerRow(`s-${n}`, s, { ...SHANGHAI, price: '0.125', mode: 'half-even' }),
    );
    const result = await run(calls, rows, json);
    expectBridgeEndsAtTheirs(result);
    expect(result.discrepancies.length).toBeGreaterThan(0);
    expect(movingSteps(result)).toEqual({
      rounding: exact(result.summary.totals.difference).toFixed(2),
    });
    for (const row of result.discrepancies) {
      expect(row).toMatchObject({
        kind: 'AMOUNT_MISMATCH',
        impact: '-0.01',
        stepRounding: '-0.01',
      });
    }
    expect(result.summary.inferred.roundingMode).toEqual({
      mode: 'half-even',
      differs: true,
      evidence: { pairs: 40, of: 40 },
    });
    expect(result.summary.inferred.findings).toEqual([
      "the bill's amounts are rounded half-even for 40 of 40 pairs; the tariff says half-up",
    ]);
  });

  it('a bill by the UTC month (00:00–08:00 Shanghai on the 1st in the month before) is found as periodZone UTC', async () => {
    const { calls: mid, seconds: midSeconds } = month(30);
    // The first eight hours of 1 October are September's in UTC, those of 1 November October's.
    const early = Array.from({ length: 24 }, (_, n) =>
      callAt(`oct1-${n}`, shanghai(1, 0, n * 19), 61),
    );
    const late = Array.from({ length: 24 }, (_, n) =>
      callAt(`nov1-${n}`, shanghai(32, 0, n * 19), 61),
    );
    const rows = [
      ...midSeconds.map((s, n) => providerRow(`s-${n}`, s, SHANGHAI)),
      ...late.map((c) => providerRow(c.sessionId ?? '', 61, SHANGHAI)),
    ];
    const result = await run([...early, ...mid, ...late], rows);
    expectBridgeEndsAtTheirs(result);
    expect(result.summary.discrepancies.PERIOD_MISMATCH.count).toBe(24);
    expect(result.summary.discrepancies.MISSING_IN_BILL.count).toBe(24);
    expect(result.summary.inferred.periodZone).toEqual({
      zone: 'UTC',
      evidence: { pairs: 24, of: 24 },
    });
    expect(result.summary.inferred.findings).toEqual([
      'the 24 calls billed in another month all fall in 2026-10 by the UTC calendar: the provider bills by UTC months',
    ]);
  });

  it("one call billed in the wrong month says nothing of the provider's calendar", async () => {
    const { calls, seconds } = month(30);
    const late = callAt('nov1', shanghai(32, 3), 61);
    const rows = [
      ...seconds.map((s, n) => providerRow(`s-${n}`, s, SHANGHAI)),
      providerRow('nov1', 61, SHANGHAI),
    ];
    const result = await run([...calls, late], rows);
    expect(result.summary.discrepancies.PERIOD_MISMATCH.count).toBe(1);
    expect(result.summary.inferred.periodZone).toBeUndefined();
    expect(result.summary.inferred.findings).toEqual([]);
  });

  it('the inferred tariff re-reconciles a month without genuine errors to no discrepancy at all', async () => {
    // 6/6 increments, a price raised on the 16th, half-even ties: three policies at once.
    const json = tariffWith({ pricePerMinute: '0.125' });
    const { calls, seconds, answers } = month(60);
    const rows = seconds.map((s, n) =>
      providerRow(`s-${n}`, s, {
        first: 6,
        next: 6,
        price: (answers[n] as number) < shanghai(16, 0) ? '0.125' : '0.135',
        mode: 'half-even',
      }),
    );
    const result = await run(calls, rows, json);
    expectBridgeEndsAtTheirs(result);
    expect(result.discrepancies.length).toBeGreaterThan(20);
    expect(result.summary.inferred.findings).toHaveLength(3);
    const inferred = inferredTariff(json, result.summary.inferred);
    expect(parseTariff(inferred).roundingMode).toBe('half-even');
    const again = await run(calls, rows, inferred);
    expect(again.discrepancies).toEqual([]);
    expect(again.summary.totals.difference).toBe('0.00');
  });

  it('the inferred tariff re-reconciles a month with a few genuine errors to exactly those errors', async () => {
    const { calls, seconds } = month(40);
    const sixBySix: ProviderPolicy = { ...SHANGHAI, first: 6, next: 6 };
    const rows = seconds.map((s, n) => providerRow(`s-${n}`, s, sixBySix));
    rows.splice(9, 1); // s-9 is not billed
    rows.push(providerRow('phantom-1', 45, sixBySix), providerRow('phantom-2', 130, sixBySix));
    const result = await run(calls, rows);
    expect(result.summary.inferred.increments).toMatchObject({ first: 6, next: 6, differs: true });
    const again = await run(calls, rows, inferredTariff(TARIFF_JSON, result.summary.inferred));
    const found = again.discrepancies.map((row) => [row.kind, row.callId, row.impact]);
    const missing = providerRow('s-9', seconds[9] as number, sixBySix).amount ?? '';
    expect(found.sort()).toEqual([
      ['MISSING_IN_BILL', 's-9', `-${missing}`],
      ['MISSING_IN_CDRS', 'phantom-1', '0.10'],
      ['MISSING_IN_CDRS', 'phantom-2', '0.26'],
    ]);

    expect(again.summary.explanation.bridge.filter((step) => step.count > 0)).toEqual([
      { step: 'missing', amount: `-${missing}`, count: 1 },
      { step: 'billedNotOurs', amount: '0.36', count: 2 },
    ]);
  });
  it('a row stating absurd seconds, minutes or a price is still explained exactly', async () => {
    const calls = [
      callAt('a', shanghai(15, 9), 61),
      callAt('b', shanghai(15, 10), 61),
      callAt('c', shanghai(15, 11), 61),
    ];
    const rows: BillRow[] = [
      { callId: 'a', billedSeconds: '999999999999999', amount: '1.00' },
      { callId: 'b', billedMinutes: '99999999999999', amount: '1.00' },
      { callId: 'c', unitPrice: '99999999999', amount: '1.00' },
    ];
    const result = await run(calls, rows);
    expect(result.balanced).toBe(true);
    expect(result.discrepancies.map((row) => row.kind).sort()).toEqual([
      'DURATION_MISMATCH',
      'MINUTES_MISMATCH',
      'RATE_MISMATCH',
    ]);
    for (const row of result.discrepancies) {
      expect(stepSum(row).toFixed()).toBe(exact(row.impact).toFixed());
      expect(row.impact).toBe('0.76');
    }
    expectBridgeEndsAtTheirs(result);
  });
  it('minutes stated as whole minutes are 60/60, not the 30/30 they also agree with', async () => {
    const json = tariffWith({ firstIncrementSeconds: 30, nextIncrementSeconds: 30 });
    const calls = Array.from({ length: 20 }, (_, n) =>
      callAt(`s-${n}`, shanghai(2 + n, 9), n === 0 ? 61 : 1),
    );
    const rows = calls.map((_, n) => providerRow(`s-${n}`, n === 0 ? 61 : 1, SHANGHAI));
    const result = await run(calls, rows, json);
    // '1' minute agrees with 30 s at its precision (SPEC §4.2), so both explain every pair.
    expect(result.summary.inferred.increments?.candidates.slice(0, 2)).toEqual([
      { first: 60, next: 60, pairs: 20 },
      { first: 30, next: 30, pairs: 20 },
    ]);
    expect(result.summary.inferred.increments).toMatchObject({
      first: 60,
      next: 60,
      differs: true,
    });
    const again = await run(calls, rows, inferredTariff(json, result.summary.inferred));
    expect(again.discrepancies).toEqual([]);
  });

  it('minutes stated to 6 decimals stand for whole seconds: a right bill shows no rounding of its own', async () => {
    // 125 s at 0.204 is 0.425, a tie: half-up gives 0.43; 2.083333 minutes would give 0.42.
    const json = tariffWith({
      pricePerMinute: '0.204',
      firstIncrementSeconds: 1,
      nextIncrementSeconds: 1,
    });
    const calls = Array.from({ length: 20 }, (_, n) => callAt(`s-${n}`, shanghai(2 + n, 9), 125));
    const policy = { first: 1, next: 1, price: '0.204', mode: 'half-up' } as const;
    const rows = calls.map((_, n) => providerRow(`s-${n}`, 125, policy));
    expect(rows[0]).toMatchObject({ billedMinutes: '2.083333', amount: '0.43' });
    const result = await run(calls, rows, json);
    expect(result.discrepancies).toEqual([]);
    expect(result.summary.inferred.roundingMode).toEqual({
      mode: 'half-up',
      differs: false,
      evidence: { pairs: 20, of: 20 },
    });
    expect(result.summary.inferred.findings).toEqual([]);
  });

  it('a pair billed in rounded minutes has no cent of rounding in its increments step', async () => {
    // 65 s billed as 125 s at 0.204: 0.425, a tie, is 0.43 half-up; 2.083333 minutes would
    // give 0.42 and leave a cent to the rounding step.
    const json = tariffWith({
      pricePerMinute: '0.204',
      firstIncrementSeconds: 1,
      nextIncrementSeconds: 1,
    });
    const row = {
      callId: 'a',
      billedSeconds: '65',
      billedMinutes: '2.083333',
      unitPrice: '0.204',
      amount: '0.43',
    };
    const result = await run([callAt('a', shanghai(2, 9), 65)], [row], json);
    expect(result.discrepancies).toMatchObject([
      { kind: 'MINUTES_MISMATCH', impact: '0.21', stepIncrements: '0.21', stepRounding: '0.00' },
    ]);
  });
});

describe('properties', () => {
  /** What a bill row states of a call, each part kept, changed, or left out. */
  const statementArb = fc.record({
    seconds: fc.oneof(
      fc.constant('ours'),
      fc.constant('none'),
      fc.nat(4_000).map(String),
      fc.constantFrom('999999999999999', '86400000'),
    ),
    minutes: fc.oneof(
      fc.constant('ours'),
      fc.constant('none'),
      fc.integer({ min: 0, max: 99_999 }).map((n) => (n / 100).toFixed(2)),
      fc.constantFrom('0.616667', '0.6166666666666667', '99999999999999', '1e3'),
    ),
    price: fc.oneof(
      fc.constant('ours'),
      fc.constant('none'),
      fc.constantFrom('0.1', '0.15', '0.125', '0.0016666666667', '0', '99999999999'),
    ),
    package: fc.oneof(fc.constant('ours'), fc.constant('none'), fc.constantFrom('0', '0.5', '3')),
    amount: fc.oneof(
      fc.constant('ours'),
      fc.integer({ min: -500, max: 100_000 }).map((cents) => (cents / 100).toFixed(2)),
      fc.constantFrom('9000000000.00', '0.000001', '-9000000000.00'),
    ),
    keep: fc.constantFrom(true, true, true, true, false),
  });

  /** A month with a bill whose rows state anything at all about its calls, and maybe rent and SMS. */
  const billedMonthArb = fc.record({
    month: monthArb(['+86138', '+86139', '+86137'], 40),
    statements: fc.array(statementArb, { minLength: 40, maxLength: 40 }),
    phantoms: fc.array(fc.integer({ min: 0, max: 5_000 }), { maxLength: 3 }),
    charges: fc.option(
      fc.record({
        held: fc.integer({ min: 0, max: 4 }),
        rentRows: fc.array(fc.constantFrom('15.00', '14.50', '30.00'), { maxLength: 5 }),
        smsRows: fc.array(fc.constantFrom('0.05', '0.10', '1.00'), { maxLength: 3 }),
        sent: fc.integer({ min: 0, max: 4 }),
      }),
      { nil: undefined },
    ),
  });

  type Statement = typeof statementArb extends fc.Arbitrary<infer T> ? T : never;
  type BilledMonth = typeof billedMonthArb extends fc.Arbitrary<infer T> ? T : never;

  async function billedMonth({
    month,
    statements,
    phantoms,
    charges,
  }: BilledMonth): Promise<ReconcileResult> {
    const tariffJson = {
      ...month.tariff,
      ...(charges && { charges: { rentPerNumber: '15.00', smsPerMessage: '0.05' } }),
    };
    const tariff = parseTariff(tariffJson);
    const { calls } = await rateCalls(month.cdrs, { tariff, period: '2026-10' });
    const rows: BillRow[] = [];
    calls.forEach((c, n) => {
      const said = statements[n % statements.length] as Statement;
      if (!said.keep) return;
      const rate = tariff.rates[c.rateIndex];
      const row: Record<string, string> = { callId: c.callId };
      if (said.seconds !== 'none') {
        row['billedSeconds'] = said.seconds === 'ours' ? String(c.seconds) : said.seconds;
      }
      if (said.minutes !== 'none') {
        row['billedMinutes'] =
          said.minutes === 'ours' ? formatSecondsAsMinutes(c.billedSeconds) : said.minutes;
      }
      if (said.price !== 'none' && (said.price !== 'ours' || rate !== undefined)) {
        row['unitPrice'] = said.price === 'ours' ? (rate?.pricePerMinute.text ?? '') : said.price;
      }
      if (said.package !== 'none') {
        row['packageMinutes'] =
          said.package === 'ours' ? formatSecondsAsMinutes(c.packageSeconds) : said.package;
      }
      row['amount'] = said.amount === 'ours' ? formatMicros(c.amount, 6) : said.amount;
      rows.push(row);
    });
    phantoms.forEach((cents, n) =>
      rows.push({ callId: `phantom-${n}`, amount: (cents / 100).toFixed(2) }),
    );
    const numbers: NumberItem[] = [];
    const sms: CdrItem[] = [];
    if (charges !== undefined) {
      for (let n = 0; n < charges.held; n++) {
        numbers.push({
          type: 'number',
          row: { number: `+861380000${String(n).padStart(4, '0')}` },
          source: 'numbers.csv',
          line: n + 2,
        });
      }
      charges.rentRows.forEach((amount, n) =>
        rows.push({ item: 'rent', privateNum: `+861380000${String(n).padStart(4, '0')}`, amount }),
      );
      charges.smsRows.forEach((amount) => rows.push({ item: 'sms', amount }));
      for (let n = 0; n < charges.sent; n++) {
        sms.push({
          type: 'sms',
          sms: {
            smsIdentifier: `sms-${n}`,
            virtualNumber: '+8613800000000',
            timeStamp: '2026-10-05 03:00:00',
            sendResult: 'success',
          },
          source: 'cdrs.ndjson',
          line: 1_000 + n,
        });
      }
    }
    return reconcile(
      {
        cdrs: [...month.cdrs, ...sms],
        bill: billItemsOf(rows),
        ...(charges && { numbers }),
      },
      { tariff, period: '2026-10' },
    );
  }

  it("each pair's steps sum to its impact, and the bridge to the difference, exactly", async () => {
    await fc.assert(
      fc.asyncProperty(billedMonthArb, async (given) => {
        const result = await billedMonth(given);
        expect(result.balanced).toBe(true);
        for (const row of result.discrepancies) {
          if (row.stepDuration === '') continue;
          expect(stepSum(row).toFixed()).toBe(exact(row.impact).toFixed());
        }
        const { bridge } = result.summary.explanation;
        const { totals, charges, invoice } = result.summary;
        expect(bridge.map((step) => step.step)).toEqual([...BRIDGE_STEPS]);
        const calls = decimalSum(bridge.filter((s) => s.step !== 'charges').map((s) => s.amount));
        expect(calls.toFixed()).toBe(exact(totals.difference).toFixed());
        const last = bridge[bridge.length - 1];
        expect(last?.step).toBe('charges');
        expect(exact(last?.amount ?? '').toFixed()).toBe(exact(charges.difference).toFixed());
        const whole = decimalSum(bridge.map((s) => s.amount));
        expect(whole.toFixed()).toBe(exact(invoice.difference).toFixed());
      }),
      { numRuns: 150 },
    );
  });

  /** Increments a provider may use; SPEC §4.7 looks for its four and the tariff's own. */
  const REALISTIC_INCREMENTS = [
    [1, 1],
    [6, 6],
    [30, 6],
    [30, 30],
    [60, 60],
    [60, 6],
  ] as const;
  const LOOKED_FOR = [
    [1, 1],
    [6, 6],
    [30, 6],
    [60, 60],
  ] as const;
  const RATE_PREFIXES = ['+86138', '+86139', '+86137'] as const;
  const pricePerMinuteArb = fc
    .integer({ min: 1, max: 500 })
    .map((n) => (n / 1000).toFixed(3).replace(/0+$/, '').replace(/\.$/, ''));
  const otherPrice = (price: string, other: string): string =>
    other === price ? (Number(price) * 1000 + 1) / 1000 + '' : other;

  /** A tariff of ours and another the provider rates the same calls with, by construction. */
  const otherTariffMonthArb = fc.record({
    ours: fc.constantFrom(...REALISTIC_INCREMENTS),
    theirs: fc.nat(),
    mode: fc.constantFrom<RoundingMode>('half-up', 'half-even', 'up', 'down'),
    rates: fc.array(
      fc.record({
        ours: pricePerMinuteArb,
        theirs: fc.option(pricePerMinuteArb, { nil: undefined }),
        change: fc.option(
          fc.record({ day: fc.integer({ min: 8, max: 24 }), price: pricePerMinuteArb }),
          {
            nil: undefined,
          },
        ),
        calls: fc.array(
          fc.record({
            seconds: fc.integer({ min: 1, max: 900 }),
            hour: fc.integer({ min: 0, max: 23 }),
            minute: fc.integer({ min: 0, max: 59 }),
          }),
          { minLength: 20, maxLength: 35 },
        ),
      }),
      { minLength: 1, maxLength: 3 },
    ),
  });

  it('a bill rated with another tariff is inferred back to its increments and prices, and the inferred tariff reconciles it clean', async () => {
    await fc.assert(
      fc.asyncProperty(otherTariffMonthArb, async (given) => {
        const choices = [...LOOKED_FOR, given.ours];
        const [first, next] = choices[given.theirs % choices.length] as readonly [number, number];
        const json = {
          currency: 'CNY',
          timezone: 'Asia/Shanghai',
          roundingMode: 'half-up',
          rates: given.rates.map((rate, r) => ({
            id: `r${r}`,
            pricePerMinute: rate.ours,
            when: { privateNumPrefix: RATE_PREFIXES[r] },
            firstIncrementSeconds: given.ours[0],
            nextIncrementSeconds: given.ours[1],
          })),
        };
        const calls: FeeRecord[] = [];
        const rows: BillRow[] = [];
        const expected = given.rates.map((rate, r) => {
          const base = rate.theirs ?? rate.ours;
          const change = rate.change && {
            at: shanghai(rate.change.day, 0),
            price: otherPrice(base, rate.change.price),
          };
          let changedFrom: number | undefined;
          rate.calls.forEach((spec, i) => {
            const day = 1 + Math.floor((i * 30) / rate.calls.length);
            const answer = shanghai(day, spec.hour, spec.minute);
            // Three lengths that tell every increment of the list from the others.
            const seconds = [1, 31, 61][i] ?? spec.seconds;
            const id = `r${r}-${i}`;
            calls.push({
              ...callAt(id, answer, seconds),
              bindNum: `${RATE_PREFIXES[r] ?? ''}00000022`,
            });
            const changed = change !== undefined && answer >= change.at;
            if (changed) changedFrom = Math.min(changedFrom ?? answer, answer);
            const price = changed ? change.price : base;
            rows.push(providerRow(id, seconds, { first, next, price, mode: given.mode }));
          });
          return {
            prices: changedFrom === undefined ? [base] : [base, change?.price ?? ''],
            changedFrom,
          };
        });
        const result = await run(calls, rows, json);
        const { inferred } = result.summary;
        expect(inferred.increments).toMatchObject({ first, next });
        expect(inferred.increments?.evidence.pairs).toBe(calls.length);
        expected.forEach((rate, r) => {
          const found = inferred.prices?.find((p) => p.rateIndex === r);
          expect(found?.segments.map((s) => exact(s.price).toFixed())).toEqual(
            rate.prices.map((p) => exact(p).toFixed()),
          );
          if (rate.changedFrom !== undefined) {
            expect(Date.parse(found?.segments[1]?.from ?? '')).toBe(rate.changedFrom);
          }
        });
        expect(inferred.roundingMode?.evidence.pairs).toBe(calls.length);
        const again = await run(calls, rows, inferredTariff(json, inferred));
        expect(again.discrepancies).toEqual([]);
        expect(again.summary.totals.difference).toBe('0.00');
      }),
      { numRuns: 60 },
    );
  });
});
