/**
 * Forced refreshes are rate limited (red-team 2 finding 5): credentials that a forced refresh brought are kept
 * for MIN_FORCED_REFRESH_INTERVAL_MS whatever invalidates them, so a signed origin that answers every request
 * with ExpiredToken costs one forced provider call per interval, not one per request.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import got from 'got';
import { createAws4Hooks, CredentialCache, MIN_FORCED_REFRESH_INTERVAL_MS } from '../../src/index.js';

const HOUR = 3_600_000;
const session = { accessKeyId: 'ASIAFORCEDINTERVAL', secretAccessKey: 'forcedInterval/secret/0123456789abcdefghi', sessionToken: 'FORCED+INTERVAL/TOKEN==' };

/** A provider that counts its calls, and whether each was forced, on a fake clock the test moves. */
function countingProvider() {
  const clock = { now: Date.UTC(2026, 10, 23, 12) };
  const calls: boolean[] = [];
  const provider = async (options?: { forceRefresh?: boolean }) => {
    calls.push(options?.forceRefresh === true);
    return { ...session, expiration: new Date(clock.now + 6 * HOUR) };
  };
  return { clock, calls, provider, forced: () => calls.filter(Boolean).length };
}

describe('CredentialCache: at most one forced refresh per interval', () => {
  it('ignores invalidating credentials a forced refresh brought less than the interval ago, and honours it after', async () => {
    const { clock, calls, provider, forced } = countingProvider();
    const cache = new CredentialCache(provider, { clock: () => clock.now });
    await cache.getCredentials();
    cache.invalidate();
    const fresh = await cache.getCredentials();
    expect(forced()).toBe(1);
    const start = clock.now;
    for (let i = 1; i <= 20; i += 1) {
      clock.now = start + Math.floor(((MIN_FORCED_REFRESH_INTERVAL_MS - 1) * i) / 20);
      cache.invalidate(fresh);
      expect(await cache.getCredentials()).toBe(fresh);
    }
    expect(calls).toHaveLength(2);
    clock.now = start + MIN_FORCED_REFRESH_INTERVAL_MS;
    cache.invalidate(fresh);
    await cache.getCredentials();
    expect(forced()).toBe(2);
  });

  it('still invalidates credentials that no forced refresh brought, at once', async () => {
    const { calls, provider, clock } = countingProvider();
    const cache = new CredentialCache(provider, { clock: () => clock.now });
    await cache.getCredentials();
    cache.invalidate();
    await cache.getCredentials();
    expect(calls).toEqual([false, true]);
  });
});

describe('plugin: a signed origin that always answers ExpiredToken', () => {
  let server: http.Server;
  let origin: string;
  let requests = 0;

  beforeAll(async () => {
    server = http.createServer((request, response) => {
      request.resume();
      requests += 1;
      response.statusCode = 403;
      response.end('<Error><Code>ExpiredToken</Code><Message>The provided token has expired.</Message></Error>');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  function client() {
    const counting = countingProvider();
    const aws = got.extend(
      { retry: { limit: 0 }, throwHttpErrors: false },
      createAws4Hooks({ region: 'us-east-1', service: 'execute-api', credentials: counting.provider, credentialCache: { clock: () => counting.clock.now } }),
    );
    return { aws, ...counting };
  }

  it('costs one forced provider call for 50 sequential requests within the interval, and one more after it', async () => {
    const { aws, calls, clock, forced } = client();
    for (let i = 0; i < 50; i += 1) expect((await aws.get(`${origin}/item/${i}`)).statusCode).toBe(403);
    expect(forced()).toBe(1);
    expect(calls).toHaveLength(2);
    clock.now += MIN_FORCED_REFRESH_INTERVAL_MS;
    await aws.get(`${origin}/later`);
    expect(forced()).toBe(2);
  });

  it('costs one forced provider call for 50 concurrent requests', async () => {
    const { aws, calls, forced } = client();
    const before = requests;
    const answers = await Promise.all(Array.from({ length: 50 }, (_, i) => aws.get(`${origin}/burst/${i}`)));
    expect(answers.every((answer) => answer.statusCode === 403)).toBe(true);
    expect(forced()).toBe(1);
    expect(calls.length).toBeLessThanOrEqual(2);
    // Each request is still bounded: at most its first attempt and one expired-token retry.
    expect(requests - before).toBeLessThanOrEqual(100);
  });
});
