import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { fc } from '../../test/helpers/fast-check.js';
import { collect, ioFixture, splitAt, splitEvery } from '../../test/helpers/io.js';
import type { CdrItem } from '../core/records.js';
import type { CdrFormat } from './files.js';
import { readCdrChunks } from './read-cdrs.js';

const encode = (text: string): Uint8Array => new TextEncoder().encode(text);

function readText(text: string, format: CdrFormat, maxRecordChars?: number): Promise<CdrItem[]> {
  return collect(
    readCdrChunks(
      [encode(text)],
      format,
      'x',
      maxRecordChars === undefined ? {} : { maxRecordChars },
    ),
  );
}

/** Item kinds and lines, the shape most examples check. */
const summary = (items: readonly CdrItem[]): string[] =>
  items.map((item) =>
    item.type === 'rejected'
      ? `${item.issue.code}@${item.issue.line}`
      : `${item.type}@${item.line}${item.type === 'fee' ? `:${item.record.sessionId ?? ''}` : ''}`,
  );

describe('JsonReader', () => {
  it('finds element boundaries past brackets and escaped quotes inside strings', async () => {
    const text = '[{"sessionId":"a]}\\"{["},\n{"sessionId":"b\\\\"}]';
    expect(summary(await readText(text, 'json'))).toEqual(['fee@1:a]}"{[', 'fee@2:b\\']);
  });

  it('rejects a broken element and reads the elements after it', async () => {
    const text = '[\n{"sessionId":"a"},\n{"sessionId": oops},\n{"sessionId":"c"}\n]\n';
    expect(summary(await readText(text, 'json'))).toEqual(['fee@2:a', 'INVALID_JSON@3', 'fee@4:c']);
  });

  it('reads values that follow each other at the top level, with or without commas', async () => {
    const text =
      '{"sessionId":"a"}{"sessionId":"b"}\n,{"eventType":"fee","feeLst":[{"sessionId":"c"}]}\n';
    expect(summary(await readText(text, 'json'))).toEqual(['fee@1:a', 'fee@1:b', 'fee@2:c']);
  });

  it('rejects text outside any value once, up to the end of its line', async () => {
    const text = 'garbage here\n{"sessionId":"a"}\n}\n';
    expect(summary(await readText(text, 'json'))).toEqual([
      'INVALID_JSON@1',
      'fee@2:a',
      'INVALID_JSON@3',
    ]);
  });

  it('rejects a file that ends inside a value, or before the array is closed', async () => {
    expect(summary(await readText('[{"sessionId":"a"},\n{"sessionId":"b"', 'json'))).toEqual([
      'fee@1:a',
      'INVALID_JSON@2',
    ]);
    const unclosed = await readText('[{"sessionId":"a"}\n', 'json');
    expect(summary(unclosed)).toEqual(['fee@1:a', 'INVALID_JSON@2']);
    expect(unclosed[1]).toMatchObject({
      issue: { reason: 'the file ends before the ] closing the array opened on line 1' },
    });
  });

  it('gives each FeeInfo of a pretty-printed push its own line', async () => {
    const text =
      '{\n "eventType": "fee",\n "feeLst": [\n  {"sessionId": "a"},\n\n  {"sessionId": "b"}\n ]\n}\n';
    expect(summary(await readText(text, 'json'))).toEqual(['fee@4:a', 'fee@6:b']);
  });

  it('rejects a value longer than the limit without keeping its text, and reads on', async () => {
    const long = `{"sessionId":"${'x'.repeat(200)}"}`;
    const items = await collect(
      readCdrChunks(splitEvery(encode(`[${long},\n{"sessionId":"b"}]`), 16), 'json', 'x', {
        maxRecordChars: 100,
      }),
    );
    expect(summary(items)).toEqual(['INVALID_JSON@1', 'fee@2:b']);
    expect(items[0]).toMatchObject({
      issue: { reason: 'the value is longer than 100 characters' },
    });
  });
});

describe('NdjsonReader', () => {
  it('reads CR-only line ends (old Mac tools) like LF and CRLF, split anywhere', async () => {
    const lines = ['{"sessionId":"a"}', '{"sessionId":"b"}', '{"sessionId":"c"}'];
    const expected = ['fee@1:a', 'fee@2:b', 'fee@3:c'];
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.constantFrom('\n', '\r\n', '\r'), { minLength: 3, maxLength: 3 }),
        fc.nat(),
        async (ends, at) => {
          const text = lines.map((line, i) => `${line}${ends[i] ?? '\n'}`).join('');
          const bytes = encode(text);
          const cut = at % (bytes.length + 1);
          const items = await collect(
            readCdrChunks([bytes.subarray(0, cut), bytes.subarray(cut)], 'ndjson', 'x', {}),
          );
          expect(summary(items)).toEqual(expected);
        },
      ),
    );
    expect(summary(await readText(lines.join('\r'), 'ndjson'))).toEqual(expected);
  });

  it('skips blank lines and lines of spaces, counting them as lines', async () => {
    expect(summary(await readText('\n  \r\n{"sessionId":"a"}\r\n\n', 'ndjson'))).toEqual([
      'fee@3:a',
    ]);
  });

  it('rejects a line longer than the limit and reads the next line', async () => {
    const items = await collect(
      readCdrChunks(
        splitEvery(encode(`{"sessionId":"${'x'.repeat(300)}"}\n{"sessionId":"b"}\n`), 7),
        'ndjson',
        'x',
        { maxRecordChars: 100 },
      ),
    );
    expect(summary(items)).toEqual(['INVALID_JSON@1', 'fee@2:b']);
  });
});

describe('chunk boundaries', () => {
  const cases: [string, CdrFormat][] = [
    ['fee-push.json', 'json'],
    ['pushes-array.json', 'json'],
    ['pushes.ndjson', 'ndjson'],
    ['cdrs.csv', 'csv'],
    ['cdrs-mapped.csv', 'csv'],
  ];
  for (const [name, format] of cases) {
    it(`reads ${name} the same in chunks of every size from 1 byte up`, async () => {
      const bytes = await readFile(ioFixture(name));
      const whole = await collect(readCdrChunks([bytes], format, name));
      expect(whole.length).toBeGreaterThan(0);
      for (let size = 1; size <= bytes.length; size++) {
        const items = await collect(readCdrChunks(splitEvery(bytes, size), format, name));
        if (JSON.stringify(items) !== JSON.stringify(whole)) {
          expect(items, `chunks of ${size} bytes`).toEqual(whole);
        }
      }
    });
  }

  it('reads a JSON file with a BOM and a character split between chunks', async () => {
    const text = '\uFEFF[{"sessionId":"呼叫-𠀀"},\r\n{"sessionId":"é"}]';
    const bytes = encode(text);
    for (let size = 1; size <= 8; size++) {
      const items = await collect(readCdrChunks(splitEvery(bytes, size), 'json', 'x'));
      expect(summary(items)).toEqual(['fee@1:呼叫-𠀀', 'fee@2:é']);
    }
  });

  it('reads a GB18030 NDJSON file with characters split between chunks', async () => {
    // 呼 = BA F4, 𠀀 = 95 32 82 36 in GB18030.
    const bytes = Uint8Array.from([
      ...encode('{"sessionId":"'),
      0xba,
      0xf4,
      0x95,
      0x32,
      0x82,
      0x36,
      ...encode('"}\n'),
    ]);
    for (let size = 1; size <= bytes.length; size++) {
      const items = await collect(
        readCdrChunks(splitEvery(bytes, size), 'ndjson', 'x', { encoding: 'gb18030' }),
      );
      expect(summary(items)).toEqual(['fee@1:呼𠀀']);
    }
  });

  it('properties: any split of any fixture yields the items of the whole file', async () => {
    const files = await Promise.all(
      cases.map(async ([name, format]) => ({
        name,
        format,
        bytes: await readFile(ioFixture(name)),
      })),
    );
    const wholes = await Promise.all(
      files.map((f) => collect(readCdrChunks([f.bytes], f.format, f.name))),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: files.length - 1 }),
        fc.array(fc.nat({ max: 4000 }), { maxLength: 30 }),
        async (n, cuts) => {
          const file = files[n]!;
          const items = await collect(
            readCdrChunks(splitAt(file.bytes, cuts), file.format, file.name),
          );
          expect(items).toEqual(wholes[n]);
        },
      ),
    );
  });
});

describe('keys given twice', () => {
  it('a push with two feeLst is one rejected record naming the key, in NDJSON and JSON alike', async () => {
    const line = '{"eventType":"fee","feeLst":[{"sessionId":"a"}],"feeLst":[{"sessionId":"b"}]}\n';
    for (const format of ['ndjson', 'json'] as const) {
      const items = await readText(line, format);
      expect(summary(items)).toEqual(['INVALID_JSON@1']);
      expect(items[0]?.type === 'rejected' && items[0].issue.reason).toBe(
        'the key "feeLst" is given twice in a push body (which one holds?)',
      );
    }
  });

  it('a FeeInfo with two fwdAnswerTime is refused, even when one is spelt with an escape', async () => {
    const twice = '{"feeLst":[{"sessionId":"a","fwdAnswerTime":"x","fwdAnswerTime":"y"}]}\n';
    const escaped =
      '{"feeLst":[{"sessionId":"a","fwdAnswerTime":"x","fwd\\u0041nswerTime":"y"}]}\n';
    const ok = '{"feeLst":[{"sessionId":"a","fwdAnswerTime":"x"}]}\n';
    const items = await readText(twice + escaped + ok, 'ndjson');
    expect(summary(items)).toEqual(['INVALID_JSON@1', 'INVALID_JSON@2', 'fee@3:a']);
    for (const item of items.slice(0, 2)) {
      expect(item.type === 'rejected' && item.issue.reason).toBe(
        'the key "fwdAnswerTime" is given twice in a FeeInfo (which one holds?)',
      );
    }
  });

  it('keys repeated inside a field callrecon drops are not checked', async () => {
    const line = '{"feeLst":[{"sessionId":"a","extra":{"k":1,"k":2}}]}\n';
    expect(summary(await readText(line, 'ndjson'))).toEqual(['fee@1:a']);
  });
});
