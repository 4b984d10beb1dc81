import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { run, snapshot, start, TARIFF, writeMonth } from './month.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'callrecon-output-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('concurrent runs', () => {
  it('three runs into one --out at once take turns: each exits 1, the report is whole, nothing is left beside it', async () => {
    const args = writeMonth(dir, 300, { overBilledEvery: 5 });
    const ended = await Promise.all([0, 1, 2].map(() => start(dir, args).ended));
    for (const end of ended) {
      expect(end.stderr).toBe('');
      expect(end.code).toBe(1);
    }
    const report = snapshot(join(dir, 'out'));
    expect(Object.keys(report ?? {})).toEqual([
      'discrepancies.csv',
      'rated.csv',
      'rejected.csv',
      'report.html',
      'report.md',
      'report.xlsx',
      'summary.json',
    ]);
    await run(dir, args);
    expect(snapshot(join(dir, 'out'))).toEqual(report);
    expect(readdirSync(dir).sort()).toEqual(['bill.csv', 'cdrs', 'out', 'tariff.json']);
  });

  it('waits for a lock its holder then releases, and takes over the lock of a dead run', async () => {
    const args = writeMonth(dir, 5);
    // Held by a live process (this one) that lets go after a while.
    writeFileSync(join(dir, '.out.lock'), `${process.pid}\n`);
    setTimeout(() => rmSync(join(dir, '.out.lock'), { force: true }), 300);
    expect((await run(dir, args)).code).toBe(0);
    // Left by a process that no longer exists.
    writeFileSync(join(dir, '.out.lock'), '4194999\n');
    expect((await run(dir, args)).code).toBe(0);
    expect(readdirSync(dir).sort()).toEqual(['bill.csv', 'cdrs', 'out', 'tariff.json']);
  });
});

/** Mounts a tmpfs of `size` at `path`; false when this process may not (not root). */
function mountTmpfs(path: string, size: string): boolean {
  if (process.getuid?.() !== 0) return false;
  mkdirSync(path);
  return spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', path]).status === 0;
}

describe('a full disk', () => {
  it('is exit 2 naming the output and the cause, no stack trace; the previous report survives', async () => {
    const disk = join(dir, 'disk');
    if (!mountTmpfs(disk, '64k')) {
      console.log('a full disk: skipped checks, mounting a tmpfs needs root (CI runs as root)');
      expect(process.getuid?.()).not.toBe(0);
      return;
    }
    try {
      const out = join(disk, 'out');
      // A small month fits.
      expect((await run(dir, writeMonth(dir, 5, { out }))).code).toBe(0);
      const previous = snapshot(out);
      // A larger month's report does not.
      const ended = await run(dir, writeMonth(dir, 2000, { out, overBilledEvery: 2 }));
      expect(ended.code).toBe(2);
      expect(ended.stderr).toBe(
        `callrecon: cannot write ${out}: no space left on the device (ENOSPC)\n`,
      );
      expect(snapshot(out)).toEqual(previous);
      expect(readdirSync(disk)).toEqual(['out']);
    } finally {
      spawnSync('umount', [disk]);
    }
  });

  it('where the engine spills (TMPDIR) is exit 2 naming the folder and the cause', async () => {
    const disk = join(dir, 'disk');
    if (!mountTmpfs(disk, '64k')) {
      console.log('a full disk: skipped checks, mounting a tmpfs needs root (CI runs as root)');
      expect(process.getuid?.()).not.toBe(0);
      return;
    }
    try {
      // The smallest budget: the month spills to disk, and the disk is full.
      const ended = await run(dir, [...writeMonth(dir, 3000), '--memory', '64M'], disk);
      expect(ended.code).toBe(2);
      expect(ended.stderr).toMatch(
        /^callrecon: cannot write .*\/disk\/callrecon-\w+ \(the engine's temporary files; TMPDIR moves them\): no space left on the device \(ENOSPC\)\n$/,
      );
      expect(readdirSync(disk)).toEqual([]);
      expect(readdirSync(dir).sort()).toEqual(['bill.csv', 'cdrs', 'disk', 'tariff.json']);
    } finally {
      spawnSync('umount', [disk]);
    }
  });
});

describe('the open-file limit (ulimit -n)', () => {
  it('a month spilled to disk with more --partitions than the limit lets it keep open is exit 2 before anything is written, naming the limit and what to do', async () => {
    const spill = join(dir, 'spill');
    mkdirSync(spill);
    const args = [...writeMonth(dir, 3000), '--memory', '64M', '--partitions', '200'];
    const ended = await run(dir, args, spill, { openFiles: 256 });
    expect(ended.stderr).toBe(
      'callrecon: the run needs about 688 open files (3 for each of 200 partitions, the spill being on disk) and this process may open 256: give fewer --partitions, raise the limit (ulimit -n), or a larger --memory to keep the month in memory\n',
    );
    expect(ended.code).toBe(2);
    expect(readdirSync(spill)).toEqual([]);
    expect(readdirSync(dir).sort()).toEqual(['bill.csv', 'cdrs', 'spill', 'tariff.json']);
  });

  it('a month kept in memory whose tariff has allowances writes a file a partition to disk: more --partitions than the limit lets it merge are refused at once', async () => {
    const spill = join(dir, 'spill');
    mkdirSync(spill);
    const args = [
      ...writeMonth(dir, 3000, { cdrFiles: 2, icids: true }),
      ...['--partitions', '300', '--workers', '2'],
    ];
    const allowance = {
      id: 'pkg-100',
      minutes: 100,
      validFrom: '2026-10-01T00:00:00+08:00',
      validTo: '2026-11-01T00:00:00+08:00',
    };
    writeFileSync(join(dir, 'tariff.json'), JSON.stringify({ ...TARIFF, allowances: [allowance] }));
    const ended = await run(dir, args, spill, { openFiles: 256 });
    expect(ended.stderr).toBe(
      'callrecon: the run needs about 388 open files (1 for each of 300 partitions) and this process may open 256: give fewer --partitions, raise the limit (ulimit -n)\n',
    );
    expect(ended.code).toBe(2);
    expect(readdirSync(spill)).toEqual([]);
    // The limit raised, the same month is reconciled in memory.
    const free = await run(dir, args, spill);
    expect(free.code).toBe(1);
    expect(Object.keys(snapshot(join(dir, 'out')) ?? {})).toHaveLength(7);
  });

  it("two workers asked for, whose partitions' files do not fit the limit together, become one and write the same report as two without the limit", async () => {
    const spill = join(dir, 'spill');
    mkdirSync(spill);
    // Each worker reads a file of pushes with icids and keeps 110 files open (calls, aliases);
    // one of them reads the bill too (55 more): over 256 with the process's own (EMFILE when
    // both run). One worker reading all three keeps 165 (planned as 253 at most, 442 for two).
    const month = (out: string): string[] => [
      ...writeMonth(dir, 3000, { overBilledEvery: 7, cdrFiles: 2, icids: true, out }),
      ...['--memory', '64M', '--partitions', '55', '--workers', '2'],
    ];
    const limited = await run(dir, month('limited'), spill, {
      openFiles: 256,
      env: { CALLRECON_TRACE: '1' },
    });
    expect(limited.stderr).toContain(
      'callrecon: start: 55 partitions, 1 worker (of 2: the open-file limit), spill in disk',
    );
    // Told without tracing too, unless --quiet.
    const told = await run(
      dir,
      month('told').filter((arg) => arg !== '--quiet'),
      spill,
      {
        openFiles: 256,
      },
    );
    expect(told.stderr).toBe(
      'callrecon: 1 worker instead of 2: more would keep more files open than this process may (ulimit -n)\n',
    );
    expect(limited.code).toBe(1);
    const free = await run(dir, month('free'), spill);
    expect(free.code).toBe(1);
    const report = snapshot(join(dir, 'limited'));
    expect(Object.keys(report ?? {})).toHaveLength(7);
    expect(report).toEqual(snapshot(join(dir, 'free')));
    expect(readdirSync(spill)).toEqual([]);
  });
});
