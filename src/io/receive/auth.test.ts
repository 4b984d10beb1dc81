import { describe, expect, it } from 'vitest';
import { fc } from '../../../test/helpers/fast-check.js';
import {
  AUTH_WINDOW_MS,
  checkPush,
  NonceCache,
  parseCreated,
  parseUsernameToken,
  passwordDigest,
  signPush,
} from './auth.js';

const credentials = { appKey: 'DEMOAPPKEY0000000000000000001', appSecret: 'secret' };
const now = Date.UTC(2026, 9, 15, 9, 15, 14);

describe('X-AKSK', () => {
  it('the digest is Base64(HMAC-SHA256(secret, nonce + Created))', () => {
    // echo -n 'n12026-10-15T09:15:14Z' | openssl dgst -sha256 -hmac secret -binary | base64
    expect(passwordDigest('secret', 'n1', '2026-10-15T09:15:14Z')).toBe(
      'p9C7xpYkFEa9SjOSfSgGz7iaFDDW1O3T/bj0fQPKVeE=',
    );
  });

  it('reads the four fields of a UsernameToken, in any order and spacing', () => {
    expect(
      parseUsernameToken(
        'UsernameToken Nonce="n", Created="2026-10-15T09:15:14Z",Username="k",  PasswordDigest="d=="',
      ),
    ).toEqual({
      username: 'k',
      passwordDigest: 'd==',
      nonce: 'n',
      created: '2026-10-15T09:15:14Z',
    });
    expect(parseUsernameToken('Basic abc')).toBeUndefined();
    expect(parseUsernameToken('UsernameToken Username="k", Nonce="n"')).toBeUndefined();
  });

  it('Created is exactly yyyy-MM-ddTHH:mm:ssZ and a real instant', () => {
    expect(parseCreated('2026-10-15T09:15:14Z')).toBe(now);
    expect(parseCreated('2026-10-15 09:15:14')).toBeUndefined();
    expect(parseCreated('2026-10-15T09:15:14.000Z')).toBeUndefined();
    expect(parseCreated('2026-02-30T09:15:14Z')).toBeUndefined();
    expect(parseCreated('2026-10-15T24:00:00Z')).toBeUndefined();
  });

  it('a signed push passes once; its replay is refused', () => {
    const nonces = new NonceCache();
    const headers = signPush(credentials, 'n-1', now);
    expect(checkPush(headers, credentials, nonces, now)).toEqual({
      ok: true,
      nonce: 'n-1',
      createdMs: now,
    });
    expect(checkPush(headers, credentials, nonces, now + 1000)).toEqual({
      ok: false,
      reason: 'replayed-nonce',
    });
  });

  it('a refused digest does not spend the nonce', () => {
    const nonces = new NonceCache();
    const forged = signPush({ ...credentials, appSecret: 'guess' }, 'n-2', now);
    expect(checkPush(forged, credentials, nonces, now)).toEqual({
      ok: false,
      reason: 'bad-digest',
    });
    expect(checkPush(signPush(credentials, 'n-2', now), credentials, nonces, now).ok).toBe(true);
  });

  it('names why a push is refused', () => {
    const nonces = new NonceCache();
    const good = signPush(credentials, 'n-3', now);
    expect(checkPush({}, credentials, nonces, now)).toEqual({
      ok: false,
      reason: 'missing-authorization',
    });
    expect(checkPush({ authorization: good.authorization }, credentials, nonces, now)).toEqual({
      ok: false,
      reason: 'missing-x-aksk',
    });
    expect(checkPush({ ...good, 'x-aksk': 'UsernameToken' }, credentials, nonces, now)).toEqual({
      ok: false,
      reason: 'malformed-x-aksk',
    });
    expect(checkPush(good, { ...credentials, appKey: 'other' }, nonces, now)).toEqual({
      ok: false,
      reason: 'unknown-user',
    });
    expect(checkPush(good, credentials, nonces, now + AUTH_WINDOW_MS + 1000)).toEqual({
      ok: false,
      reason: 'stale-created',
    });
  });

  it('a nonce is forgotten once its push could no longer pass the time check', () => {
    const nonces = new NonceCache();
    expect(nonces.add('a', now + AUTH_WINDOW_MS, now)).toBe(true);
    expect(nonces.add('a', now + AUTH_WINDOW_MS, now + AUTH_WINDOW_MS)).toBe(false);
    expect(nonces.add('b', now + 3 * AUTH_WINDOW_MS, now + AUTH_WINDOW_MS + 1)).toBe(true);
    expect(nonces.size).toBe(1);
  });
});

describe('properties', () => {
  const skew = fc.integer({ min: -2 * AUTH_WINDOW_MS, max: 2 * AUTH_WINDOW_MS });
  const secret = fc.string({ minLength: 1, maxLength: 40 });
  const nonce = fc
    .string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 40 })
    .filter((n) => !n.includes('"'));

  it('a signed push passes exactly when Created is within 15 minutes of the clock', () => {
    fc.assert(
      fc.property(secret, nonce, skew, (appSecret, n, skewMs) => {
        const created = now + skewMs;
        const result = checkPush(
          signPush({ ...credentials, appSecret }, n, created),
          { ...credentials, appSecret },
          new NonceCache(),
          now,
        );
        // signPush writes whole seconds: the skew that counts is from the second signed.
        const signed = created - (((created % 1000) + 1000) % 1000);
        expect(result.ok).toBe(Math.abs(now - signed) <= AUTH_WINDOW_MS);
      }),
    );
  });

  it('any change to the digest is refused', () => {
    fc.assert(
      fc.property(nonce, fc.nat(), fc.constantFrom(...'ABCxyz019+/'), (n, at, c) => {
        const headers = signPush(credentials, n, now);
        const digest = /PasswordDigest="([^"]*)"/.exec(headers['x-aksk'])?.[1] ?? '';
        const k = at % digest.length;
        fc.pre(digest[k] !== c);
        const changed = digest.slice(0, k) + c + digest.slice(k + 1);
        const forged = { ...headers, 'x-aksk': headers['x-aksk'].replace(digest, changed) };
        expect(checkPush(forged, credentials, new NonceCache(), now)).toEqual({
          ok: false,
          reason: 'bad-digest',
        });
      }),
    );
  });

  it('among pushes sharing nonces, only the first of each nonce passes', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom('a', 'b', 'c', 'd'), { maxLength: 30 }), (ns) => {
        const nonces = new NonceCache();
        const passed = ns.filter(
          (n, k) => checkPush(signPush(credentials, n, now), credentials, nonces, now + k).ok,
        );
        expect(passed).toEqual([...new Set(ns)]);
      }),
    );
  });
});
