import { readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isProcessAlive } from '../process-alive.js';
import { goneOwner } from '../report/scratch.js';

/** The prefix of a run's spill folder inside the temporary folder. */
export const SPILL_PREFIX = 'callrecon-';

/** The file in each spill folder naming the process that owns it. */
export const OWNER_FILE = 'owner.pid';

/**
 * Marks a spill folder as this process's: a run killed with SIGKILL cannot remove its folder,
 * and the next run tells from this file that its owner is gone.
 *
 * @param dir - the spill folder just made
 * @example
 * await claimSpillFolder(await mkdtemp(join(tmpdir(), SPILL_PREFIX)));
 */
export async function claimSpillFolder(dir: string): Promise<void> {
  await writeFile(join(dir, OWNER_FILE), `${process.pid}\n`);
}

/**
 * Removes the spill folders of runs no longer alive: those in `tmpDir` whose owner file names
 * a process that does not exist, and those a run's signal cleanup renamed (`….gone-PID`) and
 * could not remove whole. Folders without an owner file, or whose owner lives, are left
 * alone; failures are ignored (another run may be removing the same folder).
 *
 * @param tmpDir - where spill folders are made
 * @returns the folders removed
 * @example
 * await removeLeftovers(tmpdir()); // ['/tmp/callrecon-Ab12Cd'] after a run was killed
 */
export async function removeLeftovers(tmpDir: string): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(tmpDir);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of names) {
    if (!name.startsWith(SPILL_PREFIX)) continue;
    const dir = join(tmpDir, name);
    // A folder the signal cleanup renamed and could not finish removing names its run.
    let pid: number;
    try {
      pid = goneOwner(name) ?? Number((await readFile(join(dir, OWNER_FILE), 'utf8')).trim());
    } catch {
      continue;
    }
    if (!Number.isInteger(pid) || pid <= 0 || isProcessAlive(pid)) continue;
    try {
      await rm(dir, { recursive: true, force: true });
      removed.push(dir);
    } catch {
      // Left for a later run.
    }
  }
  return removed;
}
