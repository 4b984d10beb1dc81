import { describe, expect, it } from 'vitest';
import { fc } from '../../../test/helpers/fast-check.js';
import { inputOrder } from './tasks.js';

describe('inputOrder', () => {
  it('puts records read as runs in input order, however many runs (merged or sorted)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.uniqueArray(fc.nat(1_000_000), { maxLength: 30 }), { maxLength: 14 }),
        (runs) => {
          // Distinct positions across runs, each run in order.
          const seen = new Set<number>();
          const records = runs.flatMap((run) =>
            run
              .filter((seq) => !seen.has(seq) && seen.add(seq))
              .sort((a, b) => a - b)
              .map((seq) => ({ seq })),
          );
          const order = [...inputOrder(records)];
          expect(order.map((i) => records[i]?.seq)).toEqual(
            records.map((r) => r.seq).sort((a, b) => a - b),
          );
        },
      ),
    );
  });
});
