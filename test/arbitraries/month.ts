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
