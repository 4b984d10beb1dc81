/**
 * The strict JSON grammar the FeeInfo scanner (fee-scanner.ts) reads text with: strings,
 * numbers, words and whole values skipped while validated, on positions in one text. It
 * throws {@link FALLBACK} for what it does not handle, and the text goes to `JSON.parse`.
 */

/** Thrown inside the scanner to leave the text to `JSON.parse`. */
export const FALLBACK = new Error('fall back to JSON.parse');

export const QUOTE = 0x22;
export const BACKSLASH = 0x5c;
export const COMMA = 0x2c;
export const COLON = 0x3a;
export const OPEN_BRACE = 0x7b;
export const CLOSE_BRACE = 0x7d;
export const OPEN_BRACKET = 0x5b;
export const CLOSE_BRACKET = 0x5d;
export const LF = 0x0a;
export const CR = 0x0d;
export const SPACE = 0x20;
export const TAB = 0x09;

/** Nested values a skipped value may hold before the text goes to `JSON.parse`. */
export const MAX_DEPTH = 512;

/** Reads JSON values from {@link text}, up to {@link end}; see the module's comment. */
export class JsonGrammar {
  text = '';
  protected end = 0;
  /**
   * The first backslash or control character at or after the position it was searched
   * from: a string that closes before it has neither, and needs no other check.
   */
  protected special = 0;
  /** The closing characters of the values a skipped value is inside of. */
  protected readonly closers = new Uint8Array(MAX_DEPTH);

  /**
   * The closing quote of the string opening at `from` when it holds no backslash and no
   * control character; -1 when it does (or is not closed before the next one).
   */
  protected closeOf(from: number): number {
    const text = this.text;
    let special = this.special;
    if (special <= from) {
      SPECIAL.lastIndex = from + 1;
      special = SPECIAL.test(text) ? SPECIAL.lastIndex - 1 : text.length;
      this.special = special;
    }
    const close = text.indexOf('"', from + 1);
    return close !== -1 && close < special ? close : -1;
  }

  /** The value read by {@link field} or {@link string}. */
  protected value: string | undefined = undefined;

  /**
   * A string from its opening quote; returns the position after it. With `keep`, its value
   * goes to {@link value} (one with escapes decoded by `JSON.parse`, once validated).
   */
  protected string(from: number, keep: boolean): number {
    const text = this.text;
    const close = this.closeOf(from);
    if (close !== -1) {
      if (close >= this.end) throw FALLBACK;
      if (keep) this.value = text.slice(from + 1, close);
      return close + 1;
    }
    const end = this.end;
    let at = from + 1;
    let escaped = false;
    for (;;) {
      if (at >= end) throw FALLBACK;
      const c = text.charCodeAt(at);
      if (c === QUOTE) break;
      if (c < 0x20) throw FALLBACK;
      if (c === BACKSLASH) {
        escaped = true;
        const e = text.charCodeAt(at + 1);
        if (e === 0x75) {
          for (let k = 2; k < 6; k++) if (!isHex(text.charCodeAt(at + k))) throw FALLBACK;
          at += 6;
          continue;
        }
        // \" \\ \/ \b \f \n \r \t
        if (
          e !== QUOTE &&
          e !== BACKSLASH &&
          e !== 0x2f &&
          e !== 0x62 &&
          e !== 0x66 &&
          e !== 0x6e &&
          e !== 0x72 &&
          e !== 0x74
        ) {
          throw FALLBACK;
        }
        at += 2;
        continue;
      }
      at++;
    }
    if (keep) {
      this.value = escaped
        ? (JSON.parse(text.slice(from, at + 1)) as string)
        : text.slice(from + 1, at);
    }
    return at + 1;
  }

  /** Set by {@link number}: the number was digits only. */
  protected plainInteger = false;

  /** A number, `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`; returns the position after. */
  protected number(from: number): number {
    const text = this.text;
    let at = from;
    let plain = true;
    if (text.charCodeAt(at) === 0x2d) {
      at++;
      plain = false;
    }
    const first = text.charCodeAt(at);
    if (first === 0x30) at++;
    else if (first >= 0x31 && first <= 0x39) at = digitsFrom(text, at + 1);
    else throw FALLBACK;
    if (text.charCodeAt(at) === 0x2e) {
      const after = digitsFrom(text, at + 1);
      if (after === at + 1) throw FALLBACK;
      at = after;
      plain = false;
    }
    const e = text.charCodeAt(at);
    if (e === 0x65 || e === 0x45) {
      at++;
      const sign = text.charCodeAt(at);
      if (sign === 0x2b || sign === 0x2d) at++;
      const after = digitsFrom(text, at);
      if (after === at) throw FALLBACK;
      at = after;
      plain = false;
    }
    if (at > this.end) throw FALLBACK;
    this.plainInteger = plain;
    return at;
  }

  protected word(from: number, word: 'null' | 'true' | 'false'): number {
    if (from + word.length > this.end || !this.text.startsWith(word, from)) throw FALLBACK;
    return from + word.length;
  }

  /** Validates any value and moves past it, keeping nothing; returns the position after. */
  protected skipValue(from: number): number {
    const text = this.text;
    const closers = this.closers;
    let depth = 0;
    let at = from;
    for (;;) {
      // A value.
      const c = this.peek(at);
      if (c === OPEN_BRACE || c === OPEN_BRACKET) {
        if (depth === MAX_DEPTH) throw FALLBACK;
        const close = c === OPEN_BRACE ? CLOSE_BRACE : CLOSE_BRACKET;
        closers[depth++] = close;
        at = this.space(at + 1);
        if (this.peek(at) === close) {
          at++;
          depth--;
        } else {
          if (close === CLOSE_BRACE) at = this.member(at);
          continue;
        }
      } else if (c === QUOTE) {
        at = this.string(at, false);
      } else if (c === 0x6e) {
        at = this.word(at, 'null');
      } else if (c === 0x74) {
        at = this.word(at, 'true');
      } else if (c === 0x66) {
        at = this.word(at, 'false');
      } else {
        at = this.number(at);
      }
      // After a value: the next one of its object or array, or their ends.
      for (;;) {
        if (depth === 0) return at;
        at = this.space(at);
        const close = closers[depth - 1] as number;
        const d = text.charCodeAt(at++);
        if (d === close && at <= this.end) {
          depth--;
          continue;
        }
        if (d !== COMMA || at >= this.end) throw FALLBACK;
        at = this.space(at);
        if (close === CLOSE_BRACE) at = this.member(at);
        break;
      }
    }
  }

  /** A member's key and colon inside a skipped object; returns the position of its value. */
  protected member(from: number): number {
    if (this.text.charCodeAt(from) !== QUOTE) throw FALLBACK;
    let at = this.space(this.string(from, false));
    if (this.text.charCodeAt(at) !== COLON) throw FALLBACK;
    at = this.space(at + 1);
    if (at >= this.end) throw FALLBACK;
    return at;
  }

  /** The character at `at`, or -1 past the end of the value. */
  protected peek(at: number): number {
    return at < this.end ? this.text.charCodeAt(at) : -1;
  }

  /** The position after the JSON blanks (space, tab, LF, CR) from `from`. */
  protected space(from: number): number {
    const text = this.text;
    const end = this.end;
    let at = from;
    while (at < end) {
      const c = text.charCodeAt(at);
      if (c !== SPACE && c !== LF && c !== CR && c !== TAB) break;
      at++;
    }
    return at;
  }
}

/** A backslash or a control character: the characters a plain JSON string does not hold. */
// eslint-disable-next-line no-control-regex
const SPECIAL = /[\\\u0000-\u001f]/g;

export function digitsFrom(text: string, from: number): number {
  let at = from;
  for (;;) {
    const c = text.charCodeAt(at);
    // Written so that NaN (past the end of the text) stops it too.
    if (!(c >= 0x30 && c <= 0x39)) return at;
    at++;
  }
}

export function isHex(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66);
}
