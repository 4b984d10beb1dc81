import type { Dirent, Stats } from 'node:fs';
import { readdir, realpath, stat } from 'node:fs/promises';
import { resolve, sep } from 'node:path';
import type { RunWarning } from '../core/reconcile/warnings.js';
import { InputError } from './errors.js';
import { describeFsError, kindOfEntry } from './file-bytes.js';

export { openFile, type FileBytes } from './file-bytes.js';

/** The format of a CDR file, by extension (SPEC §2.1). */
export type CdrFormat = 'json' | 'ndjson' | 'csv';

/** One input file to read, found from a given path. */
export interface InputFile<F extends string> {
  /** The path as given, or the given folder joined with the path below it. */
  readonly path: string;
  readonly format: F;
  readonly gzip: boolean;
}

/** Which extensions a role reads. */
export interface FileKinds<F extends string> {
  /** Names the role in messages (`CDR`, `bill`). */
  readonly label: string;
  /** Lower-case extension (without `.gz`) → format. */
  readonly extensions: Readonly<Record<string, F>>;
}

/** CDR files: `.json`, `.ndjson`, `.jsonl`, `.csv`, each optionally `.gz`. */
export const CDR_FILES: FileKinds<CdrFormat> = {
  label: 'CDR',
  extensions: { '.json': 'json', '.ndjson': 'ndjson', '.jsonl': 'ndjson', '.csv': 'csv' },
};

/** Bill files: `.csv` or `.csv.gz`. */
export const BILL_FILES: FileKinds<'csv'> = { label: 'bill', extensions: { '.csv': 'csv' } };

/**
 * The kind of a file by its name (extension compared ignoring case), or undefined when the
 * role does not read it.
 */
export function kindOf<F extends string>(
  path: string,
  kinds: FileKinds<F>,
): { format: F; gzip: boolean } | undefined {
  let name = path.toLowerCase();
  const gzip = name.endsWith('.gz');
  if (gzip) name = name.slice(0, -3);
  for (const [extension, format] of Object.entries<F>(kinds.extensions)) {
    if (name.endsWith(extension) && name.length > extension.length) return { format, gzip };
  }
  return undefined;
}

/**
 * Options of {@link findInputFiles}.
 *
 * @example
 * { exclude: ['bill.csv', 'callrecon-out'], required: true, onWarning: (w) => warnings.push(w) }
 */
export interface FindOptions {
  /**
   * Paths never read from a folder, with everything below them (SPEC §2.1: the bill, the
   * tariff, the column maps and the output, when they lie in a `--cdrs` folder).
   */
  readonly exclude?: readonly string[] | undefined;
  /** Finding no file at all is an {@link InputError} (SPEC §2.1); default: an empty list. */
  readonly required?: boolean | undefined;
  /** Told of each `SKIPPED_FILE`: a FIFO, socket or device in a folder, not read. */
  readonly onWarning?: ((warning: RunWarning) => void) | undefined;
}

/** Absolute paths excluded, as given and as resolved through links. */
async function exclusionsOf(paths: readonly string[]): Promise<Set<string>> {
  const out = new Set<string>();
  for (const path of paths) {
    out.add(resolve(path));
    const real = await realpath(path).catch(() => undefined);
    if (real !== undefined) out.add(real);
  }
  return out;
}

/**
 * Expands the given paths into the files to read, in order: a file as given, a folder as
 * every regular file below it (recursively, symbolic links followed) whose extension the
 * role reads, in byte order of their paths. An empty folder adds no file.
 *
 * - A FIFO, socket or device in a folder, named like a file the role reads, is not read:
 *   `onWarning` is told (`SKIPPED_FILE`). Reading one would wait forever.
 * - A link in a folder that leads nowhere is passed over when its name is not one the role
 *   reads (a `README` pointing at a moved file); named like an input, it is an error.
 * - Paths under `exclude` are passed over.
 *
 * @param paths - files and folders, as the user wrote them
 * @param kinds - the extensions the role reads
 * @param options - exclusions, whether a file is required, where warnings go
 * @returns the files, in reading order
 * @throws {@link InputError} for a missing or unreadable path, a path given by name that is
 *   not a regular file or whose extension the role does not read, or (with `required`) when
 *   no file is found
 * @example
 * const files = await findInputFiles(['cdrs/'], CDR_FILES, { exclude: ['cdrs/bill.csv'] });
 */
export async function findInputFiles<F extends string>(
  paths: readonly string[],
  kinds: FileKinds<F>,
  options: FindOptions = {},
): Promise<InputFile<F>[]> {
  const files: InputFile<F>[] = [];
  const excluded = await exclusionsOf(options.exclude ?? []);
  const walker: Walker<F> = { kinds, excluded, found: [], onWarning: options.onWarning };
  for (const path of paths) {
    const info = await statInput(path, kinds);
    if (!info.isDirectory()) {
      if (!info.isFile()) {
        throw new InputError(
          `${path}: ${kindOfEntry(info)}, not a regular file; give a ${kinds.label} file or a folder of them`,
        );
      }
      const kind = kindOf(path, kinds);
      if (kind === undefined) {
        const known = Object.keys(kinds.extensions).join(', ');
        throw new InputError(
          `${path}: not a ${kinds.label} file type; expected ${known}, optionally followed by .gz`,
        );
      }
      files.push({ path, ...kind });
      continue;
    }
    walker.found = [];
    const prefix = path.endsWith('/') || path.endsWith(sep) ? path : path + sep;
    const real = await realpath(path);
    await walk(walker, path, prefix, real, new Set([real]));
    walker.found.sort((a, b) => Buffer.compare(Buffer.from(a.path), Buffer.from(b.path)));
    files.push(...walker.found);
  }
  if (options.required === true && files.length === 0) {
    const known = Object.keys(kinds.extensions).join(', ');
    throw new InputError(
      `no ${kinds.label} file found in ${paths.join(', ')}: expected ${known} files (optionally .gz)`,
    );
  }
  return files;
}

async function statInput(path: string, kinds: FileKinds<string>) {
  try {
    return await stat(path);
  } catch (error) {
    throw new InputError(
      `${path}: ${describeFsError(error, `cannot read this ${kinds.label} path`)}`,
      {
        cause: error,
      },
    );
  }
}

interface Walker<F extends string> {
  readonly kinds: FileKinds<F>;
  readonly excluded: ReadonlySet<string>;
  found: InputFile<F>[];
  readonly onWarning: ((warning: RunWarning) => void) | undefined;
}

function isExcluded(excluded: ReadonlySet<string>, ...paths: string[]): boolean {
  if (excluded.size === 0) return false;
  for (const path of paths) {
    const absolute = resolve(path);
    if (excluded.has(absolute)) return true;
    for (const ex of excluded) if (absolute.startsWith(ex + sep)) return true;
  }
  return false;
}

/**
 * Lists a folder into `walker.found`. `real` is the folder's path with links resolved, to
 * match exclusions however the folder was reached; `seen` the folders being walked, so
 * that a link to a parent folder is not followed round.
 */
async function walk<F extends string>(
  walker: Walker<F>,
  dir: string,
  prefix: string,
  real: string,
  seen: Set<string>,
): Promise<void> {
  const { kinds, excluded, found } = walker;
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (error) {
    throw new InputError(`${dir}: ${describeFsError(error, 'cannot list this folder')}`, {
      cause: error,
    });
  }
  for (const entry of entries) {
    const path = prefix + entry.name;
    const realPath = real + sep + entry.name;
    if (isExcluded(excluded, path, realPath)) continue;
    const kind = kindOf(entry.name, kinds);
    let info: Stats | Dirent = entry;
    let linked = realPath;
    if (entry.isSymbolicLink()) {
      try {
        info = await stat(path);
        linked = await realpath(path);
      } catch (error) {
        // A link to nothing, not named like an input: ignored like any other such file.
        if (kind === undefined) continue;
        throw new InputError(`${path}: ${describeFsError(error, 'cannot read this link')}`, {
          cause: error,
        });
      }
      if (isExcluded(excluded, linked)) continue;
    }
    if (info.isDirectory()) {
      if (seen.has(linked)) continue;
      seen.add(linked);
      await walk(walker, path, path + sep, linked, seen);
      continue;
    }
    if (kind === undefined) continue;
    if (info.isFile()) {
      found.push({ path, ...kind });
      continue;
    }
    walker.onWarning?.({
      code: 'SKIPPED_FILE',
      message: `${path} is ${kindOfEntry(info)}, not a regular file: not read`,
      source: path,
    });
  }
}

/**
 * One `EMPTY_INPUT` warning for each input file that held no records: an empty file, an
 * empty gzip member, a CSV with a header only (a month with a missing export reads as
 * calls missing from the bill, so it should be seen).
 *
 * @param inputs - the files read, with the records each held
 * @returns the warnings, in the order of `inputs`
 * @example
 * emptyInputWarnings([{ role: 'cdrs', path: 'cdrs/10-31.json', records: 0 }]);
 * // [{ code: 'EMPTY_INPUT', message: 'cdrs/10-31.json holds no records …', source: 'cdrs/10-31.json' }]
 */
export function emptyInputWarnings(
  inputs: readonly { readonly role: string; readonly path: string; readonly records: number }[],
): RunWarning[] {
  return inputs
    .filter((input) => input.records === 0)
    .map((input) => ({
      code: 'EMPTY_INPUT' as const,
      message: `${input.path} holds no ${input.role === 'bill' ? 'bill rows' : 'call records'}: is it the right file, or an export cut short?`,
      source: input.path,
    }));
}
