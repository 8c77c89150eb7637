/**
 * Credentials never leave the signed origin: redirects that change the scheme (http → https and back,
 * on the same host and port), the port, or the host name for the same address, and a redirect back to the
 * signed origin after a foreign hop; and requests through an HTTP proxy (a CONNECT tunnel agent, the way
 * `hpagent` works: `hpagent` is not installed, so a minimal one lives here).
 *
 * "Credentials" means the `authorization` header (a signature another origin could replay while it is
 * valid), `x-amz-security-token`, and the other signing headers. Each foreign endpoint records the raw
 * headers it received, and the test also searches them for the token and the signature.
 *
 * TLS servers use a certificate made with `openssl` at test time (skipped if `openssl` is missing).
 * `GOT_AWS4AUTH_TEST_GOT` names another got's entry file to run against (see test/got/error-redaction.test.ts).
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { Agent as HttpAgent, createServer as createHttpServer, request as httpRequest, type ClientRequestArgs, type IncomingMessage, type Server as HttpServer, type ServerResponse } from 'node:http';
import { Agent as HttpsAgent, createServer as createHttpsServer, type Server as HttpsServer } from 'node:https';
import { connect as netConnect, createServer as createNetServer, type AddressInfo, type Server as NetServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Duplex } from 'node:stream';
import { connect as tlsConnect } from 'node:tls';
import defaultGot, { type Got } from 'got';
import { createAws4Hooks } from '../../src/index.js';
import { startVerifyingServer, type ReceivedRequest, type VerifyingServer } from '../helpers/verifying-server.js';

// Another got to run against (e.g. got 16 installed outside the tree, on Node 22+): its entry file.
const otherGot = process.env.GOT_AWS4AUTH_TEST_GOT;
const got: Got = otherGot === undefined ? defaultGot : ((await import(otherGot)) as { default: Got }).default;
const { Options } = (otherGot === undefined ? await import('got') : await import(otherGot)) as { Options: new (url: URL) => object };

const session = { accessKeyId: 'ASIACROSSORIGIN', secretAccessKey: 'cross/origin/secret/0123456789abcdefghijk', sessionToken: 'CROSS+ORIGIN/SESSION=token' };
const SIGNING_HEADERS = ['authorization', 'x-amz-date', 'x-amz-security-token', 'x-amz-content-sha256'];

function hasOpenssl(): boolean {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
const OPENSSL = hasOpenssl();

/** A request as an endpoint received it. */
interface Seen {
  readonly where: string;
  readonly method: string;
  readonly target: string;
  readonly headers: IncomingMessage['headers'];
  readonly raw: string;
  readonly body: string;
}

/** Asserts that nothing in `seen` carries a credential. */
function expectNoCredentials(seen: readonly Seen[], signatures: readonly string[] = []): void {
  for (const request of seen) {
    for (const name of SIGNING_HEADERS) expect(request.headers[name], `${name} at ${request.where}${request.target}`).toBeUndefined();
    expect(request.raw.includes(session.sessionToken), `session token at ${request.where}${request.target}`).toBe(false);
    expect(request.raw.includes(encodeURIComponent(session.sessionToken)), `encoded session token at ${request.where}${request.target}`).toBe(false);
    for (const signature of signatures) expect(request.raw.includes(signature), `a signature at ${request.where}${request.target}`).toBe(false);
  }
}

/** Records every request and answers with `respond` (default: 200 "ok"). */
function recorder(where: string, seen: Seen[], respond: (request: IncomingMessage, response: ServerResponse) => void = (_q, s) => void s.end('ok')) {
  return (request: IncomingMessage, response: ServerResponse): void => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      seen.push({ where, method: request.method ?? '', target: request.url ?? '', headers: request.headers, raw: request.rawHeaders.join('\n'), body: Buffer.concat(chunks).toString() });
      respond(request, response);
    });
  };
}

async function listen(server: HttpServer | HttpsServer | NetServer): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

function close(server: HttpServer | HttpsServer | NetServer): Promise<void> {
  if ('closeAllConnections' in server) server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}

/** Signatures in the authorization headers the signed origin received, to look for elsewhere. */
function signaturesOf(requests: ReadonlyArray<{ headers: IncomingMessage['headers'] }>): string[] {
  return requests.map((r) => /Signature=([0-9a-f]{64})/.exec(r.headers.authorization ?? '')?.[1]).filter((s): s is string => s !== undefined);
}

const client = (extra: Parameters<typeof createAws4Hooks>[0] = {}, gotOptions: Parameters<typeof got.extend>[0] = {}) =>
  got.extend({ retry: { limit: 0 }, timeout: { request: 10_000 } }, gotOptions, createAws4Hooks({ region: 'eu-west-1', service: 'es', credentials: session, ...extra }));

let origin: VerifyingServer;
let foreign: VerifyingServer;
beforeAll(async () => {
  origin = await startVerifyingServer({ [session.accessKeyId]: session.secretAccessKey });
  foreign = await startVerifyingServer({});
});
afterAll(async () => {
  await origin.close();
  await foreign.close();
});
beforeEach(() => {
  origin.requests.length = 0;
  foreign.requests.length = 0;
  origin.respond((_request, response) => void response.end('ok'));
  foreign.respond((_request, response) => void response.end('ok'));
});

function seenOf(requests: readonly ReceivedRequest[], where: string): Seen[] {
  return requests.map((r) => ({ where, method: r.method, target: r.target, headers: r.headers, raw: r.rawHeaders.join('\n'), body: r.body.toString() }));
}

describe('redirects: the port or the host name changes', () => {
  it.each([301, 302, 303, 307, 308])('a %i to another port on the same host carries no credentials there', async (status) => {
    origin.respond((_request, response) => {
      response.statusCode = status;
      response.setHeader('location', `http://127.0.0.1:${foreign.port}/landing`);
      response.end();
    });
    await client().post(`${origin.origin}/start`, { body: 'payload' });
    expect(origin.requests.map((r) => r.verified)).toEqual([true]);
    expect(foreign.requests).toHaveLength(1);
    expectNoCredentials(seenOf(foreign.requests, 'other port'), signaturesOf(origin.requests));
  });

  it.each([301, 302, 303, 307, 308])('a %i to another origin carries no x-amz-* header the caller set (SSE-C customer key included)', async (status) => {
    origin.respond((_request, response) => {
      response.statusCode = status;
      response.setHeader('location', `http://127.0.0.1:${foreign.port}/landing`);
      response.end();
    });
    const callerHeaders = {
      'x-amz-server-side-encryption-customer-algorithm': 'AES256',
      'X-Amz-Server-Side-Encryption-Customer-Key': 'c2VjcmV0LWN1c3RvbWVyLWtleS0zMi1ieXRlcy1sb25nIQ==',
      'x-amz-server-side-encryption-customer-key-md5': 'bWQ1LW9mLXRoZS1rZXk=',
      'x-amz-meta-owner': 'alice',
      'x-amz-request-payer': 'requester',
      'x-custom': 'kept',
    };
    await client({ service: 's3' }).put(`${origin.origin}/bucket/key`, { body: 'payload', headers: callerHeaders });
    expect(origin.requests[0]?.headers['x-amz-server-side-encryption-customer-key']).toBe(callerHeaders['X-Amz-Server-Side-Encryption-Customer-Key']);
    expect(foreign.requests).toHaveLength(1);
    const landed = foreign.requests[0]!;
    expect(Object.keys(landed.headers).filter((name) => name.startsWith('x-amz-'))).toEqual([]);
    expect(landed.rawHeaders.join('\n')).not.toContain(callerHeaders['X-Amz-Server-Side-Encryption-Customer-Key']);
    expect(landed.headers['x-custom']).toBe('kept');
    expectNoCredentials(seenOf(foreign.requests, 'other origin'), signaturesOf(origin.requests));
  });

  it('a redirect to "localhost" from "127.0.0.1" (same address and port, another host name) carries no credentials', async () => {
    let hops = 0;
    origin.respond((request, response) => {
      hops += 1;
      if (request.target === '/start') {
        response.statusCode = 307;
        response.setHeader('location', `http://localhost:${origin.port}/landing`);
      }
      response.end('ok');
    });
    await client().get(`${origin.origin}/start`);
    expect(hops).toBe(2);
    const [first, second] = origin.requests;
    expect(first?.verified).toBe(true);
    expect(second?.headers.host).toBe(`localhost:${origin.port}`);
    expectNoCredentials(seenOf([second!], 'localhost'), signaturesOf([first!]));
  });

  it('a relative redirect on the signed origin is re-signed (the control case)', async () => {
    origin.respond((request, response) => {
      if (request.target === '/start') {
        response.statusCode = 302;
        response.setHeader('location', '/landing');
      }
      response.end('ok');
    });
    await client().get(`${origin.origin}/start`);
    expect(origin.requests.map((r) => [r.target, r.verified, r.headers['x-amz-security-token']])).toEqual([
      ['/start', true, session.sessionToken],
      ['/landing', true, session.sessionToken],
    ]);
  });

  // Once a request has left the signed origin, the foreign host chooses the next hop: were a redirect back
  // signed again, it could make the client send a freshly signed request, for a path it chooses (and with
  // a 307/308, the original method and body), to the origin.
  it('a redirect back to the signed origin after a foreign hop is not signed again (the foreign host chose its path)', async () => {
    origin.respond((request, response) => {
      if (request.target === '/start') {
        response.statusCode = 307;
        response.setHeader('location', `${foreign.origin}/hop`);
      }
      response.end('ok');
    });
    foreign.respond((_request, response) => {
      response.statusCode = 307;
      response.setHeader('location', `${origin.origin}/chosen-by-foreign?delete=everything`);
      response.end();
    });
    await client().post(`${origin.origin}/start`, { body: 'payload' }).catch(() => undefined);
    expectNoCredentials(seenOf(foreign.requests, 'foreign hop'), signaturesOf(origin.requests));
    const back = origin.requests.find((r) => r.target.startsWith('/chosen-by-foreign'));
    expect(back, 'the foreign host redirected back to the origin').toBeDefined();
    expect(back?.headers.authorization).toBeUndefined();
    expect(back?.headers['x-amz-security-token']).toBeUndefined();
  });

  it('a redirect back to the signed origin after a foreign hop still carries nothing to the foreign hop', async () => {
    origin.respond((request, response) => {
      if (request.target === '/start') {
        response.statusCode = 302;
        response.setHeader('location', `${foreign.origin}/hop`);
      }
      response.end('ok');
    });
    foreign.respond((_request, response) => {
      response.statusCode = 302;
      response.setHeader('location', `${origin.origin}/back`);
      response.end();
    });
    await client().get(`${origin.origin}/start`);
    expect(foreign.requests).toHaveLength(1);
    expectNoCredentials(seenOf(foreign.requests, 'foreign hop'), signaturesOf(origin.requests));
    expect(origin.requests.map((r) => r.target)).toEqual(['/start', '/back']);
  });
});

// got.paginate sends each page as a new request; the origin the pagination started at stays the only
// signed one, whoever names the next page: a Link header, the instance's paginate or the caller's.
describe('got.paginate: pages on another origin', () => {
  type Paginate = (input: { response: { url: string } }) => unknown;
  const json = (items: unknown[], link?: string) => (_request: unknown, response: ServerResponse) => {
    response.setHeader('content-type', 'application/json');
    if (link !== undefined) response.setHeader('link', link);
    response.end(JSON.stringify(items));
  };
  /** The first page is on the signed origin; every other request goes to `next`. */
  const toForeign = (next: string): Paginate => ({ response }) => (new URL(response.url).port === String(origin.port) ? { url: new URL(next) } : false);

  it('a Link rel="next" to another origin is fetched without credentials (no options given)', async () => {
    origin.respond(json([1], `<${foreign.origin}/steal>; rel="next"`));
    foreign.respond(json([2]));
    const items = await client().paginate.all<number>(`${origin.origin}/items`);
    expect(items).toEqual([1, 2]);
    expect(origin.requests.map((r) => r.verified)).toEqual([true]);
    expect(foreign.requests).toHaveLength(1);
    expectNoCredentials(seenOf(foreign.requests, 'next page'), signaturesOf(origin.requests));
  });

  it.each([
    ['per call', (paginate: Paginate) => ({ options: { pagination: { paginate } }, gotOptions: {} })],
    ['on the instance, before the plugin', (paginate: Paginate) => ({ options: {}, gotOptions: { pagination: { paginate } } })],
  ] as const)("a caller's paginate (%s) naming another origin gets no credentials there", async (_where, place) => {
    origin.respond(json([1]));
    foreign.respond(json([2]));
    const { options, gotOptions } = place(toForeign(`${foreign.origin}/next?x=1`));
    const items = await client({}, gotOptions as Parameters<typeof got.extend>[0]).paginate.all<number>(`${origin.origin}/items`, { responseType: 'json', ...options } as never);
    expect(items).toEqual([1, 2]);
    expect(foreign.requests).toHaveLength(1);
    expectNoCredentials(seenOf(foreign.requests, 'next page'), signaturesOf(origin.requests));
  });

  class NextPage {
    readonly url: URL;
    constructor(url: string) {
      this.url = new URL(url);
    }
  }
  it.each([
    ['a class instance', (url: string) => new NextPage(url)],
    ["got's own Options", (url: string) => new Options(new URL(url))],
    ['a transparent Proxy', (url: string) => new Proxy({ url: new URL(url) }, {})],
    ['a frozen object', (url: string) => Object.freeze({ url: new URL(url) })],
  ])("a caller's paginate returning %s for another origin: that page gets no credentials", async (_shape, nextPage) => {
    origin.respond(json([1]));
    foreign.respond(json([2]));
    const paginate: Paginate = ({ response }) => (new URL(response.url).port === String(origin.port) ? nextPage(`${foreign.origin}/next`) : false);
    const items = await client().paginate.all<number>(`${origin.origin}/items`, { responseType: 'json', pagination: { paginate } } as never);
    expect(items).toEqual([1, 2]);
    expect(foreign.requests).toHaveLength(1);
    expectNoCredentials(seenOf(foreign.requests, 'next page'), signaturesOf(origin.requests));
  });

  it("a caller's paginate on an instance extended after the plugin is covered too", async () => {
    origin.respond(json([1]));
    foreign.respond(json([2]));
    const later = client().extend({ pagination: { paginate: toForeign(`${foreign.origin}/next`) as never } });
    await later.paginate.all(`${origin.origin}/items`, { responseType: 'json' });
    expect(foreign.requests).toHaveLength(1);
    expectNoCredentials(seenOf(foreign.requests, 'next page'), signaturesOf(origin.requests));
  });

  it('a page back on the signed origin after a foreign page is not signed (the foreign server chose it)', async () => {
    origin.respond(json([1], `<${foreign.origin}/hop>; rel="next"`));
    foreign.respond(json([2], `<${origin.origin}/chosen-by-foreign>; rel="next"`));
    await client().paginate.all(`${origin.origin}/items`, { pagination: { requestLimit: 3 } });
    const back = origin.requests.find((r) => r.target === '/chosen-by-foreign');
    expect(back, 'the foreign page named the origin').toBeDefined();
    expect(back?.headers.authorization).toBeUndefined();
    expect(back?.headers['x-amz-security-token']).toBeUndefined();
  });

  it('pages on the signed origin are each signed afresh (the control case), and stay so across paginate calls', async () => {
    let page = 0;
    origin.respond((request, response) => json([request.target], ++page % 2 === 1 ? `<${origin.origin}/items?page=2>; rel="next"` : undefined)(request, response));
    const paged = client();
    const first = await paged.paginate.all<string>(`${origin.origin}/items`);
    const second = await paged.paginate.all<string>(`${origin.origin}/items`, { headers: { 'x-custom': 'kept' } });
    expect([first, second]).toEqual([['/items', '/items?page=2'], ['/items', '/items?page=2']]);
    expect(origin.requests.map((r) => [r.verified, r.headers['x-amz-security-token']])).toEqual(Array(4).fill([true, session.sessionToken]));
  });
});

describe.skipIf(!OPENSSL)('redirects: the scheme changes (TLS with a certificate made by openssl)', () => {
  let dir: string;
  let key: Buffer;
  let cert: Buffer;
  // One port speaking both HTTP and HTTPS (TLS is told apart by its first byte, 0x16), so that a redirect
  // can change the scheme alone.
  let dual: NetServer;
  let plain: HttpServer;
  let secure: HttpsServer;
  let port: number;
  const seen: Seen[] = [];
  let respond: (request: IncomingMessage, response: ServerResponse, scheme: 'http' | 'https') => void;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'got-aws4auth-tls-'));
    execFileSync('openssl', [
      'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
      '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'), '-days', '1',
      '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost',
    ], { stdio: 'ignore' });
    key = readFileSync(join(dir, 'key.pem'));
    cert = readFileSync(join(dir, 'cert.pem'));
    plain = createHttpServer(recorder('http', seen, (q, s) => respond(q, s, 'http')));
    secure = createHttpsServer({ key, cert }, recorder('https', seen, (q, s) => respond(q, s, 'https')));
    dual = createNetServer((socket: Socket) => {
      socket.once('data', (first: Buffer) => {
        socket.pause();
        if (first[0] !== 0x16) {
          socket.unshift(first);
          plain.emit('connection', socket);
          socket.resume();
          return;
        }
        // TLS reads a net.Socket's handle directly, past anything unshifted: hand it a stream instead.
        const stream = new Duplex({
          read() {
            socket.resume();
          },
          write(chunk: Buffer, _encoding, callback) {
            socket.write(chunk, callback);
          },
          final(callback) {
            socket.end(callback);
          },
          destroy(error, callback) {
            socket.destroy();
            callback(error);
          },
        });
        stream.push(first);
        socket.on('data', (chunk: Buffer) => {
          if (!stream.push(chunk)) socket.pause();
        });
        socket.on('end', () => stream.push(null));
        socket.on('error', (error) => stream.destroy(error));
        secure.emit('connection', stream);
      });
    });
    port = await listen(dual);
  });
  afterAll(async () => {
    plain.closeAllConnections();
    secure.closeAllConnections();
    await close(dual);
    rmSync(dir, { recursive: true, force: true });
  });
  beforeEach(() => {
    seen.length = 0;
  });

  const tlsClient = () => client({}, { https: { certificateAuthority: cert } });

  it.each([
    ['http', 'https', 302],
    ['http', 'https', 307],
    ['https', 'http', 302],
    ['https', 'http', 307],
  ] as const)('%s → %s on the same host and port (%i): the second request carries no credentials', async (from, to, status) => {
    respond = (request, response, scheme) => {
      if (scheme === from && request.url === '/start') {
        response.statusCode = status;
        response.setHeader('location', `${to}://127.0.0.1:${port}/landing`);
      }
      response.end('ok');
    };
    await tlsClient().post(`${from}://127.0.0.1:${port}/start`, { body: 'payload' });
    expect(seen.map((r) => [r.where, r.target])).toEqual([
      [from, '/start'],
      [to, '/landing'],
    ]);
    expect(seen[0]?.headers.authorization).toMatch(/^AWS4-HMAC-SHA256 /);
    expect(seen[0]?.headers['x-amz-security-token']).toBe(session.sessionToken);
    expectNoCredentials(seen.slice(1), signaturesOf(seen.slice(0, 1)));
  });

  it('allowedRedirectOrigins naming an http origin does not allow its https twin (origins compare scheme, host and port)', async () => {
    respond = (request, response, scheme) => {
      if (scheme === 'http' && request.url?.startsWith('/start') === true) {
        response.statusCode = 307;
        response.setHeader('location', request.url === '/start-https' ? `https://127.0.0.1:${port}/landing` : `http://127.0.0.1:${port}/allowed`);
      }
      response.end('ok');
    };
    const allowing = client({ allowedRedirectOrigins: [`http://127.0.0.1:${port}`] }, { https: { certificateAuthority: cert } });
    await allowing.get(`http://localhost:${port}/start-http`);
    await allowing.get(`http://localhost:${port}/start-https`);
    expect(seen.map((r) => [r.where, r.target, r.headers.host])).toEqual([
      ['http', '/start-http', `localhost:${port}`],
      ['http', '/allowed', `127.0.0.1:${port}`],
      ['http', '/start-https', `localhost:${port}`],
      ['https', '/landing', `127.0.0.1:${port}`],
    ]);
    // The allowed origin is signed (the control); its https twin is not.
    expect(seen[1]?.headers['x-amz-security-token']).toBe(session.sessionToken);
    expectNoCredentials(seen.slice(3), signaturesOf(seen.slice(0, 3)));
  });
});

/**
 * A CONNECT-tunnel agent (what `hpagent` does): every connection is a CONNECT through the proxy; for https
 * the TLS session runs inside the tunnel, end to end.
 */
function tunnelCreateConnection(proxyPort: number, secure: boolean) {
  return (options: ClientRequestArgs & { servername?: string; ca?: unknown; rejectUnauthorized?: boolean }, callback: (error: Error | null, socket?: Duplex) => void): undefined => {
    const target = `${options.hostname ?? options.host}:${options.port}`;
    const connect = httpRequest({ host: '127.0.0.1', port: proxyPort, method: 'CONNECT', path: target, headers: { host: target, 'proxy-authorization': 'Basic cHJveHk6cGFzcw==' } });
    connect.once('connect', (response, socket) => {
      if (response.statusCode !== 200) {
        socket.destroy();
        callback(new Error(`proxy refused CONNECT ${target}: ${response.statusCode}`));
        return;
      }
      callback(null, secure ? tlsConnect({ socket, servername: options.servername ?? undefined, ca: options.ca as string | undefined, rejectUnauthorized: options.rejectUnauthorized }) : socket);
    });
    connect.once('error', (error) => callback(error));
    connect.end();
    return undefined;
  };
}

class TunnelHttpAgent extends HttpAgent {
  constructor(proxyPort: number) {
    super({ keepAlive: false });
    (this as unknown as { createConnection: unknown }).createConnection = tunnelCreateConnection(proxyPort, false);
  }
}

class TunnelHttpsAgent extends HttpsAgent {
  constructor(proxyPort: number) {
    super({ keepAlive: false });
    (this as unknown as { createConnection: unknown }).createConnection = tunnelCreateConnection(proxyPort, true);
  }
}

describe('through an HTTP proxy (CONNECT tunnel agent)', () => {
  let proxy: HttpServer;
  let proxyPort: number;
  /** The CONNECT requests the proxy received: the only headers a tunnelling proxy sees. */
  const connects: Array<{ target: string; raw: string; headers: IncomingMessage['headers'] }> = [];

  beforeAll(async () => {
    proxy = createHttpServer((_request, response) => {
      response.statusCode = 405;
      response.end('CONNECT only');
    });
    proxy.on('connect', (request: IncomingMessage, client: Socket, head: Buffer) => {
      connects.push({ target: request.url ?? '', raw: request.rawHeaders.join('\n'), headers: request.headers });
      const [host, port] = (request.url ?? '').split(':');
      const upstream = netConnect(Number(port), host === 'localhost' ? '127.0.0.1' : host, () => {
        client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
        if (head.length > 0) upstream.write(head);
        upstream.pipe(client);
        client.pipe(upstream);
      });
      upstream.on('error', () => client.destroy());
      client.on('error', () => upstream.destroy());
    });
    proxyPort = await listen(proxy);
  });
  afterAll(() => close(proxy));
  beforeEach(() => {
    connects.length = 0;
  });

  const proxied = (extra: Parameters<typeof createAws4Hooks>[0] = {}) => client(extra, { agent: { http: new TunnelHttpAgent(proxyPort), https: new TunnelHttpsAgent(proxyPort) } });

  it('signs for the origin, not the proxy: the origin verifies it, and the CONNECT carries no credential', async () => {
    await proxied().get(`${origin.origin}/through-proxy`);
    expect(connects.map((c) => c.target)).toEqual([`127.0.0.1:${origin.port}`]);
    expect(origin.requests.map((r) => [r.verified, r.headers.host])).toEqual([[true, `127.0.0.1:${origin.port}`]]);
    for (const connect of connects) {
      for (const name of SIGNING_HEADERS) expect(connect.headers[name]).toBeUndefined();
      expect(connect.raw.includes(session.sessionToken)).toBe(false);
    }
  });

  it("a Proxy-Authorization header the caller adds is not signed (proxies own it), and the request still verifies", async () => {
    const signedHeaders: string[] = [];
    await proxied({ onSigned: (info) => signedHeaders.push(info.signedHeaders) }).get(`${origin.origin}/with-proxy-auth`, { headers: { 'proxy-authorization': 'Basic cHJveHk6cGFzcw==' } });
    expect(signedHeaders).toHaveLength(1);
    expect(signedHeaders[0]?.split(';')).not.toContain('proxy-authorization');
    expect(origin.requests[0]?.verified).toBe(true);
  });

  it('a redirect through the proxy to another origin carries no credentials there, nor in the second CONNECT', async () => {
    origin.respond((_request, response) => {
      response.statusCode = 307;
      response.setHeader('location', `${foreign.origin}/landing`);
      response.end();
    });
    await proxied().post(`${origin.origin}/leave`, { body: 'payload' });
    expect(connects.map((c) => c.target)).toEqual([`127.0.0.1:${origin.port}`, `127.0.0.1:${foreign.port}`]);
    expect(foreign.requests).toHaveLength(1);
    expectNoCredentials(seenOf(foreign.requests, 'foreign via proxy'), signaturesOf(origin.requests));
    for (const connect of connects) expect(connect.raw.includes(session.sessionToken)).toBe(false);
  });
});
