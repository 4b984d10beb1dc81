import { open, readFile, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { ReceiveError } from './errors.js';
import { isProcessAlive } from '../process-alive.js';

/**
 * The lock file's name: no CDR extension of SPEC §2.1, so `reconcile` never reads it.
 *
 * @example
 * join('pushes', LOCK_FILE); // 'pushes/receive.lock'
 */
export const LOCK_FILE = 'receive.lock';

/**
 * A held lock on a receiver's folder.
 *
 * @example
 * const lock: FolderLock = await lockFolder('pushes', process.pid);
 * await lock.release();
 */
export interface FolderLock {
  /** The lock file's path. */
  readonly path: string;
  /** Removes the lock file (once). */
  release(): Promise<void>;
}

/**
 * Takes the folder's lock (SPEC §8: one receiver a folder). The lock is a file holding the
 * holder's process id, made with `O_EXCL`; a lock whose process is gone (a killed receiver)
 * is taken over.
 *
 * @param dir - the receiver's folder (it must exist)
 * @param pid - this process's id
 * @returns the held lock
 * @throws {@link ReceiveError} when a live process holds it, or it cannot be made
 * @example
 * const lock = await lockFolder('pushes', process.pid);
 * try { await serve(); } finally { await lock.release(); }
 */
export async function lockFolder(dir: string, pid: number): Promise<FolderLock> {
  const path = join(dir, LOCK_FILE);
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const handle = await open(path, 'wx');
      try {
        await handle.writeFile(`${pid}\n`);
        await handle.sync();
      } finally {
        await handle.close();
      }
      let released = false;
      return {
        path,
        release: async () => {
          if (released) return;
          released = true;
          await unlink(path).catch(() => undefined);
        },
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
        throw new ReceiveError(`${path}: cannot make the lock file (${codeOf(error)})`, {
          cause: error,
        });
      }
    }
    const holder = await readHolder(path);
    if (holder !== undefined && holder !== pid && isProcessAlive(holder)) {
      throw new ReceiveError(
        `${dir}: another receiver (pid ${holder}) holds ${path}; one receiver a folder`,
      );
    }
    // Left by a process that is gone (or by this pid before a restart): take it over.
    await unlink(path).catch(() => undefined);
  }
  throw new ReceiveError(`${path}: the lock file keeps reappearing; is another receiver starting?`);
}

async function readHolder(path: string): Promise<number | undefined> {
  try {
    const pid = Number.parseInt((await readFile(path, 'utf8')).trim(), 10);
    return Number.isSafeInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

function codeOf(error: unknown): string {
  return (error as NodeJS.ErrnoException).code ?? String(error);
}
