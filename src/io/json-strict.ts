import { InputError } from './errors.js';

/** Where a character of `text` is, for messages: 1-based line and column. */
function positionOf(text: string, at: number): string {
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < at; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return `line ${line}, column ${at - lineStart + 1}`;
}

/** A JSONPath-like name of a value (`$.rates[2].when`), for messages. */
function pathName(path: readonly (string | number)[]): string {
  let out = '$';
  for (const step of path) {
    out +=
      typeof step === 'number'
        ? `[${step}]`
        : /^[A-Za-z_$][\w$]*$/.test(step)
          ? `.${step}`
          : `[${JSON.stringify(step)}]`;
  }
  return out;
}

/**
 * Walks valid JSON text and throws on the first object that names a key twice. Keys are
 * compared after unescaping (`"a"` and `"\u0061"` are the same key, as `JSON.parse` sees it).
 */
class DuplicateFinder {
  private at = 0;
  private readonly path: (string | number)[] = [];

  constructor(
    private readonly text: string,
    private readonly source: string,
  ) {}

  run(): void {
    this.value();
  }

  private skipSpace(): void {
    const text = this.text;
    while (this.at < text.length) {
      const c = text.charCodeAt(this.at);
      if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) return;
      this.at++;
    }
  }

  /** The string starting at the current `"`, unescaped; moves past it. */
  private string(): string {
    const start = this.at;
    let i = start + 1;
    for (;;) {
      const c = this.text.charCodeAt(i);
      if (c === 0x5c) i += 2;
      else if (c === 0x22) break;
      else i++;
    }
    this.at = i + 1;
    return JSON.parse(this.text.slice(start, this.at)) as string;
  }

  private value(): void {
    this.skipSpace();
    const c = this.text.charCodeAt(this.at);
    if (c === 0x7b) return this.object();
    if (c === 0x5b) return this.array();
    if (c === 0x22) {
      this.string();
      return;
    }
    // A number or literal: up to the next delimiter.
    while (this.at < this.text.length && !/[\s,\]}]/.test(this.text.charAt(this.at))) this.at++;
  }

  private object(): void {
    this.at++; // {
    const keys = new Set<string>();
    this.skipSpace();
    if (this.text.charCodeAt(this.at) === 0x7d) {
      this.at++;
      return;
    }
    for (;;) {
      this.skipSpace();
      const keyAt = this.at;
      const key = this.string();
      if (keys.has(key)) {
        throw new InputError(
          `${this.source}: the key ${JSON.stringify(key)} appears twice in ${pathName(this.path)} (again at ${positionOf(this.text, keyAt)}); keep one`,
        );
      }
      keys.add(key);
      this.skipSpace();
      this.at++; // :
      this.path.push(key);
      this.value();
      this.path.pop();
      this.skipSpace();
      if (this.text.charCodeAt(this.at++) === 0x7d) return; // }, else a comma
    }
  }

  private array(): void {
    this.at++; // [
    this.skipSpace();
    if (this.text.charCodeAt(this.at) === 0x5d) {
      this.at++;
      return;
    }
    for (let index = 0; ; index++) {
      this.path.push(index);
      this.value();
      this.path.pop();
      this.skipSpace();
      if (this.text.charCodeAt(this.at++) === 0x5d) return; // ], else a comma
    }
  }
}

/**
 * Parses JSON as `JSON.parse` does, except that an object naming a key twice is an error
 * naming the key, where it is and the file, rather than the last value silently winning.
 * For the configuration files a run reads (the tariff, column maps): a duplicated rate or
 * price there is a mistake to fix, never a choice. A leading byte order mark is dropped.
 *
 * @param text - the file's text
 * @param source - names the file in messages
 * @returns the parsed value
 * @throws {@link InputError} for text that is not JSON, or a duplicated key
 * @example
 * parseJsonStrict('{"currency": "CNY", "currency": "USD"}', 'tariff.json');
 * // throws: tariff.json: the key "currency" appears twice in $ (again at line 1, column 21); keep one
 */
export function parseJsonStrict(text: string, source: string): unknown {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  let value: unknown;
  try {
    value = JSON.parse(body) as unknown;
  } catch (cause) {
    throw new InputError(`${source}: not valid JSON (${(cause as Error).message})`, {
      cause,
    });
  }
  // Only text that has an object with two keys or more can repeat one.
  if (body.includes(',')) new DuplicateFinder(body, source).run();
  return value;
}
