/**
 * No secret is reachable from any error got raises on a signed request: for got(), got.stream() and
 * got.paginate(), and every error kind (HTTPError, a reset connection, TimeoutError, MaxRedirectsError,
 * ReadError, an error thrown by a caller's hook), nothing reachable from the error (every own property,
 * enumerable or not, walked to the end) nor `util.inspect(err, { depth: Infinity })`, `JSON.stringify(err)`
 * or `String(err)` shows the session token, the secret, the signature, a caller's SSE-C customer keys or
 * `proxy-authorization` (in any letter case), or the secrets of a presigned URL the caller used
 * (`X-Amz-Signature`, `X-Amz-Security-Token`, `X-Amz-Credential`) in the URL, paths, redirects or message.
 * got's own retries still work (they run before `beforeError`), and the caller's option objects are not
 * changed.
 *
 * Runs against the project's got (14). To run it against another got, install it outside the tree and name
 * its entry: `GOT_AWS4AUTH_TEST_GOT=/tmp/got16/node_modules/got/dist/source/index.js` (got 16 needs Node 22+:
 * `npx -y -p node@24 node node_modules/vitest/vitest.mjs run --config test/vitest.config.ts test/got/error-redaction.test.ts`).
 * `ERROR_REDACTION_RUNS` scales the property test.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { inspect } from 'node:util';
import type { ServerResponse } from 'node:http';
import { createServer as createNetServer, type AddressInfo } from 'node:net';
import http2 from 'node:http2';
import { rm } from 'node:fs/promises';
import fc from 'fast-check';
import defaultGot, { type Got, type Options, type RequestError } from 'got';
import { createAws4Hooks } from '../../src/index.js';
import { startVerifyingServer, type ReceivedRequest, type VerifyingServer } from '../helpers/verifying-server.js';
import { errorRenderings, scanTexts, type ScanSource } from '../helpers/secrets.js';
import { selfSignedCertificate } from '../helpers/tls-server.js';
import { reachableTexts } from './support/reachable-text.js';

const otherGot = process.env.GOT_AWS4AUTH_TEST_GOT;
const got: Got = otherGot === undefined ? defaultGot : ((await import(otherGot)) as { default: Got }).default;
const RUNS = Number(process.env.ERROR_REDACTION_RUNS ?? 6);

const session = { accessKeyId: 'ASIAPLUGINTEST', secretAccessKey: 'session/secret/0123456789abcdefghijklmno', sessionToken: 'SESSION+TOKEN/VALUE==' };
// The caller's own secrets: SSE-C customer keys, a proxy's credentials, and a presigned URL's parameters.
const SSE_C_SECRET = 'c3NlLWMgY3VzdG9tZXIga2V5IDAxMjM0NTY3ODk=';
const COPY_SSE_C_SECRET = 'Y29weSBzb3VyY2Ugc3NlLWMga2V5IDAxMjM0NTY=';
const PROXY_SECRET = 'cHJveHktdXNlcjpwcm94eS1wYXNzd29yZA==';
const PRESIGNED_SIGNATURE_SECRET = '5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7';
const PRESIGNED_TOKEN_SECRET = 'PRESIGNED+URL/SESSION=token';
const PRESIGNED_CREDENTIAL_SECRET = 'ASIAPRESIGNEDURL/20260601/eu-west-1/es/aws4_request';

const MARKERS = [session.secretAccessKey, session.sessionToken, SSE_C_SECRET, COPY_SSE_C_SECRET, PROXY_SECRET, PRESIGNED_SIGNATURE_SECRET, PRESIGNED_TOKEN_SECRET, PRESIGNED_CREDENTIAL_SECRET];

const presignedQuery = (names: { signature: string; token: string; credential: string }): string =>
  `?X-Amz-Algorithm=AWS4-HMAC-SHA256&${names.credential}=${encodeURIComponent(PRESIGNED_CREDENTIAL_SECRET)}` +
  `&${names.token}=${encodeURIComponent(PRESIGNED_TOKEN_SECRET)}&${names.signature}=${PRESIGNED_SIGNATURE_SECRET}`;
const QUERY = presignedQuery({ signature: 'X-Amz-Signature', token: 'X-Amz-Security-Token', credential: 'X-Amz-Credential' });

const callerHeaders = (names = { sse: 'X-Amz-Server-Side-Encryption-Customer-Key', copy: 'x-amz-copy-source-server-side-encryption-customer-KEY', proxy: 'Proxy-Authorization' }) => ({
  [names.sse]: SSE_C_SECRET,
  [names.copy]: COPY_SSE_C_SECRET,
  [names.proxy]: `Basic ${PROXY_SECRET}`,
});

let server: VerifyingServer;
/** An origin nothing listens on: a port that was free a moment ago. */
let refusedOrigin: string;
beforeAll(async () => {
  server = await startVerifyingServer({ [session.accessKeyId]: session.secretAccessKey });
  const probe = createNetServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  refusedOrigin = `http://127.0.0.1:${(probe.address() as AddressInfo).port}`;
  await new Promise((resolve) => probe.close(resolve));
});
afterAll(() => server.close());
beforeEach(() => {
  server.requests.length = 0;
});

type Responder = (request: ReceivedRequest, response: ServerResponse) => void;
interface Failure {
  respond: Responder;
  options?: Record<string, unknown>;
  /** Throw from a caller's beforeRequest hook that runs after the plugin signed. */
  hookThrows?: boolean;
  /** Another origin than the verifying server's. */
  origin?: () => string;
  name: string;
}
/** A name lookup that fails, as for a host that does not exist. */
const failingLookup = (hostname: string, _options: unknown, callback: (error: Error) => void) =>
  void process.nextTick(callback, Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND', hostname }));
const FAILURES: Record<string, Failure> = {
  HTTPError: { respond: (_q, r) => void ((r.statusCode = 500), r.end('<Error><Code>InternalError</Code></Error>')), name: 'HTTPError' },
  'connection reset (RequestError)': { respond: (_q, r) => void r.socket?.destroy(), name: 'RequestError' },
  TimeoutError: { respond: () => undefined, options: { timeout: { request: 150 } }, name: 'TimeoutError' },
  MaxRedirectsError: { respond: (q, r) => void ((r.statusCode = 302), r.setHeader('location', q.target), r.end()), options: { maxRedirects: 2 }, name: 'MaxRedirectsError' },
  ReadError: { respond: (_q, r) => void (r.writeHead(200, { 'content-length': '1000' }), r.write('partial'), setTimeout(() => r.socket?.destroy(), 20)), name: 'ReadError' },
  // Never connected: Node keeps the header block it wrote on the unconnected socket.
  'connection refused (RequestError)': { respond: () => undefined, origin: () => refusedOrigin, name: 'RequestError' },
  'DNS failure (RequestError)': { respond: () => undefined, options: { dnsLookup: failingLookup }, origin: () => 'http://bucket.invalid', name: 'RequestError' },
  "a caller's hook error": { respond: (_q, r) => void r.end('ok'), hookThrows: true, name: 'RequestError' },
};

const client = (retries = 0) => got.extend({ retry: { limit: retries, backoffLimit: 10 } }, createAws4Hooks({ region: 'eu-west-1', service: 'es', credentials: session }));

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

/** Every rendering of the error the issue names, the suite's usual ones, and every text reachable from it. */
function views(error: RequestError): ScanSource[] {
  const show = (value: unknown) => inspect(value, { depth: Infinity });
  const reachable = reachableTexts(error);
  expect(reachable.truncated, 'the walk read everything reachable').toBe(false);
  return [
    ...errorRenderings(error, 'error'),
    { where: 'util.inspect(err, depth Infinity)', text: show(error) },
    { where: 'util.inspect(err, showHidden)', text: inspect(error, { depth: Infinity, showHidden: true }) },
    { where: 'JSON.stringify(err)', text: String(JSON.stringify(error)) },
    { where: 'String(err)', text: String(error) },
    { where: 'err.options.headers', text: show(error.options?.headers) },
    { where: 'err.options.url', text: String(error.options?.url) },
    { where: 'err.request', text: show(error.request) },
    { where: 'err.response.request', text: show(error.response?.request) },
    { where: 'err.response.url', text: String(error.response?.url) },
    { where: 'err.timings', text: show(error.timings) },
    ...reachable.texts.map(({ path, text }) => ({ where: `err${path}`, text })),
  ];
}

/** Asserts that no view shows a secret, raw or percent-encoded. */
function expectNoSecret(error: RequestError, signature: string): void {
  const texts = views(error);
  expect(scanTexts(texts)).toEqual([]);
  const forms = [...MARKERS, signature].flatMap((marker) => [marker, encodeURIComponent(marker)]);
  for (const { where, text } of texts) {
    const shown = forms.findIndex((form) => text.includes(form));
    expect(shown, `${where} shows secret #${shown}`).toBe(-1);
  }
}

/** A caller hook that runs after the plugin's: it sees the signature sent, and may fail the request. */
function signatureRecorder(throwAfter: boolean): { hooks: Record<string, unknown>; signature: () => string } {
  let seen = '';
  const record = (options: Options) => {
    seen = /Signature=([0-9a-f]{64})/.exec(String(options.headers.authorization))?.[1] ?? seen;
    if (throwAfter) throw new Error('the caller hook refused the request');
  };
  return { hooks: { beforeRequest: [record] }, signature: () => seen };
}

async function failedRequest(api: string, failure: Failure, url: string, headers: Record<string, string>): Promise<{ error: RequestError; signature: string }> {
  server.respond(failure.respond);
  const recorder = signatureRecorder(failure.hookThrows === true);
  const options = { ...failure.options, headers, hooks: recorder.hooks };
  const error = (await API[api]!(url, options).catch((e: unknown) => e)) as RequestError;
  return { error, signature: recorder.signature() };
}

const cells = Object.keys(API).flatMap((api) => Object.keys(FAILURES).map((failure) => [api, failure] as const));

describe('errors of signed requests hold no secret', () => {
  it.each(cells)('%s, %s: nothing reachable from the error shows a secret', async (api, name) => {
    const failure = FAILURES[name]!;
    const headers = callerHeaders();
    const { error, signature } = await failedRequest(api, failure, `${(failure.origin?.() ?? server.origin)}/fail${QUERY}`, headers);
    expect(error.name).toBe(failure.name);
    expect(signature).toMatch(/^[0-9a-f]{64}$/);
    expectNoSecret(error, signature);
    expect(headers, "the caller's headers object is unchanged").toEqual(callerHeaders());
  });

  it('masks the secret headers and presigned parameters in any letter case', async () => {
    const spelling = (text: string) => fc.array(fc.boolean(), { minLength: text.length, maxLength: text.length }).map((upper) => [...text].map((c, i) => (upper[i] ? c.toUpperCase() : c)).join(''));
    const names = fc.record({ sse: spelling('x-amz-server-side-encryption-customer-key'), copy: spelling('x-amz-copy-source-server-side-encryption-customer-key'), proxy: spelling('proxy-authorization') });
    const parameters = fc.record({ signature: spelling('x-amz-signature'), token: spelling('x-amz-security-token'), credential: spelling('x-amz-credential') });
    await fc.assert(
      fc.asyncProperty(names, parameters, fc.constantFrom(...cells), async (headerNames, parameterNames, [api, failure]) => {
        const origin = FAILURES[failure]!.origin?.() ?? server.origin;
        const { error, signature } = await failedRequest(api, FAILURES[failure]!, `${origin}/fail${presignedQuery(parameterNames)}`, callerHeaders(headerNames));
        expectNoSecret(error, signature);
      }),
      { numRuns: RUNS },
    );
  });
});

describe('errors of signed HTTP/2 requests hold no secret', () => {
  let certificate: Awaited<ReturnType<typeof selfSignedCertificate>>;
  beforeAll(async () => {
    certificate = await selfSignedCertificate();
  });
  afterAll(() => rm(certificate.dir, { recursive: true, force: true }));

  /** A server of its own per test: got's HTTP/2 agent keeps one session per origin, opened by this test's request. */
  type SeenRequest = { url: string; headers: Record<string, unknown>; body: string };
  async function startHttp2Server(status: (url: string, index: number) => number = (url) => (url.startsWith('/ok') ? 200 : 500)): Promise<{ origin: string; seen: SeenRequest[]; close: () => Promise<unknown> }> {
    const seen: SeenRequest[] = [];
    const h2 = http2.createSecureServer({ key: certificate.key, cert: certificate.cert, allowHTTP1: true }, (request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        seen.push({ url: request.url, headers: { ...request.headers }, body: Buffer.concat(chunks).toString() });
        response.writeHead(status(request.url, seen.length - 1));
        response.end('x');
      });
    });
    // got's HTTP/2 agent keeps its session open, and close() waits for every session: end them first (Node 22
    // otherwise waits for the idle session for ever).
    const sessions = new Set<http2.ServerHttp2Session>();
    h2.on('session', (session) => sessions.add(session));
    await new Promise<void>((resolve) => h2.listen(0, '127.0.0.1', resolve));
    const close = (): Promise<unknown> => {
      for (const session of sessions) session.destroy();
      return new Promise((resolve) => h2.close(resolve));
    };
    return { origin: `https://localhost:${(h2.address() as AddressInfo).port}`, seen, close };
  }

  // got 14 builds a retry from objects the failed attempt's error shares (the URL, the headers, http2-wrapper's
  // request options): the retry must send what the first attempt sent, apart from its date and signature.
  it('over HTTP/2, a retry after a 503 sends the same URL, caller secret headers and body', async () => {
    const h2 = await startHttp2Server((_url, index) => (index === 0 ? 503 : 200));
    try {
      const headers = { ...callerHeaders(), 'x-api-token': 'caller-token-value' };
      const response = await client(1).put(`${h2.origin}/bucket?list-type=2&continuation-token=1ueGcxLPRx1Tr%2FXYExHnhbYLgveDs2J`, { http2: true, https: { rejectUnauthorized: false }, headers, body: 'payload' });
      expect(response.statusCode).toBe(200);
      expect(h2.seen).toHaveLength(2);
      const unsigned = h2.seen.map(({ url, headers: sent, body }) => ({ url, body, headers: Object.fromEntries(Object.entries(sent).filter(([name]) => !['authorization', 'x-amz-date'].includes(name))) }));
      expect(unsigned[1]).toEqual(unsigned[0]);
      expect(unsigned[0]?.headers['x-amz-server-side-encryption-customer-key']).toBe(SSE_C_SECRET);
    } finally {
      await h2.close();
    }
  });

  // http2-wrapper keeps the headers sent on the request's stream, and the URL in its session's connect options.
  it.each(['got()', 'got.stream()'])('%s, HTTPError over HTTP/2: nothing reachable from the error shows a secret', async (api) => {
    const h2 = await startHttp2Server();
    try {
      const recorder = signatureRecorder(false);
      const options = { http2: true, https: { rejectUnauthorized: false }, headers: callerHeaders(), hooks: recorder.hooks };
      const error = (await API[api]!(`${h2.origin}/fail${QUERY}`, options).catch((e: unknown) => e)) as RequestError;
      expect(error.name).toBe('HTTPError');
      expect(recorder.signature()).toMatch(/^[0-9a-f]{64}$/);
      expectNoSecret(error, recorder.signature());
    } finally {
      await h2.close();
    }
  });

  // got's agents are shared by every request, and a pooled connection keeps the options of the request that
  // opened it (URL and headers): Node's TLS socket and http2-wrapper's session alike. A later error reaches them
  // through its own connection, through the agent, or through the timers of sockets with the same timeout.
  it.each([
    [true, 'the same origin'],
    [false, 'the same origin'],
    [true, 'another origin'],
    [false, 'another origin'],
  ])('http2: %s, %s: the URL and headers of an earlier, successful request are not reachable from a later error, and its connection still works', async (http2, where) => {
    const [first, second] = [await startHttp2Server(), await startHttp2Server()];
    try {
      const options = { http2, https: { rejectUnauthorized: false } };
      await client()(`${first.origin}/ok${QUERY}`, { ...options, headers: callerHeaders() });
      const recorder = signatureRecorder(false);
      const failing = where === 'the same origin' ? first.origin : second.origin;
      const error = (await client()(`${failing}/fail`, { ...options, hooks: recorder.hooks }).catch((e: unknown) => e)) as RequestError;
      expect(error.name).toBe('HTTPError');
      expectNoSecret(error, recorder.signature());
      const again = await client()(`${first.origin}/ok${QUERY}`, { ...options, headers: callerHeaders() });
      expect(again.statusCode).toBe(200);
    } finally {
      await Promise.all([first.close(), second.close()]);
    }
  });
});

describe("got's own retries still work", () => {
  it('a 500, then a reset connection, then a 200 succeeds after two retries, each attempt re-signed', async () => {
    let calls = 0;
    server.respond((_q, r) => {
      calls += 1;
      if (calls === 1) void ((r.statusCode = 500), r.end('busy'));
      else if (calls === 2) r.socket?.destroy();
      else r.end('ok');
    });
    const response = await client(2).get(`${server.origin}/retry`, { headers: callerHeaders() });
    expect(response.statusCode).toBe(200);
    expect(response.retryCount).toBe(2);
    expect(server.requests.map((r) => r.verified)).toEqual([true, true, true]);
    expect(server.requests.map((r) => r.headers['x-amz-server-side-encryption-customer-key'])).toEqual([SSE_C_SECRET, SSE_C_SECRET, SSE_C_SECRET]);
  });

  // got hands each failed attempt's error to beforeRetry hooks, to the stream's `retry` event and to its retry
  // diagnostics channel before it retries: none of them may show the session token or a signature.
  it.each(['got()', 'got.stream()'])('%s: errors seen while retrying show no token or signature, and the retry keeps the caller\'s headers', async (api) => {
    let calls = 0;
    server.respond((_q, r) => void (++calls < 3 ? ((r.statusCode = 503), r.end('busy')) : r.end('ok')));
    const seen: string[] = [];
    const record = (error: unknown) => void seen.push(inspect(error, { depth: Infinity }), String(JSON.stringify(error)), String(error), String((error as Error).stack));
    const { subscribe, unsubscribe } = await import('node:diagnostics_channel');
    const onRetry = (message: unknown) => record((message as { error: unknown }).error);
    subscribe('got:request:retry', onRetry);
    try {
      const options = { headers: callerHeaders(), hooks: { beforeRetry: [record] } };
      if (api === 'got()') await client(2).get(`${server.origin}/retry`, options);
      else {
        // A stream is retried by the caller (`createRetryStream`); this one only looks at the error and stops.
        const stream = client(2).stream(`${server.origin}/retry`, options);
        stream.on('retry', (_count: number, error: unknown) => record(error));
        await (async () => {
          for await (const _chunk of stream) void _chunk;
        })().catch(() => undefined);
      }
    } finally {
      unsubscribe('got:request:retry', onRetry);
    }
    expect(calls).toBe(api === 'got()' ? 3 : 1);
    expect(seen.length).toBeGreaterThanOrEqual(api === 'got()' ? 16 : 12);
    const signatures = server.requests.map((r) => /Signature=([0-9a-f]{64})/.exec(String(r.headers.authorization))?.[1] ?? 'missing');
    for (const secret of [session.sessionToken, session.secretAccessKey, ...signatures]) {
      expect(seen.filter((text) => text.includes(secret) || text.includes(encodeURIComponent(secret)))).toEqual([]);
    }
    expect(server.requests.map((r) => [r.verified, r.headers['x-amz-server-side-encryption-customer-key']])).toEqual(Array(calls).fill([true, SSE_C_SECRET]));
  });

  // got 14 builds a retry from objects the failed attempt's error shares (the URL, the headers): the retry
  // must send what the first attempt sent, apart from its date and signature.
  it.each(['a 503', "the plugin's clock-skew retry", "the plugin's expired-token retry"])('after %s, the retry sends the same URL, caller secret headers and body', async (kind) => {
    let calls = 0;
    server.respond((_q, r) => {
      calls += 1;
      if (calls > 1) return void r.end('ok');
      r.statusCode = kind === 'a 503' ? 503 : 403;
      if (kind.includes('clock')) r.setHeader('date', new Date(Date.now() + 3_600_000).toUTCString());
      const code = kind === 'a 503' ? 'SlowDown' : kind.includes('clock') ? 'RequestTimeTooSkewed' : 'ExpiredToken';
      r.end(`<Error><Code>${code}</Code></Error>`);
    });
    const headers = { ...callerHeaders(), 'x-api-token': 'caller-token-value' };
    const response = await client(2).put(`${server.origin}/bucket?list-type=2&continuation-token=1ueGcxLPRx1Tr%2FXYExHnhbYLgveDs2J&nextToken=abc`, { headers, body: 'payload' });
    expect(response.statusCode).toBe(200);
    const unsigned = server.requests.map((r) => ({ target: r.target, body: r.body.toString(), headers: Object.fromEntries(Object.entries(r.headers).filter(([name]) => !['authorization', 'x-amz-date'].includes(name))) }));
    expect(unsigned).toHaveLength(2);
    expect(unsigned[1]).toEqual(unsigned[0]);
    expect(server.requests.map((r) => r.verified)).toEqual([true, true]);
  });

  it('a request that keeps failing is retried up to the limit, and only its final error is redacted', async () => {
    server.respond((_q, r) => void ((r.statusCode = 503), r.end('busy')));
    const recorder = signatureRecorder(false);
    const error = (await client(2).get(`${server.origin}/fail${QUERY}`, { headers: callerHeaders(), hooks: recorder.hooks }).catch((e: unknown) => e)) as RequestError;
    expect(error.name).toBe('HTTPError');
    expect(error.response?.retryCount).toBe(2);
    expect(server.requests).toHaveLength(3);
    // (The verifying oracle leaves X-Amz-Signature out of the canonical query, so it cannot verify these.)
    expect(server.requests.every((r) => /Signature=[0-9a-f]{64}$/.test(String(r.headers.authorization)) && r.headers['x-amz-security-token'] === session.sessionToken)).toBe(true);
    expectNoSecret(error, recorder.signature());
  });
});
