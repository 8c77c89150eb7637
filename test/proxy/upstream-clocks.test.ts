/**
 * Each upstream keeps its own clock offset (red-team pass 3, F5): a `Date` from one upstream moves the
 * signing time only of requests to that upstream, by the plugin's rules (learned from a response to a
 * request the proxy signed for it; offsets under five minutes ignored; a `Date` more than 24 hours away
 * ignored). The proxy's clock is fixed, so every signing time is exact.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAmzDate } from '../../src/signer/amz-date.js';
import { createFakeClock } from '../helpers/fake-clock.js';
import { startVerifyingServer, type VerifyingServer } from '../helpers/verifying-server.js';
import { rawRequest, startProxy, REAL } from './support.js';

/** Runs of the property; PROXY_CLOCK_RUNS raises them (each run starts a proxy and sends six requests). */
const RUNS = Number(process.env.PROXY_CLOCK_RUNS ?? 12);
const MINUTE = 60_000;
const NONE = Buffer.alloc(0);

/** The offset the plugin's rules apply after one `Date` that is `offset` ms from the local clock. */
function applied(offset: number): number {
  if (Math.abs(offset) > 24 * 60 * MINUTE) return 0;
  return Math.abs(offset) < 5 * MINUTE ? 0 : offset;
}

describe('the proxy keeps one clock offset per upstream', () => {
  let a: VerifyingServer;
  let b: VerifyingServer;
  const clock = createFakeClock(Date.UTC(2026, 5, 1, 12, 0, 0));
  /** What each upstream's clock is ahead of the proxy's, in ms (whole seconds: Date has no finer grain). */
  const ahead = new Map<VerifyingServer, number>();

  beforeAll(async () => {
    a = await startVerifyingServer({ [REAL.accessKeyId]: REAL.secretAccessKey });
    b = await startVerifyingServer({ [REAL.accessKeyId]: REAL.secretAccessKey });
    for (const server of [a, b]) {
      ahead.set(server, 0);
      server.respond((_request, response) => {
        response.setHeader('date', new Date(clock.now() + ahead.get(server)!).toUTCString());
        response.end('ok');
      });
    }
  });

  afterAll(async () => {
    await Promise.all([a.close(), b.close()]);
  });

  /** The signing time (ms from the proxy's clock) of the last request `server` received. */
  function lastSigningOffset(server: VerifyingServer): number {
    const amzDate = server.requests.at(-1)!.headers['x-amz-date'] as string;
    return parseAmzDate(amzDate)!.getTime() - clock.now();
  }

  async function get(proxyUrl: string, server: VerifyingServer): Promise<number> {
    const answer = await rawRequest(`${proxyUrl}/bucket/key`, 'GET', { host: new URL(server.origin).host }, NONE, 'length');
    expect(answer.status, answer.body).toBe(200);
    return lastSigningOffset(server);
  }

  it('an upstream 30 minutes ahead does not move the signing time of another upstream, and keeps its own', async () => {
    ahead.set(a, 30 * MINUTE).set(b, 0);
    const proxy = await startProxy({ upstreams: [{ url: a.origin, service: 's3', region: 'eu-west-1' }, { url: b.origin, service: 's3', region: 'eu-west-1' }], credentials: REAL, clock: clock.now });
    try {
      expect(await get(proxy.url, a)).toBe(0);
      expect(await get(proxy.url, b)).toBe(0);
      expect(await get(proxy.url, a)).toBe(30 * MINUTE);
      expect(await get(proxy.url, b)).toBe(0);
      expect(await get(proxy.url, a)).toBe(30 * MINUTE);
    } finally {
      await proxy.close();
    }
  });

  it('for any two upstream clocks, each upstream is signed at its own offset, never the other one\'s', async () => {
    const offset = fc.oneof(fc.integer({ min: -25 * 60, max: 25 * 60 }), fc.constantFrom(0, 4, 5, 6, -6, 24 * 60, 24 * 60 + 1)).map((minutes) => minutes * MINUTE);
    await fc.assert(
      fc.asyncProperty(offset, offset, fc.array(fc.boolean(), { minLength: 2, maxLength: 6 }), async (offA, offB, order) => {
        ahead.set(a, offA).set(b, offB);
        const proxy = await startProxy({ upstreams: [{ url: a.origin, service: 's3', region: 'eu-west-1' }, { url: b.origin, service: 's3', region: 'eu-west-1' }], credentials: REAL, clock: clock.now });
        try {
          const learned = new Map<VerifyingServer, boolean>([[a, false], [b, false]]);
          for (const toA of order) {
            const server = toA ? a : b;
            const signedAt = await get(proxy.url, server);
            expect(signedAt).toBe(learned.get(server)! ? applied(ahead.get(server)!) : 0);
            learned.set(server, true);
          }
        } finally {
          await proxy.close();
        }
      }),
      { numRuns: RUNS },
    );
  });
});
