import { LineWriter } from '../report/line-writer.js';
import { readLineBatches, text } from './spill.js';

const MERGE_CHUNK_BYTES = 1 << 16;

/** Reads spill lines one at a time from a file, batch by batch. */
class LineCursor {
  private lines: string[] = [];
  private at = 0;
  private readonly source: AsyncGenerator<string[]>;
  constructor(path: string) {
    // Hundreds of files are merged at once: small reads keep that to a few MiB each.
    this.source = readLineBatches(path, MERGE_CHUNK_BYTES);
  }
  /** Stops reading the file. */
  async close(): Promise<void> {
    await this.source.return(undefined);
  }

  /** The next non-empty line, or `undefined` at the end. */
  async next(): Promise<string | undefined> {
    for (;;) {
      while (this.at < this.lines.length) {
        const line = this.lines[this.at++] as string;
        if (line !== '') return line;
      }
      const batch = await this.source.next();
      if (batch.done === true) return undefined;
      this.lines = batch.value;
      this.at = 0;
    }
  }
}

/**
 * Merges sorted files into one sorted stream with a binary heap.
 *
 * @param paths - files whose lines are sorted by `compare` of their keys
 * @param keyOf - the sort key of a line
 * @param compare - the order
 */
export async function* mergeSorted<K>(
  paths: readonly string[],
  keyOf: (line: string) => K,
  compare: (a: K, b: K) => number,
): AsyncGenerator<{ source: number; line: string; key: K }> {
  const cursors = paths.map((path) => new LineCursor(path));
  const heap: { source: number; line: string; key: K }[] = [];
  const less = (i: number, j: number): boolean => {
    const a = heap[i] as (typeof heap)[number];
    const b = heap[j] as (typeof heap)[number];
    return compare(a.key, b.key) < 0 || (compare(a.key, b.key) === 0 && a.source < b.source);
  };
  const swap = (i: number, j: number): void => {
    [heap[i], heap[j]] = [heap[j] as (typeof heap)[number], heap[i] as (typeof heap)[number]];
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
  for (let source = 0; source < cursors.length; source++) {
    const line = await (cursors[source] as LineCursor).next();
    if (line !== undefined) {
      heap.push({ source, line, key: keyOf(line) });
      up(heap.length - 1);
    }
  }
  try {
    while (heap.length > 0) {
      const top = heap[0] as (typeof heap)[number];
      yield top;
      const line = await (cursors[top.source] as LineCursor).next();
      if (line === undefined) {
        const last = heap.pop() as (typeof heap)[number];
        if (heap.length > 0) {
          heap[0] = last;
          down(0);
        }
      } else {
        heap[0] = { source: top.source, line, key: keyOf(line) };
        down(0);
      }
    }
  } finally {
    // A consumer that stops early (a slice of the merge) closes every file.
    await Promise.all(cursors.map((cursor) => cursor.close()));
  }
}

/**
 * Writes the partitions' rated lines whose input position is in `[from, to)`, in input
 * order, to one file (a slice of `rated.csv`, without its header).
 *
 * @param path - the file to write
 * @param files - the partitions' rated files, each sorted by input position
 * @param from - the first position to take
 * @param to - the position to stop before
 * @param dropped - positions of records not kept, whose lines are left out
 * @param append - add to the end of `path` instead of truncating it
 */
export async function mergeRated(
  path: string,
  files: readonly string[],
  from: number,
  to: number,
  dropped: readonly number[] = [],
  append = false,
): Promise<void> {
  const skip = new Set(dropped);
  const out = new LineWriter(path, append);
  const merged = mergeSorted(
    files,
    (line) => Number(line.slice(0, line.indexOf('\t'))),
    (a, b) => a - b,
  );
  let written = 0;
  for await (const { line, key } of merged) {
    if (key < from) continue;
    if (key >= to) break;
    if (skip.has(key)) continue;
    if (++written % 1024 === 0) await out.drain();
    out.write(`${text(line.slice(line.indexOf('\t') + 1)) ?? ''}\n`);
  }
  await out.close();
}
