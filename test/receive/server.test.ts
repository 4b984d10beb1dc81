import { connect } from 'node:net';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startReceiver, type Receiver, type ReceiverOptions } from '../../src/io/receive/server.js';
import {
  collectLog,
  CREDENTIALS,
  feePush,
  get,
  post,
  pushFiles,
  rejectedFiles,
  signedHeaders,
  storedLines,
  storedSessionIds,
} from './helpers.js';

let dir: string;
let receiver: Receiver | undefined;
let log: ReturnType<typeof collectLog>;

beforeEach(() => {
  dir = join(mkdtempSync(join(tmpdir(), 'callrecon-receive-')), 'pushes');
  log = collectLog();
});

afterEach(async () => {
  await receiver?.close();
  receiver = undefined;
  rmSync(join(dir, '..'), { recursive: true, force: true });
});

async function start(options: Partial<ReceiverOptions> = {}): Promise<Receiver> {
  receiver = await startReceiver({ dir, port: 0, credentials: CREDENTIALS, log, ...options });
  return receiver;
}

const SUCCESS = { resultcode: '0', resultdesc: 'Success' };

describe('a signed push', () => {
  it('is answered 200 Success once its line is in the day file', async () => {
    const { port } = await start();
    const body = feePush('a', 3);
    const answer = await post(port, body);
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body)).toEqual(SUCCESS);
    const today = new Date().toISOString().slice(0, 10);
    expect(pushFiles(dir)).toEqual([join(dir, today, 'pushes.ndjson')]);
    expect(storedLines(dir)).toEqual([body]);
  });

  it('is stored with its line breaks turned into spaces, and nothing else changed', async () => {
    const { port } = await start();
    const body = '{\r\n  "eventType": "fee",\n  "feeLst": [\n    {"sessionId": "x\\ny"}\n  ]\n}\n';
    expect((await post(port, body)).status).toBe(200);
    const [line] = storedLines(dir);
    expect(line).toBe(body.replace(/[\r\n]/g, ' ').replace(/ $/, ' '));
    expect(JSON.parse(line as string)).toEqual(JSON.parse(body));
  });

  it('of each shape is stored: fee, call event and SMS notification', async () => {
    const { port } = await start();
    const bodies = [
      feePush('f', 1),
      JSON.stringify({
        eventType: 'callin',
        statusInfo: { sessionId: 's', timestamp: '2026-10-15 09:15:14' },
      }),
      JSON.stringify({ eventType: 'disconnect', statusInfo: { sessionId: 's' } }),
      JSON.stringify({ smsEvent: { smsIdentifier: 'm-1', calling: '+8613800000021' } }),
      JSON.stringify({ eventType: 'sms', smsEvent: { smsMsgId: 'm-2' } }),
    ];
    for (const body of bodies) expect((await post(port, body)).status).toBe(200);
    expect(storedLines(dir)).toEqual(bodies);
    expect(log.entries.filter((e) => e['event'] === 'request').map((e) => e['kind'])).toEqual([
      'fee',
      'event',
      'event',
      'sms',
      'sms',
    ]);
  });

  it('concurrent pushes are all stored, each on its own whole line', async () => {
    const { port } = await start();
    const answers = await Promise.all(
      Array.from({ length: 40 }, (_, n) => post(port, feePush(`c${n}`, 50))),
    );
    expect(answers.every((a) => a.status === 200)).toBe(true);
    const ids = storedSessionIds(dir);
    expect(ids.size).toBe(40 * 50);
    expect(ids.has('c39-49')).toBe(true);
  });

  it('re-pushes are stored like any push (reconcile drops them)', async () => {
    const { port } = await start();
    const body = feePush('same', 1);
    expect((await post(port, body)).status).toBe(200);
    expect((await post(port, body)).status).toBe(200);
    expect(storedLines(dir)).toEqual([body, body]);
  });

  it('--no-auth: an unsigned push is stored', async () => {
    const { port } = await start({ credentials: undefined });
    expect((await post(port, feePush('n', 1), {})).status).toBe(200);
    expect(storedSessionIds(dir)).toEqual(new Set(['n-0']));
  });

  it('a day file past its size limit continues in pushes_0002.ndjson, read after it', async () => {
    const { port } = await start({ maxFileBytes: 1000 });
    for (let n = 0; n < 6; n++) expect((await post(port, feePush(`r${n}`, 1))).status).toBe(200);
    const files = pushFiles(dir).map((f) => f.slice(f.lastIndexOf('/') + 1));
    expect(files.length).toBeGreaterThan(1);
    expect(files[0]).toBe('pushes.ndjson');
    expect(files[1]).toBe('pushes_0002.ndjson');
    const order = storedLines(dir).map(
      (l) => (JSON.parse(l) as { feeLst: { sessionId: string }[] }).feeLst[0]?.sessionId,
    );
    expect(order).toEqual(['r0-0', 'r1-0', 'r2-0', 'r3-0', 'r4-0', 'r5-0']);
  });
});

describe('a refused push is answered and not stored', () => {
  const cases: [string, () => Record<string, string>][] = [
    ['no headers at all', () => ({})],
    ['no X-AKSK header', () => ({ authorization: signedHeaders()['authorization'] as string })],
    ['no Authorization header', () => ({ 'x-aksk': signedHeaders()['x-aksk'] as string })],
    [
      'a wrong digest',
      () => signedHeaders({ ...CREDENTIALS, appSecret: 'wrong' }) as Record<string, string>,
    ],
    [
      'an unknown user',
      () => signedHeaders({ ...CREDENTIALS, appKey: 'OTHER' }) as Record<string, string>,
    ],
    [
      'Created 16 minutes ago',
      () => signedHeaders(CREDENTIALS, Date.now() - 16 * 60_000) as Record<string, string>,
    ],
    [
      'Created 16 minutes ahead',
      () => signedHeaders(CREDENTIALS, Date.now() + 16 * 60_000) as Record<string, string>,
    ],
    [
      'a Created that is not yyyy-MM-ddTHH:mm:ssZ',
      () => {
        const h = signedHeaders() as Record<string, string>;
        return {
          ...h,
          'x-aksk': (h['x-aksk'] as string).replace(
            /Created="[^"]*"/,
            'Created="2026-10-15 09:15:14"',
          ),
        };
      },
    ],
  ];
  for (const [what, headers] of cases) {
    it(`401 for ${what}`, async () => {
      const { port } = await start();
      const answer = await post(port, feePush('x', 1), headers());
      expect(answer.status).toBe(401);
      expect(storedLines(dir)).toEqual([]);
      expect(rejectedFiles(dir)).toEqual([]);
    });
  }

  it('401 for a replayed nonce; the first push is stored once', async () => {
    const { port } = await start();
    const headers = signedHeaders();
    expect((await post(port, feePush('once', 1), headers)).status).toBe(200);
    expect((await post(port, feePush('twice', 1), headers)).status).toBe(401);
    expect([...storedSessionIds(dir)]).toEqual(['once-0']);
    const refused = log.entries.find((e) => e['status'] === 401);
    expect(refused?.['reason']).toBe('replayed-nonce');
    expect(JSON.stringify(log.entries)).not.toContain(CREDENTIALS.appSecret);
  });

  it('400 for a body that is not JSON, kept in rejected/ with the reason', async () => {
    const { port } = await start();
    const body = '{"eventType":"fee","feeLst":[{"sessionId":"a"';
    const answer = await post(port, body);
    expect(answer.status).toBe(400);
    expect(storedLines(dir)).toEqual([]);
    const [name] = rejectedFiles(dir);
    expect(name).toMatch(/\.txt$/);
    const kept = readFileSync(join(dir, 'rejected', name as string), 'utf8');
    const [head, ...rest] = kept.split('\n');
    const kept0 = JSON.parse(head as string) as { reason: string; bytes: number };
    expect(kept0.reason).toMatch(/^not JSON/);
    expect(kept0.bytes).toBe(body.length);
    expect(rest.join('\n')).toBe(body);
  });

  for (const [what, body] of [
    ['an unknown eventType', '{"eventType":"hangup","statusInfo":{}}'],
    ['a fee push without feeLst', '{"eventType":"fee"}'],
    ['a call event without statusInfo', '{"eventType":"callin"}'],
    ['an array', '[{"eventType":"fee","feeLst":[]}]'],
    ['a bare FeeInfo', '{"sessionId":"a","callEndTime":"2026-10-15 09:16:41"}'],
  ] as const) {
    it(`400 for JSON of no known push shape: ${what}, kept in rejected/`, async () => {
      const { port } = await start();
      expect((await post(port, body)).status).toBe(400);
      expect(storedLines(dir)).toEqual([]);
      expect(rejectedFiles(dir)).toHaveLength(1);
    });
  }

  it('413 for a declared body over 1 MiB, nothing kept', async () => {
    const { port } = await start();
    const big = Buffer.alloc(2 ** 20 + 1, 0x20);
    const answer = await post(port, big).catch((error: Error) => ({
      status: -1,
      body: error.message,
    }));
    expect(answer.status).toBe(413);
    expect(storedLines(dir)).toEqual([]);
    expect(rejectedFiles(dir)).toEqual([]);
  });

  it('413 for a chunked body that grows past the limit', async () => {
    const { port } = await start({ maxBodyBytes: 1000 });
    const answer = await new Promise<number>((resolve, reject) => {
      const socket = connect(port, '127.0.0.1', () => {
        const h = signedHeaders();
        socket.write(
          `POST /p HTTP/1.1\r\nHost: x\r\nAuthorization: ${h['authorization'] as string}\r\nX-AKSK: ${h['x-aksk'] as string}\r\nTransfer-Encoding: chunked\r\n\r\n`,
        );
        socket.write(`800\r\n${' '.repeat(0x800)}\r\n`);
      });
      socket.on('data', (d: Buffer) => {
        resolve(Number(/^HTTP\/1\.1 (\d+)/.exec(d.toString())?.[1]));
        socket.destroy();
      });
      socket.on('error', reject);
    });
    expect(answer).toBe(413);
    expect(storedLines(dir)).toEqual([]);
  });

  it('408 for a client that never finishes its body, nothing kept', async () => {
    const { port } = await start({ bodyTimeoutMs: 300 });
    const answer = await new Promise<string>((resolve, reject) => {
      const socket = connect(port, '127.0.0.1', () => {
        const h = signedHeaders();
        socket.write(
          `POST /p HTTP/1.1\r\nHost: x\r\nAuthorization: ${h['authorization'] as string}\r\nX-AKSK: ${h['x-aksk'] as string}\r\nContent-Length: 1000\r\n\r\n{"eventType":"fee",`,
        );
      });
      let text = '';
      socket.on('data', (d: Buffer) => (text += d.toString()));
      socket.on('close', () => resolve(text));
      socket.on('error', reject);
    });
    expect(answer).toMatch(/^HTTP\/1\.1 408/);
    expect(storedLines(dir)).toEqual([]);
    expect(rejectedFiles(dir)).toEqual([]);
  });

  it('405 for another method, 404 for another GET', async () => {
    const { port } = await start();
    expect((await get(port, '/push')).status).toBe(404);
    const answer = await new Promise<number>((resolve, reject) => {
      const socket = connect(port, '127.0.0.1', () =>
        socket.write('PUT /p HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n'),
      );
      socket.on('data', (d: Buffer) => {
        resolve(Number(/^HTTP\/1\.1 (\d+)/.exec(d.toString())?.[1]));
        socket.destroy();
      });
      socket.on('error', reject);
    });
    expect(answer).toBe(405);
  });
});

describe('the receiver', () => {
  it('GET /healthz answers 200 while it accepts pushes', async () => {
    const { port } = await start();
    expect(await get(port, '/healthz')).toEqual({ status: 200, body: '{"status":"ok"}' });
  });

  it('logs one JSON line a request, with phone numbers masked', async () => {
    const { port } = await start();
    await post(port, 'nope +8613800000021');
    const entry = log.entries.find((e) => e['event'] === 'request');
    expect(entry).toMatchObject({ method: 'POST', path: '/push', status: 400 });
    const text = JSON.stringify(log.entries);
    expect(text).not.toContain('8613800000021');
    expect(text).toContain('861********21');
  });

  it('moves a torn last line aside on start and appends after the last whole line', async () => {
    const day = join(dir, '2026-10-15');
    mkdirSync(day, { recursive: true });
    const whole = `${feePush('w', 1)}\n`;
    writeFileSync(join(day, 'pushes.ndjson'), `${whole}{"eventType":"fee","feeLst":[{"sess`);
    const started = await start();
    expect(started.torn).toEqual([
      {
        file: join(day, 'pushes.ndjson'),
        offset: whole.length,
        bytes: 35,
        movedTo: join(day, `pushes.ndjson.torn-${whole.length}`),
      },
    ]);
    expect(readFileSync(join(day, 'pushes.ndjson'), 'utf8')).toBe(whole);
    expect(readFileSync(join(day, `pushes.ndjson.torn-${whole.length}`), 'utf8')).toBe(
      '{"eventType":"fee","feeLst":[{"sess',
    );
    expect(readdirSync(day).sort()).toEqual([
      'pushes.ndjson',
      `pushes.ndjson.torn-${whole.length}`,
    ]);
    expect(log.entries.some((e) => e['event'] === 'torn-line')).toBe(true);
    expect((await post(started.port, feePush('after', 1))).status).toBe(200);
    expect([...storedSessionIds(dir)].sort()).toEqual(['after-0', 'w-0']);
  });

  it('on close, finishes a push in flight, then stops accepting', async () => {
    const { port } = await start();
    const h = signedHeaders();
    const body = feePush('late', 1);
    const post =
      `POST /p HTTP/1.1\r\nHost: x\r\nAuthorization: ${h['authorization'] as string}\r\n` +
      `X-AKSK: ${h['x-aksk'] as string}\r\nContent-Length: ${body.length}\r\n\r\n`;
    const answer = new Promise<string>((resolve, reject) => {
      // A health check first, so the connection is surely taken by the server.
      const socket = connect(port, '127.0.0.1', () =>
        socket.write('GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n'),
      );
      let text = '';
      let pushed = false;
      socket.on('data', (d: Buffer) => {
        text += d.toString();
        if (!pushed && text.includes('{"status":"ok"}')) {
          pushed = true;
          text = '';
          socket.write(post + body.slice(0, 10));
          setTimeout(() => void (receiver as Receiver).close(), 100);
          setTimeout(() => socket.write(body.slice(10)), 200);
        }
      });
      socket.on('close', () => resolve(text));
      socket.on('error', reject);
    });
    expect(await answer).toMatch(/^HTTP\/1\.1 200/);
    await (receiver as Receiver).close();
    receiver = undefined;
    expect([...storedSessionIds(dir)]).toEqual(['late-0']);
    await expect(get(port, '/healthz')).rejects.toThrow();
    expect(readdirSync(dir)).not.toContain('receive.lock');
  });
});
