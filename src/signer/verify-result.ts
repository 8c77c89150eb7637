/**
 * What {@link verifySigV4} answers: a verified request with the parts a server or proxy needs next, or a
 * failure with a closed `reason`, the AWS error code and HTTP status S3 answers with, and a message that is
 * safe to send back (it never holds a secret, a signing key or the expected signature).
 *
 * @module
 */
import type { ChunkSigningSeed } from './chunked.js';

/**
 * Why a request failed verification. One value per thing a client can get wrong:
 *
 * | reason | meaning | `awsCode` (status) |
 * |---|---|---|
 * | `missing` | no SigV4 auth at all (no `Authorization` header, no `X-Amz-Signature` query) | `AccessDenied` (403) |
 * | `ambiguous` | both header and query auth | `InvalidArgument` (400) |
 * | `malformed` | auth present but unreadable, a signed header absent, a part that cannot be canonicalised | `AuthorizationHeaderMalformed` / `AuthorizationQueryParametersError` (400) |
 * | `unsupported-algorithm` | not `AWS4-HMAC-SHA256` (SigV2, SigV4a, ...) | `InvalidArgument` / `AuthorizationQueryParametersError` (400) |
 * | `scope-mismatch` | service or region not the expected one, or scope date not the request date | `AuthorizationHeaderMalformed` / `AuthorizationQueryParametersError` (400) |
 * | `unsigned-header-required` | `host`, the date header or an `x-amz-*` header is present but not signed | `AccessDenied` (403) |
 * | `invalid-payload-hash` | `x-amz-content-sha256` missing (S3 header auth) or not a hash or marker | `InvalidRequest` / `InvalidArgument` (400) |
 * | `unknown-access-key` | no secret for the access key id | `InvalidAccessKeyId` (403) |
 * | `clock-skew` | request time too far from now | `RequestTimeTooSkewed` (header) / `AccessDenied` (query, not yet valid) (403) |
 * | `request-expired` | presigned URL past `X-Amz-Date + X-Amz-Expires` | `AccessDenied` (403) |
 * | `signature-mismatch` | the signature is not the one the secret gives | `SignatureDoesNotMatch` (403) |
 *
 * @example
 * ```ts
 * import type { VerifyFailureReason } from 'got-aws4auth/signer';
 * const retryable: VerifyFailureReason[] = ['clock-skew', 'request-expired'];
 * ```
 * @category Verifying
 */
export type VerifyFailureReason =
  | 'missing'
  | 'ambiguous'
  | 'malformed'
  | 'unsupported-algorithm'
  | 'scope-mismatch'
  | 'unsigned-header-required'
  | 'invalid-payload-hash'
  | 'unknown-access-key'
  | 'clock-skew'
  | 'request-expired'
  | 'signature-mismatch';

/**
 * Where the signature was: the `Authorization` header, or the query string of a presigned URL.
 *
 * @example
 * ```ts
 * import type { SigV4AuthMode } from 'got-aws4auth/signer';
 * const mode: SigV4AuthMode = 'query';
 * ```
 * @category Verifying
 */
export type SigV4AuthMode = 'header' | 'query';

/**
 * A request that verified. It is a {@link ChunkSigningSeed}, so it can be passed as the `seed` of
 * `createChunkedDecoder` to verify the chunk signatures of an `aws-chunked` body. `signingKey` and
 * `seedSignature` are not enumerable: `JSON.stringify` and `util.inspect` do not show them.
 *
 * @example
 * ```ts
 * import type { VerifiedSigV4 } from 'got-aws4auth/signer';
 * function describe(verified: VerifiedSigV4): string {
 *   return `${verified.mode} auth by ${verified.accessKeyId} for ${verified.service} in ${verified.region}`;
 * }
 * ```
 * @category Verifying
 */
export interface VerifiedSigV4 extends ChunkSigningSeed {
  /** Always `true`: the request verified (the union's tag). */
  readonly ok: true;
  /** Header or query (presigned) auth. */
  readonly mode: SigV4AuthMode;
  /** The access key id of the `Credential`. */
  readonly accessKeyId: string;
  /** The region of the credential scope. */
  readonly region: string;
  /** The service of the credential scope. */
  readonly service: string;
  /** The signing time, `YYYYMMDDTHHMMSSZ` (also for a request dated by its `Date` header). */
  readonly amzDate: string;
  /** The signing time. */
  readonly date: Date;
  /** `YYYYMMDD/region/service/aws4_request`. */
  readonly credentialScope: string;
  /** The signed header names, lower case, sorted. */
  readonly signedHeaders: readonly string[];
  /**
   * The payload hash that was signed: the `x-amz-content-sha256` value (a hex SHA-256, `UNSIGNED-PAYLOAD` or a
   * `STREAMING-…` marker), the hash of `request.body` when the header is absent, or for a presigned S3 URL
   * `UNSIGNED-PAYLOAD`. A hex hash is only a claim about the body, which is not read here: check it while
   * the body streams.
   */
  readonly payloadHash: string;
  /** For a presigned URL: when it stops being valid. */
  readonly expiresAt: Date | undefined;
  /** The request's signature, the seed of its chunk signatures (not enumerable). */
  readonly seedSignature: string;
  /** The derived SigV4 signing key (not enumerable; never print it). */
  readonly signingKey: Uint8Array;
}

/**
 * A request that did not verify, with what to answer.
 *
 * @example
 * ```ts
 * import type { VerifyFailure } from 'got-aws4auth/signer';
 * function errorXml(failure: VerifyFailure): string {
 *   return `<?xml version="1.0" encoding="UTF-8"?><Error><Code>${failure.awsCode}</Code><Message>${failure.message}</Message></Error>`;
 * }
 * ```
 * @category Verifying
 */
export interface VerifyFailure {
  /** Always `false`: the request did not verify (the union's tag). */
  readonly ok: false;
  /** Why, as a closed union. */
  readonly reason: VerifyFailureReason;
  /** The S3-style error code to answer with, e.g. `SignatureDoesNotMatch`. */
  readonly awsCode: string;
  /** The HTTP status to answer with: 400 or 403. */
  readonly status: 400 | 403;
  /** What was wrong and what to do; never a secret or a signature, safe to send back. */
  readonly message: string;
  /** The auth mode, when it was recognised. */
  readonly mode: SigV4AuthMode | undefined;
  /** The access key id, when it was read. */
  readonly accessKeyId: string | undefined;
  /**
   * For `signature-mismatch`: the string to sign computed here (algorithm, time, scope and the hash of the
   * canonical request; nothing secret), as S3 returns it in `StringToSign`, for the client to compare.
   */
  readonly stringToSign?: string | undefined;
}

/**
 * The result of {@link verifySigV4}: branch on `ok`.
 *
 * @example
 * ```ts
 * import type { VerifyResult } from 'got-aws4auth/signer';
 * declare const result: VerifyResult;
 * if (result.ok) console.log(result.accessKeyId);
 * else console.log(result.status, result.awsCode, result.reason);
 * ```
 * @category Verifying
 */
export type VerifyResult = VerifiedSigV4 | VerifyFailure;

const CODES: Readonly<Record<VerifyFailureReason, readonly [header: string, query: string, status: 400 | 403]>> = {
  missing: ['AccessDenied', 'AccessDenied', 403],
  ambiguous: ['InvalidArgument', 'InvalidArgument', 400],
  malformed: ['AuthorizationHeaderMalformed', 'AuthorizationQueryParametersError', 400],
  'unsupported-algorithm': ['InvalidArgument', 'AuthorizationQueryParametersError', 400],
  'scope-mismatch': ['AuthorizationHeaderMalformed', 'AuthorizationQueryParametersError', 400],
  'unsigned-header-required': ['AccessDenied', 'AccessDenied', 403],
  'invalid-payload-hash': ['InvalidArgument', 'InvalidArgument', 400],
  'unknown-access-key': ['InvalidAccessKeyId', 'InvalidAccessKeyId', 403],
  'clock-skew': ['RequestTimeTooSkewed', 'AccessDenied', 403],
  'request-expired': ['AccessDenied', 'AccessDenied', 403],
  'signature-mismatch': ['SignatureDoesNotMatch', 'SignatureDoesNotMatch', 403],
};

/**
 * Builds a failure, with the code and status S3 answers for `reason` in `mode`.
 *
 * @internal
 */
export function verifyFailure(
  reason: VerifyFailureReason,
  mode: SigV4AuthMode | undefined,
  message: string,
  extra: { accessKeyId?: string | undefined; awsCode?: string; stringToSign?: string } = {},
): VerifyFailure {
  const [headerCode, queryCode, status] = CODES[reason];
  return {
    ok: false,
    reason,
    awsCode: extra.awsCode ?? (mode === 'query' ? queryCode : headerCode),
    status,
    message,
    mode,
    accessKeyId: extra.accessKeyId,
    ...(extra.stringToSign === undefined ? {} : { stringToSign: extra.stringToSign }),
  };
}

/**
 * Builds a success; the signing key and the signature are defined as non-enumerable properties.
 *
 * @internal
 */
export function verifiedSigV4(
  visible: Omit<VerifiedSigV4, 'ok' | 'signingKey' | 'seedSignature'>,
  signingKey: Uint8Array,
  seedSignature: string,
): VerifiedSigV4 {
  const result = { ok: true as const, ...visible };
  Object.defineProperty(result, 'signingKey', { value: signingKey, enumerable: false });
  Object.defineProperty(result, 'seedSignature', { value: seedSignature, enumerable: false });
  return result as VerifiedSigV4;
}
