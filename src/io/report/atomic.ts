import { CallreconError } from '../../core/errors.js';
import { randomBytes } from 'node:crypto';
import { renameSync, rmSync } from 'node:fs';
import { lstat, mkdir, open, readdir, rm, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { acquireLock, type HeldLock } from './lock.js';
import { cleanLeftovers, goneName, scratchOf } from './scratch.js';

export { outputPaths } from './scratch.js';
import { asOutputFailure, describeFailure, OutputError } from './output-error.js';

export { OutputError } from './output-error.js';

/** Temporary folders and files being written now, removed if the process is interrupted. */
const pending = new Set<string>();
/** Output locks this process holds, released if it is interrupted. */
const locks = new Set<HeldLock>();

/**
 * Registers a temporary folder or file to remove if the process is interrupted; the
 * returned function unregisters it.
 *
 * @param path - the folder or file
 * @returns a function that unregisters it
 * @example
 * const untrack = trackTemporary(spillDir);
 * try { await work(spillDir); } finally { await rm(spillDir, { recursive: true }); untrack(); }
 */
export function trackTemporary(path: string): () => void {
  pending.add(path);
  return () => {
    pending.delete(path);
  };
}

/**
 * Removes every temporary output folder still being written, and releases the output locks
 * held (after a failed run).
 *
 * @returns once all are removed
 * @example
 * try { await run(); } catch (error) { await removePendingOutputs(); throw error; }
 */
export async function removePendingOutputs(): Promise<void> {
  // On the way out of a failure, which it must not hide: what cannot be removed now (the
  // descriptors all taken, say) is left to the next run, which removes the leftovers of runs
  // no longer alive.
  await Promise.all(
    [...pending].map((path) =>
      rm(path, { recursive: true, force: true, maxRetries: 3 }).catch(() => undefined),
    ),
  );
  pending.clear();
  await Promise.all([...locks].map((lock) => lock.release()));
  locks.clear();
}

/**
 * Removes every temporary output folder and releases every output lock, synchronously:
 * for a signal handler, which must not wait on the thread pool (a blocked read there would
 * hold it forever). A report being swapped into place is never caught half-way: the swap is
 * synchronous too, so it has happened or not.
 *
 * @example
 * process.once('SIGTERM', () => { removePendingOutputsSync(); process.kill(process.pid, 'SIGTERM'); });
 */
export function removePendingOutputsSync(): void {
  for (const path of pending) {
    // Renamed first: worker threads still running can no longer add files to it by path,
    // which would make the removal fail on a folder that is not empty.
    let doomed = path;
    try {
      const gone = goneName(path, process.pid);
      renameSync(path, gone);
      doomed = gone;
    } catch {
      // Not there (any more), or cannot be renamed: removed where it is.
    }
    removeSyncSettling(doomed);
  }
  pending.clear();
  for (const lock of locks) lock.releaseSync();
  locks.clear();
}

/** How long the signal cleanup tries to remove a folder that files still appear in. */
const SETTLE_ATTEMPTS = 20;
const SETTLE_PAUSE_MS = 5;

/**
 * Removes a folder, synchronously, trying again while files still appear in it: an open of
 * the thread pool that found the folder before it was renamed creates its file after, in
 * the renamed folder (seen in a third of the runs interrupted while opening thousands of
 * spill files). What cannot be removed at all, the next run removes.
 */
function removeSyncSettling(path: string): void {
  const pause = new Int32Array(new SharedArrayBuffer(4));
  for (let attempt = 1; attempt <= SETTLE_ATTEMPTS; attempt++) {
    try {
      rmSync(path, { recursive: true, force: true });
      return;
    } catch {
      Atomics.wait(pause, 0, 0, SETTLE_PAUSE_MS);
    }
  }
}

/** Runs `work` holding the lock of output `target`, after cleaning up what dead runs left. */
async function withOutputLock<T>(
  target: string,
  label: string,
  waitMs: number | undefined,
  work: () => Promise<T>,
): Promise<T> {
  // Known to the signal cleanup before its file exists.
  let tracked: HeldLock | undefined;
  const track = (held: HeldLock): void => {
    tracked = held;
    locks.add(held);
  };
  let lock: HeldLock;
  try {
    lock = await acquireLock(scratchOf(target).lock, { label, waitMs, track });
  } catch (cause) {
    if (tracked !== undefined) {
      locks.delete(tracked);
      await tracked.release();
    }
    throw cause instanceof CallreconError ? cause : describeFailure(label, cause);
  }
  try {
    try {
      await cleanLeftovers(target);
    } catch (cause) {
      throw describeFailure(label, cause);
    }
    return await work();
  } finally {
    locks.delete(lock);
    await lock.release();
  }
}

/**
 * Options of {@link writeFolderAtomically} and {@link writeFileAtomically}.
 *
 * @example
 * { lockWaitMs: 5_000 }
 */
export interface AtomicWriteOptions {
  /** How long to wait for another run writing the same output; default 60 s. */
  readonly lockWaitMs?: number | undefined;
}

/**
 * Checks that a report folder may be (re)written: it does not exist, or it is a folder
 * holding nothing but the files a report consists of. Anything else (a file, a folder with
 * other files — the user's inputs, say) is refused rather than replaced. A report another
 * run replaces meanwhile is no obstacle.
 *
 * @param dir - the output folder
 * @param reportFiles - the names a report writes
 * @returns once the folder is known to be safe to replace
 * @throws {@link OutputError} naming the folder and what is in the way
 * @example
 * await checkReportFolder('./callrecon-out', REPORT_FILES);
 */
export async function checkReportFolder(
  dir: string,
  reportFiles: readonly string[],
): Promise<void> {
  let entries: string[];
  try {
    if (!(await stat(dir)).isDirectory()) {
      throw new OutputError(`--out ${dir} is a file, not a folder: give a new or empty folder`);
    }
    entries = await readdir(dir);
  } catch (cause) {
    if (cause instanceof OutputError) throw cause;
    if ((cause as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw describeFailure(dir, cause);
  }
  const foreign: string[] = [];
  for (const name of entries) {
    if (!reportFiles.includes(name)) {
      foreign.push(name);
      continue;
    }
    // Only the report's own regular files: a folder or link named like one is the user's.
    let info;
    try {
      info = await lstat(join(dir, name));
    } catch (cause) {
      // Gone meanwhile: another run swapped its report in.
      if ((cause as NodeJS.ErrnoException).code === 'ENOENT') continue;
      throw describeFailure(dir, cause);
    }
    if (!info.isFile()) foreign.push(name);
  }
  if (foreign.length > 0) {
    const shown = foreign.slice(0, 3).join(', ') + (foreign.length > 3 ? ', …' : '');
    throw new OutputError(
      `--out ${dir} holds files that are not a callrecon report (${shown}); a report replaces its folder, so give a new or empty folder`,
    );
  }
}

/**
 * Checks that an output file may be (re)written: it does not exist, or it is a file this
 * command wrote before (it starts with `header`). An input, or any other file, is refused.
 *
 * @param file - the output file
 * @param header - the first line the command writes
 * @returns once the file is known to be safe to replace
 * @throws {@link OutputError} naming the file
 * @example
 * await checkOutputFile('rated.csv', RATED_HEADER);
 */
export async function checkOutputFile(file: string, header: string): Promise<void> {
  let info;
  try {
    info = await lstat(file);
  } catch (cause) {
    if ((cause as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw describeFailure(file, cause);
  }
  if (info.isDirectory()) {
    throw new OutputError(`--out ${file} is a folder: give the path of a CSV file to write`);
  }
  if (!info.isFile()) {
    throw new OutputError(
      `--out ${file} exists and is not a file callrecon wrote; give a new file (it would be replaced)`,
    );
  }
  let start: string;
  try {
    const handle = await open(file, 'r');
    try {
      const bytes = Buffer.alloc(header.length);
      const { bytesRead } = await handle.read(bytes, 0, header.length, 0);
      start = bytes.subarray(0, bytesRead).toString('utf8');
    } finally {
      await handle.close();
    }
  } catch (cause) {
    if ((cause as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw describeFailure(file, cause);
  }
  if (start !== header) {
    throw new OutputError(
      `--out ${file} exists and is not a file callrecon wrote; give a new file (it would be replaced)`,
    );
  }
}

function removeQuietly(path: string): Promise<void> {
  return rm(path, { recursive: true, force: true }).catch(() => undefined);
}

/**
 * Writes a folder so that it appears complete or not at all (SPEC §5): `write` fills a
 * temporary folder beside `dir`, which is renamed into place only when `write` succeeds.
 *
 * - A previous `dir` survives a failed run, and is replaced only once the new one is
 *   complete; the two renames of the swap are synchronous, so a signal handler (see
 *   `removePendingOutputsSync`) finds the previous report or the new one, never
 *   neither. A run killed outright between them is repaired by the next run.
 * - Runs into the same `dir` take turns: a lock beside it is held while writing, and a
 *   run waits for it up to `lockWaitMs`. What dead runs left beside `dir` is removed.
 * - A file system failure (a full disk, a permission) is an {@link OutputError} naming
 *   `dir` and the cause.
 *
 * @param dir - the folder to produce
 * @param write - fills the temporary folder it is given
 * @param reportFiles - when given, an existing `dir` is replaced only if it holds nothing
 *   else (see {@link checkReportFolder})
 * @param options - how long to wait for another run
 * @returns once `dir` holds the new folder
 * @throws {@link OutputError} when it cannot be written; also when another run
 *   holds the lock for longer than `lockWaitMs`
 * @example
 * await writeFolderAtomically('./callrecon-out', async (tmp) => writeFile(join(tmp, 'a'), 'x'));
 */
export async function writeFolderAtomically(
  dir: string,
  write: (tmpDir: string) => Promise<void>,
  reportFiles?: readonly string[],
  options: AtomicWriteOptions = {},
): Promise<void> {
  if (reportFiles !== undefined) await checkReportFolder(dir, reportFiles);
  const target = resolve(dir);
  const parent = dirname(target);
  try {
    await mkdir(parent, { recursive: true });
  } catch (cause) {
    throw describeFailure(dir, cause);
  }
  await withOutputLock(target, dir, options.lockWaitMs, async () => {
    const tag = `${process.pid}-${randomBytes(4).toString('hex')}`;
    const tmp = join(parent, `.${basename(target)}.tmp-${tag}`);
    const old = join(parent, `.${basename(target)}.old-${tag}`);
    pending.add(tmp);
    try {
      try {
        await mkdir(tmp);
        await write(tmp);
      } catch (cause) {
        throw asOutputFailure(dir, cause);
      }
      // Again just before the swap: the user may have put something there meanwhile.
      if (reportFiles !== undefined) await checkReportFolder(dir, reportFiles);
      pending.add(old);
      swapSync(dir, target, tmp, old);
    } finally {
      pending.delete(tmp);
      await removeQuietly(tmp);
      await removeQuietly(old);
      pending.delete(old);
    }
  });
}

/**
 * Puts `tmp` in place of `target`, moving a previous `target` to `old` first; on failure
 * the previous one goes back. Synchronous, so that no signal handler runs in between.
 */
function swapSync(dir: string, target: string, tmp: string, old: string): void {
  let moved = false;
  try {
    try {
      renameSync(target, old);
      moved = true;
    } catch (cause) {
      if ((cause as NodeJS.ErrnoException).code !== 'ENOENT') throw cause;
    }
    renameSync(tmp, target);
  } catch (cause) {
    if (moved) {
      try {
        renameSync(old, target);
      } catch {
        // Left as `old`: the next run into `dir` puts it back.
      }
    }
    throw describeFailure(dir, cause);
  }
}

/**
 * Writes one file so that it appears complete or not at all: a temporary file beside it is
 * renamed over it when `write` succeeds. Runs into the same file take turns, as for
 * {@link writeFolderAtomically}; a file system failure is an {@link OutputError}.
 *
 * @param file - the file to produce
 * @param write - fills the temporary file whose path it is given
 * @param options - how long to wait for another run
 * @returns once `file` holds the new content
 * @throws {@link OutputError} when it cannot be written
 * @example
 * await writeFileAtomically('rated.csv', (tmp) => writeFile(tmp, RATED_HEADER));
 */
export async function writeFileAtomically(
  file: string,
  write: (tmpFile: string) => Promise<void>,
  options: AtomicWriteOptions = {},
): Promise<void> {
  const target = resolve(file);
  try {
    await mkdir(dirname(target), { recursive: true });
  } catch (cause) {
    throw describeFailure(file, cause);
  }
  if ((await stat(target).catch(() => undefined))?.isDirectory() === true) {
    throw new OutputError(`--out ${file} is a folder: give the path of a CSV file to write`);
  }
  await withOutputLock(target, file, options.lockWaitMs, async () => {
    const tmp = join(
      dirname(target),
      `.${basename(target)}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`,
    );
    pending.add(tmp);
    try {
      try {
        await write(tmp);
      } catch (cause) {
        throw asOutputFailure(file, cause);
      }
      try {
        renameSync(tmp, target);
      } catch (cause) {
        throw describeFailure(file, cause);
      }
    } finally {
      pending.delete(tmp);
      await removeQuietly(tmp);
    }
  });
}
