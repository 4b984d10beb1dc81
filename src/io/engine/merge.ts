import { open } from 'node:fs/promises';
import { LineWriter } from '../report/line-writer.js';
import { keyOf, RecordCursor } from './spill.js';
import { memoryFile } from './store.js';

/** Read buffers of a merge, in all (about): hundreds of files may be merged at once. */
const MERGE_BUFFER_BYTES = 16 * 1024 * 1024;

/** A file's current record in a merge, with its key. */
export interface MergeHead<K> {
  /** Index of the file in the list merged. */
  readonly source: number;
  /** The file's cursor, on the record: read it before the visit returns. */
  readonly cursor: RecordCursor;
  readonly key: K;
}

/**
 * Merges files of sorted records into one sorted stream with a binary heap; ties go to the
 * file listed first. Each record is visited in turn; a visit may return a promise to wait
 * for (a writer to drain), or `false` to stop.
 *
 * @param paths - spill files whose records are sorted by `compare` of their keys
 * @param keyOf - the sort key of a record
 * @param compare - the order
 * @param visit - called with each record in merged order
 */
export async function mergeSorted<K>(
  paths: readonly string[],
  keyOf: (buf: Buffer, at: number) => K,
  compare: (a: K, b: K) => number,
  visit: (head: MergeHead<K>) => void | boolean | Promise<void>,
): Promise<void> {
  const chunkBytes = Math.max(64 * 1024, Math.min(1 << 20, MERGE_BUFFER_BYTES / paths.length));
  const cursors = paths.map((path) => new RecordCursor(path, Math.floor(chunkBytes)));
  const heap: MergeHead<K>[] = [];
  const less = (i: number, j: number): boolean => {
    const a = heap[i] as MergeHead<K>;
    const b = heap[j] as MergeHead<K>;
    const order = compare(a.key, b.key);
    return order < 0 || (order === 0 && a.source < b.source);
  };
  const swap = (i: number, j: number): void => {
    [heap[i], heap[j]] = [heap[j] as MergeHead<K>, heap[i] as MergeHead<K>];
  };
  const up = (start: number): void => {
    let i = start;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!less(i, parent)) break;
      swap(i, parent);
      i = parent;
    }
  };
  const down = (start: number): void => {
    let i = start;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let min = i;
      if (l < heap.length && less(l, min)) min = l;
      if (r < heap.length && less(r, min)) min = r;
      if (min === i) return;
      swap(i, min);
      i = min;
    }
  };
  try {
    for (const [source, cursor] of cursors.entries()) {
      if (await cursor.next()) {
        heap.push({ source, cursor, key: keyOf(cursor.buf, cursor.at) });
        up(heap.length - 1);
      }
    }
    while (heap.length > 0) {
      const top = heap[0] as MergeHead<K>;
      const visited = visit(top);
      if (visited === false) return;
      if (visited instanceof Promise) await visited;
      const { cursor, source } = top;
      // Most records are in the chunk already read: no wait for them.
      if (cursor.advance() || (await cursor.next())) {
        heap[0] = { source, cursor, key: keyOf(cursor.buf, cursor.at) };
        down(0);
      } else {
        const last = heap.pop() as MergeHead<K>;
        if (heap.length > 0) {
          heap[0] = last;
          down(0);
        }
      }
    }
  } finally {
    // A visit that stops early (a slice of the merge) closes every file.
    await Promise.all(cursors.map((cursor) => cursor.close()));
  }
}

/**
 * Writes the rated lines whose input position is in `[from, to)`, in input order, to one
 * file (a slice of `rated.csv`, without its header).
 *
 * @param path - the file to write
 * @param files - files of rated lines keyed by input position, each sorted by it
 * @param from - the first position to take
 * @param to - the position to stop before
 * @param append - add to the end of `path` instead of truncating it
 */
export async function mergeRated(
  path: string,
  files: readonly string[],
  from: number,
  to: number,
  append = false,
): Promise<void> {
  const out = new LineWriter(path, { append });
  let written = 0;
  await mergeSorted(
    files,
    keyOf,
    (a, b) => a - b,
    ({ cursor, key }) => {
      if (key >= to) return false;
      if (key < from) return undefined;
      // The line's bytes follow its 8-byte key.
      out.writeBytes(cursor.buf, cursor.at + 8, cursor.at + cursor.length);
      return ++written % 1024 === 0 ? out.drain() : undefined;
    },
  );
  await out.close();
}

/** A file of `rated.csv` lines, and the byte ranges to leave out: `[offset, bytes]` pairs. */
export interface RatedPart {
  readonly path: string;
  readonly cuts: readonly number[];
}

const COPY_BYTES = 1 << 20;

/**
 * Copies files of `rated.csv` lines one after the other into `path` from byte `start`,
 * leaving out the lines of records that were not kept.
 *
 * @param path - the file to write into (it exists; other parts are written beside)
 * @param start - where this slice of it begins
 * @param parts - the files, in order, each with its cuts sorted by offset
 */
export async function copyRatedLines(
  path: string,
  start: number,
  parts: readonly RatedPart[],
): Promise<void> {
  const out = new LineWriter(path, { start });
  const own = Buffer.allocUnsafe(COPY_BYTES);
  for (const part of parts) {
    const chunks = memoryFile(part.path);
    const handle = chunks === undefined ? await open(part.path, 'r') : undefined;
    let nextChunk = 0;
    // The next block of the file: from memory as it is, else read into `own`.
    const read = async (): Promise<[Buffer, number]> => {
      if (handle === undefined) {
        const chunk = chunks?.[nextChunk++];
        return chunk === undefined ? [own, 0] : [chunk, chunk.length];
      }
      return [own, (await handle.read(own, 0, COPY_BYTES, null)).bytesRead];
    };
    try {
      const cuts = part.cuts;
      let cut = 0;
      let position = 0; // of buf[0] in the file
      for (;;) {
        const [buf, bytesRead] = await read();
        if (bytesRead === 0) break;
        let at = 0;
        while (at < bytesRead) {
          const from = cut < cuts.length ? (cuts[cut] as number) : Number.POSITIVE_INFINITY;
          if (position + at < from) {
            const end = Math.min(from - position, bytesRead);
            out.writeBytes(buf, at, end);
            at = end;
          } else {
            const to = from + (cuts[cut + 1] as number);
            at = Math.min(to - position, bytesRead);
            if (position + at === to) cut += 2;
          }
        }
        position += bytesRead;
        await out.drain();
      }
    } finally {
      await handle?.close();
    }
  }
  await out.close();
}
