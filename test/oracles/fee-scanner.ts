import { FEE_FIELDS } from '../../src/core/records.js';
import type { CdrSink } from '../../src/io/cdr-sink.js';

/**
 * Reads one NDJSON line holding a push body (or one FeeInfo) without `JSON.parse`: a strict
 * JSON grammar over the text, keeping only the values of the fields a fee record has, and
 * skipping (but validating) every other value, so that the two dozen fields of a push cost
 * no objects. Hands each FeeInfo to the sink as `JSON.parse` would have given it, so the
 * records, rejections and skips are the same as on the `JSON.parse` path.
 *
 * What it does not handle it leaves, untouched, to that path (`false`): text that is not
 * valid JSON (for `JSON.parse`'s own message), a key with an escape, a key given twice
 * (rejected there, naming the key), a top-level array, and shapes the sink rejects
 * (`feeLst` not an array of objects, an `eventType` that is not a string).
 *
 * @param text - the text holding the line
 * @param start - the line's first character (after leading blanks)
 * @param end - the position after its last character
 * @param line - its line number
 * @param sink - where its items go
 * @returns `true` when the line was read (its items are in the sink), `false` to parse it
 * @example
 * if (!scanFeeLine(text, 0, text.length, 1, sink)) sink.value(JSON.parse(text), 1, undefined, true);
 */
export function scanFeeLine(
  text: string,
  start: number,
  end: number,
  line: number,
  sink: CdrSink,
): boolean {
  const scanner = SCANNER;
  scanner.text = text;
  scanner.at = start;
  scanner.end = end;
  let result: PushScan | undefined;
  try {
    result = scanner.push();
  } catch (error) {
    if (error !== FALLBACK) throw error;
    return false;
  } finally {
    scanner.text = '';
  }
  if (result === undefined) return false;
  const { eventType, feeLst, body } = result;
  // SPEC §2.1: non-fee events are skipped, once per event object (as CdrSink.value).
  if (eventType !== undefined && eventType !== null && eventType !== 'fee') {
    sink.skip(line);
  } else if (feeLst === undefined) {
    sink.feeInfo(body, line);
  } else {
    for (const info of feeLst) sink.feeInfo(info, line);
  }
  return true;
}

/** Thrown inside the scanner to give the line to `JSON.parse`. */
const FALLBACK = new Error('fall back to JSON.parse');

/** A scanned push body: its eventType, its FeeInfo (if it has `feeLst`), its own fee fields. */
interface PushScan {
  readonly eventType: string | null | undefined;
  readonly feeLst: Record<string, unknown>[] | undefined;
  readonly body: Record<string, unknown>;
}

const FIELD_NAMES: ReadonlySet<string> = new Set(FEE_FIELDS);

/** The characters of a string up to its end or its first escape or control character. */
// Control characters are exactly what a JSON string may not hold raw.
// eslint-disable-next-line no-control-regex
const PLAIN = /[^"\\\u0000-\u001f]*/y;

/** The keys of a real push (SPEC §1 and Huawei's other FeeInfo fields), by length. */
const KNOWN_KEYS = new Map<number, string[]>();
for (const name of [
  ...FEE_FIELDS,
  'eventType',
  'feeLst',
  'hostName',
  'fwdUnaswRsn',
  'ulFailReason',
  'sipStatusCode',
  'callOutUnaswRsn',
  'recordFlag',
  'ttsPlayTimes',
  'ttsTransDuration',
  'recordStartTime',
  'recordObjectName',
  'recordBucketName',
  'recordDomain',
  'userData',
  'mptyId',
]) {
  const list = KNOWN_KEYS.get(name.length) ?? [];
  list.push(name);
  KNOWN_KEYS.set(name.length, list);
}

/** The known key spelt by `text[from, to)`, without making a new string. */
function knownKey(text: string, from: number, to: number): string | undefined {
  const names = KNOWN_KEYS.get(to - from);
  if (names === undefined) return undefined;
  for (const name of names) if (text.startsWith(name, from)) return name;
  return undefined;
}

/** Placeholders for an object or array held by a fee field: the sink rejects the record. */
const AN_OBJECT = Object.freeze({});
const AN_ARRAY = Object.freeze([]);

class Scanner {
  text = '';
  at = 0;
  end = 0;
  /** Keys of the object being read, to find one given twice (reused, not reallocated). */
  private readonly keys: string[] = [];
  private readonly topKeys: string[] = [];

  push(): PushScan | undefined {
    if (this.text.charCodeAt(this.at) !== 0x7b) throw FALLBACK;
    this.at++;
    let eventType: string | null | undefined;
    let feeLst: Record<string, unknown>[] | undefined;
    const body: Record<string, unknown> = {};
    const keys = this.topKeys;
    keys.length = 0;
    this.space();
    if (this.peek() === 0x7d) {
      this.at++;
    } else {
      for (;;) {
        const key = this.key(keys);
        if (key === 'feeLst') {
          feeLst = this.feeLst();
        } else if (key === 'eventType') {
          const c = this.peek();
          if (c === 0x22) eventType = this.string();
          else if (c === 0x6e) {
            this.literal('null');
            eventType = null;
          } else throw FALLBACK;
        } else if (FIELD_NAMES.has(key)) {
          body[key] = this.fieldValue();
        } else {
          this.skipValue();
        }
        if (this.next(0x7d)) break;
      }
    }
    this.space();
    if (this.at !== this.end) throw FALLBACK;
    return { eventType, feeLst, body };
  }

  /** A key and its colon; a key with an escape, or given twice, falls back. */
  private key(keys: string[]): string {
    this.space();
    if (this.peek() !== 0x22) throw FALLBACK;
    const text = this.text;
    const from = this.at + 1;
    PLAIN.lastIndex = from;
    PLAIN.test(text);
    const at = PLAIN.lastIndex;
    if (text.charCodeAt(at) !== 0x22 || at >= this.end) throw FALLBACK;
    // A key of the push's usual fields is the interned name, not a new string.
    const key = knownKey(text, from, at) ?? text.slice(from, at);
    for (let k = 0; k < keys.length; k++) if (keys[k] === key) throw FALLBACK;
    keys.push(key);
    this.at = at + 1;
    this.space();
    if (this.text.charCodeAt(this.at) !== 0x3a) throw FALLBACK;
    this.at++;
    this.space();
    return key;
  }

  /** After a member or element: `true` at the closing `close`, `false` after a comma. */
  private next(close: number): boolean {
    this.space();
    const c = this.text.charCodeAt(this.at);
    this.at++;
    if (c === close) return true;
    if (c !== 0x2c || this.at > this.end) throw FALLBACK;
    return false;
  }

  private feeLst(): Record<string, unknown>[] {
    if (this.peek() !== 0x5b) throw FALLBACK;
    this.at++;
    const list: Record<string, unknown>[] = [];
    this.space();
    if (this.peek() === 0x5d) {
      this.at++;
      return list;
    }
    for (;;) {
      this.space();
      list.push(this.feeInfo());
      if (this.next(0x5d)) return list;
    }
  }

  private feeInfo(): Record<string, unknown> {
    if (this.peek() !== 0x7b) throw FALLBACK;
    this.at++;
    const info: Record<string, unknown> = {};
    const keys = this.keys;
    keys.length = 0;
    this.space();
    if (this.peek() === 0x7d) {
      this.at++;
      return info;
    }
    for (;;) {
      const key = this.key(keys);
      if (FIELD_NAMES.has(key)) info[key] = this.fieldValue();
      else this.skipValue();
      if (this.next(0x7d)) return info;
    }
  }

  /** A fee field's value as `JSON.parse` gives it (an object or array as a placeholder). */
  private fieldValue(): unknown {
    const c = this.peek();
    if (c === 0x22) return this.string();
    if (c === 0x7b) {
      this.skipValue();
      return AN_OBJECT;
    }
    if (c === 0x5b) {
      this.skipValue();
      return AN_ARRAY;
    }
    if (c === 0x6e) return this.literal('null');
    if (c === 0x74) return this.literal('true');
    if (c === 0x66) return this.literal('false');
    const from = this.at;
    this.number();
    return Number(this.text.slice(from, this.at));
  }

  /** A string's value; one with escapes is decoded by `JSON.parse` (after validating it). */
  private string(): string {
    const text = this.text;
    const from = this.at;
    PLAIN.lastIndex = from + 1;
    PLAIN.test(text);
    let at = PLAIN.lastIndex;
    if (text.charCodeAt(at) === 0x22 && at < this.end) {
      this.at = at + 1;
      return text.slice(from + 1, at);
    }
    let escaped = false;
    for (;;) {
      if (at >= this.end) throw FALLBACK;
      const c = text.charCodeAt(at);
      if (c === 0x22) break;
      if (c < 0x20) throw FALLBACK;
      if (c === 0x5c) {
        escaped = true;
        const e = text.charCodeAt(at + 1);
        if (e === 0x75) {
          for (let k = 2; k < 6; k++) if (!isHex(text.charCodeAt(at + k))) throw FALLBACK;
          at += 6;
          continue;
        }
        // " \ / b f n r t
        if (!(e === 0x22 || e === 0x5c || e === 0x2f || e === 0x62 || e === 0x66)) {
          if (!(e === 0x6e || e === 0x72 || e === 0x74)) throw FALLBACK;
        }
        at += 2;
        continue;
      }
      at++;
    }
    this.at = at + 1;
    return escaped ? (JSON.parse(text.slice(from, at + 1)) as string) : text.slice(from + 1, at);
  }

  /** `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?` */
  private number(): void {
    const text = this.text;
    let at = this.at;
    if (text.charCodeAt(at) === 0x2d) at++;
    const first = text.charCodeAt(at);
    if (first === 0x30) at++;
    else if (first >= 0x31 && first <= 0x39) at = digits(text, at);
    else throw FALLBACK;
    if (text.charCodeAt(at) === 0x2e) {
      const after = digits(text, at + 1);
      if (after === at + 1) throw FALLBACK;
      at = after;
    }
    const e = text.charCodeAt(at);
    if (e === 0x65 || e === 0x45) {
      at++;
      const sign = text.charCodeAt(at);
      if (sign === 0x2b || sign === 0x2d) at++;
      const after = digits(text, at);
      if (after === at) throw FALLBACK;
      at = after;
    }
    if (at > this.end) throw FALLBACK;
    this.at = at;
  }

  private literal<T extends 'null' | 'true' | 'false'>(word: T): T extends 'null' ? null : boolean {
    if (this.at + word.length > this.end || !this.text.startsWith(word, this.at)) throw FALLBACK;
    this.at += word.length;
    return (word === 'null' ? null : word === 'true') as T extends 'null' ? null : boolean;
  }

  /** Validates a value and moves past it, keeping nothing. */
  private skipValue(): void {
    const c = this.peek();
    if (c === 0x22) {
      this.skipString();
    } else if (c === 0x7b) {
      this.at++;
      this.space();
      if (this.peek() === 0x7d) {
        this.at++;
        return;
      }
      for (;;) {
        this.space();
        if (this.peek() !== 0x22) throw FALLBACK;
        this.skipString();
        this.space();
        if (this.text.charCodeAt(this.at) !== 0x3a) throw FALLBACK;
        this.at++;
        this.space();
        this.skipValue();
        if (this.next(0x7d)) return;
      }
    } else if (c === 0x5b) {
      this.at++;
      this.space();
      if (this.peek() === 0x5d) {
        this.at++;
        return;
      }
      for (;;) {
        this.space();
        this.skipValue();
        if (this.next(0x5d)) return;
      }
    } else {
      this.fieldValue();
    }
  }

  private skipString(): void {
    const text = this.text;
    PLAIN.lastIndex = this.at + 1;
    PLAIN.test(text);
    const at = PLAIN.lastIndex;
    if (text.charCodeAt(at) === 0x22 && at < this.end) {
      this.at = at + 1;
      return;
    }
    // Escapes: validated like any string; decoding one is rare enough.
    this.string();
  }

  private peek(): number {
    if (this.at >= this.end) throw FALLBACK;
    return this.text.charCodeAt(this.at);
  }

  private space(): void {
    const text = this.text;
    let at = this.at;
    const end = this.end;
    while (at < end) {
      const c = text.charCodeAt(at);
      if (c !== 0x20 && c !== 0x09 && c !== 0x0d && c !== 0x0a) break;
      at++;
    }
    this.at = at;
  }
}

function digits(text: string, from: number): number {
  let at = from;
  for (;;) {
    const c = text.charCodeAt(at);
    // Written so that NaN (past the end of the text) stops it too.
    if (!(c >= 0x30 && c <= 0x39)) return at;
    at++;
  }
}

function isHex(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66);
}

/** One scanner for the thread: lines are read one at a time. */
const SCANNER = new Scanner();
