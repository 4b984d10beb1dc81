import type { Checked } from '../issues.js';
import type { BillRow } from '../records.js';
import { normalisePhone } from '../phone.js';
import type { TimeZone } from '../time/zone.js';
import {
  canonicalDecimal,
  isScientificNotation,
  parseMicros,
  parseMinutes,
  readCellDecimal,
  type Minutes,
} from '../money/index.js';
import { readCellTime, type CellTime } from '../time/index.js';
import { reject } from './checks.js';
import { itemOf, type ItemValues } from './items.js';

/** One usable row of the provider's bill (SPEC §2.2), parsed. */
export interface BilledItem {
  /** Position among all bill rows read, 0-based (decides ties, SPEC §4.1). */
  readonly seq: number;
  readonly source: string;
  readonly line: number;
  /** `true` for a call line; rent, SMS, packages and the like are not. */
  readonly isCall: boolean;
  /** The item: `call`, `rent`, `sms`, `package`, or another value as written (SPEC §2.2). */
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
  /** `unitPrice` as a plain decimal, and by value (for comparing with a rate's price). */
  readonly unitPrice: string | undefined;
  readonly unitPriceValue: string | undefined;
  /**
   * How many of its cells were spreadsheet-formatted and read back, counted once into
   * `bill.normalisedCells` when the row is read (absent on a row passed on after that).
   */
  readonly normalised?: number;
}

/** The settings a bill row is read with. */
export interface BillRowContext {
  readonly currency: string;
  readonly billZone: TimeZone;
  /** How `item` cells are read (SPEC §2.2). */
  readonly items: ItemValues;
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

const LARGEST_AMOUNT = '9007199254.740991';

/**
 * Reads an amount cell (plain or spreadsheet-formatted) into micros, or the reason it is
 * none.
 *
 * @param text - the amount as written
 * @returns the micros and whether the cell was normalised, or a reason
 * @example
 * readAmount('¥1,234.50'); // { micros: 1_234_500_000, normalised: true }
 */
export function readAmount(text: string): { micros: number; normalised: boolean } | string {
  const cell = readCellDecimal(text);
  if (cell === undefined) {
    return `amount '${text}' is not a decimal like 12.30, -0.50, ¥1,234.50 or (1.20)`;
  }
  const micros = parseMicros(cell.text);
  if (micros !== undefined) return { micros, normalised: cell.normalised };
  return /\.\d{7,}/.test(cell.text)
    ? `amount '${text}' has more than 6 decimals`
    : `amount '${text}' is beyond the largest amount one row may have (${LARGEST_AMOUNT}); split the row`;
}

const IDENTITY = ['callId', 'callerNum', 'privateNum', 'calleeNum'] as const;

/**
 * Validates one bill row (SPEC §2.2): a call row is refused whole when its amount is not a
 * decimal, its currency differs from the tariff's, one of its times is invalid,
 * `billedSeconds` is not a whole number, a `billedMinutes`, `packageMinutes` or `unitPrice`
 * cell is no decimal (`MALFORMED_ROW`), or an id or number is in scientific notation
 * (`EXCEL_MANGLED`). Spreadsheet-formatted amounts and times are read and counted. A
 * non-call row needs only a valid amount and currency.
 *
 * @param row - the row under canonical column names
 * @param seq - its position among bill rows
 * @param source - its file
 * @param line - its line
 * @param context - the tariff's currency, the bill's time zone, the item values
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
  const item = itemOf(row.item, context.items);
  const isCall = item === 'call';
  const amountText = row.amount;
  if (amountText === undefined || amountText === '') {
    return reject('MISSING_FIELD', source, line, `the row has no amount`);
  }
  const amount = readAmount(amountText);
  if (typeof amount === 'string') return reject('INVALID_AMOUNT', source, line, amount);
  let normalised = amount.normalised ? 1 : 0;
  const currency = row.currency?.trim();
  if (currency && currency.toUpperCase() !== context.currency) {
    return reject(
      'CURRENCY_MISMATCH',
      source,
      line,
      `currency '${currency}' is not the tariff's currency ${context.currency}`,
    );
  }
  // A non-call row (rent, SMS) needs only its amount and currency: no times, no minutes.
  let answerMs: number | undefined;
  let endMs: number | undefined;
  let billedSeconds: number | undefined;
  let billedMinutes: Minutes | undefined;
  let packageMinutes: Minutes | undefined;
  let unitPrice: string | undefined;
  if (isCall) {
    for (const column of IDENTITY) {
      const cell = row[column];
      if (cell !== undefined && isScientificNotation(cell)) {
        return reject(
          'EXCEL_MANGLED',
          source,
          line,
          `${column} '${cell}' is in scientific notation: a spreadsheet turned it into a number and lost its digits; export the column as text`,
        );
      }
    }
    const answer = readBillTime(row.answerTime, 'answerTime', context.billZone);
    if (typeof answer === 'string') return reject('INVALID_TIME', source, line, answer);
    const end = readBillTime(row.endTime, 'endTime', context.billZone);
    if (typeof end === 'string') return reject('INVALID_TIME', source, line, end);
    answerMs = answer?.ms;
    endMs = end?.ms;
    normalised += (answer?.normalised ? 1 : 0) + (end?.normalised ? 1 : 0);
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
    // SPEC §2.2: a minutes or price cell present and no decimal rejects the row.
    const decimals: (string | undefined)[] = [];
    for (const column of ['billedMinutes', 'packageMinutes', 'unitPrice'] as const) {
      const cell = row[column]?.trim();
      if (cell === undefined || cell === '') {
        decimals.push(undefined);
        continue;
      }
      const read = readCellDecimal(cell);
      if (read === undefined) {
        return reject(
          'MALFORMED_ROW',
          source,
          line,
          `${column} '${cell}' is not a decimal like 1.5 (the row is not used)`,
        );
      }
      if (read.normalised) normalised++;
      decimals.push(read.text);
    }
    const [minutesText, packageText, priceText] = decimals;
    if (minutesText !== undefined) billedMinutes = parseMinutes(minutesText);
    if (packageText !== undefined) packageMinutes = parseMinutes(packageText);
    unitPrice = priceText;
  }
  return {
    ok: true,
    value: {
      seq,
      source,
      line,
      isCall,
      item,
      amount: amount.micros,
      callId: row.callId || undefined,
      callerNum: phoneOf(row.callerNum),
      privateNum: phoneOf(row.privateNum),
      calleeNum: phoneOf(row.calleeNum),
      answerMs,
      endMs,
      billedSeconds,
      billedMinutes,
      packageMinutes,
      unitPrice,
      unitPriceValue: unitPrice === undefined ? undefined : canonicalDecimal(unitPrice),
      normalised,
    },
  };
}

function readBillTime(
  text: string | undefined,
  field: string,
  zone: TimeZone,
): CellTime | undefined | string {
  if (text === undefined || text === '') return undefined;
  const read = readCellTime(text, zone);
  if (read === 'no-seconds') {
    return `${field} '${text}' has no seconds: they were cut off (a spreadsheet's time format?); export the column with seconds`;
  }
  if (read === 'invalid') {
    return `${field} '${text}' is not a valid time (expected yyyy-MM-dd HH:mm:ss, yyyy/M/d H:mm:ss or ISO 8601 with Z or an offset)`;
  }
  return read;
}

/** Their seconds of a billed call: `billedSeconds`, else `endTime − answerTime` (SPEC §4.2). */
export function theirSeconds(item: BilledItem): number | undefined {
  if (item.billedSeconds !== undefined) return item.billedSeconds;
  if (item.answerMs !== undefined && item.endMs !== undefined) {
    return Math.ceil((item.endMs - item.answerMs) / 1000);
  }
  return undefined;
}
