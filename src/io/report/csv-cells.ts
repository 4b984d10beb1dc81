/**
 * CSV cells for reports that finance opens in a spreadsheet (SPEC §5.2).
 */

/** `[+-]digits[.digits]`: a plain number. */
function isPlainNumber(cell: string): boolean {
  let i = cell.charCodeAt(0) === 43 || cell.charCodeAt(0) === 45 ? 1 : 0;
  let digits = 0;
  let dot = false;
  for (; i < cell.length; i++) {
    const c = cell.charCodeAt(i);
    if (c >= 48 && c <= 57) digits++;
    else if (c === 46 && !dot && digits > 0 && i + 1 < cell.length) dot = true;
    else return false;
  }
  return digits > 0;
}

/** `[+]digits-or-*`: a phone number, masked or not. */
function isPhoneNumber(cell: string): boolean {
  let i = cell.charCodeAt(0) === 43 ? 1 : 0;
  if (i === cell.length) return false;
  for (; i < cell.length; i++) {
    const c = cell.charCodeAt(i);
    if (!((c >= 48 && c <= 57) || c === 42)) return false;
  }
  return true;
}

/**
 * Guards a cell against formula injection: a cell that starts with `=`, `+`, `-`, `@`, a tab
 * or a carriage return gets a leading `'`, so a spreadsheet shows it as text instead of
 * running it. Plain numbers (`-1.20`) and phone numbers, masked or not (`+86138****0021`),
 * are left as they are.
 *
 * @example
 * guardFormula('=1+1'); // "'=1+1"
 * guardFormula('-1.20'); // '-1.20'
 */
export function guardFormula(cell: string): string {
  if (cell === '') return cell;
  const c = cell.charCodeAt(0);
  // '=' '+' '-' '@' tab CR
  if (c !== 61 && c !== 43 && c !== 45 && c !== 64 && c !== 9 && c !== 13) return cell;
  if (isPlainNumber(cell) || isPhoneNumber(cell)) return cell;
  return `'${cell}`;
}

function needsQuotes(cell: string): boolean {
  for (let i = 0; i < cell.length; i++) {
    const c = cell.charCodeAt(i);
    if (c === 44 || c === 34 || c === 10 || c === 13) return true; // , " LF CR
  }
  return false;
}

/**
 * One CSV cell: quoted (with doubled quotes) only when it holds a comma, quote or line break.
 *
 * @example
 * csvCell('a,b'); // '"a,b"'
 */
export function csvCell(cell: string): string {
  return needsQuotes(cell) ? `"${cell.replaceAll('"', '""')}"` : cell;
}

/** How the cells of a line are written: guarded against formulas (data) or as they are (headers). */
export type CellGuard = 'guarded' | 'plain';

/**
 * One CSV line (ending in `\n`) of cells, each guarded against formulas when `guard` is
 * `'guarded'`.
 *
 * @example
 * csvLine(['a', '=1+1'], 'guarded'); // "a,'=1+1\n"
 */
export function csvLine(cells: readonly string[], guard: CellGuard): string {
  let line = '';
  for (let i = 0; i < cells.length; i++) {
    const cell = cells[i] ?? '';
    line += (i === 0 ? '' : ',') + csvCell(guard === 'guarded' ? guardFormula(cell) : cell);
  }
  return `${line}\n`;
}
