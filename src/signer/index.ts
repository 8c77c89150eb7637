/**
 * The SigV4 and SigV4a signer core: synchronous, pure (apart from bounded key caches) and free of got and
 * the AWS SDK, so it can be imported on its own as `got-aws4auth/signer`.
 *
 * @packageDocumentation
 * @module got-aws4auth/signer
 * @category API reference
 */
export { signRequest } from './sign-headers.js';
export { presignUrl, presignRequest, MAX_PRESIGN_EXPIRY_SECONDS, type PresignedUrl } from './presign.js';
export { deriveSigningKey, clearSigningKeyCache } from './signing-key.js';
export { clearSignerCaches } from './memo.js';
export { hashPayload, EMPTY_PAYLOAD_HASH, UNSIGNED_PAYLOAD } from './payload-hash.js';
export { toAmzDate, parseAmzDate } from './amz-date.js';
export { parseHttpDate } from './request-date.js';
export { canonicalPath, type PathRules } from './canonical-path.js';
export { canonicalQuery, encodedQueryPairs, type EncodedPair } from './canonical-query.js';
export { DEFAULT_UNSIGNED_HEADERS, foldHeaderValue } from './canonical-headers.js';
export { isS3Service, rulesFor, type ServiceRules } from './service-rules.js';
export { ALGORITHM } from './string-to-sign.js';
export { SIGV4A_ALGORITHM, verifySigV4a, type SigV4aPublicKey } from './sigv4a.js';
export { deriveSigV4aPublicKey, clearSigV4aKeyCache } from './sigv4a-key.js';
export {
  AWS4AuthError,
  InvalidInputError,
  InvalidUrlError,
  InvalidHeaderError,
  InvalidCredentialsError,
  InvalidDateError,
  InvalidExpiryError,
  AWS4AUTH_ERROR_CHANNEL,
  onAWS4AuthError,
  type AWS4AuthErrorCode,
} from './errors.js';
export type {
  SigningCredentials,
  HeaderValue,
  SignableBody,
  SignableRequest,
  SignOptions,
  BaseSignOptions,
  SigV4SignOptions,
  SigV4aSignOptions,
  PresignOptions,
  SignedRequest,
  SignerChoices,
} from './types.js';
export { StreamRetryError } from './errors.js';
export {
  STREAMING_PAYLOAD,
  STREAMING_PAYLOAD_TRAILER,
  STREAMING_UNSIGNED_PAYLOAD_TRAILER,
  chunkSignature,
  trailerSignature,
  chunkSigningSeed,
  streamingPayloadHash,
  chunkedUploadHeaders,
  createChunkedEncoder,
  encodeChunked,
  signChunkedUpload,
  type ChunkSigningContext,
  type ChunkSigningSeed,
  type ChunkedUploadHeaders,
  type ChunkedHeaderOptions,
  type ChunkedEncoderOptions,
  type ChunkedUploadOptions,
  type ChunkedUpload,
} from './chunked.js';
export { chunkedContentLength, DEFAULT_CHUNK_SIZE, MIN_CHUNK_SIZE, type ChunkedLayout } from './chunked-length.js';
export {
  createChecksum,
  checksumHeaderName,
  checksumBase64Length,
  CHECKSUM_ALGORITHMS,
  type ChecksumAlgorithm,
  type StreamingChecksum,
} from './checksums.js';
export { verifySigV4, createSigV4Verifier } from './verify.js';
export type { VerifiableRequest, VerifyOptions } from './verify-input.js';
export type { VerifyResult, VerifiedSigV4, VerifyFailure, VerifyFailureReason, SigV4AuthMode } from './verify-result.js';
export { createChunkedDecoder, decodeChunked, ChunkedDecoder, DEFAULT_MAX_DECODED_CHUNK_SIZE, type ChunkedDecoderOptions } from './chunked-decoder.js';
export { ChunkedBodyError, type ChunkedBodyReason } from './verify-chunked-error.js';
