/**
 * One NDJSON line of pushes, read: by the field scanner (fee-scanner.ts) in one pass, or,
 * for what it leaves, `JSON.parse`, then a check that no key is given twice (JSON.parse
 * silently keeps the last).
 */
import type { CdrSink } from './cdr-sink.js';
import { scanPush } from './fee-scanner.js';
import { duplicateKey, duplicateReason, type DuplicateKey } from './json-keys.js';

/**
 * Reads one NDJSON line (SPEC §2.1) as {@link parseFeeLine} does, with the same items and
 * reasons, but scanning the common push in one pass instead of parsing it and walking it
 * again for keys given twice.
 *
 * @param text - text holding the line
 * @param start - its first character (after leading blanks)
 * @param end - the position after its last character
 * @param line - its line number
 * @param sink - where its items go
 * @example
 * readFeeLine(text, 0, text.length, 1, sink); // sink.items: its fee records
 */
export function readFeeLine(
  text: string,
  start: number,
  end: number,
  line: number,
  sink: CdrSink,
): void {
  const scan = scanPush(text, start, end);
  if (scan === undefined) {
    parseFeeLine(text.slice(start, end), line, sink);
  } else if (scan.kind === 'duplicate') {
    sink.reject(line, 'INVALID_JSON', duplicateReason(scan.duplicate as DuplicateKey));
  } else if (scan.kind === 'skipped') {
    sink.skip(line);
  } else {
    for (const record of scan.records) sink.feeRecord(record, line);
  }
}

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
