import { describe, expect, it } from 'vitest';
import { fc } from '../../../test/helpers/fast-check.js';
import { monthArb } from '../../../test/arbitraries/month.js';
import { createTimeZone } from '../../core/time/index.js';
import { maskPhone } from '../../core/phone.js';
import { parseTariff } from '../../core/tariff/index.js';
import { RATED_COLUMNS, rateCalls, toRatedRow } from '../../core/reconcile/index.js';
import { csvLine } from './csv-cells.js';
import { ratedCsvLine } from './write-report.js';

describe('rated.csv lines', () => {
  describe('properties', () => {
    it('the direct writer gives exactly the cells of toRatedRow, masked and guarded', async () => {
      const oddId = fc.string({
        unit: fc.constantFrom('a', ',', '"', '\n', '=', '+', '-', '@', '1'),
      });
      await fc.assert(
        fc.asyncProperty(
          monthArb(['+86138', '+86139', '+86137'], 20),
          fc.array(oddId),
          fc.boolean(),
          async (month, ids, showNumbers) => {
            const tariff = parseTariff(month.tariff);
            const { calls } = await rateCalls(month.cdrs, { tariff, period: '2026-10' });
            const context = { tariff, zone: createTimeZone('Asia/Shanghai') };
            calls.forEach((call, i) => {
              const odd = { ...call, callId: ids[i] ?? call.callId };
              const row = toRatedRow(odd, context);
              const cells = RATED_COLUMNS.map((column) =>
                !showNumbers &&
                (column === 'callerNum' || column === 'privateNum' || column === 'calleeNum')
                  ? maskPhone(row[column])
                  : row[column],
              );
              expect(ratedCsvLine(odd, context, { showNumbers })).toBe(csvLine(cells, 'guarded'));
            });
          },
        ),
        { numRuns: 60 },
      );
    });
  });
});
