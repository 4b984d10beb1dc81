import { InputError } from './errors.js';

/** A column map checked against the names it may use: canonical name → header. */
export type ColumnMap = readonly (readonly [name: string, header: string])[];

/**
 * Checks a column map (`--cdr-columns`, `--bill-columns`) before any file is read: every
 * key must be one of `names` (compared after `normalize`), every value a non-empty string.
 *
 * @param label - names the map in messages (`CDR column map`)
 * @returns the entries under their canonical names, in the map's order
 * @throws {@link InputError} naming the bad entry and what would be valid
 */
export function checkColumnMap(
  map: Readonly<Record<string, unknown>> | undefined,
  names: readonly string[],
  normalize: (name: string) => string,
  label: string,
): ColumnMap {
  if (map === undefined) return [];
  if (typeof map !== 'object' || map === null || Array.isArray(map)) {
    throw new InputError(`${label}: must be a JSON object of name → header`);
  }
  const entries: (readonly [string, string])[] = [];
  for (const [key, header] of Object.entries(map)) {
    const name = names.find((n) => normalize(n) === normalize(key));
    if (name === undefined) {
      throw new InputError(
        `${label}: ${quote(key)} is not a column it can map; use ${names.join(', ')}`,
      );
    }
    if (typeof header !== 'string' || header.trim() === '') {
      throw new InputError(`${label}: the header for ${name} must be a non-empty string`);
    }
    if (entries.some(([n]) => n === name)) {
      throw new InputError(`${label}: ${name} is mapped twice`);
    }
    entries.push([name, header]);
  }
  return entries;
}

/**
 * Finds the column of each of `names` in a header row. A name the map mentions is found by
 * its mapped header only; the others by their own name, among the columns the map has not
 * taken. Headers and names are compared after `normalize`.
 *
 * @param onMissing - called for a mapped header the file lacks, which then leaves its column
 *   absent (SPEC §2.2); without it such a header is an error
 * @returns for each name, the index of its column, or -1 when the file has none
 * @throws {@link InputError} when a mapped header is not in the file (without `onMissing`),
 *   when several headers match a mapped one, or when two columns match one name
 */
export function findColumns(
  source: string,
  header: readonly string[],
  names: readonly string[],
  map: ColumnMap,
  normalize: (name: string) => string,
  onMissing?: (name: string, header: string) => void,
): number[] {
  const keys = header.map(normalize);
  const found = names.map(() => -1);
  const taken = new Set<number>();
  for (const [name, wanted] of map) {
    const matches = indexesOf(keys, normalize(wanted), taken);
    if (matches.length === 0 && onMissing !== undefined) {
      onMissing(name, wanted);
      continue;
    }
    if (matches.length !== 1) {
      const what =
        matches.length === 0 ? 'the file has no such header' : `${matches.length} headers match it`;
      throw new InputError(
        `${source}: the column map names header ${quote(wanted)} for ${name}, but ${what}; ${headersFound(header)}`,
      );
    }
    const index = matches[0] ?? -1;
    found[names.indexOf(name)] = index;
    taken.add(index);
  }
  names.forEach((name, n) => {
    if (map.some(([mapped]) => mapped === name)) return;
    const matches = indexesOf(keys, normalize(name), taken);
    if (matches.length > 1) {
      throw new InputError(
        `${source}: ${matches.length} headers match column ${name}; keep one or name it in a column map; ${headersFound(header)}`,
      );
    }
    found[n] = matches[0] ?? -1;
  });
  return found;
}

function indexesOf(keys: readonly string[], key: string, taken: ReadonlySet<number>): number[] {
  const matches: number[] = [];
  keys.forEach((k, index) => {
    if (k === key && !taken.has(index)) matches.push(index);
  });
  return matches;
}

/** `headers found: "a", "b"` for a one-line message. */
export function headersFound(header: readonly string[]): string {
  const shown = header.map(quote).join(', ');
  const hint = header.some((h) => h.includes('\uFFFD'))
    ? ' (the header holds bytes invalid in the chosen encoding; a GB18030/GBK file needs --encoding gb18030)'
    : '';
  return `headers found: ${shown === '' ? '(none)' : shown}${hint}`;
}

/** A name quoted for a one-line message (JSON escapes keep line breaks out). */
export function quote(text: string): string {
  return JSON.stringify(text);
}
