import { describe, expect, it } from 'vitest';
import {
  BRIDGE_STEPS,
  DISCREPANCY_KINDS,
  formatSecondsAsMinutes,
  parseTariff,
  rateCalls,
  reconcile,
  type BillRow,
  type DiscrepancyKind,
  type FeeRecord,
  type ReconcileResult,
} from '../src/index.js';
import { fc } from './helpers/fast-check.js';
import { billItemsOf, cdrItemsOf, huaweiTime, monthArb, type Month } from './arbitraries/month.js';

const tariff = parseTariff({
  currency: 'CNY',
  timezone: 'Asia/Shanghai',
  rates: [
    { id: 'mobile', pricePerMinute: '0.12', when: { privateNumPrefix: '+86138' } },
    { id: 'other', pricePerMinute: '0.15', when: { privateNumPrefix: '+86139' } },
  ],
});

const AT = Date.UTC(2026, 9, 15, 1, 0, 0); // 2026-10-15 09:00 in Shanghai

function call(
  id: string,
  overrides: Partial<Record<keyof FeeRecord, string>> = {},
  durationS = 65,
): FeeRecord {
  return {
    sessionId: id,
    icid: `icid-${id}`,
    callerNum: '+8613800000021',
    bindNum: '+8613800000022',
    fwdDstNum: '+8613866887021',
    fwdAnswerTime: huaweiTime(AT),
    callEndTime: huaweiTime(AT + durationS * 1000),
    serviceType: '004',
    direction: '1',
    ...overrides,
  };
}

/** The bill row that charges a 65 s call on +86138 exactly right. */
function billed(id: string, overrides: Partial<Record<keyof BillRow, string>> = {}): BillRow {
  return {
    callId: id,
    callerNum: '+8613800000021',
    privateNum: '+8613800000022',
    answerTime: huaweiTime(AT),
    endTime: huaweiTime(AT + 65_000),
    billedSeconds: '65',
    billedMinutes: '2',
    unitPrice: '0.12',
    amount: '0.24',
    ...overrides,
  };
}

async function run(
  records: FeeRecord[],
  rows: BillRow[],
  options: { amountTolerance?: string } = {},
): Promise<ReconcileResult> {
  return reconcile(
    { cdrs: cdrItemsOf(records), bill: billItemsOf(rows) },
    { tariff, period: '2026-10', ...options },
  );
}

function kinds(result: ReconcileResult): DiscrepancyKind[] {
  return result.discrepancies.map((row) => row.kind);
}

describe('reconcile', () => {
  it('a bill that charges exactly our rating is clean and balances', async () => {
    const result = await run([call('a'), call('b')], [billed('a'), billed('b')]);
    expect(result.discrepancies).toEqual([]);
    expect(result.summary.totals).toEqual({
      ours: '0.48',
      theirs: '0.48',
      otherCharges: '0.00',
      difference: '0.00',
      explained: '0.00',
      withinTolerance: '0.00',
      unexplained: '0.00',
      claimable: '0.00',
      underBilled: '0.00',
    });
    expect(result.summary.matched).toEqual({ byId: 2, byComposite: 0, clean: 2 });
    expect(result.summary.minutes).toEqual({ ours: '4', theirs: '4' });
  });

  it('a call the bill leaves out is MISSING_IN_BILL worth minus our amount', async () => {
    const result = await run([call('a'), call('b')], [billed('a')]);
    expect(kinds(result)).toEqual(['MISSING_IN_BILL']);
    expect(result.discrepancies[0]).toMatchObject({
      callId: 'b',
      impact: '-0.24',
      amountOurs: '0.24',
    });
    expect(result.summary.totals.unexplained).toBe('0.00');
  });

  it('a billed call we have no record of is MISSING_IN_CDRS worth their amount', async () => {
    const result = await run(
      [call('a')],
      [billed('a'), billed('zz', { callerNum: '+8613700000001' })],
    );
    expect(kinds(result)).toEqual(['MISSING_IN_CDRS']);
    expect(result.discrepancies[0]).toMatchObject({ callId: 'zz', impact: '0.24', matchedBy: '' });
  });

  it('a call billed twice is DUPLICATE_IN_BILL; a row naming the icid is the same call', async () => {
    const result = await run([call('a')], [billed('a'), billed('icid-a')]);
    expect(kinds(result)).toEqual(['DUPLICATE_IN_BILL']);
    expect(result.discrepancies[0]).toMatchObject({
      callId: 'a',
      impact: '0.24',
      billSource: 'bill.csv:3',
    });
    expect(result.summary.matched.byId).toBe(1);
  });

  it('a call of September billed in October is PERIOD_MISMATCH worth their whole amount', async () => {
    const september = Date.UTC(2026, 8, 30, 15, 0, 0); // 23:00 on 30 September in Shanghai
    const record = call('a', {
      fwdAnswerTime: huaweiTime(september),
      callEndTime: huaweiTime(september + 65_000),
    });
    const result = await run([record], [billed('a', { answerTime: '', endTime: '' })]);
    expect(kinds(result)).toEqual(['PERIOD_MISMATCH']);
    expect(result.discrepancies[0]?.impact).toBe('0.24');
    expect(result.summary.totals.ours).toBe('0.00');
  });

  it('an unanswered call billed is UNANSWERED_BILLED; billed at zero it is clean', async () => {
    const unanswered = call('a', { fwdAnswerTime: '' });
    const charged = await run(
      [unanswered],
      [billed('a', { billedSeconds: '', answerTime: '', endTime: '' })],
    );
    expect(kinds(charged)).toEqual(['UNANSWERED_BILLED']);
    const free = await run(
      [unanswered],
      [
        billed('a', {
          billedSeconds: '',
          billedMinutes: '0',
          amount: '0.00',
          answerTime: '',
          endTime: '',
        }),
      ],
    );
    expect(free.discrepancies).toEqual([]);
    expect(free.summary.matched.clean).toBe(1);
  });

  it('an answered call no rate covers is NO_TARIFF, billed or not', async () => {
    const result = await run(
      [call('a', { bindNum: '+8613700000022' }), call('b', { bindNum: '+8613700000023' })],
      [billed('a', { privateNum: '+8613700000022' })],
    );
    expect(kinds(result).sort()).toEqual(['NO_TARIFF', 'NO_TARIFF']);
    expect(result.discrepancies.map((row) => row.impact)).toEqual(['0.24', '0.00']);
    expect(result.summary.cdrs.unrated).toBe(2);
  });

  it('a bill that states another duration is DURATION_MISMATCH (rule 4 before the rest)', async () => {
    const result = await run([call('a')], [billed('a', { billedSeconds: '66', unitPrice: '0.5' })]);
    expect(kinds(result)).toEqual(['DURATION_MISMATCH']);
  });

  it('a bill that charges another number of minutes is MINUTES_MISMATCH worth the difference', async () => {
    const result = await run([call('a')], [billed('a', { billedMinutes: '3', amount: '0.36' })]);
    expect(kinds(result)).toEqual(['MINUTES_MISMATCH']);
    expect(result.discrepancies[0]?.impact).toBe('0.12');
  });

  it('minutes compare at the precision the bill writes them: 0.616667 and 0.62 agree with 37 s, 0.61 does not', async () => {
    const perSecond = parseTariff({
      currency: 'CNY',
      rates: [{ pricePerMinute: '0.6', firstIncrementSeconds: 1, nextIncrementSeconds: 1 }],
    });
    const bill = (id: string, minutes: string) =>
      billed(id, { billedSeconds: '37', billedMinutes: minutes, unitPrice: '', amount: '0.37' });
    const result = await reconcile(
      {
        cdrs: cdrItemsOf([call('a', {}, 37), call('b', {}, 37), call('c', {}, 37)]),
        bill: billItemsOf([bill('a', '0.616667'), bill('b', '0.62'), bill('c', '0.61')]),
      },
      { tariff: perSecond, period: '2026-10' },
    );
    expect(kinds(result)).toEqual(['MINUTES_MISMATCH']);
    expect(result.discrepancies[0]).toMatchObject({ callId: 'c', minutesOurs: '0.616667' });
    expect(result.summary.matched.clean).toBe(2);
  });

  it('a provider may state the billed seconds after increments: 60 for a 37 s call is no DURATION_MISMATCH', async () => {
    const result = await run(
      [call('a', {}, 37), call('b', {}, 37)],
      [
        billed('a', { billedSeconds: '60', billedMinutes: '1', amount: '0.12' }),
        billed('b', { billedSeconds: '45', billedMinutes: '1', amount: '0.12' }),
      ],
    );
    expect(kinds(result)).toEqual(['DURATION_MISMATCH']);
    expect(result.discrepancies[0]?.callId).toBe('b');
  });

  it('the bridge puts a longer measured call in its duration step, a price in its rate step', async () => {
    const result = await run(
      [call('a'), call('b'), call('c')],
      [
        billed('a', { billedSeconds: '125', billedMinutes: '3', amount: '0.36' }),
        billed('b', { unitPrice: '0.15', amount: '0.30' }),
        billed('c', { amount: '0.25' }),
      ],
    );
    const steps = Object.fromEntries(
      result.discrepancies.map((row) => [
        row.callId,
        [row.stepDuration, row.stepIncrements, row.stepRate, row.stepPackage, row.stepRounding],
      ]),
    );
    expect(steps).toEqual({
      a: ['0.12', '0.00', '0.00', '0.00', '0.00'],
      b: ['0.00', '0.00', '0.06', '0.00', '0.00'],
      c: ['0.00', '0.00', '0.00', '0.00', '0.01'],
    });
    const bridge = Object.fromEntries(
      result.summary.explanation.bridge.map((step) => [step.step, [step.amount, step.count]]),
    );
    expect(bridge).toMatchObject({
      duration: ['0.12', 1],
      rate: ['0.06', 1],
      rounding: ['0.01', 1],
      missing: ['0.00', 0],
    });
  });

  it('a bill at another price is RATE_MISMATCH; 0.120 is the same price as 0.12', async () => {
    const result = await run(
      [call('a'), call('b')],
      [billed('a', { unitPrice: '0.15', amount: '0.30' }), billed('b', { unitPrice: '0.120' })],
    );
    expect(kinds(result)).toEqual(['RATE_MISMATCH']);
    expect(result.discrepancies[0]?.impact).toBe('0.06');
  });

  it('a bill covering other package minutes is PACKAGE_MISMATCH', async () => {
    const result = await run([call('a')], [billed('a', { packageMinutes: '1', amount: '0.12' })]);
    expect(kinds(result)).toEqual(['PACKAGE_MISMATCH']);
    expect(result.discrepancies[0]?.impact).toBe('-0.12');
  });

  it('another amount for the same minutes and price is AMOUNT_MISMATCH unless within the tolerance', async () => {
    const strict = await run([call('a')], [billed('a', { amount: '0.25' })]);
    expect(kinds(strict)).toEqual(['AMOUNT_MISMATCH']);
    const tolerant = await run([call('a')], [billed('a', { amount: '0.25' })], {
      amountTolerance: '0.01',
    });
    expect(tolerant.discrepancies).toEqual([]);
    expect(tolerant.summary.totals).toMatchObject({
      difference: '0.01',
      withinTolerance: '0.01',
      unexplained: '0.00',
    });
  });

  it('a re-push is counted once; a record that disagrees is CONFLICTING_CDR and the first is kept', async () => {
    const result = await run([call('a'), call('a'), call('a', {}, 125)], [billed('a')]);
    expect(result.summary.cdrs).toMatchObject({ records: 3, kept: 1, duplicates: 1, conflicts: 1 });
    expect(kinds(result)).toEqual(['CONFLICTING_CDR']);
    expect(result.discrepancies[0]).toMatchObject({ impact: '0.00', cdrSource: 'cdrs.ndjson:3' });
  });

  it('a bill row without id matches by caller, private number and answer time within 2 s', async () => {
    const result = await run(
      [call('a')],
      [billed('', { callId: '', answerTime: huaweiTime(AT + 2000) })],
    );
    expect(result.discrepancies).toEqual([]);
    expect(result.summary.matched).toEqual({ byId: 0, byComposite: 1, clean: 1 });
  });

  it('a masked caller number matches the call it masks', async () => {
    const result = await run(
      [call('a')],
      [billed('', { callId: '', callerNum: '+86138****0021' })],
    );
    expect(result.summary.matched.byComposite).toBe(1);
  });

  it('3 s apart is outside the default window: one MISSING_IN_CDRS and one MISSING_IN_BILL', async () => {
    const result = await run(
      [call('a')],
      [billed('', { callId: '', answerTime: huaweiTime(AT + 3000) })],
    );
    expect(kinds(result).sort()).toEqual(['MISSING_IN_BILL', 'MISSING_IN_CDRS']);
  });

  it('composite candidates go to the closest answer time first', async () => {
    const near = call('near', {
      fwdAnswerTime: huaweiTime(AT + 1000),
      callEndTime: huaweiTime(AT + 66_000),
    });
    const result = await run(
      [call('far'), near],
      [billed('', { callId: '', answerTime: huaweiTime(AT + 1000) })],
    );
    expect(result.discrepancies).toMatchObject([{ kind: 'MISSING_IN_BILL', callId: 'far' }]);
  });

  it('rent and SMS lines are other charges, outside the call totals', async () => {
    const result = await run(
      [call('a')],
      [billed('a'), { item: 'rent', amount: '10.00' }, { item: 'sms', amount: '0.05' }],
    );
    expect(result.summary.bill).toEqual({
      rows: 3,
      callRows: 1,
      otherRows: 2,
      rejected: 0,
      totalRows: 0,
      normalisedCells: 0,
      rejectedAmount: '0.00',
      rejectedUnreadable: 0,
    });
    expect(result.summary.totals.otherCharges).toBe('10.05');
    expect(result.discrepancies).toEqual([]);
  });

  it('a bill row with a bad amount, currency, time or seconds is rejected and takes no part', async () => {
    const result = await run(
      [call('a')],
      [
        billed('a', { amount: '1,20' }),
        billed('a', { currency: 'USD' }),
        billed('a', { answerTime: '2026-10-32 00:00:00' }),
        billed('a', { billedSeconds: '65.5' }),
        billed('a'),
      ],
    );
    expect(result.rejected.map((issue) => issue.code)).toEqual([
      'INVALID_AMOUNT',
      'CURRENCY_MISMATCH',
      'INVALID_TIME',
      'INVALID_NUMBER',
    ]);
    expect(result.rejected[0]).toMatchObject({ source: 'bill.csv', line: 2 });
    expect(result.summary.bill).toMatchObject({ rows: 5, callRows: 1, rejected: 4 });
    expect(result.discrepancies).toEqual([]);
  });

  it('records that cannot be rated are rejected with a reason naming the field and value', async () => {
    const result = await run(
      [
        call('a', { callEndTime: '2026-13-01 00:00:00' }),
        call('b', { callEndTime: huaweiTime(AT - 1000) }),
        call('c', { callEndTime: '' }),
      ],
      [],
    );
    expect(result.rejected.map((issue) => issue.code)).toEqual([
      'INVALID_TIME',
      'NEGATIVE_DURATION',
      'MISSING_FIELD',
    ]);
    expect(result.rejected[0]?.reason).toContain(
      "callEndTime '2026-13-01 00:00:00' of call a is not a valid time",
    );
    expect(result.summary.cdrs).toMatchObject({ records: 3, rejected: 3, kept: 0 });
  });

  it('sorts discrepancies by size of impact, then kind and call id', async () => {
    const result = await run(
      [call('a'), call('b'), call('c')],
      [billed('a', { amount: '9.99' }), billed('x', { callerNum: '+8613700000009' })],
    );
    expect(result.discrepancies.map((row) => [row.kind, row.impact])).toEqual([
      ['AMOUNT_MISMATCH', '9.75'],
      ['MISSING_IN_BILL', '-0.24'],
      ['MISSING_IN_BILL', '-0.24'],
      ['MISSING_IN_CDRS', '0.24'],
    ]);
  });

  it('ties of impact, kind and call id are ordered by bill source in byte order (line 10 before line 9)', async () => {
    const rows = [billed('a'), ...Array.from({ length: 8 }, () => billed('a'))];
    const result = await run([call('a')], rows);
    expect(result.discrepancies.map((row) => row.billSource)).toEqual([
      'bill.csv:10',
      ...[3, 4, 5, 6, 7, 8, 9].map((line) => `bill.csv:${line}`),
    ]);
  });

  it('every kind is present in the summary, zero or not', async () => {
    const result = await run([], []);
    expect(Object.keys(result.summary.discrepancies)).toEqual([...DISCREPANCY_KINDS]);
  });

  it('reads batches from async streams as well as lists', async () => {
    async function* batches<T>(list: T[]): AsyncGenerator<T[]> {
      yield list.slice(0, 1);
      await Promise.resolve();
      yield list.slice(1);
    }
    const result = await reconcile(
      {
        cdrs: batches(cdrItemsOf([call('a'), call('b')])),
        bill: batches(billItemsOf([billed('a'), billed('b')])),
      },
      { tariff, period: '2026-10' },
    );
    expect(result.summary.matched.clean).toBe(2);
  });

  describe('properties', () => {
    /** The bill a provider that rates exactly as SPEC §3 does would send for a month. */
    async function honestBill(month: Month): Promise<BillRow[]> {
      const t = parseTariff(month.tariff);
      const { calls } = await rateCalls(month.cdrs, { tariff: t, period: '2026-10' });
      const rows: BillRow[] = [];
      for (const c of calls) {
        if (!c.inPeriod || c.answerMs === undefined || c.billedSeconds === 0) continue;
        const rate = t.rates[c.rateIndex];
        if (rate === undefined) continue;
        rows.push({
          callId: c.callId,
          callerNum: c.callerNum,
          privateNum: c.bindNum,
          answerTime: huaweiTime(c.answerMs),
          endTime: huaweiTime(c.endMs),
          billedSeconds: String(c.seconds),
          // A provider can state minutes exactly only when they have few decimals (SPEC §5.1).
          ...(exactMinutes(c.billedSeconds) && {
            billedMinutes: formatSecondsAsMinutes(c.billedSeconds),
          }),
          ...(exactMinutes(c.packageSeconds) && {
            packageMinutes: formatSecondsAsMinutes(c.packageSeconds),
          }),
          unitPrice: rate.pricePerMinute.text,
          amount: (c.amount / 1e6).toFixed(6),
        });
      }
      return rows;
    }

    function exactMinutes(seconds: number): boolean {
      return (seconds * 1_000_000) % 60 === 0;
    }

    async function check(month: Month, rows: BillRow[]): Promise<ReconcileResult> {
      return reconcile(
        { cdrs: month.cdrs, bill: billItemsOf(rows) },
        { tariff: parseTariff(month.tariff), period: '2026-10' },
      );
    }

    function counts(result: ReconcileResult): Partial<Record<DiscrepancyKind, number>> {
      const out: Partial<Record<DiscrepancyKind, number>> = {};
      for (const kind of DISCREPANCY_KINDS) {
        const n = result.summary.discrepancies[kind].count;
        if (n > 0) out[kind] = n;
      }
      return out;
    }

    it('a bill produced from our own rating reconciles clean', async () => {
      await fc.assert(
        fc.asyncProperty(monthArb(), async (month) => {
          const rows = await honestBill(month);
          const result = await check(month, rows);
          expect(counts(result)).toEqual({});
          expect(result.rejected).toEqual([]);
          expect(result.summary.totals.difference).toBe('0.00');
          expect(result.summary.matched.clean).toBe(rows.length);
        }),
        { numRuns: 60 },
      );
    });

    it('each injected change yields exactly the expected kind and impact', async () => {
      const change = fc.constantFrom(
        'drop',
        'duplicate',
        'add-minute',
        'price',
        'amount',
        'strip-id',
        'bill-unanswered',
        'move-to-next-month',
      );
      await fc.assert(
        fc.asyncProperty(monthArb(), change, fc.nat(), async (month, what, pick) => {
          const rows = await honestBill(month);
          if (rows.length === 0) return;
          const index = pick % rows.length;
          const row = rows[index] as BillRow;
          const amount = Number(row.amount);
          const changed = [...rows];
          let expected: [DiscrepancyKind, string] | undefined;
          let cdrs = month.cdrs;
          switch (what) {
            case 'drop':
              changed.splice(index, 1);
              expected = ['MISSING_IN_BILL', (-amount).toFixed(2)];
              break;
            case 'duplicate':
              changed.push(row);
              expected = ['DUPLICATE_IN_BILL', amount.toFixed(2)];
              break;
            case 'add-minute':
              if (row.billedMinutes === undefined) return;
              changed[index] = {
                ...row,
                billedMinutes: String(Number(row.billedMinutes) + 1),
                amount: (amount + 1).toFixed(2),
              };
              expected = ['MINUTES_MISMATCH', '1.00'];
              break;
            case 'price':
              changed[index] = {
                ...row,
                unitPrice: `${row.unitPrice ?? '0'}1`,
                amount: (amount + 0.5).toFixed(2),
              };
              expected = ['RATE_MISMATCH', '0.50'];
              break;
            case 'amount':
              changed[index] = { ...row, amount: (amount + 0.01).toFixed(2) };
              expected = ['AMOUNT_MISMATCH', '0.01'];
              break;
            case 'strip-id':
              changed[index] = { ...row, callId: '' };
              expected = undefined;
              break;
            case 'bill-unanswered': {
              const unanswered = month.cdrs.find(
                (item) => item.type === 'fee' && item.record.fwdAnswerTime === undefined,
              );
              if (unanswered?.type !== 'fee') return;
              const end = Date.parse(`${(unanswered.record.callEndTime ?? '').replace(' ', 'T')}Z`);
              if (end < Date.UTC(2026, 8, 30, 16) || end >= Date.UTC(2026, 9, 31, 16)) return;
              changed.push({ callId: unanswered.record.sessionId ?? '', amount: '0.36' });
              expected = ['UNANSWERED_BILLED', '0.36'];
              break;
            }
            case 'move-to-next-month': {
              // Moving a call changes who draws on a package first: only without packages.
              if ((month.tariff['allowances'] as unknown[]).length > 0) return;
              const later = (text: string | undefined): string =>
                huaweiTime(Date.parse(`${(text ?? '').replace(' ', 'T')}Z`) + 40 * 86_400_000);
              cdrs = month.cdrs.map((item) =>
                item.type === 'fee' && item.record.sessionId === row.callId
                  ? {
                      ...item,
                      record: {
                        ...item.record,
                        fwdAnswerTime: later(item.record.fwdAnswerTime),
                        callEndTime: later(item.record.callEndTime),
                      },
                    }
                  : item,
              );
              expected = ['PERIOD_MISMATCH', amount.toFixed(2)];
              break;
            }
          }
          const result = await check({ tariff: month.tariff, cdrs }, changed);
          if (expected === undefined) {
            // Without its id the row still finds its call, unless another call of the same
            // caller and number was answered within the window.
            expect(result.summary.matched.byComposite).toBe(1);
          } else {
            expect(counts(result)).toEqual({ [expected[0]]: 1 });
            expect(result.summary.discrepancies[expected[0]].impact).toBe(expected[1]);
          }
          expect(result.summary.totals.unexplained).toBe('0.00');
        }),
        { numRuns: 150 },
      );
    });

    it('a bill passed through Excel (¥ amounts, separators, slash dates, a total row) gives the same result, each reformatted cell counted', async () => {
      const excelAmount = (text: string): string => {
        const negative = text.startsWith('-');
        const [whole = '0', fraction] = (negative ? text.slice(1) : text).split('.');
        const body = `¥${whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}${fraction === undefined ? '' : `.${fraction}`}`;
        return negative ? `(${body})` : body;
      };
      const excelTime = (text: string): string => {
        const [day = '', time = ''] = text.split(' ');
        const [y, m, d] = day.split('-');
        const [h, mi, se] = time.split(':');
        return `${y}/${Number(m)}/${Number(d)} ${Number(h)}:${mi}:${se}`;
      };
      await fc.assert(
        fc.asyncProperty(
          monthArb(),
          fc.array(fc.boolean(), { minLength: 60, maxLength: 60 }),
          async (month, picks) => {
            const rows = await honestBill(month);
            let reformatted = 0;
            const excel = rows.map((row, i) => {
              if (!(picks[i % picks.length] ?? false)) return row;
              const changed: BillRow = {
                ...row,
                ...(row.amount === undefined ? {} : { amount: excelAmount(row.amount) }),
                ...(row.answerTime === undefined ? {} : { answerTime: excelTime(row.answerTime) }),
              };
              for (const key of ['amount', 'answerTime'] as const) {
                if (changed[key] !== row[key]) reformatted++;
              }
              return changed;
            });
            const plain = await check(month, rows);
            const total = rows.reduce((sum, row) => sum + Math.round(Number(row.amount) * 100), 0);
            const items = [
              ...billItemsOf(excel),
              {
                type: 'total' as const,
                amount: `¥${(total / 100).toFixed(2)}`,
                source: 'bill.csv',
                line: excel.length + 2,
              },
            ];
            const read = await reconcile(
              { cdrs: month.cdrs, bill: items },
              { tariff: parseTariff(month.tariff), period: '2026-10' },
            );
            expect(read.summary.totals).toEqual(plain.summary.totals);
            expect(read.summary.discrepancies).toEqual(plain.summary.discrepancies);
            expect(read.summary.bill.normalisedCells).toBe(reformatted);
            expect(read.summary.bill.totalRows).toBe(1);
            expect(read.summary.warnings.filter((w) => w.code === 'TOTAL_ROW_MISMATCH')).toEqual(
              [],
            );
          },
        ),
        { numRuns: 40 },
      );
    });

    it('the books balance for any month and any bill, however wrong', async () => {
      const billRowArb = fc.record({
        callId: fc.oneof(
          fc.constant(''),
          fc
            .integer({ min: 0, max: 80 })
            .map((i) => `s-${String(i).padStart(6, '0')}@callenabler.example`),
        ),
        callerNum: fc.constantFrom('+8613800000001', '+8613800000002', '+86138****0003', ''),
        privateNum: fc.constantFrom('+8613800000001', '+8613900000002', ''),
        answerTime: fc
          .integer({ min: Date.UTC(2026, 8, 30), max: Date.UTC(2026, 10, 1) })
          .map(huaweiTime),
        billedSeconds: fc.oneof(fc.constant(''), fc.nat(700).map(String)),
        billedMinutes: fc.oneof(
          fc.constant(''),
          fc.nat(12).map(String),
          fc.constantFrom('0.616667', '0.62', '1.50', '2.0'),
        ),
        packageMinutes: fc.oneof(fc.constant(''), fc.constantFrom('0', '1', '0.5')),
        unitPrice: fc.oneof(fc.constant(''), fc.constantFrom('0.12', '0.1', '0.15', '0.125')),
        amount: fc.integer({ min: -500, max: 5000 }).map((cents) => (cents / 100).toFixed(2)),
        item: fc.constantFrom('', '', '', 'rent'),
      });
      await fc.assert(
        fc.asyncProperty(
          monthArb(['+86138', '+86139', '+86137']),
          fc.array(billRowArb, { maxLength: 40 }),
          async (month, extra) => {
            const rows = [...(await honestBill(month)), ...extra];
            const result = await check(month, rows);
            expect(result.balanced).toBe(true);
            expect(result.summary.totals.unexplained).toBe('0.00');
            // SPEC §4.6: the bridge ends at theirs, and each pair's steps sum to its impact.
            const cents = (text: string): number => Math.round(Number(text) * 100);
            const { bridge } = result.summary.explanation;
            expect(bridge.map((step) => step.step)).toEqual([...BRIDGE_STEPS]);
            const across = bridge.reduce((sum, step) => sum + cents(step.amount), 0);
            expect(across).toBe(
              cents(result.summary.totals.difference) + cents(result.summary.charges.difference),
            );
            for (const row of result.discrepancies) {
              if (row.stepDuration === '') continue;
              const steps = [
                row.stepDuration,
                row.stepIncrements,
                row.stepRate,
                row.stepPackage,
                row.stepRounding,
              ].reduce((sum, step) => sum + cents(step), 0);
              expect(steps).toBe(cents(row.impact));
            }
            const { cdrs } = result.summary;
            expect(cdrs.records).toBe(cdrs.kept + cdrs.duplicates + cdrs.conflicts + cdrs.rejected);
          },
        ),
        { numRuns: 100 },
      );
    });

    it('shuffling bill rows with distinct ids changes nothing', async () => {
      await fc.assert(
        fc.asyncProperty(
          monthArb(),
          fc.integer({ min: 0, max: 1 }),
          fc.nat(),
          async (month, _unused, seed) => {
            const rows = await honestBill(month);
            const extra: BillRow[] = rows.slice(0, 3).map((row) => ({ ...row, amount: '9.99' }));
            const changed = [
              ...rows.slice(3),
              ...extra.map((row, i) => ({ ...row, callId: `${row.callId ?? ''}-x${i}` })),
            ];
            const shuffled = [...changed];
            let s = seed;
            for (let i = shuffled.length - 1; i > 0; i--) {
              s = (s * 1_103_515_245 + 12_345) % 2_147_483_648;
              const j = s % (i + 1);
              [shuffled[i], shuffled[j]] = [shuffled[j] as BillRow, shuffled[i] as BillRow];
            }
            const a = await check(month, changed);
            const b = await check(month, shuffled);
            const strip = (r: ReconcileResult): unknown =>
              r.discrepancies.map(({ billSource: _b, ...rest }) => rest);
            expect(b.summary).toEqual(a.summary);
            expect(strip(b)).toEqual(strip(a));
          },
        ),
        { numRuns: 60 },
      );
    });

    it('reconcile(x, x) is clean and input order of distinct calls does not change the totals', async () => {
      await fc.assert(
        fc.asyncProperty(monthArb(), async (month) => {
          const rows = await honestBill(month);
          const reversed: Month = { tariff: month.tariff, cdrs: [...month.cdrs].reverse() };
          const a = await check(month, rows);
          const b = await check(reversed, rows);
          expect(b.summary.totals).toEqual(a.summary.totals);
          expect(b.summary.discrepancies).toEqual(a.summary.discrepancies);
        }),
        { numRuns: 40 },
      );
    });
  });
});
