/**
 * Work the proxy does before it has checked a client-key signature is bounded (red-team pass 3, F10).
 * Outside S3, header auth signs a body hash no header states, so the proxy must read the body to verify
 * the request; an outsider who knows only an access key id (it is in every request) must not be able to
 * make it hold memory or connections: everything but the signature is checked before a byte is read, a
 * declared length past `maxBufferedBodyBytes` is refused unread, the bytes held over all requests stay
 * within `maxUnverifiedBytes` (503 SlowDown past it), and a body that stalls is refused after
 * `bodyIdleTimeoutMs` and its connection closed. Upstreams are local verifying servers.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signRequest } from '../../src/index.js';
import { startVerifyingServer, type VerifyingServer } from '../helpers/verifying-server.js';
import { CLIENT_KEY, OTHER_KEY, continueRequest, rawRequest, requestHead, stalledClient, startProxy, REAL, type RunningProxy, type StalledClient } from './support.js';

/** Runs of the property below; PROXY_PREAUTH_RUNS raises them. */
const RUNS = Number(process.env.PROXY_PREAUTH_RUNS ?? 15);
const LIMIT = 64 * 1024;
const SCOPE = { region: 'eu-west-1', service: 'es' } as const;

type Kind = 'valid' | 'forged' | 'skewed' | 'stranger';

/** Headers of a client-signed POST over `body` (no x-amz-content-sha256: the signature covers the body's hash). */
function signedPost(url: string, body: Buffer, kind: Kind): Record<string, string> {
  const date = kind === 'skewed' ? new Date(Date.now() - 60 * 60_000) : undefined;
  const credentials = kind === 'stranger' ? OTHER_KEY : CLIENT_KEY;
  const signed = signRequest({ method: 'POST', url, headers: { 'content-type': 'application/json' }, body }, { credentials, ...SCOPE, date });
  const headers = { ...(signed.headers as Record<string, string>) };
  if (kind === 'forged') headers.authorization = headers.authorization!.replace(/Signature=[0-9a-f]{64}/, `Signature=${'0'.repeat(64)}`);
  return headers;
}

/** A forged request's head on a raw socket, declaring `length` bytes. */
function forgedHead(proxy: RunningProxy, path: string, length: number): string {
  const headers = signedPost(`${proxy.url}${path}`, Buffer.alloc(length, 0x61), 'forged');
  return requestHead('POST', path, { ...headers, host: `127.0.0.1:${proxy.port}`, 'content-length': String(length) });
}

describe('before a client-key signature is checked, the proxy holds bounded memory for a bounded time', () => {
  let search: VerifyingServer;
  const proxies: RunningProxy[] = [];

  async function proxyWith(options: { maxUnverifiedBytes?: number; bodyIdleTimeoutMs?: number; unverifiedBodyTimeoutMs?: number }): Promise<RunningProxy> {
    const proxy = await startProxy({ upstreams: [{ url: search.origin, ...SCOPE }], credentials: REAL, clientKeys: [CLIENT_KEY], maxBufferedBodyBytes: LIMIT, ...options });
    proxies.push(proxy);
    return proxy;
  }

  beforeAll(async () => {
    search = await startVerifyingServer({ [REAL.accessKeyId]: REAL.secretAccessKey });
  });

  afterAll(async () => {
    await Promise.all([...proxies.map((p) => p.close()), search.close()]);
  });

  for (const [kind, status, code] of [['skewed', 403, 'RequestTimeTooSkewed'], ['stranger', 403, 'InvalidAccessKeyId']] as const) {
    it(`a ${kind} request is refused ${status} ${code} before its body is asked for (no 100 Continue)`, async () => {
      const proxy = await proxyWith({});
      const body = Buffer.alloc(1000, 0x61);
      const url = `${proxy.url}/logs/_doc`;
      const answer = await continueRequest(url, 'POST', signedPost(url, body, kind), body);
      expect(answer).toEqual({ status, continued: false });
      expect(proxy.log.at(-1)!.error).toBe(code);
    });
  }

  it('a declared length past maxBufferedBodyBytes is refused 413 before the body is asked for, signed or forged', async () => {
    const proxy = await proxyWith({});
    const body = Buffer.alloc(LIMIT + 1, 0x61);
    const url = `${proxy.url}/logs/_doc`;
    for (const kind of ['valid', 'forged'] as const) {
      expect(await continueRequest(url, 'POST', signedPost(url, body, kind), body)).toEqual({ status: 413, continued: false });
    }
  });

  it('past maxUnverifiedBytes held over all requests, the next is refused 503 SlowDown; the bytes are given back when a holder leaves', async () => {
    const proxy = await proxyWith({ maxUnverifiedBytes: 4 * LIMIT, bodyIdleTimeoutMs: 0 });
    // Four addresses each hold most of their quarter; a fifth request (from an address with room) finds no room in the total.
    const holders: StalledClient[] = [];
    for (const address of ['127.0.0.2', '127.0.0.3', '127.0.0.4', '127.0.0.5']) {
      holders.push(await stalledClient(proxy.port, forgedHead(proxy, '/logs/_doc', LIMIT), Buffer.alloc(LIMIT - 1024, 0x61), address));
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
    const first = { destroy: () => holders.forEach((h) => h.destroy()), closed: Promise.all(holders.map((h) => h.closed)) };
    const second = await stalledClient(proxy.port, forgedHead(proxy, '/logs/_doc', LIMIT), Buffer.alloc(8 * 1024, 0x61));
    expect(await second.statusLine).toBe('HTTP/1.1 503 Service Unavailable');
    expect(proxy.log.at(-1)!.error).toBe('SlowDown');
    first.destroy();
    second.destroy();
    await Promise.all([first.closed, second.closed]);
    const body = Buffer.alloc(LIMIT, 0x62);
    const url = `${proxy.url}/logs/_doc`;
    const answer = await rawRequest(url, 'POST', signedPost(url, body, 'valid'), body, 'length');
    expect(answer.status, answer.body).toBe(200);
    expect(search.requests.at(-1)!.body.equals(body)).toBe(true);
  });

  it('a body that stops arriving is refused 400 RequestTimeout after bodyIdleTimeoutMs and its connection closed', async () => {
    const proxy = await proxyWith({ bodyIdleTimeoutMs: 300 });
    const started = Date.now();
    const client = await stalledClient(proxy.port, forgedHead(proxy, '/logs/_doc', 10_000), Buffer.alloc(5_000, 0x61));
    expect(await client.statusLine).toBe('HTTP/1.1 400 Bad Request');
    await client.closed;
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
    expect(proxy.log.at(-1)!.error).toBe('RequestTimeout');
  });

  it('without client keys, a body read to sign its hash that stops arriving is refused 400 RequestTimeout too', async () => {
    const open = await startProxy({ upstreams: [{ url: search.origin, ...SCOPE }], credentials: REAL, bodyIdleTimeoutMs: 300 });
    proxies.push(open);
    const before = search.requests.length;
    const head = requestHead('POST', '/logs/_doc', { host: `127.0.0.1:${open.port}`, 'content-type': 'application/json', 'content-length': '10000' });
    const client = await stalledClient(open.port, head, Buffer.alloc(5_000, 0x61));
    expect(await client.statusLine).toBe('HTTP/1.1 400 Bad Request');
    await client.closed;
    expect(open.log.at(-1)!.error).toBe('RequestTimeout');
    expect(search.requests.length).toBe(before);
  });

  it('bodies held before verification are given back: requests that each need the whole budget pass one after another', async () => {
    const proxy = await proxyWith({ maxUnverifiedBytes: 4 * LIMIT });
    const url = `${proxy.url}/logs/_doc`;
    for (let i = 0; i < 5; i++) {
      const body = Buffer.alloc(LIMIT, 0x30 + i);
      const answer = await rawRequest(url, 'POST', signedPost(url, body, i % 2 === 0 ? 'valid' : 'forged'), body, i % 3 === 0 ? 'chunked' : 'length');
      expect(answer.status, answer.body).toBe(i % 2 === 0 ? 200 : 403);
    }
  });

  it('any sequence of valid, forged, skewed and unknown-key requests of any size and framing gets its one right answer, and leaves the budget whole', async () => {
    const proxy = await proxyWith({ maxUnverifiedBytes: 4 * LIMIT });
    const url = `${proxy.url}/logs/_doc`;
    const request = fc.record({
      kind: fc.constantFrom<Kind>('valid', 'forged', 'skewed', 'stranger'),
      size: fc.oneof(fc.integer({ min: 0, max: LIMIT + 4096 }), fc.constantFrom(0, 1, LIMIT, LIMIT + 1)),
      framing: fc.constantFrom('length' as const, 'chunked' as const),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(request, { minLength: 1, maxLength: 4 }), async (requests) => {
        for (const { kind, size, framing } of [...requests, { kind: 'valid' as const, size: LIMIT, framing: 'length' as const }]) {
          const body = Buffer.alloc(size, 0x61 + (size % 26));
          const answer = await rawRequest(url, 'POST', signedPost(url, body, kind), body, framing);
          const expected =
            kind === 'skewed' || kind === 'stranger' ? 403 : size > LIMIT ? (framing === 'length' ? 413 : 411) : kind === 'forged' ? 403 : 200;
          expect(answer.status, `${kind} ${size} ${framing}: ${answer.body}`).toBe(expected);
          if (expected === 200) expect(search.requests.at(-1)!.body.equals(body)).toBe(true);
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('a body that trickles a byte inside the idle timeout is refused 400 RequestTimeout after unverifiedBodyTimeoutMs, its connection closed and its bytes given back', async () => {
    const proxy = await proxyWith({ maxUnverifiedBytes: 4 * LIMIT, bodyIdleTimeoutMs: 400, unverifiedBodyTimeoutMs: 1200 });
    const started = Date.now();
    const client = await stalledClient(proxy.port, forgedHead(proxy, '/logs/_doc', LIMIT), Buffer.alloc(LIMIT - 1024, 0x61));
    const trickle = setInterval(() => client.write('a'), 150);
    try {
      expect(await client.statusLine).toBe('HTTP/1.1 400 Bad Request');
      await client.closed;
    } finally {
      clearInterval(trickle);
    }
    expect(Date.now() - started).toBeGreaterThanOrEqual(1100);
    expect(proxy.log.at(-1)!.error).toBe('RequestTimeout');
    const body = Buffer.alloc(LIMIT, 0x63);
    const url = `${proxy.url}/logs/_doc`;
    const answer = await rawRequest(url, 'POST', signedPost(url, body, 'valid'), body, 'length');
    expect(answer.status, answer.body).toBe(200);
  });

  it('one client address holds at most a quarter of maxUnverifiedBytes: past its share it gets 503 SlowDown while another address is served', async () => {
    const proxy = await proxyWith({ maxUnverifiedBytes: 4 * LIMIT, bodyIdleTimeoutMs: 0, unverifiedBodyTimeoutMs: 0 });
    // The red-team attack (F3): one outsider opens many forged uploads and keeps them open.
    const attackers: StalledClient[] = [];
    for (let i = 0; i < 5; i++) attackers.push(await stalledClient(proxy.port, forgedHead(proxy, '/logs/_doc', LIMIT), Buffer.alloc(LIMIT / 2, 0x61)));
    // Two halves fill its quarter (LIMIT); the other three are refused however much of the total is free.
    const refused = await Promise.race([Promise.all(attackers.slice(2).map((a) => a.statusLine)), new Promise((resolve) => setTimeout(resolve, 2000, 'none answered'))]);
    expect(refused).toEqual(Array(3).fill('HTTP/1.1 503 Service Unavailable'));
    expect(proxy.log.at(-1)!.error).toBe('SlowDown');
    // Others, each up to a full body, are unaffected while the attacker holds its share.
    const body = Buffer.alloc(LIMIT, 0x64);
    for (const address of ['127.0.0.2', '127.0.0.3', '127.0.0.4']) {
      const head = requestHead('POST', '/logs/_doc', { ...signedPost(`${proxy.url}/logs/_doc`, body, 'valid'), host: `127.0.0.1:${proxy.port}`, 'content-length': String(LIMIT) });
      const legit = await stalledClient(proxy.port, head, body, address);
      expect(await legit.statusLine).toBe('HTTP/1.1 200 OK');
      legit.destroy();
    }
    for (const attacker of attackers) attacker.destroy();
  });
});
