import type { CdrItem, FeeRecord } from '../core/records.js';
import type { CdrSink } from './cdr-sink.js';
import { MAX_RECORD_CHARS } from './csv.js';
import type { TextReader } from './text.js';
import { excerpt, jsonErrorReason } from './fee-line.js';
import { scanPush, type PushScan } from './fee-scanner.js';
import { duplicateKey, duplicateReason, type DuplicateKey } from './json-keys.js';
import {
  BACKSLASH,
  CLOSE_BRACE,
  CLOSE_BRACKET,
  COMMA,
  CR,
  LF,
  OPEN_BRACE,
  OPEN_BRACKET,
  QUOTE,
  SPACE,
  TAB,
} from './json-grammar.js';

export { parseFeeLine } from './fee-line.js';

/** What the scanner is inside of, between values. */
const NONE = 0;
/** An object or array value. */
const BRACKETED = 1;
/** A value that is not an object or array: never a record, always rejected. */
const SCALAR = 2;

/**
 * Reads a `.json` CDR file as a stream (SPEC §2.1): one push body, an array of push bodies,
 * an array of FeeInfo, or one FeeInfo.
 *
 * The elements of a top-level array are cut out by counting bracket depth outside strings
 * and read one by one (by the field scanner, else `JSON.parse`), so a large array is never held whole and a
 * broken element costs only itself. A FeeInfo inside a push gets its own line. Values
 * following each other at the top level (`{…}{…}`, or one per line) are read in turn.
 * A value longer than `maxRecordChars` is rejected without being buffered.
 */
export class JsonReader implements TextReader<CdrItem> {
  readonly sink: CdrSink;
  private readonly maxRecordChars: number;
  private buf = '';
  /** Next position of {@link buf} to scan. */
  private pos = 0;
  private depth = 0;
  /** Inside a top-level array, whose elements are the values read. */
  private inArray = false;
  private arrayLine = 0;
  private kind = NONE;
  /** Start in {@link buf} of the value being read. */
  private valueStart = 0;
  /** Depth outside the value being read. */
  private valueDepth = 0;
  private valueLine = 0;
  /** The value outgrew the limit: its text is no longer kept. */
  private dropped = false;
  /** Lines of the objects two levels inside the value: the FeeInfo of a push. */
  private objectLines: number[] = [];
  private inString = false;
  /** Backslashes just before {@link buf}'s start that were dropped while inside a string. */
  private carriedBackslashes = 0;
  /** 1-based line of position {@link nl} (or of {@link nlSearched} when nl is -1). */
  private line = 1;
  /** Position of the next line break not yet counted, or -1 when none up to nlSearched. */
  private nl = -1;
  private nlSearched = 0;

  constructor(sink: CdrSink, maxRecordChars: number = MAX_RECORD_CHARS) {
    this.sink = sink;
    this.maxRecordChars = maxRecordChars;
  }

  push(text: string): void {
    this.buf = this.buf === '' ? text : this.buf + text;
    this.scan();
    this.compact();
  }

  end(): void {
    const sink = this.sink;
    if (this.kind === SCALAR && !this.inString) {
      this.endValue(this.buf.length);
    } else if (this.kind !== NONE) {
      sink.reject(
        this.valueLine,
        'INVALID_JSON',
        'the file ends inside this value (a missing closing quote, } or ]?)',
      );
    } else if (this.inArray) {
      sink.reject(
        this.lineAt(this.buf.length),
        'INVALID_JSON',
        `the file ends before the ] closing the array opened on line ${this.arrayLine}`,
      );
    }
    this.reset();
  }

  cut(reason: string): void {
    const line = this.kind === NONE ? this.lineAt(this.buf.length) : this.valueLine;
    this.sink.reject(line, 'TRUNCATED_INPUT', reason);
    this.reset();
  }

  private reset(): void {
    this.buf = '';
    this.pos = 0;
    this.kind = NONE;
    this.inArray = false;
    this.inString = false;
    this.depth = 0;
  }

  private scan(): void {
    const buf = this.buf;
    const len = buf.length;
    let i = this.pos;
    while (i < len) {
      if (this.inString) {
        const close = this.closingQuote(buf, i);
        if (close === -1) {
          i = len;
          break;
        }
        this.inString = false;
        i = close + 1;
        continue;
      }
      const c = buf.charCodeAt(i);
      if (this.kind === SCALAR) {
        if (
          c === COMMA ||
          c === LF ||
          c === CR ||
          c === OPEN_BRACE ||
          c === OPEN_BRACKET ||
          c === CLOSE_BRACE ||
          c === CLOSE_BRACKET
        ) {
          this.endValue(i);
          continue;
        }
        if (c === QUOTE) this.inString = true;
        i++;
        continue;
      }
      switch (c) {
        case QUOTE:
          if (this.kind === NONE) this.startValue(i, SCALAR);
          this.inString = true;
          break;
        case OPEN_BRACE:
        case OPEN_BRACKET:
          if (this.kind === NONE) {
            if (c === OPEN_BRACKET && this.depth === 0) {
              this.inArray = true;
              this.arrayLine = this.lineAt(i);
              this.depth = 1;
              break;
            }
            this.startValue(i, BRACKETED);
          }
          this.depth++;
          if (c === OPEN_BRACE && this.depth === this.valueDepth + 3) {
            this.objectLines.push(this.lineAt(i));
          }
          break;
        case CLOSE_BRACE:
        case CLOSE_BRACKET:
          if (this.kind === NONE) {
            if (c === CLOSE_BRACKET && this.inArray && this.depth === 1) {
              this.inArray = false;
              this.depth = 0;
            } else {
              this.sink.reject(
                this.lineAt(i),
                'INVALID_JSON',
                `unexpected '${String.fromCharCode(c)}' outside any value`,
              );
            }
            break;
          }
          this.depth--;
          if (this.depth === this.valueDepth) {
            this.endValue(i + 1);
            i++;
            continue;
          }
          break;
        case SPACE:
        case TAB:
        case LF:
        case CR:
        case COMMA:
          break;
        default:
          if (this.kind === NONE) this.startValue(i, SCALAR);
      }
      i++;
    }
    this.pos = i;
  }

  /** Position of the quote closing the string being scanned, from `from`; -1 if not yet. */
  private closingQuote(buf: string, from: number): number {
    let q = buf.indexOf('"', from);
    while (q !== -1) {
      let k = q - 1;
      let backslashes = 0;
      while (k >= 0 && buf.charCodeAt(k) === BACKSLASH) {
        backslashes++;
        k--;
      }
      if (k < 0) backslashes += this.carriedBackslashes;
      if (backslashes % 2 === 0) return q;
      q = buf.indexOf('"', q + 1);
    }
    return -1;
  }

  private startValue(at: number, kind: number): void {
    this.kind = kind;
    this.valueStart = at;
    this.valueDepth = this.depth;
    this.valueLine = this.lineAt(at);
    this.dropped = false;
    if (this.objectLines.length > 0) this.objectLines = [];
  }

  /** The value ends before `end`: parse it and add its items. */
  private endValue(end: number): void {
    const sink = this.sink;
    const line = this.valueLine;
    const kind = this.kind;
    this.kind = NONE;
    if (this.dropped) {
      sink.reject(
        line,
        'INVALID_JSON',
        `the value is longer than ${this.maxRecordChars} characters`,
      );
      return;
    }
    const text = this.buf.slice(this.valueStart, end);
    if (kind === SCALAR) {
      sink.reject(line, 'INVALID_JSON', `not a push body or FeeInfo: ${excerpt(text.trim())}`);
      return;
    }
    // The common push in one pass; what the scanner leaves, by JSON.parse.
    const scan = scanPush(text, 0, text.length);
    if (scan !== undefined) {
      this.addScan(scan, line);
      return;
    }
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      sink.reject(line, 'INVALID_JSON', jsonErrorReason(error));
      return;
    }
    // JSON.parse keeps the last of two equal keys: such a value is refused instead.
    const twice = duplicateKey(text);
    if (twice !== undefined) {
      sink.reject(line, 'INVALID_JSON', duplicateReason(twice));
      return;
    }
    sink.value(value, line, this.objectLines, false);
  }

  /** Adds the items of a scanned value, as {@link CdrSink.value} would from its parse. */
  private addScan(scan: PushScan, line: number): void {
    const sink = this.sink;
    if (scan.kind === 'duplicate') {
      sink.reject(line, 'INVALID_JSON', duplicateReason(scan.duplicate as DuplicateKey));
    } else if (scan.kind === 'skipped') {
      sink.skip(line);
    } else {
      const records = scan.records;
      const lines = scan.inList && this.objectLines.length === records.length;
      for (let k = 0; k < records.length; k++) {
        sink.feeRecord(records[k] as FeeRecord, lines ? (this.objectLines[k] ?? line) : line);
      }
    }
  }

  /** Drops the text no longer needed, keeping the value being read unless it is too long. */
  private compact(): void {
    let keep = this.pos;
    if (this.kind !== NONE && !this.dropped) {
      if (this.pos - this.valueStart > this.maxRecordChars) this.dropped = true;
      else keep = this.valueStart;
    }
    if (keep === 0) return;
    this.lineAt(keep);
    if (this.inString) {
      let k = keep - 1;
      let backslashes = 0;
      while (k >= 0 && this.buf.charCodeAt(k) === BACKSLASH) {
        backslashes++;
        k--;
      }
      this.carriedBackslashes = k < 0 ? this.carriedBackslashes + backslashes : backslashes;
    } else {
      this.carriedBackslashes = 0;
    }
    this.buf = this.buf.slice(keep);
    this.pos -= keep;
    this.valueStart -= keep;
    if (this.nl !== -1) this.nl -= keep;
    this.nlSearched = Math.max(0, this.nlSearched - keep);
  }

  /** The 1-based line of position `p`; positions asked for never go down. */
  private lineAt(p: number): number {
    const buf = this.buf;
    for (;;) {
      if (this.nl === -1) {
        if (this.nlSearched >= buf.length) break;
        this.nl = buf.indexOf('\n', this.nlSearched);
        if (this.nl === -1) {
          this.nlSearched = buf.length;
          break;
        }
      }
      if (this.nl >= p) break;
      this.line++;
      this.nlSearched = this.nl + 1;
      this.nl = buf.indexOf('\n', this.nlSearched);
      if (this.nl === -1) this.nlSearched = buf.length;
    }
    return this.line;
  }
}
