import type { Checked } from '../issues.js';
import type { BillRow } from '../records.js';
import { normalisePhone } from '../phone.js';
import type { TimeZone } from '../time/zone.js';
import { canonicalDecimal, parseMicros, parseMinutes, type Minutes } from '../money/index.js';
import { readTime, reject } from './checks.js';

/** One usable row of the provider's bill (SPEC §2.2), parsed. */
export interface BilledItem {
  /** Position among all bill rows read, 0-based (decides ties, SPEC §4.1). */
  readonly seq: number;
  readonly source: string;
  readonly line: number;
  /** `true` for a call line; rent, SMS, packages and the like are not. */
  readonly isCall: boolean;
  /** The `item` cell as written (`call` when absent). */
  readonly item: string;
  /** The charged amount in micro-units. */
  readonly amount: number;
  readonly callId: string | undefined;
  readonly callerNum: string | undefined;
  readonly privateNum: string | undefined;
  readonly calleeNum: string | undefined;
  readonly answerMs: number | undefined;
  readonly endMs: number | undefined;
  readonly billedSeconds: number | undefined;
  readonly billedMinutes: Minutes | undefined;
  readonly packageMinutes: Minutes | undefined;
  /** `unitPrice` as written, and by value (for comparing with a rate's price). */
  readonly unitPrice: string | undefined;
  readonly unitPriceValue: string | undefined;
}

/** The settings a bill row is read with. */
export interface BillRowContext {
  readonly currency: string;
  readonly billZone: TimeZone;
}

/** A normalised number, or `undefined` when the cell holds none (`-`, spaces). */
function phoneOf(text: string | undefined): string | undefined {
  return text ? normalisePhone(text) || undefined : undefined;
}

function isWholeNumber(text: string): boolean {
  if (text.length === 0 || text.length > 15) return false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

/**
 * Validates one bill row (SPEC §2.2): a call row is refused whole when its amount is not a
 * plain decimal, its currency differs from the tariff's, one of its times is invalid, or
 * `billedSeconds` is not a whole number; a minutes or price cell that is not a decimal is
 * unknown. A non-call row needs only a valid amount and currency.
 *
 * @param row - the row under canonical column names
 * @param seq - its position among bill rows
 * @param source - its file
 * @param line - its line
 * @param context - the tariff's currency and the bill's time zone
 * @returns the parsed row, or why it cannot be used
 * @example
 * readBillRow({ callId: 'abc', amount: '0.24' }, 0, 'bill.csv', 2, context);
 */
export function readBillRow(
  row: BillRow,
  seq: number,
  source: string,
  line: number,
  context: BillRowContext,
): Checked<BilledItem> {
  const itemText = row.item?.trim() ?? '';
  const item = itemText === '' ? 'call' : itemText;
  const isCall = item.toLowerCase() === 'call';
  const amountText = row.amount;
  if (amountText === undefined || amountText === '') {
    return reject('MISSING_FIELD', source, line, `the row has no amount`);
  }
  const amount = parseMicros(amountText);
  if (amount === undefined) {
    return reject(
      'INVALID_AMOUNT',
      source,
      line,
      `amount '${amountText}' is not a plain decimal like 12.30 or -0.50 (at most 6 decimals)`,
    );
  }
  const currency = row.currency?.trim();
  if (currency && currency.toUpperCase() !== context.currency) {
    return reject(
      'CURRENCY_MISMATCH',
      source,
      line,
      `currency '${currency}' is not the tariff's currency ${context.currency}`,
    );
  }
  const callId = row.callId || undefined;
  const callerNum = phoneOf(row.callerNum);
  const privateNum = phoneOf(row.privateNum);
  const calleeNum = phoneOf(row.calleeNum);
  // A non-call row (rent, SMS) needs only its amount and currency: no times, no minutes.
  let answerMs: number | undefined;
  let endMs: number | undefined;
  let billedSeconds: number | undefined;
  let billedMinutes: Minutes | undefined;
  let packageMinutes: Minutes | undefined;
  let unitPriceValue: string | undefined;
  if (isCall) {
    const answer = readTime(row.answerTime, 'answerTime', context.billZone);
    if (typeof answer === 'string') return reject('INVALID_TIME', source, line, answer);
    const end = readTime(row.endTime, 'endTime', context.billZone);
    if (typeof end === 'string') return reject('INVALID_TIME', source, line, end);
    answerMs = answer;
    endMs = end;
    if (row.billedSeconds) {
      if (!isWholeNumber(row.billedSeconds)) {
        return reject(
          'INVALID_NUMBER',
          source,
          line,
          `billedSeconds '${row.billedSeconds}' is not a whole number of seconds`,
        );
      }
      billedSeconds = Number(row.billedSeconds);
    }
    // SPEC §2.2 rejects a call row for its amount, currency, times and billedSeconds only; a
    // minutes or price cell that is not a decimal is an unknown value, and its rule is skipped.
    if (row.billedMinutes) billedMinutes = parseMinutes(row.billedMinutes);
    if (row.packageMinutes) packageMinutes = parseMinutes(row.packageMinutes);
    if (row.unitPrice) unitPriceValue = canonicalDecimal(row.unitPrice);
  }
  return {
    ok: true,
    value: {
      seq,
      source,
      line,
      isCall,
      item,
      amount,
      callId,
      callerNum,
      privateNum,
      calleeNum,
      answerMs,
      endMs,
      billedSeconds,
      billedMinutes,
      packageMinutes,
      unitPrice: unitPriceValue === undefined ? undefined : row.unitPrice,
      unitPriceValue,
    },
  };
}

/** Their seconds of a billed call: `billedSeconds`, else `endTime − answerTime` (SPEC §4.2). */
export function theirSeconds(item: BilledItem): number | undefined {
  if (item.billedSeconds !== undefined) return item.billedSeconds;
  if (item.answerMs !== undefined && item.endMs !== undefined) {
    return Math.ceil((item.endMs - item.answerMs) / 1000);
  }
  return undefined;
}
