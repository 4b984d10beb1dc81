import { createHash } from 'node:crypto';
import { mkdtemp, mkdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fc } from '../../test/helpers/fast-check.js';
import { collect, ioFixture, splitAt } from '../../test/helpers/io.js';
import type { CdrItem, FeeRecord } from '../core/records.js';
import { FEE_FIELDS } from '../core/records.js';
import type { InputFileInfo } from './index.js';
import { InputError, readCdrBatches, readCdrs } from './index.js';
import { readCdrChunks } from './read-cdrs.js';

const SESSION_1 = '1200_1029_4294967295_20261015091514@callenabler246.huaweicaas.com';
const SESSION_2 = '1201_1029_4294967295_20261015101002@callenabler246.huaweicaas.com';

/** The sample push's two FeeInfo as fee records (SPEC §1: fields as text). */
const SAMPLE_RECORDS: readonly FeeRecord[] = [
  {
    sessionId: SESSION_1,
    icid: '7c1e0a52d4b94f0e9a3b6f1d2c8e4a10.1000000001.200000001.1',
    callerNum: '+8613800000021',
    calleeNum: '+8613800000022',
    bindNum: '+8613800000022',
    fwdDstNum: '+8613866887021',
    fwdDisplayNum: '+8613800000022',
    callInTime: '2026-10-15 09:15:14',
    fwdStartTime: '2026-10-15 09:15:15',
    fwdAlertingTime: '2026-10-15 09:15:21',
    fwdAnswerTime: '2026-10-15 09:15:36',
    callEndTime: '2026-10-15 09:16:41',
    direction: '1',
    serviceType: '004',
    subscriptionId: '5b7e2f3a-1c4d-4e8f-9a0b-2c3d4e5f6a7b',
    appKey: 'DEMOAPPKEY0000000000000000001',
    spId: 'demo_sp',
  },
  {
    sessionId: SESSION_2,
    icid: '7c1e0a52d4b94f0e9a3b6f1d2c8e4a10.1000000002.200000002.1',
    callerNum: '+8613866887021',
    calleeNum: '+8613800000022',
    bindNum: '+8613800000022',
    fwdDstNum: '+8613800000021',
    fwdDisplayNum: '+8613800000022',
    callInTime: '2026-10-15 10:10:02',
    fwdStartTime: '2026-10-15 10:10:03',
    fwdAlertingTime: '2026-10-15 10:10:09',
    callEndTime: '2026-10-15 10:10:40',
    direction: '0',
    serviceType: '004',
    subscriptionId: '5b7e2f3a-1c4d-4e8f-9a0b-2c3d4e5f6a7b',
    appKey: 'DEMOAPPKEY0000000000000000001',
    spId: 'demo_sp',
  },
];

const read = (paths: string[], options = {}): Promise<CdrItem[]> =>
  collect(readCdrBatches(paths, options));

/** Items without their source, to compare what different files hold. */
function withoutSource(items: readonly CdrItem[]): unknown[] {
  return items.map((item) =>
    item.type === 'rejected'
      ? { type: item.type, code: item.issue.code, line: item.issue.line }
      : { ...item, source: '' },
  );
}

const records = (items: readonly CdrItem[]): FeeRecord[] =>
  items.flatMap((item) => (item.type === 'fee' ? [item.record] : []));

/** Reads JSON text given inline, as one chunk. */
const readJsonText = (text: string, format: 'json' | 'ndjson' = 'json'): Promise<CdrItem[]> =>
  collect(readCdrChunks([new TextEncoder().encode(text)], format, 'inline.json'));

let tmp: string;
beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'callrecon-read-cdrs-'));
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

describe('readCdrBatches', () => {
  it('reads the sample push: each FeeInfo a fee record as text, on the line it starts', async () => {
    const path = ioFixture('fee-push.json');
    expect(await read([path])).toEqual([
      { type: 'fee', record: SAMPLE_RECORDS[0], source: path, line: 2 },
      { type: 'fee', record: SAMPLE_RECORDS[1], source: path, line: 15 },
    ]);
  });

  it('reads the same records from a push, an NDJSON line, a FeeInfo array, one FeeInfo and a CSV', async () => {
    for (const name of ['fee-push.ndjson', 'feeinfo-array.json', 'cdrs.csv']) {
      expect(records(await read([ioFixture(name)])), name).toEqual(SAMPLE_RECORDS);
    }
    expect(records(await read([ioFixture('feeinfo-single.json')]))).toEqual([SAMPLE_RECORDS[0]]);
  });

  it('skips non-fee events once each, reads SMS notifications, and rejects a broken line, reading on to the end', async () => {
    const path = ioFixture('pushes.ndjson');
    const items = await read([path]);
    expect(items.map((item) => (item.type === 'rejected' ? item.issue.code : item.type))).toEqual([
      'fee',
      'fee',
      'skipped',
      'fee',
      'INVALID_JSON',
      'sms',
      'fee',
    ]);
    expect(items.map((item) => (item.type === 'rejected' ? item.issue.line : item.line))).toEqual([
      1, 1, 3, 4, 5, 7, 8,
    ]);
    expect(items[4]).toMatchObject({
      type: 'rejected',
      issue: { code: 'INVALID_JSON', source: path, line: 5 },
    });
    expect(records(items).map((r) => r.sessionId)).toEqual([
      SESSION_1,
      SESSION_2,
      'bare-1',
      'late-1',
    ]);
  });

  it('reads an array of push bodies and events, each FeeInfo on its own line', async () => {
    const items = await read([ioFixture('pushes-array.json')]);
    expect(items.map((item) => (item.type === 'rejected' ? 'rejected' : item.type))).toEqual([
      'fee',
      'fee',
      'skipped',
      'fee',
      'sms',
      'fee',
    ]);
    expect(items.map((item) => (item.type === 'rejected' ? 0 : item.line))).toEqual([
      5, 32, 59, 69, 83, 93,
    ]);
  });

  it('reads .jsonl as NDJSON, the last line without a line break', async () => {
    const items = await read([ioFixture('pushes.jsonl')]);
    expect(records(items).map((r) => r.sessionId)).toEqual(['bare-1', 'late-1']);
    expect(records(items)[1]).toEqual({
      sessionId: 'late-1',
      icid: 'late-icid-1',
      callerNum: '+8613800000041',
      bindNum: '+8613800000042',
      fwdDstNum: '+8613866880041',
      callEndTime: '2026-10-17 12:00:09',
      direction: '0',
      serviceType: '004',
    });
  });

  it('reads the same items from plain, gzip and folder inputs', async () => {
    for (const name of ['fee-push.json', 'pushes.ndjson', 'cdrs.csv']) {
      const plain = await read([ioFixture(name)]);
      expect(withoutSource(await read([ioFixture(`${name}.gz`)])), name).toEqual(
        withoutSource(plain),
      );
    }
    const folder = await read([ioFixture('folder')]);
    const files = await read([
      ioFixture('folder/a/cdrs.csv'),
      ioFixture('folder/a/pushes.ndjson.gz'),
      ioFixture('folder/b-nested/c/fee-push.json'),
    ]);
    expect(folder).toEqual(files);
    expect(
      new Set(folder.map((item) => (item.type === 'rejected' ? item.issue.source : item.source))),
    ).toEqual(
      new Set([
        ioFixture('folder/a/cdrs.csv'),
        ioFixture('folder/a/pushes.ndjson.gz'),
        ioFixture('folder/b-nested/c/fee-push.json'),
      ]),
    );
  });

  it('reads a folder in byte order of its paths, below it recursively, ignoring other files', async () => {
    const dir = join(tmp, 'order');
    await mkdir(join(dir, 'sub'), { recursive: true });
    for (const name of [
      'b.json',
      'B.json',
      'a.JSON',
      'é.json',
      'sub/x.ndjson',
      'Z.csv.gz',
      'notes.txt',
    ]) {
      await writeFile(join(dir, name), '');
    }
    await symlink(dir, join(dir, 'sub', 'loop'));
    const seen: string[] = [];
    await read([`${dir}/`], { onFile: (info: InputFileInfo) => seen.push(info.path) });
    expect(seen).toEqual(
      ['B.json', 'Z.csv.gz', 'a.JSON', 'b.json', 'sub/x.ndjson', 'é.json'].map(
        (n) => `${dir}/${n}`,
      ),
    );
  });

  it('keeps the records before a gzip cut, then rejects the cut once as TRUNCATED_INPUT', async () => {
    const path = ioFixture('many-truncated.ndjson.gz');
    const infos: InputFileInfo[] = [];
    const items = await read([path], { onFile: (info: InputFileInfo) => infos.push(info) });
    const full = await read([ioFixture('many.ndjson')]);
    const last = items.at(-1);
    expect(last).toMatchObject({
      type: 'rejected',
      issue: { code: 'TRUNCATED_INPUT', source: path, line: items.length },
    });
    expect(withoutSource(items.slice(0, -1))).toEqual(
      withoutSource(full.slice(0, items.length - 1)),
    );
    expect(items.length).toBeGreaterThan(10);
    expect(items.length).toBeLessThan(full.length);
    expect(infos).toEqual([
      {
        role: 'cdrs',
        path,
        sha256: createHash('sha256')
          .update(await readFile(path))
          .digest('hex'),
        records: items.length,
      },
    ]);
  });

  it('reports each file once read, with the SHA-256 of its bytes on disk and its records', async () => {
    const infos: InputFileInfo[] = [];
    const paths = [ioFixture('pushes.ndjson'), ioFixture('pushes.ndjson.gz')];
    await read(paths, { onFile: (info: InputFileInfo) => infos.push(info) });
    const sha = async (path: string): Promise<string> =>
      createHash('sha256')
        .update(await readFile(path))
        .digest('hex');
    // 4 fee records and 1 rejected line; the skipped event and the SMS are not records.
    expect(infos).toEqual([
      { role: 'cdrs', path: paths[0], sha256: await sha(paths[0]!), records: 5 },
      { role: 'cdrs', path: paths[1], sha256: await sha(paths[1]!), records: 5 },
    ]);
  });

  it('finds no records in an empty file of any format, nor in a header-only CSV', async () => {
    const header = join(tmp, 'header-only.csv');
    await writeFile(header, 'sessionId,callEndTime\r\n');
    const infos: InputFileInfo[] = [];
    const items = await read(
      [ioFixture('empty.json'), ioFixture('empty.ndjson'), ioFixture('empty.csv'), header],
      { onFile: (info: InputFileInfo) => infos.push(info) },
    );
    expect(items).toEqual([]);
    expect(infos.map((info) => info.records)).toEqual([0, 0, 0, 0]);
  });

  it('reads a 2 MB single line and a 2 MB single JSON value', async () => {
    const infos = Array.from({ length: 3600 }, (_, i) => ({
      ...SAMPLE_RECORDS[0],
      sessionId: `s-${i}`,
    }));
    const ndjson = join(tmp, 'big.ndjson');
    await writeFile(ndjson, JSON.stringify({ eventType: 'fee', feeLst: infos }));
    const json = join(tmp, 'big.json');
    await writeFile(json, JSON.stringify({ ...SAMPLE_RECORDS[0], spId: 'x'.repeat(2_100_000) }));
    expect((await readFile(ndjson)).length).toBeGreaterThan(2_000_000);
    const items = await read([ndjson, json]);
    expect(items).toHaveLength(3601);
    expect(items.every((item) => item.type === 'fee')).toBe(true);
    expect(items.at(-1)).toMatchObject({ record: { spId: 'x'.repeat(2_100_000) }, line: 1 });
  });

  it('reads a CSV in another layout through a column map', async () => {
    const columns = JSON.parse(
      await readFile(ioFixture('cdrs-mapped.columns.json'), 'utf8'),
    ) as Record<string, string>;
    const items = await read([ioFixture('cdrs-mapped.csv')], { columns });
    expect(records(items)).toEqual(
      SAMPLE_RECORDS.map((r) => ({
        sessionId: r.sessionId,
        callerNum: r.callerNum,
        bindNum: r.bindNum,
        fwdDstNum: r.fwdDstNum,
        ...(r.fwdAnswerTime === undefined ? {} : { fwdAnswerTime: r.fwdAnswerTime }),
        callEndTime: r.callEndTime,
        direction: r.direction,
        callInTime: r.callInTime,
      })),
    );
  });

  it('skips CSV rows whose eventType is set and not fee', async () => {
    const path = join(tmp, 'events.csv');
    await writeFile(path, 'EventType,sessionId,callEndTime\nfee,a,t\n,b,t\ncallout,c,t\n');
    const items = await read([path]);
    expect(items.map((item) => item.type)).toEqual(['fee', 'fee', 'skipped']);
  });

  it('rejects a CSV row with the wrong number of cells and reads on', async () => {
    const path = join(tmp, 'ragged.csv');
    await writeFile(path, 'sessionId,callEndTime\na,t\nb\n,\nc,t,extra\nd,t\n');
    const items = await read([path]);
    expect(items.map((item) => (item.type === 'rejected' ? item.issue : item.line))).toEqual([
      2,
      {
        code: 'MALFORMED_ROW',
        source: path,
        line: 3,
        reason: 'the row has 1 cells, the header has 2',
      },
      {
        code: 'MALFORMED_ROW',
        source: path,
        line: 5,
        reason: 'the row has 3 cells, the header has 2',
      },
      6,
    ]);
  });

  it('rejects a record whose carried values hold bytes invalid in UTF-8, and keeps one whose other fields do', async () => {
    const path = ioFixture('invalid-utf8.ndjson');
    const items = await read([path]);
    expect(items).toEqual([
      {
        type: 'rejected',
        issue: {
          code: 'INVALID_ENCODING',
          source: path,
          line: 1,
          reason:
            'callerNum holds bytes that are not valid utf-8; a GB18030/GBK file needs --encoding gb18030',
        },
      },
      {
        type: 'fee',
        record: { sessionId: 'enc-2', callEndTime: '2026-10-15 09:16:41' },
        source: path,
        line: 2,
      },
    ]);
  });

  it('stops when the signal is aborted', async () => {
    const controller = new AbortController();
    controller.abort(new Error('stop'));
    await expect(read([ioFixture('fee-push.json')], { signal: controller.signal })).rejects.toThrow(
      'stop',
    );
  });

  it('flattens batches into items with readCdrs', async () => {
    const items: CdrItem[] = [];
    for await (const item of readCdrs([ioFixture('fee-push.json')])) items.push(item);
    expect(records(items)).toEqual(SAMPLE_RECORDS);
  });
});

describe('readCdrBatches: JSON values', () => {
  it('turns numbers and booleans into text and leaves null and empty strings out', async () => {
    const items = await readJsonText(
      '{"sessionId":12,"direction":0,"serviceType":1.5,"mode":true,"icid":null,"bindNum":"","hostName":{"x":1}}',
    );
    expect(records(items)).toEqual([
      { sessionId: '12', direction: '0', serviceType: '1.5', mode: 'true' },
    ]);
  });

  it('rejects a FeeInfo whose field holds an object or an array, naming the field', async () => {
    const items = await readJsonText(
      '{"sessionId":"a","fwdAnswerTime":{"t":"2026-10-15 09:15:36"}}\n{"sessionId":"b","callerNum":["+86"]}\n',
      'ndjson',
    );
    expect(items.map((item) => item.type === 'rejected' && item.issue)).toEqual([
      {
        code: 'INVALID_JSON',
        source: 'inline.json',
        line: 1,
        reason: 'fwdAnswerTime holds an object, not text',
      },
      {
        code: 'INVALID_JSON',
        source: 'inline.json',
        line: 2,
        reason: 'callerNum holds an array, not text',
      },
    ]);
  });

  it('rejects an integer too large for JSON.parse to keep exactly', async () => {
    const items = await readJsonText('{"sessionId":123456789012345678901}', 'ndjson');
    expect(items).toEqual([
      {
        type: 'rejected',
        issue: {
          code: 'INVALID_JSON',
          source: 'inline.json',
          line: 1,
          reason:
            'sessionId is the number 123456789012345680000, too large to keep exactly; write it as a string',
        },
      },
    ]);
  });

  it('carries exactly the FeeInfo fields', async () => {
    const info = Object.fromEntries(
      [...FEE_FIELDS, 'hostName', 'eventTime'].map((f) => [f, `v-${f}`]),
    );
    const items = await readJsonText(JSON.stringify(info));
    expect(records(items)).toEqual([Object.fromEntries(FEE_FIELDS.map((f) => [f, `v-${f}`]))]);
  });

  it('reads a push whose feeLst is not an array as one rejected record, and one with a non-object element', async () => {
    const items = await readJsonText(
      '{"eventType":"fee","feeLst":{}}\n{"eventType":"fee","feeLst":[{"sessionId":"a"},7]}\n',
      'ndjson',
    );
    expect(items.map((item) => (item.type === 'rejected' ? item.issue.reason : item.type))).toEqual(
      ['feeLst is an object, not an array', 'fee', 'feeLst[1] is a number, not a FeeInfo object'],
    );
  });

  it('reads a fee event without feeLst as one FeeInfo, and a feeLst without eventType as a push', async () => {
    const items = await readJsonText(
      '{"eventType":"fee","sessionId":"a"}\n{"feeLst":[{"sessionId":"b"}]}\n{"eventType":null,"sessionId":"c"}\n',
      'ndjson',
    );
    expect(records(items)).toEqual([{ sessionId: 'a' }, { sessionId: 'b' }, { sessionId: 'c' }]);
  });

  it('reads a JSON line holding an array of push bodies', async () => {
    const items = await readJsonText(
      '[{"eventType":"fee","feeLst":[{"sessionId":"a"}]},{"eventType":"sms"},{"sessionId":"b"}]\n',
      'ndjson',
    );
    expect(items.map((item) => item.type)).toEqual(['fee', 'skipped', 'fee']);
  });

  it('rejects a line or value that is not an object: a number, a string, an array in an array', async () => {
    const ndjson = await readJsonText('42\n"x"\n[[{}]]\nnot json\n', 'ndjson');
    expect(ndjson.map((item) => item.type === 'rejected' && item.issue.line)).toEqual([1, 2, 3, 4]);
    const json = await readJsonText('[1, "x", [{}], null, {"sessionId":"a"}]');
    expect(json.map((item) => (item.type === 'rejected' ? item.issue.code : item.type))).toEqual([
      'INVALID_JSON',
      'INVALID_JSON',
      'INVALID_JSON',
      'INVALID_JSON',
      'fee',
    ]);
  });
});

describe('readCdrBatches: errors', () => {
  it('throws InputError for a missing file, naming it', async () => {
    await expect(read([join(tmp, 'missing.ndjson')])).rejects.toThrow(
      new InputError(`${join(tmp, 'missing.ndjson')}: no such file or folder`),
    );
  });

  it('throws InputError for a file given by name with an unknown extension', async () => {
    const path = join(tmp, 'cdrs.txt');
    await writeFile(path, '{}');
    await expect(read([path])).rejects.toThrow(
      `${path}: not a CDR file type; expected .json, .ndjson, .jsonl, .csv, optionally followed by .gz`,
    );
  });

  it('checks every path before reading any file', async () => {
    const seen: InputFileInfo[] = [];
    await expect(
      read([ioFixture('fee-push.json'), join(tmp, 'nope.json')], {
        onFile: (info: InputFileInfo) => seen.push(info),
      }),
    ).rejects.toBeInstanceOf(InputError);
    expect(seen).toEqual([]);
  });

  it('throws InputError for a file that is not text, or a .gz file that is not gzip', async () => {
    const binary = join(tmp, 'binary.ndjson');
    await writeFile(binary, Buffer.from([0x7b, 0x7d, 0x0a, 0x00, 0x01, 0x02]));
    await expect(read([binary])).rejects.toThrow(
      `${binary}: not a text file (it holds NUL bytes; a binary or UTF-16 file?)`,
    );
    const notGzip = join(tmp, 'plain.ndjson.gz');
    await writeFile(notGzip, '{}\n');
    await expect(read([notGzip])).rejects.toThrow(`${notGzip}: not gzip data`);
  });

  it('throws InputError for a CSV whose header names no FeeInfo field', async () => {
    const path = join(tmp, 'no-fields.csv');
    await writeFile(path, 'a,b\n1,2\n');
    await expect(read([path])).rejects.toThrow(
      `${path}: no FeeInfo column in the header (such as sessionId, callEndTime); headers found: "a", "b"`,
    );
  });

  it('throws InputError for a column map with an unknown field or a header the file lacks', async () => {
    await expect(read([ioFixture('cdrs.csv')], { columns: { caller: 'A' } })).rejects.toThrow(
      /^CDR column map: "caller" is not a column it can map; use sessionId, icid, /,
    );
    await expect(
      read([ioFixture('cdrs.csv')], { columns: { callerNum: 'A Number' } }),
    ).rejects.toThrow(
      `${ioFixture('cdrs.csv')}: the column map names header "A Number" for callerNum, but the file has no such header; headers found: "SessionId", "ICID",`,
    );
  });

  it('throws InputError for an unknown encoding', async () => {
    await expect(
      read([ioFixture('fee-push.json')], { encoding: 'latin1' as 'utf-8' }),
    ).rejects.toThrow('unknown encoding "latin1"; use utf-8, gb18030, gbk');
  });
});

/** One entry of a generated NDJSON file, and what reading it must count. */
type Entry =
  | { readonly kind: 'push'; readonly infos: number }
  | { readonly kind: 'bare' }
  | { readonly kind: 'event' }
  | { readonly kind: 'corrupt'; readonly cut: number }
  | { readonly kind: 'blank' };

const entryArbitrary: fc.Arbitrary<Entry> = fc.oneof(
  fc.record({ kind: fc.constant('push' as const), infos: fc.integer({ min: 0, max: 4 }) }),
  fc.constant({ kind: 'bare' as const }),
  fc.constant({ kind: 'event' as const }),
  fc.record({ kind: fc.constant('corrupt' as const), cut: fc.integer({ min: 1, max: 400 }) }),
  fc.constant({ kind: 'blank' as const }),
);

function entryJson(entry: Entry, n: number): string {
  const info = (k: number): object => ({
    ...SAMPLE_RECORDS[k % 2],
    sessionId: `s-${n}-${k}`,
    recordFlag: 0,
  });
  switch (entry.kind) {
    case 'push':
      return JSON.stringify({
        eventType: 'fee',
        feeLst: Array.from({ length: entry.infos }, (_, k) => info(k)),
      });
    case 'bare':
      return JSON.stringify(info(0));
    case 'event':
      return JSON.stringify({ eventType: 'callout', statusInfo: { sessionId: `s-${n}` } });
    case 'corrupt': {
      const whole = JSON.stringify({ eventType: 'fee', feeLst: [info(0)] });
      return whole.slice(0, Math.min(entry.cut, whole.length - 1));
    }
    case 'blank':
      return ' ';
  }
}

function expectedCounts(entries: readonly Entry[]): {
  fee: number;
  skipped: number;
  rejected: number;
} {
  let fee = 0;
  let skipped = 0;
  let rejected = 0;
  for (const entry of entries) {
    if (entry.kind === 'push') fee += entry.infos;
    else if (entry.kind === 'bare') fee++;
    else if (entry.kind === 'event') skipped++;
    else if (entry.kind === 'corrupt') rejected++;
  }
  return { fee, skipped, rejected };
}

function count(items: readonly CdrItem[]): { fee: number; skipped: number; rejected: number } {
  return {
    fee: items.filter((item) => item.type === 'fee').length,
    skipped: items.filter((item) => item.type === 'skipped').length,
    rejected: items.filter((item) => item.type === 'rejected').length,
  };
}

describe('properties', () => {
  it('conserves counts: records read = fee items + rejected, skipped events apart, however the file is split', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(entryArbitrary, { maxLength: 25 }),
        fc.constantFrom('\n', '\r\n'),
        fc.array(fc.nat(), { maxLength: 10 }),
        async (entries, eol, cuts) => {
          const text = entries.map((entry, n) => entryJson(entry, n)).join(eol);
          const bytes = new TextEncoder().encode(text);
          const items = await collect(readCdrChunks(splitAt(bytes, cuts), 'ndjson', 'gen.ndjson'));
          expect(count(items)).toEqual(expectedCounts(entries));
        },
      ),
    );
  });

  it('conserves counts in a .json array of push bodies with corrupted elements', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          entryArbitrary.filter((entry) => entry.kind !== 'blank'),
          { maxLength: 15 },
        ),
        fc.array(fc.nat(), { maxLength: 10 }),
        async (entries, cuts) => {
          // A corrupt element here is a complete value that is not valid JSON inside.
          const elements = entries.map((entry, n) =>
            entry.kind === 'corrupt'
              ? `{"eventType":"fee","feeLst":[{"sessionId":}]}`
              : entryJson(entry, n),
          );
          const bytes = new TextEncoder().encode(`[\n${elements.join(',\n')}\n]\n`);
          const items = await collect(readCdrChunks(splitAt(bytes, cuts), 'json', 'gen.json'));
          expect(count(items)).toEqual(expectedCounts(entries));
        },
      ),
    );
  });

  it('a gzip file cut anywhere yields a prefix of the whole file and one TRUNCATED_INPUT', async () => {
    const whole = await readFile(ioFixture('pushes.ndjson'));
    const gz = gzipSync(whole);
    const full = await read([ioFixture('pushes.ndjson')]);
    const path = join(tmp, 'cut.ndjson.gz');
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: gz.length - 1 }), async (cut) => {
        await writeFile(path, gz.subarray(0, cut));
        const items = await read([path]);
        const last = items.at(-1);
        expect(last?.type === 'rejected' && last.issue.code).toBe('TRUNCATED_INPUT');
        expect(withoutSource(items.slice(0, -1))).toEqual(
          withoutSource(full.slice(0, items.length - 1)),
        );
      }),
      { numRuns: 40 },
    );
  });
});
