/**
 * A scriptable fault-injecting HTTP proxy for integration tests: a reverse ("forward to one origin")
 * proxy on 127.0.0.1, port 0, that passes requests to a target origin unless told to misbehave for the
 * next requests: answer a status itself, reset the connection, delay, or rewrite the response `Date`.
 *
 * It never changes what a signature covers: the method, path and query, every request header (the
 * `Host` header included, unless `rewriteHost` is set) and the body bytes reach the target exactly as
 * the client sent them; only hop-by-hop headers (`connection`, `keep-alive`, `proxy-connection`) are
 * left to Node. So a client pointed at the proxy signs for the proxy's host, and a server that checks
 * the signature against the `Host` it receives (RGW, S3) accepts it.
 *
 * @example
 * ```ts
 * const proxy = await startFaultProxy(rgw.endpoint);
 * proxy.fail(503, 2);              // the next two requests get 503 from the proxy itself
 * proxy.reset();                   // then one connection is reset
 * await client.put(`${proxy.origin}/bucket/key`, { body: 'x' });
 * console.log(proxy.seen.map((r) => r.outcome)); // ['503', '503', 'reset', 'forwarded']
 * await proxy.close();
 * ```
 */
import { createHash } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** What the proxy does with one request. */
export type FaultAction =
  /** Forward to the target and relay its answer. */
  | { readonly kind: 'pass' }
  /** Answer this status itself, without contacting the target. */
  | { readonly kind: 'status'; readonly status: number; readonly body?: string; readonly headers?: Readonly<Record<string, string>> }
  /** Read the request, then destroy the client connection (TCP RST where Node can) without answering. */
  | { readonly kind: 'reset' }
  /** Wait, then do `then` (default: forward). */
  | { readonly kind: 'delay'; readonly ms: number; readonly then?: FaultAction }
  /** Forward, and move the response's `Date` header by `offsetMs` (a server clock that seems off). */
  | { readonly kind: 'shift-date'; readonly offsetMs: number };

/** One request the proxy received, in arrival order. */
export interface SeenRequest {
  /** 1-based arrival number. */
  readonly seq: number;
  readonly method: string;
  /** Path and query exactly as received. */
  readonly target: string;
  /** Headers as received (lower-case names). */
  readonly headers: http.IncomingHttpHeaders;
  /** The request body as received. */
  readonly body: Buffer;
  /** Hex SHA-256 of the body. */
  readonly bodySha256: string;
  /** The action applied. */
  readonly action: FaultAction;
  /** The status the client was sent (the target's when forwarded); undefined after a reset or an upstream failure. */
  status?: number;
  /** The target's `Date` header as the target sent it, when forwarded. */
  upstreamDate?: string;
  /** The target's response body, when forwarded (for asserting on error codes). */
  upstreamBody?: Buffer;
  /** `forwarded`, `answered`, `reset` or `upstream-error`. */
  outcome?: 'forwarded' | 'answered' | 'reset' | 'upstream-error';
}

export interface FaultProxyOptions {
  /** Replace the `Host` header with the target's before forwarding. Default false: forward it unchanged. */
  readonly rewriteHost?: boolean;
}

export interface FaultProxy {
  /** `http://127.0.0.1:PORT`: point the client here. */
  readonly origin: string;
  readonly port: number;
  /** Every request received, in order. */
  readonly seen: SeenRequest[];
  /** The requests actually forwarded to the target. */
  readonly forwarded: SeenRequest[];
  /** Queues `action` for the next `times` requests (after anything already queued). */
  next(action: FaultAction, times?: number): this;
  /** The next `times` requests are answered with `status` by the proxy. */
  fail(status: number, times?: number): this;
  /** The next `times` connections are reset after the request is read. */
  reset(times?: number): this;
  /** The next `times` requests are forwarded after `ms` milliseconds. */
  delay(ms: number, times?: number): this;
  /** The next `times` responses get their `Date` header moved by `offsetMs`. */
  shiftDate(offsetMs: number, times?: number): this;
  /** Forgets the queue and the record of seen requests. */
  clear(): void;
  /** Stops listening and destroys open connections. */
  close(): Promise<void>;
}

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection']);

function readBody(req: http.IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function resetSocket(socket: Socket): void {
  // resetAndDestroy sends a TCP RST (Node 16.17+/18.3+): the client sees ECONNRESET.
  const withReset = socket as Socket & { resetAndDestroy?: () => void };
  if (typeof withReset.resetAndDestroy === 'function') withReset.resetAndDestroy();
  else socket.destroy();
}

/**
 * Starts a proxy in front of `target` (an origin such as `http://127.0.0.1:8000`).
 *
 * @param target - the origin requests are forwarded to
 * @param options - see {@link FaultProxyOptions}
 */
export async function startFaultProxy(target: string, options: FaultProxyOptions = {}): Promise<FaultProxy> {
  const upstream = new URL(target);
  const queue: FaultAction[] = [];
  const seen: SeenRequest[] = [];
  const sockets = new Set<Socket>();
  // Our own agent: keep-alive to the target, destroyed on close.
  const agent = new http.Agent({ keepAlive: true });

  function forward(req: http.IncomingMessage, res: http.ServerResponse, record: SeenRequest, dateOffsetMs: number): void {
    const headers: http.OutgoingHttpHeaders = {};
    for (const [name, value] of Object.entries(req.headers)) if (!HOP_BY_HOP.has(name) && value !== undefined) headers[name] = value;
    if (options.rewriteHost) headers.host = upstream.host;
    const out = http.request(
      { protocol: upstream.protocol, hostname: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers, agent },
      (answer) => {
        const chunks: Buffer[] = [];
        answer.on('data', (chunk: Buffer) => chunks.push(chunk));
        answer.on('end', () => {
          const body = Buffer.concat(chunks);
          const responseHeaders: http.OutgoingHttpHeaders = {};
          for (const [name, value] of Object.entries(answer.headers)) if (!HOP_BY_HOP.has(name) && value !== undefined) responseHeaders[name] = value;
          const date = typeof answer.headers.date === 'string' ? answer.headers.date : undefined;
          if (date !== undefined && dateOffsetMs !== 0) responseHeaders.date = new Date(Date.parse(date) + dateOffsetMs).toUTCString();
          record.status = answer.statusCode ?? 0;
          if (date !== undefined) record.upstreamDate = date;
          record.upstreamBody = body;
          record.outcome = 'forwarded';
          res.writeHead(answer.statusCode ?? 502, responseHeaders);
          res.end(req.method === 'HEAD' ? undefined : body);
        });
        answer.on('error', () => {
          record.outcome = 'upstream-error';
          res.destroy();
        });
      },
    );
    out.on('error', (error) => {
      record.outcome = 'upstream-error';
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
      res.end(`fault-proxy: upstream error: ${error.message}`);
    });
    out.end(record.body);
  }

  async function apply(action: FaultAction, req: http.IncomingMessage, res: http.ServerResponse, record: SeenRequest): Promise<void> {
    switch (action.kind) {
      case 'pass':
        forward(req, res, record, 0);
        return;
      case 'shift-date':
        forward(req, res, record, action.offsetMs);
        return;
      case 'status': {
        const body = action.body ?? `fault-proxy: injected ${action.status}`;
        record.status = action.status;
        record.outcome = 'answered';
        res.writeHead(action.status, { 'content-type': 'text/plain', 'content-length': Buffer.byteLength(body), ...action.headers });
        res.end(body);
        return;
      }
      case 'reset':
        record.outcome = 'reset';
        resetSocket(req.socket);
        return;
      case 'delay':
        await new Promise((resolve) => setTimeout(resolve, action.ms));
        await apply(action.then ?? { kind: 'pass' }, req, res, record);
        return;
    }
  }

  const server = http.createServer((req, res) => {
    const action = queue.shift() ?? { kind: 'pass' };
    readBody(req).then(
      (body) => {
        const record: SeenRequest = {
          seq: seen.length + 1,
          method: req.method ?? '',
          target: req.url ?? '',
          headers: req.headers,
          body,
          bodySha256: createHash('sha256').update(body).digest('hex'),
          action,
        };
        seen.push(record);
        return apply(action, req, res, record);
      },
      () => req.socket.destroy(),
    ).catch(() => req.socket.destroy());
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  const proxy: FaultProxy = {
    origin: `http://127.0.0.1:${port}`,
    port,
    seen,
    get forwarded() {
      return seen.filter((r) => r.outcome === 'forwarded');
    },
    next(action, times = 1) {
      for (let i = 0; i < times; i++) queue.push(action);
      return this;
    },
    fail(status, times = 1) {
      return this.next({ kind: 'status', status }, times);
    },
    reset(times = 1) {
      return this.next({ kind: 'reset' }, times);
    },
    delay(ms, times = 1) {
      return this.next({ kind: 'delay', ms }, times);
    },
    shiftDate(offsetMs, times = 1) {
      return this.next({ kind: 'shift-date', offsetMs }, times);
    },
    clear() {
      queue.length = 0;
      seen.length = 0;
    },
    close() {
      agent.destroy();
      for (const socket of sockets) socket.destroy();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  return proxy;
}
