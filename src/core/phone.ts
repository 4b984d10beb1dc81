/**
 * Phone numbers as the matching rules compare them (SPEC §2.3).
 */

function isDigitOrMask(code: number): boolean {
  return (code >= 48 && code <= 57) || code === 42; // 0-9 or '*'
}

/**
 * Normalises a phone number: spaces, `-`, `(` and `)` dropped; a leading `00` becomes `+`;
 * 13 digits starting `86` and 11 digits starting `1` become `+86…`. A `*` of a masked
 * number counts as a digit and is kept.
 *
 * @param text - a number as written in a CDR or bill
 * @returns the normalised number (the empty string stays empty)
 * @example
 * normalisePhone('138 0000 0021'); // '+8613800000021'
 * normalisePhone('0086-138-0000-0021'); // '+8613800000021'
 * normalisePhone('+86138****0021'); // '+86138****0021'
 */
export function normalisePhone(text: string): string {
  let compact = text;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 32 || c === 45 || c === 40 || c === 41 || c === 9) {
      compact = text.replace(/[\s\-()]/g, '');
      break;
    }
  }
  if (compact.startsWith('00')) return `+${compact.slice(2)}`;
  const length = compact.length;
  if (length !== 11 && length !== 13) return compact;
  for (let i = 0; i < length; i++) if (!isDigitOrMask(compact.charCodeAt(i))) return compact;
  if (length === 13 && compact.startsWith('86')) return `+${compact}`;
  if (length === 11 && compact.charCodeAt(0) === 49) return `+86${compact}`; // '1'
  return compact;
}

/**
 * Whether two normalised numbers are the same number, where a `*` on either side stands
 * for any one digit.
 *
 * @example
 * isSamePhone('+86138****0021', '+8613800000021'); // true
 * isSamePhone('+8613800000021', '+8613800000022'); // false
 */
export function isSamePhone(a: string, b: string): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y && x !== 42 && y !== 42) return false;
  }
  return true;
}

/**
 * Whether a normalised number has a masked digit.
 *
 * @example
 * isMaskedPhone('+86138****0021'); // true
 */
export function isMaskedPhone(text: string): boolean {
  return text.includes('*');
}

/**
 * Masks a number for reports: keeps the country code and first three digits and the last
 * four, hiding the rest (`+8613800000021` → `+86138****0021`). Short numbers keep only their
 * last two digits visible.
 *
 * @example
 * maskPhone('+8613800000021'); // '+86138****0021'
 */
export function maskPhone(text: string): string {
  if (text === '') return text;
  const plus = text.startsWith('+') ? '+' : '';
  const digits = plus ? text.slice(1) : text;
  if (digits.length >= 11) {
    const head = digits.startsWith('86') ? 5 : 3;
    const hidden = digits.length - head - 4;
    return `${plus}${digits.slice(0, head)}${'*'.repeat(hidden)}${digits.slice(-4)}`;
  }
  if (digits.length <= 2) return text;
  return `${plus}${'*'.repeat(digits.length - 2)}${digits.slice(-2)}`;
}
