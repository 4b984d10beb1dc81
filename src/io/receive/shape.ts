/**
 * The kinds of push the platform sends (SPEC §8).
 *
 * @example
 * const kind: PushKind = 'fee';
 */
export type PushKind = 'fee' | 'event' | 'sms';

/**
 * The call events a status push may carry (SPEC §8).
 *
 * @example
 * CALL_EVENTS.includes('answer'); // true
 */
export const CALL_EVENTS: readonly string[] = [
  'callin',
  'callout',
  'alerting',
  'answer',
  'disconnect',
];

/**
 * A body read as a push, or why it is not one.
 *
 * @example
 * const push: PushShape = readPush(body);
 * if (push.ok) await store.append(push.line, Date.now());
 */
export type PushShape =
  | {
      readonly ok: true;
      readonly kind: PushKind;
      /** FeeInfo records in a fee push, 0 for the other kinds. */
      readonly records: number;
      /** The body as one line: line breaks replaced by spaces, a leading BOM dropped. */
      readonly line: Buffer;
    }
  | { readonly ok: false; readonly reason: string };

const LF = 0x0a;
const CR = 0x0d;
const SPACE = 0x20;

/**
 * Reads a push body (SPEC §8): a fee push (`eventType: "fee"` with a `feeLst` array), a call
 * event (`eventType` one of {@link CALL_EVENTS} with a `statusInfo` object) or an SMS
 * notification (an `smsEvent` object). Anything else, or text that is not JSON, is not a
 * push, with a one-line reason.
 *
 * The line returned is the body as received with its line breaks turned into spaces: JSON
 * allows a raw line break only between tokens, so the value is unchanged and the body fits
 * on one NDJSON line.
 *
 * @param body - the bytes received; a push's line breaks are replaced in this buffer
 * @returns the kind and the line to store, or the reason it is refused
 * @example
 * readPush(Buffer.from('{"eventType":"fee","feeLst":[{"sessionId":"a"}]}'));
 * // { ok: true, kind: 'fee', records: 1, line: <Buffer …> }
 */
export function readPush(body: Buffer): PushShape {
  const start = body[0] === 0xef && body[1] === 0xbb && body[2] === 0xbf ? 3 : 0;
  const bytes = start === 0 ? body : body.subarray(start);
  let value: unknown;
  try {
    value = JSON.parse(bytes.toString('utf8'));
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { ok: false, reason: `not JSON: ${oneLine(message)}` };
  }
  const shape = kindOf(value);
  if (typeof shape === 'string') return { ok: false, reason: shape };
  // In place: the body is the caller's own copy, and it is stored only if it is a push.
  const line = bytes;
  for (let i = line.indexOf(LF); i !== -1; i = line.indexOf(LF, i + 1)) line[i] = SPACE;
  for (let i = line.indexOf(CR); i !== -1; i = line.indexOf(CR, i + 1)) line[i] = SPACE;
  return { ok: true, kind: shape.kind, records: shape.records, line };
}

function kindOf(value: unknown): { kind: PushKind; records: number } | string {
  if (!isObject(value)) {
    return `JSON of no known push shape: ${Array.isArray(value) ? 'an array' : `a ${value === null ? 'null' : typeof value}`}, not an object`;
  }
  const eventType = value['eventType'];
  if (eventType === 'fee') {
    const feeLst = value['feeLst'];
    if (!Array.isArray(feeLst))
      return 'JSON of no known push shape: a fee push without a feeLst array';
    if (!feeLst.every(isObject))
      return 'JSON of no known push shape: a feeLst element is not an object';
    return { kind: 'fee', records: feeLst.length };
  }
  if (typeof eventType === 'string' && CALL_EVENTS.includes(eventType)) {
    if (!isObject(value['statusInfo'])) {
      return `JSON of no known push shape: a ${eventType} event without a statusInfo object`;
    }
    return { kind: 'event', records: 0 };
  }
  if (isObject(value['smsEvent']) && (eventType === undefined || eventType === 'sms')) {
    return { kind: 'sms', records: 0 };
  }
  if (eventType !== undefined) {
    return `JSON of no known push shape: eventType ${oneLine(JSON.stringify(eventType))}`;
  }
  return 'JSON of no known push shape: no eventType, feeLst, statusInfo or smsEvent';
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function oneLine(text: string): string {
  const line = text.replace(/\s+/g, ' ');
  return line.length > 200 ? `${line.slice(0, 197)}...` : line;
}
