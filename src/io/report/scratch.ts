/**
 * What runs keep beside an output while they write it — temporary folders, a previous
 * report being replaced, the lock — named so that readers skip them and the next run can
 * clean up after a run that died.
 */
import { lstat, readdir, rename, rm } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';

/** The name the signal cleanup gives a folder before removing it: `….gone-PID`. */
export function goneName(path: string, pid: number): string {
  return `${path}.gone-${pid}`;
}

const GONE = /\.gone-(\d+)$/;

/**
 * The process whose signal cleanup renamed a folder to remove it (see
 * `removePendingOutputsSync`), or `undefined` for any other name.
 *
 * @example
 * goneOwner('callrecon-Ab12Cd.gone-4242'); // 4242
 */
export function goneOwner(name: string): number | undefined {
  const pid = GONE.exec(name)?.[1];
  return pid === undefined ? undefined : Number(pid);
}

/** Names of the files a run keeps beside an output while it writes it. */
export function scratchOf(target: string): { parent: string; prefix: string; lock: string } {
  const parent = dirname(target);
  const prefix = `.${basename(target)}.`;
  return { parent, prefix, lock: join(parent, `${prefix}lock`) };
}

/**
 * Whether a name beside an output is one of its runs' scratch files: temporary folders, a
 * previous report moved aside, the draft of a lock being taken.
 */
export function isScratchName(name: string, prefix: string): boolean {
  return (
    name.startsWith(`${prefix}tmp-`) ||
    name.startsWith(`${prefix}old-`) ||
    name.startsWith(`${prefix}lock.`)
  );
}

/**
 * The paths an output occupies: the output itself and what runs writing it keep beside it
 * (temporary folders, a previous report being replaced, the lock). Readers exclude them, so
 * that an output inside an input folder is never read as input (SPEC §2.1).
 *
 * @param out - the output folder or file
 * @returns absolute paths: the output first
 * @example
 * await outputPaths('cdrs/callrecon-out'); // ['/home/me/cdrs/callrecon-out', …]
 */
export async function outputPaths(out: string): Promise<string[]> {
  const target = resolve(out);
  const { parent, prefix, lock } = scratchOf(target);
  const names = await readdir(parent).catch(() => [] as string[]);
  return [
    target,
    lock,
    ...names.filter((name) => isScratchName(name, prefix)).map((name) => join(parent, name)),
  ];
}

/**
 * Under the output's lock: what runs that died left beside `target` is cleaned up. A
 * previous report moved aside by a run killed during its swap is put back when `target`
 * is missing (the previous report, whole, rather than none).
 */
export async function cleanLeftovers(target: string): Promise<void> {
  const { parent, prefix } = scratchOf(target);
  const names = (await readdir(parent).catch(() => [] as string[])).filter((name) =>
    isScratchName(name, prefix),
  );
  if (names.length === 0) return;
  const olds = names.filter((name) => name.startsWith(`${prefix}old-`));
  if (olds.length > 0 && (await lstat(target).catch(() => undefined)) === undefined) {
    const dated = await Promise.all(
      olds.map(async (name) => ({ name, mtimeMs: (await lstat(join(parent, name))).mtimeMs })),
    );
    dated.sort((a, b) => b.mtimeMs - a.mtimeMs);
    await rename(join(parent, dated[0]!.name), target);
  }
  await Promise.all(names.map((name) => rm(join(parent, name), { recursive: true, force: true })));
}
