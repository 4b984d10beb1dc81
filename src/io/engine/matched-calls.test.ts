import { describe, expect, it } from 'vitest';
import { fc } from '../../../test/helpers/fast-check.js';
import { parseTariff } from '../../core/tariff/index.js';
import {
  chargeCall,
  findNearDuplicates,
  matchedCallsOfPairs,
  type BilledItem,
  type ChargedCall,
  type MatchedCall,
  type MatchedCalls,
} from '../../core/reconcile/index.js';
import { decodeMatchedCalls, encodeMatchedCalls } from './matched-calls.js';

const TARIFF = parseTariff({
  currency: 'CNY',
  timezone: 'Asia/Shanghai',
  rates: [{ id: 'all', pricePerMinute: '0.12' }],
});
const BILL = 'bill.csv';
const CALLER = '+8613800000021';
const CALLEE = '+8613866887021';

function call(seq: number, bindNum: string, answerMs: number, endMs: number): ChargedCall {
  return chargeCall(
    {
      seq,
      source: 'cdrs.ndjson',
      line: seq + 1,
      callId: `s-${seq}`,
      sessionId: `s-${seq}`,
      icid: undefined,
      callerNum: CALLER,
      bindNum,
      fwdDstNum: CALLEE,
      serviceType: '004',
      direction: '1',
      mode: undefined,
      answerMs,
      endMs,
      periodMs: endMs,
      inPeriod: true,
      seconds: Math.ceil((endMs - answerMs) / 1000),
      rateIndex: 0,
      billedSeconds: 60,
    },
    0,
    TARIFF,
  );
}

function row(seq: number, privateNum: string, answerMs: number, endMs?: number): BilledItem {
  return {
    seq,
    source: BILL,
    line: seq + 2,
    isCall: true,
    item: 'call',
    amount: 120_000,
    callId: `r-${seq}`,
    callerNum: CALLER,
    privateNum,
    calleeNum: CALLEE,
    answerMs,
    endMs,
    billedSeconds: undefined,
    billedMinutes: undefined,
    packageMinutes: undefined,
    unitPrice: undefined,
    unitPriceValue: undefined,
  };
}

/** Each call paired with a row of its own id, as a partition's settling leaves them. */
function pairsOf(calls: readonly ChargedCall[]): Map<ChargedCall, BilledItem> {
  return new Map(calls.map((c) => [c, row(1000 + c.seq, c.bindNum, c.answerMs ?? 0, c.endMs)]));
}

/**
 * The pairs through the bytes a partition sends back: each call's place is its index (in a
 * partition of its own, the first), and its texts are read back from there.
 */
function throughBytes(pairs: ReadonlyMap<ChargedCall, BilledItem>): MatchedCalls {
  const calls = [...pairs.keys()];
  const read: number[] = [];
  const source = decodeMatchedCalls(
    [[], encodeMatchedCalls(pairs, [BILL], (c) => ({ file: 1, position: calls.indexOf(c) }))],
    [BILL],
    (partition, file, position) => {
      expect([partition, file]).toEqual([1, 1]);
      read.push(position);
      return calls[position] as ChargedCall;
    },
  );
  return {
    calls: (keys, spans) => {
      read.length = 0;
      const found = [...source.calls(keys, spans)];
      // Texts are read for the calls not skipped alone, each from its own place.
      expect(read.map((position) => calls[position]?.seq)).toEqual(found.map((c) => c.seq));
      return found;
    },
  };
}

/** What a search found, as plain data: row id → the call it bills again. */
function found(near: Map<BilledItem, MatchedCall>): [string | undefined, string][] {
  return [...near].map(([r, c]) => [r.callId, c.callId]);
}

describe('the matched calls a partition sends back', () => {
  it('are skipped unread when no row searched for has their key and meets their time', () => {
    const calls = [
      call(0, '+8613800000022', 0, 90_000),
      call(1, '+8613800000022', 3_600_000, 3_690_000),
      call(2, '+8613800009999', 0, 90_000),
    ];
    const source = throughBytes(pairsOf(calls));
    const read = [...source.calls(new Set(['0022']), new Map([['0022', [30_000, 60_000]]]))];
    // The call at the hour meets no row's time, the third has another key.
    expect(read.map((c) => c.callId)).toEqual(['s-0']);
    // Without spans every call of the key is read, without keys every call.
    expect([...source.calls(new Set(['0022']))].map((c) => c.callId)).toEqual(['s-0', 's-1']);
    expect([...source.calls(undefined)]).toHaveLength(3);
  });

  it('are read when a row searched for only touches them: answered as the call ends, or ending as it is answered', () => {
    const calls = [call(0, '+8613800000022', 60_000, 120_000)];
    const source = throughBytes(pairsOf(calls));
    const near = (r: BilledItem): number => findNearDuplicates([r], source).size;
    expect(near(row(0, '+8613800000022', 120_000))).toBe(1);
    expect(near(row(0, '+8613800000022', 0, 60_000))).toBe(1);
    expect(near(row(0, '+8613800000022', 60_000, 30_000))).toBe(1);
    expect(near(row(0, '+8613800000022', 121_000))).toBe(0);
  });

  it('property: the search finds the same second bills through the bytes as through the pairs', () => {
    // Numbers whose last four characters are digits, letters, short, blank, masked or not
    // ASCII: keys that bytes stand for, and keys read whatever is wanted.
    const number = fc.constantFrom(
      '+8613800000022',
      '+8613800001022',
      '+8613800009999',
      '22',
      '',
      '+86138abcd',
      '+86138****0022',
      '+86138000号码22',
      '+86138000 022',
    );
    // Times in steps of 30 s, so that a row often begins or ends just as a call does.
    const step = (min: number, max: number) => fc.integer({ min, max }).map((n) => n * 30);
    const minute = fc.integer({ min: 0, max: 30 }).map((m) => m * 60_000);
    const callArb = fc.record({ bindNum: number, answer: minute, seconds: step(0, 10) });
    const rowArb = fc.record({
      privateNum: number,
      answer: minute.chain((m) => step(-4, 4).map((s) => m + s * 1000)),
      seconds: fc.option(step(-1, 10)),
    });
    fc.assert(
      fc.property(
        fc.array(callArb, { maxLength: 30 }),
        fc.array(rowArb, { maxLength: 12 }),
        (callSpecs, rowSpecs) => {
          const calls = callSpecs.map((c, i) =>
            call(i, c.bindNum, c.answer, c.answer + c.seconds * 1000),
          );
          const rows = rowSpecs.map((r, i) =>
            row(
              i,
              r.privateNum,
              r.answer,
              r.seconds === null ? undefined : r.answer + r.seconds * 1000,
            ),
          );
          const pairs = pairsOf(calls);
          const bytes = throughBytes(pairs);
          expect(found(findNearDuplicates(rows, bytes))).toEqual(
            found(findNearDuplicates(rows, matchedCallsOfPairs(pairs))),
          );
        },
      ),
    );
  });
});
