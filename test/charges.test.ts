import { describe, expect, it } from 'vitest';
import {
  parseTariff,
  reconcile,
  type BillRow,
  type CdrItem,
  type NumberItem,
  type ReconcileResult,
} from '../src/index.js';
import { fileURLToPath } from 'node:url';
import { readCdrs } from '../src/io/index.js';
import { fc } from './helpers/fast-check.js';
import { billItemsOf } from './arbitraries/month.js';

const tariff = parseTariff({
  currency: 'CNY',
  timezone: 'Asia/Shanghai',
  rates: [{ id: 'all', pricePerMinute: '0.12' }],
  allowances: [{ id: 'pkg-5000', minutes: 5000 }],
  charges: {
    rentPerNumber: '15.00',
    smsPerMessage: '0.05',
    packages: [{ allowance: 'pkg-5000', price: '300.00', billedIn: '2026-10' }],
  },
});

const A = '+8613800000001';
const B = '+8613800000002';
const C = '+8613800000003';

function numbers(
  rows: { number: string; orderedAt?: string | undefined; releasedAt?: string | undefined }[],
): NumberItem[] {
  return rows.map((given, i) => {
    const row: { number: string; orderedAt?: string; releasedAt?: string } = {
      number: given.number,
    };
    if (given.orderedAt !== undefined) row.orderedAt = given.orderedAt;
    if (given.releasedAt !== undefined) row.releasedAt = given.releasedAt;
    return { type: 'number', row, source: 'numbers.csv', line: i + 2 };
  });
}

function sms(
  id: string,
  from: string,
  parts = 1,
  result = 'success',
  at = '2026-10-05 03:00:00',
): CdrItem {
  return {
    type: 'sms',
    sms: {
      smsIdentifier: id,
      virtualNumber: from,
      timeStamp: at,
      sendResult: result,
      splitNum: String(parts),
    },
    source: 'cdrs.ndjson',
    line: 1,
  };
}

const rent = (privateNum: string | undefined, amount = '15.00'): BillRow =>
  privateNum === undefined ? { item: '月租', amount } : { item: 'rent', privateNum, amount };

async function run(
  held: NumberItem[] | undefined,
  bill: BillRow[],
  cdrs: CdrItem[] = [],
): Promise<ReconcileResult> {
  return reconcile(
    { cdrs, bill: billItemsOf([...bill, { item: 'package', amount: '300.00' }]), numbers: held },
    { tariff, period: '2026-10' },
  );
}

const kinds = (result: ReconcileResult): string[] =>
  result.discrepancies.map((row) => `${row.kind} ${row.privateNum} ${row.impact}`);

describe('number rent (SPEC §4.5)', () => {
  it('a number ordered on the 20th owes a whole month', async () => {
    const result = await run(numbers([{ number: A, orderedAt: '2026-10-20 09:00:00' }]), [rent(A)]);
    expect(kinds(result)).toEqual([]);
    expect(result.summary.charges.byItem['rent']).toEqual({
      theirs: '15.00',
      ours: '15.00',
      rows: 1,
    });
  });

  it('a number released on the 3rd owes a whole month, and unbilled it is MISSING_CHARGE', async () => {
    const result = await run(numbers([{ number: A, releasedAt: '2026/10/3 12:00:00' }]), []);
    expect(kinds(result)).toEqual([`MISSING_CHARGE ${A} -15.00`]);
    expect(result.discrepancies[0]?.action).toBe('note');
  });

  it('a number released before the month owes nothing: its rent row is UNEXPECTED_CHARGE, to claim', async () => {
    const result = await run(numbers([{ number: A, releasedAt: '2026-09-20 00:00:00' }]), [
      rent(A),
    ]);
    expect(kinds(result)).toEqual([`UNEXPECTED_CHARGE ${A} 15.00`]);
    expect(result.discrepancies[0]?.action).toBe('claim');
    expect(result.summary.totals.claimable).toBe('15.00');
  });

  it('a number billed twice, or at another amount, is found per number', async () => {
    const result = await run(numbers([{ number: A }, { number: B }]), [
      rent(A),
      rent(A),
      rent(B, '20.00'),
    ]);
    expect(kinds(result).sort()).toEqual([
      `CHARGE_MISMATCH ${B} 5.00`,
      `UNEXPECTED_CHARGE ${A} 15.00`,
    ]);
  });

  it('rent rows without numbers are compared in sum with the numbers held', async () => {
    const held = numbers([{ number: A }, { number: B }, { number: C }]);
    expect(kinds(await run(held, [rent(undefined, '45.00')]))).toEqual([]);
    const short = await run(held, [rent(undefined, '15.00'), rent(undefined, '15.00')]);
    // One finding for the sum, naming no number.
    expect(kinds(short)).toEqual(['CHARGE_MISMATCH  -15.00']);
  });
});

describe('SMS (SPEC §4.5)', () => {
  it('an SMS in 2 parts costs 2 messages; a failed one nothing; a re-pushed one counts once', async () => {
    const cdrs = [
      sms('m1', A, 2),
      sms('m1', A, 2),
      sms('m2', A, 1, 'failed'),
      sms('m3', A, 1, '0'),
    ];
    const result = await run(undefined, [{ item: '短信', privateNum: A, amount: '0.15' }], cdrs);
    expect(kinds(result)).toEqual([]);
    expect(result.summary.cdrs.smsRecords).toBe(4);
    expect(result.summary.charges.byItem['sms']).toEqual({ theirs: '0.15', ours: '0.15', rows: 1 });
  });

  it('the sample SMS notification (fixtures/samples/sms-push.json) is 2 parts from its virtual number: 0.10', async () => {
    const file = fileURLToPath(new URL('../fixtures/samples/sms-push.json', import.meta.url));
    const cdrs: CdrItem[] = [];
    for await (const item of readCdrs([file])) cdrs.push(item);
    expect(cdrs.map((item) => item.type)).toEqual(['sms']);
    const from = '+8613800000022';
    const result = await run(undefined, [{ item: 'sms', privateNum: from, amount: '0.10' }], cdrs);
    expect(kinds(result)).toEqual([]);
    expect(result.summary.cdrs.smsRecords).toBe(1);
    expect(result.summary.charges.byItem['sms']).toEqual({ theirs: '0.10', ours: '0.10', rows: 1 });
  });

  it('an SMS of another month costs nothing this month', async () => {
    const cdrs = [sms('m1', A, 1, 'success', '2026-09-30 15:59:59')];
    const result = await run(undefined, [{ item: 'sms', privateNum: A, amount: '0.05' }], cdrs);
    expect(kinds(result)).toEqual([`UNEXPECTED_CHARGE ${A} 0.05`]);
  });
});

describe('packages and other items (SPEC §4.5)', () => {
  it('a package is owed in its month; an item the tariff does not price is unexpected', async () => {
    const result = await run(undefined, [{ item: '功能费', amount: '2.00' }]);
    expect(kinds(result)).toEqual(['UNEXPECTED_CHARGE  2.00']);
    expect(result.summary.charges.checked).toBe(true);
  });

  it('without charges and numbers, other rows are believed as billed', async () => {
    const plain = parseTariff({ currency: 'CNY', rates: [{ pricePerMinute: '0.12' }] });
    const result = await reconcile(
      { cdrs: [], bill: billItemsOf([{ item: '功能费', amount: '2.00' }, rent(A)]) },
      { tariff: plain, period: '2026-10' },
    );
    expect(result.discrepancies).toEqual([]);
    expect(result.summary.charges).toMatchObject({ checked: false, difference: '0.00' });
  });
});

describe('properties', () => {
  const numberArb = fc
    .integer({ min: 1, max: 30 })
    .map((n) => `+86138000000${String(n).padStart(2, '0')}`);
  const heldArb = fc.array(
    fc.record({
      number: numberArb,
      orderedAt: fc.option(
        fc.constantFrom('2026-09-01 00:00:00', '2026-10-20 09:00:00', '2026-11-02 00:00:00'),
        { nil: undefined },
      ),
      releasedAt: fc.option(fc.constantFrom('2026-09-20 00:00:00', '2026-10-03 12:00:00'), {
        nil: undefined,
      }),
    }),
    { maxLength: 20 },
  );
  const rowArb = fc.record({
    item: fc.constantFrom('rent', 'sms', 'package', '月租', 'other', ''),
    privateNum: fc.option(numberArb, { nil: undefined }),
    amount: fc.integer({ min: 0, max: 4000 }).map((c) => (c / 100).toFixed(2)),
  });
  const smsArb = fc.array(
    fc.tuple(
      fc.integer({ min: 0, max: 15 }),
      numberArb,
      fc.integer({ min: 1, max: 3 }),
      fc.boolean(),
    ),
    { maxLength: 20 },
  );

  it('the charges balance for any numbers, SMS and bill: Σ impacts = charges.difference', async () => {
    await fc.assert(
      fc.asyncProperty(
        heldArb,
        fc.array(rowArb, { maxLength: 20 }),
        smsArb,
        async (held, rows, messages) => {
          const bill = rows.map((row) => ({
            item: row.item === '' ? 'call' : row.item,
            amount: row.amount,
            ...(row.privateNum === undefined ? {} : { privateNum: row.privateNum }),
          }));
          const cdrs = messages.map(([id, from, parts, ok]) =>
            sms(`m${id}`, from, parts, ok ? 'success' : 'x'),
          );
          const result = await reconcile(
            {
              cdrs,
              bill: billItemsOf(bill.filter((row) => row.item !== 'call')),
              numbers: numbers(held),
            },
            { tariff, period: '2026-10' },
          );
          expect(result.balanced).toBe(true);
          expect(result.summary.charges.unexplained).toBe('0.00');
          const cents = (text: string): number => Math.round(Number(text) * 100);
          const impacts = result.discrepancies
            .filter((row) =>
              ['CHARGE_MISMATCH', 'UNEXPECTED_CHARGE', 'MISSING_CHARGE'].includes(row.kind),
            )
            .reduce((sum, row) => sum + cents(row.impact), 0);
          expect(impacts).toBe(cents(result.summary.charges.difference));
          // Reordering the numbers held changes nothing.
          const again = await reconcile(
            {
              cdrs,
              bill: billItemsOf(bill.filter((row) => row.item !== 'call')),
              numbers: numbers([...held].reverse()),
            },
            { tariff, period: '2026-10' },
          );
          expect(again.summary.charges).toEqual(result.summary.charges);
        },
      ),
      { numRuns: 80 },
    );
  });

  it('a bill written from what we owe is clean', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uniqueArray(numberArb, { maxLength: 12 }), async (held) => {
        const bill = held.map((number) => rent(number));
        const result = await run(numbers(held.map((number) => ({ number }))), bill);
        expect(result.discrepancies).toEqual([]);
      }),
      { numRuns: 40 },
    );
  });
});
