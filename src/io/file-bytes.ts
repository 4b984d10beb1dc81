import { createHash, type Hash } from 'node:crypto';
import { constants, type Dirent, type Stats } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { createGunzip } from 'node:zlib';
import { InputError } from './errors.js';
import { CutInputError } from './text.js';

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
 * the rest of the file is still hashed. Only a regular file is read: a FIFO, socket or
 * device is refused without waiting on it (see `openRegular`).
 *
 * @param path - the file
 * @param gzip - whether to decompress it
 * @returns its chunks and, once they have ended, their digest
 * @throws {@link InputError} (from the iteration) when the file cannot be read, is not a
 *   regular file, or when a `.gz` file does not hold gzip data at all
 * @example
 * const bytes = openFile('cdrs/10-01.ndjson.gz', true);
 * for await (const chunk of bytes.chunks) decoder.write(chunk);
 * bytes.digest(); // '9f86d0…'
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
  const handle = await openRegular(path);
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
  const handle = await openRegular(path);
  const stream = handle.createReadStream({ highWaterMark: READ_BYTES });
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

/**
 * Opens a file for reading only if it is a regular file. The open does not block (a FIFO
 * opened for reading waits for a writer, holding a thread of the pool for good); what it
 * opened is then checked, so a file swapped for a FIFO after the listing is refused too.
 */
async function openRegular(path: string): Promise<FileHandle> {
  let handle: FileHandle;
  try {
    handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    throw readError(path, error);
  }
  let info: Stats;
  try {
    info = await handle.stat();
  } catch (error) {
    await handle.close();
    throw readError(path, error);
  }
  if (!info.isFile()) {
    await handle.close();
    throw new InputError(
      `${path}: ${info.isDirectory() ? 'a folder' : kindOfEntry(info)}, not a regular file`,
    );
  }
  return handle;
}

function readError(path: string, error: unknown): InputError {
  return new InputError(`${path}: ${describeFsError(error, 'cannot read this file')}`, {
    cause: error,
  });
}

/**
 * A file system failure in words, for messages.
 *
 * @param error - the failure
 * @param fallback - said, with the error's message, for causes without words of their own
 * @returns a phrase (`no such file or folder`)
 * @example
 * describeFsError(enoent, 'cannot read this file'); // 'no such file or folder'
 */
export function describeFsError(error: unknown, fallback: string): string {
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

/**
 * What a file that is not a regular one is, for messages.
 *
 * @param info - its status
 * @returns a phrase (`a FIFO (named pipe)`)
 * @example
 * kindOfEntry(await stat('pipe.csv')); // 'a FIFO (named pipe)'
 */
export function kindOfEntry(info: Stats | Dirent): string {
  if (info.isFIFO()) return 'a FIFO (named pipe)';
  if (info.isSocket()) return 'a socket';
  if (info.isCharacterDevice() || info.isBlockDevice()) return 'a device';
  return 'not a file';
}
