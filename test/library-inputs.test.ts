import { describe, expect, it } from 'vitest';
import { parseTariff, reconcile, type BillRow } from '../src/index.js';
import { billItemsOf, huaweiTime } from './arbitraries/month.js';

const tariff = parseTariff({
  currency: 'CNY',
  timezone: 'Asia/Shanghai',
  rates: [{ id: 'all', pricePerMinute: '0.12' }],
});
const AT = Date.UTC(2026, 9, 15, 1, 0, 0);

function fee(n: number, seconds = 65): Record<string, unknown> {
  const answer = AT + n * 3_600_000;
  return {
    sessionId: `s-${n}`,
    callerNum: `+86138000000${String(n).padStart(2, '0')}`,
    bindNum: '+8613800000099',
    fwdDstNum: '+8613866887021',
    fwdAnswerTime: huaweiTime(answer),
    callEndTime: huaweiTime(answer + seconds * 1000),
  };
}

describe('the library takes what a service received', () => {
  it('a push body and a plain FeeInfo are read like reader items', async () => {
    const result = await reconcile(
      {
        cdrs: [{ eventType: 'fee', feeLst: [fee(1), fee(2)] }, fee(3), { eventType: 'callin' }],
        bill: [
          { callId: 's-1', amount: 0.24 },
          { callId: 's-2', amount: '0.24' },
          { callId: 's-3', amount: '0.24' },
        ],
      },
      { tariff, period: '2026-10' },
    );
    expect(result.discrepancies).toEqual([]);
    expect(result.summary.cdrs).toMatchObject({ records: 3, kept: 3, skippedEvents: 1 });
  });

  it('a value of the wrong shape is a rejected record naming the field, never a crash', async () => {
    const result = await reconcile(
      {
        cdrs: [
          { ...fee(1), fwdAnswerTime: { at: 1 } },
          42 as unknown as Record<string, unknown>, // what an untyped caller may pass
          { ...fee(2), fwdAnswerTime: 1792030500000 },
        ],
        bill: [null as unknown as Record<string, unknown>, { callId: ['x'], amount: '1' }],
      },
      { tariff, period: '2026-10' },
    );
    expect(result.rejected.map((issue) => issue.reason)).toEqual([
      'fwdAnswerTime is a object, not text',
      'a CDR item is number, not an object',
      expect.stringContaining("fwdAnswerTime '1792030500000'"),
      'a bill item is null, not an object',
      'callId is a list, not text',
    ]);
  });

  it('an option of the wrong type names the option', async () => {
    await expect(
      reconcile(
        { cdrs: [], bill: [] },
        { tariff, period: '2026-10', amountTolerance: 0.01 as unknown as string },
      ),
    ).rejects.toThrow(/amountTolerance: got the number 0.01/);
  });
});

describe('BILL_TIME_OFFSET', () => {
  const calls = Array.from({ length: 25 }, (_, n) => fee(n));
  const rowsShifted = (hours: number, shifted = 25): BillRow[] =>
    calls.map((call, n) => ({
      callerNum: call['callerNum'] as string,
      privateNum: '+8613800000099',
      answerTime: huaweiTime(AT + n * 3_600_000 + (n < shifted ? hours * 3_600_000 : 0)),
      amount: '0.24',
    }));
  const warnings = async (rows: BillRow[]): Promise<string[]> =>
    (
      await reconcile({ cdrs: calls, bill: billItemsOf(rows) }, { tariff, period: '2026-10' })
    ).summary.warnings
      .filter((w) => w.code === 'BILL_TIME_OFFSET')
      .map((w) => w.message);

  it('finds the +8 h of a Beijing-time bill and names --bill-timezone Asia/Shanghai', async () => {
    const [message] = await warnings(rowsShifted(8));
    expect(message).toContain('shifted by -8 h');
    expect(message).toContain('try --bill-timezone Asia/Shanghai');
  });

  it('finds a −5 h shift and names America/New_York', async () => {
    const [message] = await warnings(rowsShifted(-5));
    expect(message).toContain('shifted by +5 h');
    expect(message).toContain('America/New_York');
  });

  it('says nothing without a shift, or when few of the unmatched rows fit one (SPEC §2.4: 20, or all)', async () => {
    expect(await warnings(rowsShifted(0))).toEqual([]);
    const strays: BillRow[] = Array.from({ length: 5 }, (_, n) => ({
      callerNum: '+8613900000001',
      privateNum: '+8613800000099',
      answerTime: huaweiTime(AT + n * 60_000),
      amount: '0.24',
    }));
    expect(await warnings([...rowsShifted(8, 3), ...strays])).toEqual([]);
  });
});

describe('SPEC §4.2 rule 4: either seconds agree', () => {
  it('65 s at 60/60: billedSeconds 65 and 120 agree, 66 does not', async () => {
    const result = await reconcile(
      {
        cdrs: [fee(1), fee(2), fee(3)],
        bill: [
          { callId: 's-1', billedSeconds: '65', amount: '0.24' },
          { callId: 's-2', billedSeconds: '120', amount: '0.24' },
          { callId: 's-3', billedSeconds: '66', amount: '0.24' },
        ],
      },
      { tariff, period: '2026-10' },
    );
    expect(result.discrepancies.map((row) => `${row.kind} ${row.callId}`)).toEqual([
      'DURATION_MISMATCH s-3',
    ]);
  });
});
