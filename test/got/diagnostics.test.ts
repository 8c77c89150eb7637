/**
 * The plugin's diagnostics: a signing event per signed attempt (service, region, algorithm, signed header
 * names, body mode), clock offsets learned or ignored (with the reason), and the one-time retries on clock
 * skew and on an expired token; no event holds a secret, a signature or a header value.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { Readable } from 'node:stream';
import got from 'got';
import { CLOCK_CHANNEL, createAws4Hooks, RETRY_CHANNEL, SIGNING_CHANNEL } from '../../src/index.js';
import { startVerifyingServer, type VerifyingServer } from '../helpers/verifying-server.js';
import { scanTexts } from '../helpers/secrets.js';

const session = { accessKeyId: 'ASIAPLUGINTEST', secretAccessKey: 'session/secret/0123456789abcdefghijklmno', sessionToken: 'SESSION+TOKEN/VALUE==' };
const HOUR = 3_600_000;

let server: VerifyingServer;
let foreign: VerifyingServer;
const events: Array<{ channel: string; event: Record<string, unknown> }> = [];
const listeners = [SIGNING_CHANNEL, CLOCK_CHANNEL, RETRY_CHANNEL].map((channel) => [channel, (event: unknown) => void events.push({ channel, event: event as Record<string, unknown> })] as const);

beforeAll(async () => {
  server = await startVerifyingServer({ [session.accessKeyId]: session.secretAccessKey });
  foreign = await startVerifyingServer({});
  for (const [channel, listener] of listeners) subscribe(channel, listener);
});
afterAll(async () => {
  for (const [channel, listener] of listeners) unsubscribe(channel, listener);
  await Promise.all([server.close(), foreign.close()]);
});
beforeEach(() => {
  events.length = 0;
  server.requests.length = 0;
  server.respond((_q, r) => void r.end('ok'));
});

const client = (service = 'es') => got.extend({ retry: { limit: 0 }, throwHttpErrors: false }, createAws4Hooks({ region: 'eu-west-1', service, credentials: session }));
const of = (channel: string) => events.filter((e) => e.channel === channel).map((e) => e.event);

function expectNoSecret(): void {
  const text = JSON.stringify(events);
  expect(scanTexts([{ where: 'diagnostics events', text }])).toEqual([]);
  for (const request of server.requests) {
    const signature = /Signature=([0-9a-f]{64})/.exec(String(request.headers.authorization))?.[1];
    if (signature !== undefined) expect(text).not.toContain(signature);
  }
}

describe('signing events', () => {
  it('one per signed attempt, naming the scope, algorithm, signed header names and body mode', async () => {
    await client().get(`${server.origin}/a`);
    await client('s3').put(`${server.origin}/b/k`, { body: Readable.from([Buffer.from('abc')]), headers: { 'content-length': '3' } });
    await client('s3').put(`${server.origin}/b/k`, { body: Readable.from([Buffer.from('abc')]), context: { aws4: { streamingPayload: 'unsigned' } } });
    const signing = of(SIGNING_CHANNEL);
    expect(signing.map((e) => e.bodyMode)).toEqual(['hashed', 'signed-chunks', 'unsigned-stream']);
    expect(signing[0]).toMatchObject({ method: 'GET', origin: server.origin, service: 'es', region: 'eu-west-1', algorithm: 'AWS4-HMAC-SHA256' });
    expect(signing[0]?.signedHeaders).toEqual(String(server.requests[0]?.headers.authorization).match(/SignedHeaders=([^,]+)/)?.[1]?.split(';'));
    expect(signing[0]?.signedHeaders).toEqual(expect.arrayContaining(['host', 'x-amz-date', 'x-amz-security-token']));
    expectNoSecret();
  });
});

describe('clock and retry events', () => {
  it('a skewed Date from the signed origin: offset learned, and one retry on clock skew', async () => {
    let calls = 0;
    server.respond((_q, r) => {
      calls += 1;
      r.setHeader('date', new Date(Date.now() + (calls === 1 ? HOUR : HOUR)).toUTCString());
      r.statusCode = calls === 1 ? 403 : 200;
      r.end(calls === 1 ? '<Error><Code>RequestTimeTooSkewed</Code></Error>' : 'ok');
    });
    await client().get(`${server.origin}/skew`);
    expect(of(CLOCK_CHANNEL)[0]).toMatchObject({ type: 'offset-learned', origin: server.origin });
    expect(of(RETRY_CHANNEL)).toEqual([{ reason: 'clock-skew', origin: server.origin, method: 'GET' }]);
    expect(of(SIGNING_CHANNEL)).toHaveLength(2);
    expectNoSecret();
  });

  it('an out-of-range or unreadable Date is ignored, with the reason', async () => {
    for (const date of ['Sat, 01 Jan 10000 00:00:00 GMT', 'garbage']) {
      server.respond((_q, r) => void (r.setHeader('date', date), r.end('ok')));
      await client().get(`${server.origin}/d`);
    }
    expect(of(CLOCK_CHANNEL).map((e) => [e.type, e.reason])).toEqual([['offset-ignored', 'out-of-bounds'], ['offset-ignored', 'unreadable']]);
  });

  it('a Date from an origin never signed is ignored as untrusted', async () => {
    server.respond((_q, r) => void ((r.statusCode = 302), r.setHeader('location', `${foreign.origin}/x`), r.end()));
    foreign.respond((_q, r) => void (r.setHeader('date', new Date(Date.now() + HOUR).toUTCString()), r.end('ok')));
    await client().get(`${server.origin}/go`);
    expect(of(CLOCK_CHANNEL)).toEqual([{ type: 'offset-ignored', origin: foreign.origin, reason: 'untrusted-origin' }]);
  });

  it('an expired token: one retry with fresh credentials', async () => {
    let calls = 0;
    server.respond((_q, r) => void ((r.statusCode = ++calls === 1 ? 403 : 200), r.end(calls === 1 ? '<Error><Code>ExpiredToken</Code></Error>' : 'ok')));
    const provider = async () => ({ ...session, expiration: new Date(Date.now() + HOUR) });
    await got.extend({ retry: { limit: 0 } }, createAws4Hooks({ region: 'eu-west-1', service: 'es', credentials: provider })).get(`${server.origin}/t`);
    expect(of(RETRY_CHANNEL)).toEqual([{ reason: 'expired-token', origin: server.origin, method: 'GET' }]);
    expectNoSecret();
  });
});
