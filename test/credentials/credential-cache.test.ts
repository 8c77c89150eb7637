import { getEventListeners } from 'node:events';
import { inspect } from 'node:util';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';
import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  CredentialCache,
  CredentialsError,
  CredentialsTimeoutError,
  checkIdentity,
  isCredentialProvider,
  normalizeCredentialSource,
  redactIdentity,
  type CredentialCacheOptions,
  type RefreshErrorInfo,
  type RefreshInfo,
} from '../../src/credentials/index.js';
import { AWS4AuthError, InvalidInputError } from '../../src/signer/errors.js';
import { createFakeClock, type FakeClock } from '../helpers/fake-clock.js';

const SECOND = 1_000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

/** Every secret and token the fakes issue contains one of these, so leaks are easy to grep for. */
const SECRET_MARK = 'SECRETwJalrXUtnFEMI';
const TOKEN_MARK = 'TOKENFwoGZXIvYXdzE';
const LEAK = new RegExp(`${SECRET_MARK}|${TOKEN_MARK}`);

type Behaviour = 'ok' | 'fail' | 'hang' | ((call: number) => unknown);

/**
 * A credential provider driven by the test: it issues numbered credentials living `lifetimeMs` from the
 * moment of issue (by the fake clock), fails, hangs or returns whatever `behaviour` says, and counts
 * calls and how many are under way at once.
 */
function createFakeProvider(clock: FakeClock, { lifetimeMs = 15 * MINUTE }: { lifetimeMs?: number | undefined } = {}) {
  const state = {
    calls: 0,
    inFlight: 0,
    maxInFlight: 0,
    lifetimeMs,
    behaviour: 'ok' as Behaviour,
    args: [] as unknown[],
    issued: [] as AwsCredentialIdentity[],
  };
  const issue = (n: number): AwsCredentialIdentity => {
    const identity = {
      accessKeyId: `ASIAFAKE${String(n).padStart(8, '0')}`,
      secretAccessKey: `${SECRET_MARK}-${n}`,
      sessionToken: `${TOKEN_MARK}-${n}`,
      expiration: new Date(clock.now() + state.lifetimeMs),
    };
    state.issued.push(identity);
    return identity;
  };
  const provider: AwsCredentialIdentityProvider = async (props) => {
    state.calls += 1;
    state.args.push(props);
    state.inFlight += 1;
    state.maxInFlight = Math.max(state.maxInFlight, state.inFlight);
    const n = state.calls;
    const behaviour = state.behaviour;
    if (behaviour === 'hang') return new Promise<never>(() => {});
    try {
      await Promise.resolve();
      if (behaviour === 'fail') throw new Error(`provider down (call ${n})`);
      if (behaviour === 'ok') return issue(n);
      return behaviour(n) as AwsCredentialIdentity;
    } finally {
      state.inFlight -= 1;
    }
  };
  return Object.assign(state, { provider });
}

/** Lets every pending promise callback run (background refreshes included). */
async function flush(): Promise<void> {
  await new Promise<void>((resolve) => setImmediate(resolve));
}

function newCache(provider: AwsCredentialIdentityProvider, clock: FakeClock, options: CredentialCacheOptions = {}) {
  return new CredentialCache(provider, { ...options, clock: clock.now, backoff: { jitter: (delay) => delay, ...options.backoff } });
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('CredentialCache: caching', () => {
  it('asks the provider on first use and serves the cached identity afterwards', async () => {
    const clock = createFakeClock();
    const fake = createFakeProvider(clock);
    const cache = newCache(fake.provider, clock);
    expect(fake.calls).toBe(0);

    const first = await cache.getCredentials();
    clock.advance(9 * MINUTE);
    const second = await cache.getCredentials();

    expect(fake.calls).toBe(1);
    expect(second).toBe(first);
    expect(first.accessKeyId).toBe('ASIAFAKE00000001');
    expect(first.secretAccessKey).toBe(`${SECRET_MARK}-1`);
    expect(first.sessionToken).toBe(`${TOKEN_MARK}-1`);
  });

  it('returns a frozen copy, so callers cannot corrupt the cache', async () => {
    const clock = createFakeClock();
    const fake = createFakeProvider(clock);
    const cache = newCache(fake.provider, clock);
    const identity = await cache.getCredentials();
    expect(Object.isFrozen(identity)).toBe(true);
    expect(identity).not.toBe(fake.issued[0]);
    expect(identity).toEqual(fake.issued[0]);
  });

  it('works with a fixed identity, which has no expiry and is never refreshed', async () => {
    const clock = createFakeClock();
    const cache = new CredentialCache({ accessKeyId: 'AKIDEXAMPLE', secretAccessKey: SECRET_MARK }, { clock: clock.now });
    const first = await cache.getCredentials();
    clock.advance(365 * 24 * HOUR);
    const second = await cache.getCredentials();
    expect(second).toBe(first);
    expect(first).toEqual({ accessKeyId: 'AKIDEXAMPLE', secretAccessKey: SECRET_MARK });
  });

  it('caches credentials without expiration until invalidate(), then asks again with forceRefresh', async () => {
    const clock = createFakeClock();
    const fake = createFakeProvider(clock);
    fake.behaviour = (n) => ({ accessKeyId: `AKID${n}`, secretAccessKey: `${SECRET_MARK}-${n}` });
    const cache = newCache(fake.provider, clock);

    const first = await cache.getCredentials();
    clock.advance(30 * 24 * HOUR);
    expect(await cache.getCredentials()).toBe(first);
    expect(fake.calls).toBe(1);
    expect(fake.args[0]).toBeUndefined();

    cache.invalidate();
    const second = await cache.getCredentials();
    expect(second.accessKeyId).toBe('AKID2');
    expect(fake.calls).toBe(2);
    expect(fake.args[1]).toEqual({ forceRefresh: true });

    await cache.getCredentials();
    expect(fake.args).toHaveLength(2);
  });

  it('drops an empty session token instead of signing with an empty x-amz-security-token', async () => {
    const clock = createFakeClock();
    const cache = new CredentialCache({ accessKeyId: 'AKID', secretAccessKey: SECRET_MARK, sessionToken: '' }, { clock: clock.now });
    const identity = await cache.getCredentials();
    expect(identity.sessionToken).toBeUndefined();
    expect(JSON.stringify(identity)).not.toContain('sessionToken');
  });
});

describe('CredentialCache: refresh ahead of expiry', () => {
  it('does not refresh before the refresh window (default: 5 minutes before expiration)', async () => {
    const clock = createFakeClock();
    const fake = createFakeProvider(clock);
    const cache = newCache(fake.provider, clock);
    await cache.getCredentials();
    clock.advance(10 * MINUTE - 1);
    await cache.getCredentials();
    await flush();
    expect(fake.calls).toBe(1);
  });

  it('inside the window, refreshes in the background while the still-valid credentials keep serving', async () => {
    const clock = createFakeClock();
    const fake = createFakeProvider(clock);
    let release: (() => void) | undefined;
    fake.behaviour = (n) => (n === 1 ? { ...fakeIdentity(clock, n) } : new Promise((resolve) => (release = () => resolve(fakeIdentity(clock, n)))));
    const refreshed: RefreshInfo[] = [];
    const cache = newCache(fake.provider, clock, { onRefresh: (info) => refreshed.push(info) });

    const old = await cache.getCredentials();
    clock.advance(10 * MINUTE);
    expect(await cache.getCredentials()).toBe(old); // starts the refresh, does not wait for it
    await flush();
    expect(fake.calls).toBe(2);
    clock.advance(4 * MINUTE);
    expect(await cache.getCredentials()).toBe(old); // the refresh is still under way
    expect(fake.calls).toBe(2);

    release!();
    await flush();
    const fresh = await cache.getCredentials();
    expect(fresh.accessKeyId).toBe('ASIAFAKE00000002');
    expect(refreshed.map((info) => info.accessKeyId)).toEqual(['ASIAFAKE00000001', 'ASIAFAKE00000002']);
  });

  it('honours a configured refresh window', async () => {
    const clock = createFakeClock();
    const fake = createFakeProvider(clock, { lifetimeMs: HOUR });
    const cache = newCache(fake.provider, clock, { refreshWindowMs: 15 * MINUTE });
    await cache.getCredentials();
    clock.advance(45 * MINUTE - 1);
    await cache.getCredentials();
    await flush();
    expect(fake.calls).toBe(1);
    clock.advance(1);
    await cache.getCredentials();
    await flush();
    expect(fake.calls).toBe(2);
  });

  it('makes callers wait for the refresh once the credentials have expired, and never returns expired ones', async () => {
    const clock = createFakeClock();
    const fake = createFakeProvider(clock);
    const cache = newCache(fake.provider, clock);
    const old = await cache.getCredentials();
    clock.set(old.expiration!.getTime()); // exactly at expiry: expired

    const fresh = await cache.getCredentials();
    expect(fresh.accessKeyId).toBe('ASIAFAKE00000002');
    expect(fresh.expiration!.getTime()).toBeGreaterThan(clock.now());
  });

  it('scales the window down for credentials that live shorter than it: half their lifetime, not a refresh per request', async () => {
    const clock = createFakeClock();
    const fake = createFakeProvider(clock, { lifetimeMs: 4 * MINUTE }); // shorter than the 5-minute window
    const cache = newCache(fake.provider, clock);
    await cache.getCredentials();
    for (let i = 0; i < 119; i++) {
      clock.advance(SECOND);
      await cache.getCredentials();
    }
    await flush();
    expect(fake.calls).toBe(1); // 1 min 59 s in: still the first credentials

    clock.advance(SECOND); // 2 min = half of 4 min
    await cache.getCredentials();
    await flush();
    expect(fake.calls).toBe(2);
  });

  it('refreshes one-second credentials after half a second', async () => {
    const clock = createFakeClock();
    const fake = createFakeProvider(clock, { lifetimeMs: SECOND });
    const refreshed: RefreshInfo[] = [];
    const cache = newCache(fake.provider, clock, { onRefresh: (info) => refreshed.push(info) });
    await cache.getCredentials();
    expect(refreshed[0]!.nextRefreshAt!.getTime() - refreshed[0]!.refreshedAt.getTime()).toBe(500);
  });

  it('counts credentials short-lived from when the cache received them, so a provider that re-serves the same ones is asked only a logarithmic number of times', async () => {
    const clock = createFakeClock();
    const expiration = new Date(clock.now() + 4 * MINUTE);
    const sameCredentials: AwsCredentialIdentityProvider = vi.fn(async () => ({ accessKeyId: 'AKID', secretAccessKey: SECRET_MARK, expiration }));
    const cache = newCache(sameCredentials, clock);
    while (clock.now() < expiration.getTime() - 1) {
      await cache.getCredentials();
      await flush();
      clock.advance(100);
    }
    // 4 minutes of requests every 100 ms: each refresh halves the remaining time, about log2(2400) calls,
    // plus one forced ask the first time the same credentials come back
    expect(vi.mocked(sameCredentials).mock.calls.length).toBeLessThanOrEqual(21);
    expect(vi.mocked(sameCredentials).mock.calls.filter(([props]) => props?.forceRefresh === true)).toHaveLength(1);
  });
});

describe('CredentialCache: peekCredentials, the synchronous read', () => {
  it('answers undefined until credentials have been fetched, without asking the provider', async () => {
    const clock = createFakeClock();
    const fake = createFakeProvider(clock);
    const cache = newCache(fake.provider, clock);
    expect(cache.peekCredentials()).toBeUndefined();
    await flush();
    expect(fake.calls).toBe(0);
    const fetched = await cache.getCredentials();
    expect(cache.peekCredentials()).toBe(fetched);
  });

  it('answers undefined once the credentials have expired, so the caller waits for new ones instead of signing with them', async () => {
    const clock = createFakeClock();
    const fake = createFakeProvider(clock);
    const cache = newCache(fake.provider, clock);
    await cache.getCredentials();
    clock.advance(15 * MINUTE);
    expect(cache.peekCredentials()).toBeUndefined();
    expect((await cache.getCredentials()).accessKeyId).toBe('ASIAFAKE00000002');
  });

  it('inside the refresh window, serves the valid credentials and starts one background refresh however often it is called', async () => {
    const clock = createFakeClock();
    const fake = createFakeProvider(clock);
    const cache = newCache(fake.provider, clock);
    const old = await cache.getCredentials();
    clock.advance(11 * MINUTE);
    for (let i = 0; i < 100; i++) expect(cache.peekCredentials()).toBe(old);
    await flush();
    expect(fake.calls).toBe(2);
    expect(cache.peekCredentials()?.accessKeyId).toBe('ASIAFAKE00000002');
  });

  it('after invalidate() answers undefined', async () => {
    const clock = createFakeClock();
    const cache = newCache(createFakeProvider(clock).provider, clock);
    await cache.getCredentials();
    cache.invalidate();
    expect(cache.peekCredentials()).toBeUndefined();
  });
});

describe('CredentialCache: single flight', () => {
  it('makes one provider call for 1,000 concurrent first callers', async () => {
    const clock = createFakeClock();
    const fake = createFakeProvider(clock);
    const cache = newCache(fake.provider, clock);
    const identities = await Promise.all(Array.from({ length: 1_000 }, () => cache.getCredentials()));
    expect(fake.calls).toBe(1);
    expect(new Set(identities).size).toBe(1);
  });

  it('makes one provider call for 1,000 concurrent callers at the instant the window opens', async () => {
    const clock = createFakeClock();
    const fake = createFakeProvider(clock);
    const cache = newCache(fake.provider, clock);
    const old = await cache.getCredentials();
    clock.advance(10 * MINUTE);
    const identities = await Promise.all(Array.from({ length: 1_000 }, () => cache.getCredentials()));
    await flush();
    expect(fake.calls).toBe(2);
    expect(identities.every((identity) => identity === old)).toBe(true);
    expect(fake.maxInFlight).toBe(1);
  });

  it('makes one provider call for 1,000 concurrent callers at the instant the credentials expire, and all get the new ones', async () => {
    const clock = createFakeClock();
    const fake = createFakeProvider(clock);
    const cache = newCache(fake.provider, clock);
    const old = await cache.getCredentials();
    clock.set(old.expiration!.getTime());
    const identities = await Promise.all(Array.from({ length: 1_000 }, () => cache.getCredentials()));
    expect(fake.calls).toBe(2);
    expect(new Set(identities.map((identity) => identity.accessKeyId))).toEqual(new Set(['ASIAFAKE00000002']));
  });
});

describe('CredentialCache: failed refreshes', () => {
  it('fails no request when a refresh fails while the old credentials are valid, and reports it', async () => {
    const clock = createFakeClock();
    const fake = createFakeProvider(clock);
    const errors: Array<[CredentialsError, RefreshErrorInfo]> = [];
    const cache = newCache(fake.provider, clock, { onRefreshError: (error, info) => errors.push([error, info]) });
    const old = await cache.getCredentials();
    fake.behaviour = 'fail';
    clock.advance(10 * MINUTE);

    for (let i = 0; i < 50; i++) {
      expect(await cache.getCredentials()).toBe(old);
      await flush();
    }
    expect(fake.calls).toBe(2); // one failed attempt; the next waits for the backoff
    expect(errors).toHaveLength(1);
    const [error, info] = errors[0]!;
    expect(error).toBeInstanceOf(CredentialsError);
    expect((error.cause as Error).message).toBe('provider down (call 2)');
    expect(info.failures).toBe(1);
    expect(info.validUntil).toEqual(old.expiration);
    expect(info.nextAttemptAt.getTime()).toBe(clock.now() + SECOND);
  });

  it('retries with exponential backoff (no timers: the first call after the delay starts the attempt), capped', async () => {
    const clock = createFakeClock();
    const fake = createFakeProvider(clock, { lifetimeMs: 2 * HOUR });
    const cache = newCache(fake.provider, clock, { refreshWindowMs: HOUR, backoff: { initialDelayMs: SECOND, maxDelayMs: 8 * SECOND, jitter: (d) => d } });
    await cache.getCredentials();
    fake.behaviour = 'fail';
    clock.advance(HOUR);

    const attemptTimes: number[] = [];
    const start = clock.now();
    for (let t = 0; t <= 40 * SECOND; t += 100) {
      clock.set(start + t);
      const before = fake.calls;
      await cache.getCredentials();
      await flush();
      if (fake.calls > before) attemptTimes.push(t);
    }
    const gaps = attemptTimes.slice(1).map((t, i) => t - attemptTimes[i]!);
    expect(gaps).toEqual([1_000, 2_000, 4_000, 8_000, 8_000, 8_000, 8_000]);
  });

  it('applies the injected jitter to the backoff delay', async () => {
    const clock = createFakeClock();
    const fake = createFakeProvider(clock);
    const jitter = vi.fn((delay: number) => delay * 0.25);
    const infos: RefreshErrorInfo[] = [];
    const cache = newCache(fake.provider, clock, { backoff: { jitter }, onRefreshError: (_e, info) => infos.push(info) });
    await cache.getCredentials();
    fake.behaviour = 'fail';
    clock.advance(10 * MINUTE);
    await cache.getCredentials();
    await flush();
    expect(jitter).toHaveBeenCalledWith(SECOND);
    expect(infos[0]!.nextAttemptAt.getTime()).toBe(clock.now() + 250);
  });

  it('never lets the backoff hold back the first attempt after the credentials expire', async () => {
    const clock = createFakeClock();
    const fake = createFakeProvider(clock);
    const cache = newCache(fake.provider, clock, { backoff: { initialDelayMs: HOUR, maxDelayMs: HOUR } });
    const old = await cache.getCredentials();
    fake.behaviour = 'fail';
    clock.advance(10 * MINUTE);
    await cache.getCredentials();
    await flush();
    expect(fake.calls).toBe(2);

    fake.behaviour = 'ok';
    clock.set(old.expiration!.getTime());
    const fresh = await cache.getCredentials();
    expect(fake.calls).toBe(3);
    expect(fresh.accessKeyId).toBe('ASIAFAKE00000003');
  });

  it('once the credentials have expired, fails requests with a CredentialsError carrying the provider error as cause', async () => {
    const clock = createFakeClock();
    const fake = createFakeProvider(clock);
    const cache = newCache(fake.provider, clock);
    const old = await cache.getCredentials();
    fake.behaviour = 'fail';
    clock.set(old.expiration!.getTime() + 1);

    const error = await cache.getCredentials().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CredentialsError);
    expect(error).toBeInstanceOf(AWS4AuthError);
    expect(error).toMatchObject({ code: 'ERR_AWS4_CREDENTIALS', name: 'CredentialsError' });
    expect(((error as Error).cause as Error).message).toBe('provider down (call 2)');
    expect((error as Error).message).toMatch(/credential provider failed/);
  });

  it('fails fast with the last error during the backoff when there are no valid credentials, then tries again', async () => {
    const clock = createFakeClock();
    const fake = createFakeProvider(clock);
    fake.behaviour = 'fail';
    const cache = newCache(fake.provider, clock);

    const first = await cache.getCredentials().catch((e: unknown) => e);
    const during = await Promise.all(Array.from({ length: 100 }, () => cache.getCredentials().catch((e: unknown) => e)));
    expect(fake.calls).toBe(1);
    expect(during.every((error) => error === first)).toBe(true);

    fake.behaviour = 'ok';
    clock.advance(SECOND);
    expect((await cache.getCredentials()).accessKeyId).toBe('ASIAFAKE00000002');
  });

  it('resets the backoff after a success', async () => {
    const clock = createFakeClock();
    const fake = createFakeProvider(clock);
    const infos: RefreshErrorInfo[] = [];
    const cache = newCache(fake.provider, clock, { onRefreshError: (_e, info) => infos.push(info) });
    await cache.getCredentials();
    fake.behaviour = 'fail';
    clock.advance(10 * MINUTE);
    for (const delay of [0, SECOND, 2 * SECOND]) {
      clock.advance(delay);
      await cache.getCredentials();
      await flush();
    }
    expect(infos.map((info) => info.failures)).toEqual([1, 2, 3]);
    fake.behaviour = 'ok';
    clock.advance(4 * SECOND);
    await cache.getCredentials();
    await flush();
    fake.behaviour = 'fail';
    clock.advance(10 * MINUTE);
    await cache.getCredentials();
    await flush();
    expect(infos.at(-1)!.failures).toBe(1);
  });

  it('treats a provider that throws synchronously, or rejects with a non-Error, as a failed refresh', async () => {
    const clock = createFakeClock();
    const throwing = (() => {
      throw new TypeError('sync');
    }) as unknown as AwsCredentialIdentityProvider;
    const rejecting: AwsCredentialIdentityProvider = () => Promise.reject('a string');
    const syncError = await newCache(throwing, clock).getCredentials().catch((e: unknown) => e);
    const stringError = await newCache(rejecting, clock).getCredentials().catch((e: unknown) => e);
    expect(syncError).toBeInstanceOf(CredentialsError);
    expect((syncError as CredentialsError).providerError()).toBeInstanceOf(TypeError);
    expect((syncError as Error).cause).toMatchObject({ name: 'TypeError', message: 'sync' }); // a redacted copy
    expect(stringError).toBeInstanceOf(CredentialsError);
    expect((stringError as CredentialsError).providerError()).toBe('a string');
    expect((stringError as Error).cause).toMatchObject({ message: 'a string' });
  });

  const secret = `${SECRET_MARK}-malformed`;
  it.each<[string, unknown]>([
    ['null', null],
    ['a string', 'AKID:secret'],
    ['an empty object', {}],
    ['a missing secretAccessKey', { accessKeyId: 'AKID' }],
    ['an empty accessKeyId', { accessKeyId: '', secretAccessKey: secret }],
    ['an empty secretAccessKey', { accessKeyId: 'AKID', secretAccessKey: '' }],
    ['a numeric accessKeyId', { accessKeyId: 42, secretAccessKey: secret }],
    ['a non-string sessionToken', { accessKeyId: 'AKID', secretAccessKey: secret, sessionToken: 7 }],
    ['an expiration that is a string', { accessKeyId: 'AKID', secretAccessKey: secret, expiration: '2030-01-01T00:00:00Z' }],
    ['an invalid Date', { accessKeyId: 'AKID', secretAccessKey: secret, expiration: new Date('garbage') }],
  ])('fails the refresh with a CredentialsError, never signs later, when the provider returns %s', async (_name, value) => {
    const clock = createFakeClock();
    const cache = newCache(async () => value as AwsCredentialIdentity, clock);
    const error = await cache.getCredentials().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CredentialsError);
    expect((error as CredentialsError).code).toBe('ERR_AWS4_CREDENTIALS');
    expect((error as Error).message).toMatch(/malformed credentials/);
    expect((error as Error).message).not.toMatch(LEAK);
  });

  it('treats already-expired credentials (expiration at or before now) as a failed refresh', async () => {
    const clock = createFakeClock();
    for (const offset of [-HOUR, 0]) {
      const cache = newCache(async () => ({ accessKeyId: 'AKID', secretAccessKey: SECRET_MARK, expiration: new Date(clock.now() + offset) }), clock);
      const error = await cache.getCredentials().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(CredentialsError);
      expect((error as Error).message).toMatch(/already|expired at/);
    }
  });

  it('keeps serving the old credentials when a refresh returns malformed or expired ones', async () => {
    const clock = createFakeClock();
    const fake = createFakeProvider(clock);
    const errors: CredentialsError[] = [];
    const cache = newCache(fake.provider, clock, { onRefreshError: (error) => errors.push(error) });
    const old = await cache.getCredentials();
    fake.behaviour = () => ({ accessKeyId: 'AKID' });
    clock.advance(10 * MINUTE);
    expect(await cache.getCredentials()).toBe(old);
    await flush();
    fake.behaviour = () => ({ accessKeyId: 'AKID', secretAccessKey: 'x', expiration: new Date(clock.now() - 1) });
    clock.advance(SECOND);
    expect(await cache.getCredentials()).toBe(old);
    await flush();
    expect(errors.map((error) => error.message)).toEqual([expect.stringMatching(/malformed/), expect.stringMatching(/expired at/)]);
  });
});

describe('CredentialCache: timeouts and abort signals', () => {
  it('bounds a hanging provider with the timeout: CredentialsTimeoutError (ERR_AWS4_CREDENTIALS_TIMEOUT)', async () => {
    const clock = createFakeClock();
    const cache = newCache(() => new Promise<never>(() => {}), clock, { timeoutMs: 20 });
    const started = performance.now();
    const error = await cache.getCredentials().catch((e: unknown) => e);
    expect(performance.now() - started).toBeLessThan(1_000);
    expect(error).toBeInstanceOf(CredentialsTimeoutError);
    expect(error).toBeInstanceOf(CredentialsError);
    expect(error).toMatchObject({ code: 'ERR_AWS4_CREDENTIALS_TIMEOUT', timeoutMs: 20 });
  });

  it('costs no request when the provider hangs during the refresh window, and starts no second call while it hangs', async () => {
    const clock = createFakeClock();
    const fake = createFakeProvider(clock);
    const errors: CredentialsError[] = [];
    const cache = newCache(fake.provider, clock, { timeoutMs: 30, onRefreshError: (error) => errors.push(error) });
    const old = await cache.getCredentials();
    fake.behaviour = 'hang';
    clock.advance(10 * MINUTE);
    for (let i = 0; i < 20; i++) {
      expect(await cache.getCredentials()).toBe(old);
      clock.advance(SECOND);
    }
    expect(fake.calls).toBe(2);
    await vi.waitFor(() => expect(errors).toHaveLength(1));
    expect(errors[0]).toBeInstanceOf(CredentialsTimeoutError);
    fake.behaviour = 'ok';
    clock.advance(SECOND);
    expect(await cache.getCredentials()).toBe(old);
    await flush();
    expect((await cache.getCredentials()).accessKeyId).toBe('ASIAFAKE00000003');
  });

  it('ignores a result that arrives after the timeout, and never reports a late rejection as unhandled', async () => {
    const clock = createFakeClock();
    const unhandled = vi.fn();
    process.on('unhandledRejection', unhandled);
    try {
      const late = newCache(() => new Promise((resolve) => setTimeout(() => resolve({ accessKeyId: 'LATE', secretAccessKey: 'x' }), 40)), clock, { timeoutMs: 10 });
      const lateReject = newCache(() => new Promise((_, reject) => setTimeout(() => reject(new Error('late')), 40)), clock, { timeoutMs: 10 });
      await expect(late.getCredentials()).rejects.toBeInstanceOf(CredentialsTimeoutError);
      await expect(lateReject.getCredentials()).rejects.toBeInstanceOf(CredentialsTimeoutError);
      await new Promise((resolve) => setTimeout(resolve, 80));
      expect(late.toJSON().state).toBe('empty');
      expect(unhandled).not.toHaveBeenCalled();
    } finally {
      process.off('unhandledRejection', unhandled);
    }
  });

  it('creates one timeout timer per provider call, ref’d while callers wait, unref’d for a background refresh, cleared when the provider answers', async () => {
    const clock = createFakeClock();
    const fake = createFakeProvider(clock);
    const setSpy = vi.spyOn(globalThis, 'setTimeout');
    const clearSpy = vi.spyOn(globalThis, 'clearTimeout');
    const cache = newCache(fake.provider, clock, { timeoutMs: 60_000 });
    const waiting = Promise.all(Array.from({ length: 10 }, () => cache.getCredentials()));
    const timers = setSpy.mock.calls.filter(([, ms]) => ms === 60_000);
    expect(timers).toHaveLength(1);
    const timer = setSpy.mock.results.find((_r, i) => setSpy.mock.calls[i]![1] === 60_000)!.value as NodeJS.Timeout;
    expect(timer.hasRef()).toBe(true); // callers are waiting on it
    await waiting;
    expect(clearSpy).toHaveBeenCalledWith(timer);
    clock.advance(14 * MINUTE); // into the refresh window: a background refresh nobody waits on
    setSpy.mockClear();
    cache.peekCredentials();
    const background = setSpy.mock.results.find((_r, i) => setSpy.mock.calls[i]![1] === 60_000)!.value as NodeJS.Timeout;
    expect(background.hasRef()).toBe(false);
  });

  it('rejects an aborted caller with the abort reason, without cancelling the refresh others wait on', async () => {
    const clock = createFakeClock();
    let resolve!: (identity: AwsCredentialIdentity) => void;
    const provider = vi.fn(() => new Promise<AwsCredentialIdentity>((r) => (resolve = r)));
    const cache = newCache(provider, clock);
    const controller = new AbortController();
    const reason = new Error('request cancelled');

    const aborted = cache.getCredentials({ signal: controller.signal });
    const patient = cache.getCredentials();
    controller.abort(reason);
    await expect(aborted).rejects.toBe(reason);

    resolve({ accessKeyId: 'AKID', secretAccessKey: SECRET_MARK, expiration: new Date(clock.now() + HOUR) });
    expect((await patient).accessKeyId).toBe('AKID');
    expect((await cache.getCredentials({ signal: controller.signal }).catch((e: unknown) => e))).toBe(reason); // still aborted
    expect((await cache.getCredentials()).accessKeyId).toBe('AKID'); // the shared refresh was cached
    expect(provider).toHaveBeenCalledTimes(1);
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
  });

  it('rejects at once, without calling the provider, when the signal is already aborted', async () => {
    const clock = createFakeClock();
    const fake = createFakeProvider(clock);
    const cache = newCache(fake.provider, clock);
    const error = await cache.getCredentials({ signal: AbortSignal.abort() }).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'AbortError' });
    expect(fake.calls).toBe(0);
  });

  it('removes its abort listener once the credentials arrive', async () => {
    const clock = createFakeClock();
    const fake = createFakeProvider(clock);
    const cache = newCache(fake.provider, clock);
    const controller = new AbortController();
    await Promise.all(Array.from({ length: 5 }, () => cache.getCredentials({ signal: controller.signal })));
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
  });

  it('stops waiting on AbortSignal.timeout with its TimeoutError', async () => {
    const clock = createFakeClock();
    const cache = newCache(() => new Promise<never>(() => {}), clock);
    const error = await cache.getCredentials({ signal: AbortSignal.timeout(10) }).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'TimeoutError' });
  });
});

describe('CredentialCache: rotation under a fake clock', () => {
  it('serves 24 simulated hours of 15-minute credentials: never expired, one provider call per rotation even with 1,000 callers at the rotation instant', async () => {
    const clock = createFakeClock();
    const fake = createFakeProvider(clock, { lifetimeMs: 15 * MINUTE });
    const rotations: RefreshInfo[] = [];
    const cache = newCache(fake.provider, clock, { onRefresh: (info) => rotations.push(info) });
    const end = clock.now() + 24 * HOUR;
    let seed = 12345;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    let requests = 0;

    const check = (identity: AwsCredentialIdentity) => {
      expect(identity.expiration!.getTime()).toBeGreaterThan(clock.now());
      requests += 1;
    };
    check(await cache.getCredentials());
    while (clock.now() < end) {
      const nextRefreshAt = rotations.at(-1)!.nextRefreshAt!.getTime();
      const step = 1_000 + Math.floor(random() * 9_000); // every 1–10 simulated seconds
      if (clock.now() + step >= nextRefreshAt) {
        clock.set(nextRefreshAt); // the rotation instant
        const before = fake.calls;
        const identities = await Promise.all(Array.from({ length: 1_000 }, () => cache.getCredentials()));
        identities.forEach(check);
        await flush();
        expect(fake.calls - before).toBe(1);
      } else {
        clock.advance(step);
        check(await cache.getCredentials());
        await flush();
      }
    }
    expect(fake.calls).toBe(rotations.length);
    expect(rotations.length).toBe(1 + (24 * 60) / 10); // refreshed every 10 minutes (15 - 5)
    expect(fake.maxInFlight).toBe(1);
    expect(requests).toBeGreaterThan(15_000);
  });

  it('never returns expired credentials and never has two provider calls in flight, for random schedules (property)', async () => {
    type Step =
      | { kind: 'advance'; ms: number }
      | { kind: 'call'; count: number }
      | { kind: 'settle'; ok: boolean }
      | { kind: 'invalidate' };
    const step: fc.Arbitrary<Step> = fc.oneof(
      { weight: 4, arbitrary: fc.record({ kind: fc.constant('advance' as const), ms: fc.integer({ min: 0, max: 20 * MINUTE }) }) },
      { weight: 4, arbitrary: fc.record({ kind: fc.constant('call' as const), count: fc.integer({ min: 1, max: 20 }) }) },
      { weight: 3, arbitrary: fc.record({ kind: fc.constant('settle' as const), ok: fc.boolean() }) },
      { weight: 1, arbitrary: fc.record({ kind: fc.constant('invalidate' as const) }) },
    );
    await fc.assert(
      fc.asyncProperty(
        fc.array(step, { minLength: 1, maxLength: 60 }),
        fc.integer({ min: 1, max: 2 * HOUR }),
        fc.integer({ min: 0, max: 30 * MINUTE }),
        fc.boolean(),
        async (steps, lifetimeMs, refreshWindowMs, providerWorks) => {
          const clock = createFakeClock();
          const pending: Array<(ok: boolean) => void> = [];
          let inFlight = 0;
          let maxInFlight = 0;
          let calls = 0;
          const provider: AwsCredentialIdentityProvider = () => {
            calls += 1;
            inFlight += 1;
            maxInFlight = Math.max(maxInFlight, inFlight);
            const n = calls;
            return new Promise((resolve, reject) => {
              pending.push((ok) => {
                inFlight -= 1;
                if (ok) resolve({ accessKeyId: `AKID${n}`, secretAccessKey: SECRET_MARK, expiration: new Date(clock.now() + lifetimeMs) });
                else reject(new Error('down'));
              });
            });
          };
          const cache = new CredentialCache(provider, { clock: clock.now, refreshWindowMs, timeoutMs: Infinity, backoff: { jitter: (d) => d } });
          const violations: string[] = [];
          const outcomes: Array<Promise<void>> = [];
          for (const s of steps) {
            if (s.kind === 'advance') clock.advance(s.ms);
            else if (s.kind === 'invalidate') cache.invalidate();
            else if (s.kind === 'settle') pending.shift()?.(providerWorks || s.ok);
            else {
              for (let i = 0; i < s.count; i++) {
                outcomes.push(
                  cache.getCredentials().then(
                    (identity) => {
                      if (!(identity.expiration!.getTime() > clock.now())) violations.push(`expired credentials returned at ${clock.now()}`);
                    },
                    (error: unknown) => {
                      if (!(error instanceof CredentialsError)) violations.push(`untyped error ${String(error)}`);
                      if (providerWorks) violations.push('a request failed although the provider works');
                    },
                  ),
                );
              }
            }
            await flush();
          }
          while (pending.length > 0) {
            pending.shift()!(true);
            await flush();
          }
          await Promise.all(outcomes);
          expect(violations).toEqual([]);
          expect(maxInFlight).toBeLessThanOrEqual(1);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('never asks the provider before the credentials are due for refresh, for random lifetimes and call times (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 2, max: 3 * HOUR }),
        fc.integer({ min: 0, max: 30 * MINUTE }),
        fc.array(fc.integer({ min: 0, max: 10 * MINUTE }), { minLength: 1, maxLength: 100 }),
        async (lifetimeMs, refreshWindowMs, gaps) => {
          const clock = createFakeClock();
          const fake = createFakeProvider(clock, { lifetimeMs });
          const refreshes: RefreshInfo[] = [];
          const cache = newCache(fake.provider, clock, { refreshWindowMs, onRefresh: (info) => refreshes.push(info) });
          await cache.getCredentials();
          for (const gap of gaps) {
            clock.advance(gap);
            const before = fake.calls;
            const due = refreshes.at(-1)!.nextRefreshAt!.getTime();
            const identity = await cache.getCredentials();
            expect(identity.expiration!.getTime()).toBeGreaterThan(clock.now());
            expect(fake.calls - before).toBe(clock.now() >= due ? 1 : 0);
            await flush();
          }
          const window = Math.min(refreshWindowMs, Math.floor(lifetimeMs / 2));
          for (const info of refreshes) expect(info.expiration!.getTime() - info.nextRefreshAt!.getTime()).toBe(window);
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('CredentialCache: secrets never printed', () => {
  async function cachesInEveryState() {
    const clock = createFakeClock();
    const fake = createFakeProvider(clock);
    const empty = newCache(fake.provider, clock);
    const valid = newCache(fake.provider, clock);
    await valid.getCredentials();
    const refreshing = newCache(fake.provider, clock);
    await refreshing.getCredentials();
    const expired = newCache(fake.provider, clock);
    await expired.getCredentials();
    const failed = newCache(fake.provider, clock);
    await failed.getCredentials();
    const fixed = new CredentialCache({ accessKeyId: 'AKIDFIXED', secretAccessKey: SECRET_MARK, sessionToken: TOKEN_MARK });
    await fixed.getCredentials();
    clock.advance(16 * MINUTE);
    fake.behaviour = 'hang';
    void refreshing.getCredentials().catch(() => {});
    fake.behaviour = 'fail';
    await failed.getCredentials().catch(() => {});
    return { empty, valid, refreshing, expired, failed, fixed };
  }

  it('keeps util.inspect, String and JSON.stringify of the cache free of secrets and tokens, in every state', async () => {
    const caches = await cachesInEveryState();
    const states = new Set<string>();
    for (const cache of Object.values(caches)) {
      states.add(cache.toJSON().state);
      for (const printed of [
        inspect(cache),
        inspect(cache, { showHidden: true, depth: Infinity, getters: true }),
        String(cache),
        `${cache}`,
        JSON.stringify(cache),
        JSON.stringify({ nested: [cache] }),
      ]) {
        expect(printed).not.toMatch(LEAK);
      }
    }
    expect(states).toEqual(new Set(['empty', 'valid', 'expired', 'refreshing']));
    expect(String(caches.fixed)).toBe('CredentialCache(valid, AKIDFIXED)');
    expect(JSON.parse(JSON.stringify(caches.fixed))).toEqual({
      state: 'valid',
      source: 'identity',
      credentials: { accessKeyId: 'AKIDFIXED', secretAccessKey: '[redacted]', sessionToken: '[redacted]' },
      failures: 0,
    });
    expect(inspect(caches.failed)).toMatch(/failures: 1/);
  });

  it('returns identities whose inspect, String and JSON output is redacted while the fields stay readable', async () => {
    const clock = createFakeClock();
    const fake = createFakeProvider(clock);
    const identity = await newCache(fake.provider, clock).getCredentials();
    for (const printed of [inspect(identity), inspect(identity, { showHidden: true }), String(identity), JSON.stringify(identity), JSON.stringify({ identity })]) {
      expect(printed).not.toMatch(LEAK);
      expect(printed).toContain('ASIAFAKE00000001');
    }
    expect(identity.secretAccessKey).toContain(SECRET_MARK);
    expect({ ...identity }.sessionToken).toContain(TOKEN_MARK);
  });

  it('tells onRefresh and onRefreshError nothing secret', async () => {
    const clock = createFakeClock();
    const fake = createFakeProvider(clock);
    const seen: unknown[] = [];
    const cache = newCache(fake.provider, clock, { onRefresh: (info) => seen.push(info), onRefreshError: (error, info) => seen.push(error.message, info) });
    await cache.getCredentials();
    fake.behaviour = () => ({ accessKeyId: '', secretAccessKey: `${SECRET_MARK}-x`, sessionToken: `${TOKEN_MARK}-x` });
    clock.advance(11 * MINUTE);
    await cache.getCredentials();
    await flush();
    expect(seen).toHaveLength(3);
    expect(inspect(seen, { depth: Infinity })).not.toMatch(LEAK);
    expect(seen[0]).toEqual({
      accessKeyId: 'ASIAFAKE00000001',
      expiration: new Date(clock.now() - 11 * MINUTE + 15 * MINUTE),
      refreshedAt: new Date(clock.now() - 11 * MINUTE),
      nextRefreshAt: new Date(clock.now() - 11 * MINUTE + 10 * MINUTE),
    });
  });

  it('reports a throwing hook as a process warning and carries on', async () => {
    const clock = createFakeClock();
    const fake = createFakeProvider(clock);
    const warn = vi.spyOn(process, 'emitWarning').mockImplementation(() => {});
    const cache = newCache(fake.provider, clock, {
      onRefresh: () => {
        throw new Error('hook bug');
      },
    });
    expect((await cache.getCredentials()).accessKeyId).toBe('ASIAFAKE00000001');
    expect(warn).toHaveBeenCalledWith(expect.stringMatching(/onRefresh hook threw \(Error: hook bug\)/), expect.objectContaining({ code: 'AWS4AUTH_HOOK_ERROR' }));
  });
});

describe('CredentialCache: options', () => {
  it.each<[string, CredentialCacheOptions]>([
    ['options.refreshWindowMs', { refreshWindowMs: -1 }],
    ['options.refreshWindowMs', { refreshWindowMs: Number.NaN }],
    ['options.timeoutMs', { timeoutMs: 0 }],
    ['options.timeoutMs', { timeoutMs: '5' as unknown as number }],
    ['options.backoff.initialDelayMs', { backoff: { initialDelayMs: Infinity } }],
    ['options.backoff.maxDelayMs', { backoff: { initialDelayMs: 10, maxDelayMs: 5 } }],
    ['options.clock', { clock: 5 as unknown as () => number }],
  ])('rejects a bad %s with InvalidInputError', (field, options) => {
    expect(() => new CredentialCache({ accessKeyId: 'A', secretAccessKey: 'B' }, options)).toThrow(expect.objectContaining({ field }));
  });

  it('rejects a source that is neither an identity nor a provider', () => {
    expect(() => new CredentialCache(null as unknown as AwsCredentialIdentity)).toThrow(InvalidInputError);
    expect(() => new CredentialCache('AKID:secret' as unknown as AwsCredentialIdentity)).toThrow(/options\.credentials/);
  });

  it('accepts timeoutMs: Infinity (no timeout) and refreshWindowMs: 0 (refresh only at expiry)', async () => {
    const clock = createFakeClock();
    const fake = createFakeProvider(clock);
    const cache = newCache(fake.provider, clock, { timeoutMs: Infinity, refreshWindowMs: 0 });
    const old = await cache.getCredentials();
    clock.set(old.expiration!.getTime() - 1);
    expect(await cache.getCredentials()).toBe(old);
    await flush();
    expect(fake.calls).toBe(1);
    clock.advance(1);
    expect((await cache.getCredentials()).accessKeyId).toBe('ASIAFAKE00000002');
  });
});

describe('credential sources and identities', () => {
  it('isCredentialProvider tells providers from identities', () => {
    expect(isCredentialProvider(async () => ({ accessKeyId: 'A', secretAccessKey: 'B' }))).toBe(true);
    expect(isCredentialProvider({ accessKeyId: 'A', secretAccessKey: 'B' })).toBe(false);
  });

  it('normalizeCredentialSource turns a fixed identity into a provider and passes providers through', async () => {
    const identity = { accessKeyId: 'A', secretAccessKey: 'B' };
    const provider: AwsCredentialIdentityProvider = async () => identity;
    expect(normalizeCredentialSource(provider)).toBe(provider);
    expect(await normalizeCredentialSource(identity)()).toEqual(identity);
  });

  it('checkIdentity keeps extra SDK fields such as accountId and credentialScope', () => {
    const identity = checkIdentity({ accessKeyId: 'A', secretAccessKey: 'B', accountId: '123456789012', credentialScope: 'us-east-1' }, 0);
    expect(identity).toEqual({ accessKeyId: 'A', secretAccessKey: 'B', accountId: '123456789012', credentialScope: 'us-east-1' });
  });

  it('redactIdentity shows the access key id and expiry only', () => {
    expect(redactIdentity({ accessKeyId: 'A', secretAccessKey: SECRET_MARK, sessionToken: TOKEN_MARK, expiration: new Date(0) })).toEqual({
      accessKeyId: 'A',
      secretAccessKey: '[redacted]',
      sessionToken: '[redacted]',
      expiration: '1970-01-01T00:00:00.000Z',
    });
  });
});

function fakeIdentity(clock: FakeClock, n: number): AwsCredentialIdentity {
  return {
    accessKeyId: `ASIAFAKE${String(n).padStart(8, '0')}`,
    secretAccessKey: `${SECRET_MARK}-${n}`,
    sessionToken: `${TOKEN_MARK}-${n}`,
    expiration: new Date(clock.now() + 15 * MINUTE),
  };
}
