import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InputError } from './errors.js';
import { BILL_FILES, CDR_FILES, findInputFiles, kindOf } from './files.js';

let tmp: string;
beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'callrecon-files-'));
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

describe('kindOf', () => {
  it('knows CDR files by extension, ignoring case, optionally gzip', () => {
    expect(kindOf('a/b.json', CDR_FILES)).toEqual({ format: 'json', gzip: false });
    expect(kindOf('b.NDJSON.GZ', CDR_FILES)).toEqual({ format: 'ndjson', gzip: true });
    expect(kindOf('b.jsonl', CDR_FILES)).toEqual({ format: 'ndjson', gzip: false });
    expect(kindOf('b.csv.gz', CDR_FILES)).toEqual({ format: 'csv', gzip: true });
  });

  it('refuses other files, and names that are only an extension', () => {
    expect(kindOf('b.txt', CDR_FILES)).toBeUndefined();
    expect(kindOf('b.gz', CDR_FILES)).toBeUndefined();
    expect(kindOf('.csv', CDR_FILES)).toBeUndefined();
    expect(kindOf('b.json', BILL_FILES)).toBeUndefined();
    expect(kindOf('b.csv.gz', BILL_FILES)).toEqual({ format: 'csv', gzip: true });
  });
});

describe('findInputFiles', () => {
  it('keeps the paths as written, a folder joined with the paths below it', async () => {
    const dir = join(tmp, 'written');
    await mkdir(join(dir, 'm'), { recursive: true });
    await writeFile(join(dir, 'm', 'b.csv'), '');
    await writeFile(join(dir, 'a.csv'), '');
    const files = await findInputFiles([dir, `${dir}/m/b.csv`], BILL_FILES);
    expect(files.map((f) => f.path)).toEqual([`${dir}/a.csv`, `${dir}/m/b.csv`, `${dir}/m/b.csv`]);
  });

  it('finds nothing in an empty folder', async () => {
    const dir = join(tmp, 'empty');
    await mkdir(dir);
    expect(await findInputFiles([dir], CDR_FILES)).toEqual([]);
  });

  it('throws InputError naming a missing path', async () => {
    await expect(findInputFiles(['no/such/bill.csv'], BILL_FILES)).rejects.toThrow(
      new InputError('no/such/bill.csv: no such file or folder'),
    );
  });
});
