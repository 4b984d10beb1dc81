import { fc } from '../helpers/fast-check.js';
import type { BillItem, BillRow, CdrItem, FeeRecord } from '../../src/index.js';

/** A tariff file's JSON as a test builds it. */
export type TariffJson = Record<string, unknown>;

/** One generated call, before it becomes a fee record. */
export interface CallSpec {
  readonly prefix: '+86138' | '+86139' | '+86137';
  readonly caller: number;
  readonly answered: boolean;
  /** Seconds after 2026-10-01 00:00 Asia/Shanghai (negative: September). */
  readonly startSeconds: number;
  readonly durationMs: number;
}

/** A generated month: a tariff and fee records (as reader items). */
export interface Month {
  readonly tariff: TariffJson;
  readonly cdrs: CdrItem[];
}

const OCTOBER_START_MS = Date.UTC(2026, 8, 30, 16); // 2026-10-01 00:00 in Shanghai
const OCTOBER_SECONDS = 31 * 86_400;

/** `yyyy-MM-dd HH:mm:ss` in UTC, as Huawei writes times. */
export function huaweiTime(epochMs: number): string {
  return new Date(epochMs).toISOString().slice(0, 19).replace('T', ' ');
}

/** Prices of a few decimals, as decimal strings. */
export const priceArb = fc
  .integer({ min: 1, max: 50_000 })
  .map((n) => (n / 10_000).toFixed(4).replace(/0+$/, '').replace(/\.$/, ''));

/** A tariff covering +86138 and +86139 (never +86137), with optional package. */
export const tariffArb: fc.Arbitrary<TariffJson> = fc
  .record({
    priceA: priceArb,
    priceB: priceArb,
    first: fc.constantFrom(1, 6, 30, 60),
    next: fc.constantFrom(1, 6, 30, 60),
    roundingMode: fc.constantFrom('half-up', 'half-even', 'up', 'down'),
    packageMinutes: fc.option(fc.integer({ min: 1, max: 300 }), { nil: undefined }),
  })
  .map(({ priceA, priceB, first, next, roundingMode, packageMinutes }) => ({
    currency: 'CNY',
    timezone: 'Asia/Shanghai',
    amountDecimals: 2,
    roundingMode,
    rates: [
      {
        id: 'a',
        pricePerMinute: priceA,
        when: { privateNumPrefix: '+86138' },
        firstIncrementSeconds: first,
        nextIncrementSeconds: next,
      },
      { id: 'b', pricePerMinute: priceB, when: { privateNumPrefix: '+86139' } },
    ],
    allowances: packageMinutes === undefined ? [] : [{ id: 'pkg', minutes: packageMinutes }],
  }));

/** One call: mostly answered, mostly in October, a few around both month ends. */
export function callArb(prefixes: readonly CallSpec['prefix'][]): fc.Arbitrary<CallSpec> {
  return fc.record({
    prefix: fc.constantFrom(...prefixes),
    caller: fc.integer({ min: 0, max: 30 }),
    answered: fc.constantFrom(true, true, true, false),
    startSeconds: fc.oneof(
      { weight: 8, arbitrary: fc.integer({ min: 0, max: OCTOBER_SECONDS - 1 }) },
      { weight: 1, arbitrary: fc.integer({ min: -3_600, max: 3_600 }) },
      {
        weight: 1,
        arbitrary: fc.integer({ min: OCTOBER_SECONDS - 3_600, max: OCTOBER_SECONDS + 3_600 }),
      },
    ),
    durationMs: fc.oneof(
      fc.integer({ min: 0, max: 600_000 }),
      fc.constantFrom(0, 1, 59_999, 60_000, 60_001),
    ),
  });
}

/** The fee record of a generated call; `index` makes its ids unique. */
export function feeRecordOf(spec: CallSpec, index: number): FeeRecord {
  const answerMs = OCTOBER_START_MS + spec.startSeconds * 1000;
  const endMs = answerMs + spec.durationMs;
  return {
    sessionId: `s-${String(index).padStart(6, '0')}@callenabler.example`,
    icid: `icid-${index}`,
    callerNum: `+861380000${String(spec.caller).padStart(4, '0')}`,
    bindNum: `${spec.prefix}${String(10_000_000 + (index % 50)).slice(1)}`,
    fwdDstNum: `+8613900001${String(index % 1000).padStart(3, '0')}`,
    ...(spec.answered ? { fwdAnswerTime: huaweiTime(answerMs) } : {}),
    callEndTime: huaweiTime(endMs),
    direction: '0',
    serviceType: '004',
  };
}

/** Fee records as reader items of one file. */
export function cdrItemsOf(records: readonly FeeRecord[], source = 'cdrs.ndjson'): CdrItem[] {
  return records.map((record, i) => ({ type: 'fee', record, source, line: i + 1 }));
}

/** Bill rows as reader items of one file (line 1 is the header). */
export function billItemsOf(rows: readonly BillRow[], source = 'bill.csv'): BillItem[] {
  return rows.map((row, i) => ({ type: 'row', row, source, line: i + 2 }));
}

/** A month of calls under a generated tariff. */
export function monthArb(
  prefixes: readonly CallSpec['prefix'][] = ['+86138', '+86139'],
  maxCalls = 60,
): fc.Arbitrary<Month> {
  return fc
    .record({
      tariff: tariffArb,
      calls: fc.array(callArb(prefixes), { minLength: 1, maxLength: maxCalls }),
    })
    .map(({ tariff, calls }) => ({ tariff, cdrs: cdrItemsOf(calls.map(feeRecordOf)) }));
}

/** A row of the console's export of the numbers held (SPEC §4.5), as its cells. */
export interface NumberCells {
  readonly number: string;
  readonly orderedAt: string;
  readonly releasedAt: string;
}

/** A month with the rest of the invoice (SPEC §4.5): its tariff prices rent, SMS, packages. */
export interface ChargesMonth extends Month {
  /** The numbers held, or `undefined` for a run without `--numbers`. */
  readonly numbers: readonly NumberCells[] | undefined;
  /** SMS notification push bodies (`{ smsEvent: … }`), as Huawei sends them. */
  readonly sms: readonly Record<string, unknown>[];
  /** The bill's rent, SMS, package and other non-call lines. */
  readonly chargeRows: readonly BillRow[];
}

/** A virtual number: some are the numbers `feeRecordOf` gives calls, some are never called. */
export const virtualNumberArb = fc
  .tuple(fc.constantFrom('+86138', '+86139'), fc.integer({ min: 0, max: 59 }))
  .map(([prefix, n]) => `${prefix}${String(10_000_000 + n).slice(1)}`);

/** Times of the numbers export: before, inside and after October, some as Excel writes them. */
const numberTimeArb = fc.constantFrom(
  '',
  '',
  '2026-09-01 00:00:00',
  '2026-09-30 15:59:59',
  '2026-09-30 16:00:00',
  '2026-10-03 12:00:00',
  '2026/10/20 9:00:00',
  '2026-10-31 15:59:59',
  '2026-11-02 00:00:00',
  '2026-10-20 09:00', // seconds cut off by a spreadsheet: the row is rejected
);

/** An SMS notification as Huawei pushes it: in parts or not, sent or failed, in the month or not. */
const smsEventArb = fc
  .record({
    id: fc.integer({ min: 0, max: 12 }),
    number: virtualNumberArb,
    parts: fc.integer({ min: 0, max: 3 }),
    result: fc.constantFrom<string | number>(0, 0, 'success', 'SUCCESS', 1, 2, 'fail'),
    seconds: fc.oneof(
      { weight: 6, arbitrary: fc.integer({ min: 0, max: OCTOBER_SECONDS - 1 }) },
      { weight: 1, arbitrary: fc.integer({ min: -3_600, max: 3_600 }) },
      {
        weight: 1,
        arbitrary: fc.integer({ min: OCTOBER_SECONDS - 3_600, max: OCTOBER_SECONDS + 3_600 }),
      },
    ),
    iso: fc.boolean(),
    extParas: fc.constantFrom('list', 'object', 'none'),
  })
  .map(({ id, number, parts, result, seconds, iso, extParas }) => {
    const ms = OCTOBER_START_MS + seconds * 1000;
    const split = String(parts);
    return {
      appKey: 'DEMOAPPKEY0000000000000000001',
      smsEvent: {
        smsIdentifier: `sms-${id}`,
        notificationMode: 'Notify',
        virtualNumber: number,
        event: 'Text SMS',
        timeStamp: iso ? new Date(ms + 417).toISOString() : huaweiTime(ms),
        ...(extParas === 'list'
          ? {
              extInfo: {
                extParas: [
                  { key: 'splitNum', value: split },
                  { key: 'direction', value: '1' },
                ],
              },
            }
          : extParas === 'object'
            ? { extInfo: { extParas: { splitNum: split } } }
            : {}),
        sendResult: result,
      },
    };
  });

/** A non-call bill line: rent, SMS or a package (in English or Chinese), or an unpriced item. */
const chargeRowArb: fc.Arbitrary<BillRow> = fc
  .record({
    item: fc.constantFrom('rent', 'rent', '月租', 'sms', '短信', 'package', '套餐包', '功能费'),
    privateNum: fc.option(virtualNumberArb, { nil: undefined, freq: 4 }),
    cents: fc.oneof(fc.constantFrom(1000, 1500, 5, 10, 30000), fc.integer({ min: 0, max: 4000 })),
  })
  .map(({ item, privateNum, cents }) => ({
    item,
    amount: (cents / 100).toFixed(2),
    ...(privateNum === undefined ? {} : { privateNum }),
  }));

/**
 * A month of calls with the rest of the invoice: the tariff's `charges` (rent, SMS, the
 * package of its allowance, billed this month or not), the numbers held (or none given),
 * SMS notifications (re-pushed ones share an id) and the bill's non-call lines.
 */
export function chargesMonthArb(
  prefixes: readonly CallSpec['prefix'][] = ['+86138', '+86139'],
  maxCalls = 60,
): fc.Arbitrary<ChargesMonth> {
  return fc
    .record({
      month: monthArb(prefixes, maxCalls),
      rent: fc.option(fc.constantFrom('10.00', '15.00'), { nil: undefined, freq: 2 }),
      smsPrice: fc.option(fc.constantFrom('0.05', '0.10'), { nil: undefined, freq: 2 }),
      packageIn: fc.option(fc.constantFrom('2026-10', '2026-11'), { nil: undefined }),
      numbers: fc.option(
        fc.array(
          fc.record({
            number: virtualNumberArb,
            orderedAt: numberTimeArb,
            releasedAt: numberTimeArb,
          }),
          { maxLength: 15 },
        ),
        { nil: undefined, freq: 4 },
      ),
      sms: fc.array(smsEventArb, { maxLength: 25 }),
      chargeRows: fc.array(chargeRowArb, { maxLength: 15 }),
    })
    .map(({ month, rent, smsPrice, packageIn, numbers, sms, chargeRows }) => {
      const allowances = (month.tariff['allowances'] ?? []) as { id: string }[];
      const packages =
        packageIn === undefined || allowances[0] === undefined
          ? []
          : [{ allowance: allowances[0].id, price: '300.00', billedIn: packageIn }];
      const charges = {
        ...(rent === undefined ? {} : { rentPerNumber: rent }),
        ...(smsPrice === undefined ? {} : { smsPerMessage: smsPrice }),
        ...(packages.length === 0 ? {} : { packages }),
      };
      return {
        // Nothing priced: no `charges` at all (the rows are then checked only with numbers).
        tariff: Object.keys(charges).length === 0 ? month.tariff : { ...month.tariff, charges },
        cdrs: month.cdrs,
        numbers,
        sms,
        chargeRows,
      };
    });
}
