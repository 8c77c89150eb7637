/**
 * Payload hashes: the hex SHA-256 of the exact bytes sent, or one of the markers S3 accepts instead.
 *
 * @module
 */
import { createHash } from 'node:crypto';
import { types } from 'node:util';
import { sha256Hex } from './sha256.js';
import { InvalidInputError, describeValue } from './errors.js';
import type { SignableBody } from './types.js';

/**
 * SHA-256 of the empty string, the payload hash of every bodiless request.
 *
 * @example
 * ```ts
 * import { EMPTY_PAYLOAD_HASH, hashPayload } from 'got-aws4auth/signer';
 * hashPayload(undefined) === EMPTY_PAYLOAD_HASH; // true
 * hashPayload('') === EMPTY_PAYLOAD_HASH; // true
 * ```
 * @category Signer
 */
export const EMPTY_PAYLOAD_HASH = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

/**
 * The payload hash that tells S3 the body is not signed.
 *
 * @example
 * ```ts
 * import { UNSIGNED_PAYLOAD, signRequest, type SigningCredentials } from 'got-aws4auth/signer';
 * declare const credentials: SigningCredentials;
 * // A 1 GiB S3 upload over HTTPS, signed without hashing its bytes first
 * const signed = signRequest(
 *   { method: 'PUT', url: 'https://my-bucket.s3.eu-west-1.amazonaws.com/backup.tar', headers: { 'content-length': 1073741824 } },
 *   { credentials, region: 'eu-west-1', service: 's3', payloadHash: UNSIGNED_PAYLOAD },
 * );
 * signed.headers['x-amz-content-sha256']; // 'UNSIGNED-PAYLOAD'
 * ```
 * @category Signer
 */
export const UNSIGNED_PAYLOAD = 'UNSIGNED-PAYLOAD';

const ONE_SHOT_LIMIT = 64 * 1024;
const PAYLOAD_HASH = /^(?:[0-9a-f]{64}|UNSIGNED-PAYLOAD|STREAMING-[A-Z0-9-]+)$/;

/**
 * Hashes a body: strings as UTF-8, binary as given.
 *
 * @example
 * ```ts
 * import { hashPayload } from 'got-aws4auth/signer';
 * hashPayload('Param1=value1'); // '9095672bbd1f56dfc5b65f3e153adc8731a4a654192329106275f4c7b24d0b6e'
 * ```
 * @category Signer
 */
export function hashPayload(body: SignableBody | undefined): string {
  if (body === undefined || body === null) return EMPTY_PAYLOAD_HASH;
  let data: string | Uint8Array;
  // Brand checks (internal slots), not instanceof: a Proxy of a Buffer passes instanceof and then fails in
  // node:crypto with an untyped error.
  if (typeof body === 'string' || types.isUint8Array(body)) data = body;
  else if (types.isArrayBuffer(body)) data = new Uint8Array(body);
  else if (ArrayBuffer.isView(body)) {
    const view = body as ArrayBufferView;
    data = new Uint8Array(view.buffer, view.byteOffset, view.byteLength);
  } else {
    throw new InvalidInputError(
      'request.body',
      `must be a string, Uint8Array/Buffer or ArrayBuffer, got ${describeValue(body)}; for streams pass options.payloadHash (e.g. "UNSIGNED-PAYLOAD" for S3) instead`,
    );
  }
  if (data.length === 0) return EMPTY_PAYLOAD_HASH;
  // Small bodies (JSON, forms) are hashed in one shot, which creates no Hash object (one costs a signed
  // got request several percent in garbage collection); large ones stream through a Hash object.
  return data.length <= ONE_SHOT_LIMIT ? sha256Hex(data) : createHash('sha256').update(data).digest('hex');
}

/**
 * Checks a caller-supplied payload hash: 64 lower-case hex digits, `UNSIGNED-PAYLOAD` or a `STREAMING-…` marker.
 *
 * @internal
 */
export function checkPayloadHash(value: unknown, field: string): string {
  if (typeof value !== 'string' || !PAYLOAD_HASH.test(value)) {
    throw new InvalidInputError(
      field,
      `must be a lower-case hex SHA-256 (64 characters), "UNSIGNED-PAYLOAD" or a "STREAMING-…" marker, got ${describeValue(value)}`,
    );
  }
  return value;
}
