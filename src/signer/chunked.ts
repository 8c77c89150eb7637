/**
 * Streamed request bodies of any size for S3: the `aws-chunked` content encoding, with signed chunks,
 * trailing checksums, or both.
 *
 * A streamed body cannot be hashed before the request is signed, so S3 offers three payload markers for
 * `x-amz-content-sha256` besides `UNSIGNED-PAYLOAD` (which sends the body as it is, unsigned and
 * unchecked: nothing in this module is needed for it):
 *
 * | `x-amz-content-sha256` | chunks | after the last chunk |
 * |---|---|---|
 * | `STREAMING-AWS4-HMAC-SHA256-PAYLOAD` | signed | nothing |
 * | `STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER` | signed | a checksum trailer, signed |
 * | `STREAMING-UNSIGNED-PAYLOAD-TRAILER` | unsigned | a checksum trailer, unsigned |
 *
 * The request itself (the "seed") is signed as usual with the marker as payload hash, with
 * `content-encoding: aws-chunked`, `x-amz-decoded-content-length` (the body's own length), the encoded
 * `content-length` and, with a trailer, `x-amz-trailer` naming it ({@link chunkedUploadHeaders}). The body
 * then goes out cut into chunks of exactly `chunkSize` bytes (the last one shorter), ended by an empty
 * chunk. A signed chunk is `<hex size>;chunk-signature=<signature>\r\n<data>\r\n`, its signature an HMAC
 * under the request's signing key of
 *
 * ```
 * AWS4-HMAC-SHA256-PAYLOAD\n<amz date>\n<scope>\n<previous signature>\n<sha256 of "">\n<sha256 of data>
 * ```
 *
 * where the first chunk's previous signature is the seed request's own: every chunk is chained to the
 * request and to the chunk before it, so chunks cannot be reordered, dropped or replaced. A signed trailer
 * is chained to the empty chunk the same way, over the canonical trailer lines `name:value\n`:
 *
 * ```
 * AWS4-HMAC-SHA256-TRAILER\n<amz date>\n<scope>\n<empty chunk's signature>\n<sha256 of trailer lines>
 * ```
 *
 * and sent as `x-amz-trailer-signature:<signature>\r\n` after the trailer, before the closing `\r\n`.
 *
 * The encoder holds at most one chunk of the input (as the pieces it arrived in, hashed as they arrive and
 * never concatenated), so memory stays constant whatever the body's size.
 *
 * A consumed stream cannot be sent again: when a request with a streamed body must be retried or
 * redirected, callers throw {@link StreamRetryError}.
 *
 * @module
 */
import { createHash, type Hash } from 'node:crypto';
import { Transform } from 'node:stream';
import { InvalidInputError, describeValue } from './errors.js';
import { piecesOf } from './stream-pieces.js';
import { EMPTY_PAYLOAD_HASH } from './payload-hash.js';
import { signature } from './string-to-sign.js';
import { cachedSigningKey } from './signing-key.js';
import { checkedRequest, signRequest, type RequestSnapshot } from './sign-headers.js';
import { snapshotCredentials, snapshotSignOptions } from './resolve-options.js';
import { collectHeaders } from './canonical-headers.js';
import { snapshotOwn } from './snapshot.js';
import { isBytes } from './validate.js';
import { types } from 'node:util';
import { checksumHeaderName, createChecksum, type StreamingChecksum } from './checksums.js';
import { checkedDecodedLength, checkedLayout, chunkedContentLength, type ChunkedLayout, type ResolvedLayout } from './chunked-length.js';
import type { HeaderValue, SignableRequest, SignedRequest, SignOptions } from './types.js';

/**
 * The payload hash of a body sent in signed chunks.
 *
 * @example
 * ```ts
 * import { STREAMING_PAYLOAD } from 'got-aws4auth/signer';
 * console.log(STREAMING_PAYLOAD); // STREAMING-AWS4-HMAC-SHA256-PAYLOAD
 * ```
 * @category Streaming
 */
export const STREAMING_PAYLOAD = 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD';

/**
 * The payload hash of a body sent in signed chunks followed by a signed trailer.
 *
 * @example
 * ```ts
 * import { STREAMING_PAYLOAD_TRAILER } from 'got-aws4auth/signer';
 * console.log(STREAMING_PAYLOAD_TRAILER); // STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER
 * ```
 * @category Streaming
 */
export const STREAMING_PAYLOAD_TRAILER = 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER';

/**
 * The payload hash of a body sent in unsigned chunks followed by an unsigned checksum trailer.
 *
 * @example
 * ```ts
 * import { STREAMING_UNSIGNED_PAYLOAD_TRAILER } from 'got-aws4auth/signer';
 * console.log(STREAMING_UNSIGNED_PAYLOAD_TRAILER); // STREAMING-UNSIGNED-PAYLOAD-TRAILER
 * ```
 * @category Streaming
 */
export const STREAMING_UNSIGNED_PAYLOAD_TRAILER = 'STREAMING-UNSIGNED-PAYLOAD-TRAILER';

const CHUNK_ALGORITHM = 'AWS4-HMAC-SHA256-PAYLOAD';
const TRAILER_ALGORITHM = 'AWS4-HMAC-SHA256-TRAILER';
const SIGNATURE = /^[0-9a-f]{64}$/;
const CRLF = '\r\n';

/**
 * What signing a chunk or trailer needs from the signed request: its signing key, time and scope.
 *
 * @example
 * ```ts
 * import { deriveSigningKey, type ChunkSigningContext } from 'got-aws4auth/signer';
 * const context: ChunkSigningContext = {
 *   signingKey: deriveSigningKey('wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', '20130524', 'us-east-1', 's3'),
 *   amzDate: '20130524T000000Z',
 *   credentialScope: '20130524/us-east-1/s3/aws4_request',
 * };
 * ```
 * @category Streaming
 */
export interface ChunkSigningContext {
  /** The 32-byte signing key the request was signed with. Never printed or logged. */
  readonly signingKey: Uint8Array;
  /** The request's `YYYYMMDDTHHMMSSZ` signing time ({@link SignedRequest.amzDate}). */
  readonly amzDate: string;
  /** The request's `YYYYMMDD/region/service/aws4_request` ({@link SignedRequest.credentialScope}). */
  readonly credentialScope: string;
}

/**
 * A {@link ChunkSigningContext} plus the seed request's signature, which the first chunk is chained to.
 *
 * @example
 * ```ts
 * import { chunkSigningSeed, signRequest, STREAMING_PAYLOAD, type ChunkSigningSeed } from 'got-aws4auth/signer';
 * const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' };
 * const signed = signRequest({ method: 'PUT', url: 'https://bucket.s3.amazonaws.com/key' },
 *   { credentials, region: 'us-east-1', service: 's3', payloadHash: STREAMING_PAYLOAD });
 * const seed: ChunkSigningSeed = chunkSigningSeed(signed, credentials);
 * console.log(seed.seedSignature === signed.signature); // true
 * ```
 * @category Streaming
 */
export interface ChunkSigningSeed extends ChunkSigningContext {
  /** The seed request's hex signature ({@link SignedRequest.signature}). */
  readonly seedSignature: string;
}

/** Checks a previous/seed signature: 64 lower-case hex digits. @internal */
export function checkedSignature(value: unknown, field: string): string {
  if (typeof value !== 'string' || !SIGNATURE.test(value)) {
    throw new InvalidInputError(field, 'must be a hex SHA-256 signature (64 lower-case hex digits) from the signed request or the chunk before');
  }
  return value;
}

/** Checks a signing context; the key is checked by type and length only. @internal */
export function checkedContext(given: unknown, field: string): ChunkSigningContext {
  if (given === null || typeof given !== 'object') throw new InvalidInputError(field, `must be an object with signingKey, amzDate and credentialScope, got ${describeValue(given)}`);
  // Read once, own properties only (enumerable or not: a verified request hides its key), into a new object.
  const { signingKey, amzDate, credentialScope } = snapshotOwn(given, CONTEXT_KEYS, field);
  if (!isBytes(signingKey, 32)) {
    throw new InvalidInputError(`${field}.signingKey`, 'must be the 32-byte signing key the request was signed with');
  }
  if (typeof amzDate !== 'string' || !/^\d{8}T\d{6}Z$/.test(amzDate)) {
    throw new InvalidInputError(`${field}.amzDate`, `must be the signed request's YYYYMMDDTHHMMSSZ time, got ${describeValue(amzDate)}`);
  }
  if (typeof credentialScope !== 'string' || !/^\d{8}\/[^/\s]+\/[^/\s]+\/aws4_request$/.test(credentialScope)) {
    throw new InvalidInputError(`${field}.credentialScope`, `must be the signed request's YYYYMMDD/region/service/aws4_request, got ${describeValue(credentialScope)}`);
  }
  return { signingKey, amzDate, credentialScope };
}

const CONTEXT_KEYS = ['signingKey', 'amzDate', 'credentialScope'] as const;

/**
 * The string to sign of one chunk, from the hex SHA-256 of its data.
 *
 * @internal
 */
export function chunkStringToSign(context: ChunkSigningContext, previousSignature: string, dataHash: string): string {
  return `${CHUNK_ALGORITHM}\n${context.amzDate}\n${context.credentialScope}\n${previousSignature}\n${EMPTY_PAYLOAD_HASH}\n${dataHash}`;
}

/**
 * The canonical form of trailer lines: `name:value\n` each, names lower-cased and sorted, values trimmed.
 *
 * @internal
 */
export function canonicalTrailers(trailers: readonly (readonly [string, string])[]): string {
  return trailers
    .map(([name, value]) => [name.toLowerCase(), value.trim()] as const)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, value]) => `${name}:${value}\n`)
    .join('');
}

/**
 * The string to sign of a trailer.
 *
 * @internal
 */
export function trailerStringToSign(context: ChunkSigningContext, previousSignature: string, trailers: readonly (readonly [string, string])[]): string {
  const hash = createHash('sha256').update(canonicalTrailers(trailers), 'latin1').digest('hex');
  return `${TRAILER_ALGORITHM}\n${context.amzDate}\n${context.credentialScope}\n${previousSignature}\n${hash}`;
}

/**
 * The signature of one chunk: pure, for callers that frame chunks themselves or check them.
 *
 * @param context - signing key, time and scope of the signed request
 * @param previousSignature - the seed request's signature for the first chunk, else the previous chunk's
 * @param data - the chunk's bytes, whole or as the pieces it is made of (hashed in order, never joined);
 *   empty for the final chunk
 * @returns the hex signature for `;chunk-signature=`
 *
 * @example
 * ```ts
 * import { chunkSignature, deriveSigningKey } from 'got-aws4auth/signer';
 * const context = {
 *   signingKey: deriveSigningKey('wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', '20130524', 'us-east-1', 's3'),
 *   amzDate: '20130524T000000Z',
 *   credentialScope: '20130524/us-east-1/s3/aws4_request',
 * };
 * const seed = '4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9';
 * chunkSignature(context, seed, Buffer.alloc(65536, 'a'));
 * // 'ad80c730a21e5b8d04586a2213dd63b9a0e99e0e2307b0ade35a65485a288648' (the S3 documentation's first chunk)
 * ```
 * @category Streaming
 */
export function chunkSignature(context: ChunkSigningContext, previousSignature: string, data: Uint8Array | readonly Uint8Array[]): string {
  const checked = checkedContext(context, 'context');
  checkedSignature(previousSignature, 'previousSignature');
  const hash = createHash('sha256');
  if (data instanceof Uint8Array) hash.update(data);
  else if (Array.isArray(data)) for (const piece of data as readonly Uint8Array[]) hash.update(piece);
  else throw new InvalidInputError('data', `must be a Uint8Array or an array of them, got ${describeValue(data)}`);
  return signature(checked.signingKey, chunkStringToSign(checked, previousSignature, hash.digest('hex')));
}

/**
 * The signature of a trailer (`x-amz-trailer-signature`): pure.
 *
 * @param context - signing key, time and scope of the signed request
 * @param previousSignature - the signature of the final, empty chunk
 * @param trailers - the trailer lines as `[name, value]` pairs, e.g. `[['x-amz-checksum-crc32', 'sOO8/Q==']]`
 * @returns the hex signature
 *
 * @example
 * ```ts
 * import { deriveSigningKey, trailerSignature } from 'got-aws4auth/signer';
 * const context = {
 *   signingKey: deriveSigningKey('wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', '20130524', 'us-east-1', 's3'),
 *   amzDate: '20130524T000000Z',
 *   credentialScope: '20130524/us-east-1/s3/aws4_request',
 * };
 * const lastChunk = '2ca2aba2005185cf7159c6277faf83795951dd77a3a99e6e65d5c9f85863f992';
 * trailerSignature(context, lastChunk, [['x-amz-checksum-crc32c', 'sOO8/Q==']]);
 * // 'd81f82fc3505edab99d459891051a732e8730629a2e4a59689829ca17fe2e435' (the S3 documentation's trailer)
 * ```
 * @category Streaming
 */
export function trailerSignature(context: ChunkSigningContext, previousSignature: string, trailers: readonly (readonly [string, string])[]): string {
  const checked = checkedContext(context, 'context');
  checkedSignature(previousSignature, 'previousSignature');
  if (!Array.isArray(trailers) || !trailers.every((t) => Array.isArray(t) && t.length === 2 && typeof t[0] === 'string' && typeof t[1] === 'string')) {
    throw new InvalidInputError('trailers', 'must be an array of [name, value] string pairs');
  }
  return signature(checked.signingKey, trailerStringToSign(checked, previousSignature, trailers));
}

/**
 * The seed for signing chunks, from the signed request and the secret (or signing key) it was signed with.
 *
 * @param signed - the result of `signRequest` for the upload request
 * @param key - the credentials it was signed with (only `secretAccessKey` is read; the key is derived once
 *   per day, region and service and cached), or the signing key passed as `options.signingKey`
 *
 * @example
 * ```ts
 * import { chunkSigningSeed, signRequest, STREAMING_PAYLOAD } from 'got-aws4auth/signer';
 * const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' };
 * const signed = signRequest({ method: 'PUT', url: 'https://bucket.s3.amazonaws.com/key' },
 *   { credentials, region: 'us-east-1', service: 's3', payloadHash: STREAMING_PAYLOAD });
 * const seed = chunkSigningSeed(signed, credentials);
 * ```
 * @category Streaming
 */
export function chunkSigningSeed(
  signed: Pick<SignedRequest, 'signature' | 'amzDate' | 'credentialScope'>,
  key: { readonly secretAccessKey: string } | Uint8Array,
): ChunkSigningSeed {
  if (signed === null || typeof signed !== 'object') throw new InvalidInputError('signed', `must be the result of signRequest, got ${describeValue(signed)}`);
  // Each read once, own properties only, so what is checked is what the chunks are signed with.
  const { signature: seedSignature, amzDate, credentialScope } = snapshotOwn(signed, ['signature', 'amzDate', 'credentialScope'], 'signed');
  const secret = types.isUint8Array(key) || key === null || typeof key !== 'object' ? undefined : snapshotOwn(key, ['secretAccessKey'], 'key').secretAccessKey;
  let signingKey: unknown = key;
  if (typeof secret === 'string' && secret !== '') {
    const [shortDate = '', region = '', service = ''] = String(credentialScope).split('/');
    signingKey = cachedSigningKey(secret, shortDate, region, service);
  } else if (!isBytes(key, 32)) {
    throw new InvalidInputError('key', 'must be the credentials the request was signed with (a non-empty secretAccessKey) or its 32-byte signing key');
  }
  return { ...checkedContext({ signingKey, amzDate, credentialScope }, 'signed'), seedSignature: checkedSignature(seedSignature, 'signed.signature') };
}

/**
 * The `x-amz-content-sha256` marker for a layout.
 *
 * @example
 * ```ts
 * import { streamingPayloadHash } from 'got-aws4auth/signer';
 * streamingPayloadHash({}); // 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD'
 * streamingPayloadHash({ checksum: 'crc32' }); // 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER'
 * streamingPayloadHash({ signed: false, checksum: 'crc32' }); // 'STREAMING-UNSIGNED-PAYLOAD-TRAILER'
 * ```
 * @category Streaming
 */
export function streamingPayloadHash(layout: ChunkedLayout = {}): string {
  return markerOf(checkedLayout(layout));
}

function markerOf(layout: ResolvedLayout): string {
  if (!layout.signed) return STREAMING_UNSIGNED_PAYLOAD_TRAILER;
  return layout.checksum === undefined ? STREAMING_PAYLOAD : STREAMING_PAYLOAD_TRAILER;
}

/**
 * The headers an `aws-chunked` upload sends, to add to the request before signing it. Names are lower case.
 *
 * @example
 * ```ts
 * import type { ChunkedUploadHeaders } from 'got-aws4auth/signer';
 * const headers: ChunkedUploadHeaders = {
 *   'content-encoding': 'aws-chunked',
 *   'content-length': '66824',
 *   'x-amz-content-sha256': 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD',
 *   'x-amz-decoded-content-length': '66560',
 * };
 * ```
 * @category Streaming
 */
export interface ChunkedUploadHeaders {
  /** `aws-chunked`, followed by the body's own content encodings if any (`aws-chunked,gzip`). */
  readonly 'content-encoding': string;
  /** The encoded length ({@link chunkedContentLength}). */
  readonly 'content-length': string;
  /** The streaming marker ({@link streamingPayloadHash}). */
  readonly 'x-amz-content-sha256': string;
  /** The body's own length. */
  readonly 'x-amz-decoded-content-length': string;
  /** The trailer's name, e.g. `x-amz-checksum-crc32`, when there is one. */
  readonly 'x-amz-trailer'?: string;
}

/**
 * Options of {@link chunkedUploadHeaders}.
 *
 * @example
 * ```ts
 * import { chunkedUploadHeaders, type ChunkedHeaderOptions } from 'got-aws4auth/signer';
 * const options: ChunkedHeaderOptions = { chunkSize: 1024 * 1024, contentEncoding: 'gzip' };
 * chunkedUploadHeaders(5_000_000, options);
 * // { 'content-encoding': 'aws-chunked,gzip', 'content-length': '5000540',
 * //   'x-amz-content-sha256': 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD', 'x-amz-decoded-content-length': '5000000' }
 * ```
 * @category Streaming
 */
export interface ChunkedHeaderOptions extends ChunkedLayout {
  /** The body's own `Content-Encoding` (e.g. `gzip`), kept after `aws-chunked`. */
  readonly contentEncoding?: string | undefined;
}

/**
 * The headers that announce an `aws-chunked` body of `decodedLength` bytes, for signing the seed request.
 *
 * @param decodedLength - the body's own length in bytes
 * @param options - chunk size, signed or not, checksum trailer, and the body's own content encoding
 * @throws {@link InvalidInputError} for a bad length, chunk size or checksum
 *
 * @example
 * ```ts
 * import { chunkedUploadHeaders } from 'got-aws4auth/signer';
 * chunkedUploadHeaders(66560, { checksum: 'crc32c' });
 * // {
 * //   'content-encoding': 'aws-chunked',
 * //   'content-length': '66946',
 * //   'x-amz-content-sha256': 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER',
 * //   'x-amz-decoded-content-length': '66560',
 * //   'x-amz-trailer': 'x-amz-checksum-crc32c',
 * // }
 * ```
 * @category Streaming
 */
export function chunkedUploadHeaders(decodedLength: number, options: ChunkedHeaderOptions = {}): ChunkedUploadHeaders {
  const length = checkedDecodedLength(decodedLength, 'decodedLength');
  const layout = checkedLayout(options);
  // Own property only: an inherited contentEncoding is never sent.
  const own = snapshotOwn(options, ['contentEncoding'], 'options').contentEncoding;
  if (own !== undefined && typeof own !== 'string') throw new InvalidInputError('options.contentEncoding', `must be a string, got ${describeValue(own)}`);
  const encodings = (own ?? '').split(',').map((e) => e.trim()).filter((e) => e !== '' && e.toLowerCase() !== 'aws-chunked');
  return {
    'content-encoding': ['aws-chunked', ...encodings].join(','),
    'content-length': String(chunkedContentLength(length, layout)),
    'x-amz-content-sha256': markerOf(layout),
    'x-amz-decoded-content-length': String(length),
    ...(layout.checksum === undefined ? {} : { 'x-amz-trailer': checksumHeaderName(layout.checksum) }),
  };
}

/**
 * Options of {@link createChunkedEncoder} and {@link encodeChunked}.
 *
 * @example
 * ```ts
 * import type { ChunkedEncoderOptions } from 'got-aws4auth/signer';
 * const options: ChunkedEncoderOptions = { signed: false, checksum: 'crc32', decodedLength: 1_000_000 };
 * ```
 * @category Streaming
 */
export interface ChunkedEncoderOptions extends ChunkedLayout {
  /** Required for signed chunks (the default): what {@link chunkSigningSeed} returns for the signed request. */
  readonly seed?: ChunkSigningSeed | undefined;
  /**
   * The length announced in `x-amz-decoded-content-length`. When given, a body that turns out longer or
   * shorter fails the stream with an {@link InvalidInputError} instead of a server-side error.
   */
  readonly decodedLength?: number | undefined;
  /**
   * Signed chunks: the SHA-256 (hex) of the chunk at a decoded offset and length when the caller already
   * has it, else undefined (the encoder then hashes the chunk). A re-signing proxy passes the digests its
   * verifying decoder computed (`ChunkedDecoderOptions.onChunkDigest`), so no byte is hashed twice; the
   * output is the same as without it. A wrong digest gives a chunk signature the server refuses.
   */
  readonly chunkDigest?: ((offset: number, length: number) => string | undefined) | undefined;
}

type Emit = (bytes: Buffer) => void;

/** A body encoding fed piece by piece: `write` any number of times, then `end` once. */
interface BodyEncoding {
  write(input: Uint8Array, emit: Emit): void;
  end(emit: Emit): void;
}

/** The body of a zero-length upload, sent as it is (see {@link signChunkedUpload}): it checks that it stays empty. */
class EmptyBody implements BodyEncoding {
  write(input: Uint8Array): void {
    if (input.length > 0) throw new InvalidInputError('body', 'is longer than the 0 bytes announced (decodedLength 0); the stream must yield exactly decodedLength bytes');
  }

  end(): void {}
}

/**
 * The encoder's state machine, shared by the Transform and the async generator: `write` any number of
 * times, then `end` once. Whole chunks are emitted as soon as they are complete.
 */
class ChunkedEncoding implements BodyEncoding {
  readonly chunkSize: number;
  readonly #seed: ChunkSigningContext | undefined;
  readonly #checksum: StreamingChecksum | undefined;
  readonly #decodedLength: number | undefined;
  readonly #chunkDigest: ((offset: number, length: number) => string | undefined) | undefined;
  #previousSignature: string;
  // Decoded bytes in the chunks already sent: the offset of the chunk being filled.
  #flushed = 0;
  #pieces: Buffer[] = [];
  #pending = 0;
  #hash: Hash | undefined;
  #total = 0;
  // The CRLF closing the previous chunk's data, sent with the next header so small writes are merged.
  #lead = '';

  constructor(given: ChunkedEncoderOptions) {
    if (given === null || typeof given !== 'object') throw new InvalidInputError('options', `must be an object, got ${describeValue(given)}`);
    // Read once, own properties only: an inherited seed, checksum or `signed: false` is never used.
    const options = snapshotOwn(given, ENCODER_KEYS, 'options');
    const layout = checkedLayout(options as ChunkedLayout);
    this.chunkSize = layout.chunkSize;
    this.#checksum = layout.checksum === undefined ? undefined : createChecksum(layout.checksum);
    if (layout.signed) {
      if (options.seed === undefined) {
        throw new InvalidInputError('options.seed', 'is required for signed chunks: pass chunkSigningSeed(signedRequest, credentials), set signed: false for unsigned chunks, or use signChunkedUpload');
      }
      this.#seed = checkedContext(options.seed, 'options.seed');
      const { seedSignature } = snapshotOwn(options.seed as object, ['seedSignature'], 'options.seed');
      this.#previousSignature = checkedSignature(seedSignature, 'options.seed.seedSignature');
    } else {
      this.#seed = undefined;
      this.#previousSignature = '';
    }
    this.#decodedLength = options.decodedLength === undefined ? undefined : checkedDecodedLength(options.decodedLength as number);
    const { chunkDigest } = options;
    if (chunkDigest !== undefined && typeof chunkDigest !== 'function') throw new InvalidInputError('options.chunkDigest', `must be a function when given, got ${describeValue(chunkDigest)}`);
    this.#chunkDigest = chunkDigest as ChunkedEncoderOptions['chunkDigest'];
  }

  write(input: Uint8Array, emit: Emit): void {
    let data = Buffer.isBuffer(input) ? input : Buffer.from(input.buffer, input.byteOffset, input.byteLength);
    if (data.length === 0) return;
    this.#total += data.length;
    if (this.#decodedLength !== undefined && this.#total > this.#decodedLength) {
      throw new InvalidInputError('body', `is longer than the ${this.#decodedLength} bytes announced in x-amz-decoded-content-length; the stream must yield exactly decodedLength bytes`);
    }
    this.#checksum?.update(data);
    while (data.length > 0) {
      const room = this.chunkSize - this.#pending;
      const piece = data.length <= room ? data : data.subarray(0, room);
      data = data.length <= room ? EMPTY : data.subarray(room);
      // With given digests a chunk is hashed only when none fits it, at its end (its pieces are kept until then).
      if (this.#seed !== undefined && this.#chunkDigest === undefined) (this.#hash ??= createHash('sha256')).update(piece);
      this.#pieces.push(piece);
      this.#pending += piece.length;
      if (this.#pending === this.chunkSize) this.#flushChunk(emit);
    }
  }

  end(emit: Emit): void {
    if (this.#decodedLength !== undefined && this.#total !== this.#decodedLength) {
      throw new InvalidInputError('body', `ended after ${this.#total} bytes, but x-amz-decoded-content-length announced ${this.#decodedLength}; the stream must yield exactly decodedLength bytes`);
    }
    if (this.#pending > 0) this.#flushChunk(emit);
    let tail: string;
    if (this.#seed !== undefined) {
      const last = this.#sign(EMPTY_PAYLOAD_HASH);
      tail = `${this.#lead}0;chunk-signature=${last}${CRLF}`;
      if (this.#checksum !== undefined) {
        const trailer: [string, string] = [checksumHeaderName(this.#checksum.algorithm), this.#checksum.digestBase64()];
        const signed = signature(this.#seed.signingKey, trailerStringToSign(this.#seed, last, [trailer]));
        tail += `${trailer[0]}:${trailer[1]}${CRLF}x-amz-trailer-signature:${signed}${CRLF}`;
      }
    } else {
      tail = `${this.#lead}0${CRLF}`;
      if (this.#checksum !== undefined) tail += `${checksumHeaderName(this.#checksum.algorithm)}:${this.#checksum.digestBase64()}${CRLF}`;
    }
    emit(Buffer.from(`${tail}${CRLF}`, 'latin1'));
  }

  #sign(dataHash: string): string {
    const seed = this.#seed as ChunkSigningContext;
    this.#previousSignature = signature(seed.signingKey, chunkStringToSign(seed, this.#previousSignature, dataHash));
    return this.#previousSignature;
  }

  #flushChunk(emit: Emit): void {
    const size = this.#pending.toString(16);
    let header: string;
    if (this.#seed !== undefined) {
      header = `${this.#lead}${size};chunk-signature=${this.#sign(this.#pendingDigest())}${CRLF}`;
    } else {
      header = `${this.#lead}${size}${CRLF}`;
    }
    emit(Buffer.from(header, 'latin1'));
    // A chunk that arrived in a few pieces goes out as those pieces (no copy); one made of many small
    // pieces is joined once, since passing each tiny piece downstream costs more than copying it.
    if (this.#pieces.length <= MAX_PIECES_PASSED_THROUGH) for (const piece of this.#pieces) emit(piece);
    else emit(Buffer.concat(this.#pieces, this.#pending));
    this.#flushed += this.#pending;
    this.#pieces = [];
    this.#pending = 0;
    this.#lead = CRLF;
  }

  /** The SHA-256 of the chunk being flushed: given by the caller, or computed. */
  #pendingDigest(): string {
    const given = this.#chunkDigest?.(this.#flushed, this.#pending);
    if (typeof given === 'string') return given;
    let hash = this.#hash;
    this.#hash = undefined;
    if (hash === undefined) {
      hash = createHash('sha256');
      for (const piece of this.#pieces) hash.update(piece);
    }
    return hash.digest('hex');
  }
}

const EMPTY = Buffer.alloc(0);
const MAX_PIECES_PASSED_THROUGH = 8;

/**
 * A Transform that encodes the bytes written to it as an `aws-chunked` body: pipe the body in and the
 * encoded body out to the request. Input pieces of any size are re-cut into chunks of exactly
 * `chunkSize` bytes; memory stays at about one chunk. Errors (a wrong length) fail the stream.
 *
 * @param options - the layout (chunk size, signed, checksum), the seed for signed chunks, and the
 *   announced decoded length to check
 * @throws {@link InvalidInputError} at once for bad options
 *
 * @example
 * ```ts
 * import { createReadStream, statSync } from 'node:fs';
 * import { request } from 'node:https';
 * import { pipeline } from 'node:stream/promises';
 * import { chunkSigningSeed, chunkedUploadHeaders, createChunkedEncoder, signRequest } from 'got-aws4auth/signer';
 *
 * const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' };
 * const size = statSync('video.mp4').size;
 * const headers = chunkedUploadHeaders(size, { checksum: 'crc32' });
 * const signed = signRequest(
 *   { method: 'PUT', url: 'https://my-bucket.s3.eu-west-1.amazonaws.com/video.mp4', headers: { ...headers } },
 *   { credentials, region: 'eu-west-1', service: 's3', payloadHash: headers['x-amz-content-sha256'] },
 * );
 * const encoder = createChunkedEncoder({ checksum: 'crc32', seed: chunkSigningSeed(signed, credentials), decodedLength: size });
 * const req = request('https://my-bucket.s3.eu-west-1.amazonaws.com/video.mp4', { method: 'PUT', headers: signed.headers });
 * await pipeline(createReadStream('video.mp4'), encoder, req);
 * ```
 * @category Streaming
 */
export function createChunkedEncoder(options: ChunkedEncoderOptions): Transform {
  const encoding = new ChunkedEncoding(options);
  return encodingTransform(encoding, encoding.chunkSize);
}

function encodingTransform(encoding: BodyEncoding, chunkSize: number): Transform {
  return new Transform({
    // Room for a whole encoded chunk on the way out, so finishing one does not stall the input side.
    readableHighWaterMark: chunkSize + 1024,
    transform(chunk: Buffer, _encoding, callback) {
      try {
        encoding.write(chunk, (bytes) => this.push(bytes));
        callback();
      } catch (error) {
        callback(error as Error);
      }
    },
    flush(callback) {
      try {
        encoding.end((bytes) => this.push(bytes));
        callback();
      } catch (error) {
        callback(error as Error);
      }
    },
  });
}

/**
 * Encodes a body given as an (async) iterable of pieces as an `aws-chunked` body, piece by piece: the
 * generator form of {@link createChunkedEncoder}, e.g. for `fetch`/undici bodies or `Readable.from`.
 *
 * @param source - the body: Buffers, Uint8Arrays or strings (UTF-8), e.g. a Node Readable
 * @param options - as for {@link createChunkedEncoder}
 * @throws {@link InvalidInputError} at the first `next()` for bad options, and when the body's length
 *   differs from `decodedLength`
 *
 * @example
 * ```ts
 * import { encodeChunked } from 'got-aws4auth/signer';
 * const parts: Buffer[] = [];
 * for await (const part of encodeChunked(['hello ', 'world'], { signed: false, checksum: 'crc32' })) parts.push(part);
 * console.log(Buffer.concat(parts).toString()); // 'b\r\nhello world\r\n0\r\nx-amz-checksum-crc32:DUoRhQ==\r\n\r\n'
 * ```
 * @category Streaming
 */
export async function* encodeChunked(
  source: AsyncIterable<Uint8Array | string> | Iterable<Uint8Array | string>,
  options: ChunkedEncoderOptions,
): AsyncGenerator<Buffer, void, undefined> {
  yield* encodeWith(new ChunkedEncoding(options), source);
}

async function* encodeWith(
  encoding: BodyEncoding,
  source: AsyncIterable<Uint8Array | string> | Iterable<Uint8Array | string>,
): AsyncGenerator<Buffer, void, undefined> {
  let out: Buffer[] = [];
  const emit: Emit = (bytes) => out.push(bytes);
  for await (const piece of piecesOf(source)) {
    if (typeof piece === 'string') encoding.write(Buffer.from(piece, 'utf8'), emit);
    else if (piece instanceof Uint8Array) encoding.write(piece, emit);
    else throw new InvalidInputError('body', `must yield Buffers, Uint8Arrays or strings, got ${describeValue(piece)}`);
    if (out.length > 0) {
      const ready = out;
      out = [];
      yield* ready;
    }
  }
  encoding.end(emit);
  yield* out;
}

/**
 * Options of {@link signChunkedUpload}: the layout and the body's length.
 *
 * @example
 * ```ts
 * import type { ChunkedUploadOptions } from 'got-aws4auth/signer';
 * const upload: ChunkedUploadOptions = { decodedLength: 256 * 1024 * 1024, chunkSize: 1024 * 1024, checksum: 'sha256' };
 * ```
 * @category Streaming
 */
export interface ChunkedUploadOptions extends ChunkedLayout {
  /** The body's own length in bytes (`x-amz-decoded-content-length`). */
  readonly decodedLength: number;
}

/**
 * A signed `aws-chunked` upload: the headers to send and a way to encode the body to go with them.
 *
 * @example
 * ```ts
 * import type { ChunkedUpload } from 'got-aws4auth/signer';
 * function describe(upload: ChunkedUpload): string {
 *   return `${upload.signed.headers['content-length']} bytes on the wire`;
 * }
 * ```
 * @category Streaming
 */
export interface ChunkedUpload {
  /** The signed seed request: `signed.headers` are the headers to send, chunked-upload headers included. */
  readonly signed: SignedRequest;
  /**
   * Whether the body is sent `aws-chunked`: always, except for a zero-length body, which is signed and
   * sent as a plain empty body (see {@link signChunkedUpload}).
   */
  readonly chunked: boolean;
  /** The encoded length, as in `signed.headers['content-length']`. */
  readonly contentLength: number;
  /** The body's own length. */
  readonly decodedLength: number;
  /**
   * A new Transform that encodes one body for this request ({@link createChunkedEncoder}); `chunkDigest`
   * supplies chunk hashes the caller already has (see {@link ChunkedEncoderOptions.chunkDigest}).
   */
  createEncoder(chunkDigest?: ChunkedEncoderOptions['chunkDigest']): Transform;
  /** Encodes one body for this request as an async generator ({@link encodeChunked}). */
  encode(source: AsyncIterable<Uint8Array | string> | Iterable<Uint8Array | string>): AsyncGenerator<Buffer, void, undefined>;
}

const UPLOAD_KEYS = ['decodedLength', 'chunkSize', 'signed', 'checksum'] as const;
const ENCODER_KEYS = ['chunkSize', 'signed', 'checksum', 'seed', 'decodedLength', 'chunkDigest'] as const;
const CHUNKED_HEADER_NAMES = new Set(['content-encoding', 'content-length', 'x-amz-content-sha256', 'x-amz-decoded-content-length', 'x-amz-trailer', 'transfer-encoding']);

/**
 * Signs a streamed upload in one step: adds the chunked-upload headers to the request, signs it with the
 * streaming marker as payload hash, and returns the headers to send with encoders bound to the signature.
 * Each encoder encodes one pass over the body; the same signed headers stay valid for another pass over
 * the same bytes (a retry with a fresh stream) while the signature is.
 *
 * A zero-length body (`decodedLength: 0`) is not chunked: it is signed as an empty body with its
 * checksum, if any, in an `x-amz-checksum-…` header, and `chunked` is false. There is nothing to stream,
 * S3 accepts it, and S3-compatible servers such as Ceph RGW 16 refuse a zero-length `aws-chunked` body.
 * The encoders then pass nothing and fail if the stream yields any byte.
 *
 * @param request - method, URL and headers; no `body` (the body is streamed through the encoder). A
 *   `content-encoding` of the body's own (e.g. `gzip`) is kept after `aws-chunked`; `content-length`,
 *   `transfer-encoding` and the other chunked-upload headers are replaced.
 * @param options - the usual signing options; `payloadHash` is set from the layout
 * @param upload - the body's length, chunk size, signed or unsigned chunks, checksum trailer
 * @throws {@link AWS4AuthError} subclasses for bad input, as `signRequest` and {@link chunkedUploadHeaders}
 *
 * @example
 * ```ts
 * import { createReadStream, statSync } from 'node:fs';
 * import { request } from 'node:https';
 * import { pipeline } from 'node:stream/promises';
 * import { signChunkedUpload } from 'got-aws4auth/signer';
 *
 * const url = 'https://my-bucket.s3.eu-west-1.amazonaws.com/backup.tar';
 * const upload = signChunkedUpload(
 *   { method: 'PUT', url, headers: { 'content-type': 'application/x-tar' } },
 *   { credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' },
 *     region: 'eu-west-1', service: 's3' },
 *   { decodedLength: statSync('backup.tar').size, checksum: 'crc32c' },
 * );
 * await pipeline(createReadStream('backup.tar'), upload.createEncoder(), request(url, { method: 'PUT', headers: upload.signed.headers }));
 * ```
 * @category Streaming
 */
export function signChunkedUpload(request: SignableRequest, options: SignOptions, upload: ChunkedUploadOptions): ChunkedUpload {
  return signChunkedSnapshot(checkedRequest(request), options, upload);
}

function signChunkedSnapshot(request: RequestSnapshot, givenOptions: SignOptions, givenUpload: ChunkedUploadOptions): ChunkedUpload {
  // Request, options and credentials are read once, own properties only: the credentials signed with are
  // the ones the chunk seed is derived from.
  if (request.body !== undefined) {
    throw new InvalidInputError('request.body', 'must be absent for a chunked upload: the body is streamed through upload.createEncoder() or upload.encode()');
  }
  if (givenUpload === null || typeof givenUpload !== 'object') throw new InvalidInputError('upload', `must be an object with decodedLength, got ${describeValue(givenUpload)}`);
  const upload = snapshotOwn(givenUpload, UPLOAD_KEYS, 'upload') as ChunkedUploadOptions;
  const options = snapshotSignOptions(givenOptions);
  if (options.algorithm === 'sigv4a') {
    throw new InvalidInputError('options.algorithm', 'must be SigV4 for a chunked upload: chunks are signed with SigV4 (HMAC) here, not SigV4a');
  }
  const credentials = snapshotCredentials(options.credentials);
  const decodedLength = checkedDecodedLength(upload.decodedLength, 'upload.decodedLength');
  const headers: Record<string, HeaderValue | undefined> = {};
  let ownEncoding: string | undefined;
  for (const [name, value] of Object.entries(collectHeaders(request.headers))) {
    if (name === 'content-encoding') ownEncoding = Array.isArray(value) ? value.join(',') : value;
    if (!CHUNKED_HEADER_NAMES.has(name)) headers[name] = value;
  }
  const layout = pickLayout(upload);
  const chunkedHeaders = chunkedUploadHeaders(decodedLength, { ...layout, contentEncoding: ownEncoding });
  const signOptions = { ...options, credentials } as SignOptions;
  if (decodedLength === 0) return signEmptyUpload(request, signOptions, headers, ownEncoding, checkedLayout(layout));
  const signed = signRequest(
    { method: request.method as string, url: request.url as string, headers: { ...headers, ...chunkedHeaders } },
    { ...signOptions, payloadHash: chunkedHeaders['x-amz-content-sha256'] },
  );
  const signingKey = options.signingKey as Uint8Array | undefined;
  const seed = (layout.signed ?? true) ? chunkSigningSeed(signed, signingKey ?? (credentials as { secretAccessKey: string })) : undefined;
  const encoderOptions: ChunkedEncoderOptions = { ...layout, seed, decodedLength };
  return {
    signed,
    chunked: true,
    contentLength: Number(chunkedHeaders['content-length']),
    decodedLength,
    createEncoder: (chunkDigest) => createChunkedEncoder(chunkDigest === undefined ? encoderOptions : { ...encoderOptions, chunkDigest }),
    encode: (source) => encodeChunked(source, encoderOptions),
  };
}

/**
 * A zero-length upload is signed as a plain empty body (with the checksum, if any, as a header): there is
 * nothing to stream, S3 accepts it, and Ceph RGW 16 refuses a zero-length `aws-chunked` body (it treats
 * `x-amz-decoded-content-length: 0` as no payload and compares the streaming marker with the empty hash).
 */
function signEmptyUpload(
  request: RequestSnapshot,
  options: SignOptions,
  headers: Record<string, HeaderValue | undefined>,
  ownEncoding: string | undefined,
  layout: ResolvedLayout,
): ChunkedUpload {
  const plain: Record<string, HeaderValue | undefined> = { ...headers, 'content-length': '0' };
  if (ownEncoding !== undefined) plain['content-encoding'] = ownEncoding;
  if (layout.checksum !== undefined) plain[checksumHeaderName(layout.checksum)] = createChecksum(layout.checksum).digestBase64();
  const signed = signRequest({ method: request.method as string, url: request.url as string, headers: plain }, { ...options, payloadHash: EMPTY_PAYLOAD_HASH });
  return {
    signed,
    chunked: false,
    contentLength: 0,
    decodedLength: 0,
    createEncoder: () => encodingTransform(new EmptyBody(), 0),
    encode: (source) => encodeWith(new EmptyBody(), source),
  };
}

function pickLayout(layout: ChunkedLayout): ChunkedLayout {
  return { chunkSize: layout.chunkSize, signed: layout.signed, checksum: layout.checksum };
}
