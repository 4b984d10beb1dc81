/**
 * Reads a push body (or one FeeInfo) straight from its text, in one pass: a strict JSON
 * grammar that keeps the values of the fee fields, validates and skips every other value,
 * and finds a key given twice in the push body or a FeeInfo on the way. What it does not
 * handle it leaves to `JSON.parse` and the checks after it (fee-line.ts), which then give
 * the items and the reasons they always gave.
 */
import type { FeeRecord } from '../core/records.js';
import type { FEE_FIELDS } from '../core/records.js';
import type { DuplicateKey } from './json-keys.js';
import {
  FIELD_COUNT,
  EVENT_TYPE,
  FEE_LST,
  SMS_EVENT,
  OTHER_KEY,
  KEY_NAMES,
  keyNumber,
  KeySet,
  spells,
} from './fee-keys.js';
import {
  FALLBACK,
  QUOTE,
  COMMA,
  COLON,
  OPEN_BRACE,
  CLOSE_BRACE,
  OPEN_BRACKET,
  CLOSE_BRACKET,
  JsonGrammar,
} from './json-grammar.js';

/** What {@link scanPush} found in a push body that it read to its end. */
export interface PushScan {
  /**
   * `fee`: {@link records} are its FeeInfo; `skipped`: a non-fee event (SPEC §2.1);
   * `duplicate`: a key given twice ({@link duplicate}).
   */
  readonly kind: 'fee' | 'skipped' | 'duplicate';
  /** The fee records, in text order (reused by the next scan: take them before it). */
  readonly records: readonly FeeRecord[];
  /** Whether the records are the elements of a `feeLst` (else the body is one FeeInfo). */
  readonly inList: boolean;
  /** The first key given twice, in text order. */
  readonly duplicate: DuplicateKey | undefined;
}

/**
 * Scans the JSON value in `text[start, end)` as a push body or FeeInfo (SPEC §2.1).
 *
 * It reads the common case itself: an object whose `feeLst` is an array of objects, fee
 * fields holding strings, numbers a fee record keeps exactly, booleans or null, and keys
 * without escapes; and a non-fee event, or a key given twice, in valid JSON. It returns
 * `undefined` for anything else (invalid JSON, a top-level array, an SMS notification, a
 * key with an escape, a record to reject, nesting deeper than it tracks), and the caller
 * parses the text with `JSON.parse` instead: its items, and its reasons, are then exactly
 * those of that path.
 *
 * @param text - text holding the value
 * @param start - the value's first character
 * @param end - the position after its last character (blanks may come before it)
 * @returns the scan, or `undefined` to parse the text with `JSON.parse`
 * @example
 * const scan = scanPush('{"feeLst":[{"sessionId":"a","direction":0}]}', 0, 44);
 * // { kind: 'fee', records: [{ sessionId: 'a', direction: '0' }], inList: true, ... }
 */
export function scanPush(text: string, start: number, end: number): PushScan | undefined {
  const scanner = SCANNER;
  scanner.begin(text, end);
  try {
    return scanner.push(start);
  } catch (error) {
    if (error === FALLBACK) return undefined;
    throw error;
  } finally {
    scanner.text = '';
  }
}

type MutableFeeRecord = { -readonly [K in (typeof FEE_FIELDS)[number]]?: string };

class Scanner extends JsonGrammar {
  private readonly body = new KeySet();
  private readonly info = new KeySet();
  /** The fee field values of the object being read, by field number. */
  private readonly values: (string | undefined)[] = new Array<string | undefined>(FIELD_COUNT).fill(
    undefined,
  );
  private readonly records: FeeRecord[] = [];
  private duplicate: DuplicateKey | undefined;

  begin(text: string, end: number): void {
    this.text = text;
    this.end = end;
    this.special = -1;
    this.duplicate = undefined;
    if (this.records.length > 0) this.records.length = 0;
  }

  push(start: number): PushScan {
    const text = this.text;
    if (text.charCodeAt(start) !== OPEN_BRACE || start >= this.end) throw FALLBACK;
    const keys = this.body;
    keys.start();
    const values = this.values;
    values.fill(undefined);
    let feeLst = false;
    /** The eventType is absent, null or "fee". */
    let isFee = true;
    /** A fee field of the body holds what a record cannot. */
    let bodyUnusable = false;
    this.listUnusable = false;
    let at = this.space(start + 1);
    if (this.peek(at) === CLOSE_BRACE) {
      at++;
    } else {
      for (let k = 0; ; k++) {
        at = this.key(at, keys, k, 'push body');
        const id = this.keyId;
        if (id === FEE_LST) {
          feeLst = true;
          if (text.charCodeAt(at) === OPEN_BRACKET) {
            at = this.feeLst(at + 1);
          } else {
            // Not an array: rejected, unless the event is skipped or a key given twice.
            at = this.skipValue(at);
            this.listUnusable = true;
          }
        } else if (id === EVENT_TYPE) {
          const c = text.charCodeAt(at);
          if (c === QUOTE) {
            at = this.string(at, true);
            isFee = this.value === 'fee';
          } else if (c === 0x6e) {
            at = this.word(at, 'null');
            isFee = true;
          } else {
            // A number, boolean, object or array: not "fee", so the event is skipped.
            at = this.skipValue(at);
            isFee = false;
          }
        } else if (id === SMS_EVENT) {
          // SPEC §4.5: an SMS notification is read by the JSON.parse path.
          if (text.charCodeAt(at) === OPEN_BRACE) throw FALLBACK;
          at = this.skipValue(at);
        } else if (id >= 0 && id < FIELD_COUNT) {
          at = this.field(at);
          values[id] = this.value;
          if (this.unusable) bodyUnusable = true;
        } else {
          at = this.skipValue(at);
        }
        at = this.space(at);
        const c = text.charCodeAt(at++);
        if (c === CLOSE_BRACE && at <= this.end) break;
        if (c !== COMMA || at >= this.end) throw FALLBACK;
        at = this.space(at);
      }
    }
    if (this.space(at) !== this.end) throw FALLBACK;
    const scan = RESULT;
    scan.duplicate = this.duplicate;
    scan.inList = feeLst;
    // The order of CdrSink.value after JSON.parse: a key given twice, a non-fee event, then
    // the records; a record rejected is left to that path, for its reason.
    if (this.duplicate !== undefined) scan.kind = 'duplicate';
    else if (!isFee) scan.kind = 'skipped';
    else if (feeLst ? this.listUnusable : bodyUnusable) throw FALLBACK;
    else {
      scan.kind = 'fee';
      if (!feeLst) this.records.push(recordOf(values));
    }
    scan.records = this.records;
    return scan;
  }

  /** The elements of a `feeLst`, from after its `[`: FeeInfo objects, or the text falls back. */
  private feeLst(from: number): number {
    const text = this.text;
    let at = this.space(from);
    if (this.peek(at) === CLOSE_BRACKET) return at + 1;
    for (;;) {
      if (this.peek(at) === OPEN_BRACE) {
        at = this.feeInfo(at + 1);
      } else {
        at = this.skipValue(at);
        this.listUnusable = true;
      }
      at = this.space(at);
      const c = text.charCodeAt(at++);
      if (c === CLOSE_BRACKET && at <= this.end) return at;
      if (c !== COMMA || at >= this.end) throw FALLBACK;
      at = this.space(at);
    }
  }

  /** One FeeInfo, from after its `{`; its record is added to {@link records}. */
  private feeInfo(from: number): number {
    const text = this.text;
    const keys = this.info;
    keys.start();
    const values = this.values;
    values.fill(undefined);
    let at = this.space(from);
    if (this.peek(at) === CLOSE_BRACE) {
      this.records.push(recordOf(values));
      return at + 1;
    }
    for (let k = 0; ; k++) {
      at = this.key(at, keys, k, 'FeeInfo');
      const id = this.keyId;
      if (id >= 0 && id < FIELD_COUNT) {
        at = this.field(at);
        values[id] = this.value;
        if (this.unusable) this.listUnusable = true;
      } else {
        at = this.skipValue(at);
      }
      // Compact pushes have no blanks: the common case is tested first.
      let c = text.charCodeAt(at);
      if (c <= 0x20) {
        at = this.space(at);
        c = text.charCodeAt(at);
      }
      at++;
      if (c === COMMA) {
        if (at >= this.end) throw FALLBACK;
        continue;
      }
      if (c !== CLOSE_BRACE || at > this.end) throw FALLBACK;
      this.records.push(recordOf(values));
      return at;
    }
  }

  /** The number of the key read by {@link key} ({@link OTHER_KEY} for one not known). */
  private keyId = OTHER_KEY;

  /**
   * The `k`th key of an object, from its quote (after blanks), and its colon; returns the
   * position of its value (after blanks). A key with an escape falls back: two spellings of
   * one key are the same key.
   */
  private key(at: number, keys: KeySet, k: number, where: DuplicateKey['where']): number {
    const text = this.text;
    let from = at;
    if (text.charCodeAt(from) !== QUOTE) {
      from = this.space(from);
      if (text.charCodeAt(from) !== QUOTE) throw FALLBACK;
    }
    let id = OTHER_KEY;
    let name = '';
    let close = -1;
    let predicted = false;
    // The key the last object had in this place: one comparison.
    if (keys.following && k < keys.names.length) {
      name = keys.names[k] as string;
      const after = from + 1 + name.length;
      const expected = keys.ids[k] as number;
      if (
        text.charCodeAt(after) === QUOTE &&
        (expected === OTHER_KEY
          ? text.startsWith(name, from + 1)
          : spells(text, from + 1, expected, name.length))
      ) {
        id = expected;
        close = after;
        predicted = true;
      }
    }
    if (!predicted) {
      close = this.closeOf(from);
      if (close === -1) throw FALLBACK;
      id = keyNumber(text, from + 1, close);
      name = id === OTHER_KEY ? text.slice(from + 1, close) : (KEY_NAMES[id] as string);
    }
    if (close >= this.end) throw FALLBACK;
    if (keys.add(id, name, k, predicted) && this.duplicate === undefined) {
      this.duplicate = { key: name, where };
    }
    this.keyId = id;
    at = close + 1;
    if (text.charCodeAt(at) !== COLON) {
      at = this.space(at);
      if (text.charCodeAt(at) !== COLON) throw FALLBACK;
    }
    at++;
    if (text.charCodeAt(at) <= 0x20) at = this.space(at);
    if (at >= this.end) throw FALLBACK;
    return at;
  }

  /** Set by {@link field}: the value is one a record cannot hold. */
  private unusable = false;
  /** A `feeLst` is not an array of FeeInfo a record can be made of. */
  private listUnusable = false;

  /**
   * A fee field's value, as its record holds it ({@link value}): a string as is, a number
   * as its text when kept exactly, a boolean as `true`/`false`, null and `""` absent.
   * An object, an array or a number a record cannot hold sets {@link unusable} (the
   * JSON.parse path then rejects the record, naming the field).
   */
  private field(from: number): number {
    const text = this.text;
    const c = text.charCodeAt(from);
    this.unusable = false;
    if (c === QUOTE) {
      const at = this.string(from, true);
      if (this.value === '') this.value = undefined;
      return at;
    }
    if (c === 0x6e) {
      this.value = undefined;
      return this.word(from, 'null');
    }
    if (c === 0x74) {
      this.value = 'true';
      return this.word(from, 'true');
    }
    if (c === 0x66) {
      this.value = 'false';
      return this.word(from, 'false');
    }
    if (c === OPEN_BRACE || c === OPEN_BRACKET) {
      this.value = undefined;
      this.unusable = true;
      return this.skipValue(from);
    }
    const at = this.number(from);
    const digits = text.slice(from, at);
    if (this.plainInteger && at - from <= 15) {
      // Digits only, no leading zero: the number's text is its JSON text.
      this.value = digits;
    } else {
      const number = Number(digits);
      // As CdrSink: a safe integer, or a finite fraction; else the record is rejected.
      if (Number.isSafeInteger(number) || (Number.isFinite(number) && !Number.isInteger(number))) {
        this.value = String(number);
      } else {
        this.value = undefined;
        this.unusable = true;
      }
    }
    return at;
  }
}

/**
 * The fee record of the values read, as CdrSink makes it from a parsed FeeInfo: the same
 * fields, set in the same order (so records share one shape), absent ones left out.
 */
function recordOf(values: readonly (string | undefined)[]): FeeRecord {
  const record: MutableFeeRecord = {};
  let t: string | undefined;
  if ((t = values[0]) !== undefined) record.sessionId = t;
  if ((t = values[1]) !== undefined) record.icid = t;
  if ((t = values[2]) !== undefined) record.callerNum = t;
  if ((t = values[3]) !== undefined) record.calleeNum = t;
  if ((t = values[4]) !== undefined) record.bindNum = t;
  if ((t = values[5]) !== undefined) record.fwdDstNum = t;
  if ((t = values[6]) !== undefined) record.fwdDisplayNum = t;
  if ((t = values[7]) !== undefined) record.callInTime = t;
  if ((t = values[8]) !== undefined) record.fwdStartTime = t;
  if ((t = values[9]) !== undefined) record.fwdAlertingTime = t;
  if ((t = values[10]) !== undefined) record.fwdAnswerTime = t;
  if ((t = values[11]) !== undefined) record.callEndTime = t;
  if ((t = values[12]) !== undefined) record.direction = t;
  if ((t = values[13]) !== undefined) record.serviceType = t;
  if ((t = values[14]) !== undefined) record.subscriptionId = t;
  if ((t = values[15]) !== undefined) record.appKey = t;
  if ((t = values[16]) !== undefined) record.spId = t;
  if ((t = values[17]) !== undefined) record.mode = t;
  return record;
}

/** The one result object, refilled by each scan. */
const RESULT: {
  -readonly [K in keyof PushScan]: K extends 'records' ? FeeRecord[] : PushScan[K];
} = { kind: 'fee', records: [], inList: false, duplicate: undefined };

/** One scanner for the thread: values are scanned one at a time. */
const SCANNER = new Scanner();
