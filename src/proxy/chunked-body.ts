/**
 * The decoder for an inbound aws-chunked body: the signer's verifying decoder whenever it can verify
 * (a trailer-only unsigned body, or a signed body from a client whose key the proxy holds), else, for a
 * signed body without client keys, the framing-only decoder (the client's chunk signatures were made with
 * a key the proxy does not have). Both fail with a typed `ChunkedBodyError` before passing on a byte that
 * makes the body invalid.
 *
 * @module
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { Transform } from 'node:stream';
import { createChunkedDecoder } from '../signer/chunked-decoder.js';
import { STREAMING_PAYLOAD, STREAMING_PAYLOAD_TRAILER, STREAMING_UNSIGNED_PAYLOAD_TRAILER } from '../signer/chunked.js';
import { ProxyRefusal } from './refusal.js';
import { CHECKSUM_ALGORITHMS, type ChecksumAlgorithm } from '../signer/checksums.js';
import { ChunkedBodyError } from '../signer/verify-chunked-error.js';
import type { ChunkedVerification } from './client-auth.js';
import { createUnverifiedChunkDecoder, type UnverifiedTrailer } from './unverified-chunks.js';

function announcedTrailer(marker: string, header: string | string[] | undefined): UnverifiedTrailer | undefined {
  if (!marker.endsWith('-TRAILER')) {
    if (header !== undefined) throw new ChunkedBodyError('malformed-trailer', 'announces a trailer, but the payload marker has none', { field: 'request.headers["x-amz-trailer"]' });
    return undefined;
  }
  if (typeof header !== 'string') throw new ChunkedBodyError('missing-trailer', 'must name the one checksum trailer, e.g. x-amz-checksum-crc32', { field: 'request.headers["x-amz-trailer"]' });
  const name = header.trim().toLowerCase();
  const algorithm = name.slice('x-amz-checksum-'.length) as ChecksumAlgorithm;
  if (!name.startsWith('x-amz-checksum-') || !CHECKSUM_ALGORITHMS.includes(algorithm)) {
    throw new ChunkedBodyError('unsupported-checksum', `names a checksum this proxy cannot verify; use one of ${CHECKSUM_ALGORITHMS.map((a) => `x-amz-checksum-${a}`).join(', ')}`, { field: 'request.headers["x-amz-trailer"]' });
  }
  return { name, algorithm };
}

/** A Transform from the aws-chunked wire bytes to the decoded body. */
export function chunkedDecoder(marker: string, headers: IncomingHttpHeaders, length: number | undefined, verification: ChunkedVerification | undefined): Transform {
  const trailer = headers['x-amz-trailer'];
  if (verification !== undefined || marker === STREAMING_UNSIGNED_PAYLOAD_TRAILER) {
    return createChunkedDecoder({ payloadHash: marker, seed: verification, trailer, decodedLength: length });
  }
  if (marker !== STREAMING_PAYLOAD && marker !== STREAMING_PAYLOAD_TRAILER) {
    throw new ProxyRefusal(400, 'InvalidArgument', `x-amz-content-sha256 ${JSON.stringify(marker)} is not an aws-chunked layout this proxy decodes (${STREAMING_PAYLOAD}, ${STREAMING_PAYLOAD_TRAILER} or ${STREAMING_UNSIGNED_PAYLOAD_TRAILER}).`);
  }
  return createUnverifiedChunkDecoder(announcedTrailer(marker, trailer), length);
}
