import type { Checked, IssueCode } from '../issues.js';
import type { BillRow } from '../records.js';
import { normalisePhone } from '../phone.js';
import { INVALID_TIME, parseInstant } from '../time/instant.js';
import type { TimeZone } from '../time/zone.js';
import { canonicalDecimal, parseMicros, parseMinutes, type Minutes } from '../money/index.js';

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

const TIME_HINT = 'expected yyyy-MM-dd HH:mm:ss or ISO 8601 with Z or an offset';

function reject(code: IssueCode, source: string, line: number, reason: string): Checked<never> {
  return { ok: false, issue: { code, source, line, reason } };
}

function parseTime(
  text: string | undefined,
  column: string,
  zone: TimeZone,
): number | undefined | string {
  if (text === undefined || text === '') return undefined;
  const ms = parseInstant(text, zone);
  return ms === INVALID_TIME ? `${column} '${text}' is not a valid time (${TIME_HINT})` : ms;
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
  if (!isCall) {
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
        answerMs: undefined,
        endMs: undefined,
        billedSeconds: undefined,
        billedMinutes: undefined,
        packageMinutes: undefined,
        unitPrice: undefined,
        unitPriceValue: undefined,
      },
    };
  }
  const answerMs = parseTime(row.answerTime, 'answerTime', context.billZone);
  if (typeof answerMs === 'string') return reject('INVALID_TIME', source, line, answerMs);
  const endMs = parseTime(row.endTime, 'endTime', context.billZone);
  if (typeof endMs === 'string') return reject('INVALID_TIME', source, line, endMs);
  let billedSeconds: number | undefined;
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
  const billedMinutes = row.billedMinutes ? parseMinutes(row.billedMinutes) : undefined;
  const packageMinutes = row.packageMinutes ? parseMinutes(row.packageMinutes) : undefined;
  const unitPriceValue = row.unitPrice ? canonicalDecimal(row.unitPrice) : undefined;
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
