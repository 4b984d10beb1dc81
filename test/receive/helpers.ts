import { randomUUID } from 'node:crypto';
import { request, type OutgoingHttpHeaders } from 'node:http';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { signPush, type Credentials } from '../../src/io/receive/auth.js';

/** The credentials the tests sign with. */
export const CREDENTIALS: Credentials = { appKey: 'TESTAPPKEY0001', appSecret: 's3cr3t/+=key' };

/** An answer: the status and body text, or the error when the connection failed. */
export interface Answer {
  readonly status: number;
  readonly body: string;
}

/**
 * POSTs a body to the receiver (a new connection each time), signed with CREDENTIALS unless
 * headers are given.
 */
export function post(
  port: number,
  body: string | Buffer,
  headers: OutgoingHttpHeaders = signedHeaders(),
  path = '/push',
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path,
        method: 'POST',
        agent: false,
        headers: { 'content-type': 'application/json', ...headers },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }),
        );
        res.on('error', reject);
      },
    );
    // An early answer (413) may come while the body is still being sent: that is fine.
    req.on('error', (error) => reject(error));
    req.end(body);
  });
}

/** GET a path. */
export function get(port: number, path: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }),
      );
    });
    req.on('error', reject);
    req.end();
  });
}

/** Fresh signing headers: a new nonce, now. */
export function signedHeaders(
  credentials: Credentials = CREDENTIALS,
  createdMs = Date.now(),
  nonce = randomUUID(),
): OutgoingHttpHeaders {
  return signPush(credentials, nonce, createdMs);
}

/** A fee push of `count` FeeInfo with session ids `${prefix}-0` … */
export function feePush(prefix: string, count = 2, day = '2026-10-15'): string {
  const feeLst = Array.from({ length: count }, (_, k) => ({
    direction: 1,
    sessionId: `${prefix}-${k}`,
    icid: `icid-${prefix}-${k}`,
    callerNum: '+8613800000021',
    calleeNum: '+8613800000022',
    bindNum: '+8613800000022',
    fwdDstNum: `+86138668${String(k % 100000).padStart(5, '0')}`,
    fwdAnswerTime: `${day} 09:15:36`,
    callEndTime: `${day} 09:16:41`,
    serviceType: '004',
    hostName: 'callenabler246.huaweicaas.com',
  }));
  return JSON.stringify({ eventType: 'fee', feeLst });
}

/** Every push file below a receiver's folder, in reading order. */
export function pushFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const files: string[] = [];
  for (const day of readdirSync(dir).sort()) {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) continue;
    for (const name of readdirSync(join(dir, day)).sort()) {
      if (name.endsWith('.ndjson')) files.push(join(dir, day, name));
    }
  }
  return files;
}

/** The lines of every push file, each one checked to end with a line break. */
export function storedLines(dir: string): string[] {
  const lines: string[] = [];
  for (const file of pushFiles(dir)) {
    const text = readFileSync(file, 'utf8');
    if (text !== '' && !text.endsWith('\n')) throw new Error(`${file} ends inside a line`);
    lines.push(...text.split('\n').filter((l) => l !== ''));
  }
  return lines;
}

/** The session ids of every FeeInfo stored. */
export function storedSessionIds(dir: string): Set<string> {
  const ids = new Set<string>();
  for (const line of storedLines(dir)) {
    const push = JSON.parse(line) as { feeLst?: { sessionId: string }[] };
    for (const info of push.feeLst ?? []) ids.add(info.sessionId);
  }
  return ids;
}

/** Names of the files in `dir/rejected`. */
export function rejectedFiles(dir: string): string[] {
  const folder = join(dir, 'rejected');
  return existsSync(folder)
    ? readdirSync(folder).filter((n) => statSync(join(folder, n)).isFile())
    : [];
}

/** A log sink that keeps the parsed lines. */
export function collectLog(): { write(text: string): boolean; entries: Record<string, unknown>[] } {
  const entries: Record<string, unknown>[] = [];
  return {
    entries,
    write(text: string): boolean {
      for (const line of text.split('\n'))
        if (line !== '') entries.push(JSON.parse(line) as Record<string, unknown>);
      return true;
    },
  };
}
