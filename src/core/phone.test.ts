import { describe, expect, it } from 'vitest';
import { fc } from '../../test/helpers/fast-check.js';
import { isSamePhone, maskPhone, normalisePhone } from './phone.js';

describe('phone numbers', () => {
  it.each([
    ['+8613800000021', '+8613800000021'],
    ['8613800000021', '+8613800000021'],
    ['13800000021', '+8613800000021'],
    ['138 0000 0021', '+8613800000021'],
    ['(138) 0000-0021', '+8613800000021'],
    ['008613800000021', '+8613800000021'],
    ['0049301234567', '+49301234567'],
    ['+86138****0021', '+86138****0021'],
    ['138****0021', '+86138****0021'],
    ['010-12345678', '01012345678'],
    ['', ''],
  ])('normalises %j to %j', (text, normalised) => {
    expect(normalisePhone(text)).toBe(normalised);
  });

  it('a * in a masked number stands for any one digit', () => {
    expect(isSamePhone('+86138****0021', '+8613800000021')).toBe(true);
    expect(isSamePhone('+8613800000021', '+86138****0021')).toBe(true);
    expect(isSamePhone('+86138****0021', '+8613900000021')).toBe(false);
    expect(isSamePhone('+86138****0021', '+861380000002')).toBe(false);
  });

  it('masks a Chinese mobile number as +86138****0021', () => {
    expect(maskPhone('+8613800000021')).toBe('+86138****0021');
    expect(maskPhone('+49301234567')).toBe('+493****4567');
    expect(maskPhone('12345')).toBe('***45');
  });

  describe('properties', () => {
    const mobile = fc
      .tuple(fc.constantFrom('13', '15', '18', '19'), fc.stringMatching(/^\d{9}$/))
      .map(([head, rest]) => `+86${head}${rest}`);

    it('normalising is idempotent', () => {
      fc.assert(
        fc.property(
          fc.string({ unit: fc.constantFrom('0', '1', '8', '6', '+', ' ', '-', '(', ')', '*') }),
          (text) => {
            const once = normalisePhone(text);
            expect(normalisePhone(once)).toBe(once);
          },
        ),
      );
    });

    it('every written form of a mobile normalises to the same number', () => {
      fc.assert(
        fc.property(mobile, (number) => {
          const national = number.slice(3);
          for (const form of [
            number,
            `00${number.slice(1)}`,
            number.slice(1),
            national,
            `${national.slice(0, 3)} ${national.slice(3, 7)} ${national.slice(7)}`,
          ]) {
            expect(normalisePhone(form)).toBe(number);
          }
        }),
      );
    });

    it('a masked number matches the number it masks', () => {
      fc.assert(
        fc.property(mobile, (number) => {
          expect(isSamePhone(maskPhone(number), number)).toBe(true);
        }),
      );
    });
  });
});
