import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { acquireLock, type HeldLock } from './lock.js';

let tmp: string;
beforeEach(() => {
  tmp = mkdtempSync(join(tmpdir(), 'callrecon-lock-'));
});
afterEach(() => {
  rmSync(tmp, { recursive: true, force: true });
});

describe('acquireLock', () => {
  it('writes the lock whole, with the process id first, and leaves nothing else', async () => {
    const lock = await acquireLock(join(tmp, '.out.lock'), { label: 'out' });
    expect(readdirSync(tmp)).toEqual(['.out.lock']);
    expect(readFileSync(join(tmp, '.out.lock'), 'utf8').split('\n')[0]).toBe(String(process.pid));
    await lock.release();
    expect(readdirSync(tmp)).toEqual([]);
  });

  it('hands the lock to the signal cleanup before its file exists, so a release at any moment of the taking leaves nothing', async () => {
    for (let ticks = 0; ticks < 12; ticks++) {
      let tracked: HeldLock | undefined;
      const taking = acquireLock(join(tmp, '.out.lock'), {
        label: 'out',
        track: (lock) => (tracked = lock),
      });
      expect(tracked).toBeDefined();
      for (let i = 0; i < ticks; i++) await new Promise((resolve) => setImmediate(resolve));
      // What the signal handler does, wherever the taking has got to.
      tracked!.releaseSync();
      const lock = await taking;
      lock.releaseSync();
      expect(readdirSync(tmp)).toEqual([]);
    }
  });

  it('releases only its own lock: another taken in the same process after it stays', async () => {
    const path = join(tmp, '.out.lock');
    const first = await acquireLock(path, { label: 'out' });
    first.releaseSync();
    const second = await acquireLock(path, { label: 'out', waitMs: 0 });
    first.releaseSync();
    await first.release();
    expect(readdirSync(tmp)).toEqual(['.out.lock']);
    await second.release();
    expect(readdirSync(tmp)).toEqual([]);
  });

  it('waits for a lock held in the same process, and takes it once released', async () => {
    const path = join(tmp, '.out.lock');
    const first = await acquireLock(path, { label: 'out' });
    const waiting = acquireLock(path, { label: 'out', waitMs: 5_000 });
    await new Promise((resolve) => setTimeout(resolve, 120));
    await first.release();
    const second = await waiting;
    expect(readdirSync(tmp)).toEqual(['.out.lock']);
    await second.release();
  });
});
