import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  outputPaths,
  OutputError,
  removePendingOutputsSync,
  writeFileAtomically,
  writeFolderAtomically,
} from './atomic.js';
import { acquireLock } from './lock.js';

let tmp: string;
beforeEach(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'callrecon-atomic-'));
});
afterEach(async () => {
  await rm(tmp, { recursive: true, force: true });
});

const FILES = ['summary.json'];
const writeSummary =
  (text: string) =>
  (dir: string): Promise<void> =>
    writeFile(join(dir, 'summary.json'), text);

function errno(code: string, message: string): Error {
  return Object.assign(new Error(`${code}: ${message}`), { code });
}

describe('writeFolderAtomically', () => {
  it('replaces a previous report whole and leaves nothing beside it', async () => {
    const out = join(tmp, 'out');
    await writeFolderAtomically(out, writeSummary('old'), FILES);
    await writeFolderAtomically(out, writeSummary('new'), FILES);
    expect(await readFile(join(out, 'summary.json'), 'utf8')).toBe('new');
    expect(await readdir(tmp)).toEqual(['out']);
  });

  it('turns a full disk while writing into an OutputError naming the folder; the previous report survives', async () => {
    const out = join(tmp, 'out');
    await writeFolderAtomically(out, writeSummary('old'), FILES);
    const failing = (): Promise<void> =>
      Promise.reject(errno('ENOSPC', 'no space left on device, write'));
    await expect(writeFolderAtomically(out, failing, FILES)).rejects.toThrow(
      new OutputError(`cannot write ${out}: no space left on the device (ENOSPC)`),
    );
    expect(await readFile(join(out, 'summary.json'), 'utf8')).toBe('old');
    expect(await readdir(tmp)).toEqual(['out']);
  });

  it('reads a failure from a worker thread, rebuilt without its code, by its message', async () => {
    const rebuilt = (): Promise<void> => Promise.reject(new Error('EACCES: permission denied'));
    await expect(writeFolderAtomically(join(tmp, 'o'), rebuilt)).rejects.toThrow(
      'permission denied (EACCES)',
    );
  });

  it('lets a defect through as it is (exit code 3, not a disk failure)', async () => {
    const defect = (): Promise<void> => Promise.reject(new TypeError('x is undefined'));
    await expect(writeFolderAtomically(join(tmp, 'o'), defect)).rejects.toThrow(TypeError);
  });

  it('puts back a previous report a killed run left moved aside, and removes its temporary folder', async () => {
    const out = join(tmp, 'out');
    await mkdir(join(tmp, '.out.old-1-aa'));
    await writeFile(join(tmp, '.out.old-1-aa', 'summary.json'), 'previous');
    await mkdir(join(tmp, '.out.tmp-1-aa'));
    // A run that fails before its swap: the previous report is what remains.
    await expect(
      writeFolderAtomically(out, () => Promise.reject(errno('EIO', 'i/o error')), FILES),
    ).rejects.toThrow(OutputError);
    expect(await readFile(join(out, 'summary.json'), 'utf8')).toBe('previous');
    expect(await readdir(tmp)).toEqual(['out']);
  });

  it('removes the leftovers of a run killed after its swap, keeping the new report', async () => {
    const out = join(tmp, 'out');
    await writeFolderAtomically(out, writeSummary('new'), FILES);
    await mkdir(join(tmp, '.out.old-2-bb'));
    await writeFolderAtomically(out, writeSummary('newer'), FILES);
    expect(await readFile(join(out, 'summary.json'), 'utf8')).toBe('newer');
    expect(await readdir(tmp)).toEqual(['out']);
  });

  it('serialises runs into one folder: each report is whole, written one after the other', async () => {
    const out = join(tmp, 'out');
    const order: string[] = [];
    const slow = (name: string) => async (dir: string) => {
      order.push(`start ${name}`);
      await new Promise((resolve) => setTimeout(resolve, 30));
      await writeSummary(name)(dir);
      order.push(`end ${name}`);
    };
    await Promise.all([
      writeFolderAtomically(out, slow('a'), FILES),
      writeFolderAtomically(out, slow('b'), FILES),
    ]);
    // Which run takes the lock first is a race; that they take turns is not.
    const first = order[0] === 'start b' ? 'b' : 'a';
    const second = first === 'a' ? 'b' : 'a';
    expect(order).toEqual([`start ${first}`, `end ${first}`, `start ${second}`, `end ${second}`]);
    expect(await readFile(join(out, 'summary.json'), 'utf8')).toBe(second);
    expect(await readdir(tmp)).toEqual(['out']);
  });

  it('gives up on a lock a live run holds after the wait allowed, with a message saying so', async () => {
    const out = join(tmp, 'out');
    const lock = await acquireLock(join(tmp, '.out.lock'), { label: out });
    try {
      await expect(
        writeFolderAtomically(out, writeSummary('x'), FILES, { lockWaitMs: 100 }),
      ).rejects.toThrow(
        `--out ${out}: another run (process ${process.pid}) is writing a report there; run again when it has ended`,
      );
    } finally {
      await lock.release();
    }
    expect(await readdir(tmp)).toEqual([]);
  });

  it('takes over a lock left by a process that no longer exists', async () => {
    const out = join(tmp, 'out');
    // Process ids are below 2^22 on Linux.
    await writeFile(join(tmp, '.out.lock'), '4194999\n');
    await writeFolderAtomically(out, writeSummary('x'), FILES, { lockWaitMs: 0 });
    expect(await readdir(tmp)).toEqual(['out']);
  });
});

describe('writeFileAtomically', () => {
  it('names the file when the disk is full, and keeps the previous one', async () => {
    const file = join(tmp, 'rated.csv');
    await writeFile(file, 'previous');
    await expect(
      writeFileAtomically(file, () => Promise.reject(errno('ENOSPC', 'no space'))),
    ).rejects.toThrow(`cannot write ${file}: no space left on the device (ENOSPC)`);
    expect(await readFile(file, 'utf8')).toBe('previous');
    expect(await readdir(tmp)).toEqual(['rated.csv']);
  });
});

describe('removePendingOutputsSync', () => {
  it('removes the temporary folder of a write under way and releases its lock', async () => {
    const out = join(tmp, 'out');
    let seen: string[] = [];
    await expect(
      writeFolderAtomically(out, async (dir) => {
        await writeSummary('x')(dir);
        seen = await readdir(tmp);
        removePendingOutputsSync();
        expect(await readdir(tmp)).toEqual([]);
        throw new Error('interrupted');
      }),
    ).rejects.toThrow('interrupted');
    expect(seen.sort()).toEqual(['.out.lock', expect.stringMatching(/^\.out\.tmp-/)]);
  });
});

describe('outputPaths', () => {
  it('lists the output, its lock and what runs keep beside it, not other files', async () => {
    await mkdir(join(tmp, '.out.tmp-1-aa'));
    await writeFile(join(tmp, 'bill.csv'), '');
    expect(await outputPaths(join(tmp, 'out'))).toEqual([
      join(tmp, 'out'),
      join(tmp, '.out.lock'),
      join(tmp, '.out.tmp-1-aa'),
    ]);
  });
});
