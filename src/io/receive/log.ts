/**
 * Where log lines go: anything with a `write(text)`.
 *
 * @example
 * const sink: LogSink = { write: (text) => lines.push(text) };
 */
export interface LogSink {
  write(text: string): unknown;
}

/**
 * One log entry: a flat object of texts, numbers, booleans and nulls.
 *
 * @example
 * const entry: LogEntry = { event: 'request', status: 200, kind: 'fee', records: 50 };
 */
export type LogEntry = Readonly<Record<string, string | number | boolean | null | undefined>>;

// A run of 7 or more digits: a phone number (times and sizes have shorter runs).
const PHONE = /\d{7,}/g;

/**
 * Masks the phone numbers in a text (SPEC §8: the log shows no numbers): in every run of 7
 * or more digits, all but the first 3 and last 2 digits become `*`. Shorter numbers
 * (statuses, times) are kept.
 *
 * @param text - any text
 * @returns the text with numbers masked
 * @example
 * maskNumbers('caller +8613800000021'); // 'caller +861********21'
 */
export function maskNumbers(text: string): string {
  return text.replace(PHONE, (run) => run.slice(0, 3) + '*'.repeat(run.length - 5) + run.slice(-2));
}

/**
 * Writes one JSON line for a log entry, its texts masked by {@link maskNumbers}; entries
 * with an undefined value leave that key out. The time comes first.
 *
 * @param sink - stdout, or a test's collector
 * @param entry - what happened
 * @param nowMs - the clock
 * @example
 * writeLog(process.stdout, { event: 'request', status: 200, path: '/fee' }, Date.now());
 * // {"time":"2026-10-15T09:15:14.000Z","event":"request","status":200,"path":"/fee"}
 */
export function writeLog(sink: LogSink, entry: LogEntry, nowMs: number): void {
  const line: Record<string, string | number | boolean | null> = {
    time: new Date(nowMs).toISOString(),
  };
  for (const [key, value] of Object.entries(entry)) {
    if (value === undefined) continue;
    line[key] = typeof value === 'string' ? maskNumbers(value) : value;
  }
  sink.write(`${JSON.stringify(line)}\n`);
}
