/**
 * Fault injection: what a caller of `got.extend(aws4Hooks(…))` sees when the credential provider or the
 * server misbehaves. Each test names the fault and states the outcome (a typed error, or success after a
 * retry), and checks three things besides:
 *
 * - **no stale or missing signature was sent**: every request the server received was signed, and signed
 *   with credentials that had not expired (by the cache's clock) when it was signed. The verifying server
 *   re-derives each signature with @smithy/signature-v4; RGW, behind the fault proxy, checks them itself.
 *   Every attempt got made passes through a recording hook placed after the plugin's, and `onSigned` counts
 *   the signings, so a retry sent with its first attempt's headers would show as signings < attempts.
 * - **waiting is bounded**: the elapsed time is measured against the timeouts configured.
 * - **nothing leaks**: no timer, socket or server is left keeping the process alive once the test has
 *   closed what it opened (`process.getActiveResourcesInfo()` before and after); and a child process that
 *   runs the hang scenarios exits on its own within seconds of finishing.
 *
 * Credential expiry runs on a fake clock given to the cache only (`credentialCache.clock`); signing stays
 * on real time, which RGW checks. The numbers quoted in docs/reliability.md come from these tests' output
 * (`[fault]` lines).
 */
import { createHook } from 'node:async_hooks';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import got, { TimeoutError as GotTimeoutError, type ExtendOptions, type Got } from 'got';
import { fromTemporaryCredentials } from '@aws-sdk/credential-providers';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { aws4Hooks, CredentialCache, CredentialsError, CredentialsTimeoutError, type Aws4HooksOptions, type CredentialCacheOptions } from '../../src/index.js';
import { createFakeClock, type FakeClock } from '../helpers/fake-clock.js';
import { startFakeSts, type Fault } from '../helpers/fake-aws.js';
import { startFaultProxy, type FaultProxy } from '../helpers/fault-proxy.js';
import { uniqueBucketName, type RgwServer } from '../helpers/rgw.js';
import { startVerifyingServer, type VerifyingServer } from '../helpers/verifying-server.js';

const MINUTE = 60_000;
/** Scheduling slack on a shared 2-core machine: a bound is `configured + SLACK_MS`. */
const SLACK_MS = 1_500;

// ---------------------------------------------------------------------------------------------------
// Measuring

/** Prints one line of figures for docs/reliability.md. */
function report(fault: string, figures: Record<string, unknown>): void {
  process.stdout.write(`[fault] ${fault} ${JSON.stringify(figures)}\n`);
}

async function timed<T>(work: () => Promise<T>): Promise<{ ms: number; value?: T; error?: unknown }> {
  const began = performance.now();
  try {
    const value = await work();
    return { ms: Math.round(performance.now() - began), value };
  } catch (error) {
    return { ms: Math.round(performance.now() - began), error };
  }
}

/** What a caller can inspect on a failure: got's error, its `code`, and the cause chain's names and codes. */
function describeError(error: unknown): { name: string; code: unknown; chain: string[] } {
  const chain: string[] = [];
  let cause = (error as { cause?: unknown } | undefined)?.cause;
  while (cause instanceof Error && chain.length < 5) {
    chain.push(`${(cause as Error).name}${(cause as { code?: unknown }).code === undefined ? '' : `(${String((cause as { code?: unknown }).code)})`}`);
    cause = (cause as { cause?: unknown }).cause;
  }
  return { name: (error as Error).name, code: (error as { code?: unknown }).code, chain };
}

/** Resource types that keep a process alive while referenced: timers, TCP sockets and servers. */
type Referable = { hasRef?: () => boolean };
const TRACKED = new Set(['Timeout', 'TCPWRAP', 'TCPSERVERWRAP']);

/**
 * Records every timer, socket and server created from now on until it is destroyed; `alive()` lists those
 * still referenced (an unref'd timer or an idle keep-alive socket in an agent's pool keeps nothing alive).
 * Counting `process.getActiveResourcesInfo()` before and after would do, but another timer ending at the
 * same time can hide a leaked one; tracking by identity cannot be fooled that way.
 */
function trackResources() {
  const live = new Map<number, { type: string; resource: Referable }>();
  const hook = createHook({
    init(asyncId, type, _triggerAsyncId, resource) {
      // A keep-alive socket reused by an agent is announced again as a `ReusedHandle` ({ type, handle }),
      // which is never destroyed: ask its handle.
      const handle = (resource as { handle?: Referable }).handle;
      if (TRACKED.has(type)) live.set(asyncId, { type, resource: handle ?? (resource as Referable) });
    },
    destroy(asyncId) {
      live.delete(asyncId);
    },
  }).enable();
  return {
    alive: (): string[] => [...live.values()].filter(({ resource }) => resource.hasRef?.() ?? true).map(({ type }) => type),
    stop: (): void => void hook.disable(),
  };
}

/** Runs `body` with a list of closers that always run, then checks that nothing it created is left alive. */
async function isolated(body: (closeLater: (close: () => Promise<unknown> | unknown) => void) => Promise<void>): Promise<void> {
  const tracker = trackResources();
  const closers: Array<() => Promise<unknown> | unknown> = [];
  try {
    await body((close) => closers.push(close));
  } finally {
    for (const close of closers.reverse()) await close();
  }
  try {
    const deadline = Date.now() + 1_000;
    for (;;) {
      // Destroy hooks run asynchronously; waiting with setImmediate creates no timer of its own.
      await new Promise((resolve) => setImmediate(resolve));
      const alive = tracker.alive();
      if (alive.length === 0) return;
      if (Date.now() > deadline) expect.fail(`left alive after the test: ${alive.join(', ')}`);
    }
  } finally {
    tracker.stop();
  }
}

// ---------------------------------------------------------------------------------------------------
// Scripted credential providers, and clients that record what every attempt was signed with

const KEYS: AwsCredentialIdentity[] = Array.from({ length: 40 }, (_, i) => ({
  accessKeyId: `AKIDFAULT${String(i).padStart(4, '0')}`,
  secretAccessKey: `fault-secret-${i}-${randomBytes(6).toString('hex')}`,
}));
const SECRETS = Object.fromEntries(KEYS.map((k) => [k.accessKeyId, k.secretAccessKey]));

type Step = 'ok' | 'throw' | 'hang' | 'expired' | { readonly returns: Record<string, unknown> };

/**
 * A provider that follows a script, one step per call (then `ok`): issues the next of {@link KEYS} with a
 * 15-minute expiry by `clock`, throws, hangs forever, returns credentials that expired a minute ago, or
 * returns the next key with fields overridden (`returns`).
 */
function scriptedProvider(clock: FakeClock, lifetimeMs = 15 * MINUTE) {
  const queue: Step[] = [];
  let serial = 0;
  const state = { calls: 0, expiryOf: new Map<string, number>() };
  const provider: AwsCredentialIdentityProvider = async () => {
    state.calls += 1;
    const step = queue.shift() ?? 'ok';
    if (step === 'throw') throw new Error(`provider failure on call ${state.calls}`);
    if (step === 'hang') return new Promise<never>(() => {});
    const key = KEYS[serial++ % KEYS.length]!;
    if (step === 'expired') return { ...key, expiration: new Date(clock.now() - MINUTE) };
    if (typeof step === 'object') return { ...key, expiration: new Date(clock.now() + lifetimeMs), ...step.returns } as AwsCredentialIdentity;
    const expiresAt = clock.now() + lifetimeMs;
    state.expiryOf.set(key.accessKeyId, expiresAt);
    return { ...key, expiration: new Date(expiresAt) };
  };
  return { provider, state, script: (...steps: Step[]) => void queue.push(...steps) };
}

interface Attempt {
  readonly accessKeyId: string | undefined;
  readonly sessionToken: string | undefined;
  /** The cache's (fake) clock when the attempt had been signed. */
  readonly at: number;
}

const accessKeyOf = (authorization: unknown): string | undefined =>
  typeof authorization === 'string' ? /Credential=([^/]+)\//.exec(authorization)?.[1] : undefined;

/**
 * A got instance with the plugin (region us-east-1, service s3), the cache on `clock`, no backoff jitter,
 * error statuses as answers and no got retries unless `gotOptions` says otherwise; it records every attempt.
 */
function recordingClient(
  credentials: Aws4HooksOptions['credentials'],
  clock: FakeClock | undefined,
  { cache = {}, gotOptions = {}, plugin = {} }: { cache?: CredentialCacheOptions; gotOptions?: ExtendOptions; plugin?: Aws4HooksOptions } = {},
) {
  const attempts: Attempt[] = [];
  const counters = { signings: 0 };
  const api: Got = got.extend(
    { throwHttpErrors: false, retry: { limit: 0 }, timeout: { request: 10_000 }, ...gotOptions },
    aws4Hooks({
      region: 'us-east-1',
      service: 's3',
      credentials,
      credentialCache: { ...(clock === undefined ? {} : { clock: clock.now }), backoff: { jitter: (delay: number) => delay }, ...cache },
      onSigned: () => void (counters.signings += 1),
      ...plugin,
    }),
    {
      hooks: {
        beforeRequest: [
          ((options: { headers: Record<string, unknown> }) => {
            const token = options.headers['x-amz-security-token'];
            attempts.push({ accessKeyId: accessKeyOf(options.headers.authorization), sessionToken: typeof token === 'string' ? token : undefined, at: clock?.now() ?? Date.now() });
          }) as never,
        ],
      },
    },
  );
  return { api, attempts, counters };
}

/** Attempts sent unsigned, with an unknown key, or at or after their key's expiry. */
function staleOrMissing(attempts: readonly Attempt[], expiryOf: ReadonlyMap<string, number>): Attempt[] {
  return attempts.filter((a) => {
    const expiresAt = a.accessKeyId === undefined ? undefined : expiryOf.get(a.accessKeyId);
    return expiresAt === undefined || a.at >= expiresAt;
  });
}

/** Every request the verifying server received carried a valid signature. */
function expectAllVerified(server: VerifyingServer): void {
  expect(server.requests.filter((r) => !r.verified).map((r) => r.problem)).toEqual([]);
}

// ---------------------------------------------------------------------------------------------------

describe('credential provider faults (plugin → verifying server; cache on a fake clock)', () => {
  let server: VerifyingServer;
  beforeAll(async () => {
    server = await startVerifyingServer(SECRETS);
  });
  afterAll(async () => {
    await server.close();
  });

  /** Warms a client up with one request, so it holds the first key; returns the pieces. */
  async function warmClient(cache: CredentialCacheOptions = {}) {
    const clock = createFakeClock(Date.now());
    const scripted = scriptedProvider(clock);
    const client = recordingClient(scripted.provider, clock, { cache });
    const first = await client.api.get(`${server.origin}/warm`);
    expect(first.statusCode).toBe(200);
    return { clock, scripted, ...client, firstKey: accessKeyOf(first.request.options.headers.authorization) };
  }

  it('provider throws on first use: the caller gets RequestError ERR_AWS4_CREDENTIALS (cause CredentialsError, its cause the provider error) at once; nothing is sent', async () => {
    await isolated(async () => {
      const clock = createFakeClock(Date.now());
      const scripted = scriptedProvider(clock);
      scripted.script('throw');
      const { api, attempts } = recordingClient(scripted.provider, clock);
      const before = server.requests.length;
      const { ms, error } = await timed(() => api.get(`${server.origin}/throws`));
      expect(error).toMatchObject({ name: 'RequestError', code: 'ERR_AWS4_CREDENTIALS' });
      const cause = (error as { cause?: unknown }).cause;
      expect(cause).toBeInstanceOf(CredentialsError);
      expect((cause as { cause?: Error }).cause?.message).toBe('provider failure on call 1');
      expect(server.requests.length).toBe(before);
      expect(attempts).toEqual([]);
      expect(ms).toBeLessThan(SLACK_MS);
      report('provider throws (no cached credentials)', { caller: describeError(error), sent: 0, waitMs: ms });
    });
  });

  it('provider throws during the refresh window: every request succeeds with the cached credentials, a retry waits for the backoff, then the next refresh rotates', async () => {
    await isolated(async () => {
      const onRefreshError: string[] = [];
      const { clock, scripted, api, attempts, counters, firstKey } = await warmClient({ onRefreshError: (error) => void onRefreshError.push(error.code) });
      const before = server.requests.length;
      scripted.script('throw', 'throw');
      clock.advance(11 * MINUTE); // refresh window: 10 to 15 minutes

      const burstTimed = await timed(() => Promise.all(Array.from({ length: 20 }, (_, i) => api.get(`${server.origin}/window/${i}`))));
      const burst = burstTimed.value ?? [];
      expect(burst.map((r) => r.statusCode)).toEqual(Array.from({ length: 20 }, () => 200));
      expect(scripted.state.calls).toBe(2); // one failed refresh for 20 requests
      clock.advance(500); // backoff after the first failure: 1 s
      expect((await api.get(`${server.origin}/window/backoff`)).statusCode).toBe(200);
      expect(scripted.state.calls).toBe(2);
      clock.advance(600);
      expect((await api.get(`${server.origin}/window/second`)).statusCode).toBe(200); // second refresh: throws
      expect(scripted.state.calls).toBe(3);
      clock.advance(2_100); // backoff after the second failure: 2 s
      const rotated = await api.get(`${server.origin}/window/rotated`); // signed with the old key; the refresh succeeds
      expect(rotated.statusCode).toBe(200);
      const after = await api.get(`${server.origin}/window/after`);
      expect(scripted.state.calls).toBe(4);
      expect(accessKeyOf(after.request.options.headers.authorization)).not.toBe(firstKey);

      expect(onRefreshError).toEqual(['ERR_AWS4_CREDENTIALS', 'ERR_AWS4_CREDENTIALS']);
      expect(server.requests.length - before).toBe(24);
      expectAllVerified(server);
      expect(staleOrMissing(attempts, scripted.state.expiryOf)).toEqual([]);
      expect(counters.signings).toBe(attempts.length);
      report('provider throws during the refresh window', { caller: '24/24 requests 200', staleOrMissing: 0, providerCalls: scripted.state.calls, waitMs: burstTimed.ms });
    });
  });

  it('provider throws once the cached credentials have expired: CredentialsError with the provider error as cause; during the backoff the same error without a provider call; then recovery', async () => {
    await isolated(async () => {
      const { clock, scripted, api, attempts } = await warmClient();
      const before = server.requests.length;
      scripted.script('throw');
      clock.advance(16 * MINUTE);
      const failed = await timed(() => api.get(`${server.origin}/expired/1`));
      expect(failed.error).toMatchObject({ code: 'ERR_AWS4_CREDENTIALS' });
      expect(((failed.error as { cause?: { cause?: Error } }).cause?.cause as Error).message).toBe('provider failure on call 2');
      const again = await timed(() => api.get(`${server.origin}/expired/2`)); // inside the 1 s backoff
      expect((again.error as { cause?: unknown }).cause).toBe((failed.error as { cause?: unknown }).cause);
      expect(scripted.state.calls).toBe(2);
      expect(server.requests.length).toBe(before);
      clock.advance(1_000);
      expect((await api.get(`${server.origin}/expired/3`)).statusCode).toBe(200);
      expect(scripted.state.calls).toBe(3);
      expectAllVerified(server);
      expect(staleOrMissing(attempts, scripted.state.expiryOf)).toEqual([]);
      expect(Math.max(failed.ms, again.ms)).toBeLessThan(SLACK_MS);
      report('provider throws after expiry', { caller: describeError(failed.error), sent: 0, waitMs: Math.max(failed.ms, again.ms) });
    });
  });

  it('provider hangs, cache timeoutMs 300: every waiting request fails with ERR_AWS4_CREDENTIALS_TIMEOUT after about 300 ms; one provider call; nothing is sent', async () => {
    await isolated(async () => {
      const clock = createFakeClock(Date.now());
      const scripted = scriptedProvider(clock);
      scripted.script('hang');
      const { api, attempts } = recordingClient(scripted.provider, clock, { cache: { timeoutMs: 300 } });
      const before = server.requests.length;
      const results = await Promise.all(Array.from({ length: 5 }, (_, i) => timed(() => api.get(`${server.origin}/hang/${i}`))));
      for (const { error } of results) {
        expect(error).toMatchObject({ code: 'ERR_AWS4_CREDENTIALS_TIMEOUT' });
        expect((error as { cause?: unknown }).cause).toBeInstanceOf(CredentialsTimeoutError);
      }
      const waits = results.map((r) => r.ms);
      expect(Math.min(...waits)).toBeGreaterThanOrEqual(290);
      expect(Math.max(...waits)).toBeLessThan(300 + SLACK_MS);
      expect(scripted.state.calls).toBe(1);
      expect(server.requests.length).toBe(before);
      expect(attempts).toEqual([]);
      report('provider hangs (cache timeoutMs 300)', { caller: describeError(results[0]?.error), sent: 0, waitMs: Math.max(...waits), configuredMs: 300 });
    });
  });

  it("provider hangs, the request's signal (AbortSignal.timeout(250)) ends the wait: got's TimeoutError after about 250 ms; nothing is sent", async () => {
    await isolated(async () => {
      const clock = createFakeClock(Date.now());
      const scripted = scriptedProvider(clock);
      scripted.script('hang');
      const { api } = recordingClient(scripted.provider, clock, { cache: { timeoutMs: Number.POSITIVE_INFINITY } });
      const before = server.requests.length;
      const { ms, error } = await timed(() => api.get(`${server.origin}/signal`, { signal: AbortSignal.timeout(250) }));
      expect(error).toBeInstanceOf(GotTimeoutError);
      expect((error as Error).name).toBe('TimeoutError');
      expect(ms).toBeGreaterThanOrEqual(240);
      expect(ms).toBeLessThan(250 + SLACK_MS);
      expect(server.requests.length).toBe(before);

      const controller = new AbortController();
      setTimeout(() => controller.abort(), 200);
      const aborted = await timed(() => api.get(`${server.origin}/abort`, { signal: controller.signal }));
      expect(aborted.error).toMatchObject({ name: 'AbortError', code: 'ERR_ABORTED' });
      expect(aborted.ms).toBeLessThan(200 + SLACK_MS);
      expect(server.requests.length).toBe(before);
      report('provider hangs (request signal)', { caller: [describeError(error), describeError(aborted.error)], sent: 0, waitMs: Math.max(ms, aborted.ms), configuredMs: [250, 200] });
    });
  });

  // got starts its timers after the beforeRequest hooks: the plugin bounds the wait for credentials by
  // `timeout.request` itself.
  it("provider hangs, got's timeout.request 300 ms: the request fails within about 300 ms", async () => {
    const clock = createFakeClock(Date.now());
    const scripted = scriptedProvider(clock);
    scripted.script('hang');
    const { api } = recordingClient(scripted.provider, clock, { cache: { timeoutMs: 5_000 } });
    const request = api.get(`${server.origin}/got-timeout`, { timeout: { request: 300 } });
    try {
      const began = performance.now();
      const outcome = await Promise.race([request.then(() => 'answered', () => 'failed'), sleep(300 + SLACK_MS).then(() => 'still waiting')]);
      report("provider hangs, got's timeout.request 300", { outcome, afterMs: Math.round(performance.now() - began), cacheTimeoutMs: 5_000 });
      expect(outcome).toBe('failed');
    } finally {
      await request.catch(() => {});
    }
  });

  it('provider hangs during the refresh window, timeoutMs 300: requests keep succeeding at once with the cached credentials; the refresh is reported as timed out', async () => {
    await isolated(async () => {
      const errors: string[] = [];
      const { clock, scripted, api, attempts } = await warmClient({ timeoutMs: 300, onRefreshError: (error) => void errors.push(error.code) });
      scripted.script('hang');
      clock.advance(11 * MINUTE);
      const results = await Promise.all(Array.from({ length: 10 }, (_, i) => timed(() => api.get(`${server.origin}/hang-window/${i}`))));
      expect(results.map((r) => (r.value as { statusCode: number } | undefined)?.statusCode)).toEqual(results.map(() => 200));
      const longest = Math.max(...results.map((r) => r.ms));
      expect(longest).toBeLessThan(300); // nobody waited for the hung provider
      await sleep(400);
      expect(errors).toEqual(['ERR_AWS4_CREDENTIALS_TIMEOUT']);
      expectAllVerified(server);
      expect(staleOrMissing(attempts, scripted.state.expiryOf)).toEqual([]);
      report('provider hangs during the refresh window', { caller: '10/10 requests 200', staleOrMissing: 0, waitMs: longest });
    });
  });

  const MALFORMED: Array<[string, Record<string, unknown>]> = [
    ['no secretAccessKey', { secretAccessKey: undefined }],
    ['an empty accessKeyId', { accessKeyId: '' }],
    ['a numeric sessionToken', { sessionToken: 42 }],
    ['an expiration that is a string', { expiration: '2030-01-01T00:00:00Z' }],
  ];

  it.each(MALFORMED)('provider returns credentials with %s: RequestError ERR_AWS4_CREDENTIALS before anything is sent; in the refresh window the cached credentials keep serving', async (label, returns) => {
    await isolated(async () => {
      const clock = createFakeClock(Date.now());
      const scripted = scriptedProvider(clock);
      scripted.script({ returns });
      const fresh = recordingClient(scripted.provider, clock);
      const before = server.requests.length;
      const { ms, error } = await timed(() => fresh.api.get(`${server.origin}/malformed`));
      expect(error).toMatchObject({ code: 'ERR_AWS4_CREDENTIALS' });
      expect(server.requests.length).toBe(before);

      const warm = await warmClient();
      warm.scripted.script({ returns });
      warm.clock.advance(11 * MINUTE);
      const burst = await Promise.all(Array.from({ length: 5 }, (_, i) => warm.api.get(`${server.origin}/malformed-window/${i}`)));
      expect(burst.map((r) => r.statusCode)).toEqual([200, 200, 200, 200, 200]);
      expectAllVerified(server);
      expect(staleOrMissing(warm.attempts, warm.scripted.state.expiryOf)).toEqual([]);
      report(`provider returns credentials with ${label}`, { caller: describeError(error), sent: 0, waitMs: ms, refreshWindow: '5/5 requests 200' });
    });
  });

  it('provider returns a session token the signer refuses (a trailing newline) on first use: RequestError ERR_AWS4_CREDENTIALS (refused by the cache, as a malformed identity); nothing is sent', async () => {
    await isolated(async () => {
      const clock = createFakeClock(Date.now());
      const scripted = scriptedProvider(clock);
      scripted.script({ returns: { sessionToken: 'token-read-from-a-file\n' } });
      const { api } = recordingClient(scripted.provider, clock);
      const before = server.requests.length;
      const { ms, error } = await timed(() => api.get(`${server.origin}/newline`));
      expect(error).toMatchObject({ code: 'ERR_AWS4_CREDENTIALS' });
      expect(server.requests.length).toBe(before);
      report('provider returns a session token with a newline (no cached credentials)', { caller: describeError(error), sent: 0, waitMs: ms });
    });
  });

  // Credentials the signer would refuse are refused by the cache when they arrive, as a failed refresh.
  it('provider returns a session token the signer refuses during the refresh window: the cached credentials keep serving', async () => {
    const { clock, scripted, api } = await warmClient();
    scripted.script({ returns: { sessionToken: 'token-read-from-a-file\n' } });
    clock.advance(11 * MINUTE);
    const during = await api.get(`${server.origin}/newline-window/1`); // starts the refresh, signed with the old key
    expect(during.statusCode).toBe(200);
    const after = await api.get(`${server.origin}/newline-window/2`); // the refresh has installed the bad token
    expect(after.statusCode).toBe(200);
  });

  it('403 ExpiredToken for a request in flight: the plugin drops the credentials, fetches new ones once and retries re-signed; the caller sees 200', async () => {
    await isolated(async (closeLater) => {
      const expiring = await startVerifyingServer(SECRETS);
      closeLater(() => expiring.close());
      const clock = createFakeClock(Date.now());
      const scripted = scriptedProvider(clock);
      const { api, attempts, counters } = recordingClient(scripted.provider, clock);
      expiring.respond((request, response) => {
        if (request.accessKeyId !== KEYS[0]!.accessKeyId) return void response.end('ok');
        response.writeHead(403, { 'content-type': 'application/xml' });
        response.end('<Error><Code>ExpiredToken</Code><Message>The provided token has expired.</Message></Error>');
      });
      const { ms, value } = await timed(() => api.get(`${expiring.origin}/expired-token`));
      expect(value?.statusCode).toBe(200);
      expect(expiring.requests.map((r) => r.accessKeyId)).toEqual([KEYS[0]!.accessKeyId, KEYS[1]!.accessKeyId]);
      expectAllVerified(expiring);
      expect(scripted.state.calls).toBe(2);
      expect(counters.signings).toBe(attempts.length);
      report('403 ExpiredToken (server says the token expired early)', { caller: '200 after one re-signed retry', providerCalls: 2, attempts: 2, waitMs: ms });
    });
  });

  // An ExpiredToken answer forgets only the credentials that signed the rejected request.
  it('403 ExpiredToken answered to 10 requests in flight, 30 ms apart: one provider call refreshes them all', async () => {
    const expiring = await startVerifyingServer(SECRETS);
    try {
      const clock = createFakeClock(Date.now());
      const scripted = scriptedProvider(clock);
      const { api } = recordingClient(scripted.provider, clock);
      let rejected = 0;
      expiring.respond((request, response) => {
        if (request.accessKeyId !== KEYS[0]!.accessKeyId) return void response.end('ok');
        setTimeout(() => {
          response.writeHead(403, { 'content-type': 'application/xml' });
          response.end('<Error><Code>ExpiredToken</Code><Message>The provided token has expired.</Message></Error>');
        }, 30 * rejected++);
      });
      const results = await Promise.all(Array.from({ length: 10 }, (_, i) => api.get(`${expiring.origin}/burst/${i}`)));
      expect(results.map((r) => r.statusCode)).toEqual(results.map(() => 200));
      report('403 ExpiredToken to 10 requests in flight', { providerCalls: scripted.state.calls, expected: 2 });
      expect(scripted.state.calls).toBe(2);
    } finally {
      await expiring.close();
    }
  });

  it('provider returns credentials that have already expired: RequestError ERR_AWS4_CREDENTIALS saying so; in the refresh window the cached credentials keep serving', async () => {
    await isolated(async () => {
      const clock = createFakeClock(Date.now());
      const scripted = scriptedProvider(clock);
      scripted.script('expired');
      const { api } = recordingClient(scripted.provider, clock);
      const before = server.requests.length;
      const { ms, error } = await timed(() => api.get(`${server.origin}/expired-creds`));
      expect(error).toMatchObject({ code: 'ERR_AWS4_CREDENTIALS' });
      expect((error as Error).message).toMatch(/expired at/);
      expect(server.requests.length).toBe(before);

      const warm = await warmClient();
      warm.scripted.script('expired', 'expired');
      warm.clock.advance(11 * MINUTE);
      const burst = await Promise.all(Array.from({ length: 5 }, (_, i) => warm.api.get(`${server.origin}/expired-window/${i}`)));
      expect(burst.map((r) => r.statusCode)).toEqual([200, 200, 200, 200, 200]);
      expectAllVerified(server);
      expect(staleOrMissing(warm.attempts, warm.scripted.state.expiryOf)).toEqual([]);
      report('provider returns already-expired credentials', { caller: describeError(error), sent: 0, waitMs: ms, refreshWindow: '5/5 requests 200' });
    });
  });
});

// ---------------------------------------------------------------------------------------------------

describe('the real SDK fromTemporaryCredentials against a failing STS (fake STS and cache on one fake clock)', () => {
  let server: VerifyingServer;
  beforeAll(async () => {
    // The fake STS issues random secrets, so this server cannot re-derive the signatures: it records the
    // access key and token of each request, and the test checks them against what STS issued.
    server = await startVerifyingServer({});
  });
  afterAll(async () => {
    await server.close();
  });

  async function setup(closeLater: (close: () => Promise<unknown>) => void, cache: CredentialCacheOptions = {}) {
    const clock = createFakeClock(Date.now());
    const sts = await startFakeSts({ clock: clock.now });
    closeLater(() => sts.close());
    const provider = fromTemporaryCredentials({
      params: { RoleArn: 'arn:aws:iam::123456789012:role/faults', RoleSessionName: 'faults', DurationSeconds: 900 },
      masterCredentials: { accessKeyId: 'AKIDMASTER', secretAccessKey: 'master-secret' },
      clientConfig: { region: 'us-east-1', endpoint: sts.endpoint, maxAttempts: 1 },
    });
    const client = recordingClient(provider, clock, { cache });
    const expiryOf = (): Map<string, number> => new Map(sts.issued.map((c) => [c.accessKeyId, c.expiration.getTime()]));
    /** Requests received since `from` whose key or token is not what STS issued together. */
    const mismatched = (from: number) =>
      server.requests.slice(from).filter((r) => {
        const issued = sts.issued.find((c) => c.accessKeyId === r.accessKeyId);
        return issued === undefined || r.headers['x-amz-security-token'] !== issued.sessionToken;
      });
    return { clock, sts, ...client, expiryOf, mismatched };
  }

  const STS_FAULTS: Array<[Fault, string, number]> = [
    ['http500', 'InternalFailure', 500],
    ['throttling', 'Throttling', 400],
  ];

  it.each(STS_FAULTS)('STS answers %s during the refresh window: no request fails, all are signed with the unexpired credentials, and the cache rotates once STS recovers', async (fault) => {
    await isolated(async (closeLater) => {
      const errors: string[] = [];
      const { clock, sts, api, attempts, counters, expiryOf, mismatched } = await setup(closeLater, { onRefreshError: (error) => void errors.push(error.code) });
      const from = server.requests.length;
      expect((await api.get(`${server.origin}/sts/first`)).statusCode).toBe(200);
      sts.fail(fault);
      clock.advance(11 * MINUTE);
      let statuses: number[] = [];
      let longest = 0;
      for (let round = 0; round < 4; round++) {
        const { ms, value: burst = [] } = await timed(() => Promise.all(Array.from({ length: 10 }, (_, i) => api.get(`${server.origin}/sts/${round}/${i}`))));
        longest = Math.max(longest, ms);
        statuses = statuses.concat(burst.map((r) => r.statusCode));
        clock.advance(1_100 * 2 ** round); // past each backoff: 1, 2, 4, 8 s
      }
      expect(statuses).toEqual(Array.from({ length: 40 }, () => 200));
      const failedCalls = sts.calls - 1;
      expect(failedCalls).toBe(4); // one STS call per backoff period, however many requests
      sts.heal();
      await api.get(`${server.origin}/sts/heal`); // starts the refresh that succeeds
      const rotated = await api.get(`${server.origin}/sts/rotated`);
      expect(rotated.statusCode).toBe(200);
      expect(accessKeyOf(rotated.request.options.headers.authorization)).toBe(sts.issued[1]?.accessKeyId);
      expect(errors).toEqual(['ERR_AWS4_CREDENTIALS', 'ERR_AWS4_CREDENTIALS', 'ERR_AWS4_CREDENTIALS', 'ERR_AWS4_CREDENTIALS']);
      expect(staleOrMissing(attempts, expiryOf())).toEqual([]);
      expect(mismatched(from)).toEqual([]);
      expect(counters.signings).toBe(attempts.length);
      report(`STS ${fault} during the refresh window`, { caller: `${statuses.length + 3}/${statuses.length + 3} requests 200`, stsCalls: sts.calls, staleOrMissing: 0, waitMs: longest });
    });
  });

  it.each(STS_FAULTS)('STS answers %s after the credentials expired: RequestError ERR_AWS4_CREDENTIALS whose cause chain ends in the SDK error %s (HTTP %i); nothing is sent', async (fault, sdkName, httpStatus) => {
    await isolated(async (closeLater) => {
      const { clock, sts, api, attempts, expiryOf, mismatched } = await setup(closeLater);
      const from = server.requests.length;
      expect((await api.get(`${server.origin}/sts-expired/first`)).statusCode).toBe(200);
      sts.fail(fault);
      clock.advance(16 * MINUTE);
      const { ms, error } = await timed(() => api.get(`${server.origin}/sts-expired/after`));
      expect(error).toMatchObject({ name: 'RequestError', code: 'ERR_AWS4_CREDENTIALS' });
      const credentialsError = (error as { cause?: unknown }).cause;
      expect(credentialsError).toBeInstanceOf(CredentialsError);
      const sdkError = (credentialsError as { cause?: unknown }).cause as { name?: string; $metadata?: { httpStatusCode?: number } };
      expect(sdkError.name).toBe(sdkName);
      expect(sdkError.$metadata?.httpStatusCode).toBe(httpStatus);
      expect(server.requests.length - from).toBe(1);
      sts.heal();
      clock.advance(1_000);
      expect((await api.get(`${server.origin}/sts-expired/healed`)).statusCode).toBe(200);
      expect(staleOrMissing(attempts, expiryOf())).toEqual([]);
      expect(mismatched(from)).toEqual([]);
      expect(ms).toBeLessThan(SLACK_MS);
      report(`STS ${fault} after expiry`, { caller: describeError(error), sent: 0, waitMs: ms });
    });
  });

  it('STS hangs, cache timeoutMs 400: RequestError ERR_AWS4_CREDENTIALS_TIMEOUT after about 400 ms; nothing is sent', async () => {
    await isolated(async (closeLater) => {
      const { sts, api } = await setup(closeLater, { timeoutMs: 400 });
      sts.fail('hang');
      const from = server.requests.length;
      const { ms, error } = await timed(() => api.get(`${server.origin}/sts-hang`));
      expect(error).toMatchObject({ code: 'ERR_AWS4_CREDENTIALS_TIMEOUT' });
      expect(ms).toBeGreaterThanOrEqual(390);
      expect(ms).toBeLessThan(400 + SLACK_MS);
      expect(sts.hanging).toBe(1);
      expect(server.requests.length).toBe(from);
      report('STS hangs (cache timeoutMs 400)', { caller: describeError(error), sent: 0, waitMs: ms, configuredMs: 400 });
    });
  });
});

// ---------------------------------------------------------------------------------------------------

describe('server faults (plugin → fault proxy → RGW)', () => {
  const rgw: RgwServer = inject('rgw');
  const user: AwsCredentialIdentity = { accessKeyId: rgw.accessKeyId, secretAccessKey: rgw.secretAccessKey };
  const bucket = uniqueBucketName('faults');
  const direct = got.extend({ throwHttpErrors: false, retry: { limit: 0 } }, aws4Hooks({ region: rgw.region, service: 's3', credentials: user }));

  beforeAll(async () => {
    expect((await direct.put(`${rgw.endpoint}/${bucket}`)).statusCode).toBe(200);
    expect((await direct.put(`${rgw.endpoint}/${bucket}/existing%20object.txt`, { body: 'existing' })).statusCode).toBe(200);
  });
  afterAll(async () => {
    const list = await direct.get(`${rgw.endpoint}/${bucket}`, { searchParams: { 'list-type': 2 } });
    for (const [, key] of list.body.matchAll(/<Key>([^<]*)<\/Key>/g)) await direct.delete(`${rgw.endpoint}/${bucket}/${encodeURIComponent(key ?? '')}`);
    await direct.delete(`${rgw.endpoint}/${bucket}`);
  });

  async function proxied(closeLater: (close: () => Promise<unknown>) => void, gotOptions: ExtendOptions = {}, plugin: Aws4HooksOptions = {}) {
    const proxy = await startFaultProxy(rgw.endpoint);
    closeLater(() => proxy.close());
    const client = recordingClient(user, undefined, { gotOptions, plugin });
    return { proxy, ...client, url: (key: string) => `${proxy.origin}/${bucket}/${encodeURIComponent(key)}` };
  }

  const quickRetry = (limit: number, extra: Record<string, unknown> = {}): ExtendOptions => ({
    retry: { limit, methods: ['GET', 'PUT', 'HEAD', 'DELETE'], calculateDelay: ({ computedValue }) => (computedValue === 0 ? 0 : 50), ...extra },
  });

  /** Every forwarded request was accepted by RGW (2xx/404) and every attempt was signed afresh. */
  function expectFreshlySigned(proxy: FaultProxy, attempts: readonly Attempt[], signings: number): void {
    expect(proxy.forwarded.filter((r) => r.status === 403 || r.status === 400).map((r) => r.upstreamBody?.toString())).toEqual([]);
    expect(proxy.seen.filter((r) => typeof r.headers.authorization !== 'string')).toEqual([]);
    expect(signings).toBe(attempts.length);
    expect(attempts.length).toBe(proxy.seen.length);
  }

  it('connection reset, got retrying: success after one retry, re-signed; RGW stores the object once', async () => {
    await isolated(async (closeLater) => {
      const { proxy, api, attempts, counters, url } = await proxied(closeLater, quickRetry(2));
      proxy.reset();
      const content = randomBytes(4096);
      const { ms, value } = await timed(() => api.put(url('after reset.bin'), { body: content }));
      expect(value?.statusCode).toBe(200);
      expect(proxy.seen.map((r) => r.outcome)).toEqual(['reset', 'forwarded']);
      expect(Buffer.from((await direct.get(`${rgw.endpoint}/${bucket}/after%20reset.bin`, { responseType: 'buffer' })).body).equals(content)).toBe(true);
      expectFreshlySigned(proxy, attempts, counters.signings);
      report('connection reset (got retry 2)', { caller: '200 after 1 retry', attempts: proxy.seen.length, staleOrMissing: 0, waitMs: ms });
    });
  });

  it('connection reset, no retry: RequestError ECONNRESET at once; one attempt', async () => {
    await isolated(async (closeLater) => {
      const { proxy, api, attempts, counters, url } = await proxied(closeLater);
      proxy.reset();
      const { ms, error } = await timed(() => api.get(url('existing object.txt')));
      expect(error).toMatchObject({ name: 'RequestError', code: 'ECONNRESET' });
      expect(proxy.seen).toHaveLength(1);
      expectFreshlySigned(proxy, attempts, counters.signings);
      expect(ms).toBeLessThan(SLACK_MS);
      report('connection reset (no retry)', { caller: describeError(error), attempts: 1, staleOrMissing: 0, waitMs: ms });
    });
  });

  it('503, 503 then through, got retrying: 200 on the third attempt, each attempt signed afresh', async () => {
    await isolated(async (closeLater) => {
      const { proxy, api, attempts, counters, url } = await proxied(closeLater, { throwHttpErrors: true, ...quickRetry(2) });
      proxy.fail(503, 2);
      const { ms, value } = await timed(() => api.put(url('after 503.txt'), { body: 'after two 503s' }));
      expect(value?.statusCode).toBe(200);
      expect(proxy.seen.map((r) => r.status)).toEqual([503, 503, 200]);
      expect(proxy.forwarded).toHaveLength(1);
      expectFreshlySigned(proxy, attempts, counters.signings);
      report('5xx then success (got retry 2)', { caller: '200 after 2 retries', attempts: 3, staleOrMissing: 0, waitMs: ms });
    });
  });

  it('500 on every attempt, got retrying twice with 50 ms delays: HTTPError 500 after 3 attempts, within the retry budget', async () => {
    await isolated(async (closeLater) => {
      const { proxy, api, attempts, counters, url } = await proxied(closeLater, { throwHttpErrors: true, ...quickRetry(2) });
      proxy.fail(500, 10);
      const { ms, error } = await timed(() => api.get(url('existing object.txt')));
      expect(error).toMatchObject({ name: 'HTTPError', code: 'ERR_NON_2XX_3XX_RESPONSE' });
      expect((error as { response?: { statusCode?: number } }).response?.statusCode).toBe(500);
      expect(proxy.seen).toHaveLength(3);
      expectFreshlySigned(proxy, attempts, counters.signings);
      expect(ms).toBeLessThan(2 * 50 + SLACK_MS);
      report('5xx on every attempt (got retry 2)', { caller: describeError(error), attempts: 3, staleOrMissing: 0, waitMs: ms });
    });
  });

  it('307 to another key on the same origin (a PUT with a body): followed, re-signed for the new path, RGW stores the body there', async () => {
    await isolated(async (closeLater) => {
      const { proxy, api, attempts, counters, url } = await proxied(closeLater);
      proxy.next({ kind: 'status', status: 307, headers: { location: `/${bucket}/redirected%20here.txt` } });
      const { ms, value } = await timed(() => api.put(url('asked for.txt'), { body: 'followed the 307' }));
      expect(value?.statusCode).toBe(200);
      expect(proxy.seen.map((r) => [r.method, r.target, r.status])).toEqual([
        ['PUT', `/${bucket}/asked%20for.txt`, 307],
        ['PUT', `/${bucket}/redirected%20here.txt`, 200],
      ]);
      expect((await direct.get(`${rgw.endpoint}/${bucket}/redirected%20here.txt`)).body).toBe('followed the 307');
      expectFreshlySigned(proxy, attempts, counters.signings);
      report('307 same origin', { caller: '200 from the redirect target', attempts: 2, staleOrMissing: 0, waitMs: ms });
    });
  });

  it('302 to another origin and back: the other origin receives no authorization, session token or x-amz-* header, and the hop back is not signed either', async () => {
    await isolated(async (closeLater) => {
      const foreign = await startVerifyingServer({});
      closeLater(() => foreign.close());
      const token = `session-token-that-must-not-leak-${randomBytes(4).toString('hex')}`;
      const { proxy, api, url } = await proxied(closeLater, {}, { credentials: { ...user, sessionToken: token } });
      foreign.respond((_request, response) => {
        response.writeHead(302, { location: url('existing object.txt') });
        response.end();
      });
      proxy.next({ kind: 'status', status: 302, headers: { location: `${foreign.origin}/elsewhere` } });
      // The hop back reaches RGW: unsigned (a foreign origin must not be able to pick a path on the signed
      // origin and have it signed), so RGW refuses it.
      const { ms, value } = await timed(() => api.get(url('start.txt')));
      expect(value?.statusCode).toBe(403);
      expect(foreign.requests).toHaveLength(1);
      const received = foreign.requests[0]!;
      const leaked = Object.keys(received.headers).filter((name) => name === 'authorization' || name.startsWith('x-amz-'));
      expect(leaked).toEqual([]);
      expect(JSON.stringify(received.headers)).not.toContain(token);
      const home = proxy.seen[1]!;
      expect(Object.keys(home.headers).filter((name) => name === 'authorization' || name.startsWith('x-amz-'))).toEqual([]);
      expect(JSON.stringify(home.headers)).not.toContain(token);
      report('302 to another origin (and back)', { caller: '403 from RGW for the unsigned hop back', foreignHeadersLeaked: leaked.length, waitMs: ms });
    });
  });

  it('a 302 to another origin with the real RGW behind: the request ends at the other origin, which sees no credentials', async () => {
    await isolated(async (closeLater) => {
      const foreign = await startVerifyingServer({});
      closeLater(() => foreign.close());
      const { proxy, api, url } = await proxied(closeLater);
      proxy.next({ kind: 'status', status: 302, headers: { location: `${foreign.origin}/moved` } });
      const res = await api.get(url('existing object.txt'));
      expect([res.statusCode, res.body]).toEqual([200, 'ok']);
      expect(foreign.requests[0]?.problem).toBe('no authorization header');
      expect(Object.keys(foreign.requests[0]?.headers ?? {}).filter((n) => n.startsWith('x-amz-'))).toEqual([]);
    });
  });

  it('303 after a PUT: followed as a GET, signed for the new path with an empty body, and RGW answers it', async () => {
    await isolated(async (closeLater) => {
      const { proxy, api, attempts, counters, url } = await proxied(closeLater);
      proxy.next({ kind: 'status', status: 303, headers: { location: `/${bucket}/existing%20object.txt` } });
      const { ms, value } = await timed(() => api.put(url('posted.txt'), { body: 'the PUT body' }));
      expect([value?.statusCode, value?.body]).toEqual([200, 'existing']);
      expect(proxy.seen.map((r) => [r.method, r.status])).toEqual([
        ['PUT', 303],
        ['GET', 200],
      ]);
      expectFreshlySigned(proxy, attempts, counters.signings);
      report('303 same origin (PUT → GET)', { caller: '200 from the redirect target', attempts: 2, staleOrMissing: 0, waitMs: ms });
    });
  });

  it('a redirect loop: MaxRedirectsError after got\'s 10 redirects, every hop signed, bounded', async () => {
    await isolated(async (closeLater) => {
      const { proxy, api, attempts, counters, url } = await proxied(closeLater);
      for (let i = 0; i < 20; i++) proxy.next({ kind: 'status', status: 302, headers: { location: `/${bucket}/loop-${i}` } });
      const { ms, error } = await timed(() => api.get(url('loop')));
      expect(error).toMatchObject({ name: 'MaxRedirectsError', code: 'ERR_TOO_MANY_REDIRECTS' });
      expect(proxy.seen).toHaveLength(11);
      expectFreshlySigned(proxy, attempts, counters.signings);
      expect(ms).toBeLessThan(SLACK_MS);
      report('redirect loop (same origin)', { caller: describeError(error), attempts: 11, staleOrMissing: 0, waitMs: ms });
    });
  });

  it('a Date 40 minutes off on one response: the next request is refused by RGW for its time once, re-signed and retried, and succeeds', async () => {
    await isolated(async (closeLater) => {
      const { proxy, api, attempts, counters, url } = await proxied(closeLater);
      proxy.shiftDate(40 * MINUTE);
      expect((await api.get(url('existing object.txt'))).statusCode).toBe(200);
      const { ms, value } = await timed(() => api.get(url('existing object.txt')));
      expect(value?.statusCode).toBe(200);
      expect(value?.body).toBe('existing');
      expect(proxy.seen.map((r) => r.status)).toEqual([200, 403, 200]);
      expect(proxy.seen[1]?.upstreamBody?.toString()).toContain('RequestTimeTooSkewed');
      expect(signingsMatch(attempts, counters.signings, proxy)).toBe(true);
      report('skewed Date (40 min, one response)', { caller: '200 after one re-signed retry', attempts: 2, waitMs: ms });
    });
  });

  it('a Date 40 minutes off, then 20 concurrent requests: each is retried at most once and all succeed', async () => {
    await isolated(async (closeLater) => {
      const { proxy, api, attempts, counters, url } = await proxied(closeLater);
      proxy.shiftDate(40 * MINUTE);
      expect((await api.get(url('existing object.txt'))).statusCode).toBe(200);
      const { ms, value } = await timed(() => Promise.all(Array.from({ length: 20 }, () => api.get(url('existing object.txt')))));
      expect(value?.map((r) => r.statusCode)).toEqual(Array.from({ length: 20 }, () => 200));
      expect(Math.max(...(value ?? []).map((r) => r.retryCount))).toBeLessThanOrEqual(1);
      const refused = proxy.seen.filter((r) => r.status === 403).length;
      expect(proxy.seen.length).toBe(1 + 20 + refused);
      expect(signingsMatch(attempts, counters.signings, proxy)).toBe(true);
      report('skewed Date, then 20 concurrent requests', { caller: '20/20 requests 200', refusedForTime: refused, attempts: proxy.seen.length - 1, waitMs: ms });
    });
  });

  it('a Date that is not a date: ignored; no retry, no skew learned', async () => {
    await isolated(async (closeLater) => {
      const { proxy, api, url } = await proxied(closeLater);
      proxy.next({ kind: 'status', status: 200, body: 'garbage date', headers: { date: 'Someday, 99 Foo 20XX 25:61:61 GMT' } });
      expect((await api.get(url('existing object.txt'))).body).toBe('garbage date');
      const res = await api.get(url('existing object.txt'));
      expect([res.statusCode, res.retryCount]).toEqual([200, 0]);
      expect(proxy.seen.map((r) => r.status)).toEqual([200, 200]);
    });
  });

  it("server stalls past got's timeout.request 300 ms: TimeoutError ETIMEDOUT after about 300 ms", async () => {
    await isolated(async (closeLater) => {
      const stalling = await startVerifyingServer({});
      closeLater(() => stalling.close());
      stalling.respond(() => {}); // reads the request, never answers
      const { api } = recordingClient(user, undefined, { gotOptions: { timeout: { request: 300 } } });
      const { ms, error } = await timed(() => api.get(`${stalling.origin}/${bucket}/stalled`));
      expect(error).toMatchObject({ name: 'TimeoutError', code: 'ETIMEDOUT' });
      expect(stalling.requests).toHaveLength(1);
      expect(ms).toBeGreaterThanOrEqual(290);
      expect(ms).toBeLessThan(300 + SLACK_MS);
      report('server stalls (got timeout.request 300)', { caller: describeError(error), waitMs: ms, configuredMs: 300 });
    });
  });

  /** Every attempt the client made was signed once, and each reached the proxy with a signature. */
  function signingsMatch(attempts: readonly Attempt[], signings: number, proxy: FaultProxy): boolean {
    return signings === attempts.length && attempts.length === proxy.seen.length && proxy.seen.every((r) => typeof r.headers.authorization === 'string');
  }
});

// ---------------------------------------------------------------------------------------------------

describe('no timer or socket keeps the process alive', () => {
  it('a child process that runs the hang and failure scenarios exits on its own within 2 s of finishing', { timeout: 30_000 }, async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('./exit-child.ts', import.meta.url))], {
      cwd: fileURLToPath(new URL('../..', import.meta.url)),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let endedAt: number | undefined;
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      if (endedAt === undefined && stdout.includes('WORK-ENDED')) endedAt = performance.now();
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const killer = setTimeout(() => child.kill('SIGKILL'), 25_000);
    const code = await new Promise<number | null>((resolve) => child.on('exit', (exitCode) => resolve(exitCode)));
    clearTimeout(killer);
    const exitedAt = performance.now();
    expect(code, `${stdout}\n${stderr}`).toBe(0);
    expect(endedAt, stdout).toBeDefined();
    const lingerMs = Math.round(exitedAt - (endedAt ?? exitedAt));
    const results = JSON.parse(/RESULTS (.*)/.exec(stdout)?.[1] ?? '{}') as Record<string, string>;
    // got 14 passes the signal's TimeoutError through; got 16 turns it into its own TimeoutError (ETIMEDOUT).
    expect(['TimeoutError', 'ETIMEDOUT']).toContain(results['hung provider, request signal 200 ms']);
    expect({ ...results, 'hung provider, request signal 200 ms': 'timeout' }).toEqual({
      'hung provider, cache timeoutMs 200': 'ERR_AWS4_CREDENTIALS_TIMEOUT',
      'hung provider, request signal 200 ms': 'timeout',
      'hung STS, cache timeoutMs 200': 'ERR_AWS4_CREDENTIALS_TIMEOUT',
      'throwing provider': 'ERR_AWS4_CREDENTIALS',
      'connection reset': 'ECONNRESET',
      'server stall, got timeout 200 ms': 'ETIMEDOUT',
      'signed request': '200',
    });
    expect(lingerMs).toBeLessThan(2_000);
    report('process exit after the hang scenarios', { lingerMs, scenarios: Object.keys(results).length });
  });
});
