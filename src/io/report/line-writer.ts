import { createWriteStream, type WriteStream } from 'node:fs';
import { once } from 'node:events';

/**
 * Buffers text and writes it to a file in large chunks, so that millions of short lines cost
 * few system calls. `write` never waits; call `await drain()` now and then (once a batch) to
 * let the disk catch up, which keeps memory bounded.
 */
export class LineWriter {
  private readonly stream: WriteStream;
  private buffer = '';
  private failure: Error | undefined;

  /** @param path - the file to create (truncated if it exists) */
  constructor(path: string) {
    this.stream = createWriteStream(path);
    this.stream.on('error', (error) => {
      this.failure = error;
    });
  }

  /** Appends text. */
  write(text: string): void {
    this.buffer += text;
    if (this.buffer.length >= 1 << 16) this.push();
  }

  private push(): void {
    this.stream.write(this.buffer);
    this.buffer = '';
  }

  /** Waits until the file has taken what was pushed to it, when it is behind. */
  async drain(): Promise<void> {
    if (this.failure) throw this.failure;
    if (this.stream.writableNeedDrain) await once(this.stream, 'drain');
  }

  /** Writes what is buffered and closes the file. */
  async close(): Promise<void> {
    if (this.buffer.length > 0) this.push();
    this.stream.end();
    await once(this.stream, 'finish');
    if (this.failure) throw this.failure;
  }
}
