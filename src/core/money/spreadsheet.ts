/**
 * Decimals as a spreadsheet writes them (SPEC §2.2 "spreadsheet-formatted values"): a
 * currency sign or code, thousands separators, a trailing minus or accounting parentheses.
 * They are read back to the plain decimal they stand for, and the caller counts every cell
 * so read (`bill.normalisedCells`): nothing is changed silently.
 */

/** A decimal read from a cell: the plain decimal, and whether the cell had to be normalised. */
export interface CellDecimal {
  /** A plain decimal (`-1234.50`). */
  readonly text: string;
  /** True when the cell was written otherwise (`(1,234.50)`, `¥0.24`). */
  readonly normalised: boolean;
}

const PLAIN = /^[+-]?(\d+\.?\d*|\.\d+)$/;
const GROUPED = /^(\d{1,3}(?:,\d{3})+)(\.\d*)?$/;
// Longest first: `RMB` before `$`, `CNY` before nothing.
const CURRENCY_MARKS = ['CNY', 'RMB', 'cny', 'rmb', '¥', '￥', '元', '$'] as const;

function stripCurrency(text: string): string {
  let value = text;
  for (let changed = true; changed;) {
    changed = false;
    for (const mark of CURRENCY_MARKS) {
      if (value.startsWith(mark)) {
        value = value.slice(mark.length).trim();
        changed = true;
      }
      if (value.endsWith(mark)) {
        value = value.slice(0, -mark.length).trim();
        changed = true;
      }
    }
  }
  return value;
}

/**
 * Reads a decimal cell as plain or as a spreadsheet formats it.
 *
 * Accepted around the number: a currency sign or code before or after (`¥`, `￥`, `CNY`,
 * `RMB`, `元`, `$`), thousands separators in groups of three (`1,234.50`), a leading or
 * trailing minus (`1.20-`) or accounting parentheses (`(1.20)`) for a negative.
 *
 * @param cell - the cell as written (trimmed or not)
 * @returns the plain decimal and whether it was normalised, or `undefined` when the cell is
 *   no decimal in any of these forms
 * @example
 * readCellDecimal('0.24'); // { text: '0.24', normalised: false }
 * readCellDecimal('¥1,234.50'); // { text: '1234.50', normalised: true }
 * readCellDecimal('(1.20)'); // { text: '-1.20', normalised: true }
 * readCellDecimal('1.2.3'); // undefined
 */
export function readCellDecimal(cell: string): CellDecimal | undefined {
  const trimmed = cell.trim();
  if (PLAIN.test(trimmed)) return { text: trimmed, normalised: false };
  let value = trimmed;
  let marks = 0;
  if (value.startsWith('(') && value.endsWith(')')) {
    marks++;
    value = value.slice(1, -1).trim();
  }
  if (value.startsWith('-')) {
    marks++;
    value = value.slice(1).trim();
  }
  value = stripCurrency(value);
  if (value.startsWith('-')) {
    marks++;
    value = value.slice(1).trim();
  } else if (value.endsWith('-')) {
    marks++;
    value = value.slice(0, -1).trim();
  }
  const grouped = GROUPED.exec(value);
  if (grouped !== null) value = `${(grouped[1] as string).replaceAll(',', '')}${grouped[2] ?? ''}`;
  // One sign of a negative at most: `--1` or `(-1)` is no number a spreadsheet writes.
  if (marks > 1 || !/^(\d+\.?\d*|\.\d+)$/.test(value)) return undefined;
  return { text: marks === 1 ? `-${value}` : value, normalised: true };
}

/**
 * Whether a cell looks like an id or phone number that a spreadsheet turned into a float
 * and wrote in scientific notation (`8.61381E+12`): its digits are gone (SPEC §2.2
 * `EXCEL_MANGLED`).
 *
 * @example
 * isScientificNotation('8.61381E+12'); // true
 * isScientificNotation('+8613800000021'); // false
 */
export function isScientificNotation(cell: string): boolean {
  // Most cells are ids or numbers that end in a letter or hold no exponent: told apart
  // without trimming a copy. A cell that ends in a blank is trimmed and matched.
  const last = cell.charCodeAt(cell.length - 1);
  const endsInDigit = last >= 48 && last <= 57;
  if (!endsInDigit && !(last <= 32 || last >= 0x80)) return false;
  if (endsInDigit && !cell.includes('e') && !cell.includes('E')) return false;
  return SCIENTIFIC.test(cell.trim());
}

const SCIENTIFIC = /^[+-]?\d+(\.\d+)?[eE][+-]?\d+$/;
