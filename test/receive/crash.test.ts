import { Agent, request } from 'node:http';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fc } from '../helpers/fast-check.js';
import { CREDENTIALS, feePush, pushFiles, signedHeaders, storedSessionIds } from './helpers.js';
import { runCli, spawnReceiver } from './process.js';

let root: string;
let secretFile: string;

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'callrecon-crash-'));
  secretFile = join(root, 'app-secret');
  writeFileSync(secretFile, `${CREDENTIALS.appSecret}\n`);
});

afterAll(() => rmSync(root, { recursive: true, force: true }));

const args = (dir: string): string[] => [
  '--dir',
  dir,
  '--port',
  '0',
  '--app-key',
  CREDENTIALS.appKey,
  '--app-secret-file',
  secretFile,
];

/** Sends one push on a kept-alive connection; resolves with the status, 0 when it failed. */
function send(agent: Agent, port: number, body: string): Promise<number> {
  return new Promise((resolve) => {
    const req = request(
      { host: '127.0.0.1', port, path: '/', method: 'POST', agent, headers: signedHeaders() },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
        res.on('error', () => resolve(0));
      },
    );
    req.on('error', () => resolve(0));
    req.end(body);
  });
}

/** The session ids in the files, leaving out a torn last line (the next start cuts it). */
function idsBeforeRestart(dir: string): Set<string> {
  const ids = new Set<string>();
  for (const file of pushFiles(dir)) {
    const text = readFileSync(file, 'utf8');
    const whole = text.slice(0, text.lastIndexOf('\n') + 1);
    for (const line of whole.split('\n').filter((l) => l !== '')) {
      for (const info of (JSON.parse(line) as { feeLst: { sessionId: string }[] }).feeLst) {
        ids.add(info.sessionId);
      }
    }
  }
  return ids;
}

describe('a receiver killed under load', () => {
  it('loses no push it answered 200, and starts again on its folder', async () => {
    const dir = join(root, 'crash');
    // When each kill comes is drawn from the seed (FC_SEED replays a failure).
    const delays = fc.sample(fc.integer({ min: 30, max: 400 }), { numRuns: 4 });
    const acknowledged = new Set<string>();
    let serial = 0;
    for (const [iteration, delayMs] of delays.entries()) {
      const receiver = await spawnReceiver(args(dir));
      if (iteration > 0) {
        // The lock of the killed process did not stop the start; its folder is whole again.
        expect(() => storedSessionIds(dir)).not.toThrow();
      }
      const agent = new Agent({ keepAlive: true, maxSockets: 16 });
      let running = true;
      const clients = Array.from({ length: 16 }, async () => {
        while (running) {
          const prefix = `p${serial++}`;
          const status = await send(agent, receiver.port, feePush(prefix, 50));
          if (status === 200) acknowledged.add(prefix);
          if (status === 0) return;
        }
      });
      await new Promise((resolve) => setTimeout(resolve, delayMs));
      receiver.child.kill('SIGKILL');
      expect(await receiver.exited).toBe('SIGKILL');
      running = false;
      await Promise.all(clients);
      agent.destroy();
      const stored = idsBeforeRestart(dir);
      const lost = [...acknowledged].filter((p) => !stored.has(`${p}-0`) || !stored.has(`${p}-49`));
      expect(lost).toEqual([]);
    }
    expect(acknowledged.size).toBeGreaterThan(0);
    // A last start cuts any torn line; then every file ends with a whole line.
    const last = await spawnReceiver(args(dir));
    const stored = storedSessionIds(dir);
    expect([...acknowledged].filter((p) => !stored.has(`${p}-0`))).toEqual([]);
    last.child.kill('SIGTERM');
    expect(await last.exited).toBe(0);
  });
});

describe('the receive command', () => {
  it('exits 0 on SIGTERM after answering the push in flight, and removes its lock', async () => {
    const dir = join(root, 'term');
    const receiver = await spawnReceiver(args(dir));
    const h = signedHeaders();
    const body = feePush('term', 50);
    const post =
      `POST / HTTP/1.1\r\nHost: x\r\nAuthorization: ${h['authorization'] as string}\r\n` +
      `X-AKSK: ${h['x-aksk'] as string}\r\nContent-Length: ${body.length}\r\n\r\n`;
    const answer = new Promise<string>((resolve, reject) => {
      // A health check first, so the connection is surely taken by the server; then a push
      // whose body is half sent when the signal comes, the rest after it.
      const socket = connect(receiver.port, '127.0.0.1', () =>
        socket.write('GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n'),
      );
      let text = '';
      let pushed = false;
      socket.on('data', (d: Buffer) => {
        text += d.toString();
        if (!pushed && text.includes('{"status":"ok"}')) {
          pushed = true;
          text = '';
          socket.write(post + body.slice(0, 100));
          setTimeout(() => receiver.child.kill('SIGTERM'), 300);
          setTimeout(() => socket.write(body.slice(100)), 600);
        }
      });
      socket.on('close', () => resolve(text));
      socket.on('error', reject);
    });
    expect(await answer).toMatch(/^HTTP\/1\.1 200/);
    expect(await receiver.exited).toBe(0);
    expect(storedSessionIds(dir).has('term-49')).toBe(true);
    expect(readdirSync(dir)).not.toContain('receive.lock');
    expect(receiver.log.at(-1)?.['event']).toBe('stopped');
  });

  it('a second receiver on the same folder exits 2', async () => {
    const dir = join(root, 'twice');
    const first = await spawnReceiver(args(dir));
    const second = await runCli(['receive', ...args(dir)]);
    expect(second.code).toBe(2);
    expect(second.stderr).toMatch(/another receiver \(pid \d+\) holds/);
    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);
  });

  it('--help prints the receive options only', async () => {
    const { code, stdout } = await runCli(['receive', '--help']);
    expect(code).toBe(0);
    expect(stdout).toContain('--app-secret-file');
    expect(stdout).toContain('--no-auth');
    expect(stdout).not.toContain('--tariff');
  });

  it('exits 2 without --dir, or without credentials and without --no-auth', async () => {
    expect((await runCli(['receive', '--no-auth'])).code).toBe(2);
    const noKey = await runCli(['receive', '--dir', join(root, 'x')]);
    expect(noKey.code).toBe(2);
    expect(noKey.stderr).toContain('--app-key');
  });
});
