import { createHash, type Hash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, readdir, realpath, stat, type FileHandle } from 'node:fs/promises';
import { sep } from 'node:path';
import { createGunzip } from 'node:zlib';
import { InputError } from './errors.js';
import { CutInputError } from './text.js';

/** The format of a CDR file, by extension (SPEC §2.1). */
export type CdrFormat = 'json' | 'ndjson' | 'csv';

/** One input file to read, found from a given path. */
export interface InputFile<F extends string> {
  /** The path as given, or the given folder joined with the path below it. */
  readonly path: string;
  readonly format: F;
  readonly gzip: boolean;
}

/** Which extensions a role reads. */
export interface FileKinds<F extends string> {
  /** Names the role in messages (`CDR`, `bill`). */
  readonly label: string;
  /** Lower-case extension (without `.gz`) → format. */
  readonly extensions: Readonly<Record<string, F>>;
}

/** CDR files: `.json`, `.ndjson`, `.jsonl`, `.csv`, each optionally `.gz`. */
export const CDR_FILES: FileKinds<CdrFormat> = {
  label: 'CDR',
  extensions: { '.json': 'json', '.ndjson': 'ndjson', '.jsonl': 'ndjson', '.csv': 'csv' },
};

/** Bill files: `.csv` or `.csv.gz`. */
export const BILL_FILES: FileKinds<'csv'> = { label: 'bill', extensions: { '.csv': 'csv' } };

/**
 * Bytes of text handed on per chunk. Larger chunks measured slower: their text lands in
 * V8's large-object space, fresh memory for every chunk.
 */
const CHUNK_BYTES = 64 * 1024;

/**
 * Bytes read from disk at a time: each read is a thread-pool round trip, so fewer, larger
 * reads cost less CPU (measured against 64 and 256 KiB).
 */
const READ_BYTES = 1024 * 1024;

/**
 * The kind of a file by its name (extension compared ignoring case), or undefined when the
 * role does not read it.
 */
export function kindOf<F extends string>(
  path: string,
  kinds: FileKinds<F>,
): { format: F; gzip: boolean } | undefined {
  let name = path.toLowerCase();
  const gzip = name.endsWith('.gz');
  if (gzip) name = name.slice(0, -3);
  for (const [extension, format] of Object.entries<F>(kinds.extensions)) {
    if (name.endsWith(extension) && name.length > extension.length) return { format, gzip };
  }
  return undefined;
}

/**
 * Expands the given paths into the files to read, in order: a file as given, a folder as
 * every file below it (recursively, symbolic links followed) whose extension the role
 * reads, in byte order of their paths. An empty folder adds no file.
 *
 * @throws {@link InputError} for a missing or unreadable path, or a file given by name
 *   whose extension the role does not read
 */
export async function findInputFiles<F extends string>(
  paths: readonly string[],
  kinds: FileKinds<F>,
): Promise<InputFile<F>[]> {
  const files: InputFile<F>[] = [];
  for (const path of paths) {
    const info = await statInput(path, kinds);
    if (!info.isDirectory()) {
      const kind = kindOf(path, kinds);
      if (kind === undefined) {
        const known = Object.keys(kinds.extensions).join(', ');
        throw new InputError(
          `${path}: not a ${kinds.label} file type; expected ${known}, optionally followed by .gz`,
        );
      }
      files.push({ path, ...kind });
      continue;
    }
    const found: InputFile<F>[] = [];
    const prefix = path.endsWith('/') || path.endsWith(sep) ? path : path + sep;
    await walk(path, prefix, kinds, found, new Set([await realpath(path)]));
    found.sort((a, b) => Buffer.compare(Buffer.from(a.path), Buffer.from(b.path)));
    files.push(...found);
  }
  return files;
}

async function statInput(path: string, kinds: FileKinds<string>) {
  try {
    return await stat(path);
  } catch (error) {
    throw new InputError(
      `${path}: ${describeFsError(error, `cannot read this ${kinds.label} path`)}`,
      {
        cause: error,
      },
    );
  }
}

async function walk<F extends string>(
  dir: string,
  prefix: string,
  kinds: FileKinds<F>,
  found: InputFile<F>[],
  seen: Set<string>,
): Promise<void> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (error) {
    throw new InputError(`${dir}: ${describeFsError(error, 'cannot list this folder')}`, {
      cause: error,
    });
  }
  for (const entry of entries) {
    const path = prefix + entry.name;
    let isDirectory = entry.isDirectory();
    if (entry.isSymbolicLink()) {
      const info = await statInput(path, kinds);
      isDirectory = info.isDirectory();
      if (isDirectory) {
        const real = await realpath(path);
        if (seen.has(real)) continue;
        seen.add(real);
      }
    }
    if (isDirectory) {
      await walk(path, path + sep, kinds, found, seen);
      continue;
    }
    const kind = kindOf(entry.name, kinds);
    if (kind !== undefined) found.push({ path, ...kind });
  }
}

/** The bytes of one file, with the SHA-256 of what was read from disk. */
export interface FileBytes {
  /**
   * The file's bytes, decompressed when it is gzip. A chunk may be overwritten once the
   * next one is asked for: copy what must outlive it.
   */
  readonly chunks: AsyncIterable<Buffer>;
  /** Hex SHA-256 of the bytes on disk; complete once {@link chunks} has ended. */
  digest(): string;
}

/**
 * Opens a file for reading in chunks, hashing its bytes as they are read (no second read).
 * A `.gz` file is decompressed as it streams; a gzip stream that ends early or is damaged
 * ends {@link FileBytes.chunks} with a {@link CutInputError} after what could be read, and
 * the rest of the file is still hashed.
 *
 * @throws {@link InputError} (from the iteration) when the file cannot be read, or when a
 *   `.gz` file does not hold gzip data at all
 */
export function openFile(path: string, gzip: boolean): FileBytes {
  const hash = createHash('sha256');
  let digest: string | undefined;
  return {
    chunks: gzip ? gunzipChunks(path, hash) : plainChunks(path, hash),
    digest: () => (digest ??= hash.digest('hex')),
  };
}

/**
 * The bytes of a plain file, read into one reused buffer and handed on in
 * {@link CHUNK_BYTES} pieces: each piece is valid until the next one is asked for, which
 * suits a consumer that decodes (copies) every piece at once.
 */
async function* plainChunks(path: string, hash: Hash): AsyncGenerator<Buffer> {
  let handle: FileHandle;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    throw readError(path, error);
  }
  try {
    const buffer = Buffer.allocUnsafe(READ_BYTES);
    for (;;) {
      let bytesRead: number;
      try {
        ({ bytesRead } = await handle.read(buffer, 0, READ_BYTES, null));
      } catch (error) {
        throw readError(path, error);
      }
      if (bytesRead === 0) return;
      const bytes = buffer.subarray(0, bytesRead);
      hash.update(bytes);
      for (let at = 0; at < bytesRead; at += CHUNK_BYTES) {
        yield bytes.subarray(at, Math.min(at + CHUNK_BYTES, bytesRead));
      }
    }
  } finally {
    await handle.close();
  }
}

async function* gunzipChunks(path: string, hash: Hash): AsyncGenerator<Buffer> {
  const stream = createReadStream(path, { highWaterMark: READ_BYTES });
  const gunzip = createGunzip({ chunkSize: CHUNK_BYTES });
  let rawBytes = 0;
  let readFailure: unknown;
  // The file is read and hashed to its end by this feeder, even after a gzip error.
  const feeder = (async () => {
    try {
      for await (const chunk of stream as AsyncIterable<Buffer>) {
        hash.update(chunk);
        rawBytes += chunk.length;
        if (gunzip.destroyed) continue;
        if (!gunzip.write(chunk)) {
          await new Promise<void>((resolve) => {
            const done = (): void => {
              gunzip.off('drain', done);
              gunzip.off('close', done);
              resolve();
            };
            gunzip.on('drain', done);
            gunzip.on('close', done);
          });
        }
      }
      if (!gunzip.destroyed) gunzip.end();
    } catch (error) {
      readFailure = error;
      gunzip.destroy();
    }
  })();
  let outBytes = 0;
  try {
    for await (const chunk of gunzip as AsyncIterable<Buffer>) {
      outBytes += chunk.length;
      yield chunk;
    }
  } catch (error) {
    await feeder;
    if (readFailure !== undefined) throw readError(path, readFailure);
    if (rawBytes === 0) return; // An empty file: no text.
    const code = (error as { code?: unknown }).code;
    const message = error instanceof Error ? error.message : String(error);
    if (outBytes === 0 && code === 'Z_DATA_ERROR') {
      throw new InputError(`${path}: not gzip data (${message})`, { cause: error });
    }
    const what =
      code === 'Z_BUF_ERROR' ? 'the gzip data ends early' : `the gzip data is damaged (${message})`;
    throw new CutInputError(
      `${what} after ${outBytes} bytes of text: this record and any after it are lost`,
      { cause: error },
    );
  } finally {
    stream.destroy();
    gunzip.destroy();
    await feeder;
  }
  await feeder;
  if (readFailure !== undefined) throw readError(path, readFailure);
}

function readError(path: string, error: unknown): InputError {
  return new InputError(`${path}: ${describeFsError(error, 'cannot read this file')}`, {
    cause: error,
  });
}

function describeFsError(error: unknown, fallback: string): string {
  const code = (error as { code?: unknown } | undefined)?.code;
  switch (code) {
    case 'ENOENT':
      return 'no such file or folder';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
      return 'is a folder, not a file';
    default: {
      const message = error instanceof Error ? error.message : String(error);
      return `${fallback} (${message})`;
    }
  }
}
