import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InputError } from './errors.js';
import type { RunWarning } from '../core/reconcile/warnings.js';
import {
  BILL_FILES,
  CDR_FILES,
  emptyInputWarnings,
  findInputFiles,
  kindOf,
  openFile,
} from './files.js';

/** Reads a file's chunks to the end. */
async function drain(chunks: AsyncIterable<Buffer>): Promise<void> {
  for await (const chunk of chunks) void chunk;
}

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

  it('skips a FIFO and a socket in a folder with SKIPPED_FILE, and never opens them', async () => {
    const dir = join(tmp, 'special');
    await mkdir(dir);
    await writeFile(join(dir, 'a.ndjson'), '');
    execFileSync('mkfifo', [join(dir, 'pipe.ndjson')]);
    const server = createServer();
    await new Promise<void>((done) => server.listen(join(dir, 'sock.json'), done));
    try {
      const warnings: RunWarning[] = [];
      const files = await findInputFiles([dir], CDR_FILES, { onWarning: (w) => warnings.push(w) });
      expect(files.map((f) => f.path)).toEqual([`${dir}/a.ndjson`]);
      expect(warnings.map((w) => [w.code, w.source])).toEqual([
        ['SKIPPED_FILE', `${dir}/pipe.ndjson`],
        ['SKIPPED_FILE', `${dir}/sock.json`],
      ]);
      expect(warnings[0]?.message).toContain('a FIFO (named pipe), not a regular file');
    } finally {
      server.close();
    }
  });

  it('refuses a FIFO given by name, and one swapped in after the listing, without blocking', async () => {
    const fifo = join(tmp, 'bill-fifo.csv');
    execFileSync('mkfifo', [fifo]);
    await expect(findInputFiles([fifo], BILL_FILES)).rejects.toThrow(
      `${fifo}: a FIFO (named pipe), not a regular file; give a bill file or a folder of them`,
    );
    await expect(drain(openFile(fifo, false).chunks)).rejects.toThrow(
      `${fifo}: a FIFO (named pipe), not a regular file`,
    );
    await expect(drain(openFile(fifo, true).chunks)).rejects.toThrow(InputError);
  });

  it('passes over a link to nothing whose name is not an input, and names one that is', async () => {
    const dir = join(tmp, 'links');
    await mkdir(dir);
    await writeFile(join(dir, 'a.csv'), '');
    await symlink(join(tmp, 'moved-away'), join(dir, 'README'));
    expect((await findInputFiles([dir], CDR_FILES)).map((f) => f.path)).toEqual([`${dir}/a.csv`]);
    await symlink(join(tmp, 'moved-away'), join(dir, 'b.json'));
    await expect(findInputFiles([dir], CDR_FILES)).rejects.toThrow(
      `${dir}/b.json: no such file or folder`,
    );
  });

  it('never lists the excluded paths, nor anything below an excluded folder', async () => {
    const dir = join(tmp, 'excluded');
    await mkdir(join(dir, 'out'), { recursive: true });
    for (const name of ['a.json', 'bill.csv', 'tariff.json', 'out/rated.csv']) {
      await writeFile(join(dir, name), '');
    }
    const exclude = [`${dir}/bill.csv`, join(dir, 'tariff.json'), `${dir}/./out`];
    const files = await findInputFiles([dir], CDR_FILES, { exclude });
    expect(files.map((f) => f.path)).toEqual([`${dir}/a.json`]);
  });

  it('with required, finding no file at all is an input error naming the paths', async () => {
    const dir = join(tmp, 'nothing');
    await mkdir(dir);
    await writeFile(join(dir, 'notes.txt'), 'x');
    await expect(findInputFiles([dir], CDR_FILES, { required: true })).rejects.toThrow(
      `no CDR file found in ${dir}: expected .json, .ndjson, .jsonl, .csv files (optionally .gz)`,
    );
  });
});

describe('emptyInputWarnings', () => {
  it('warns EMPTY_INPUT once for each file that held no records', () => {
    const warnings = emptyInputWarnings([
      { role: 'cdrs', path: 'cdrs/a.json', records: 0 },
      { role: 'cdrs', path: 'cdrs/b.json', records: 3 },
      { role: 'bill', path: 'bill.csv', records: 0 },
    ]);
    expect(warnings.map((w) => [w.code, w.source])).toEqual([
      ['EMPTY_INPUT', 'cdrs/a.json'],
      ['EMPTY_INPUT', 'bill.csv'],
    ]);
    expect(warnings[1]?.message).toContain('bill.csv holds no bill rows');
  });
});
