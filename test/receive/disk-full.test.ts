import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startReceiver } from '../../src/io/receive/server.js';
import { CREDENTIALS, feePush, post, storedLines, storedSessionIds } from './helpers.js';

let root: string;
let mounted = false;
let why = '';

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'callrecon-full-'));
  mkdirSync(join(root, 'disk'));
  if (process.getuid?.() !== 0) {
    why = 'not root: cannot mount a small tmpfs';
    return;
  }
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', join(root, 'disk')], {
      stdio: 'pipe',
    });
    mounted = true;
  } catch (error) {
    why = `mount -t tmpfs failed: ${String((error as Error).message).split('\n')[0] ?? ''}`;
  }
});

afterAll(() => {
  if (mounted) execFileSync('umount', [join(root, 'disk')]);
  rmSync(root, { recursive: true, force: true });
});

describe('a full disk', () => {
  it('is answered 503 and leaves no torn record; the pushes answered 200 are whole', async () => {
    if (!mounted) {
      console.log(`disk-full test passes trivially: ${why}`);
      expect(mounted).toBe(false);
      return;
    }
    const dir = join(root, 'disk', 'pushes');
    const receiver = await startReceiver({ dir, port: 0, credentials: CREDENTIALS });
    const statuses: number[] = [];
    const acknowledged: string[] = [];
    try {
      // Each push is about 12 KiB: the 64 KiB disk is full after a few.
      for (let n = 0; n < 12; n++) {
        const status = (await post(receiver.port, feePush(`d${n}`, 40))).status;
        statuses.push(status);
        if (status === 200) acknowledged.push(`d${n}`);
      }
      // A not-JSON body that cannot be kept in rejected/ is 503 too: the platform sends it again.
      expect((await post(receiver.port, '{"eventType":' + ' '.repeat(70_000))).status).toBe(503);
    } finally {
      await receiver.close();
    }
    expect(statuses).toContain(200);
    expect(statuses).toContain(503);
    expect(statuses.every((s) => s === 200 || s === 503)).toBe(true);
    // storedLines throws when a file ends inside a line.
    const lines = storedLines(dir);
    expect(lines).toHaveLength(acknowledged.length);
    const ids = storedSessionIds(dir);
    for (const prefix of acknowledged) expect(ids.has(`${prefix}-39`)).toBe(true);
  });
});
