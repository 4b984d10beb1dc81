/**
 * `rated.csv` lines written as bytes straight into a Buffer: the same bytes as
 * `Buffer.from(ratedCsvLine(call, context, options))`, without the line's intermediate strings.
 * It runs once per call of the month, so the common cells (ASCII ids, phone numbers, times,
 * integers, amounts) are written digit by digit; anything unusual falls back to the string
 * functions of `ratedCsvLine`.
 */
import { formatIsoTime, type TimeZone } from '../../core/time/index.js';
import {
  formatPricePerMinute,
  type ChargedCall,
  type RowContext,
} from '../../core/reconcile/index.js';
import { maskPhone } from '../../core/phone.js';
import type { Tariff } from '../../core/tariff/index.js';
import { writeUtf8 } from '../bytes.js';
import { writeAscii, writeNumber, writeMicros, writeMinutes } from './byte-numbers.js';
import { csvCell, guardFormula } from './csv-cells.js';
import type { LineWriter } from './line-writer.js';
import type { ReportOptions } from './write-report.js';

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
const COMMA = 44;
const STAR = 42;
const NEWLINE = 10;
const ZERO = 48;

/**
 * Most bytes of a time cell of an instant within `Date`'s range (±8.64e15 ms) in a zone whose
 * offset is under 100 hours: a year of up to 6 digits and a sign, `-MM-DDTHH:mm:ss`, `±HH:mm`.
 */
const TIME_MAX_BYTES = 32;
const MAX_DATE_MS = 8.64e15;
/** Most characters of `String(n)` for any number n (`-0.0000012345678901234567`). */
const NUMBER_MAX_BYTES = 25;
/** Commas and the line feed. */
const SEPARATOR_BYTES = 13;

/** The cells of a call that depend only on its rate, encoded once per tariff. */
interface RateCells {
  /** `unitPrice`. */
  readonly price: Uint8Array;
  /** `rateId`, guarded and quoted as needed. */
  readonly rateId: Uint8Array;
}

interface TariffCells {
  /** By rate index. */
  readonly rates: readonly RateCells[];
  /** The most bytes of a rate's cells, for {@link ratedLineMaxBytes}. */
  readonly maxBytes: number;
}

const NO_RATE: RateCells = { price: new Uint8Array(0), rateId: new Uint8Array(0) };
const tariffCells = new WeakMap<Tariff, TariffCells>();
// A run writes one tariff's calls: the last one saves the WeakMap lookup.
let lastTariff: Tariff | undefined;
let lastTariffCells: TariffCells = { rates: [], maxBytes: 0 };

function cellsOfTariff(tariff: Tariff): TariffCells {
  if (tariff === lastTariff) return lastTariffCells;
  let cells = tariffCells.get(tariff);
  if (cells === undefined) {
    const rates = tariff.rates.map((rate) => ({
      price: Buffer.from(formatPricePerMinute(rate.pricePerMinute, tariff.amountDecimals)),
      rateId: Buffer.from(csvCell(guardFormula(rate.id ?? ''))),
    }));
    const maxBytes = Math.max(0, ...rates.map((r) => r.price.length + r.rateId.length));
    cells = { rates, maxBytes };
    tariffCells.set(tariff, cells);
  }
  lastTariff = tariff;
  lastTariffCells = cells;
  return cells;
}

/**
 * An upper bound of the UTF-8 bytes of a call's `rated.csv` line, from string lengths and the
 * tariff's cached rate cells: a UTF-16 unit is at most 3 bytes, and guarding and quoting add
 * at most 3 to a cell (a doubled `"` is 2 bytes for a unit counted as 3).
 *
 * It takes the context as well as the call because the `unitPrice` and `rateId` cells come
 * from the tariff and have no bound of their own. Times assume a zone whose offset is under
 * 100 hours (every IANA zone's is) and a tariff's `amountDecimals` a whole number.
 *
 * @param call - the rated call
 * @param context - tariff and zone for the cells
 * @returns bytes that {@link encodeRatedLine} may need for the call
 * @example
 * if (buffer.length - offset < ratedLineMaxBytes(call, context)) flush();
 */
export function ratedLineMaxBytes(call: ChargedCall, context: RowContext): number {
  const texts =
    call.callId.length + call.callerNum.length + call.bindNum.length + call.fwdDstNum.length;
  const decimals = context.tariff.amountDecimals;
  return (
    3 * texts +
    12 +
    (call.answerMs === undefined ? 0 : timeMaxBytes(call.answerMs, context.zone)) +
    timeMaxBytes(call.endMs, context.zone) +
    4 * NUMBER_MAX_BYTES +
    // formatMicros: a sign, 10 digits of a safe integer of micros, '.', its decimals
    12 +
    (decimals > 6 ? decimals : 6) +
    cellsOfTariff(context.tariff).maxBytes +
    SEPARATOR_BYTES
  );
}

function timeMaxBytes(epochMs: number, zone: TimeZone): number {
  if (epochMs >= -MAX_DATE_MS && epochMs <= MAX_DATE_MS) return TIME_MAX_BYTES;
  return formatIsoTime(epochMs, zone).length; // NaN, ±Infinity, beyond Date: rare, ASCII
}

/**
 * Writes a call's `rated.csv` line, with its `\n`, as UTF-8 into `target` at `offset`: byte
 * for byte `Buffer.from(ratedCsvLine(call, context, options))`. Throws where `ratedCsvLine`
 * throws (an amount or seconds that is not a safe integer), having written part of the line.
 *
 * @param call - the rated call
 * @param context - tariff and zone for the cells
 * @param options - masking
 * @param target - the buffer to write into; `target.length - offset` must be at least
 *   {@link ratedLineMaxBytes}
 * @param offset - where the line starts
 * @returns the offset after the line
 * @example
 * offset = encodeRatedLine(call, context, {}, buffer, offset);
 */
export function encodeRatedLine(
  call: ChargedCall,
  context: RowContext,
  options: ReportOptions,
  target: Buffer,
  offset: number,
): number {
  const tariff = context.tariff;
  const zone = context.zone;
  const rateIndex = call.rateIndex;
  // rates[-1] is a slow named-property lookup in V8; it is undefined all the same
  const rate = rateIndex >= 0 ? tariff.rates[rateIndex] : undefined;
  const rateCells =
    rate === undefined ? NO_RATE : (cellsOfTariff(tariff).rates[rateIndex] ?? NO_RATE);
  const unrated = call.answerMs !== undefined && rate === undefined;
  const mask = options.showNumbers !== true;
  let o = writeTextCell(target, offset, call.callId);
  target[o++] = COMMA;
  o = writePhoneCell(target, o, call.callerNum, mask);
  target[o++] = COMMA;
  o = writePhoneCell(target, o, call.bindNum, mask);
  target[o++] = COMMA;
  o = writePhoneCell(target, o, call.fwdDstNum, mask);
  target[o++] = COMMA;
  if (call.answerMs !== undefined) o = writeIsoTime(target, o, call.answerMs, zone);
  target[o++] = COMMA;
  o = writeIsoTime(target, o, call.endMs, zone);
  target[o++] = COMMA;
  o = writeNumber(target, o, call.seconds);
  target[o++] = COMMA;
  if (unrated) {
    target[o++] = COMMA;
    target[o++] = COMMA;
  } else {
    o = writeNumber(target, o, call.billedSeconds);
    target[o++] = COMMA;
    o = writeMinutes(target, o, call.billedSeconds);
    target[o++] = COMMA;
    o = writeMinutes(target, o, call.packageSeconds);
  }
  target[o++] = COMMA;
  o = writeBytes(target, o, rateCells.price);
  target[o++] = COMMA;
  if (!unrated) o = writeMicros(target, o, call.amount, tariff.amountDecimals);
  target[o++] = COMMA;
  o = writeBytes(target, o, rateCells.rateId);
  target[o++] = NEWLINE;
  return o;
}

/**
 * Writes a call's `rated.csv` line to a writer, encoded straight into its buffer.
 *
 * @param out - the writer
 * @param call - the rated call
 * @param context - tariff and zone for the cells
 * @param options - masking
 */
export function writeRatedLine(
  out: LineWriter,
  call: ChargedCall,
  context: RowContext,
  options: ReportOptions,
): void {
  const target = out.reserve(ratedLineMaxBytes(call, context));
  out.commit(encodeRatedLine(call, context, options, target, out.offset));
}

function writeBytes(target: Buffer, offset: number, bytes: Uint8Array): number {
  for (let i = 0; i < bytes.length; i++) target[offset + i] = bytes[i] as number;
  return offset + bytes.length;
}

/** Text known to be ASCII (numbers as `String` writes them). */

/** `csvCell(guardFormula(text))`, as UTF-8. */
function writeGuardedCell(target: Buffer, offset: number, text: string): number {
  return offset + writeUtf8(target, csvCell(guardFormula(text)), offset);
}

/**
 * A text cell from the input: written as it is when it is ASCII (as many bytes as characters)
 * and needs neither guard nor quotes, else rewritten through the string functions. One native
 * write and four native searches beat a loop over the ~70 characters of a Huawei session id.
 */
function writeTextCell(target: Buffer, offset: number, text: string): number {
  const first = text.charCodeAt(0);
  // guardFormula's starts: '=' '+' '-' '@' tab (CR needs quotes anyway)
  if (first !== 61 && first !== 43 && first !== 45 && first !== 64 && first !== 9) {
    const bytes = writeUtf8(target, text, offset);
    if (
      bytes === text.length &&
      !text.includes(',') &&
      !text.includes('"') &&
      !text.includes('\n') &&
      !text.includes('\r')
    ) {
      return offset + bytes;
    }
  }
  return writeGuardedCell(target, offset, text);
}

/**
 * A phone cell, masked as `maskPhone` masks unless `mask` is off. A number whose shown
 * characters are `+`, digits and `*` needs neither guard nor quotes, masked or not
 * (guardFormula's phone exception), so it is written directly; the hidden ones become `*`
 * whatever they are, as in maskPhone. Anything else goes through the string functions.
 */
function writePhoneCell(target: Buffer, offset: number, text: string, mask: boolean): number {
  const length = text.length;
  const plus = text.charCodeAt(0) === 43 ? 1 : 0;
  const digits = length - plus;
  if (digits === 0) {
    // '' stays empty; a lone '+' is guarded
    return plus === 0 ? offset : writeGuardedCell(target, offset, text);
  }
  // Positions (within the digits) shown as they are: [0, head) and [tail, digits).
  let head = digits;
  let tail = digits;
  if (mask && digits > 2) {
    if (digits >= 11) {
      head = text.charCodeAt(plus) === 56 && text.charCodeAt(plus + 1) === 54 ? 5 : 3; // '86'
      tail = digits - 4;
    } else {
      head = 0;
      tail = digits - 2;
    }
  }
  if (plus === 1) target[offset] = 43;
  const start = offset + plus;
  for (let i = 0; i < digits; i++) {
    if (i === head) {
      for (; i < tail; i++) target[start + i] = STAR;
      if (i === digits) break;
    }
    const c = text.charCodeAt(plus + i);
    if (!((c >= ZERO && c <= 57) || c === STAR)) {
      return mask
        ? writeGuardedCell(target, offset, maskPhone(text))
        : writeTextCell(target, offset, text);
    }
    target[start + i] = c;
  }
  return offset + length;
}

// formatIsoTime's text is `date` 'T' `HH:mm:ss` `suffix`; the date of the last local day and
// the suffix of the last offset are kept as bytes, taken from formatIsoTime itself.
let lastDays = Number.NaN;
let lastDate: Uint8Array = new Uint8Array(0);
let lastOffset = Number.NaN;
let lastSuffix: Uint8Array = new Uint8Array(0);

const suffixes = new Map<number, Uint8Array>();

// The offset of the last hour asked, when the zone gives the same offset at both its ends: an
// hour createTimeZone caches, so its offsetAt would give that offset anywhere in the hour.
// A call's two times and the next call's are mostly in the same hour: Map lookups saved.
let hourZone: TimeZone | undefined;
let hour = Number.NaN;
let hourOffset = 0;

/** `zone.offsetAt(epochMs)`. */
function offsetAt(zone: TimeZone, epochMs: number): number {
  const at = Math.floor(epochMs / HOUR_MS);
  if (at === hour && zone === hourZone) return hourOffset;
  const start = zone.offsetAt(at * HOUR_MS);
  if (start !== zone.offsetAt(at * HOUR_MS + HOUR_MS - 1)) return zone.offsetAt(epochMs);
  hourZone = zone;
  hour = at;
  hourOffset = start;
  return start;
}

/** `formatIsoTime(epochMs, zone)`. */
function writeIsoTime(target: Buffer, offset: number, epochMs: number, zone: TimeZone): number {
  const zoneOffset = offsetAt(zone, epochMs);
  const local = epochMs + zoneOffset;
  const days = Math.floor(local / DAY_MS);
  const seconds = Math.floor((local - days * DAY_MS) / 1000);
  if (!(seconds >= 0 && seconds < 86_400)) {
    return writeAscii(target, offset, formatIsoTime(epochMs, zone)); // NaN, ±Infinity
  }
  if (days !== lastDays || zoneOffset !== lastOffset) {
    cacheTimeParts(epochMs, zone, days, zoneOffset);
  }
  let o = writeBytes(target, offset, lastDate);
  target[o++] = 84; // 'T'
  const second = seconds | 0; // 0..86399
  const hours = (second / 3600) | 0;
  const minutes = ((second / 60) | 0) % 60;
  const secs = second % 60;
  target[o] = ZERO + ((hours / 10) | 0);
  target[o + 1] = ZERO + (hours % 10);
  target[o + 2] = 58; // ':'
  target[o + 3] = ZERO + ((minutes / 10) | 0);
  target[o + 4] = ZERO + (minutes % 10);
  target[o + 5] = 58;
  target[o + 6] = ZERO + ((secs / 10) | 0);
  target[o + 7] = ZERO + (secs % 10);
  o += 8;
  return writeBytes(target, o, lastSuffix);
}

function cacheTimeParts(epochMs: number, zone: TimeZone, days: number, offset: number): void {
  let suffix = suffixes.get(offset);
  if (days !== lastDays || suffix === undefined) {
    const text = formatIsoTime(epochMs, zone);
    const t = text.indexOf('T'); // the date is digits and '-'
    lastDays = days;
    lastDate = Buffer.from(text.slice(0, t), 'latin1');
    if (suffix === undefined) {
      suffix = Buffer.from(text.slice(t + 9), 'latin1');
      suffixes.set(offset, suffix);
    }
  }
  lastOffset = offset;
  lastSuffix = suffix;
}
