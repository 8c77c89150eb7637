/**
 * How an inbound body is sent upstream: the one decision table behind the mode table in docs/proxy.md.
 *
 * | inbound (decoded) body | upstream |
 * |---|---|
 * | none | empty body, its hash signed |
 * | plain, with the client's SHA-256 in `x-amz-content-sha256` (and, for S3, a length) | streamed as it is, that hash signed (the upstream checks the body against it) |
 * | any, `upstreamStreaming: 'buffered'`, or up to 64 KiB, or a non-S3 service | read into memory (up to `maxBufferedBodyBytes`) and its hash signed |
 * | S3, length known, `signed` | `STREAMING-AWS4-HMAC-SHA256-PAYLOAD`, every chunk signed with the real key |
 * | S3, `unsigned` | streamed as it is, `UNSIGNED-PAYLOAD` |
 * | S3, length unknown, `signed` | read into memory up to `maxBufferedBodyBytes` (S3 needs a length) |
 *
 * @module
 */
import { rulesFor } from '../signer/service-rules.js';
import type { UpstreamStreaming } from './types.js';

/**
 * Bodies up to this size are hashed in memory: one signature instead of a chunk envelope.
 * @category Proxy
 */
export const SMALL_BODY_BYTES = 64 * 1024;

/**
 * What is known about the inbound body after its framing is undone.
 * @category Proxy
 */
export interface InboundBody {
  /** Decoded length, when the request declared one (`content-length`, or `x-amz-decoded-content-length`). */
  readonly length: number | undefined;
  /** The client's SHA-256 of a plain (not aws-chunked) body. */
  readonly clientHash: string | undefined;
  /** The body came aws-chunked: it is only known good once the decoder has ended. */
  readonly chunked: boolean;
}

/**
 * How to send the body upstream.
 * @category Proxy
 */
export type BodyPlan =
  | { readonly kind: 'empty' }
  | { readonly kind: 'buffer' }
  | { readonly kind: 'hash-stream'; readonly hash: string }
  | { readonly kind: 'chunked'; readonly length: number }
  | { readonly kind: 'unsigned' };

/**
 * Picks the plan; see the table at the top of this module.
 * @category Proxy
 */
export function planBody(body: InboundBody, service: string, mode: UpstreamStreaming): BodyPlan {
  if (body.length === 0 && !body.chunked) return { kind: 'empty' };
  if (mode === 'buffered') return { kind: 'buffer' };
  const s3 = rulesFor(service).s3;
  // S3 needs a length: a hashed body of unknown length is read so that it can be sent with one.
  if (body.clientHash !== undefined && !body.chunked && (body.length !== undefined || !s3)) return { kind: 'hash-stream', hash: body.clientHash };
  if (!s3) return { kind: 'buffer' };
  if (mode === 'unsigned') return { kind: 'unsigned' };
  if (body.length === undefined || body.length <= SMALL_BODY_BYTES) return { kind: 'buffer' };
  return { kind: 'chunked', length: body.length };
}
