import type { CdrItem } from '../core/records.js';
import type { CdrSink } from './cdr-sink.js';
import { MAX_RECORD_CHARS } from './csv.js';
import type { TextReader } from './text.js';
import { readFeeLine } from './fee-line.js';
import { CR, SPACE, TAB } from './json-grammar.js';

/**
 * Reads an `.ndjson` / `.jsonl` CDR file (SPEC §2.1): one push body or one FeeInfo per line
 * (an array of them is read too); blank lines are skipped. A line that is not valid JSON is
 * one rejected record and reading goes on with the next line. A line longer than
 * `maxRecordChars` is rejected without being buffered.
 */
export class NdjsonReader implements TextReader<CdrItem> {
  readonly sink: CdrSink;
  private readonly maxRecordChars: number;
  private rest = '';
  /** Line where {@link rest} starts. */
  private line = 1;
  private skipping = false;

  constructor(sink: CdrSink, maxRecordChars: number = MAX_RECORD_CHARS) {
    this.sink = sink;
    this.maxRecordChars = maxRecordChars;
  }

  push(chunk: string): void {
    let text = this.rest === '' ? chunk : this.rest + chunk;
    // Old Mac line ends: a CR not followed by LF ends a line too (JSON never holds a raw CR
    // but as whitespace). A CR that ends the chunk waits: it may be the first half of CRLF.
    let held = '';
    if (text.includes('\r')) {
      if (text.endsWith('\r')) {
        held = '\r';
        text = text.slice(0, -1);
      }
      text = text.replace(/\r(?!\n)/g, '\n');
    }
    let line = this.line;
    let pos = 0;
    if (this.skipping) {
      const nl = text.indexOf('\n');
      if (nl === -1) {
        this.rest = '';
        return;
      }
      this.skipping = false;
      line++;
      pos = nl + 1;
    }
    for (let nl = text.indexOf('\n', pos); nl !== -1; nl = text.indexOf('\n', pos)) {
      this.readLine(text, pos, nl, line);
      line++;
      pos = nl + 1;
    }
    this.rest = (pos < text.length ? text.slice(pos) : '') + held;
    this.line = line;
    if (this.rest.length > this.maxRecordChars) {
      this.sink.reject(
        line,
        'INVALID_JSON',
        `the line is longer than ${this.maxRecordChars} characters`,
      );
      this.rest = '';
      this.skipping = true;
    }
  }

  end(): void {
    if (!this.skipping && this.rest !== '')
      this.readLine(this.rest, 0, this.rest.length, this.line);
    this.rest = '';
    this.skipping = false;
  }

  cut(reason: string): void {
    this.sink.reject(this.line, 'TRUNCATED_INPUT', reason);
    this.rest = '';
    this.skipping = false;
  }

  private readLine(text: string, start: number, end: number, line: number): void {
    let s = start;
    for (; s < end; s++) {
      const c = text.charCodeAt(s);
      if (c !== SPACE && c !== TAB && c !== CR) break;
    }
    if (s === end) return;
    readFeeLine(text, s, end, line, this.sink);
  }
}
