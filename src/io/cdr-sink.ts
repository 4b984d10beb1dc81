import type { IssueCode } from '../core/issues.js';
import type { CdrItem, FeeField, FeeRecord, SmsRecord } from '../core/records.js';
import { FEE_FIELDS } from '../core/records.js';
import type { TextEncoding } from './options.js';

type MutableFeeRecord = { -readonly [K in FeeField]?: string };

/**
 * Collects the items a CDR file yields, in file order, and turns parsed JSON into them
 * (SPEC §2.1). The format readers share it; the driver takes {@link CdrSink.items} in
 * batches.
 */
export class CdrSink {
  /** Items read since the driver last took them. */
  items: CdrItem[] = [];
  /**
   * Set once the decoded text held U+FFFD (bytes invalid in the encoding): from then on
   * the values a record carries are checked for it.
   */
  suspect = false;
  readonly source: string;
  readonly encoding: TextEncoding;

  constructor(source: string, encoding: TextEncoding) {
    this.source = source;
    this.encoding = encoding;
  }

  /** Adds a rejected record. */
  reject(line: number, code: IssueCode, reason: string): void {
    this.items.push({ type: 'rejected', issue: { code, source: this.source, line, reason } });
  }

  /** Adds a fee record. */
  fee(record: FeeRecord, line: number): void {
    this.items.push({ type: 'fee', record, source: this.source, line });
  }

  /** Adds a skipped non-fee event. */
  skip(line: number): void {
    this.items.push({ type: 'skipped', source: this.source, line });
  }

  /** Rejects a record whose value holds bytes invalid in the encoding. */
  rejectEncoding(line: number, field: string): void {
    this.reject(line, 'INVALID_ENCODING', encodingReason(field, this.encoding));
  }

  /**
   * Adds the items of one parsed JSON value: a push body, a FeeInfo, or (when `allowArray`)
   * an array of them. `objectLines`, when it has one line per `feeLst` element, gives each
   * FeeInfo of a push its own line; otherwise they get the push's line.
   */
  value(
    value: unknown,
    line: number,
    objectLines: readonly number[] | undefined,
    allowArray: boolean,
  ): void {
    if (typeof value !== 'object' || value === null) {
      this.reject(line, 'INVALID_JSON', `${describe(value)} is not a push body or FeeInfo`);
      return;
    }
    if (Array.isArray(value)) {
      if (!allowArray) {
        this.reject(line, 'INVALID_JSON', 'an array inside an array is not a push body or FeeInfo');
        return;
      }
      for (const element of value as unknown[]) this.value(element, line, undefined, false);
      return;
    }
    const body = value as Record<string, unknown>;
    const eventType = body['eventType'];
    // SPEC §4.5: an SMS notification (an object with an `smsEvent` member) owes its parts.
    const smsEvent = body['smsEvent'];
    if (typeof smsEvent === 'object' && smsEvent !== null && !Array.isArray(smsEvent)) {
      this.items.push({
        type: 'sms',
        sms: smsRecordOf(smsEvent as Record<string, unknown>),
        source: this.source,
        line,
      });
      return;
    }
    // SPEC §2.1: non-fee events are skipped, once per event object.
    if (eventType !== undefined && eventType !== null && eventType !== 'fee') {
      this.skip(line);
      return;
    }
    const feeLst = body['feeLst'];
    if (feeLst === undefined) {
      this.feeInfo(body, line);
      return;
    }
    if (!Array.isArray(feeLst)) {
      this.reject(line, 'INVALID_JSON', `feeLst is ${describe(feeLst)}, not an array`);
      return;
    }
    const lines = objectLines !== undefined && objectLines.length === feeLst.length;
    for (let k = 0; k < feeLst.length; k++) {
      const info: unknown = feeLst[k];
      const at = lines ? (objectLines[k] ?? line) : line;
      if (typeof info === 'object' && info !== null && !Array.isArray(info)) {
        this.feeInfo(info as Record<string, unknown>, at);
      } else {
        this.reject(at, 'INVALID_JSON', `feeLst[${k}] is ${describe(info)}, not a FeeInfo object`);
      }
    }
  }

  /**
   * Adds one FeeInfo object as a fee record: numbers and booleans become their text, null
   * and empty strings are absent, fields outside FEE_FIELDS are dropped. A field holding an
   * object or array rejects the record, rather than reading it as absent: a lost
   * `fwdAnswerTime` would turn a billed call into a free one. So does an integer too large
   * to be exact after `JSON.parse`.
   */
  feeInfo(info: Readonly<Record<string, unknown>>, line: number): void {
    const record = feeRecordOfJson(info);
    if (record === undefined) {
      this.reject(line, 'INVALID_JSON', unusableFieldReason(info));
      return;
    }
    this.feeRecord(record, line);
  }

  /**
   * Adds the fee record of a FeeInfo read (as {@link feeInfo} makes it), or rejects it when
   * the text held bytes invalid in the encoding and a value holds one.
   */
  feeRecord(record: FeeRecord, line: number): void {
    if (this.suspect) {
      const field = invalidField(record);
      if (field !== undefined) {
        this.rejectEncoding(line, field);
        return;
      }
    }
    this.items.push({ type: 'fee', record, source: this.source, line });
  }
}

/** The text of a JSON value for a FeeRecord: '' when absent, null when unusable. */
function textOf(value: unknown): string | null {
  if (typeof value === 'string') return value;
  if (value === undefined || value === null) return '';
  if (typeof value === 'number') {
    return Number.isSafeInteger(value) || (Number.isFinite(value) && !Number.isInteger(value))
      ? String(value)
      : null;
  }
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  return null;
}

/**
 * The fee record of a parsed FeeInfo, or undefined when a field cannot be text. Written
 * out field by field: named loads and stores keep V8's inline caches monomorphic, which a
 * loop over the names does not (about a third slower).
 */
function feeRecordOfJson(
  info: Partial<Readonly<Record<FeeField, unknown>>>,
): FeeRecord | undefined {
  const record: MutableFeeRecord = {};
  let t: string | null;
  if ((t = textOf(info.sessionId)) === null) return undefined;
  if (t !== '') record.sessionId = t;
  if ((t = textOf(info.icid)) === null) return undefined;
  if (t !== '') record.icid = t;
  if ((t = textOf(info.callerNum)) === null) return undefined;
  if (t !== '') record.callerNum = t;
  if ((t = textOf(info.calleeNum)) === null) return undefined;
  if (t !== '') record.calleeNum = t;
  if ((t = textOf(info.bindNum)) === null) return undefined;
  if (t !== '') record.bindNum = t;
  if ((t = textOf(info.fwdDstNum)) === null) return undefined;
  if (t !== '') record.fwdDstNum = t;
  if ((t = textOf(info.fwdDisplayNum)) === null) return undefined;
  if (t !== '') record.fwdDisplayNum = t;
  if ((t = textOf(info.callInTime)) === null) return undefined;
  if (t !== '') record.callInTime = t;
  if ((t = textOf(info.fwdStartTime)) === null) return undefined;
  if (t !== '') record.fwdStartTime = t;
  if ((t = textOf(info.fwdAlertingTime)) === null) return undefined;
  if (t !== '') record.fwdAlertingTime = t;
  if ((t = textOf(info.fwdAnswerTime)) === null) return undefined;
  if (t !== '') record.fwdAnswerTime = t;
  if ((t = textOf(info.callEndTime)) === null) return undefined;
  if (t !== '') record.callEndTime = t;
  if ((t = textOf(info.direction)) === null) return undefined;
  if (t !== '') record.direction = t;
  if ((t = textOf(info.serviceType)) === null) return undefined;
  if (t !== '') record.serviceType = t;
  if ((t = textOf(info.subscriptionId)) === null) return undefined;
  if (t !== '') record.subscriptionId = t;
  if ((t = textOf(info.appKey)) === null) return undefined;
  if (t !== '') record.appKey = t;
  if ((t = textOf(info.spId)) === null) return undefined;
  if (t !== '') record.spId = t;
  if ((t = textOf(info.mode)) === null) return undefined;
  if (t !== '') record.mode = t;
  return record;
}

/** Why {@link feeRecordOfJson} refused a FeeInfo. */
function unusableFieldReason(info: Readonly<Record<string, unknown>>): string {
  for (const field of FEE_FIELDS) {
    const value = info[field];
    if (textOf(value) !== null) continue;
    if (typeof value === 'number') {
      return `${field} is the number ${value}, too large to keep exactly; write it as a string`;
    }
    return `${field} holds ${describe(value)}, not text`;
  }
  return 'the FeeInfo cannot be read';
}

/** The first field of `record` holding U+FFFD, the mark of bytes invalid in the encoding. */
export function invalidField(record: FeeRecord): FeeField | undefined {
  return FEE_FIELDS.find((field) => record[field]?.includes('\uFFFD'));
}

/** The reason of an `INVALID_ENCODING` rejection of a value read as `encoding`. */
export function encodingReason(field: string, encoding: TextEncoding): string {
  const hint = encoding === 'utf-8' ? '; a GB18030/GBK file needs --encoding gb18030' : '';
  return `${field} holds bytes that are not valid ${encoding}${hint}`;
}

/** A few words naming what a JSON value is, for a reason. */
export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  switch (typeof value) {
    case 'object':
      return 'an object';
    case 'string':
      return 'a string';
    case 'number':
      return 'a number';
    case 'boolean':
      return `${value}`;
    default:
      return 'not JSON';
  }
}

function text(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

/**
 * The fields of an `smsEvent` the product reads; `splitNum` is found in `extInfo.extParas`,
 * an object or a list of `{key, value}` pairs.
 */
export function smsRecordOf(event: Record<string, unknown>): SmsRecord {
  const ext = event['extInfo'];
  const paras =
    typeof ext === 'object' && ext !== null
      ? (ext as Record<string, unknown>)['extParas']
      : undefined;
  let splitNum: string | undefined;
  if (Array.isArray(paras)) {
    for (const entry of paras as unknown[]) {
      if (typeof entry === 'object' && entry !== null) {
        const pair = entry as Record<string, unknown>;
        if (pair['key'] === 'splitNum') splitNum = text(pair['value']);
      }
    }
  } else if (typeof paras === 'object' && paras !== null) {
    splitNum = text((paras as Record<string, unknown>)['splitNum']);
  }
  const record: { -readonly [K in keyof SmsRecord]?: string } = {};
  const id = text(event['smsIdentifier']);
  if (id !== undefined) record.smsIdentifier = id;
  const number = text(event['virtualNumber']);
  if (number !== undefined) record.virtualNumber = number;
  const time = text(event['timeStamp']);
  if (time !== undefined) record.timeStamp = time;
  const result = text(event['sendResult']);
  if (result !== undefined) record.sendResult = result;
  if (splitNum !== undefined) record.splitNum = splitNum;
  return record;
}
