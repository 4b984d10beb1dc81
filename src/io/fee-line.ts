/**
 * One NDJSON line of pushes, parsed: `JSON.parse`, then a check that no key is given twice
 * (JSON.parse silently keeps the last).
 */
import type { CdrSink } from './cdr-sink.js';
import { duplicateKey, duplicateReason } from './json-keys.js';

/**
 * Reads one NDJSON line with `JSON.parse` (SPEC §2.1): invalid JSON, and a key given twice
 * in a push body or FeeInfo, are rejected records; anything else goes to the sink as a value.
 *
 * @param body - the line, without its line break
 * @param line - its line number
 * @param sink - where its items go
 * @example
 * parseFeeLine('{"feeLst":[],"feeLst":[]}', 1, sink); // rejected: the key "feeLst" is given twice
 */
export function parseFeeLine(body: string, line: number, sink: CdrSink): void {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch (error) {
    sink.reject(line, 'INVALID_JSON', jsonErrorReason(error));
    return;
  }
  // JSON.parse keeps the last of two equal keys: such a line is refused instead.
  const twice = duplicateKey(body);
  if (twice !== undefined) {
    sink.reject(line, 'INVALID_JSON', duplicateReason(twice));
    return;
  }
  sink.value(value, line, undefined, true);
}

/** A one-line reason from a `JSON.parse` error. */
export function jsonErrorReason(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return `not valid JSON: ${excerpt(message)}`;
}

/** `text` on one line, cut to a readable length. */
export function excerpt(text: string): string {
  const line = text.replace(/\s+/g, ' ');
  return line.length > 120 ? `${line.slice(0, 117)}...` : line;
}
