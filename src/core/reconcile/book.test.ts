import { describe, expect, it } from 'vitest';
import { fc } from '../../../test/helpers/fast-check.js';
import { CallBook } from './book.js';
import type { RatedCall } from './calls.js';

function call(seq: number, key: string, endMs: number, icid?: string): RatedCall {
  return {
    seq,
    source: 'cdrs.ndjson',
    line: seq + 1,
    callId: key,
    sessionId: key,
    icid,
    callerNum: '+8613800000021',
    bindNum: '+8613800000022',
    fwdDstNum: '+8613866887021',
    serviceType: '004',
    direction: '1',
    mode: undefined,
    answerMs: 0,
    endMs,
    periodMs: endMs,
    inPeriod: true,
    seconds: Math.ceil(endMs / 1000),
    rateIndex: 0,
    billedSeconds: 60,
  };
}

describe('CallBook', () => {
  it('keeps the first record of a call, counts an equal one as a re-push and a different one as a conflict', () => {
    const book = new CallBook();
    expect(book.add(call(0, 'a', 65_000))).toBe('kept');
    expect(book.add(call(1, 'a', 65_000))).toBe('duplicate');
    expect(book.add(call(2, 'a', 99_000))).toBe('conflict');
    expect(book.kept.map((c) => c.seq)).toEqual([0]);
    expect(book.duplicates).toBe(1);
    expect(book.conflicts[0]?.detail).toContain('in callEndTime');
  });

  it('finds a call by its key first, then by its icid', () => {
    const book = new CallBook();
    book.add(call(0, 'a', 1000, 'x'));
    book.add(call(1, 'x', 1000, 'y'));
    expect(book.find('x')?.seq).toBe(1);
    expect(book.find('y')?.seq).toBe(1);
    expect(book.find('y', 'key')).toBeUndefined();
  });

  describe('properties', () => {
    const records = fc
      .array(fc.tuple(fc.integer({ min: 0, max: 9 }), fc.integer({ min: 0, max: 2 })), {
        maxLength: 60,
      })
      .map((specs) => specs.map(([key, end], seq) => call(seq, `k${key}`, 60_000 + end * 1000)));

    it('keeps the first record of every key, in input order', () => {
      fc.assert(
        fc.property(records, (calls) => {
          const book = new CallBook();
          for (const c of calls) book.add(c);
          const firsts = calls.filter(
            (c, i) => calls.findIndex((d) => d.callId === c.callId) === i,
          );
          expect(book.kept).toEqual(firsts);
          expect(book.kept.length + book.duplicates + book.conflicts.length).toBe(calls.length);
        }),
      );
    });

    it('is idempotent: the same records again keep nothing new and change nothing kept', () => {
      fc.assert(
        fc.property(records, (calls) => {
          const book = new CallBook();
          for (const c of calls) book.add(c);
          const kept = [...book.kept];
          for (const c of calls) expect(book.add(c)).not.toBe('kept');
          expect(book.kept).toEqual(kept);
        }),
      );
    });
  });
});
