/**
 * Compares two strings in the byte order of their UTF-8 encodings, as SPEC asks for ids
 * and sources (`localeCompare` and plain `<` differ from it: the first by locale, the second
 * for characters beyond U+FFFF against U+E000–U+FFFF).
 *
 * @returns a negative number, zero or a positive number, for `Array.prototype.sort`
 * @example
 * ['b', 'a', 'B'].sort(compareBytes); // ['B', 'a', 'b']
 */
export function compareBytes(a: string, b: string): number {
  if (a === b) return 0;
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    let x = a.charCodeAt(i);
    let y = b.charCodeAt(i);
    if (x === y) continue;
    // A surrogate (a character beyond U+FFFF) encodes to 4 bytes starting 0xF0, above every
    // BMP character: lift surrogates above the rest of the BMP before comparing.
    if (x >= 0xd800 && x <= 0xdfff) x += 0x10000;
    if (y >= 0xd800 && y <= 0xdfff) y += 0x10000;
    return x - y;
  }
  return a.length - b.length;
}
