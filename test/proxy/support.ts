/**
 * Shared pieces of the proxy tests: a proxy on 127.0.0.1:0 in front of the shared RGW (with assume-role
 * credentials from RGW's STS, the proxy's "real" credentials), its access log, and the client keys the
 * tests sign with. Each test file starts and stops its own proxies.
 */
import { connect, type AddressInfo } from 'node:net';
import { request, type OutgoingHttpHeaders, type Server } from 'node:http';
import { fromTemporaryCredentials } from '@aws-sdk/credential-providers';
import type { AwsCredentialIdentityProvider } from '@smithy/types';
import { closeSigningProxy, createSigningProxy, type AccessLogEntry, type ClientKey, type SigningProxyOptions } from '../../src/index.js';
import type { RgwServer } from '../helpers/rgw.js';

/** A client key the proxy tests sign with (a placeholder: it only authenticates clients to the proxy). */
export const CLIENT_KEY: ClientKey = { accessKeyId: 'AKIDPROXYCLIENT', secretAccessKey: 'proxy/client/secret/0123456789abcdefghijk' };
/** A key the proxy does not know. */
export const OTHER_KEY: ClientKey = { accessKeyId: 'AKIDPROXYSTRANGER', secretAccessKey: 'proxy/stranger/secret/0123456789abcdefghi' };
/** The proxy's own credentials in front of an in-process upstream (AWS's documented example key). */
export const REAL = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' };

/** A running proxy. */
export interface RunningProxy {
  readonly server: Server;
  /** `http://127.0.0.1:PORT`. */
  readonly url: string;
  readonly port: number;
  readonly log: AccessLogEntry[];
  close(): Promise<void>;
}

/** Assume-role credentials from RGW's STS: what the proxy signs with. */
export function rgwRoleCredentials(rgw: RgwServer, session = 'proxy-tests'): AwsCredentialIdentityProvider {
  return fromTemporaryCredentials({
    params: { RoleArn: rgw.roleArn, RoleSessionName: session, DurationSeconds: 900 },
    masterCredentials: { accessKeyId: rgw.accessKeyId, secretAccessKey: rgw.secretAccessKey },
    clientConfig: { region: rgw.region, endpoint: rgw.endpoint, maxAttempts: 1 },
  });
}

/** Starts a proxy on 127.0.0.1:0. */
export async function startProxy(options: Omit<SigningProxyOptions, 'accessLog'>): Promise<RunningProxy> {
  const log: AccessLogEntry[] = [];
  const server = createSigningProxy({ ...options, accessLog: (entry) => log.push(entry) });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return { server, url: `http://127.0.0.1:${port}`, port, log, close: async () => void (await closeSigningProxy(server, 2_000)) };
}

/** A proxy in front of RGW signing as the assumed role, S3 in us-east-1. */
export function startRgwProxy(rgw: RgwServer, options: Partial<Omit<SigningProxyOptions, 'accessLog'>> = {}): Promise<RunningProxy> {
  return startProxy({
    upstreams: [{ url: rgw.endpoint, service: 's3', region: rgw.region }],
    credentials: rgwRoleCredentials(rgw),
    ...options,
  });
}

export interface RawAnswer {
  readonly status: number;
  readonly body: string;
}

/**
 * Sends `body` with `headers` exactly as given (the path is not normalised, unlike got's), as one piece with
 * its length or with Transfer-Encoding: chunked.
 */
export function rawRequest(url: string, method: string, headers: Record<string, string>, body: Buffer, framing: 'length' | 'chunked'): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const out = { ...headers };
    delete out['content-length'];
    if (framing === 'length') out['content-length'] = String(body.length);
    // Split by hand: new URL() would resolve dot segments in the path.
    const [, hostname, port, path] = /^http:\/\/([^/:]+):(\d+)(\/.*)?$/.exec(url) ?? [];
    const req = request({ hostname, port: Number(port), path: path ?? '/', method, headers: out });
    req.on('response', (res) => {
      const pieces: Buffer[] = [];
      res.on('data', (piece: Buffer) => pieces.push(piece));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(pieces).toString() }));
    });
    req.on('error', reject);
    if (framing === 'chunked') {
      // Two writes: Node sends the body chunked when no length is set.
      req.write(body.subarray(0, body.length >> 1));
      req.end(body.subarray(body.length >> 1));
    } else req.end(body);
  });
}

/** The status of a request sent with Expect: 100-continue, and whether the body was asked for (100 Continue). */
export function continueRequest(url: string, method: string, headers: OutgoingHttpHeaders, body: Buffer): Promise<{ status: number; continued: boolean }> {
  return new Promise((resolve, reject) => {
    let continued = false;
    const req = request(url, { method, headers: { ...headers, expect: '100-continue', 'content-length': String(body.length) } });
    req.on('continue', () => {
      continued = true;
      req.end(body);
    });
    req.on('response', (res) => {
      res.resume();
      resolve({ status: res.statusCode ?? 0, continued });
      req.destroy();
    });
    req.on('error', reject);
    req.flushHeaders();
  });
}

/** A client on a raw socket that sends a request head and part of its body, then stops sending. */
export interface StalledClient {
  /** The status line of the answer, once one arrives. */
  readonly statusLine: Promise<string>;
  /** Resolves when the connection is closed (by either side). */
  readonly closed: Promise<void>;
  /** Sends more bytes (a client that trickles its body). */
  write(data: string | Buffer): void;
  destroy(): void;
}

/** Opens a connection to `port`, writes `head` (ending in the blank line) and `body`, and sends nothing more. */
export async function stalledClient(port: number, head: string, body: Buffer, localAddress?: string): Promise<StalledClient> {
  // Another loopback source address (127.0.0.2) is another client to the proxy's per-address bounds.
  const socket = connect({ port, host: '127.0.0.1', localAddress });
  socket.on('error', () => undefined);
  let text = '';
  const statusLine = new Promise<string>((resolve) => {
    socket.on('data', (piece: Buffer) => {
      text += piece.toString('latin1');
      if (text.includes('\r\n')) resolve(text.slice(0, text.indexOf('\r\n')));
    });
  });
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
  await new Promise<void>((resolve) => socket.write(head, () => resolve()));
  if (body.length > 0) await new Promise<void>((resolve) => socket.write(body, () => resolve()));
  return { statusLine, closed, write: (data) => void socket.write(data), destroy: () => socket.destroy() };
}

/** The request head for `headers` (a Host among them), as `stalledClient` sends it. */
export function requestHead(method: string, path: string, headers: Record<string, string>): string {
  return `${method} ${path} HTTP/1.1\r\n${Object.entries(headers).map(([name, value]) => `${name}: ${value}\r\n`).join('')}\r\n`;
}
