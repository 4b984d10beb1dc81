import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { link, open, readFile, stat, unlink, writeFile } from 'node:fs/promises';
import { readFileSync, unlinkSync } from 'node:fs';
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
  /**
   * Called with the lock before anything is created, so that a signal handler can release
   * it whenever the signal comes: while it is being taken too.
   */
  readonly track?: ((lock: HeldLock) => void) | undefined;
}

/**
 * A held lock: `release()` removes it; `releaseSync()` does the same from a signal handler.
 * Both remove only this lock (its file holds this process's id and a token of its own), and
 * are harmless before it is taken or after it is released.
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
  const token = randomBytes(6).toString('hex');
  const content = `${process.pid}\n${hostname()}\n${token}\n`;
  // Written whole beside the lock, then linked to its name: the lock never exists empty,
  // so whoever finds it can tell whose it is.
  const draft = `${path}.${token}`;
  const lock = heldLock(path, content, draft);
  options.track?.(lock);
  for (;;) {
    if (await create(path, draft, content)) return lock;
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

/** Errors of `link` on file systems without hard links. */
const NO_LINKS = new Set(['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS', 'EXDEV']);

/**
 * Creates the lock file `path` holding `content`, unless it exists: whether it did. The
 * draft is linked to the lock's name; where the file system has no hard links, the lock is
 * created exclusively and written.
 */
async function create(path: string, draft: string, content: string): Promise<boolean> {
  await writeFile(draft, content);
  try {
    await link(draft, path);
    return true;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? '';
    // ENOENT: the draft was removed by the run holding the lock, cleaning up.
    if (code === 'EEXIST' || code === 'ENOENT') return false;
    if (!NO_LINKS.has(code)) throw error;
  } finally {
    await unlink(draft).catch(() => undefined);
  }
  let handle;
  try {
    handle = await open(path, 'wx');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
  try {
    await handle.writeFile(content);
  } finally {
    await handle.close();
  }
  return true;
}

function heldLock(path: string, content: string, draft: string): HeldLock {
  return {
    path,
    async release(): Promise<void> {
      await unlink(draft).catch(() => undefined);
      // Only our own lock: a lock taken over meanwhile is another run's.
      if ((await readLock(path).catch(() => undefined)) === content) {
        await unlink(path).catch(() => undefined);
      }
    },
    releaseSync(): void {
      for (const file of [draft, path]) {
        try {
          if (file === draft || readFileSync(path, 'utf8') === content) unlinkSync(file);
        } catch {
          // Not there, or not ours.
        }
      }
    },
  };
}
