import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fc } from '../../test/helpers/fast-check.js';
import { collect, ioFixture, splitAt, splitEvery } from '../../test/helpers/io.js';
import type { BillItem, BillRow } from '../core/records.js';
import { BILL_COLUMNS } from '../core/records.js';
import type { BillReadOptions, InputFileInfo } from './index.js';
import { InputError, readBill, readBillBatches } from './index.js';
import { readBillChunks } from './read-bill.js';

const SESSION_1 = '1200_1029_4294967295_20261015091514@callenabler246.huaweicaas.com';
const SESSION_2 = '1201_1029_4294967295_20261015101002@callenabler246.huaweicaas.com';

/** The rows of test/fixtures/io/bill.csv, with the lines they start on. */
const BILL_ROWS: readonly (readonly [BillRow, number])[] = [
  [
    {
      amount: '0.24',
      callId: SESSION_1,
      callerNum: '+8613800000021',
      privateNum: '+8613800000022',
      calleeNum: '+8613866887021',
      answerTime: '2026-10-15 09:15:36',
      endTime: '2026-10-15 09:16:41',
      billedSeconds: '65',
      billedMinutes: '2',
      packageMinutes: '0',
      unitPrice: '0.12',
      currency: 'CNY',
    },
    2,
  ],
  [
    {
      amount: '0.00',
      callId: SESSION_2,
      callerNum: '+8613866887021',
      privateNum: '+8613800000022',
      calleeNum: '+8613800000021',
      endTime: '2026-10-15 10:10:40',
      billedSeconds: '0',
      billedMinutes: '0',
      packageMinutes: '0',
      unitPrice: '0.12',
      currency: 'CNY',
      item: 'call',
    },
    3,
  ],
  [{ amount: '30.00', currency: 'CNY', item: 'rent' }, 5],
  [
    {
      amount: '0.00',
      callId: 'q-"1"',
      callerNum: '+8613800000051',
      privateNum: '+8613800000052',
      answerTime: '2026-10-20 08:00:00',
      endTime: '2026-10-20 08:00:30',
      billedSeconds: '30',
      billedMinutes: '1',
      packageMinutes: '1',
      unitPrice: '0.12',
      currency: 'CNY',
      item: 'call',
    },
    7,
  ],
];

const rowsOf = (source: string): BillItem[] =>
  BILL_ROWS.map(([row, line]) => ({ type: 'row', row, source, line }));

const read = (paths: string[], options: BillReadOptions = {}): Promise<BillItem[]> =>
  collect(readBillBatches(paths, options));

const readText = (text: string, options = {}): Promise<BillItem[]> =>
  collect(readBillChunks([new TextEncoder().encode(text)], 'bill.csv', options));

const HEADER = 'callId,amount,currency';

let tmp: string;
beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'callrecon-read-bill-'));
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

describe('readBillBatches', () => {
  it('finds canonical columns under headers written with other case, spaces, _ and -', async () => {
    const path = ioFixture('bill.csv');
    expect(await read([path])).toEqual(rowsOf(path));
  });

  it('reads the same rows from CRLF line ends and a UTF-8 byte order mark', async () => {
    const path = ioFixture('bill-crlf-bom.csv');
    expect(await read([path])).toEqual(rowsOf(path));
  });

  it('reads the same rows from gzip and from a folder of .csv and .csv.gz files', async () => {
    const gz = ioFixture('bill.csv.gz');
    expect(await read([gz])).toEqual(rowsOf(gz));
    const a = ioFixture('bills/2026-10a.csv');
    const b = ioFixture('bills/2026-10b.csv.gz');
    expect(await read([ioFixture('bills')])).toEqual([...rowsOf(a), ...rowsOf(b)]);
  });

  it('reads a GB18030 export with Chinese headers through a column map', async () => {
    const path = ioFixture('bill-gb18030.csv');
    const columns = JSON.parse(
      await readFile(ioFixture('bill-gb18030.columns.json'), 'utf8'),
    ) as Record<string, string>;
    const items = await read([path], { encoding: 'gb18030', columns });
    expect(items.map((item) => item.type === 'row' && item.row.callId)).toEqual([
      SESSION_1,
      SESSION_2,
      '呼叫-𠀀-3',
    ]);
    expect(items[0]).toEqual({
      type: 'row',
      row: {
        amount: '0.24',
        callId: SESSION_1,
        callerNum: '+8613800000021',
        privateNum: '+8613800000022',
        calleeNum: '+8613866887021',
        answerTime: '2026-10-15 09:15:36',
        endTime: '2026-10-15 09:16:41',
        billedSeconds: '65',
        currency: 'CNY',
      },
      source: path,
      line: 2,
    });
    // gbk is read with the same decoder.
    expect(await read([path], { encoding: 'gbk', columns })).toEqual(items);
  });

  it('reads a GB18030 file the same in chunks of every size, characters split anywhere', async () => {
    const bytes = await readFile(ioFixture('bill-gb18030.csv'));
    const columns = Object.entries(
      JSON.parse(await readFile(ioFixture('bill-gb18030.columns.json'), 'utf8')) as Record<
        string,
        string
      >,
    );
    const options = { encoding: 'gb18030' as const, columns };
    const whole = await collect(readBillChunks([bytes], 'x.csv', options));
    expect(whole).toHaveLength(3);
    for (let size = 1; size <= bytes.length; size++) {
      expect(await collect(readBillChunks(splitEvery(bytes, size), 'x.csv', options))).toEqual(
        whole,
      );
    }
  });

  it('reads bill.csv the same in chunks of every size', async () => {
    const bytes = await readFile(ioFixture('bill-crlf-bom.csv'));
    for (let size = 1; size <= bytes.length; size++) {
      expect(await collect(readBillChunks(splitEvery(bytes, size), 'x.csv'))).toEqual(
        rowsOf('x.csv'),
      );
    }
  });

  it('keeps line breaks, commas and doubled quotes inside quoted cells, and numbers the next row right', async () => {
    const items = await readText(`${HEADER}\n"a\nb, ""c""",1.00,CNY\nd,2.00,CNY\n`);
    expect(items).toEqual([
      {
        type: 'row',
        row: { callId: 'a\nb, "c"', amount: '1.00', currency: 'CNY' },
        source: 'bill.csv',
        line: 2,
      },
      {
        type: 'row',
        row: { callId: 'd', amount: '2.00', currency: 'CNY' },
        source: 'bill.csv',
        line: 4,
      },
    ]);
  });

  it('trims cells and leaves empty ones out, leaving values as written', async () => {
    const items = await readText(`${HEADER},item\n  c-1 , 12.30 ,"",\n`);
    expect(items).toMatchObject([{ row: { callId: 'c-1', amount: '12.30' } }]);
    expect(Object.keys((items[0] as { row: BillRow }).row)).toEqual(['amount', 'callId']);
  });

  it('rejects a row with the wrong number of cells as MALFORMED_ROW and reads on', async () => {
    const items = await readText(`${HEADER}\nc-1,1.00\nc-2,2.00,CNY\nc-3,3.00,CNY,x\n`);
    expect(items).toEqual([
      {
        type: 'rejected',
        issue: {
          code: 'MALFORMED_ROW',
          source: 'bill.csv',
          line: 2,
          reason: 'the row has 2 cells, the header has 3',
        },
      },
      {
        type: 'row',
        row: { callId: 'c-2', amount: '2.00', currency: 'CNY' },
        source: 'bill.csv',
        line: 3,
      },
      {
        type: 'rejected',
        issue: {
          code: 'MALFORMED_ROW',
          source: 'bill.csv',
          line: 4,
          reason: 'the row has 4 cells, the header has 3',
        },
      },
    ]);
  });

  it('rejects a row whose quote is never closed at the line the row starts, then reads the next line', async () => {
    const items = await readText(`${HEADER}\nc-1,1.00,CNY\n"c-2,2.00,CNY\nc-3,3.00,CNY`);
    expect(items.slice(1)).toEqual([
      {
        type: 'rejected',
        issue: {
          code: 'MALFORMED_ROW',
          source: 'bill.csv',
          line: 3,
          reason: 'a quoted cell of the row is never closed',
        },
      },
      {
        type: 'row',
        row: { callId: 'c-3', amount: '3.00', currency: 'CNY' },
        source: 'bill.csv',
        line: 4,
      },
    ]);
  });

  it('does not count blank lines or rows of empty cells as rows', async () => {
    const infos: InputFileInfo[] = [];
    const path = join(tmp, 'blank.csv');
    await writeFile(path, `${HEADER}\n\n , ,\n,,\nc-1,1.00,CNY\n   \n`);
    const items = await read([path], { onFile: (info) => infos.push(info) });
    expect(items).toEqual([
      {
        type: 'row',
        row: { callId: 'c-1', amount: '1.00', currency: 'CNY' },
        source: path,
        line: 5,
      },
    ]);
    expect(infos.map((info) => info.records)).toEqual([1]);
  });

  it('has no rows in a file with only a valid header', async () => {
    expect(await read([ioFixture('bill-header-only.csv')])).toEqual([]);
  });

  it('reports each file with its SHA-256 and its data rows, malformed ones included', async () => {
    const path = join(tmp, 'count.csv');
    await writeFile(path, `${HEADER}\nc-1,1.00,CNY\nbroken\nc-3,3.00,CNY\n`);
    const gz = join(tmp, 'count.csv.gz');
    await writeFile(gz, gzipSync(await readFile(path)));
    const infos: InputFileInfo[] = [];
    await read([path, gz], { onFile: (info) => infos.push(info) });
    const sha = async (p: string): Promise<string> =>
      createHash('sha256')
        .update(await readFile(p))
        .digest('hex');
    expect(infos).toEqual([
      { role: 'bill', path, sha256: await sha(path), records: 3 },
      { role: 'bill', path: gz, sha256: await sha(gz), records: 3 },
    ]);
  });

  it('keeps the rows before a gzip cut and rejects the cut as TRUNCATED_INPUT', async () => {
    const lines = [HEADER, ...Array.from({ length: 3000 }, (_, i) => `c-${i},${i}.00,CNY`)];
    const gz = gzipSync(lines.join('\n') + '\n');
    const path = join(tmp, 'cut.csv.gz');
    await writeFile(path, gz.subarray(0, gz.length - 100));
    const items = await read([path]);
    const last = items.at(-1);
    expect(last).toMatchObject({
      type: 'rejected',
      issue: { code: 'TRUNCATED_INPUT', source: path, line: items.length + 1 },
    });
    expect(items.slice(0, -1)).toEqual(
      items.slice(0, -1).map((_, i) => ({
        type: 'row',
        row: { callId: `c-${i}`, amount: `${i}.00`, currency: 'CNY' },
        source: path,
        line: i + 2,
      })),
    );
  });

  it('rejects a row whose used cells hold bytes invalid in UTF-8, and keeps one whose other cells do', async () => {
    const bytes = Buffer.concat([
      Buffer.from(`${HEADER},remark\nc-`),
      Buffer.from([0xb7, 0xd1]),
      Buffer.from(',1.00,CNY,ok\nc-2,2.00,CNY,'),
      Buffer.from([0xb7, 0xd1]),
      Buffer.from('\n'),
    ]);
    const items = await collect(readBillChunks([bytes], 'bill.csv'));
    expect(items).toEqual([
      {
        type: 'rejected',
        issue: {
          code: 'INVALID_ENCODING',
          source: 'bill.csv',
          line: 2,
          reason:
            'callId holds bytes that are not valid utf-8; a GB18030/GBK file needs --encoding gb18030',
        },
      },
      {
        type: 'row',
        row: { callId: 'c-2', amount: '2.00', currency: 'CNY' },
        source: 'bill.csv',
        line: 3,
      },
    ]);
  });

  it('carries every canonical column into the row', async () => {
    const header = BILL_COLUMNS.map((c) => c.toUpperCase()).join(',');
    const items = await readText(`${header}\n${BILL_COLUMNS.map((c) => `v-${c}`).join(',')}\n`);
    expect(items).toMatchObject([
      { row: Object.fromEntries(BILL_COLUMNS.map((c) => [c, `v-${c}`])) },
    ]);
  });

  it('flattens batches into items with readBill', async () => {
    const items: BillItem[] = [];
    for await (const item of readBill([ioFixture('bill.csv')])) items.push(item);
    expect(items).toEqual(rowsOf(ioFixture('bill.csv')));
  });
});

describe('readBillBatches: column maps', () => {
  it('takes a mapped header before the own name, and finds unmapped names by their own name', async () => {
    const items = await readText('Session,callId,Fee,currency\ns-1,other,1.00,CNY\n', {
      columns: [
        ['callId', 'session'],
        ['amount', 'FEE'],
      ],
    });
    expect(items).toMatchObject([{ row: { callId: 's-1', amount: '1.00', currency: 'CNY' } }]);
  });

  it('accepts map keys written like headers', async () => {
    const items = await read([ioFixture('bill.csv')], { columns: { call_id: 'Remark' } });
    expect(items[0]).toMatchObject({ row: { callId: 'answered, 2 minutes' } });
  });

  it('a mapped header the file lacks leaves the column absent and says so in a COLUMN_NOT_FOUND warning', async () => {
    const items = await readText('callId,amount,currency\nc1,0.24,CNY\n', {
      columns: [['billedMinutes', '计费分钟']],
    });
    expect(items[0]).toMatchObject({
      type: 'warning',
      warning: { code: 'COLUMN_NOT_FOUND', source: 'bill.csv' },
    });
    expect(items[0]?.type === 'warning' && items[0].warning.message).toContain(
      'names header "计费分钟" for billedMinutes, but the file has no such header',
    );
    expect(items[1]).toMatchObject({ type: 'row', row: { callId: 'c1', amount: '0.24' } });
  });

  it('throws InputError when a mapped header the file lacks is one the layout needs', async () => {
    const path = ioFixture('bill-header-only.csv');
    await expect(read([path], { columns: { amount: '费用(元)' } })).rejects.toThrow(
      `${path}: unusable bill layout: missing column amount (after the column map); headers found: "callId", "amount", "currency"`,
    );
  });

  it('throws InputError for a map key that is not a canonical column', async () => {
    await expect(read([ioFixture('bill.csv')], { columns: { fee: 'Amount' } })).rejects.toThrow(
      'bill column map: "fee" is not a column it can map; use amount, callId, callerNum, privateNum, calleeNum, answerTime, endTime, billedSeconds, billedMinutes, packageMinutes, unitPrice, currency, item',
    );
  });

  it('throws InputError when two headers match one column', async () => {
    await expect(readText('amount,Amount,callId\n1,2,c\n')).rejects.toThrow(
      'bill.csv: 2 headers match column amount; keep one or name it in a column map; headers found: "amount", "Amount", "callId"',
    );
  });
});

describe('readBillBatches: what spreadsheets and consoles write', () => {
  it('a 合计 total row is a total item, never a charge', async () => {
    const items = await readText('callId,amount,item\nc1,0.24,通话\nc2,1.00,月租\n合计,1.24,\n');
    expect(items.map((item) => item.type)).toEqual(['row', 'row', 'total']);
    expect(items[2]).toMatchObject({ type: 'total', amount: '1.24', line: 4 });
  });

  it('a total row is found by its item or callId cell too, ignoring case, spaces and a colon', async () => {
    const items = await readText('amount,callId,item\n1.24,,Sub Total:\n1.24,总计：,\n');
    expect(items.map((item) => item.type)).toEqual(['total', 'total']);
  });

  it('without an item column, a row with no identity is an unknown item, not a call', async () => {
    const items = await readText('callId,callerNum,privateNum,answerTime,amount\n,,,,5.00\n');
    expect(items[0]).toMatchObject({ type: 'row', row: { amount: '5.00', item: 'unknown' } });
  });
});

describe('readBillBatches: unusable files', () => {
  it('names the file, the missing columns and the headers found when no call can be identified', async () => {
    const path = ioFixture('bill-unusable.csv');
    const error = await read([path]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).message).toBe(
      `${path}: unusable bill layout: missing column callId (or else answerTime); headers found: "Caller Num", "Private Num", "Amount", "Remark"`,
    );
  });

  it('names a missing amount column', async () => {
    await expect(readText('callId,currency\nc-1,CNY\n')).rejects.toThrow(
      'bill.csv: unusable bill layout: missing column amount; headers found: "callId", "currency"',
    );
    await expect(readText('Remark\nx\n')).rejects.toThrow(
      'bill.csv: unusable bill layout: missing column amount and callId (or else callerNum, privateNum, answerTime); headers found: "Remark"',
    );
  });

  it('accepts callerNum, privateNum and answerTime instead of callId', async () => {
    const items = await readText('amount,caller_num,private num,ANSWER-TIME\n1.00,a,x,t\n');
    expect(items).toMatchObject([
      { row: { amount: '1.00', callerNum: 'a', privateNum: 'x', answerTime: 't' } },
    ]);
  });

  it('treats an empty file as unusable: it has no header', async () => {
    const path = ioFixture('empty.csv');
    await expect(read([path])).rejects.toThrow(`${path}: empty bill file, no header row`);
    await expect(readText('\n\r\n\n')).rejects.toThrow('bill.csv: empty bill file, no header row');
  });

  it('throws InputError for a header row with an unclosed quote', async () => {
    await expect(readText('"amount,callId\n')).rejects.toThrow(
      'bill.csv: the header row cannot be read: a quoted cell of the row is never closed',
    );
  });

  it('throws InputError for a file that is not text, a .gz that is not gzip, or another extension', async () => {
    await expect(read([ioFixture('not-text.csv')])).rejects.toThrow(
      `${ioFixture('not-text.csv')}: not a text file (it holds NUL bytes; a binary or UTF-16 file?)`,
    );
    await expect(read([ioFixture('not-gzip.csv.gz')])).rejects.toThrow(
      `${ioFixture('not-gzip.csv.gz')}: not gzip data (incorrect header check)`,
    );
    await expect(read([ioFixture('fee-push.json')])).rejects.toThrow(
      `${ioFixture('fee-push.json')}: not a bill file type; expected .csv, optionally followed by .gz`,
    );
  });

  it('names a header that is not valid text in the chosen encoding', async () => {
    const bytes = Buffer.concat([
      Buffer.from([0xb7, 0xd1, 0xd3, 0xc3]),
      Buffer.from(',callId\n1,c\n'),
    ]);
    await expect(collect(readBillChunks([bytes], 'bill.csv'))).rejects.toThrow(
      'a GB18030/GBK file needs --encoding gb18030',
    );
  });
});

describe('properties', () => {
  const cellArbitrary = fc.string({
    unit: fc.constantFrom('a', '1', '.', ' ', ',', '"', '\n', '中'),
  });

  it('conserves counts: rows + MALFORMED_ROW = the data rows written, however the file is split', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.record({
            cells: fc.tuple(cellArbitrary, cellArbitrary, cellArbitrary),
            ragged: fc.boolean(),
          }),
          { maxLength: 20 },
        ),
        fc.constantFrom('\n', '\r\n'),
        fc.array(fc.nat(), { maxLength: 8 }),
        async (rows, eol, cuts) => {
          const quote = (cell: string): string => `"${cell.replace(/"/g, '""')}"`;
          // Every written row has a non-empty callId, so none is blank.
          const lines = rows.map(({ cells, ragged }) => {
            const written = [quote(`id${cells[0]}`), quote(cells[1]), quote(cells[2])];
            return (ragged ? written.slice(0, 2) : written).join(',');
          });
          const text = [HEADER, ...lines].join(eol) + eol;
          const bytes = new TextEncoder().encode(text);
          const items = await collect(readBillChunks(splitAt(bytes, cuts), 'gen.csv'));
          const malformed = items.filter((item) => item.type === 'rejected');
          expect(items).toHaveLength(rows.length);
          expect(malformed).toHaveLength(rows.filter((row) => row.ragged).length);
          items.forEach((item, i) => {
            if (item.type === 'row') {
              expect(item.row.callId).toBe(`id${rows[i]!.cells[0]}`.trim());
            }
          });
        },
      ),
    );
  });
});
