/**
 * Progress on stderr: a live line on a terminal, nothing otherwise (SPEC §6).
 */
export interface Progress {
  /** Shows how far reading has come. */
  update(phase: string, records: number): void;
  /** Shows how far a later step has come (`matching: 12 of 29 partitions`). */
  step(text: string): void;
  /** Clears the live line. */
  done(): void;
}

/**
 * A progress line for a stream, redrawn at most ten times a second when the stream is a
 * terminal; a no-op otherwise.
 *
 * @param stream - where to draw (stderr)
 * @param now - the clock, in ms
 */
export function createProgress(
  stream: { write(text: string): unknown; isTTY?: boolean },
  now: () => number = () => performance.now(),
): Progress {
  if (!stream.isTTY) return { update() {}, step() {}, done() {} };
  const started = now();
  let last = 0;
  let drawn = false;
  return {
    update(phase: string, records: number): void {
      const t = now();
      if (t - last < 100) return;
      last = t;
      const seconds = (t - started) / 1000;
      const rate = seconds > 0 ? Math.round(records / seconds) : 0;
      stream.write(
        `\r\u001b[2K${phase}: ${records.toLocaleString('en-US')} read · ${rate.toLocaleString('en-US')}/s · ${seconds.toFixed(0)} s`,
      );
      drawn = true;
    },
    step(text: string): void {
      const seconds = (now() - started) / 1000;
      stream.write(`\r\u001b[2K${text} · ${seconds.toFixed(0)} s`);
      drawn = true;
    },
    done(): void {
      if (drawn) stream.write('\r\u001b[2K');
      drawn = false;
    },
  };
}
