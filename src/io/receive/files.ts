import { mkdir, open, readdir, stat, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';

/** The first file of a day (SPEC §8); later ones are `pushes_0002.ndjson`, … */
const FIRST_FILE = 'pushes.ndjson';

/** Day folders: the UTC date of receipt. */
const DAY_FOLDER = /^\d{4}-\d{2}-\d{2}$/;

/** A day's push files. */
const PUSH_FILE = /^pushes(?:_(\d{4,}))?\.ndjson$/;

/**
 * The name of a day's `seq`-th push file (1-based). The names sort in byte order as they
 * were written (`.` sorts before `_`), which is the order `reconcile --cdrs DIR` reads them
 * in (SPEC §2.1), so the first of two conflicting records stays the one kept.
 *
 * @param seq - 1 for the first file of the day
 * @returns the file name
 * @example
 * pushFileName(1); // 'pushes.ndjson'
 * pushFileName(2); // 'pushes_0002.ndjson'
 */
export function pushFileName(seq: number): string {
  return seq === 1 ? FIRST_FILE : `pushes_${String(seq).padStart(4, '0')}.ndjson`;
}

/**
 * The sequence number of a push file's name, or undefined for another file.
 *
 * @param name - a file name
 * @returns 1 for `pushes.ndjson`, n for `pushes_000n.ndjson`
 * @example
 * pushFileSeq('pushes_0003.ndjson'); // 3
 */
export function pushFileSeq(name: string): number | undefined {
  const m = PUSH_FILE.exec(name);
  if (m === null) return undefined;
  return m[1] === undefined ? 1 : Number(m[1]);
}

/**
 * The UTC day (`YYYY-MM-DD`) of an instant: the folder a push received then goes to.
 *
 * @param ms - epoch milliseconds
 * @returns the day
 * @example
 * utcDay(Date.UTC(2026, 9, 15, 23, 59)); // '2026-10-15'
 */
export function utcDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/**
 * Every push file below `dir`, day by day, in the order they were written.
 *
 * @param dir - the receiver's folder
 * @returns paths, with the day and sequence of each
 * @example
 * for (const f of await listPushFiles('pushes')) console.log(f.path);
 */
export async function listPushFiles(
  dir: string,
): Promise<{ path: string; day: string; seq: number }[]> {
  const files: { path: string; day: string; seq: number }[] = [];
  const days = (await readdir(dir, { withFileTypes: true }))
    .filter((e) => e.isDirectory() && DAY_FOLDER.test(e.name))
    .map((e) => e.name)
    .sort();
  for (const day of days) {
    const names = await readdir(join(dir, day));
    for (const name of names) {
      const seq = pushFileSeq(name);
      if (seq !== undefined) files.push({ path: join(dir, day, name), day, seq });
    }
  }
  return files.sort((a, b) => (a.day === b.day ? a.seq - b.seq : a.day < b.day ? -1 : 1));
}

/**
 * Makes a folder (and its parents) and flushes the folder above it, so the new entry is on
 * disk too.
 *
 * @param path - the folder
 * @example
 * await makeDurableFolder('pushes/2026-10-15');
 */
export async function makeDurableFolder(path: string): Promise<void> {
  const made = await mkdir(path, { recursive: true });
  if (made !== undefined) await syncFolder(join(path, '..'));
}

/**
 * Flushes a folder's entries to disk (a file made in it survives a power cut).
 *
 * @param path - the folder
 * @example
 * await syncFolder('pushes/rejected');
 */
export async function syncFolder(path: string): Promise<void> {
  const handle = await open(path, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * Where a torn last line was found and where it went.
 *
 * @example
 * for (const torn of store.torn) console.log(`${torn.file}: ${torn.bytes} bytes moved to ${torn.movedTo}`);
 */
export interface TornLine {
  /** The push file it was cut from. */
  readonly file: string;
  /** Its offset in that file. */
  readonly offset: number;
  readonly bytes: number;
  /** The file it was moved to, or undefined when that could not be written (it is dropped). */
  readonly movedTo: string | undefined;
}

/**
 * Moves a torn last line (bytes after the last line break) out of an open push file
 * (SPEC §8): its bytes go to `FILE.torn-OFFSET` beside it (no CDR extension), and the file is
 * cut back to its last whole line, so `reconcile` never reads a torn record. Such a line
 * was never answered 200: the platform sends it again.
 *
 * @param handle - the push file, opened for reading and appending
 * @param path - its path
 * @returns the torn line moved, or undefined when the file ends with a line break
 * @example
 * const torn = await cutTornLine(handle, 'pushes/2026-10-15/pushes.ndjson');
 */
export async function cutTornLine(handle: FileHandle, path: string): Promise<TornLine | undefined> {
  const { size } = await handle.stat();
  const offset = await lastLineEnd(handle, size);
  if (offset === size) return undefined;
  const bytes = size - offset;
  const torn = Buffer.alloc(bytes);
  await handle.read(torn, 0, bytes, offset);
  let movedTo: string | undefined = `${path}.torn-${offset}`;
  try {
    const aside = await open(movedTo, 'w');
    try {
      await aside.writeFile(torn);
      await aside.sync();
    } finally {
      await aside.close();
    }
  } catch {
    // A full disk: the line is dropped rather than left to be read as a record.
    movedTo = undefined;
  }
  await handle.truncate(offset);
  await handle.sync();
  return { file: path, offset, bytes, movedTo };
}

/** The offset just after the last line break of the first `size` bytes (0 when none). */
async function lastLineEnd(handle: FileHandle, size: number): Promise<number> {
  const chunk = Buffer.alloc(64 * 1024);
  let end = size;
  while (end > 0) {
    const start = Math.max(0, end - chunk.length);
    const { bytesRead } = await handle.read(chunk, 0, end - start, start);
    const nl = chunk.subarray(0, bytesRead).lastIndexOf(0x0a);
    if (nl !== -1) return start + nl + 1;
    end = start;
  }
  return 0;
}

/**
 * The size of a file, or 0 when it does not exist.
 *
 * @param path - the file
 * @returns its size in bytes
 * @example
 * await sizeOf('pushes/2026-10-15/pushes.ndjson'); // 1048576
 */
export async function sizeOf(path: string): Promise<number> {
  try {
    return (await stat(path)).size;
  } catch {
    return 0;
  }
}
