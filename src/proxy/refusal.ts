/**
 * The proxy's own answers to a request it will not or cannot forward, in the shape AWS clients parse: an
 * S3-style XML `<Error>` with a `Code`, a `Message` that says what to do, the `Resource` (the path, never
 * the query, which may hold a presigned signature) and a `RequestId`. Upstream errors are not these: they
 * pass through unchanged.
 *
 * @module
 */
import { randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { xmlEscape } from './xml-escape.js';

/**
 * A refusal: an HTTP status, an AWS error code and a message free of secrets.
 * @category Proxy
 */
export class ProxyRefusal extends Error {
  readonly status: number;
  readonly awsCode: string;

  constructor(status: number, awsCode: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ProxyRefusal';
    this.status = status;
    this.awsCode = awsCode;
  }
}

/**
 * The XML body of a refusal.
 * @category Proxy
 */
export function refusalXml(refusal: ProxyRefusal, resource: string, requestId: string): string {
  return (
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    `<Error><Code>${xmlEscape(refusal.awsCode)}</Code><Message>${xmlEscape(refusal.message)}</Message>` +
    `<Resource>${xmlEscape(resource)}</Resource><RequestId>${requestId}</RequestId></Error>\n`
  );
}

/**
 * A request id for the proxy's own answers (hex, like S3's).
 * @category Proxy
 */
export function newRequestId(): string {
  return randomBytes(8).toString('hex').toUpperCase();
}

/**
 * Sends a refusal, unless a response is already under way: then the only honest signal left is to cut the
 * connection, so the client cannot take a truncated body for a whole one.
 *
 * @returns the number of body bytes sent
 * @category Proxy
 */
export function sendRefusal(res: ServerResponse, refusal: ProxyRefusal, resource: string): number {
  if (res.headersSent) {
    res.destroy(refusal);
    return 0;
  }
  const requestId = newRequestId();
  const body = Buffer.from(refusalXml(refusal, resource, requestId), 'utf8');
  res.writeHead(refusal.status, {
    'content-type': 'application/xml',
    'content-length': body.length,
    'x-amz-request-id': requestId,
    // The inbound body may be unread (refused before it was read): the connection cannot be reused.
    connection: 'close',
  });
  res.end(body);
  return body.length;
}
