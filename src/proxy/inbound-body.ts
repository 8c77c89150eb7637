/**
 * The inbound body as decoded bytes, and what is known about it: its declared length, the client's hash
 * of a plain body, and whether it came `aws-chunked` (then it runs through the verifying decoder, which
 * fails the stream before passing on a byte that makes the body invalid).
 *
 * @module
 */
import type { IncomingMessage } from 'node:http';
import { Readable } from 'node:stream';
import type { InboundBody } from './body-plan.js';
import { ProxyRefusal } from './refusal.js';
import type { ChunkedVerification } from './client-auth.js';
import { chunkedDecoder } from './chunked-body.js';
import { ChunkDigestRelay } from './chunk-digests.js';
import { checkedBodyHash, enforceSignedBody, signedBodyHash } from './signed-body.js';

const HEX_SHA256 = /^[0-9a-f]{64}$/;
const ignore = (): void => undefined;
const DIGITS = /^\d{1,15}$/;

/**
 * The decoded body and its description.
 * @category Proxy
 */
export interface DecodedInbound extends InboundBody {
  readonly source: Readable;
  /** A verified signed aws-chunked body: its chunks' SHA-256 digests, for the encoder to reuse. */
  readonly digests?: ChunkDigestRelay | undefined;
}

function declaredLength(value: string | undefined, header: string): number | undefined {
  if (value === undefined) return undefined;
  if (!DIGITS.test(value)) throw new ProxyRefusal(400, 'InvalidArgument', `${header} must be a whole number of bytes.`);
  return Number(value);
}

/** A header that must appear once. */
function single(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  if (Array.isArray(value)) throw new ProxyRefusal(400, 'InvalidArgument', `${name} must be sent once.`);
  return value;
}

function isAwsChunked(req: IncomingMessage, marker: string | undefined): boolean {
  if (marker?.startsWith('STREAMING-') === true) return true;
  const encoding = req.headers['content-encoding'];
  return encoding !== undefined && encoding.split(',').some((t) => t.trim().toLowerCase() === 'aws-chunked');
}

/**
 * Describes the inbound body and returns its decoded bytes.
 *
 * @param verification - how to check chunk signatures (with client keys), or undefined to decode only
 * @param preread - the body, when it had to be read to verify the request
 * @throws {@link ProxyRefusal} for a length that is not a number, or an aws-chunked body without its marker
 * @category Proxy
 */
export function decodeInbound(req: IncomingMessage, verification: ChunkedVerification | undefined, preread?: Buffer): DecodedInbound {
  const signed = signedBodyHash(verification);
  if (preread !== undefined) return { source: Readable.from([preread]), length: preread.length, clientHash: checkedBodyHash(preread, signed), chunked: false };
  const marker = single(req, 'x-amz-content-sha256');
  const hasTransferEncoding = req.headers['transfer-encoding'] !== undefined;
  const wireLength = hasTransferEncoding ? undefined : (declaredLength(req.headers['content-length'], 'Content-Length') ?? 0);
  if (!isAwsChunked(req, marker)) {
    const clientHash = signed ?? (marker !== undefined && HEX_SHA256.test(marker) ? marker : undefined);
    return { source: enforceSignedBody(req, signed, wireLength), length: wireLength, clientHash, chunked: false };
  }
  if (marker === undefined || !marker.startsWith('STREAMING-')) {
    throw new ProxyRefusal(400, 'InvalidRequest', 'An aws-chunked body needs x-amz-content-sha256 set to its STREAMING-… marker.');
  }
  const length = declaredLength(single(req, 'x-amz-decoded-content-length'), 'x-amz-decoded-content-length');
  const digests = verification !== undefined ? new ChunkDigestRelay() : undefined;
  const source = req.pipe(chunkedDecoder(marker, req.headers, length, verification, digests));
  req.once('error', (error) => source.destroy(error));
  // The consumer (a pipeline, or an iterator) reads the stored error when it attaches or is already
  // attached; a decoder that fails before that, or after an early upstream answer ended the exchange, must
  // not become an uncaught 'error' event.
  source.on('error', ignore);
  return { source, length, clientHash: undefined, chunked: true, digests };
}
