/**
 * Header-based signing: the composition of the request view, canonical request, string to sign and
 * signature into the headers to send.
 *
 * @module
 */
import { InvalidInputError, InvalidHeaderError, describeValue } from './errors.js';
import { urlView } from './request-view.js';
import { canonicalPath } from './canonical-path.js';
import { canonicalQueryOf } from './canonical-query.js';
import { canonicalHeaders, collectHeaders, ownHeader, removeHeader, type HeaderRecord } from './canonical-headers.js';
import { canonicalRequest } from './canonical-request.js';
import { hashPayload, checkPayloadHash } from './payload-hash.js';
import { signature, stringToSign } from './string-to-sign.js';
import { sigV4aSignature, sigV4aStringToSign } from './sigv4a.js';
import { resolveOptions, type ResolvedOptions } from './resolve-options.js';
import { checkMethod } from './validate.js';
import { ownOnly, UNREADABLE, type Snapshot } from './snapshot.js';
import type { SignableBody, SignableRequest, SignedRequest, SignOptions } from './types.js';

const REQUEST_KEYS = ['method', 'url', 'headers', 'body'] as const;

/** A request's fields, read once, own properties only. @internal */
export type RequestSnapshot = Snapshot<(typeof REQUEST_KEYS)[number]>;

/** @internal */
export function checkedMethod(method: unknown): string {
  return checkMethod(method, 'request.method');
}

/**
 * Reads the request once, own properties only, into a snapshot that is validated and used instead.
 *
 * @internal
 */
export function checkedRequest(request: unknown): RequestSnapshot {
  if (request === null || typeof request !== 'object') throw new InvalidInputError('request', `must be an object with method and url, got ${describeValue(request)}`);
  const r = request as Readonly<Record<(typeof REQUEST_KEYS)[number], unknown>>;
  // By constant name (see snapshotSignOptions); every field own, so no read reaches a prototype.
  try {
    return { method: ownOnly(r, 'method', r.method), url: ownOnly(r, 'url', r.url), headers: ownOnly(r, 'headers', r.headers), body: ownOnly(r, 'body', r.body) };
  } catch {
    throw new InvalidInputError('request', UNREADABLE);
  }
}

function selectSignedNames(headers: HeaderRecord, options: ResolvedOptions): string[] {
  const names: string[] = [];
  for (const name of Object.keys(headers)) {
    if (
      name === 'host' ||
      name === 'x-amz-date' ||
      name === 'x-amz-content-sha256' ||
      (name === 'x-amz-security-token' && options.signSessionToken) ||
      (name === 'date' && options.dateHeader === 'date') ||
      (name === 'x-amz-region-set' && options.sigV4a !== undefined) ||
      options.selectHeader(name)
    ) {
      names.push(name);
    }
  }
  return names;
}

/**
 * Builds the string to sign from the canonical request and signs it, with SigV4's HMAC or SigV4a's ECDSA.
 *
 * @internal
 */
export function signCanonicalRequest(resolved: ResolvedOptions, canonicalRequestValue: string): { stringToSign: string; signature: string } {
  const v4a = resolved.sigV4a;
  if (v4a === undefined) {
    const stringToSignValue = stringToSign(resolved.amzDate, resolved.credentialScope, canonicalRequestValue);
    return { stringToSign: stringToSignValue, signature: signature(resolved.signingKey as Uint8Array, stringToSignValue) };
  }
  const stringToSignValue = sigV4aStringToSign(resolved.amzDate, resolved.credentialScope, canonicalRequestValue);
  return { stringToSign: stringToSignValue, signature: sigV4aSignature(v4a.privateKey(), stringToSignValue) };
}

/**
 * Signs a request with SigV4 (or, with `algorithm: 'sigv4a'`, SigV4a) in the `Authorization` header.
 * Synchronous and pure apart from the key caches: nothing is sent and the input is not modified.
 *
 * @param request - the method, URL, headers and (when its bytes are known) body to sign
 * @param options - credentials, region, service and signing choices
 * @returns the complete header set to send and every intermediate of the signature
 * @throws {@link AWS4AuthError} subclasses naming the offending field for any bad input
 *
 * @example
 * ```ts
 * import { signRequest } from 'got-aws4auth/signer';
 * const signed = signRequest(
 *   { method: 'GET', url: 'https://my-bucket.s3.eu-west-1.amazonaws.com/report.csv' },
 *   { credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' },
 *     region: 'eu-west-1', service: 's3' },
 * );
 * console.log(signed.headers.authorization);
 * ```
 *
 * @example SigV4a, for an S3 Multi-Region Access Point (valid in every region)
 * ```ts
 * import { signRequest } from 'got-aws4auth/signer';
 * const signed = signRequest(
 *   { method: 'GET', url: 'https://mfzwi23gnjvgw.mrap.accesspoint.s3-global.amazonaws.com/report.csv' },
 *   { credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' },
 *     service: 's3', algorithm: 'sigv4a', regionSet: ['*'] },
 * );
 * console.log(signed.headers['x-amz-region-set'], signed.headers.authorization); // '*', 'AWS4-ECDSA-P256-SHA256 …'
 * ```
 * @category Signer
 */
export function signRequest(request: SignableRequest, options: SignOptions): SignedRequest {
  return signSnapshot(checkedRequest(request), options);
}

/** Sets the header that carries the time: x-amz-date by default, else the caller's own Date header. */
function placeDate(headers: HeaderRecord, resolved: ResolvedOptions): void {
  if (resolved.dateHeader === 'x-amz-date') {
    headers['x-amz-date'] = resolved.amzDate;
  } else if (ownHeader(headers, 'date') !== undefined) {
    // The Date header carries the time; an x-amz-date beside it would be the one AWS checks.
    removeHeader(headers, 'x-amz-date');
  } else {
    throw new InvalidHeaderError('request.headers["date"]', 'is required when options.dateHeader is "date"; add the Date header or use the default "x-amz-date"');
  }
}

/** The payload hash to sign (given, declared with no body, or computed), kept in x-amz-content-sha256 where one belongs. */
function placePayloadHash(headers: HeaderRecord, resolved: ResolvedOptions, body: unknown): string {
  const declared = ownHeader(headers, 'x-amz-content-sha256');
  let payloadHash = resolved.payloadHash;
  if (payloadHash === undefined) {
    payloadHash = declared !== undefined && body === undefined
      ? checkPayloadHash(typeof declared === 'string' ? declared : declared[0], 'request.headers["x-amz-content-sha256"]')
      : hashPayload(body as SignableBody | undefined);
  }
  // A caller's own x-amz-content-sha256 is kept consistent with what is signed rather than left stale.
  if (resolved.contentSha256Header || declared !== undefined) headers['x-amz-content-sha256'] = payloadHash;
  return payloadHash;
}

/** Sets the signed session token and SigV4a region set; an unsigned token is added after signing. */
function placeSignedExtras(headers: HeaderRecord, resolved: ResolvedOptions): void {
  const token = resolved.sessionToken;
  if (token !== undefined) {
    if (resolved.signSessionToken) headers['x-amz-security-token'] = token;
    else removeHeader(headers, 'x-amz-security-token');
  }
  if (resolved.sigV4a !== undefined) headers['x-amz-region-set'] = resolved.sigV4a.regionSet;
}

function signSnapshot(request: RequestSnapshot, options: SignOptions): SignedRequest {
  const resolved = resolveOptions(options);
  const method = checkedMethod(request.method);
  const view = urlView(request.url);
  const headers = collectHeaders(request.headers);

  removeHeader(headers, 'authorization');
  if (ownHeader(headers, 'host') === undefined) headers.host = view.host;
  placeDate(headers, resolved);
  const payloadHash = placePayloadHash(headers, resolved, request.body);
  placeSignedExtras(headers, resolved);

  const { canonical, signedHeaders } = canonicalHeaders(headers, selectSignedNames(headers, resolved));
  const canonicalRequestValue = canonicalRequest(
    method,
    canonicalPath(view.path, resolved.pathRules),
    canonicalQueryOf(view.query),
    canonical,
    signedHeaders,
    payloadHash,
  );
  const { stringToSign: stringToSignValue, signature: signatureValue } = signCanonicalRequest(resolved, canonicalRequestValue);
  const authorization = `${resolved.algorithm} Credential=${resolved.accessKeyId}/${resolved.credentialScope}, SignedHeaders=${signedHeaders}, Signature=${signatureValue}`;

  const token = resolved.sessionToken;
  if (token !== undefined && !resolved.signSessionToken) headers['x-amz-security-token'] = token;
  headers.authorization = authorization;

  return {
    headers,
    authorization,
    signature: signatureValue,
    signedHeaders,
    credentialScope: resolved.credentialScope,
    canonicalRequest: canonicalRequestValue,
    stringToSign: stringToSignValue,
    payloadHash,
    amzDate: resolved.amzDate,
  };
}
