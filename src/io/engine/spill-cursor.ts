import { EngineError } from '../errors.js';
import { closeSync, openSync, readSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { memoryFile } from './store.js';

/**
 * Reads the records of a spill file one at a time. After `advance()` returns `true` (or
 * `next()` resolves `true`), the record is in `buf` from `at` for `length` bytes, until the
 * next move. `advance()` moves within what has been read, without waiting: read loops wait
 * (`load()`) once a chunk, not once a record.
 */
export class RecordCursor {
  buf: Buffer;
  at = 0;
  length = 0;
  private have = 0;
  private next_ = 0;
  private handle: FileHandle | undefined;
  private opened = false;
  private ended = false;
  /** A memory file's chunks, read one after the other instead of the disk. */
  private memory: readonly Buffer[] | undefined;
  private nextChunk = 0;
  /** Where `buf[0]` is in the file. */
  private base = 0;

  /**
   * @param path - a file written by the engine; a missing file has no records
   * @param chunkBytes - how much to read at a time: large for one file read through, small
   *   when hundreds are open at once (a merge)
   * @param keep - read each chunk into a new buffer, so that records read stay valid
   */
  constructor(
    private readonly path: string,
    private readonly chunkBytes = 1 << 20,
    private readonly keep = false,
  ) {
    // Allocated on the first read from disk: a memory file lends its own chunks.
    this.buf = Buffer.alloc(0);
  }

  /** Moves to the next record if it has been read whole; `false` when more must be loaded. */
  advance(): boolean {
    const rest = this.have - this.next_;
    if (rest < 4) return false;
    const length = this.buf.readUInt32LE(this.next_);
    if (rest < 4 + length) return false;
    this.at = this.next_ + 4;
    this.length = length;
    this.next_ = this.at + length;
    return true;
  }

  /** Where the record is in the file: the offset of its length, as `RecordsAt.read` takes it. */
  get position(): number {
    return this.base + this.at - 4;
  }

  /** Reads more of the file; `false` at its end (then the file has been read whole). */
  async load(): Promise<boolean> {
    if (this.ended) return false;
    if (!this.opened) {
      this.memory = memoryFile(this.path);
      if (this.memory !== undefined) this.opened = true;
    }
    if (this.memory !== undefined) return this.loadChunk(this.memory);
    if (this.buf.length === 0) this.buf = Buffer.allocUnsafe(this.chunkBytes);
    const rest = this.have - this.next_;
    const need = rest >= 4 ? 4 + this.buf.readUInt32LE(this.next_) : 0;
    if (need > this.buf.length || (this.keep && this.have > 0)) {
      // A record larger than the buffer, or records to keep: a new buffer.
      const fresh = Buffer.allocUnsafe(Math.max(need, this.chunkBytes));
      this.buf.copy(fresh, 0, this.next_, this.have);
      this.buf = fresh;
    } else if (this.next_ > 0) {
      this.buf.copyWithin(0, this.next_, this.have);
    }
    this.base += this.next_;
    this.have = rest;
    this.next_ = 0;
    if (!this.opened) {
      this.opened = true;
      try {
        this.handle = await open(this.path, 'r');
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      }
    }
    const bytesRead =
      this.handle === undefined
        ? 0
        : (await this.handle.read(this.buf, this.have, this.buf.length - this.have, null))
            .bytesRead;
    if (bytesRead === 0) {
      this.ended = true;
      await this.close();
      if (this.have > 0) throw new EngineError(`${this.path}: a spill file ends inside a record`);
      return false;
    }
    this.have += bytesRead;
    return true;
  }

  /** The next chunk of a memory file: it holds whole records, so nothing is copied. */
  private loadChunk(chunks: readonly Buffer[]): boolean {
    if (this.have - this.next_ !== 0) {
      throw new EngineError(`${this.path}: a spill file ends inside a record`);
    }
    const chunk = chunks[this.nextChunk++];
    if (chunk === undefined) {
      this.ended = true;
      return false;
    }
    this.base += this.have;
    this.buf = chunk;
    this.have = chunk.length;
    this.next_ = 0;
    return true;
  }

  /** Moves to the next record; `false` at the end of the file. */
  async next(): Promise<boolean> {
    while (!this.advance()) if (!(await this.load())) return false;
    return true;
  }

  /** Stops reading the file. */
  async close(): Promise<void> {
    const handle = this.handle;
    this.handle = undefined;
    await handle?.close();
  }
}

/**
 * Visits every record of some spill files, in file order.
 *
 * @param paths - the files, read one after the other
 * @param visit - called with each record, the index of its file in `paths` and its
 *   {@link RecordCursor.position}; it must not keep the buffer
 */
export async function forEachRecord(
  paths: readonly string[],
  visit: (buf: Buffer, at: number, length: number, file: number, position: number) => void,
): Promise<void> {
  for (const [file, path] of paths.entries()) {
    const cursor = new RecordCursor(path);
    try {
      do {
        while (cursor.advance()) visit(cursor.buf, cursor.at, cursor.length, file, cursor.position);
      } while (await cursor.load());
    } finally {
      await cursor.close();
    }
  }
}

/**
 * Reads every record of some spill files as bytes, to be decoded later: the chunks read, and
 * for each record, in file order, `[chunk, offset]` (flat). Bytes stay off the JavaScript
 * heap, where the collector would copy them again and again.
 *
 * @param paths - the files, read one after the other
 */
export async function collectRecords(
  paths: readonly string[],
): Promise<{ chunks: Buffer[]; records: number[] }> {
  const chunks: Buffer[] = [];
  const records: number[] = [];
  for (const path of paths) {
    const cursor = new RecordCursor(path, 1 << 20, true);
    try {
      do {
        let chunk = -1;
        while (cursor.advance()) {
          if (chunk < 0 || chunks[chunk] !== cursor.buf) chunk = chunks.push(cursor.buf) - 1;
          records.push(chunk, cursor.at);
        }
      } while (await cursor.load());
    } finally {
      await cursor.close();
    }
  }
  return { chunks, records };
}

/**
 * Reads every record of some spill files through a decoder, in file order.
 *
 * @param paths - the files, read one after the other
 * @param decode - turns a record into a value; it must not keep the buffer
 */
export async function readRecords<T>(
  paths: readonly string[],
  decode: (buf: Buffer, at: number, length: number) => T,
): Promise<T[]> {
  const out: T[] = [];
  await forEachRecord(paths, (buf, at, length) => {
    out.push(decode(buf, at, length));
  });
  return out;
}

/** Spill files {@link RecordsAt} keeps open on disk at once, unless told more. */
export const MAX_OPEN_FILES = 16;

/**
 * Reads single records of spill files by their position ({@link RecordCursor.position}),
 * at once: from a memory file's chunks, else from the disk, keeping the files read most
 * recently open.
 *
 * @example
 * const records = new RecordsAt();
 * try {
 *   const { buf, at } = records.read(path, position);
 * } finally {
 *   records.close();
 * }
 */
export class RecordsAt {
  /**
   * Each memory file's chunks with where each begins, or an open file on disk; in the order
   * last read (a Map keeps insertion order), the least recent first.
   */
  private readonly files = new Map<
    string,
    { chunks: readonly Buffer[]; starts: number[] } | number
  >();
  private buf = Buffer.allocUnsafe(1 << 12);
  /** How many files are open on disk. */
  private open = 0;
  private opens = 0;
  /** The file read last. */
  private last: string | undefined;

  /**
   * @param maxOpen - files kept open on disk at once: at least as many as are read in turn
   *   (a partition's, one a worker), or every read opens a file again
   */
  constructor(private readonly maxOpen = MAX_OPEN_FILES) {}

  /** How many times a file was opened on disk (for tests and tracing). */
  get filesOpened(): number {
    return this.opens;
  }

  /** The record at `position` of `path`: it is in `buf` from `at`, until the next read. */
  read(path: string, position: number): { buf: Buffer; at: number; length: number } {
    let file = this.files.get(path);
    if (typeof file === 'number' && path !== this.last) {
      // Read again: now the most recent.
      this.files.delete(path);
      this.files.set(path, file);
    }
    if (file === undefined) {
      const chunks = memoryFile(path);
      if (chunks === undefined) {
        // Reads go partition after partition: a few files open at once are enough, and
        // thousands (many partitions, many workers) would run out of descriptors.
        if (this.open >= this.maxOpen) this.closeLeastRecent();
        file = openSync(path, 'r');
        this.open++;
        this.opens++;
      } else {
        const starts: number[] = [];
        let start = 0;
        for (const chunk of chunks) {
          starts.push(start);
          start += chunk.length;
        }
        file = { chunks, starts };
      }
      this.files.set(path, file);
    }
    this.last = path;
    if (typeof file !== 'number') {
      // The last chunk that begins at or before the position: records never straddle two.
      const { chunks, starts } = file;
      let low = 0;
      let high = starts.length - 1;
      while (low < high) {
        const mid = (low + high + 1) >>> 1;
        if ((starts[mid] as number) <= position) low = mid;
        else high = mid - 1;
      }
      const buf = chunks[low];
      const at = position - (starts[low] as number);
      if (buf === undefined || at < 0 || at + 4 > buf.length) throw this.missing(path, position);
      const length = buf.readUInt32LE(at);
      if (at + 4 + length > buf.length) throw this.missing(path, position);
      return { buf, at: at + 4, length };
    }
    let bytes = readSync(file, this.buf, 0, this.buf.length, position);
    const length = bytes >= 4 ? this.buf.readUInt32LE(0) : -1;
    if (length >= 0 && 4 + length > this.buf.length) {
      this.buf = Buffer.allocUnsafe(4 + length);
      bytes = readSync(file, this.buf, 0, this.buf.length, position);
    }
    if (length < 0 || bytes < 4 + length) throw this.missing(path, position);
    return { buf: this.buf, at: 4, length };
  }

  /** Closes the files opened on disk. */
  close(): void {
    for (const file of this.files.values()) if (typeof file === 'number') closeSync(file);
    this.files.clear();
    this.open = 0;
    this.last = undefined;
  }

  private closeLeastRecent(): void {
    for (const [path, file] of this.files) {
      if (typeof file !== 'number') continue;
      closeSync(file);
      this.files.delete(path);
      this.open--;
      return;
    }
  }

  private missing(path: string, position: number): EngineError {
    return new EngineError(`${path}: no whole spill record at byte ${position}`);
  }
}
