/**
 * Moving a body to the upstream request: in memory (bounded), or streamed so that the upstream request
 * can never complete with a body the client did not fully and validly send. On any failure of the inbound
 * side (a bad chunk, a short body, a closed connection) the upstream request is destroyed, so S3 sees a
 * broken request and stores nothing.
 *
 * @module
 */
import type { ClientRequest } from 'node:http';
import type { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { ProxyRefusal } from './refusal.js';

/**
 * Reads a body into one Buffer, refusing more than `limit` bytes.
 *
 * @throws {@link ProxyRefusal} 413 (length declared) or 411 (length unknown) past the limit
 * @category Proxy
 */
export async function readBounded(source: Readable, limit: number, lengthKnown: boolean): Promise<Buffer> {
  const pieces: Buffer[] = [];
  let total = 0;
  for await (const piece of source) {
    const bytes = piece as Buffer;
    total += bytes.length;
    if (total > limit) {
      source.destroy();
      throw lengthKnown
        ? new ProxyRefusal(413, 'EntityTooLarge', `The body is larger than the ${limit} bytes the proxy buffers for this service; raise maxBufferedBodyBytes (--max-buffer), or for S3 use --upstream-streaming signed or unsigned.`)
        : new ProxyRefusal(411, 'MissingContentLength', `The body has no declared length and is larger than the ${limit} bytes the proxy buffers; send Content-Length (or x-amz-decoded-content-length) so it can be streamed.`);
    }
    pieces.push(bytes);
  }
  return pieces.length === 1 ? pieces[0]! : Buffer.concat(pieces, total);
}

/**
 * Streams `stages` into the upstream request; any failure destroys it (the pipeline does) and rejects.
 * @category Proxy
 */
export async function streamInto(upstream: ClientRequest, source: Readable, ...stages: Transform[]): Promise<void> {
  await pipeline([source, ...stages, upstream]);
}
