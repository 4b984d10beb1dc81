import { createWriteStream, type WriteStream } from 'node:fs';
import { once } from 'node:events';

/**
 * Buffers text and writes it to a file in large chunks, waiting when the disk is behind, so
 * that millions of short lines cost few system calls and little memory.
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

  /** Appends text; resolves at once unless the buffer was flushed into a full stream. */
  async write(text: string): Promise<void> {
    this.buffer += text;
    if (this.buffer.length >= 1 << 16) await this.flush();
  }

  private async flush(): Promise<void> {
    if (this.failure) throw this.failure;
    const chunk = this.buffer;
    this.buffer = '';
    if (!this.stream.write(chunk)) await once(this.stream, 'drain');
  }

  /** Writes what is buffered and closes the file. */
  async close(): Promise<void> {
    if (this.buffer.length > 0) await this.flush();
    this.stream.end();
    await once(this.stream, 'finish');
    if (this.failure) throw this.failure;
  }
}
