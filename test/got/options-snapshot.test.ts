/**
 * The plugin reads its options once, own properties only: an `allowedRedirectOrigins`, `credentials`,
 * `onSigned` or `payloadHash` inherited from a polluted `Object.prototype` or from a class's prototype is
 * never honoured, a getter is read once, and later changes to the caller's object change nothing.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import got from 'got';
import { createAws4Hooks } from '../../src/index.js';
import { pluginConfig } from '../../src/got/config.js';
import { startVerifyingServer, type VerifyingServer } from '../helpers/verifying-server.js';

const session = { accessKeyId: 'ASIAPLUGINTEST', secretAccessKey: 'session/secret/0123456789abcdefghijklmno', sessionToken: 'SESSION+TOKEN/VALUE==' };
const RUNS = Number(process.env.OPTIONS_SNAPSHOT_RUNS ?? 50);
const POLLUTABLE = ['allowedRedirectOrigins', 'credentials', 'onSigned', 'payloadHash'] as const;

let server: VerifyingServer;
let foreign: VerifyingServer;
beforeAll(async () => {
  server = await startVerifyingServer({ [session.accessKeyId]: session.secretAccessKey });
  foreign = await startVerifyingServer({ [session.accessKeyId]: session.secretAccessKey });
});
afterAll(() => Promise.all([server.close(), foreign.close()]));
beforeEach(() => {
  server.requests.length = 0;
  foreign.requests.length = 0;
});

const polluted: string[] = [];
function pollute(key: string, value: unknown): void {
  Object.defineProperty(Object.prototype, key, { value, configurable: true, writable: true, enumerable: false });
  polluted.push(key);
}
afterEach(() => {
  for (const key of polluted.splice(0)) delete (Object.prototype as Record<string, unknown>)[key];
});

function hostileValue(key: (typeof POLLUTABLE)[number]): unknown {
  if (key === 'allowedRedirectOrigins') return [foreign.origin];
  if (key === 'credentials') return { accessKeyId: 'AKIDHOSTILE', secretAccessKey: 'hostile' };
  if (key === 'onSigned') return () => { throw new Error('an inherited onSigned was called'); };
  return 'UNSIGNED-PAYLOAD';
}

describe('options are read own-properties-only', () => {
  it('property: no inherited field reaches the configuration, whatever is polluted and however options are built', () => {
    fc.assert(
      fc.property(fc.subarray([...POLLUTABLE], { minLength: 1 }), fc.constantFrom('plain', 'class instance', 'Object.create'), (keys, shape) => {
        try {
          for (const key of keys) pollute(key, hostileValue(key));
          const own = { region: 'eu-west-1', service: 'es' };
          class Options { region = 'eu-west-1'; service = 'es'; }
          for (const key of keys) (Options.prototype as unknown as Record<string, unknown>)[key] = hostileValue(key);
          const options = shape === 'plain' ? own : shape === 'class instance' ? new Options() : Object.assign(Object.create(Options.prototype) as object, own);
          const config = pluginConfig(options);
          expect(config.allowedOrigins.size).toBe(0);
          expect(config.credentials).toBeUndefined();
          expect(config.onSigned).toBeUndefined();
          expect(config.payloadHash).toBeUndefined();
        } finally {
          for (const key of polluted.splice(0)) delete (Object.prototype as Record<string, unknown>)[key];
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('a polluted prototype changes no signed request: no inherited origin signed, hook or payload hash used', async () => {
    for (const key of ['allowedRedirectOrigins', 'onSigned', 'payloadHash'] as const) pollute(key, hostileValue(key));
    server.respond((_request, response) => {
      response.statusCode = 302;
      response.setHeader('location', `${foreign.origin}/landing`);
      response.end();
    });
    const client = got.extend({ retry: { limit: 0 } }, createAws4Hooks({ region: 'eu-west-1', service: 's3', credentials: session }));
    await client.put(`${server.origin}/bucket/key`, { body: 'payload' });
    expect(server.requests[0]?.verified).toBe(true);
    expect(server.requests[0]?.headers['x-amz-content-sha256']).not.toBe('UNSIGNED-PAYLOAD');
    expect(foreign.requests[0]?.headers.authorization).toBeUndefined();
  });

  it('reads a getter once, and ignores later changes to the caller’s object', async () => {
    let reads = 0;
    const origins = [foreign.origin];
    const options = { region: 'eu-west-1', service: 'es', credentials: session, get allowedRedirectOrigins() { reads += 1; return reads === 1 ? [] : origins; } };
    const client = got.extend({ retry: { limit: 0 } }, createAws4Hooks(options));
    server.respond((_request, response) => {
      response.statusCode = 302;
      response.setHeader('location', `${foreign.origin}/landing`);
      response.end();
    });
    await client.get(`${server.origin}/a`);
    expect(reads).toBe(1);
    expect(foreign.requests[0]?.headers.authorization).toBeUndefined();
  });
});

describe("got's per-request context.aws4 is read own-properties-only too", () => {
  it('an inherited aws4 or streamingPayload choice is not honoured', async () => {
    pollute('aws4', { streamingPayload: 'unsigned' });
    server.respond((_request, response) => void response.end('ok'));
    const client = got.extend({ retry: { limit: 0 } }, createAws4Hooks({ region: 'eu-west-1', service: 'es', credentials: session }));
    const { Readable } = await import('node:stream');
    await client.put(`${server.origin}/x`, { body: Readable.from([Buffer.from('abc')]) });
    expect(server.requests[0]?.verified).toBe(true);
    expect(server.requests[0]?.headers['x-amz-content-sha256']).not.toBe('UNSIGNED-PAYLOAD');
  });
});

/**
 * Every name the plugin, its signer, its credential cache or got's options reading by the plugin looks up:
 * polluted all at once, none may change a byte on the wire. (Names got itself reads through the prototype are
 * left out: `isStream` and `signal` break got whatever a plugin does, and an inherited `content-length` or
 * `transfer-encoding` stops got from setting `content-length`.)
 */
const READ_NAMES = [
  // plugin options
  'region', 'service', 'credentials', 'credentialCache', 'payloadHash', 'datePolicy', 'algorithm', 'regionSet', 'raiseInvalidDate',
  'streamingPayload', 'chunkSize', 'checksum', 'maxBufferedBodyBytes', 'allowedRedirectOrigins', 'correctClockSkew', 'clock', 'onSigned',
  'includeHeaders', 'signSessionToken', 'normalizePath', 'doubleEncodePath', 'contentSha256Header', 'now', 'date', 'signingDate',
  // credentials and the cache
  'accessKeyId', 'secretAccessKey', 'sessionToken', 'expiration', 'credentialScope', 'accountId', 'timeoutMs', 'refreshAheadMs', 'jitter',
  // got's options and the request context
  'aws4', 'x-amz-security-token', 'authorization', 'x-amz-content-sha256', 'x-amz-date', 'x-amz-decoded-content-length', 'content-encoding',
  'host', 'x-amz-meta-a', 'lastUrl', 'origin', 'replayable',
] as const;

function hostileFor(name: string): unknown {
  if (['raiseInvalidDate', 'signSessionToken', 'normalizePath', 'doubleEncodePath', 'contentSha256Header', 'correctClockSkew', 'replayable'].includes(name)) return true;
  if (['allowedRedirectOrigins', 'includeHeaders', 'regionSet'].includes(name)) return ['*', foreign.origin];
  if (['chunkSize', 'maxBufferedBodyBytes', 'timeoutMs', 'refreshAheadMs', 'jitter', 'now'].includes(name)) return 1;
  if (name === 'aws4') return { streamingPayload: 'unsigned', chunkSize: 8192, checksum: 'sha1' };
  if (name === 'checksum') return 'sha1';
  if (name === 'streamingPayload') return 'unsigned';
  if (['clock', 'onSigned', 'credentials'].includes(name)) return () => { throw new Error(`an inherited ${name} was used`); };
  return 'POLLUTED';
}

/**
 * What the servers received, as raw header lines: Node's own parsed `headers` record of an incoming request
 * reads a polluted prototype (`dest[name] === undefined` when joining lines), so it would blame the sender.
 */
async function wire(requests: Array<() => Promise<unknown>>): Promise<string[]> {
  server.requests.length = 0;
  foreign.requests.length = 0;
  const outcomes: string[] = [];
  for (const request of requests) outcomes.push(await request().then(() => 'ok', (error: { code?: string }) => `failed ${String(error.code)}`));
  const seen = [...server.requests, ...foreign.requests].map((r) => JSON.stringify([r.method, r.target, r.rawHeaders, r.body.toString('latin1')]));
  return [...outcomes, ...seen];
}

describe('a polluted Object.prototype changes nothing the plugin sends', () => {
  it('every name the plugin reads, polluted at once: the same bytes reach the same servers, all verified', async () => {
    const { Readable } = await import('node:stream');
    // A fixed clock, and no offset learned from the server's Date: both runs sign at the same instant.
    const clock = () => Date.UTC(2026, 11, 6, 12, 0, 0);
    const options = { region: 'us-east-1', service: 's3', credentials: async () => ({ ...session }), clock, correctClockSkew: false };
    const client = got.extend({ retry: { limit: 0 } }, createAws4Hooks(options));
    server.respond((request, response) => {
      if (request.target.startsWith('/redirect')) {
        response.statusCode = 302;
        response.setHeader('location', `${foreign.origin}/landed`);
      }
      response.end('ok');
    });
    const requests = [
      () => client(`${server.origin}/bucket/key`),
      () => client(`${server.origin}/bucket/key`, { searchParams: { a: '1', 'b c': 'd+e' } }),
      () => client.put(`${server.origin}/bucket/key`, { body: 'hello' }),
      () => client.post(`${server.origin}/bucket/key`, { json: { a: 1 } }),
      () => client.post(`${server.origin}/bucket/key`, { form: { a: 'b' } }),
      () => client.put(`${server.origin}/bucket/streamed`, { body: Readable.from([Buffer.from('streamed body')]), headers: { 'content-length': '13' } }),
      () => client.put(`${server.origin}/bucket/buffered`, { body: Readable.from([Buffer.from('streamed body')]), context: { aws4: { streamingPayload: 'buffer' } } }),
      () => client(`${server.origin}/bucket/key`, { headers: { 'x-amz-meta-a': 'v', 'X-Mixed': 'Case' } }),
      () => client(`${server.origin}/redirect`),
    ];
    const clean = await wire(requests);
    expect(clean.filter((line) => line.startsWith('failed'))).toEqual([]);
    expect(server.requests.map((r) => r.verified)).toEqual(server.requests.map(() => true));
    for (const name of READ_NAMES) pollute(name, hostileFor(name));
    const dirty = await wire(requests);
    for (const key of polluted.splice(0)) delete (Object.prototype as Record<string, unknown>)[key];
    expect(dirty).toEqual(clean);
  });

  it('AWS4Auth#sign with no options argument reads no inherited payloadHash or date', async () => {
    const { AWS4Auth } = await import('../../src/index.js');
    const auth = new AWS4Auth({ ...session, region: 'eu-west-1', service: 'es' });
    const request = { method: 'PUT', url: 'https://search.example.com/index/_doc/1', headers: { 'x-amz-date': '20261206T120000Z' }, body: '{"a":1}' };
    const clean = auth.sign(request);
    pollute('payloadHash', 'UNSIGNED-PAYLOAD');
    pollute('now', 0);
    expect(auth.sign(request)).toEqual(clean);
  });
});
