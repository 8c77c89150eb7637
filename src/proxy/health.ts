/**
 * The health endpoint. Its path cannot name anything on an S3 or OpenSearch upstream: its first segment
 * is the percent-escape of the byte 0xFF, which is never valid UTF-8, while S3 bucket names and object
 * keys (also on a virtual-hosted bucket, where the whole path is the key) and OpenSearch index names are
 * UTF-8 text. So no request for an object or index is ever answered by the proxy instead of forwarded.
 * With client keys it reveals nothing but that the proxy runs: the upstreams are not listed.
 *
 * @module
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ResolvedProxyOptions } from './options.js';
import { ProxyRefusal } from './refusal.js';

/**
 * The path of the proxy's health endpoint: `GET` (or `HEAD`) answers 200 with a small JSON document,
 * without contacting an upstream or reading credentials.
 *
 * @example
 * ```ts
 * import { HEALTH_PATH } from 'got-aws4auth';
 * const response = await fetch(`http://127.0.0.1:8080${HEALTH_PATH}`);
 * console.log(response.status); // 200 while the proxy runs
 * ```
 * @category Proxy
 */
export const HEALTH_PATH = '/%FF/got-aws4auth/health';

/**
 * Whether a request path is the health endpoint's (a percent-escape may be in either case).
 * @category Proxy
 */
export function isHealthPath(path: string): boolean {
  return path.length === HEALTH_PATH.length && path.toUpperCase() === HEALTH_PATH.toUpperCase();
}

/**
 * Answers the health endpoint.
 * @category Proxy
 */
export function sendHealth(req: IncomingMessage, res: ServerResponse, options: ResolvedProxyOptions, count: { bytes: number }): void {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    throw new ProxyRefusal(405, 'MethodNotAllowed', `${HEALTH_PATH} answers GET and HEAD only.`);
  }
  // With client keys only key holders may learn where the proxy signs to: the answer says only that it runs.
  const document = options.clientKeys !== undefined ? { status: 'ok' } : { status: 'ok', upstreams: options.upstreams.map((u) => u.origin + u.basePath), clientKeys: false };
  const body = Buffer.from(`${JSON.stringify(document)}\n`);
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': body.length, 'cache-control': 'no-store' });
  if (req.method === 'HEAD') res.end();
  else {
    res.end(body);
    count.bytes += body.length;
  }
  req.resume();
}
