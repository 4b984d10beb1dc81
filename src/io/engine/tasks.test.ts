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
          const seqs = runs.flatMap((run) =>
            run.filter((seq) => !seen.has(seq) && seen.add(seq)).sort((a, b) => a - b),
          );
          const order = [...inputOrder(seqs)];
          expect(order.map((i) => seqs[i])).toEqual([...seqs].sort((a, b) => a - b));
        },
      ),
    );
  });
});
