import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * How far a push's `Created` may lie before or after the receiver's clock (SPEC §8).
 *
 * @example
 * Math.abs(Date.now() - createdMs) <= AUTH_WINDOW_MS; // Created is recent enough
 */
export const AUTH_WINDOW_MS = 15 * 60 * 1000;

/**
 * The credentials a receiver checks pushes against.
 *
 * @example
 * const credentials: Credentials = { appKey: 'DEMOAPPKEY01', appSecret: 's3cret' };
 */
export interface Credentials {
  /** The expected `Username` of the X-AKSK header (the application's app key). */
  readonly appKey: string;
  /** The application's secret, without a trailing line break. */
  readonly appSecret: string;
}

/**
 * Why a push was refused (SPEC §8); written to the log, never with the secret.
 *
 * @example
 * const reason: AuthFailure = 'replayed-nonce';
 */
export type AuthFailure =
  | 'missing-authorization'
  | 'missing-x-aksk'
  | 'malformed-x-aksk'
  | 'unknown-user'
  | 'bad-created'
  | 'stale-created'
  | 'bad-digest'
  | 'replayed-nonce';

/**
 * The result of checking one push's headers: its nonce when it passes, why not otherwise.
 *
 * @example
 * const result: AuthResult = checkPush(headers, credentials, nonces, Date.now());
 * if (!result.ok) console.log(result.reason);
 */
export type AuthResult =
  | { readonly ok: true; readonly nonce: string; readonly createdMs: number }
  | { readonly ok: false; readonly reason: AuthFailure };

/**
 * The fields of an `X-AKSK: UsernameToken …` header.
 *
 * @example
 * const token: UsernameToken | undefined = parseUsernameToken(req.headers['x-aksk'] ?? '');
 */
export interface UsernameToken {
  readonly username: string;
  readonly passwordDigest: string;
  readonly nonce: string;
  readonly created: string;
}

const TOKEN_FIELD = /([A-Za-z]+)\s*=\s*"([^"]*)"/g;
const CREATED = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})Z$/;

/**
 * Reads the fields of an X-AKSK header (SPEC §8), or undefined when it is not a
 * `UsernameToken` with all four of `Username`, `PasswordDigest`, `Nonce` and `Created`.
 *
 * @param header - the header's value
 * @returns the four fields, or undefined
 * @example
 * parseUsernameToken('UsernameToken Username="k", PasswordDigest="d", Nonce="n", Created="2026-10-15T09:15:14Z"');
 * // { username: 'k', passwordDigest: 'd', nonce: 'n', created: '2026-10-15T09:15:14Z' }
 */
export function parseUsernameToken(header: string): UsernameToken | undefined {
  const text = header.trim();
  if (!/^UsernameToken\s/i.test(text)) return undefined;
  const fields = new Map<string, string>();
  for (const match of text.matchAll(TOKEN_FIELD)) {
    fields.set((match[1] ?? '').toLowerCase(), match[2] ?? '');
  }
  const username = fields.get('username');
  const passwordDigest = fields.get('passworddigest');
  const nonce = fields.get('nonce');
  const created = fields.get('created');
  if (username === undefined || passwordDigest === undefined) return undefined;
  if (nonce === undefined || nonce === '' || created === undefined) return undefined;
  return { username, passwordDigest, nonce, created };
}

/**
 * The epoch milliseconds of a `Created` value `yyyy-MM-ddTHH:mm:ssZ`, or undefined when it
 * is not exactly that form or not a real instant.
 *
 * @param created - the `Created` field
 * @returns epoch milliseconds, or undefined
 * @example
 * parseCreated('2026-10-15T09:15:14Z'); // 1792055714000
 */
export function parseCreated(created: string): number | undefined {
  const m = CREATED.exec(created);
  if (m === null) return undefined;
  const [y, mo, d, h, mi, s] = m.slice(1).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const ms = Date.UTC(y, mo - 1, d, h, mi, s);
  const back = new Date(ms);
  if (back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d || h > 23 || mi > 59 || s > 59) {
    return undefined;
  }
  return ms;
}

/**
 * The password digest of SPEC §8: `Base64(HMAC-SHA256(appSecret, nonce + created))`.
 *
 * @param appSecret - the application's secret
 * @param nonce - the push's nonce
 * @param created - the push's `Created` text
 * @returns the Base64 digest
 * @example
 * passwordDigest('secret', 'n1', '2026-10-15T09:15:14Z'); // a 44-character Base64 string
 */
export function passwordDigest(appSecret: string, nonce: string, created: string): string {
  return createHmac('sha256', appSecret)
    .update(nonce + created)
    .digest('base64');
}

/**
 * The two headers a signed push carries (SPEC §8), for clients and tests.
 *
 * @param credentials - app key and secret
 * @param nonce - a value never used before within the window
 * @param createdMs - the signing time, epoch milliseconds
 * @returns `authorization` and `x-aksk` header values
 * @example
 * const headers = signPush({ appKey: 'k', appSecret: 's' }, randomUUID(), Date.now());
 */
export function signPush(
  credentials: Credentials,
  nonce: string,
  createdMs: number,
): { authorization: string; 'x-aksk': string } {
  const created = `${new Date(createdMs - (createdMs % 1000)).toISOString().slice(0, 19)}Z`;
  const digest = passwordDigest(credentials.appSecret, nonce, created);
  return {
    authorization: 'AKSK realm="SDP",profile="UsernameToken",type="Appkey"',
    'x-aksk': `UsernameToken Username="${credentials.appKey}", PasswordDigest="${digest}", Nonce="${nonce}", Created="${created}"`,
  };
}

/**
 * Nonces seen within the window, each kept until its push could no longer pass the time
 * check, so a replayed push is refused (SPEC §8).
 *
 * @example
 * const nonces = new NonceCache();
 * nonces.add('n-1', Date.now() + AUTH_WINDOW_MS, Date.now()); // true
 * nonces.add('n-1', Date.now() + AUTH_WINDOW_MS, Date.now()); // false: a replay
 */
export class NonceCache {
  /** Nonce → the instant after which it may be forgotten. Inserted about in expiry order. */
  private readonly seen = new Map<string, number>();

  /** How many nonces are held. */
  get size(): number {
    return this.seen.size;
  }

  /**
   * Records a nonce unless it was seen and not yet expired.
   *
   * @param nonce - the push's nonce
   * @param expiresMs - when the nonce may be forgotten
   * @param nowMs - the clock
   * @returns false when the nonce is a replay
   */
  add(nonce: string, expiresMs: number, nowMs: number): boolean {
    this.prune(nowMs);
    const until = this.seen.get(nonce);
    if (until !== undefined && until >= nowMs) return false;
    this.seen.delete(nonce);
    this.seen.set(nonce, expiresMs);
    return true;
  }

  /**
   * Forgets a nonce, so that a push that could not be stored may be sent again as it was.
   *
   * @param nonce - the nonce to forget
   */
  release(nonce: string): void {
    this.seen.delete(nonce);
  }

  private prune(nowMs: number): void {
    for (const [nonce, until] of this.seen) {
      if (until >= nowMs) break;
      this.seen.delete(nonce);
    }
  }
}

/**
 * Checks the headers of one push (SPEC §8): the Authorization scheme, the X-AKSK user, the
 * `Created` time within 15 minutes of the clock, the digest, and that the nonce is new.
 * A push that passes has its nonce recorded.
 *
 * @param headers - the request's `authorization` and `x-aksk` header values
 * @param credentials - the expected app key and secret
 * @param nonces - the cache of nonces seen
 * @param nowMs - the clock, epoch milliseconds
 * @returns the nonce when the push passes, the reason otherwise
 * @example
 * const result = checkPush(
 *   { authorization: req.headers.authorization, 'x-aksk': req.headers['x-aksk'] },
 *   { appKey: 'k', appSecret: 's' },
 *   new NonceCache(),
 *   Date.now(),
 * );
 * if (!result.ok) res.writeHead(401);
 */
export function checkPush(
  headers: { readonly authorization?: string | undefined; readonly 'x-aksk'?: string | undefined },
  credentials: Credentials,
  nonces: NonceCache,
  nowMs: number,
): AuthResult {
  const authorization = headers.authorization;
  if (authorization === undefined || !/^AKSK\b/i.test(authorization.trim())) {
    return { ok: false, reason: 'missing-authorization' };
  }
  const header = headers['x-aksk'];
  if (header === undefined) return { ok: false, reason: 'missing-x-aksk' };
  const token = parseUsernameToken(header);
  if (token === undefined) return { ok: false, reason: 'malformed-x-aksk' };
  if (!sameText(token.username, credentials.appKey)) return { ok: false, reason: 'unknown-user' };
  const createdMs = parseCreated(token.created);
  if (createdMs === undefined) return { ok: false, reason: 'bad-created' };
  if (Math.abs(nowMs - createdMs) > AUTH_WINDOW_MS) return { ok: false, reason: 'stale-created' };
  const expected = passwordDigest(credentials.appSecret, token.nonce, token.created);
  if (!sameText(token.passwordDigest, expected)) return { ok: false, reason: 'bad-digest' };
  // Only a push with a valid digest spends its nonce: a forged one cannot block a real one.
  if (!nonces.add(token.nonce, Math.max(createdMs, nowMs) + AUTH_WINDOW_MS, nowMs)) {
    return { ok: false, reason: 'replayed-nonce' };
  }
  return { ok: true, nonce: token.nonce, createdMs };
}

/** Compares in time independent of where two texts differ. */
function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
