/**
 * The error of the verifying `aws-chunked` decoder: one class, a closed `reason`, and the S3 error code
 * and HTTP status to answer the client with.
 *
 * @module
 */
import { AWS4AuthError } from './errors.js';

/**
 * Why an `aws-chunked` body was refused.
 *
 * | reason | meaning | `awsCode` (status) |
 * |---|---|---|
 * | `invalid-chunk-size` | a size that is not lower-case hex without leading zeros, or a chunk under `minChunkSize` before the last | `InvalidChunkSizeError` (400) |
 * | `chunk-too-large` | a chunk over `maxChunkSize` (default 16 MiB) | `InvalidChunkSizeError` (400) |
 * | `malformed-chunk` | a chunk line that is not `<hex>[;chunk-signature=<64 hex>]\r\n`, too long, or data not followed by `\r\n` | `IncompleteBody` (400) |
 * | `signature-mismatch` | a chunk or trailer signature that is not the one the signing key gives | `SignatureDoesNotMatch` (403) |
 * | `malformed-trailer` | a trailer line that is not `<announced name>:<base64>`, or a trailer where none was announced | `MalformedTrailerError` (400) |
 * | `missing-trailer` | no `x-amz-trailer` header for a trailer mode, or no trailer (or trailer signature) at the end | `MalformedTrailerError` (400) |
 * | `unsupported-checksum` | a trailer checksum algorithm this decoder cannot verify | `InvalidRequest` (400) |
 * | `checksum-mismatch` | the trailer checksum is not the checksum of the decoded bytes | `BadDigest` (400) |
 * | `length-mismatch` | the decoded length differs from `x-amz-decoded-content-length`, or that header is not a length | `IncompleteBody` (400) |
 * | `incomplete-body` | the body ended before the final chunk and its trailer | `IncompleteBody` (400) |
 * | `extra-bytes` | bytes after the end of the encoding | `IncompleteBody` (400) |
 *
 * @example
 * ```ts
 * import type { ChunkedBodyReason } from 'got-aws4auth/signer';
 * const tampering: ChunkedBodyReason[] = ['signature-mismatch', 'checksum-mismatch'];
 * ```
 * @category Verifying
 */
export type ChunkedBodyReason =
  | 'invalid-chunk-size'
  | 'chunk-too-large'
  | 'malformed-chunk'
  | 'signature-mismatch'
  | 'malformed-trailer'
  | 'missing-trailer'
  | 'unsupported-checksum'
  | 'checksum-mismatch'
  | 'length-mismatch'
  | 'incomplete-body'
  | 'extra-bytes';

const ANSWERS: Readonly<Record<ChunkedBodyReason, readonly [awsCode: string, status: 400 | 403]>> = {
  'invalid-chunk-size': ['InvalidChunkSizeError', 400],
  'chunk-too-large': ['InvalidChunkSizeError', 400],
  'malformed-chunk': ['IncompleteBody', 400],
  'signature-mismatch': ['SignatureDoesNotMatch', 403],
  'malformed-trailer': ['MalformedTrailerError', 400],
  'missing-trailer': ['MalformedTrailerError', 400],
  'unsupported-checksum': ['InvalidRequest', 400],
  'checksum-mismatch': ['BadDigest', 400],
  'length-mismatch': ['IncompleteBody', 400],
  'incomplete-body': ['IncompleteBody', 400],
  'extra-bytes': ['IncompleteBody', 400],
};

/**
 * An `aws-chunked` body that is malformed, tampered with, or not the one announced. `reason` says what,
 * `awsCode` and `status` what to answer; `offset` is the position in the encoded body where it was found.
 * The message never contains a signature, a checksum value or key material.
 *
 * @example
 * ```ts
 * import { ChunkedBodyError } from 'got-aws4auth/signer';
 * function answer(error: unknown): [number, string] {
 *   return error instanceof ChunkedBodyError ? [error.status, error.awsCode] : [500, 'InternalError'];
 * }
 * ```
 * @category Verifying
 */
export class ChunkedBodyError extends AWS4AuthError {
  /** What was wrong. */
  readonly reason: ChunkedBodyReason;
  /** The S3 error code to answer with. */
  readonly awsCode: string;
  /** The HTTP status to answer with. */
  readonly status: 400 | 403;
  /** Always `body` (or `request.headers[...]` for a header the decoder was configured from). */
  readonly field: string;
  /** The 0-based index of the chunk where it was found (the final empty chunk included). */
  readonly chunkIndex: number;
  /** The offset in the encoded body where it was found. */
  readonly offset: number;

  constructor(reason: ChunkedBodyReason, problem: string, where: { chunkIndex?: number; offset?: number; field?: string } = {}) {
    super('ERR_AWS4_CHUNKED_BODY', `${where.field ?? 'body'} ${problem}`);
    const [awsCode, status] = ANSWERS[reason];
    this.reason = reason;
    this.awsCode = awsCode;
    this.status = status;
    this.field = where.field ?? 'body';
    this.chunkIndex = where.chunkIndex ?? 0;
    this.offset = where.offset ?? 0;
  }
}
