import {
  parseTariff,
  reconcile,
  type BillRow,
  type FeeRecord,
  type ReconcileResult,
} from '../../src/index.js';
import { billItemsOf, cdrItemsOf, huaweiTime } from '../arbitraries/month.js';

const AT = Date.UTC(2026, 9, 15, 1, 0, 0);

/** The tariff of the small report months: one rate, CNY. */
export const REPORT_TARIFF = {
  currency: 'CNY',
  timezone: 'Asia/Shanghai',
  rates: [{ id: 'mobile', pricePerMinute: '0.12', when: { privateNumPrefix: '+86138' } }],
};

/** A fee record of call `id`, `seconds` long, `minutesLater` after the first. */
export function fee(id: string, seconds: number, minutesLater = 0): FeeRecord {
  const start = AT + minutesLater * 60_000;
  return {
    sessionId: id,
    callerNum: '+8613800000021',
    calleeNum: '+8613800000022',
    bindNum: '+8613800000022',
    fwdDstNum: '+8613866887021',
    fwdAnswerTime: huaweiTime(start),
    callEndTime: huaweiTime(start + seconds * 1000),
  };
}

/** A bill row for call `id`, as the provider bills it (no minutes column). */
export function billRow(id: string, seconds: number, amount: string, minutesLater = 0): BillRow {
  return {
    callId: id,
    callerNum: '+8613800000021',
    privateNum: '+8613800000022',
    answerTime: huaweiTime(AT + minutesLater * 60_000),
    billedSeconds: String(seconds),
    unitPrice: '0.12',
    amount,
    item: 'call',
  };
}

/** Reconciles fee records against bill rows under {@link REPORT_TARIFF}. */
export function reconcileRows(
  records: readonly FeeRecord[],
  rows: readonly BillRow[],
): Promise<ReconcileResult> {
  return reconcile(
    { cdrs: cdrItemsOf(records), bill: billItemsOf(rows) },
    { tariff: parseTariff(REPORT_TARIFF), period: '2026-10' },
  );
}

/**
 * A small month with something of each action: a clean call, a call missing from the bill
 * (under-billed), a billed call we have no record of (claim), a hostile cell, and rent.
 */
export function smallMonth(): Promise<ReconcileResult> {
  return reconcileRows(
    [fee('a', 65), fee('b', 30, 5)],
    [
      billRow('a', 65, '0.24'),
      billRow('<script>alert(1)</script>', 40, '0.12', 30),
      billRow('=HYPERLINK("http://example.invalid","x")', 40, '0.12', 40),
      { amount: '10.00', item: 'rent' },
    ],
  );
}
