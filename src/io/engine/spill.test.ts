import { describe, expect, it } from 'vitest';
import { fc } from '../../../test/helpers/fast-check.js';
import { parseMinutes, type BilledItem, type RatedCall } from '../../index.js';
import {
  aliasFromLine,
  aliasToLine,
  billFromLine,
  billToLine,
  callFromLine,
  callToLine,
  partitionOf,
} from './spill.js';

const sources = ['cdrs/a.ndjson', 'bill.csv'];
const text = fc.string({
  // Lone surrogates and a pair too: spill files are UTF-8, which cannot hold a lone one.
  unit: fc.constantFrom(
    'a',
    '1',
    '+',
    '\t',
    '\n',
    '\r',
    '\\',
    't',
    'n',
    'u',
    '*',
    'é',
    ' ',
    '\ud800',
    '\udc00',
    '😀',
  ),
  minLength: 1,
  maxLength: 12,
});
const optional = fc.option(text, { nil: undefined });

/** What a line becomes once written to a spill file and read back. */
function throughUtf8(line: string): string {
  return Buffer.from(line, 'utf8').toString('utf8');
}
const instant = fc.integer({ min: 0, max: 4_102_444_800_000 });

const callArb: fc.Arbitrary<RatedCall> = fc
  .record({
    seq: fc.nat(),
    line: fc.nat(),
    sessionId: optional,
    icid: text,
    callerNum: fc.oneof(fc.constant(''), text),
    bindNum: fc.oneof(fc.constant(''), text),
    fwdDstNum: fc.oneof(fc.constant(''), text),
    serviceType: optional,
    direction: optional,
    mode: optional,
    answerMs: fc.option(instant, { nil: undefined }),
    endMs: instant,
    periodMs: instant,
    inPeriod: fc.boolean(),
    seconds: fc.nat(86_400),
    rateIndex: fc.integer({ min: -1, max: 5 }),
    billedSeconds: fc.nat(86_400),
  })
  .map((c) => ({
    ...c,
    source: sources[0] as string,
    callId: c.sessionId ?? c.icid,
    packageSeconds: 0,
    amount: 0,
  }));

const billArb: fc.Arbitrary<BilledItem> = fc
  .record({
    seq: fc.nat(),
    line: fc.nat(),
    item: text,
    amount: fc.integer({ min: -1e12, max: 1e12 }),
    callId: optional,
    callerNum: optional,
    privateNum: optional,
    calleeNum: optional,
    answerMs: fc.option(instant, { nil: undefined }),
    endMs: fc.option(instant, { nil: undefined }),
    billedSeconds: fc.option(fc.nat(), { nil: undefined }),
    billedMinutes: fc.option(fc.stringMatching(/^\d{1,4}(\.\d{1,8})?$/), { nil: undefined }),
    packageMinutes: fc.option(fc.stringMatching(/^\d{1,4}(\.\d{1,3})?$/), { nil: undefined }),
    unitPrice: optional,
    unitPriceValue: optional,
  })
  .map((b) => ({
    ...b,
    source: sources[1] as string,
    isCall: true,
    billedMinutes: b.billedMinutes === undefined ? undefined : parseMinutes(b.billedMinutes),
    packageMinutes: b.packageMinutes === undefined ? undefined : parseMinutes(b.packageMinutes),
  }));

describe('spill lines', () => {
  it('a partition is stable and in range', () => {
    expect(
      partitionOf('1200_1029_4294967295_20261015091514@callenabler246.huaweicaas.com', 7),
    ).toBe(partitionOf('1200_1029_4294967295_20261015091514@callenabler246.huaweicaas.com', 7));
    expect(partitionOf('anything', 1)).toBe(0);
  });

  describe('properties', () => {
    it('a call reads back as written, whatever its text holds (tabs, line breaks, backslashes)', () => {
      fc.assert(
        fc.property(callArb, (call) => {
          const line = throughUtf8(callToLine(call, 0));
          expect(line.indexOf('\n')).toBe(line.length - 1);
          expect(callFromLine(line.slice(0, -1), sources)).toEqual(call);
        }),
      );
    });

    it('a bill row reads back as written', () => {
      fc.assert(
        fc.property(billArb, (row) => {
          const line = throughUtf8(billToLine(row, 1));
          expect(line.indexOf('\n')).toBe(line.length - 1);
          expect(billFromLine(line.slice(0, -1), sources)).toEqual(row);
        }),
      );
    });

    it('an alias reads back as written', () => {
      fc.assert(
        fc.property(text, fc.nat(1000), fc.nat(), (icid, partition, seq) => {
          expect(
            aliasFromLine(throughUtf8(aliasToLine(icid, partition, seq)).slice(0, -1)),
          ).toEqual({
            icid,
            partition,
            seq,
          });
        }),
      );
    });
  });
});
