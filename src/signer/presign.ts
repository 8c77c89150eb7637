/**
 * Query-string signing (presigned URLs): the `X-Amz-*` parameters join the query before the canonical
 * request is built, the payload is `UNSIGNED-PAYLOAD` for S3, and the signature is appended last.
 *
 * @module
 */
import { InvalidExpiryError } from './errors.js';
import { urlView } from './request-view.js';
import { canonicalPath } from './canonical-path.js';
import { canonicalQuery, encodedQueryPairs, type EncodedPair } from './canonical-query.js';
import { canonicalHeaders, collectHeaders, ownHeader, removeHeader } from './canonical-headers.js';
import { canonicalRequest } from './canonical-request.js';
import { hashPayload, UNSIGNED_PAYLOAD } from './payload-hash.js';
import { resolveOptions } from './resolve-options.js';
import { uriEncode, uriRecode } from './uri-encode.js';
import { checkedMethod, checkedRequest, signCanonicalRequest, type RequestSnapshot } from './sign-headers.js';
import type { PresignOptions, SignableBody, SignableRequest } from './types.js';

/**
 * The path of an S3 presigned URL: each segment encoded exactly once, so a slash the caller encoded
 * (`..%2Fkey`) stays encoded and no URL parser resolves it as a dot segment. S3 decodes it, so the
 * signature, computed over the decoded key, still matches.
 */
function s3WirePath(path: string): string {
  if (path === '') return '/';
  return path.split('/').map((segment) => uriRecode(segment, false, 'request.url (path)')).join('/');
}

/**
 * The longest validity SigV4 allows a presigned URL: seven days.
 *
 * @example
 * ```ts
 * import { MAX_PRESIGN_EXPIRY_SECONDS, presignUrl, type SigningCredentials } from 'got-aws4auth/signer';
 * declare const credentials: SigningCredentials;
 * declare const requestedSeconds: number;
 * // Clamp a user-chosen validity to what SigV4 allows (seven days)
 * const expiresIn = Math.min(requestedSeconds, MAX_PRESIGN_EXPIRY_SECONDS);
 * presignUrl({ method: 'GET', url: 'https://my-bucket.s3.eu-west-1.amazonaws.com/report.csv' }, { credentials, region: 'eu-west-1', service: 's3', expiresIn });
 * ```
 * @category Presigning
 */
export const MAX_PRESIGN_EXPIRY_SECONDS = 604_800;

const AUTH_QUERY_KEYS = new Set([
  'X-Amz-Algorithm',
  'X-Amz-Credential',
  'X-Amz-Date',
  'X-Amz-Expires',
  'X-Amz-SignedHeaders',
  'X-Amz-Signature',
  'X-Amz-Security-Token',
]);
const SIGV4A_AUTH_QUERY_KEYS = new Set([...AUTH_QUERY_KEYS, 'X-Amz-Region-Set']);

/**
 * The parts of a presigned URL, for callers that want more than the URL string.
 *
 * @example
 * ```ts
 * import { presignRequest, type PresignedUrl, type SigningCredentials } from 'got-aws4auth/signer';
 * declare const credentials: SigningCredentials;
 * const presigned: PresignedUrl = presignRequest(
 *   { method: 'GET', url: 'https://my-bucket.s3.eu-west-1.amazonaws.com/report.csv' },
 *   { credentials, region: 'eu-west-1', service: 's3', expiresIn: 3600 },
 * );
 * console.log(presigned.url);
 * console.debug(presigned.canonicalRequest, presigned.stringToSign); // for a SignatureDoesNotMatch
 * ```
 * @category Presigning
 */
export interface PresignedUrl {
  /** The URL to hand out. */
  readonly url: string;
  /** The canonical request that was signed. */
  readonly canonicalRequest: string;
  /** The string to sign. */
  readonly stringToSign: string;
  /** The hex signature (DER-encoded ECDSA for SigV4a). */
  readonly signature: string;
  /** The `;`-joined signed header names (at least `host`). */
  readonly signedHeaders: string;
}

/**
 * Presigns a request and returns every part of the result.
 *
 * @example
 * ```ts
 * import { presignRequest } from 'got-aws4auth/signer';
 * const { url, signedHeaders } = presignRequest(
 *   { method: 'GET', url: 'https://my-bucket.s3.eu-west-1.amazonaws.com/report.csv' },
 *   { credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' },
 *     region: 'eu-west-1', service: 's3', expiresIn: 3600 },
 * );
 * console.log(url, signedHeaders); // signedHeaders === 'host'
 * ```
 *
 * @example SigV4a: the URL carries X-Amz-Region-Set and works in every region listed
 * ```ts
 * import { presignRequest } from 'got-aws4auth/signer';
 * const { url } = presignRequest(
 *   { method: 'GET', url: 'https://mfzwi23gnjvgw.mrap.accesspoint.s3-global.amazonaws.com/report.csv' },
 *   { credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' },
 *     service: 's3', algorithm: 'sigv4a', regionSet: ['us-east-1', 'eu-west-1'], expiresIn: 3600 },
 * );
 * console.log(url); // …&X-Amz-Region-Set=us-east-1%2Ceu-west-1&…&X-Amz-Signature=3045…
 * ```
 * @category Presigning
 */
export function presignRequest(request: SignableRequest, options: PresignOptions): PresignedUrl {
  return presignSnapshot(checkedRequest(request), options);
}

function presignSnapshot(request: RequestSnapshot, options: PresignOptions): PresignedUrl {
  const resolved = resolveOptions(options);
  const expiresIn = resolved.expiresIn;
  if (typeof expiresIn !== 'number' || !Number.isInteger(expiresIn) || expiresIn < 1 || expiresIn > MAX_PRESIGN_EXPIRY_SECONDS) {
    throw new InvalidExpiryError(expiresIn);
  }
  const method = checkedMethod(request.method);
  const view = urlView(request.url);
  const headers = collectHeaders(request.headers);
  for (const name of ['authorization', 'x-amz-date', 'x-amz-content-sha256', 'x-amz-security-token']) removeHeader(headers, name);
  if (ownHeader(headers, 'host') === undefined) headers.host = view.host;

  const signedNames: string[] = [];
  for (const name of Object.keys(headers)) if (name === 'host' || resolved.selectHeader(name)) signedNames.push(name);
  const { canonical, signedHeaders } = canonicalHeaders(headers, signedNames);

  const v4a = resolved.sigV4a;
  const authKeys = v4a === undefined ? AUTH_QUERY_KEYS : SIGV4A_AUTH_QUERY_KEYS;
  const pairs: EncodedPair[] = encodedQueryPairs(view.query).filter(([key]) => !authKeys.has(key));
  const token = resolved.sessionToken;
  pairs.push(
    ['X-Amz-Algorithm', resolved.algorithm],
    ['X-Amz-Credential', uriEncode(`${resolved.accessKeyId}/${resolved.credentialScope}`, false, 'options.credentials.accessKeyId')],
    ['X-Amz-Date', resolved.amzDate],
    ['X-Amz-Expires', String(expiresIn)],
    ['X-Amz-SignedHeaders', uriEncode(signedHeaders, false, 'request.headers')],
  );
  if (token !== undefined && resolved.signSessionToken) pairs.push(['X-Amz-Security-Token', uriEncode(token, false, 'options.credentials.sessionToken')]);
  if (v4a !== undefined) pairs.push(['X-Amz-Region-Set', uriEncode(v4a.regionSet, false, 'options.regionSet')]);
  const query = canonicalQuery(pairs);

  const payloadHash = resolved.payloadHash ?? (resolved.presignPayload === 'unsigned' ? UNSIGNED_PAYLOAD : hashPayload(request.body as SignableBody | undefined));
  const canonicalUri = canonicalPath(view.path, resolved.pathRules);
  const canonicalRequestValue = canonicalRequest(method, canonicalUri, query, canonical, signedHeaders, payloadHash);
  const { stringToSign: stringToSignValue, signature: signatureValue } = signCanonicalRequest(resolved, canonicalRequestValue);

  // S3 signs the key encoded exactly once, which is also a valid wire path; other services sign a
  // normalised, double-encoded form, so their URL keeps the path as the caller wrote it.
  const wirePath = resolved.s3 ? s3WirePath(view.path) : view.path === '' ? '/' : view.path;
  let url = `${view.origin}${wirePath}?${query}`;
  if (token !== undefined && !resolved.signSessionToken) url += `&X-Amz-Security-Token=${uriEncode(token, false, 'options.credentials.sessionToken')}`;
  url += `&X-Amz-Signature=${signatureValue}`;
  return { url, canonicalRequest: canonicalRequestValue, stringToSign: stringToSignValue, signature: signatureValue, signedHeaders };
}

/**
 * Presigns a request: returns a URL that anyone can use, without credentials, until it expires.
 * For S3 the payload is `UNSIGNED-PAYLOAD`, so a presigned PUT accepts any body.
 *
 * @param request - the method and URL (and any headers the user of the URL must send)
 * @param options - as for `signRequest`, plus `expiresIn` seconds (1 to 604800)
 * @returns the presigned URL
 *
 * @example
 * ```ts
 * import { presignUrl } from 'got-aws4auth/signer';
 * const url = presignUrl(
 *   { method: 'PUT', url: 'https://my-bucket.s3.eu-west-1.amazonaws.com/upload.bin' },
 *   { credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' },
 *     region: 'eu-west-1', service: 's3', expiresIn: 900 },
 * );
 * console.log(url);
 * ```
 * @category Presigning
 */
export function presignUrl(request: SignableRequest, options: PresignOptions): string {
  return presignRequest(request, options).url;
}
