import { describe, expect, it } from 'vitest';
import {
  DISCREPANCY_CSV_COLUMNS,
  type DiscrepancyRow,
  type Summary,
} from '../../core/reconcile/index.js';
import { maskPhone } from '../../core/phone.js';
import { fc } from '../../../test/helpers/fast-check.js';
import { smallMonth } from '../../../test/helpers/report-month.js';
import { bridgeOf, fromMinor, impactByDay, shownCell, toMinor } from './model.js';

describe('the bridge drawn', () => {
  it("is the run's bridge when it has one, zero steps left out, from ours to theirs", async () => {
    const { summary } = await smallMonth();
    const withBridge: Summary = {
      ...summary,
      totals: { ...summary.totals, ours: '10.00' },
      explanation: {
        bridge: [
          { step: 'missing', amount: '-1.20', count: 2 },
          { step: 'billedNotOurs', amount: '0.50', count: 1 },
          { step: 'rate', amount: '0.00', count: 0 },
        ],
      },
    };
    const bridge = bridgeOf(withBridge);
    expect(bridge.bars.map((bar) => bar.step)).toEqual(['missing', 'billedNotOurs']);
    expect(bridge).toMatchObject({ start: '10.00', end: '9.30' });
  });

  it('with other charges in it, runs from the invoice of ours to the invoice of theirs', async () => {
    const { summary } = await smallMonth();
    const withCharges: Summary = {
      ...summary,
      invoice: { ours: '20.00', theirs: '21.00', difference: '1.00' },
      explanation: {
        bridge: [
          { step: 'billedNotOurs', amount: '0.40', count: 1 },
          { step: 'charges', amount: '0.60', count: 1 },
        ],
      },
    };
    expect(bridgeOf(withCharges)).toMatchObject({ start: '20.00', end: '21.00' });
  });

  it("without the run's bridge, goes from ours through each kind to theirs", async () => {
    const { summary } = await smallMonth();
    const bridge = bridgeOf({ ...summary, explanation: { bridge: [] } });
    expect(bridge.start).toBe(summary.totals.ours);
    expect(bridge.end).toBe(summary.totals.theirs);
    expect(bridge.bars.map((bar) => bar.step)).toEqual(['MISSING_IN_BILL', 'MISSING_IN_CDRS']);
  });

  it("with the run's bridge, draws its non-zero steps from ours to theirs", async () => {
    const { summary } = await smallMonth();
    const bridge = bridgeOf(summary);
    expect(bridge.start).toBe(summary.totals.ours);
    expect(bridge.end).toBe(summary.totals.theirs);
    expect(bridge.bars.map((bar) => bar.step)).toEqual(['missing', 'billedNotOurs']);
  });
});

describe('impact by day', () => {
  it('sums exactly by the day of the answer time, leaving out rows without a time', async () => {
    const { discrepancies } = await smallMonth();
    expect(impactByDay(discrepancies, 2)).toEqual([
      { day: '2026-10-15', count: 3, impact: '0.12' },
    ]);
  });
});

describe('properties', () => {
  it('fromMinor(toMinor(x)) is x for any amount of that many decimals', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: -(10n ** 15n), max: 10n ** 15n }),
        fc.integer({ min: 0, max: 6 }),
        (units, decimals) => {
          const text = fromMinor(units, decimals);
          expect(toMinor(text, decimals)).toBe(units);
          expect(text).toMatch(
            decimals === 0 ? /^-?\d+$/ : new RegExp(`^-?\\d+\\.\\d{${decimals}}$`),
          );
        },
      ),
    );
  });
});

describe('a discrepancy cell as reports show it', () => {
  const blank = Object.fromEntries(
    DISCREPANCY_CSV_COLUMNS.map((column) => [column, '']),
  ) as DiscrepancyRow;
  const rent: DiscrepancyRow = {
    ...blank,
    kind: 'UNEXPECTED_CHARGE',
    privateNum: '+8613800000022',
    detail: 'rent of +8613800000022: the number is not held in the month',
  };

  it("masks the number a charge's detail names, as its privateNum column is masked", () => {
    expect(shownCell(rent, 'privateNum', false)).toBe('+86138****0022');
    expect(shownCell(rent, 'detail', false)).toBe(
      'rent of +86138****0022: the number is not held in the month',
    );
    expect(shownCell(rent, 'detail', true)).toBe(rent.detail);
  });

  it("leaves a call's detail as it is, whatever its numbers: short ones are also in its figures", () => {
    const call: DiscrepancyRow = {
      ...blank,
      kind: 'DURATION_MISMATCH',
      calleeNum: '120',
      detail: 'the bill states 120 s, the call lasted 118 s',
    };
    expect(shownCell(call, 'detail', false)).toBe(call.detail);
    expect(shownCell(call, 'calleeNum', false)).not.toBe('120');
  });

  it('property: a charge detail masks its number where it stands alone, and nothing else changes', () => {
    const digits = fc.stringMatching(/^\+?\d{3,14}$/);
    fc.assert(
      fc.property(
        digits,
        fc.array(fc.constantFrom('a', ' ', '1', ':', '0.50'), { maxLength: 6 }),
        (number, words) => {
          const detail = [...words, number, ...words].join('');
          const shown = shownCell({ ...rent, privateNum: number, detail }, 'detail', false);
          const masked = maskPhone(number);
          // Unmasking the masked number where it stands alone gives the detail back.
          expect(shown.length).toBe(detail.length);
          for (let i = 0; i < detail.length; i++) {
            if (shown[i] !== detail[i]) expect(shown[i]).toBe('*');
          }
          const alone = !/\d$/.test(words.join('')) && !/^\d/.test(words.join(''));
          if (alone && masked !== number) expect(shown).not.toBe(detail);
        },
      ),
    );
  });
});
