import { existsSync, readdirSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fc } from '../../../test/helpers/fast-check.js';
import { parseMinutes } from '../../core/money/index.js';
import type { BilledItem, RatedCall } from '../../core/reconcile/index.js';
import { LineWriter } from '../report/line-writer.js';
import { dropMemoryFiles, MemoryWriter, type SpillSink } from './store.js';
import {
  aliasHash,
  billRowBytes,
  collectRecords,
  forEachRecord,
  idHash,
  partitionOf,
  readAlias,
  readBillRow,
  readBillRowSeq,
  readCall,
  readRatedSpan,
  readRecords,
  RecordCursor,
  RecordsAt,
  writeAlias,
  writeBillRow,
  writeCall,
  writeKeyedBytes,
} from './spill.js';

const sources = ['cdrs/a.ndjson', 'bill.csv'];
const shortText = fc.string({
  // Lone surrogates and a pair too: UTF-8 cannot hold a lone one.
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
/**
 * Texts about as long as a u16 header holds (5,000 code units), and longer: ASCII, Latin,
 * lone surrogates and pairs cut anywhere.
 */
const longText = fc
  .tuple(
    fc.constantFrom(4_999, 5_000, 5_001, 8_192, 16_383, 20_000),
    fc.constantFrom('a', 'é', '\ud800', '😀'),
  )
  .map(([units, unit]) => unit.repeat(units).slice(0, units));
const text = fc.oneof({ arbitrary: shortText, weight: 30 }, { arbitrary: longText, weight: 1 });
const optional = fc.option(text, { nil: undefined });

let dir: string;
let files = 0;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'callrecon-spill-test-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Writes records to a new spill file and reads them back through `read`. */
async function roundTrip<T, R>(
  values: readonly T[],
  write: (out: LineWriter, value: T) => void,
  read: (buf: Buffer, at: number, length: number) => R,
): Promise<R[]> {
  const path = join(dir, `records-${files++}.bin`);
  const out = new LineWriter(path);
  for (const value of values) write(out, value);
  await out.close();
  return readRecords([path], read);
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

describe('spill records', () => {
  it('a partition is stable and in range', () => {
    expect(
      partitionOf('1200_1029_4294967295_20261015091514@callenabler246.huaweicaas.com', 7),
    ).toBe(partitionOf('1200_1029_4294967295_20261015091514@callenabler246.huaweicaas.com', 7));
    expect(partitionOf('anything', 1)).toBe(0);
  });

  it('spreads ids that differ in one character over the partitions', () => {
    const counts = new Array<number>(16).fill(0);
    for (let i = 0; i < 16_000; i++) {
      const id = `1200_1029_4294967295_2026101509${String(i).padStart(5, '0')}@callenabler246.huaweicaas.com`;
      counts[partitionOf(id, 16)]! += 1;
    }
    for (const count of counts) expect(count).toBeGreaterThan(800);
  });

  it('a missing spill file has no records', async () => {
    expect(await readRecords([join(dir, 'none.bin')], () => 1)).toEqual([]);
  });

  it('reads a file that ends inside a record as an error, not as fewer records', async () => {
    const path = join(dir, 'cut.bin');
    await writeFile(path, Buffer.from([10, 0, 0, 0, 1, 2, 3]));
    await expect(readRecords([path], () => 1)).rejects.toThrow(/ends inside a record/);
  });

  it('reads records cut at any chunk boundary, and records larger than a chunk', async () => {
    const path = join(dir, 'chunks.bin');
    const out = new LineWriter(path);
    const lines = Array.from({ length: 300 }, (_, i) => 'x'.repeat((i * 37) % 200) + String(i));
    for (const [i, line] of lines.entries()) {
      writeKeyedBytes(out, i, line.length, (buf, at) => at + buf.write(line, at, 'latin1'));
    }
    await out.close();
    for (const chunk of [5, 13, 64, 1000]) {
      const cursor = new RecordCursor(path, chunk);
      const read: string[] = [];
      while (await cursor.next()) {
        read.push(cursor.buf.toString('latin1', cursor.at + 8, cursor.at + cursor.length));
      }
      expect(read).toEqual(lines);
    }
  });

  describe('properties', () => {
    it('calls read back as written, whatever their text holds (lone surrogates, line breaks), with their file and rated span', async () => {
      const spanArb = fc.record({ offset: fc.maxSafeNat(), bytes: fc.nat(0xffffffff) });
      const sourceArb = fc.nat(sources.length - 1);
      await fc.assert(
        fc.asyncProperty(
          fc.array(fc.tuple(callArb, sourceArb, spanArb), { maxLength: 20 }),
          async (entries) => {
            const read = await roundTrip(
              entries,
              (out, [call, source, span]) => writeCall(out, call, source, span.offset, span.bytes),
              (buf, at) => [readCall(buf, at, sources), readRatedSpan(buf, at)] as const,
            );
            expect(read).toEqual(
              entries.map(([call, source, span]) => [{ ...call, source: sources[source] }, span]),
            );
          },
        ),
        { numRuns: 50 },
      );
    });

    it('bill rows read back as written, from a file or as bytes sent elsewhere', async () => {
      await fc.assert(
        fc.asyncProperty(fc.array(billArb, { maxLength: 20 }), async (rows) => {
          const read = await roundTrip(
            rows,
            (out, row) => writeBillRow(out, row, 1),
            (buf, at) => {
              const row = readBillRow(buf, at, sources);
              expect(readBillRowSeq(buf, at)).toBe(row.seq);
              return row;
            },
          );
          expect(read).toEqual(rows);
          for (const row of rows) {
            const bytes = billRowBytes(row, 1);
            const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
            expect(readBillRow(buf, 0, sources)).toEqual(row);
          }
        }),
        { numRuns: 50 },
      );
    });

    it('aliases read back as written: where the call is, and the hash of its icid', async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.array(
            fc.record({
              icid: text,
              partition: fc.nat(1000),
              seq: fc.nat(),
              file: fc.nat(64),
              position: fc.maxSafeNat(),
            }),
            { maxLength: 20 },
          ),
          async (aliases) => {
            const read = await roundTrip(
              aliases,
              (out, { icid, ...alias }) => writeAlias(out, idHash(icid), alias),
              (buf, at) => [readAlias(buf, at), aliasHash(buf, at)] as const,
            );
            expect(read.map(([alias]) => alias)).toEqual(aliases.map(({ icid: _, ...a }) => a));
            // The hash a reader skips aliases on is the icid's, the one its partition is of.
            expect(read.map(([, hash]) => hash)).toEqual(aliases.map((a) => idHash(a.icid)));
            for (const { icid } of aliases) expect(partitionOf(icid, 7)).toBe(idHash(icid) % 7);
          },
        ),
        { numRuns: 50 },
      );
    });
  });
});

describe('records found again by their position', () => {
  /**
   * Records of many sizes: one larger than what RecordsAt reads at first (4 KiB) and than a
   * memory chunk (1 MiB), which then holds it alone between two others.
   */
  const lines = Array.from({ length: 400 }, (_, i) => 'z'.repeat((i * 53) % 300) + String(i));
  lines[17] = 'w'.repeat(1_500_000);
  const writeLines = async (out: SpillSink): Promise<void> => {
    for (const [i, line] of lines.entries()) {
      writeKeyedBytes(out, i, line.length, (buf, at) => at + buf.write(line, at, 'latin1'));
    }
    await out.close();
  };
  const textAt = (buf: Buffer, at: number, length: number): string =>
    buf.toString('latin1', at + 8, at + length);

  it('on disk, read in chunks of any size, and in memory, across its chunks', async () => {
    const onDisk = join(dir, 'places.bin');
    await writeLines(new LineWriter(onDisk));
    const inMemory = join(dir, 'places-in-memory.bin');
    await writeLines(new MemoryWriter(inMemory));
    const records = new RecordsAt();
    try {
      for (const chunk of [5, 13, 64, 1000, 1 << 20]) {
        const cursor = new RecordCursor(onDisk, chunk);
        const read: string[] = [];
        while (await cursor.next()) {
          const again = records.read(onDisk, cursor.position);
          read.push(textAt(again.buf, again.at, again.length));
        }
        expect(read).toEqual(lines);
      }
      const visited: [number, string][] = [];
      await forEachRecord([inMemory, onDisk], (_buf, _at, _length, file, position) => {
        const path = file === 0 ? inMemory : onDisk;
        const again = records.read(path, position);
        visited.push([file, textAt(again.buf, again.at, again.length)]);
      });
      expect(visited).toEqual([
        ...lines.map((line) => [0, line]),
        ...lines.map((line) => [1, line]),
      ]);
      expect(() => records.read(onDisk, 1 << 30)).toThrow(/no whole spill record at byte/);
    } finally {
      records.close();
      dropMemoryFiles([inMemory]);
    }
  });
});

/** `count` spill files on disk of 3 records each, `file F record I`. */
async function writeFiles(prefix: string, count: number): Promise<string[]> {
  const paths: string[] = [];
  for (let f = 0; f < count; f++) {
    const path = join(dir, `${prefix}-${f}.bin`);
    const out = new LineWriter(path);
    for (let i = 0; i < 3; i++) {
      const line = `file ${f} record ${i}`;
      writeKeyedBytes(out, i, line.length, (buf, at) => at + buf.write(line, at, 'latin1'));
    }
    await out.close();
    paths.push(path);
  }
  return paths;
}

describe('records found again by their position, in many files', () => {
  it('reads from any number of files on disk with a few open at once, opening one again when asked again', async () => {
    const paths = await writeFiles('many', 40);
    const places: [number, number][] = [];
    await forEachRecord(paths, (_buf, _at, _length, file, position) => {
      places.push([file, position]);
    });
    const openFiles = (): number =>
      existsSync('/proc/self/fd') ? readdirSync('/proc/self/fd').length : 0;
    const before = openFiles();
    const records = new RecordsAt();
    try {
      const read: string[] = [];
      let most = 0;
      // Twice over, the second time from the last file back: every file is opened again.
      for (const [file, position] of [...places, ...[...places].reverse()]) {
        const { buf, at, length } = records.read(paths[file] as string, position);
        read.push(buf.toString('latin1', at + 8, at + length));
        most = Math.max(most, openFiles() - before);
      }
      const expected = paths.flatMap((_, f) => [0, 1, 2].map((i) => `file ${f} record ${i}`));
      expect(read).toEqual([...expected, ...[...expected].reverse()]);
      expect(most).toBeLessThanOrEqual(16);
    } finally {
      records.close();
    }
    expect(openFiles()).toBe(before);
  });
});

describe('records found again by their position, the files read most recently kept open', () => {
  const positions = async (path: string): Promise<number[]> => {
    const out: number[] = [];
    await forEachRecord([path], (_buf, _at, _length, _file, position) => out.push(position));
    return out;
  };
  const textOf = (records: RecordsAt, path: string, position: number): string => {
    const { buf, at, length } = records.read(path, position);
    return buf.toString('latin1', at + 8, at + length);
  };

  it('opens each of 20 files once when records are read from them in turn and it may keep 20 open (one a worker of a partition)', async () => {
    const paths = await writeFiles('turns', 20);
    const places = await Promise.all(paths.map(positions));
    for (const [maxOpen, opens] of [
      [20, 20],
      // Two fewer than the files read in turn: every read past the first round opens one.
      [18, 60],
    ] as const) {
      const records = new RecordsAt(maxOpen);
      try {
        const read: string[] = [];
        for (let i = 0; i < 3; i++) {
          for (const [f, path] of paths.entries()) {
            read.push(textOf(records, path, places[f]?.[i] as number));
          }
        }
        expect(read).toEqual(
          [0, 1, 2].flatMap((i) => paths.map((_, f) => `file ${f} record ${i}`)),
        );
        expect(records.filesOpened).toBe(opens);
      } finally {
        records.close();
      }
    }
  });

  it('closes the file read least recently, not the one opened first, when it must close one', async () => {
    const [a, b, c] = (await writeFiles('recent', 3)) as [string, string, string];
    const at = await positions(a);
    const records = new RecordsAt(2);
    try {
      // a is opened first but read again before c: b is the one closed for c.
      for (const path of [a, b, a, c, a]) textOf(records, path, at[0] as number);
      expect(records.filesOpened).toBe(3);
      textOf(records, b, at[1] as number);
      expect(records.filesOpened).toBe(4);
      expect(textOf(records, c, at[2] as number)).toBe('file 2 record 2');
      expect(records.filesOpened).toBe(5);
    } finally {
      records.close();
    }
  });
});

describe('collectRecords', () => {
  it('keeps every record readable after the whole file is read, across chunks', async () => {
    const path = join(dir, 'kept.bin');
    const out = new LineWriter(path);
    const lines = Array.from({ length: 3000 }, (_, i) => `${'y'.repeat((i * 131) % 900)}${i}`);
    for (const [i, line] of lines.entries()) {
      writeKeyedBytes(out, i, line.length, (buf, at) => at + buf.write(line, at, 'latin1'));
    }
    await out.close();
    const { chunks, records } = await collectRecords([path, join(dir, 'missing.bin'), path]);
    const read: string[] = [];
    for (let i = 0; i < records.length; i += 2) {
      const buf = chunks[records[i] as number] as Buffer;
      const at = records[i + 1] as number;
      const length = buf.readUInt32LE(at - 4);
      read.push(buf.toString('latin1', at + 8, at + length));
    }
    expect(chunks.length).toBeGreaterThan(2);
    expect(read).toEqual([...lines, ...lines]);
  });
});
