import { CallreconError } from '../../core/errors.js';
import { randomBytes } from 'node:crypto';
import { lstat, mkdir, open, readdir, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';

/**
 * A report or output file that cannot be written (no space, no permission, a file where a
 * folder should be). The CLI exits with code 2 and this one-line message.
 */
export class OutputError extends CallreconError {
  override readonly name = 'OutputError';
  readonly exitCode = 2;
}

function describeFailure(target: string, cause: unknown): OutputError {
  const code = (cause as NodeJS.ErrnoException).code ?? String(cause);
  return new OutputError(`cannot write ${target}: ${code}`, { cause });
}

/** Temporary folders being written now, removed if the process is interrupted. */
const pending = new Set<string>();

/**
 * Registers a temporary folder or file to remove if the process is interrupted; the
 * returned function unregisters it.
 */
export function trackTemporary(path: string): () => void {
  pending.add(path);
  return () => {
    pending.delete(path);
  };
}

/**
 * Removes every temporary output folder still being written (synchronously safe to call
 * from a signal handler: it starts the removals and returns their promise).
 */
export async function removePendingOutputs(): Promise<void> {
  await Promise.all([...pending].map((path) => rm(path, { recursive: true, force: true })));
  pending.clear();
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

/**
 * Checks that a report folder may be (re)written: it does not exist, or it is a folder
 * holding nothing but the files a report consists of. Anything else (a file, a folder with
 * other files — the user's inputs, say) is refused rather than replaced.
 *
 * @param dir - the output folder
 * @param reportFiles - the names a report writes
 * @throws {@link OutputError} naming the folder and what is in the way
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
    // Only the report's own regular files: a folder or link named like one is the user's.
    const info = reportFiles.includes(name) ? await lstat(join(dir, name)) : undefined;
    if (info === undefined || !info.isFile()) foreign.push(name);
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
 * @throws {@link OutputError} naming the file
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
  const handle = await open(file, 'r');
  try {
    const start = Buffer.alloc(header.length);
    const { bytesRead } = await handle.read(start, 0, header.length, 0);
    if (!info.isFile() || start.subarray(0, bytesRead).toString('utf8') !== header) {
      throw new OutputError(
        `--out ${file} exists and is not a file callrecon wrote; give a new file (it would be replaced)`,
      );
    }
  } finally {
    await handle.close();
  }
}

/**
 * Writes a folder so that it appears complete or not at all (SPEC §5): `write` fills a
 * temporary folder beside `dir`, which is renamed into place only when `write` succeeds.
 * A previous `dir` survives a failed run, and is replaced only once the new one is complete.
 *
 * @param dir - the folder to produce
 * @param write - fills the temporary folder it is given
 * @param reportFiles - when given, an existing `dir` is replaced only if it holds nothing
 *   else (see {@link checkReportFolder})
 * @example
 * await writeFolderAtomically('./callrecon-out', async (tmp) => writeFile(join(tmp, 'a'), 'x'));
 */
export async function writeFolderAtomically(
  dir: string,
  write: (tmpDir: string) => Promise<void>,
  reportFiles?: readonly string[],
): Promise<void> {
  if (reportFiles !== undefined) await checkReportFolder(dir, reportFiles);
  const target = resolve(dir);
  const parent = dirname(target);
  try {
    await mkdir(parent, { recursive: true });
  } catch (cause) {
    throw describeFailure(dir, cause);
  }
  const tag = `${process.pid}-${randomBytes(4).toString('hex')}`;
  const tmp = join(parent, `.${basename(target)}.tmp-${tag}`);
  pending.add(tmp);
  try {
    try {
      await mkdir(tmp);
    } catch (cause) {
      throw describeFailure(dir, cause);
    }
    await write(tmp);
    // Again just before the swap: the user may have put something there meanwhile.
    if (reportFiles !== undefined) await checkReportFolder(dir, reportFiles);
    const old = join(parent, `.${basename(target)}.old-${tag}`);
    let moved = false;
    try {
      if (await exists(target)) {
        await rename(target, old);
        moved = true;
      }
      await rename(tmp, target);
    } catch (cause) {
      // The previous report goes back where it was.
      if (moved) await rename(old, target).catch(() => undefined);
      throw describeFailure(dir, cause);
    }
    if (moved) await rm(old, { recursive: true, force: true });
  } finally {
    pending.delete(tmp);
    await rm(tmp, { recursive: true, force: true });
  }
}

/**
 * Writes one file so that it appears complete or not at all: a temporary file beside it is
 * renamed over it when `write` succeeds.
 *
 * @param file - the file to produce
 * @param write - fills the temporary file whose path it is given
 */
export async function writeFileAtomically(
  file: string,
  write: (tmpFile: string) => Promise<void>,
): Promise<void> {
  const target = resolve(file);
  try {
    await mkdir(dirname(target), { recursive: true });
  } catch (cause) {
    throw describeFailure(file, cause);
  }
  const tmp = join(
    dirname(target),
    `.${basename(target)}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`,
  );
  pending.add(tmp);
  try {
    try {
      if ((await stat(target)).isDirectory()) {
        throw new OutputError(`--out ${file} is a folder: give the path of a CSV file to write`);
      }
    } catch (cause) {
      if (cause instanceof OutputError) throw cause;
    }
    await write(tmp);
    try {
      await rename(tmp, target);
    } catch (cause) {
      throw describeFailure(file, cause);
    }
  } finally {
    pending.delete(tmp);
    await rm(tmp, { force: true });
  }
}
