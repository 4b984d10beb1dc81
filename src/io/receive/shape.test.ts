import { describe, expect, it } from 'vitest';
import { fc } from '../../../test/helpers/fast-check.js';
import { maskNumbers } from './log.js';
import { pushFileName, pushFileSeq } from './files.js';
import { readPush } from './shape.js';

const read = (text: string) => readPush(Buffer.from(text));

describe('readPush', () => {
  it('knows a fee push, a call event and an SMS notification', () => {
    expect(read('{"eventType":"fee","feeLst":[{},{}]}')).toMatchObject({
      ok: true,
      kind: 'fee',
      records: 2,
    });
    expect(read('{"eventType":"answer","statusInfo":{}}')).toMatchObject({
      ok: true,
      kind: 'event',
    });
    expect(read('{"smsEvent":{}}')).toMatchObject({ ok: true, kind: 'sms' });
  });

  it('refuses text that is not JSON and JSON of no push shape, saying why', () => {
    expect(read('{"eventType":')).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/^not JSON/) as unknown,
    });
    expect(read('"fee"')).toEqual({
      ok: false,
      reason: 'JSON of no known push shape: a string, not an object',
    });
    expect(read('{"eventType":"fee","feeLst":[1]}')).toMatchObject({ ok: false });
    expect(read('{"eventType":"ring","statusInfo":{}}')).toEqual({
      ok: false,
      reason: 'JSON of no known push shape: eventType "ring"',
    });
  });

  it('drops a leading byte order mark', () => {
    const push = readPush(Buffer.from('\ufeff{"smsEvent":{}}'));
    expect(push.ok && push.line.toString()).toBe('{"smsEvent":{}}');
  });
});

describe('properties', () => {
  it('the stored line has no line break and parses to the same value as the body', () => {
    const ws = fc.constantFrom(' ', '\n', '\r\n', '\t', '');
    fc.assert(
      fc.property(
        fc.array(fc.record({ sessionId: fc.string(), n: fc.integer() }), { maxLength: 5 }),
        ws,
        ws,
        (feeLst, a, b) => {
          const body = `{${a}"eventType":${b}"fee",${a}"feeLst":${JSON.stringify(feeLst, null, b === '' ? 0 : 2)}${b}}${a}`;
          const push = read(body);
          expect(push.ok).toBe(true);
          if (!push.ok) return;
          const line = push.line.toString();
          expect(line).not.toMatch(/[\r\n]/);
          expect(push.line.length).toBe(Buffer.byteLength(body));
          expect(JSON.parse(line)).toEqual(JSON.parse(body));
        },
      ),
    );
  });

  it('masking leaves no run of 7 digits and keeps every other character', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.stringMatching(/^\+?\d{1,15}$/), fc.string()), { maxLength: 6 }),
        (parts) => {
          const text = parts.join(' ');
          const masked = maskNumbers(text);
          expect(masked).not.toMatch(/\d{7}/);
          expect(masked).toHaveLength(text.length);
          expect(masked.replace(/[\d*]/g, '')).toBe(text.replace(/[\d*]/g, ''));
        },
      ),
    );
  });

  it('push file names sort in byte order as they were written', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 99_998 }), (seq) => {
        const [a, b] = [pushFileName(seq), pushFileName(seq + 1)];
        expect(Buffer.compare(Buffer.from(a), Buffer.from(b))).toBe(-1);
        expect(pushFileSeq(a)).toBe(seq);
      }),
    );
  });
});
