import { describe, expect, it } from 'vitest';
import { fc } from '../../../test/helpers/fast-check.js';
import { decimalText } from '../../../test/arbitraries/money.js';
import { createTimeZone, UTC } from '../../core/time/index.js';
import { parseTariff, type Tariff } from '../../core/tariff/index.js';
import type { ChargedCall, RowContext } from '../../core/reconcile/index.js';
import { encodeRatedLine, ratedLineMaxBytes } from './rated-line.js';
import { ratedCsvLine, type ReportOptions } from './write-report.js';

const SHANGHAI = createTimeZone('Asia/Shanghai');
const BERLIN = createTimeZone('Europe/Berlin');
const TARIFF = parseTariff(
  {
    currency: 'CNY',
    rates: [
      { id: 'mobile', pricePerMinute: '0.12', when: { privateNumPrefix: '+86138' } },
      { id: '=odd,"id"', pricePerMinute: '0.1', when: { privateNumPrefix: '+86139' } },
    ],
  },
  'tariff.json',
);
const CONTEXT: RowContext = { tariff: TARIFF, zone: SHANGHAI };

/** An answered 65 s call of 2026-10-15 17:15:36 Shanghai time, rated by `mobile`. */
const CALL: ChargedCall = {
  seq: 0,
  source: 'cdrs.ndjson',
  line: 1,
  callId: '227621_1031_4294967295_20261015171536@callenabler247.huaweicaas.com',
  sessionId: '227621_1031_4294967295_20261015171536@callenabler247.huaweicaas.com',
  icid: undefined,
  callerNum: '+8613800000021',
  bindNum: '+8613900000001',
  fwdDstNum: '+8615000000000',
  serviceType: '001',
  direction: '0',
  mode: 'AXB',
  answerMs: Date.UTC(2026, 9, 15, 9, 15, 36),
  endMs: Date.UTC(2026, 9, 15, 9, 16, 41),
  periodMs: Date.UTC(2026, 9, 15, 9, 16, 41),
  inPeriod: true,
  seconds: 65,
  rateIndex: 0,
  billedSeconds: 120,
  packageSeconds: 0,
  amount: 240_000,
};

/** The bytes encodeRatedLine writes for a call, at an offset inside a larger buffer. */
function encode(call: ChargedCall, context = CONTEXT, options: ReportOptions = {}): Buffer {
  const offset = 7;
  const target = Buffer.alloc(offset + ratedLineMaxBytes(call, context));
  const end = encodeRatedLine(call, context, options, target, offset);
  return target.subarray(offset, end);
}

/** What rated.csv holds for the call: ratedCsvLine, as UTF-8. */
function expected(call: ChargedCall, context = CONTEXT, options: ReportOptions = {}): Buffer {
  return Buffer.from(ratedCsvLine(call, context, options), 'utf8');
}

describe('encodeRatedLine', () => {
  it('writes a masked answered call as in rated.csv', () => {
    expect(encode(CALL).toString('utf8')).toBe(
      `${CALL.callId},+86138****0021,+86139****0001,+86150****0000,2026-10-15T17:15:36+08:00,2026-10-15T17:16:41+08:00,65,120,2,0,0.12,0.24,mobile\n`,
    );
  });

  it('writes numbers in full when asked to show them', () => {
    const line = encode(CALL, CONTEXT, { showNumbers: true }).toString('utf8');
    expect(line).toContain(',+8613800000021,+8613900000001,+8615000000000,');
  });

  it('masks short numbers as maskPhone does: the last two digits stay, two or fewer stay whole', () => {
    const call = { ...CALL, callerNum: '+12345', bindNum: '12', fwdDstNum: '+1234567890' };
    expect(encode(call).toString('utf8')).toContain(',+***45,12,+********90,');
  });

  it('leaves the answer time of an unanswered call empty and bills 0', () => {
    const call = {
      ...CALL,
      answerMs: undefined,
      seconds: 0,
      billedSeconds: 0,
      rateIndex: -1,
      amount: 0,
    };
    const line = encode(call).toString('utf8');
    expect(line).toContain(',+86150****0000,,2026-10-15T17:16:41+08:00,0,0,0,0,,0.00,\n');
    expect(encode(call)).toEqual(expected(call));
  });

  it('leaves the billing cells of an unrated call empty', () => {
    const call = { ...CALL, rateIndex: -1, billedSeconds: 0, amount: 0 };
    expect(encode(call).toString('utf8')).toMatch(/,65,,,,,,\n$/);
    expect(encode(call)).toEqual(expected(call));
  });

  it('guards and quotes an id a spreadsheet would run, and a rate id likewise', () => {
    const call = { ...CALL, callId: '=HYPERLINK("x")', rateIndex: 1 };
    const line = encode(call).toString('utf8');
    expect(line.startsWith(`"'=HYPERLINK(""x"")",`)).toBe(true);
    expect(line.endsWith(`,0.10,0.24,"'=odd,""id"""\n`)).toBe(true);
    expect(encode(call)).toEqual(expected(call));
  });

  it('guards a formula but not a plain negative number or a phone number', () => {
    const call = { ...CALL, callId: '-1.5', callerNum: '=1+1', bindNum: '+86138' };
    const options = { showNumbers: true };
    expect(encode(call, CONTEXT, options).toString('utf8')).toMatch(/^-1\.5,'=1\+1,\+86138,/);
    expect(encode(call, CONTEXT, options)).toEqual(expected(call, CONTEXT, options));
  });

  it('hides whatever the middle of a long number holds, as maskPhone does', () => {
    const call = { ...CALL, callerNum: '+86138,"中\n0021' };
    expect(encode(call).toString('utf8')).toContain(',+86138****0021,');
    expect(encode(call)).toEqual(expected(call));
  });

  it('masks formula-like numbers before guarding them, as rated.csv does', () => {
    const call = { ...CALL, callerNum: '=1+1', bindNum: '-1.5' };
    expect(encode(call).toString('utf8')).toContain(',**+1,**.5,');
    expect(encode(call)).toEqual(expected(call));
  });

  it('writes Chinese text and lone surrogates as Buffer.from does (EF BF BD)', () => {
    const call = { ...CALL, callId: '呼叫\ud800,一', callerNum: '+86中文\udc0012345678' };
    expect(encode(call)).toEqual(expected(call));
    expect(encode(call).includes(Buffer.from([0xef, 0xbf, 0xbd]))).toBe(true);
  });

  it('writes each time with its own offset across a DST change (Europe/Berlin)', () => {
    const change = Date.UTC(2026, 9, 25, 1); // 03:00 CEST becomes 02:00 CET
    const call = { ...CALL, answerMs: change - 1000, endMs: change + 1000, seconds: 2 };
    const context = { tariff: TARIFF, zone: BERLIN };
    expect(encode(call, context).toString('utf8')).toContain(
      ',2026-10-25T02:59:59+02:00,2026-10-25T02:00:01+01:00,',
    );
    expect(encode(call, context)).toEqual(expected(call, context));
  });

  it('writes each time with its own offset when the offset changes inside an hour', () => {
    const change = Date.UTC(2026, 9, 3, 15, 30); // Lord Howe: +10:30 becomes +11:00
    const call = { ...CALL, answerMs: change - 1000, endMs: change + 1000, seconds: 2 };
    const context = { tariff: TARIFF, zone: createTimeZone('Australia/Lord_Howe') };
    expect(encode(call, context).toString('utf8')).toContain(
      ',2026-10-04T01:59:59+10:30,2026-10-04T02:30:01+11:00,',
    );
    expect(encode(call, context)).toEqual(expected(call, context));
  });

  it('writes times far in the past and the future as formatIsoTime does', () => {
    for (const ms of [-8.64e15, -62_198_755_200_000, 0, 253_402_300_799_000, 8.64e15]) {
      const call = { ...CALL, answerMs: ms, endMs: ms };
      expect(encode(call, { tariff: TARIFF, zone: BERLIN })).toEqual(
        expected(call, { tariff: TARIFF, zone: BERLIN }),
      );
    }
  });

  it('writes minutes of odd seconds with 6 decimals and amounts with the tariff decimals', () => {
    const context = { tariff: { ...TARIFF, amountDecimals: 4 }, zone: UTC };
    const call = { ...CALL, billedSeconds: 37, packageSeconds: -37, amount: -1_234_500 };
    expect(encode(call, context).toString('utf8')).toContain(',37,0.616667,-0.616667,');
    expect(encode(call, context)).toEqual(expected(call, context));
  });

  it('writes the largest safe integers exactly (48 + 2^53 − 1 is not a safe integer)', () => {
    const call = {
      ...CALL,
      seconds: Number.MIN_SAFE_INTEGER,
      billedSeconds: Number.MAX_SAFE_INTEGER,
      amount: Number.MIN_SAFE_INTEGER,
    };
    expect(encode(call).toString('utf8')).toContain(
      ',-9007199254740991,9007199254740991,150119987579016.516667,0,',
    );
    expect(encode(call)).toEqual(expected(call));
  });

  it('throws as ratedCsvLine does for an amount that is not a safe integer', () => {
    const call = { ...CALL, amount: 0.5 };
    expect(() => ratedCsvLine(call, CONTEXT, {})).toThrow(RangeError);
    expect(() => encode(call)).toThrow('micros 0.5 is not a safe integer');
  });

  describe('properties', () => {
    const UNITS = [
      'a',
      'Z',
      '0',
      '9',
      ',',
      '"',
      '\n',
      '\r',
      '\t',
      '=',
      '+',
      '-',
      '@',
      '*',
      '.',
      ' ',
      "'",
      'é',
      '中',
      '😀',
      '\ud800',
      '\udfff',
      '\u0000',
      '\u007f',
      '\u0080',
    ];
    const textArb: fc.Arbitrary<string> = fc.oneof(
      fc.string({ unit: 'binary' }),
      fc.string({ unit: 'grapheme' }),
      fc.string({ unit: fc.constantFrom(...UNITS) }),
      fc.stringMatching(/^[0-9a-f_]{1,40}@callenabler[0-9]{3}\.huaweicaas\.com$/),
      fc.constantFrom('', '=1+1', '-1.5', '+3', '+', '@x', 'abc', '中文号码', "'"),
    );
    const phoneArb: fc.Arbitrary<string> = fc.oneof(
      fc
        .tuple(fc.constantFrom('', '+', '+86', '86', '00'), fc.stringMatching(/^[0-9]{0,16}$/))
        .map(([head, digits]) => head + digits),
      fc.stringMatching(/^\+?[0-9*]{0,16}$/),
      fc.constantFrom('+8613800138000', '13800138000', '+86138****0021', '*', '12', '123'),
      // digits at the ends, anything in the middle that masking hides (or shows, if short)
      fc
        .tuple(fc.stringMatching(/^\+?(86)?[0-9]{3}$/), textArb, fc.stringMatching(/^[0-9]{4}$/))
        .map(([head, middle, tail]) => head + middle + tail),
      textArb,
    );

    const HOUR_MS = 3_600_000;
    // Offset changes: Europe/Berlin and America/New_York in spring and autumn 2026 (on the
    // hour), Australia/Lord_Howe's start of DST (15:30 UTC) and Asia/Kathmandu's move from
    // +05:30 to +05:45 in 1986 (18:30 UTC), inside an hour.
    const CHANGES = [
      Date.UTC(2026, 2, 29, 1),
      Date.UTC(2026, 9, 25, 1),
      Date.UTC(2026, 2, 8, 7),
      Date.UTC(2026, 10, 1, 6),
      Date.UTC(2026, 9, 3, 15, 30),
      Date.UTC(1985, 11, 31, 18, 30),
    ];
    const MONTH_MS = Date.UTC(2026, 8, 25);
    const epochArb: fc.Arbitrary<number> = fc.oneof(
      {
        weight: 4,
        arbitrary: fc.integer({ min: 0, max: 40 * 86_400 }).map((s) => MONTH_MS + s * 1000),
      },
      fc
        .tuple(fc.constantFrom(...CHANGES), fc.integer({ min: -2 * HOUR_MS, max: 2 * HOUR_MS }))
        .map(([change, delta]) => change + delta),
      // years 0000..9999, then all of Date's range
      fc.bigInt({ min: -62_167_219_200_000n, max: 253_402_300_799_999n }).map(Number),
      fc.bigInt({ min: -8_640_000_000_000_000n, max: 8_640_000_000_000_000n }).map(Number),
      fc.double({ min: -1e13, max: 1e13, noNaN: true }),
      fc.constantFrom(Number.NaN, Infinity, -Infinity, 1e20, -1e300),
    );
    const zoneArb = fc.constantFrom(
      UTC,
      SHANGHAI,
      BERLIN,
      createTimeZone('America/New_York'),
      createTimeZone('Asia/Kolkata'),
      createTimeZone('Asia/Kathmandu'),
      createTimeZone('Australia/Lord_Howe'),
    );
    const safeSecondsArb = fc.oneof(
      fc.nat(7200),
      fc.nat(200).map((minutes) => minutes * 60),
      fc.integer({ min: -7200, max: -1 }),
      fc.maxSafeInteger(),
      fc.constantFrom(0, -0, Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER),
    );

    /** A tariff of 1..4 rates with odd ids and prices, any amountDecimals (beyond 6 too). */
    const tariffArb: fc.Arbitrary<Tariff> = fc
      .record({
        rates: fc.array(
          fc
            .record({
              id: fc.option(
                textArb.filter((id) => id !== ''),
                { nil: undefined },
              ),
            })
            // Up to the largest price a tariff accepts (201774 a minute), at any scale.
            .chain((rate) =>
              fc
                .integer({ min: 0, max: 9 })
                .chain((scale) =>
                  fc
                    .bigInt({ min: 0n, max: 201_774n * 10n ** BigInt(scale) })
                    .map((units) => ({ ...rate, units, scale })),
                ),
            ),
          { minLength: 1, maxLength: 4 },
        ),
        amountDecimals: fc.integer({ min: 0, max: 6 }),
        extraDecimals: fc.option(fc.integer({ min: 7, max: 12 }), { nil: undefined }),
      })
      .map(({ rates, amountDecimals, extraDecimals }) => {
        const seen = new Set<string>();
        const tariff = parseTariff(
          {
            currency: 'CNY',
            amountDecimals,
            rates: rates.map(({ id, units, scale }, i) => {
              const unique = id === undefined || seen.has(id) ? undefined : id;
              if (unique !== undefined) seen.add(unique);
              return {
                ...(unique === undefined ? {} : { id: unique }),
                pricePerMinute: decimalText(units, scale),
                when: { privateNumPrefix: `+8613${i}` }, // rates may not overlap
              };
            }),
          },
          'tariff.json',
        );
        return extraDecimals === undefined ? tariff : { ...tariff, amountDecimals: extraDecimals };
      });

    const callArb = (rateCount: number): fc.Arbitrary<ChargedCall> =>
      fc
        .record({
          callId: textArb,
          callerNum: phoneArb,
          bindNum: phoneArb,
          fwdDstNum: phoneArb,
          answerMs: fc.option(epochArb, { nil: undefined }),
          endMs: epochArb,
          seconds: fc.oneof(safeSecondsArb, fc.double()),
          rateIndex: fc.integer({ min: -1, max: rateCount }),
          billedSeconds: safeSecondsArb,
          packageSeconds: safeSecondsArb,
          amount: fc.oneof(
            fc.integer({ min: -1_000_000_000, max: 1_000_000_000 }),
            fc.maxSafeInteger(),
            fc.constantFrom(0, -0, Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER),
          ),
        })
        .map((cells) => ({
          ...CALL,
          ...cells,
          sessionId: cells.callId,
          periodMs: cells.endMs,
        }));

    const monthArb = tariffArb.chain((tariff) =>
      fc.record({
        tariff: fc.constant(tariff),
        zone: zoneArb,
        showNumbers: fc.boolean(),
        calls: fc.array(callArb(tariff.rates.length), { minLength: 1, maxLength: 8 }),
        offset: fc.nat(16),
      }),
    );

    it('writes exactly the UTF-8 of ratedCsvLine, within ratedLineMaxBytes, nothing outside', () => {
      fc.assert(
        fc.property(monthArb, ({ tariff, zone, showNumbers, calls, offset }) => {
          const context = { tariff, zone };
          const options = { showNumbers };
          const room = calls.reduce((sum, call) => sum + ratedLineMaxBytes(call, context), 0);
          const target = Buffer.alloc(offset + room + 16, 0xaa);
          let end = offset;
          for (const call of calls) {
            const start = end;
            end = encodeRatedLine(call, context, options, target, start);
            const line = target.subarray(start, end).toString('latin1');
            expect(line).toBe(expected(call, context, options).toString('latin1'));
            expect(end - start).toBeLessThanOrEqual(ratedLineMaxBytes(call, context));
          }
          const untouched = Buffer.alloc(16, 0xaa);
          expect(target.subarray(0, offset).every((byte) => byte === 0xaa)).toBe(true);
          expect(target.subarray(end, end + 16)).toEqual(untouched);
        }),
        { numRuns: 400 },
      );
    });
  });
});
