import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import got, { RequestError } from 'got';
import { aws4Hooks, createAws4Hooks, CredentialCache, CannotInferError, BodyTooLargeError, CredentialsError, DateMismatchError, StreamLengthRequiredError } from '../../src/index.js';
import { startVerifyingServer, type VerifyingServer } from '../helpers/verifying-server.js';

const credentials = { accessKeyId: 'AKIDPLUGINTEST', secretAccessKey: 'plugin/test/secret/key/0123456789abcdefgh' };
const session = { accessKeyId: 'ASIAPLUGINTEST', secretAccessKey: 'session/secret/0123456789abcdefghijklmno', sessionToken: 'SESSION+TOKEN/VALUE==' };
const SIGNING_HEADER_NAMES = ['authorization', 'x-amz-date', 'x-amz-security-token', 'x-amz-content-sha256'];

let server: VerifyingServer;
let foreign: VerifyingServer;

beforeAll(async () => {
  server = await startVerifyingServer({ [credentials.accessKeyId]: credentials.secretAccessKey, [session.accessKeyId]: session.secretAccessKey });
  foreign = await startVerifyingServer({});
});
afterAll(async () => {
  await server.close();
  await foreign.close();
});
beforeEach(() => {
  server.requests.length = 0;
  foreign.requests.length = 0;
  server.respond((_request, response) => void response.end('ok'));
  foreign.respond((_request, response) => void response.end('ok'));
});

function client(options: Parameters<typeof createAws4Hooks>[0] = {}) {
  return got.extend({ retry: { limit: 0 } }, createAws4Hooks({ region: 'eu-west-1', service: 'es', credentials, ...options }));
}

describe('aws4Hooks: requests the server accepts', () => {
  it('signs a GET with a path and query as they go on the wire', async () => {
    await client().get(`${server.origin}/a b/é/c+d/x%2Fy/~t/*!'()?b=2&a=1&a=&k&sp=a b&plus=%2B`);
    const [received] = server.requests;
    expect(received?.problem).toBeUndefined();
    expect(received?.verified).toBe(true);
    expect(received?.headers.host).toBe(`127.0.0.1:${server.port}`);
  });

  it("signs got's searchParams, whose spaces it writes as +, as spaces", async () => {
    await client().get(`${server.origin}/search`, { searchParams: { q: 'a b', plus: '1+2' } });
    const [received] = server.requests;
    expect(received?.verified).toBe(true);
    expect(received?.target).toBe('/search?q=a%20b&plus=1%2B2');
  });

  it.each([
    ['json', { json: { hello: 'wörld', n: 1 } }],
    ['form', { form: { a: 'b c', d: 'é' } }],
    ['string', { body: 'plain text ✓' }],
    ['Buffer', { body: Buffer.from([0, 1, 2, 255]) }],
    ['Uint8Array', { body: new Uint8Array([5, 6, 7]) }],
  ] as const)('hashes a %s body exactly as sent', async (_kind, bodyOptions) => {
    await client().post(`${server.origin}/body`, bodyOptions as never);
    const [received] = server.requests;
    expect(received?.verified).toBe(true);
    expect(received?.problem).toBeUndefined();
  });

  it('buffers a stream body for services other than S3, hashes it and sends it with its length', async () => {
    await client().post(`${server.origin}/stream`, { body: Readable.from([Buffer.from('chunk one, '), Buffer.from('chunk two')]) });
    const [received] = server.requests;
    expect(received?.verified).toBe(true);
    expect(received?.body.toString()).toBe('chunk one, chunk two');
    expect(received?.headers['content-length']).toBe('20');
  });

  it('buffers an async iterable body the same way', async () => {
    async function* parts() {
      yield 'a';
      yield Buffer.from('b');
    }
    await client().put(`${server.origin}/iter`, { body: parts() });
    expect(server.requests[0]?.verified).toBe(true);
    expect(server.requests[0]?.body.toString()).toBe('ab');
  });

  it('refuses a stream larger than maxBufferedBodyBytes with a typed error, sending nothing', async () => {
    const error = await client({ maxBufferedBodyBytes: 8 })
      .post(`${server.origin}/big`, { body: Readable.from([Buffer.alloc(16)]) })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RequestError);
    expect((error as RequestError).cause).toBeInstanceOf(BodyTooLargeError);
    expect((error as RequestError).code).toBe('ERR_AWS4_BODY_TOO_LARGE');
    expect(server.requests).toHaveLength(0);
  });

  it('sends an S3 stream as UNSIGNED-PAYLOAD without buffering it when asked to', async () => {
    await client({ service: 's3', streamingPayload: 'unsigned' }).put(`${server.origin}/bucket/key`, { body: Readable.from([Buffer.from('streamed')]) });
    const [received] = server.requests;
    expect(received?.verified).toBe(true);
    expect(received?.headers['x-amz-content-sha256']).toBe('UNSIGNED-PAYLOAD');
    expect(received?.body.toString()).toBe('streamed');
  });

  it('refuses, before sending, an S3 stream of unknown length for a signed chunked upload', async () => {
    const error = await client({ service: 's3' }).put(`${server.origin}/bucket/key`, { body: Readable.from([Buffer.from('streamed')]) }).catch((e: unknown) => e);
    expect((error as RequestError).cause).toBeInstanceOf(StreamLengthRequiredError);
    expect(server.requests).toHaveLength(0);
  });

  it('signs a body piped into got.stream.put for S3 as UNSIGNED-PAYLOAD', async () => {
    await pipeline(Readable.from([Buffer.from('piped')]), client({ service: 's3' }).stream.put(`${server.origin}/bucket/piped`), async function* (source) {
      for await (const _ of source);
    });
    expect(server.requests[0]?.verified).toBe(true);
    expect(server.requests[0]?.body.toString()).toBe('piped');
  });

  it('adds and signs the session token of temporary credentials', async () => {
    await client({ credentials: session }).get(`${server.origin}/token`);
    const [received] = server.requests;
    expect(received?.verified).toBe(true);
    expect(received?.headers['x-amz-security-token']).toBe(session.sessionToken);
    expect(received?.headers.authorization).toContain('x-amz-security-token');
  });

  it('re-signs every page of got.paginate', async () => {
    server.respond((request, response) => {
      const page = Number(new URL(request.target, server.origin).searchParams.get('page') ?? '1');
      if (page < 3) response.setHeader('link', `<${server.origin}/items?page=${page + 1}>; rel="next"`);
      response.setHeader('content-type', 'application/json');
      response.end(JSON.stringify([page]));
    });
    const items = await client().paginate.all<number>(`${server.origin}/items`, { responseType: 'json' });
    expect(items).toEqual([1, 2, 3]);
    expect(server.requests.map((r) => r.verified)).toEqual([true, true, true]);
  });

  it('works in an extend chain with a prefixUrl and another hook before it', async () => {
    const chained = got
      .extend({ prefixUrl: `${server.origin}/api`, hooks: { beforeRequest: [(o) => void (o.headers['x-before'] = '1')] } })
      .extend(createAws4Hooks({ region: 'eu-west-1', service: 'es', credentials }));
    await chained.get('things');
    expect(server.requests[0]?.verified).toBe(true);
    expect(server.requests[0]?.headers['x-before']).toBe('1');
    expect(server.requests[0]?.headers.authorization).toContain('x-before');
  });

  it('shares one CredentialCache between clients', async () => {
    let calls = 0;
    const cache = new CredentialCache(async () => {
      calls++;
      return credentials;
    });
    await Promise.all([client({ credentials: cache }).get(`${server.origin}/1`), client({ credentials: cache }).get(`${server.origin}/2`)]);
    expect(calls).toBe(1);
    expect(server.requests.every((r) => r.verified)).toBe(true);
  });
});

describe('aws4Hooks: retries are signed afresh', () => {
  it('re-signs each retry with a new date, without carrying the previous signature', async () => {
    let now = Date.UTC(2026, 0, 1, 12, 0, 0);
    server.respond((request, response) => {
      now += 2000;
      response.statusCode = server.requests.length < 3 ? 503 : 200;
      response.end();
    });
    await got
      .extend({ retry: { limit: 3, calculateDelay: ({ computedValue }) => (computedValue > 0 ? 1 : 0) } }, createAws4Hooks({ region: 'eu-west-1', service: 'es', credentials, clock: () => now, correctClockSkew: false }))
      .get(`${server.origin}/retry`);
    expect(server.requests).toHaveLength(3);
    expect(server.requests.every((r) => r.verified)).toBe(true);
    const dates = server.requests.map((r) => r.headers['x-amz-date']);
    expect(new Set(dates).size).toBe(3);
    for (const request of server.requests) {
      expect(request.rawHeaders.filter((h) => h.toLowerCase() === 'authorization')).toHaveLength(1);
    }
  });

  it('strips stale signing headers in any letter case before signing', async () => {
    await client().get(`${server.origin}/stale`, {
      headers: { Authorization: 'AWS4-HMAC-SHA256 stale', 'X-Amz-Security-Token': 'stale-token' },
    });
    const [received] = server.requests;
    expect(received?.verified).toBe(true);
    expect(received?.headers['x-amz-security-token']).toBeUndefined();
  });
});

describe('aws4Hooks: redirects never carry credentials to another origin', () => {
  it('re-signs a same-origin redirect', async () => {
    server.respond((request, response) => {
      if (request.target === '/from') {
        response.statusCode = 302;
        response.setHeader('location', '/to');
      }
      response.end();
    });
    await client().get(`${server.origin}/from`);
    expect(server.requests.map((r) => [r.target, r.verified])).toEqual([['/from', true], ['/to', true]]);
  });

  it.each([302, 307])('delivers no authorization, session token or x-amz signing header after a %i to another origin', async (status) => {
    server.respond((_request, response) => {
      response.statusCode = status;
      response.setHeader('location', `${foreign.origin}/landing`);
      response.end();
    });
    await client({ credentials: session }).post(`${server.origin}/leave`, { body: 'payload' });
    expect(foreign.requests).toHaveLength(1);
    const headers = foreign.requests[0]!.headers;
    for (const name of SIGNING_HEADER_NAMES) expect(headers[name]).toBeUndefined();
    expect(JSON.stringify(foreign.requests[0]!.rawHeaders)).not.toContain(session.sessionToken);
  });

  it('signs a redirect to an explicitly allowed origin', async () => {
    server.respond((_request, response) => {
      response.statusCode = 307;
      response.setHeader('location', `${foreign.origin}/allowed`);
      response.end();
    });
    const secondary = await startVerifyingServer({ [credentials.accessKeyId]: credentials.secretAccessKey });
    try {
      server.respond((_request, response) => {
        response.statusCode = 307;
        response.setHeader('location', `${secondary.origin}/allowed`);
        response.end();
      });
      await client({ allowedRedirectOrigins: [secondary.origin] }).get(`${server.origin}/go`);
      expect(secondary.requests[0]?.verified).toBe(true);
    } finally {
      await secondary.close();
    }
  });
});

describe('aws4Hooks: clock skew', () => {
  it('learns the server clock from a RequestTimeTooSkewed answer and retries once, re-signed', async () => {
    const serverNow = Date.UTC(2026, 5, 1, 12, 0, 0);
    const localNow = serverNow - 40 * 60 * 1000;
    server.respond((request, response) => {
      response.setHeader('date', new Date(serverNow).toUTCString());
      const amzDate = String(request.headers['x-amz-date']);
      const skewed = Math.abs(Date.parse(`${amzDate.slice(0, 4)}-${amzDate.slice(4, 6)}-${amzDate.slice(6, 8)}T${amzDate.slice(9, 11)}:${amzDate.slice(11, 13)}:${amzDate.slice(13, 15)}Z`) - serverNow) > 15 * 60 * 1000;
      response.statusCode = skewed ? 403 : 200;
      response.end(skewed ? '<Error><Code>RequestTimeTooSkewed</Code></Error>' : 'ok');
    });
    const skewedClient = client({ clock: () => localNow });
    const response = await skewedClient.get(`${server.origin}/skew`);
    expect(response.statusCode).toBe(200);
    expect(server.requests).toHaveLength(2);
    // Learned once, the offset serves later requests straight away.
    await skewedClient.get(`${server.origin}/skew-again`);
    expect(server.requests).toHaveLength(3);
  });

  it('retries at most once when the server keeps rejecting the time', async () => {
    server.respond((_request, response) => {
      response.setHeader('date', new Date(Date.now() + 3600_000).toUTCString());
      response.statusCode = 403;
      response.end('<Error><Code>RequestTimeTooSkewed</Code></Error>');
    });
    const error = await client().get(`${server.origin}/always`).catch((e: unknown) => e);
    expect((error as { response?: { statusCode: number } }).response?.statusCode).toBe(403);
    expect(server.requests).toHaveLength(2);
  });
});

describe('aws4Hooks: dates the caller set', () => {
  it('signs at the time of an X-Amz-Date the caller set (regenerate policy)', async () => {
    await client().get(`${server.origin}/dated`, { headers: { 'x-amz-date': '20240101T000000Z' } });
    expect(server.requests[0]?.headers['x-amz-date']).toBe('20240101T000000Z');
    expect(server.requests[0]?.verified).toBe(true);
  });

  it('refuses a caller date on another day under the strict policy', async () => {
    const error = await client({ datePolicy: 'strict' })
      .get(`${server.origin}/strict`, { headers: { 'x-amz-date': '20000101T000000Z' } })
      .catch((e: unknown) => e);
    expect((error as RequestError).cause).toBeInstanceOf(DateMismatchError);
    expect(server.requests).toHaveLength(0);
  });
});

describe('aws4Hooks: failures before sending', () => {
  it('fails with a typed, non-retried error when credentials cannot be obtained', async () => {
    let calls = 0;
    const error = await got
      .extend(createAws4Hooks({ region: 'eu-west-1', service: 'es', credentials: async () => {
        calls++;
        throw Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
      } }))
      .get(`${server.origin}/nocreds`)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RequestError);
    expect((error as RequestError).cause).toBeInstanceOf(CredentialsError);
    expect((error as RequestError).code).toBe('ERR_AWS4_CREDENTIALS');
    expect(calls).toBe(1);
    expect(server.requests).toHaveLength(0);
  });

  it('names what to pass when the service cannot be inferred from the host', async () => {
    const error = await got.extend({ retry: { limit: 0 } }, aws4Hooks({ credentials })).get(`${server.origin}/x`).catch((e: unknown) => e);
    expect((error as RequestError).cause).toBeInstanceOf(CannotInferError);
    expect((error as RequestError).message).toMatch(/service/);
    expect(server.requests).toHaveLength(0);
  });

  it('rejects bad plugin options when the plugin is created', () => {
    expect(() => createAws4Hooks({ datePolicy: 'lenient' as never })).toThrow(/datePolicy/);
    expect(() => createAws4Hooks({ allowedRedirectOrigins: ['not a url'] })).toThrow(/allowedRedirectOrigins/);
  });
});

describe('aws4Hooks: fixes found while writing the guides', () => {
  it('does not sign a redirect back to the signed origin once a foreign origin was visited', async () => {
    server.respond((request, response) => {
      if (request.target === '/start') {
        response.statusCode = 302;
        response.setHeader('location', `${foreign.origin}/hop`);
      }
      response.end();
    });
    foreign.respond((_request, response) => {
      response.statusCode = 302;
      response.setHeader('location', `${server.origin}/chosen-by-foreign-host`);
      response.end();
    });
    await client({ credentials: session }).get(`${server.origin}/start`);
    const back = server.requests.find((r) => r.target === '/chosen-by-foreign-host');
    expect(back).toBeDefined();
    for (const name of SIGNING_HEADER_NAMES) expect(back?.headers[name]).toBeUndefined();
  });

  it('keeps strict and passive date policies working past midnight UTC', async () => {
    let now = Date.UTC(2026, 0, 1, 23, 59, 0);
    const strict = client({ datePolicy: 'strict', clock: () => now, correctClockSkew: false });
    await strict.get(`${server.origin}/before-midnight`);
    now = Date.UTC(2026, 0, 2, 0, 1, 0);
    await strict.get(`${server.origin}/after-midnight`);
    expect(server.requests.map((r) => [r.verified, String(r.headers.authorization).match(/\/(\d{8})\//)?.[1]])).toEqual([
      [true, '20260101'],
      [true, '20260102'],
    ]);
  });

  it('rejects a bad region, service or flag when the plugin is created', () => {
    expect(() => createAws4Hooks({ region: 'eu west 1' })).toThrow(/options\.region/);
    expect(() => createAws4Hooks({ service: '' })).toThrow(/options\.service/);
    expect(() => createAws4Hooks({ normalizePath: 'yes' as never })).toThrow(/options\.normalizePath/);
    expect(() => createAws4Hooks({ includeHeaders: ['bad header'] })).toThrow(/options\.includeHeaders/);
  });

  it('drops its cached credentials and retries once on a 400 ExpiredTokenException from a JSON-protocol service', async () => {
    let calls = 0;
    const cache = new CredentialCache(async () => {
      calls++;
      return credentials;
    });
    server.respond((_request, response) => {
      const first = server.requests.length === 1;
      response.statusCode = first ? 400 : 200;
      response.setHeader('content-type', 'application/x-amz-json-1.0');
      response.end(first ? JSON.stringify({ __type: 'com.amazon.coral.service#ExpiredTokenException', message: 'The security token included in the request is expired' }) : '{}');
    });
    const response = await client({ credentials: cache }).post(`${server.origin}/`, { json: {}, responseType: 'json' });
    expect(response.statusCode).toBe(200);
    expect(calls).toBe(2);
  });
});

describe('aws4Hooks: streamed uploads that go wrong', () => {
  it('fails the request with a typed error, not a crash, when a chunked upload stream is shorter than its content-length', async () => {
    const error = await client({ service: 's3' })
      .put(`${server.origin}/bucket/short`, { body: Readable.from([Buffer.alloc(10)]), headers: { 'content-length': '100' } })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RequestError);
    expect(((error as RequestError).cause as { code?: string } | undefined)?.code ?? (error as RequestError).code).toMatch(/^ERR_AWS4_/);
  });

  it('follows a 303 after a streamed upload with a body-less GET', async () => {
    server.respond((request, response) => {
      if (request.method === 'PUT') {
        response.statusCode = 303;
        response.setHeader('location', '/bucket/done');
      }
      response.end('ok');
    });
    const response = await client({ service: 's3' }).put(`${server.origin}/bucket/streamed`, { body: Readable.from([Buffer.alloc(20_000, 1)]), headers: { 'content-length': '20000' } });
    expect(response.statusCode).toBe(200);
    expect(server.requests.map((r) => [r.method, r.target])).toEqual([['PUT', '/bucket/streamed'], ['GET', '/bucket/done']]);
    expect(server.requests[1]?.verified).toBe(true);
  });
});
