/**
 * No secret is reachable from any error got raises on a signed request: for got(), got.stream() and
 * got.paginate(), and every error kind (HTTPError, a reset connection, TimeoutError, MaxRedirectsError),
 * none of `util.inspect(err, { depth: Infinity })`, `JSON.stringify(err)`, `String(err)`,
 * `err.options.headers`, `err.request` and `err.response.request` shows the session token, the signature
 * or the secret. got's own retries still work (they run before `beforeError`).
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { inspect } from 'node:util';
import type { ServerResponse } from 'node:http';
import got, { type RequestError } from 'got';
import { createAws4Hooks } from '../../src/index.js';
import { startVerifyingServer, type ReceivedRequest, type VerifyingServer } from '../helpers/verifying-server.js';
import { errorRenderings, scanTexts, type ScanSource } from '../helpers/secrets.js';

const session = { accessKeyId: 'ASIAPLUGINTEST', secretAccessKey: 'session/secret/0123456789abcdefghijklmno', sessionToken: 'SESSION+TOKEN/VALUE==' };

let server: VerifyingServer;
beforeAll(async () => {
  server = await startVerifyingServer({ [session.accessKeyId]: session.secretAccessKey });
});
afterAll(() => server.close());
beforeEach(() => {
  server.requests.length = 0;
});

type Responder = (request: ReceivedRequest, response: ServerResponse) => void;
const FAILURES: Record<string, { respond: Responder; options?: Record<string, unknown>; code: string }> = {
  HTTPError: { respond: (_q, r) => void ((r.statusCode = 500), r.end('<Error><Code>InternalError</Code></Error>')), code: 'ERR_NON_2XX_3XX_RESPONSE' },
  'connection reset (RequestError)': { respond: (_q, r) => void r.socket?.destroy(), code: 'ECONNRESET' },
  TimeoutError: { respond: () => undefined, options: { timeout: { request: 150 } }, code: 'ETIMEDOUT' },
  MaxRedirectsError: { respond: (_q, r) => void ((r.statusCode = 302), r.setHeader('location', '/loop'), r.end()), options: { maxRedirects: 2 }, code: 'ERR_TOO_MANY_REDIRECTS' },
};

const client = () => got.extend({ retry: { limit: 0 } }, createAws4Hooks({ region: 'eu-west-1', service: 'es', credentials: session }));

const API: Record<string, (url: string, options: Record<string, unknown>) => Promise<unknown>> = {
  'got()': (url, options) => client().get(url, options),
  'got.stream()': (url, options) =>
    new Promise((resolve, reject) => {
      const stream = client().stream(url, options);
      stream.on('error', reject).on('end', resolve).resume();
    }),
  'got.paginate()': async (url, options) => {
    for await (const _item of client().paginate(url, { ...options, pagination: { paginate: () => false } })) void _item;
  },
};

/** Every view of the error the issue names, plus the suite's usual renderings. */
function views(error: RequestError): ScanSource[] {
  const show = (value: unknown) => inspect(value, { depth: Infinity });
  return [
    ...errorRenderings(error, 'error'),
    { where: 'util.inspect(err, depth Infinity)', text: show(error) },
    { where: 'JSON.stringify(err)', text: String(JSON.stringify(error)) },
    { where: 'String(err)', text: String(error) },
    { where: 'err.options.headers', text: show(error.options?.headers) },
    { where: 'err.request', text: show(error.request) },
    { where: 'err.response.request', text: show(error.response?.request) },
    { where: 'err.request (showHidden)', text: inspect(error.request, { depth: 6, showHidden: true }) },
  ];
}

const cells = Object.keys(API).flatMap((api) => Object.keys(FAILURES).map((failure) => [api, failure] as const));

describe('errors of signed requests hold no secret', () => {
  it.each(cells)('%s, %s', async (api, failure) => {
    const { respond, options, code } = FAILURES[failure]!;
    server.respond(respond);
    const error = (await API[api]!(`${server.origin}/fail`, options ?? {}).catch((e: unknown) => e)) as RequestError;
    expect(error.code).toBe(code);
    const signature = /Signature=([0-9a-f]{64})/.exec(String(server.requests[0]?.headers.authorization))?.[1];
    expect(signature).toMatch(/^[0-9a-f]{64}$/);
    const texts = views(error);
    expect(scanTexts(texts)).toEqual([]);
    for (const { where, text } of texts) {
      expect(text.includes(signature!), `${where} shows the signature`).toBe(false);
      expect(text.includes(session.sessionToken), `${where} shows the session token`).toBe(false);
    }
  });

  it("leaves got's own retries working: a 503 then 200 succeeds, re-signed", async () => {
    let calls = 0;
    server.respond((_q, r) => void ((r.statusCode = ++calls === 1 ? 503 : 200), r.end('ok')));
    const response = await got.extend({ retry: { limit: 2, backoffLimit: 10 } }, createAws4Hooks({ region: 'eu-west-1', service: 'es', credentials: session })).get(`${server.origin}/retry`);
    expect(response.statusCode).toBe(200);
    expect(server.requests.map((r) => r.verified)).toEqual([true, true]);
  });
});
