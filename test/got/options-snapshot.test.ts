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
