/**
 * The health endpoint. Its path cannot name anything on an S3 or OpenSearch upstream: S3 bucket names
 * start with a lower-case letter or digit, and OpenSearch reserves names starting with `.` for system
 * indices (none is named after this project), so a request for it is never forwarded by mistake.
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
 */
export const HEALTH_PATH = '/.got-aws4auth/health';

/** Answers the health endpoint. */
export function sendHealth(req: IncomingMessage, res: ServerResponse, options: ResolvedProxyOptions, count: { bytes: number }): void {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    throw new ProxyRefusal(405, 'MethodNotAllowed', `${HEALTH_PATH} answers GET and HEAD only.`);
  }
  const body = Buffer.from(`${JSON.stringify({ status: 'ok', upstreams: options.upstreams.map((u) => u.origin + u.basePath), clientKeys: options.clientKeys !== undefined })}\n`);
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': body.length, 'cache-control': 'no-store' });
  if (req.method === 'HEAD') res.end();
  else {
    res.end(body);
    count.bytes += body.length;
  }
  req.resume();
}
