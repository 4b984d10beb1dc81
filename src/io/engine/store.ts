import { LineWriter } from '../report/line-writer.js';

/**
 * What spill records are written through: a file ({@link LineWriter}) or memory
 * ({@link MemoryWriter}). The engine encodes straight into the reserved buffer.
 */
export interface SpillSink {
  /** Room for `bytes` more bytes: the buffer to write them into, from {@link offset}. */
  reserve(bytes: number): Buffer;
  /** Where the next byte goes in the buffer {@link reserve} returned. */
  readonly offset: number;
  /** Takes the bytes written into the reserved buffer, up to `end`. */
  commit(end: number): void;
  /** Bytes written so far. */
  readonly position: number;
  /** Waits for the disk when it is behind (memory never is). */
  drain(): Promise<void>;
  /** Writes what is buffered and ends the file. */
  close(): Promise<void>;
}

/** Bytes a memory chunk holds (a record larger than that gets a chunk of its own). */
const MEMORY_CHUNK_BYTES = 1 << 20;

/**
 * The spill files of this thread that live in memory, by path: chunks of whole records
 * (a record never straddles two chunks), on shared memory so that another thread that is
 * sent them reads the same bytes without a copy.
 */
const memoryFiles = new Map<string, Buffer[]>();

/** Bytes held in memory files by this thread's writers, in all. */
let memoryBytesWritten = 0;

/**
 * Writes a spill file into memory: chunks of shared memory, registered under its path as
 * soon as it is made, read back by {@link RecordCursor}-style readers through
 * {@link memoryFile}.
 *
 * @example
 * const out = new MemoryWriter('/tmp/run/w0-c3.bin');
 * const buf = out.reserve(8);
 * buf.writeDoubleLE(1, out.offset);
 * out.commit(out.offset + 8);
 * await out.close(); // memoryFile('/tmp/run/w0-c3.bin') holds the 8 bytes
 */
export class MemoryWriter implements SpillSink {
  private readonly chunks: Buffer[] = [];
  private chunk: Buffer;
  private used = 0;
  private pushed = 0;

  /** @param path - the name the file is known by (nothing is written there) */
  constructor(path: string) {
    this.chunk = sharedBuffer(MEMORY_CHUNK_BYTES);
    memoryFiles.set(path, this.chunks);
  }

  reserve(bytes: number): Buffer {
    if (this.used + bytes > this.chunk.length) {
      this.push();
      this.chunk = sharedBuffer(Math.max(MEMORY_CHUNK_BYTES, bytes));
    }
    return this.chunk;
  }

  get offset(): number {
    return this.used;
  }

  commit(end: number): void {
    this.used = end;
  }

  get position(): number {
    return this.pushed + this.used;
  }

  drain(): Promise<void> {
    return Promise.resolve();
  }

  close(): Promise<void> {
    this.push();
    return Promise.resolve();
  }

  private push(): void {
    if (this.used === 0) return;
    // The rest of the chunk stays allocated but unused: chunks are large, records small.
    this.chunks.push(this.chunk.subarray(0, this.used));
    this.pushed += this.used;
    memoryBytesWritten += this.used;
    this.used = 0;
  }
}

function sharedBuffer(bytes: number): Buffer {
  return Buffer.from(new SharedArrayBuffer(bytes));
}

/**
 * Opens a spill file for writing, in memory or on disk.
 *
 * @param path - the file
 * @param where - `'memory'` or `'disk'`
 * @param chunkBytes - bytes written at a time on disk
 * @returns the writer
 * @example
 * const out = openSpill(join(dir, 'w0-c0.bin'), 'memory');
 */
export function openSpill(path: string, where: SpillPlace, chunkBytes?: number): SpillSink {
  if (where === 'memory') return new MemoryWriter(path);
  return new LineWriter(path, chunkBytes === undefined ? {} : { chunkBytes });
}

/** Where a run keeps its spill files. */
export type SpillPlace = 'memory' | 'disk';

/**
 * The chunks of a memory file, or `undefined` when the path is not one (then it is on disk).
 *
 * @param path - the file
 * @returns its chunks, each holding whole records
 * @example
 * const chunks = memoryFile(path) ?? []; // [] when on disk
 */
export function memoryFile(path: string): readonly Buffer[] | undefined {
  return memoryFiles.get(path);
}

/**
 * The memory files of this thread whose path starts with `prefix` (a run's folder), to be
 * sent to other threads: they share the bytes, nothing is copied.
 *
 * @param prefix - the run's spill folder
 * @returns path → chunks
 * @example
 * port.postMessage(exportMemoryFiles(dir)); // the receiver calls adoptMemoryFiles
 */
export function exportMemoryFiles(prefix: string): Record<string, Uint8Array[]> {
  const out: Record<string, Uint8Array[]> = {};
  for (const [path, chunks] of memoryFiles) if (path.startsWith(prefix)) out[path] = chunks;
  return out;
}

/**
 * Registers memory files another thread made (see {@link exportMemoryFiles}).
 *
 * @param files - path → chunks
 * @example
 * adoptMemoryFiles(await pool.runOnEach({ kind: 'finish-ingest' }));
 */
export function adoptMemoryFiles(files: Readonly<Record<string, readonly Uint8Array[]>>): void {
  for (const [path, chunks] of Object.entries(files)) {
    if (memoryFiles.get(path) === chunks) continue;
    memoryFiles.set(
      path,
      chunks.map((chunk) => Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength)),
    );
  }
}

/**
 * Forgets memory files (their bytes are freed once no thread holds them).
 *
 * @param paths - the files; the ones not in memory are ignored
 * @returns whether any was a memory file
 * @example
 * dropMemoryFiles([path]);
 */
export function dropMemoryFiles(paths: Iterable<string>): boolean {
  let any = false;
  for (const path of paths) any = memoryFiles.delete(path) || any;
  return any;
}

/**
 * Forgets every memory file of a run's folder.
 *
 * @param prefix - the run's spill folder
 * @example
 * dropMemoryFolder(dir);
 */
export function dropMemoryFolder(prefix: string): void {
  for (const path of [...memoryFiles.keys()]) if (path.startsWith(prefix)) memoryFiles.delete(path);
}

/**
 * Bytes this thread has written into memory files so far (for tests and tracing).
 *
 * @returns the bytes
 * @example
 * memoryBytesHeld(); // 0 before any run in memory
 */
export function memoryBytesHeld(): number {
  return memoryBytesWritten;
}
