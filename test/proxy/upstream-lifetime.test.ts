/**
 * The upstream request lives no longer than its client and its timeout (red-team pass 3, F4): a client
 * that leaves before the upstream answered cancels the upstream request (its connection closes, so the
 * proxy's agent holds no socket for it); an upstream that has the whole request and sends no response head
 * within `upstreamResponseTimeoutMs` is cancelled and the client gets 504. The timeout starts once the
 * request was sent: a slow upload is not cut by it.
 */
import { request, type ServerResponse } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startVerifyingServer, type VerifyingServer } from '../helpers/verifying-server.js';
import { rawRequest, startProxy, REAL, type RunningProxy } from './support.js';

/** Resolves once `test` holds, polling every 10 ms; rejects after `ms`. */
async function eventually(test: () => boolean, ms: number, what: string): Promise<void> {
  const until = Date.now() + ms;
  while (!test()) {
    if (Date.now() > until) throw new Error(`not within ${ms} ms: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('the upstream request lives no longer than its client, nor past the response timeout', () => {
  let hung: VerifyingServer;
  /** The responses the hung upstream holds open, and which of them the proxy has closed. */
  const held: ServerResponse[] = [];
  const closed = new Set<ServerResponse>();
  let proxy: RunningProxy;
  let timed: RunningProxy;

  beforeAll(async () => {
    hung = await startVerifyingServer({ [REAL.accessKeyId]: REAL.secretAccessKey });
    hung.respond((_request, response) => {
      held.push(response);
      response.once('close', () => closed.add(response));
    });
    proxy = await startProxy({ upstreams: [{ url: hung.origin, service: 's3', region: 'eu-west-1' }], credentials: REAL });
    timed = await startProxy({ upstreams: [{ url: hung.origin, service: 's3', region: 'eu-west-1' }], credentials: REAL, upstreamResponseTimeoutMs: 300 });
  });

  afterAll(async () => {
    for (const response of held) response.destroy();
    await Promise.all([proxy.close(), timed.close(), hung.close()]);
  });

  for (const method of ['GET', 'PUT'] as const) {
    it(`a client that leaves before the upstream answers a ${method} closes the upstream request at once`, async () => {
      const before = held.length;
      const client = request(`${proxy.url}/bucket/gone-${method}`, { method, headers: method === 'PUT' ? { 'content-length': '5' } : {} });
      client.on('error', () => undefined);
      client.end(method === 'PUT' ? 'hello' : undefined);
      await eventually(() => held.length > before, 2_000, 'the upstream received the request');
      const upstreamSide = held[before]!;
      expect(closed.has(upstreamSide)).toBe(false);
      client.destroy();
      await eventually(() => closed.has(upstreamSide), 2_000, 'the upstream request was closed');
      await eventually(() => proxy.log.length > 0 && proxy.log.at(-1)!.path === `/bucket/gone-${method}`, 2_000, 'the access log entry');
      expect(proxy.log.at(-1)!.status).toBe(0);
    });
  }

  it('many clients that leave leave no upstream request open', async () => {
    const before = held.length;
    const clients = Array.from({ length: 20 }, (_, i) => {
      const client = request(`${proxy.url}/bucket/many-${i}`);
      client.on('error', () => undefined);
      client.end();
      return client;
    });
    await eventually(() => held.length >= before + clients.length, 3_000, 'the upstream received every request');
    for (const client of clients) client.destroy();
    await eventually(() => held.slice(before).every((response) => closed.has(response)), 3_000, 'every upstream request was closed');
  });

  it('an upstream that sends no response head within upstreamResponseTimeoutMs is cancelled and the client gets 504 GatewayTimeout', async () => {
    const before = held.length;
    const started = Date.now();
    const answer = await rawRequest(`${timed.url}/bucket/slow`, 'GET', {}, Buffer.alloc(0), 'length');
    expect(answer.status, answer.body).toBe(504);
    expect(answer.body).toContain('<Code>GatewayTimeout</Code>');
    expect(answer.body).toContain('upstreamResponseTimeoutMs');
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
    await eventually(() => closed.has(held[before]!), 2_000, 'the upstream request was closed');
  });

  it('the response timeout starts once the request was sent: an upload slower than it still gets the upstream\'s answer', async () => {
    let answering: VerifyingServer | undefined;
    let slow: RunningProxy | undefined;
    try {
      answering = await startVerifyingServer({ [REAL.accessKeyId]: REAL.secretAccessKey });
      slow = await startProxy({ upstreams: [{ url: answering.origin, service: 's3', region: 'eu-west-1' }], credentials: REAL, upstreamResponseTimeoutMs: 200, upstreamStreaming: 'unsigned' });
      const status = await new Promise<number>((resolve, reject) => {
        const client = request(`${slow!.url}/bucket/trickle`, { method: 'PUT', headers: { 'content-length': '6', 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' } }, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        });
        client.on('error', reject);
        client.write('ab');
        setTimeout(() => client.write('cd'), 250);
        setTimeout(() => client.end('ef'), 500);
      });
      expect(status).toBe(200);
      expect(answering.requests.at(-1)!.body.toString()).toBe('abcdef');
    } finally {
      await Promise.all([slow?.close(), answering?.close()]);
    }
  });
});
