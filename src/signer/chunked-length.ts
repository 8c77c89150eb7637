/**
 * The `Content-Length` of an `aws-chunked` body, computed from the decoded length before a single byte is
 * encoded: S3 needs it in the seed request, which is signed before the body streams.
 *
 * The layouts counted here (`\r\n` is two bytes, sizes are lower-case hex without leading zeros):
 *
 * | mode | each data chunk | end |
 * |---|---|---|
 * | signed | `<hex>;chunk-signature=<64 hex>\r\n<data>\r\n` | `0;chunk-signature=<64 hex>\r\n\r\n` |
 * | signed + trailer | same | `0;chunk-signature=<64 hex>\r\n<name>:<base64>\r\nx-amz-trailer-signature:<64 hex>\r\n\r\n` |
 * | unsigned + trailer | `<hex>\r\n<data>\r\n` | `0\r\n<name>:<base64>\r\n\r\n` |
 *
 * Every data chunk but the last holds exactly `chunkSize` bytes; an empty body has no data chunk.
 *
 * @module
 */
import { InvalidInputError, describeValue } from './errors.js';
import { snapshotOwn } from './snapshot.js';

const LAYOUT_KEYS = ['chunkSize', 'signed', 'checksum'] as const;
import { checkedChecksumAlgorithm, checksumBase64Length, checksumHeaderName, type ChecksumAlgorithm } from './checksums.js';

/**
 * The default chunk size: 64 KiB, as in the AWS SDKs and the S3 documentation's example.
 *
 * @example
 * ```ts
 * import { DEFAULT_CHUNK_SIZE } from 'got-aws4auth/signer';
 * console.log(DEFAULT_CHUNK_SIZE); // 65536
 * ```
 * @category Streaming
 */
export const DEFAULT_CHUNK_SIZE = 64 * 1024;

/**
 * The smallest chunk size S3 accepts for every chunk but the last: 8 KiB.
 *
 * @example
 * ```ts
 * import { MIN_CHUNK_SIZE } from 'got-aws4auth/signer';
 * console.log(MIN_CHUNK_SIZE); // 8192
 * ```
 * @category Streaming
 */
export const MIN_CHUNK_SIZE = 8 * 1024;

const SIGNATURE_HEX = 64;
const CRLF = 2;
const CHUNK_SIGNATURE_PREFIX = ';chunk-signature='.length;
const TRAILER_SIGNATURE_PREFIX = 'x-amz-trailer-signature:'.length;

/**
 * How a body is chunked: what the encoded length and the encoder both depend on.
 *
 * @example
 * ```ts
 * import type { ChunkedLayout } from 'got-aws4auth/signer';
 * const layout: ChunkedLayout = { chunkSize: 1024 * 1024, signed: true, checksum: 'crc32' };
 * ```
 * @category Streaming
 */
export interface ChunkedLayout {
  /** Bytes per chunk, every chunk but the last; at least {@link MIN_CHUNK_SIZE}. Default {@link DEFAULT_CHUNK_SIZE}. */
  readonly chunkSize?: number | undefined;
  /** Sign every chunk (default true). False sends unsigned chunks, which S3 only accepts with a checksum trailer. */
  readonly signed?: boolean | undefined;
  /** Send this checksum of the decoded body as a trailer after the last chunk. */
  readonly checksum?: ChecksumAlgorithm | undefined;
}

/**
 * Validates a chunk size: a whole number of bytes, at least {@link MIN_CHUNK_SIZE}.
 *
 * @internal
 */
export function checkedChunkSize(value: unknown): number {
  if (value === undefined) return DEFAULT_CHUNK_SIZE;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < MIN_CHUNK_SIZE) {
    throw new InvalidInputError(
      'options.chunkSize',
      `must be a whole number of bytes, at least ${MIN_CHUNK_SIZE} (8 KiB, S3's minimum for every chunk but the last), got ${describeValue(value)}; the default is ${DEFAULT_CHUNK_SIZE}`,
    );
  }
  return value;
}

/**
 * Validates a decoded body length: a whole, non-negative number of bytes.
 *
 * @internal
 */
export function checkedDecodedLength(value: unknown, field = 'options.decodedLength'): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw new InvalidInputError(field, `must be the body's length in bytes, a whole number >= 0, got ${describeValue(value)}`);
  }
  return value;
}

function hexDigits(n: number): number {
  return n.toString(16).length;
}

/** The encoded size of one data chunk of `size` bytes (not the final empty chunk). */
function dataChunkLength(size: number, signed: boolean): number {
  return hexDigits(size) + (signed ? CHUNK_SIGNATURE_PREFIX + SIGNATURE_HEX : 0) + CRLF + size + CRLF;
}

/**
 * The exact length of the `aws-chunked` encoding of a body of `decodedLength` bytes: the request's
 * `Content-Length`.
 *
 * @param decodedLength - the body's own length (`x-amz-decoded-content-length`)
 * @param layout - chunk size, signed or not, and the checksum trailer if any
 * @throws {@link InvalidInputError} for a negative or fractional length, a chunk size under 8 KiB, an
 *   unknown checksum, or unsigned chunks without a checksum
 *
 * @example
 * ```ts
 * import { chunkedContentLength } from 'got-aws4auth/signer';
 * chunkedContentLength(66560); // 66824: the S3 documentation's example
 * chunkedContentLength(66560, { checksum: 'crc32c' }); // 66946
 * chunkedContentLength(66560, { signed: false, checksum: 'crc32' }); // 66612
 * ```
 * @category Streaming
 */
export function chunkedContentLength(decodedLength: number, layout: ChunkedLayout = {}): number {
  const length = checkedDecodedLength(decodedLength, 'decodedLength');
  const { chunkSize, signed, checksum } = checkedLayout(layout);
  const fullChunks = Math.floor(length / chunkSize);
  const rest = length % chunkSize;
  let total = fullChunks * dataChunkLength(chunkSize, signed) + (rest > 0 ? dataChunkLength(rest, signed) : 0);
  total += 1 + (signed ? CHUNK_SIGNATURE_PREFIX + SIGNATURE_HEX : 0) + CRLF; // 0[;chunk-signature=…]\r\n
  if (checksum !== undefined) {
    total += checksumHeaderName(checksum).length + 1 + checksumBase64Length(checksum) + CRLF;
    if (signed) total += TRAILER_SIGNATURE_PREFIX + SIGNATURE_HEX + CRLF;
  }
  return total + CRLF;
}

/** A validated {@link ChunkedLayout}. @internal */
export interface ResolvedLayout {
  readonly chunkSize: number;
  readonly signed: boolean;
  readonly checksum: ChecksumAlgorithm | undefined;
}

/**
 * Validates and defaults a {@link ChunkedLayout}.
 *
 * @internal
 */
export function checkedLayout(given: ChunkedLayout): ResolvedLayout {
  if (given === null || typeof given !== 'object') throw new InvalidInputError('options', `must be an object, got ${describeValue(given)}`);
  // Read once, own properties only: an inherited `signed: false` or `checksum` is never used.
  const layout = snapshotOwn(given, LAYOUT_KEYS, 'options');
  const chunkSize = checkedChunkSize(layout.chunkSize);
  const signed = layout.signed ?? true;
  if (typeof signed !== 'boolean') throw new InvalidInputError('options.signed', `must be true or false, got ${describeValue(signed)}`);
  const checksum = layout.checksum === undefined ? undefined : checkedChecksumAlgorithm(layout.checksum, 'options.checksum');
  if (!signed && checksum === undefined) {
    throw new InvalidInputError(
      'options.checksum',
      'is required for unsigned chunks (STREAMING-UNSIGNED-PAYLOAD-TRAILER); without a checksum, send the body as it is with payloadHash "UNSIGNED-PAYLOAD"',
    );
  }
  return { chunkSize, signed, checksum };
}
