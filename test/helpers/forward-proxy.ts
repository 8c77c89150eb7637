/**
 * A local forward proxy, as `HTTP_PROXY`/`HTTPS_PROXY` point clients at, that records what it was asked:
 * absolute-form requests (`GET http://host/path HTTP/1.1`, how curl and proxy agents send `http:` URLs)
 * are forwarded and answered; `CONNECT host:port` (how `https:` URLs are tunnelled) is answered 200 and the
 * bytes are piped both ways, unread. It listens on 127.0.0.1, port 0, and only ever connects to loopback
 * targets, so a test that points a client at a remote host by mistake gets a 403, not traffic.
 *
 * @example
 * ```ts
 * const proxy = await startForwardProxy();
 * // HTTPS_PROXY=proxy.url curl https://127.0.0.1:4443/  ->  proxy.seen: [{ kind: 'connect', target: '127.0.0.1:4443' }]
 * await proxy.close();
 * ```
 */
import http from 'node:http';
import { connect, type Socket } from 'node:net';
import { listenOnLoopback } from './loopback-listen.js';

/** One request the proxy received. */
export interface ProxiedRequest {
  /** `forward` for an absolute-form request, `connect` for a tunnel. */
  readonly kind: 'forward' | 'connect';
  /** The absolute URL (forward) or `host:port` (connect). */
  readonly target: string;
  /** The `proxy-authorization` header, if the client sent one. */
  readonly proxyAuthorization: string | undefined;
}

/** A running forward proxy. */
export interface ForwardProxy {
  /** `http://127.0.0.1:PORT`, the value for `HTTP_PROXY`/`HTTPS_PROXY`. */
  readonly url: string;
  /** Every request received, in order. */
  readonly seen: ProxiedRequest[];
  close(): Promise<void>;
}

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'proxy-authorization', 'te', 'trailer', 'transfer-encoding', 'upgrade']);

function isLoopback(hostname: string): boolean {
  return hostname === 'localhost' || hostname.startsWith('127.') || hostname === '[::1]' || hostname === '::1';
}

function forward(request: http.IncomingMessage, response: http.ServerResponse): void {
  const url = URL.canParse(request.url ?? '') ? new URL(request.url!) : undefined;
  if (url === undefined || url.protocol !== 'http:' || !isLoopback(url.hostname)) {
    response.writeHead(403).end('this test proxy forwards to loopback http: URLs only\n');
    return;
  }
  const headers = Object.fromEntries(Object.entries(request.headers).filter(([name]) => !HOP_BY_HOP.has(name)));
  const upstream = http.request(url, { method: request.method, headers, agent: false }, (answer) => {
    response.writeHead(answer.statusCode ?? 502, answer.statusMessage, answer.rawHeaders);
    answer.pipe(response);
  });
  upstream.on('error', () => response.destroy());
  request.pipe(upstream);
}

function tunnel(request: http.IncomingMessage, client: Socket, head: Buffer): void {
  const [host, port] = [request.url?.replace(/:\d+$/, '') ?? '', Number(/:(\d+)$/.exec(request.url ?? '')?.[1])];
  if (!isLoopback(host) || !Number.isInteger(port)) {
    client.end('HTTP/1.1 403 Forbidden\r\n\r\n');
    return;
  }
  const upstream = connect(port, host.replace(/^\[|\]$/g, ''), () => {
    client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
    upstream.write(head);
    upstream.pipe(client).pipe(upstream);
  });
  const end = (): void => {
    upstream.destroy();
    client.destroy();
  };
  upstream.on('error', end);
  client.on('error', end);
}

/** Starts a forward proxy on 127.0.0.1 with a free port. */
export async function startForwardProxy(): Promise<ForwardProxy> {
  const seen: ProxiedRequest[] = [];
  const server = http.createServer((request, response) => {
    seen.push({ kind: 'forward', target: request.url ?? '', proxyAuthorization: request.headers['proxy-authorization'] });
    forward(request, response);
  });
  server.on('connect', (request: http.IncomingMessage, client: Socket, head: Buffer) => {
    seen.push({ kind: 'connect', target: request.url ?? '', proxyAuthorization: request.headers['proxy-authorization'] });
    tunnel(request, client, head);
  });
  // The CONNECT client is the connection's own socket, so the listener's tracking covers tunnels too.
  const { port, close } = await listenOnLoopback(server);
  return { url: `http://127.0.0.1:${port}`, seen, close };
}
