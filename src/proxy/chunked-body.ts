/**
 * The decoder for an inbound aws-chunked body: the signer's verifying decoder, checking every chunk
 * signature against the client key when the proxy holds it (client keys), and otherwise reading signed
 * framing without checking signatures (the client signed with a key the proxy does not have) while still
 * checking the framing, the declared length and the checksum trailer. It fails with a typed
 * `ChunkedBodyError` before passing on a byte that makes the body invalid, and holds the last byte back
 * until the whole body checked out.
 *
 * @module
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { Transform } from 'node:stream';
import { createChunkedDecoder } from '../signer/chunked-decoder.js';
import type { ChunkedVerification } from './client-auth.js';
import type { ChunkDigestRelay } from './chunk-digests.js';

/**
 * A Transform from the aws-chunked wire bytes to the decoded body.
 * @category Proxy
 */
export function chunkedDecoder(
  marker: string,
  headers: IncomingHttpHeaders,
  length: number | undefined,
  verification: ChunkedVerification | undefined,
  digests: ChunkDigestRelay | undefined,
): Transform {
  return createChunkedDecoder({
    payloadHash: marker,
    seed: verification,
    verifySignatures: verification !== undefined,
    trailer: headers['x-amz-trailer'],
    decodedLength: length,
    onChunkDigest: digests === undefined ? undefined : digests.record.bind(digests),
  });
}
