/**
 * The one place that decides which body a verified client signed, and makes sure the proxy forwards
 * exactly that body. A client-key signature covers the body through its payload hash: the
 * `x-amz-content-sha256` value, or (outside S3, without that header, also for a presigned URL) the hash of
 * the body the verifier read. Any hex hash is a claim the proxy must check itself before it re-signs,
 * because the upstream only ever sees the proxy's own signature over whatever was forwarded.
 * `UNSIGNED-PAYLOAD` and `STREAMING-UNSIGNED-PAYLOAD-TRAILER` are the client's explicit choice not to sign
 * the body; signed aws-chunked bodies are checked chunk by chunk by the decoder.
 *
 * A streamed body is hashed as it passes and its last piece is held back until the hash matched, so a
 * swapped body never completes upstream: the upstream request is destroyed by the failing stream.
 *
 * @module
 */
import { createHash, type Hash } from 'node:crypto';
import { Transform, type Readable, type TransformCallback } from 'node:stream';
import { EMPTY_PAYLOAD_HASH, hashPayload } from '../signer/payload-hash.js';
import type { ChunkedVerification } from './client-auth.js';
import { ProxyRefusal } from './refusal.js';

const HEX_SHA256 = /^[0-9a-f]{64}$/;
const ignore = (): void => undefined;

/** The refusal S3 answers for a body that is not the one whose hash was signed. */
function mismatch(): ProxyRefusal {
  return new ProxyRefusal(
    400,
    'XAmzContentSHA256Mismatch',
    'The body is not the one whose SHA-256 the client signed: send the body the signature was made for, or sign UNSIGNED-PAYLOAD.',
  );
}

/**
 * The SHA-256 (hex) of the body the verified client signed, or undefined when it signed no body hash.
 * @category Proxy
 */
export function signedBodyHash(verification: ChunkedVerification | undefined): string | undefined {
  const hash = verification?.payloadHash;
  return hash !== undefined && HEX_SHA256.test(hash) ? hash : undefined;
}

/**
 * The hash of a body already in memory, refused unless it is the signed one.
 *
 * @throws {@link ProxyRefusal} 400 `XAmzContentSHA256Mismatch`
 * @category Proxy
 */
export function checkedBodyHash(body: Buffer | undefined, signed: string | undefined): string {
  const hash = hashPayload(body);
  if (signed !== undefined && hash !== signed) throw mismatch();
  return hash;
}

/** Passes a body through, hashing it, and holds the last piece back until the hash matched. */
class SignedBodyCheck extends Transform {
  readonly #signed: string;
  readonly #hash: Hash = createHash('sha256');
  #held: Buffer | undefined;

  constructor(signed: string) {
    super();
    this.#signed = signed;
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.#hash.update(chunk);
    const previous = this.#held;
    this.#held = chunk;
    callback(null, previous);
  }

  override _flush(callback: TransformCallback): void {
    if (this.#hash.digest('hex') !== this.#signed) callback(mismatch());
    else callback(null, this.#held);
  }
}

/**
 * The streamed body, checked against the signed hash: it fails (with 400 `XAmzContentSHA256Mismatch`)
 * instead of passing on its last bytes when the body is not the signed one. Without a signed hash the
 * source itself.
 * @category Proxy
 */
export function enforceSignedBody(source: Readable, signed: string | undefined, declaredLength: number | undefined): Readable {
  if (signed === undefined) return source;
  // A body declared empty is never read by the plan that sends it: decide now.
  if (declaredLength === 0) {
    if (signed !== EMPTY_PAYLOAD_HASH) throw mismatch();
    return source;
  }
  const checked = new SignedBodyCheck(signed);
  source.once('error', (error) => checked.destroy(error));
  // As with the chunk decoder: the consumer reads the stored error; an early one must not go uncaught.
  checked.on('error', ignore);
  return source.pipe(checked);
}
