import { hostname } from 'node:os';
import { open, readFile, stat, unlink } from 'node:fs/promises';
import { unlinkSync } from 'node:fs';
import { OutputError } from './output-error.js';
import { isProcessAlive } from '../process-alive.js';

/**
 * How long a run waits for another run writing into the same output, by default: long
 * enough for the report of a large month to be written.
 *
 * @example
 * await acquireLock(path, { label: 'out', waitMs: LOCK_WAIT_MS });
 */
export const LOCK_WAIT_MS = 60_000;

/** A lock file without a process id, older than this, was left by a run killed mid-write. */
const UNWRITTEN_LOCK_MS = 5_000;

const POLL_MS = 50;

/**
 * Options of {@link acquireLock}.
 *
 * @example
 * { label: 'callrecon-out', waitMs: 10_000 }
 */
export interface LockOptions {
  /** How long to wait for a run that holds the lock; default {@link LOCK_WAIT_MS}. */
  readonly waitMs?: number | undefined;
  /** Names the output in messages (as the user wrote it). */
  readonly label: string;
}

/**
 * A held lock: `release()` removes it; `releaseSync()` does the same from a signal handler.
 *
 * @example
 * const lock = await acquireLock('.out.lock', { label: 'out' });
 * process.once('SIGTERM', () => lock.releaseSync());
 * await lock.release();
 */
export interface HeldLock {
  readonly path: string;
  release(): Promise<void>;
  releaseSync(): void;
}

interface Holder {
  readonly pid: number | undefined;
  readonly host: string | undefined;
}

function parseHolder(text: string): Holder {
  const [pid, host] = text.split('\n');
  const n = Number(pid);
  return { pid: Number.isSafeInteger(n) && n > 0 ? n : undefined, host: host || undefined };
}

/**
 * Whether the lock at `path`, holding `text`, was left by a run that no longer exists: its
 * process is gone (on this machine), or it never wrote its id and is old.
 */
async function isStale(path: string, text: string): Promise<boolean> {
  const holder = parseHolder(text);
  if (holder.pid === undefined) {
    const info = await stat(path).catch(() => undefined);
    return info !== undefined && Date.now() - info.mtimeMs > UNWRITTEN_LOCK_MS;
  }
  if (holder.host !== undefined && holder.host !== hostname()) return false;
  return holder.pid !== process.pid && !isProcessAlive(holder.pid);
}

async function readLock(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/**
 * Removes a stale lock, unless another waiter is removing it: the one that creates the
 * `.break` file beside it does, after checking the lock still holds what it read.
 */
async function breakStale(path: string, seen: string): Promise<void> {
  const breaker = `${path}.break`;
  let handle;
  try {
    handle = await open(breaker, 'wx');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    // A breaker killed before it removed its file leaves it behind.
    const info = await stat(breaker).catch(() => undefined);
    if (info !== undefined && Date.now() - info.mtimeMs > UNWRITTEN_LOCK_MS) {
      await unlink(breaker).catch(() => undefined);
    }
    return;
  }
  try {
    if ((await readLock(path)) === seen) await unlink(path).catch(() => undefined);
  } finally {
    await handle.close();
    await unlink(breaker).catch(() => undefined);
  }
}

/**
 * Takes the lock file `path` for this process, waiting while a live run holds it. A lock
 * left by a run that died (its process is gone) is taken over.
 *
 * @param path - the lock file
 * @param options - how long to wait, and the output's name for the message
 * @returns the held lock
 * @throws {@link OutputError} when a live run still holds it after `waitMs`
 * @example
 * const lock = await acquireLock('/reports/.out.lock', { label: 'out' });
 * try { await write(); } finally { await lock.release(); }
 */
export async function acquireLock(path: string, options: LockOptions): Promise<HeldLock> {
  const deadline = Date.now() + (options.waitMs ?? LOCK_WAIT_MS);
  const content = `${process.pid}\n${hostname()}\n`;
  for (;;) {
    let handle;
    try {
      handle = await open(path, 'wx');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    if (handle !== undefined) {
      try {
        await handle.writeFile(content);
      } finally {
        await handle.close();
      }
      return heldLock(path, content);
    }
    const seen = await readLock(path);
    if (seen === undefined) continue;
    if (await isStale(path, seen)) {
      await breakStale(path, seen);
      continue;
    }
    if (Date.now() >= deadline) {
      const holder = parseHolder(seen);
      const who = holder.pid === undefined ? 'another run' : `another run (process ${holder.pid})`;
      throw new OutputError(
        `--out ${options.label}: ${who} is writing a report there; run again when it has ended (or remove ${path} if no callrecon runs)`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

function heldLock(path: string, content: string): HeldLock {
  let held = true;
  return {
    path,
    async release(): Promise<void> {
      if (!held) return;
      held = false;
      // Only our own lock: a lock taken over meanwhile is another run's.
      if ((await readLock(path).catch(() => undefined)) === content) {
        await unlink(path).catch(() => undefined);
      }
    },
    releaseSync(): void {
      if (!held) return;
      held = false;
      try {
        unlinkSync(path);
      } catch {
        // Already gone.
      }
    },
  };
}
