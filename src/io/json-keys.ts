/**
 * Finds a key given twice in a push body or a FeeInfo of valid JSON text: `JSON.parse` keeps
 * the last silently, and a second `feeLst` or `fwdAnswerTime` would change a record without
 * a trace. Checked: the top-level object (or each object of a top-level array), and each
 * object of its `feeLst` array; objects nested deeper (in fields callrecon drops) are not.
 *
 * @param text - JSON text that `JSON.parse` accepted
 * @returns the key and where it is given twice, or `undefined`
 * @example
 * duplicateKey('{"feeLst":[],"feeLst":[{}]}'); // { key: 'feeLst', where: 'push body' }
 * duplicateKey('{"feeLst":[{"a":1,"a":2}]}'); // { key: 'a', where: 'FeeInfo' }
 */
export function duplicateKey(text: string): DuplicateKey | undefined {
  const walker = new KeyWalker(text);
  walker.space();
  return walker.top();
}

/** A key given twice, and the object it is in. */
export interface DuplicateKey {
  readonly key: string;
  readonly where: 'push body' | 'FeeInfo';
}

/**
 * The reason of the rejection of a value with a key given twice.
 *
 * @param found - what {@link duplicateKey} found
 * @returns a one-line reason
 * @example
 * duplicateReason({ key: 'feeLst', where: 'push body' });
 * // 'the key "feeLst" is given twice in a push body (which one holds?)'
 */
export function duplicateReason(found: DuplicateKey): string {
  return `the key ${JSON.stringify(found.key)} is given twice in a ${found.where} (which one holds?)`;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/** Walks valid JSON text; only the objects it checks have their keys collected. */
class KeyWalker {
  private at = 0;
  private backslash = 0;

  constructor(private readonly text: string) {}

  space(): void {
    const text = this.text;
    let at = this.at;
    for (;;) {
      const c = text.charCodeAt(at);
      if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) break;
      at++;
    }
    this.at = at;
  }

  /** The top-level value: an object checked as a push body or FeeInfo, or an array of them. */
  top(): DuplicateKey | undefined {
    if (this.text.charCodeAt(this.at) !== 0x5b) return this.value('top');
    this.at++;
    this.space();
    if (this.text.charCodeAt(this.at) === 0x5d) return undefined;
    for (;;) {
      const found = this.value('top');
      if (found !== undefined) return found;
      this.space();
      if (this.text.charCodeAt(this.at++) === 0x5d) return undefined;
      this.space();
    }
  }

  /**
   * Walks one value. `role` says what it is: 'top' (a push body or FeeInfo), 'feeLst' (a
   * push's list, whose objects are FeeInfo), 'info' (a FeeInfo), or 'other' (not checked).
   */
  private value(role: 'top' | 'feeLst' | 'info' | 'other'): DuplicateKey | undefined {
    const c = this.text.charCodeAt(this.at);
    if (c === 0x7b) return this.object(role === 'feeLst' ? 'other' : role);
    if (c === 0x5b) return this.array(role === 'feeLst' ? 'info' : 'other');
    if (c === QUOTE) {
      this.string();
      return undefined;
    }
    // A number, true, false or null: up to the next delimiter.
    const text = this.text;
    let at = this.at;
    for (;;) {
      const d = text.charCodeAt(at);
      if (d !== d || d === 0x2c || d === 0x7d || d === 0x5d || d <= 0x20) break;
      at++;
    }
    this.at = at;
    return undefined;
  }

  private object(role: 'top' | 'info' | 'other'): DuplicateKey | undefined {
    this.at++;
    this.space();
    if (this.text.charCodeAt(this.at) === 0x7d) {
      this.at++;
      return undefined;
    }
    const keys = role === 'other' ? undefined : new Set<string>();
    for (;;) {
      const key = this.string();
      if (keys !== undefined) {
        if (keys.has(key)) return { key, where: role === 'info' ? 'FeeInfo' : 'push body' };
        keys.add(key);
      }
      this.space();
      this.at++; // ':'
      this.space();
      const inner = role === 'top' && key === 'feeLst' ? 'feeLst' : 'other';
      const found = this.value(inner);
      if (found !== undefined) return found;
      this.space();
      if (this.text.charCodeAt(this.at++) === 0x7d) return undefined;
      this.space();
    }
  }

  private array(elements: 'info' | 'other'): DuplicateKey | undefined {
    this.at++;
    this.space();
    if (this.text.charCodeAt(this.at) === 0x5d) {
      this.at++;
      return undefined;
    }
    for (;;) {
      const c = this.text.charCodeAt(this.at);
      const found = this.value(elements === 'info' && c === 0x7b ? 'info' : 'other');
      if (found !== undefined) return found;
      this.space();
      if (this.text.charCodeAt(this.at++) === 0x5d) return undefined;
      this.space();
    }
  }

  /** Reads a string from its opening quote; returns its value (valid JSON is assumed). */
  private string(): string {
    const text = this.text;
    const start = this.at;
    let close = text.indexOf('"', start + 1);
    let escaped = false;
    // A quote after an odd number of backslashes is inside the string.
    for (;;) {
      let back = close - 1;
      while (text.charCodeAt(back) === BACKSLASH) back--;
      if (back !== close - 1) escaped = true;
      if ((close - 1 - back) % 2 === 0) break;
      close = text.indexOf('"', close + 1);
    }
    this.at = close + 1;
    // The next backslash of the text, found once and kept while it lies ahead.
    if (this.backslash !== -1 && this.backslash <= start) {
      this.backslash = text.indexOf('\\', start + 1);
    }
    if (this.backslash !== -1 && this.backslash < close) escaped = true;
    return escaped
      ? (JSON.parse(text.slice(start, close + 1)) as string)
      : text.slice(start + 1, close);
  }
}
