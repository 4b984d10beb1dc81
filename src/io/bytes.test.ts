import { describe, expect, it } from 'vitest';
import { fc } from '../../test/helpers/fast-check.js';
import { readLatin1, readUtf16, writeUtf16, writeUtf8 } from './bytes.js';

describe('text to and from bytes', () => {
  it('writes and reads as Buffer.write and toString do', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), fc.nat(8), (text, offset) => {
        const size = offset + text.length * 3;
        const direct = Buffer.alloc(size);
        const expected = Buffer.alloc(size);
        const written = writeUtf8(direct, text, offset);
        expect(written).toBe(expected.write(text, offset, 'utf8'));
        expect(direct).toEqual(expected);
        const wide = writeUtf16(direct, text, offset);
        expect(wide).toBe(expected.write(text, offset, 'utf16le'));
        expect(direct).toEqual(expected);
        expect(readUtf16(direct, offset, offset + wide)).toBe(text);
        expect(readLatin1(direct, 0, size)).toBe(expected.toString('latin1'));
      }),
    );
  });
});
