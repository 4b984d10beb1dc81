import { describe, expect, it } from 'vitest';
import { fc } from '../../../test/helpers/fast-check.js';
import { isTotalLabel } from './items.js';

const LABELS = ['合计', '总计', '小计', 'total', 'subtotal', 'sum'];

/** SPEC §2.2's rule as written: a label, ignoring case, spaces and one trailing colon. */
function isTotalByDefinition(cell: string): boolean {
  const key = cell
    .toLowerCase()
    .replace(/\s+/g, '')
    .replace(/[:：]$/, '');
  return LABELS.includes(key);
}

/** A label with its letters in any case, spaces anywhere, maybe a colon. */
const labelArb = fc
  .tuple(
    fc.constantFrom(...LABELS, 'Sub Total', 'SUM'),
    fc.array(fc.tuple(fc.nat(12), fc.constantFrom(' ', '\t', '\u3000', '\u00a0')), {
      maxLength: 3,
    }),
    fc.array(fc.boolean(), { minLength: 12, maxLength: 12 }),
    fc.constantFrom('', ':', '：', '::'),
  )
  .map(([label, spaces, upper, colon]) => {
    let text = [...label].map((c, i) => (upper[i] ? c.toUpperCase() : c)).join('');
    for (const [at, space] of spaces) text = text.slice(0, at) + space + text.slice(at);
    return text + colon;
  });

describe('isTotalLabel', () => {
  it('agrees with the rule for total labels in any case, spacing and colon, ids and any text', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          labelArb,
          fc.string(),
          fc.string({ unit: 'grapheme' }),
          fc.string({ unit: fc.constantFrom(...'0123456789abcdefST_@.') }),
        ),
        (cell) => {
          expect(isTotalLabel(cell)).toBe(isTotalByDefinition(cell));
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('a session id is no total label', () => {
    expect(isTotalLabel('1200_1029_4294967295_20261015091514@callenabler246.huaweicaas.com')).toBe(
      false,
    );
    expect(isTotalLabel(' Total：')).toBe(true);
  });
});
