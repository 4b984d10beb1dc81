import type { IssueCode } from '../core/issues.js';

/** Longest record a reader buffers, in characters; a longer one is rejected. */
export const MAX_RECORD_CHARS = 16 * 1024 * 1024;

/** Where a {@link CsvParser} delivers what it reads. */
export interface CsvSink {
  /** One record: its cells (unquoted, not trimmed) and the 1-based line it starts on. */
  row(cells: string[], line: number): void;
  /** One record that cannot be read, with the line it starts on. */
  reject(line: number, code: IssueCode, reason: string): void;
}

const QUOTE = 0x22;
const COMMA = 0x2c;
const LF = 0x0a;
const CR = 0x0d;
/**
 * Whether `text` holds a CR not followed by LF, apart from one it ends with (an LF may
 * follow in the next chunk). A loop of `indexOf` costs a CRLF file about a third of what a
 * regular expression does.
 */
function hasLoneCr(text: string): boolean {
  const last = text.length - 1;
  for (let i = text.indexOf('\r'); i !== -1 && i < last; i = text.indexOf('\r', i + 2)) {
    if (text.charCodeAt(i + 1) !== LF) return true;
  }
  return false;
}

/** Where the first line break is (LF, or CR: the end of a line either way), or -1. */
function lineBreakAt(text: string): number {
  const lf = text.indexOf('\n');
  const cr = text.indexOf('\r');
  if (cr === -1 || (lf !== -1 && lf < cr)) return lf;
  return text.charCodeAt(cr + 1) === LF ? cr + 1 : cr;
}

/**
 * `text`, which starts at the start of a record, with each CR that ends a line alone (not
 * in a quoted cell, not followed by LF) made an LF, so that CR-only files read like the
 * others. A CR at the end stays unless `final`: an LF may follow in the next chunk.
 */
function crToLineFeeds(text: string, final: boolean): string {
  const len = text.length;
  let out = '';
  let from = 0;
  let cellStart = true;
  let quoted = false;
  for (let i = 0; i < len; i++) {
    const c = text.charCodeAt(i);
    if (quoted) {
      if (c === QUOTE) {
        if (text.charCodeAt(i + 1) === QUOTE) i++;
        else quoted = false;
      }
      continue;
    }
    if (c === QUOTE) {
      quoted = cellStart;
      cellStart = false;
    } else if (c === COMMA || c === LF) {
      cellStart = true;
    } else if (c === CR) {
      if (i + 1 < len ? text.charCodeAt(i + 1) !== LF : final) {
        out += `${text.slice(from, i)}\n`;
        from = i + 1;
      }
      cellStart = true;
    } else {
      cellStart = false;
    }
  }
  return from === 0 ? text : out + text.slice(from);
}

/**
 * A streaming RFC 4180 parser over decoded text chunks, fed with {@link CsvParser.push}
 * and closed with {@link CsvParser.end}. A record may be split anywhere between chunks.
 *
 * - Records end at LF, CRLF or a lone CR (SPEC §2.3; old Mac spreadsheets end lines with
 *   CR only), in any mix; inside a quoted cell each is data. Empty lines are not records.
 * - A cell starting with `"` is quoted: it may hold commas, line breaks and doubled quotes.
 *   A quote inside an unquoted cell is a literal character (`12" screen`).
 * - Text after a closing quote (`"ab"c`) makes the record `MALFORMED_ROW`.
 * - A quote never closed makes the record starting there `MALFORMED_ROW`; reading resumes on
 *   the line after the one it starts on, so one stray quote costs one line.
 * - A record longer than `maxRecordChars` is `MALFORMED_ROW` and skipped the same way, so a
 *   stray quote never makes the reader buffer the rest of a large file.
 *
 * Runs of lines with no quote are cut with two native splits (`\n`, then `,`); the cell
 * by cell loop runs only for records that hold a quote.
 */
export class CsvParser {
  /** Text of the record not yet complete. */
  private rest = '';
  /** Line where {@link rest} starts. */
  private line = 1;
  /** Dropping text up to the next line break, after an over-long record. */
  private skipping = false;
  /** Line after the record the slow path last read. */
  private nextLine = 1;
  private readonly sink: CsvSink;
  private readonly maxRecordChars: number;

  constructor(sink: CsvSink, maxRecordChars: number = MAX_RECORD_CHARS) {
    this.sink = sink;
    this.maxRecordChars = maxRecordChars;
  }

  /** Reads one chunk of text; records that end in it reach the sink now. */
  push(chunk: string): void {
    let text = this.rest === '' ? chunk : this.rest + chunk;
    this.rest = '';
    if (this.skipping) {
      const nl = lineBreakAt(text);
      if (nl === -1) return;
      this.skipping = false;
      this.line++;
      text = text.slice(nl + 1);
    }
    // `text` starts where a record starts, so quoted cells are known from its start.
    if (hasLoneCr(text)) text = crToLineFeeds(text, false);
    this.parse(text, false);
    while (this.rest.length > this.maxRecordChars) this.overflow();
  }

  /** Ends the input: the last record, even without a line break, reaches the sink. */
  end(): void {
    let text = this.rest;
    if (hasLoneCr(text)) text = crToLineFeeds(text, true);
    this.rest = '';
    // A line break closes the last record as the end of the input would.
    if (text !== '' && !this.skipping) this.parse(text + '\n', true);
    this.skipping = false;
  }

  /**
   * The input was cut off: drops the incomplete record and returns the line it starts on
   * (the line after the last record when none is pending).
   */
  cut(): number {
    this.rest = '';
    this.skipping = false;
    return this.line;
  }

  private overflow(): void {
    this.sink.reject(
      this.line,
      'MALFORMED_ROW',
      `the row is longer than ${this.maxRecordChars} characters (a quote never closed?)`,
    );
    const text = this.rest;
    this.rest = '';
    const nl = text.indexOf('\n');
    if (nl === -1) {
      this.skipping = true;
      return;
    }
    this.line++;
    this.parse(text.slice(nl + 1), false);
  }

  /**
   * Reads the complete records of `text`. Lines before the next quote are cut with two
   * native splits (`\n`, then `,`); a record holding a quote goes through
   * {@link parseQuoted}. With `final`, `text` ends with a line break (see {@link end}).
   */
  private parse(text: string, final: boolean): void {
    const sink = this.sink;
    const len = text.length;
    let line = this.line;
    let pos = 0;
    let quote = text.indexOf('"');
    if (quote === -1) quote = len;
    while (pos < len) {
      if (quote < pos) {
        quote = text.indexOf('"', pos);
        if (quote === -1) quote = len;
      }
      // The lines wholly before the quote's line (or all complete lines) need no quote logic.
      const fastEnd = quote < len ? text.lastIndexOf('\n', quote) + 1 : text.lastIndexOf('\n') + 1;
      if (fastEnd > pos) {
        const lines = text.slice(pos, fastEnd - 1).split('\n');
        for (let k = 0; k < lines.length; k++) {
          let row = lines[k]!;
          const last = row.length - 1;
          if (last >= 0 && row.charCodeAt(last) === CR) row = row.slice(0, last);
          if (row.length > 0) sink.row(row.split(','), line);
          line++;
        }
        pos = fastEnd;
        continue;
      }
      if (quote === len) break; // An incomplete line without a quote: wait for more.
      const next = this.parseQuoted(text, pos, line, final);
      if (next < 0) break;
      pos = next;
      line = this.nextLine;
    }
    this.rest = pos < len ? text.slice(pos) : '';
    this.line = line;
  }

  /**
   * Reads one record that holds a quote, from `start`. Returns where the next record
   * starts, or -1 when the record is not complete yet (then nothing is consumed).
   */
  private parseQuoted(text: string, start: number, line: number, final: boolean): number {
    const len = text.length;
    const cells: string[] = [];
    let malformed = '';
    let newlines = 0;
    /** The next line break not yet counted, inside a quoted cell or ending the record. */
    let nl = text.indexOf('\n', start);
    let i = start;
    for (;;) {
      // At the start of a cell.
      let cell = '';
      if (i < len && text.charCodeAt(i) === QUOTE) {
        let seg = i + 1;
        for (;;) {
          const q = text.indexOf('"', seg);
          if (q === -1 || (q + 1 >= len && !final)) {
            if (!final) return -1;
            return this.unclosed(text, start, line);
          }
          if (text.charCodeAt(q + 1) === QUOTE) {
            cell += text.slice(seg, q + 1);
            seg = q + 2;
            continue;
          }
          cell += text.slice(seg, q);
          while (nl !== -1 && nl < q) {
            newlines++;
            nl = text.indexOf('\n', nl + 1);
          }
          i = q + 1;
          break;
        }
        if (i >= len) {
          // final: the file ends right after the closing quote.
          cells.push(cell);
          return this.emit(cells, len, line, newlines + 1, malformed);
        }
        const c = text.charCodeAt(i);
        if (c === COMMA) {
          cells.push(cell);
          i++;
          continue;
        }
        if (c === LF) {
          cells.push(cell);
          return this.emit(cells, i + 1, line, newlines + 1, malformed);
        }
        if (c === CR) {
          if (i + 1 >= len) {
            if (!final) return -1;
            cells.push(cell);
            return this.emit(cells, len, line, newlines + 1, malformed);
          }
          if (text.charCodeAt(i + 1) === LF) {
            cells.push(cell);
            return this.emit(cells, i + 2, line, newlines + 1, malformed);
          }
        }
        if (malformed === '')
          malformed = `text follows the closing quote of cell ${cells.length + 1}`;
        // Read on to the end of the cell as unquoted text.
      }
      let j = i;
      let c = -1;
      while (j < len) {
        c = text.charCodeAt(j);
        if (c === COMMA || c === LF) break;
        j++;
      }
      if (j >= len) {
        if (!final) return -1;
        c = -1;
      }
      let end = j;
      if (c !== COMMA && end > i && text.charCodeAt(end - 1) === CR) end--;
      cells.push(cell === '' ? text.slice(i, end) : cell + text.slice(i, end));
      if (c === COMMA) {
        i = j + 1;
        continue;
      }
      return this.emit(cells, Math.min(j + 1, len), line, newlines + 1, malformed);
    }
  }

  private emit(
    cells: string[],
    next: number,
    line: number,
    lines: number,
    malformed: string,
  ): number {
    this.nextLine = line + lines;
    if (malformed === '') this.sink.row(cells, line);
    else this.sink.reject(line, 'MALFORMED_ROW', malformed);
    return next;
  }

  private unclosed(text: string, start: number, line: number): number {
    this.sink.reject(line, 'MALFORMED_ROW', 'a quoted cell of the row is never closed');
    this.nextLine = line + 1;
    const nl = text.indexOf('\n', start);
    return nl === -1 ? text.length : nl + 1;
  }
}

/**
 * A cell without surrounding whitespace. Cheaper than `trim()` for the usual cell, which
 * starts and ends with a visible ASCII character and is returned as it is.
 */
export function trimCell(cell: string): string {
  const n = cell.length;
  if (n === 0) return cell;
  const first = cell.charCodeAt(0);
  const last = cell.charCodeAt(n - 1);
  return first > 32 && first < 127 && last > 32 && last < 127 ? cell : cell.trim();
}

/** Whether every cell is empty or spaces: a row Excel leaves behind, not a record. */
/**
 * Whether a data row has as many cells as the header; one that does not is rejected as
 * `MALFORMED_ROW` (a row of empty cells is not a row and is passed over silently).
 */
export function fitsHeader(
  cells: readonly string[],
  width: number,
  line: number,
  sink: { reject(line: number, code: 'MALFORMED_ROW', reason: string): void },
): boolean {
  if (cells.length === width) return true;
  if (!isBlank(cells)) {
    sink.reject(
      line,
      'MALFORMED_ROW',
      `the row has ${cells.length} cells, the header has ${width}`,
    );
  }
  return false;
}

export function isBlank(cells: readonly string[]): boolean {
  for (const cell of cells) if (cell.trim() !== '') return false;
  return true;
}

/** Whether an object has at least one own property. */
export function hasValues(record: object): boolean {
  for (const key in record) if (Object.hasOwn(record, key)) return true;
  return false;
}
