import { mkdir } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { checkPush, NonceCache, type Credentials } from './auth.js';
import { ReceiveError, StoreError } from './errors.js';
import type { TornLine } from './files.js';
import { lockFolder, type FolderLock } from './lock.js';
import { writeLog, type LogEntry, type LogSink } from './log.js';
import { readBody } from './body.js';
import { readPush } from './shape.js';
import { PushStore } from './store.js';

/**
 * A push body larger than this is answered 413 (SPEC §8).
 *
 * @example
 * if (declaredBytes > MAX_BODY_BYTES) res.writeHead(413);
 */
export const MAX_BODY_BYTES = 2 ** 20;

/**
 * Options of {@link startReceiver}.
 *
 * @example
 * const options: ReceiverOptions = { dir: 'pushes', port: 8080, credentials: undefined };
 */
export interface ReceiverOptions {
  /** The folder the pushes are stored in; made when missing. */
  readonly dir: string;
  /** Default `127.0.0.1`. */
  readonly host?: string;
  /** Default 8080; 0 picks a free port (see {@link Receiver.port}). */
  readonly port?: number;
  /** The app key and secret pushes are signed with; undefined accepts unsigned pushes. */
  readonly credentials: Credentials | undefined;
  /** Default {@link MAX_BODY_BYTES}. */
  readonly maxBodyBytes?: number;
  /** A body not received whole within this time is answered 408; default 30 s. */
  readonly bodyTimeoutMs?: number;
  /** On stop, connections still open after this time are cut; default 10 s. */
  readonly drainTimeoutMs?: number;
  /** See {@link PushStore}; default 256 MiB. */
  readonly maxFileBytes?: number;
  /** One JSON line a request; default none. */
  readonly log?: LogSink;
  /** The clock, epoch milliseconds; default `Date.now`. */
  readonly now?: () => number;
}

/**
 * A running receiver.
 *
 * @example
 * const receiver: Receiver = await startReceiver(options);
 * console.log(`listening on ${receiver.host}:${receiver.port}`);
 * await receiver.close();
 */
export interface Receiver {
  readonly host: string;
  /** The port listened on (the one picked, when 0 was asked for). */
  readonly port: number;
  /** Torn lines moved aside at the start (SPEC §8). */
  readonly torn: readonly TornLine[];
  /**
   * Stops (SPEC §8 SIGTERM): no new connection is accepted, pushes in flight are finished
   * and flushed, the lock is released. Resolves when all of that is done.
   */
  close(): Promise<void>;
}

const SUCCESS = JSON.stringify({ resultcode: '0', resultdesc: 'Success' });

/**
 * Starts the push receiver of SPEC §8: takes the folder's lock, moves aside torn lines a
 * crash left, and listens. Each POST is authenticated (X-AKSK), read (at most 1 MiB, within
 * the body timeout), checked for a push shape, appended and flushed to disk, and only then
 * answered 200. `GET /healthz` answers 200 while pushes are accepted.
 *
 * @param options - folder, address, credentials and limits
 * @returns the running receiver
 * @throws {@link ReceiveError} when the folder is locked by a live receiver, cannot be
 *   made or opened, or the port cannot be listened on
 * @example
 * const receiver = await startReceiver({
 *   dir: 'pushes',
 *   port: 8080,
 *   credentials: { appKey: 'k', appSecret: 's' },
 *   log: process.stdout,
 * });
 * process.once('SIGTERM', () => void receiver.close());
 */
export async function startReceiver(options: ReceiverOptions): Promise<Receiver> {
  const now = options.now ?? Date.now;
  const log = (entry: LogEntry): void => {
    if (options.log !== undefined) writeLog(options.log, entry, now());
  };
  // The lock first: only the folder's one receiver may cut torn lines out of its files.
  try {
    await mkdir(options.dir, { recursive: true });
  } catch (error) {
    throw new ReceiveError(`${options.dir}: cannot make the folder (${codeOf(error)})`, {
      cause: error,
    });
  }
  const lock = await lockFolder(options.dir, process.pid);
  let store: PushStore;
  try {
    store = await PushStore.open({
      dir: options.dir,
      ...(options.maxFileBytes !== undefined && { maxFileBytes: options.maxFileBytes }),
    });
  } catch (error) {
    await lock.release();
    // A folder that cannot be used is the user's to fix: exit code 2, not 3.
    throw error instanceof StoreError ? new ReceiveError(error.message, { cause: error }) : error;
  }
  for (const torn of store.torn) {
    log({
      event: 'torn-line',
      file: torn.file,
      offset: torn.offset,
      bytes: torn.bytes,
      movedTo: torn.movedTo ?? null,
    });
  }
  const state: State = {
    options,
    store,
    nonces: new NonceCache(),
    now,
    log,
    draining: false,
    maxBodyBytes: options.maxBodyBytes ?? MAX_BODY_BYTES,
    bodyTimeoutMs: options.bodyTimeoutMs ?? 30_000,
  };
  const server = createServer(
    {
      // Slow headers are cut by Node; slow bodies by readBody's own timer (408).
      headersTimeout: Math.min(60_000, state.bodyTimeoutMs),
      requestTimeout: state.bodyTimeoutMs * 2,
      connectionsCheckingInterval: Math.min(1000, state.bodyTimeoutMs),
      keepAliveTimeout: 65_000,
    },
    (req, res) => {
      handle(state, req, res).catch((error: unknown) => {
        state.log({ event: 'internal-error', reason: String((error as Error).stack ?? error) });
        if (!res.headersSent) res.writeHead(500, { connection: 'close' });
        res.end();
      });
    },
  );
  const host = options.host ?? '127.0.0.1';
  try {
    await listen(server, host, options.port ?? 8080);
  } catch (error) {
    await store.close();
    await lock.release();
    throw new ReceiveError(`cannot listen on ${host}:${options.port ?? 8080} (${codeOf(error)})`, {
      cause: error,
    });
  }
  const port = (server.address() as AddressInfo).port;
  log({
    event: 'listening',
    host,
    port,
    dir: options.dir,
    auth: options.credentials !== undefined,
    tornLines: store.torn.length,
  });
  let closing: Promise<void> | undefined;
  return {
    host,
    port,
    torn: store.torn,
    close: () => (closing ??= stop(state, server, lock, options.drainTimeoutMs ?? 10_000)),
  };
}

interface State {
  readonly options: ReceiverOptions;
  readonly store: PushStore;
  readonly nonces: NonceCache;
  readonly now: () => number;
  readonly log: (entry: LogEntry) => void;
  readonly maxBodyBytes: number;
  readonly bodyTimeoutMs: number;
  draining: boolean;
}

function listen(server: Server, host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

async function stop(
  state: State,
  server: Server,
  lock: FolderLock,
  drainMs: number,
): Promise<void> {
  state.draining = true;
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeIdleConnections();
  const cut = setTimeout(() => server.closeAllConnections(), drainMs);
  await closed;
  clearTimeout(cut);
  await state.store.close();
  await lock.release();
  state.log({ event: 'stopped' });
}

async function handle(state: State, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const started = performance.now();
  const receivedMs = state.now();
  const path = (req.url ?? '/').split('?')[0] ?? '/';
  const entry: Record<string, string | number | boolean | null | undefined> = {
    event: 'request',
    method: req.method,
    path,
    remote: req.socket.remoteAddress,
  };
  const done = (status: number, body: string, close = false): void => {
    if (state.draining || close) res.setHeader('connection', 'close');
    res.writeHead(status, {
      'content-type': 'application/json;charset=UTF-8',
      'content-length': Buffer.byteLength(body),
    });
    res.end(body);
    entry['status'] = status;
    entry['ms'] = Math.round((performance.now() - started) * 100) / 100;
    state.log(entry);
  };
  const refuse = (status: number, desc: string, close = false): void =>
    done(status, JSON.stringify({ resultcode: String(status), resultdesc: desc }), close);

  if (req.method === 'GET' || req.method === 'HEAD') {
    if (path === '/healthz') {
      if (state.draining) refuse(503, 'stopping');
      else done(200, JSON.stringify({ status: 'ok' }));
    } else refuse(404, 'not found');
    return;
  }
  if (req.method !== 'POST') {
    res.setHeader('allow', 'POST, GET');
    refuse(405, 'only POST (pushes) and GET /healthz');
    return;
  }
  let nonce: string | undefined;
  const credentials = state.options.credentials;
  if (credentials !== undefined) {
    const auth = checkPush(
      { authorization: req.headers.authorization, 'x-aksk': header(req, 'x-aksk') },
      credentials,
      state.nonces,
      receivedMs,
    );
    if (!auth.ok) {
      entry['reason'] = auth.reason;
      refuse(401, 'unauthorized', true);
      return;
    }
    nonce = auth.nonce;
  }
  const body = await readBody(req, state.maxBodyBytes, state.bodyTimeoutMs);
  if (!body.ok) {
    entry['reason'] = body.reason;
    if (nonce !== undefined) state.nonces.release(nonce);
    if (body.status === undefined) {
      // The client went away: there is no one to answer.
      entry['status'] = null;
      state.log(entry);
    } else refuse(body.status, body.reason, true);
    return;
  }
  entry['bytes'] = body.bytes.length;
  const push = readPush(body.bytes);
  try {
    if (!push.ok) {
      entry['reason'] = push.reason;
      entry['rejectedTo'] = await state.store.keepRejected(body.bytes, push.reason, receivedMs);
      refuse(400, push.reason);
      return;
    }
    entry['kind'] = push.kind;
    entry['records'] = push.records;
    const at = await state.store.append(push.line, receivedMs);
    entry['file'] = at.file;
    done(200, SUCCESS);
  } catch (error) {
    if (!(error instanceof StoreError)) throw error;
    if (nonce !== undefined) state.nonces.release(nonce);
    entry['reason'] = error.message;
    refuse(503, 'cannot store the push now; send it again later');
  }
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function codeOf(error: unknown): string {
  return (error as NodeJS.ErrnoException).code ?? String(error);
}
