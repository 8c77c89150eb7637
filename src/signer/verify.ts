/**
 * Verifying SigV4 requests on the receiving side (a server, or a proxy that re-signs), for header auth and
 * presigned URLs alike.
 *
 * Usage, in a Node `http` server:
 *
 * ```ts
 * const result = verifySigV4({ method: req.method!, url: req.url!, headers: req.headersDistinct }, { clientKeys });
 * if (!result.ok) return answer(result.status, result.awsCode, result.message);
 * // result.payloadHash says how the body was signed; for a STREAMING-… marker, pipe the body through
 * // createChunkedDecoder({ payloadHash: result.payloadHash, seed: result, ... }).
 * ```
 *
 * The request is checked by signing it again with the signer's own code: the header names the client
 * signed are passed to `signRequest` (or `presignRequest` for query auth) as the headers to include, with the
 * client's date, scope and payload hash, and the two signatures are compared in constant time. Every
 * canonicalisation rule (paths per service, S3's single encoding, query sorting, header folding) therefore
 * has one implementation, shared by signing and verifying. One addition: for the S3 family, a path written
 * in a form no SDK builds (`%2F`, a raw `+`, `%41`) is also accepted when it was signed exactly as sent, as
 * botocore and the SDK sign it (see verify-path.ts).
 *
 * Beyond the signature, as S3 does: the date must be within `clockToleranceMs` of now (a presigned URL must
 * also be unexpired), the scope date must be the request's date, `host`, the date header and every
 * `x-amz-*` header sent must be signed (`x-amz-security-token` may be unsigned in header auth, as AWS IoT
 * sends it), and S3 header auth must carry `x-amz-content-sha256`.
 *
 * @module
 */
import { timingSafeEqual } from 'node:crypto';
import { AWS4AuthError } from './errors.js';
import { parseAmzDate, toAmzDate } from './amz-date.js';
import { parseHttpDate } from './request-date.js';
import { checkPayloadHash, hashPayload } from './payload-hash.js';
import { rulesFor } from './service-rules.js';
import { cachedSigningKey } from './signing-key.js';
import { headerSelector } from './canonical-headers.js';
import { signRequest } from './sign-headers.js';
import { presignRequest, MAX_PRESIGN_EXPIRY_SECONDS } from './presign.js';
import { parseAuthorizationHeader, parseQueryAuth, queryAuthParams, type AuthParts } from './verify-auth.js';
import { rawPathOf, rawPathSignature } from './verify-path.js';
import { snapshotOptions, snapshotRequest, type OptionsSnapshot, type RequestSnapshot, type VerifiableRequest, type VerifyOptions } from './verify-input.js';
import { verifiedSigV4, verifyFailure, type VerifyFailure, type VerifyResult } from './verify-result.js';

const signedByDefault = headerSelector(undefined);

/** What the checks before the signature settle: the time, the payload hash, the headers to sign with. */
interface Settled {
  readonly date: Date;
  readonly amzDate: string;
  readonly dateHeader: 'x-amz-date' | 'date';
  readonly payloadHash: string | undefined;
  readonly signed: Record<string, string | readonly string[]>;
  readonly expiresIn: number | undefined;
}

/** Whether a step answered with a failure (only failures carry `ok`, and it is false). */
function isFailure<T extends object>(value: T | VerifyFailure): value is VerifyFailure {
  return (value as { ok?: boolean }).ok === false;
}

function single(request: RequestSnapshot, name: string): string | undefined | false {
  const value = request.headers.get(name);
  return Array.isArray(value) ? false : (value as string | undefined);
}

function queryOf(url: string): string {
  const question = url.indexOf('?');
  if (question === -1) return '';
  const hash = url.indexOf('#', question);
  return url.slice(question + 1, hash === -1 ? undefined : hash);
}

/** Finds the auth a request carries: header, query, neither or both. */
function readAuth(request: RequestSnapshot): AuthParts | VerifyFailure {
  const authorization = single(request, 'authorization');
  const params = queryAuthParams(queryOf(request.url));
  if (params !== undefined && isFailure(params)) return params;
  const hasQueryAuth = params !== undefined && (params.has('X-Amz-Algorithm') || params.has('X-Amz-Credential') || params.has('X-Amz-Signature'));
  if (authorization === false) return verifyFailure('malformed', 'header', 'The request has more than one Authorization header.');
  if (authorization !== undefined && hasQueryAuth) return verifyFailure('ambiguous', undefined, 'Only one auth mechanism allowed; only the X-Amz-Algorithm query parameter or the Authorization header should be specified.');
  if (authorization !== undefined) return parseAuthorizationHeader(authorization);
  if (hasQueryAuth) return parseQueryAuth(params as NonNullable<typeof params>);
  return verifyFailure('missing', undefined, 'The request is not signed: it has neither an Authorization header nor X-Amz-Signature query auth.');
}

function checkScope(auth: AuthParts, options: OptionsSnapshot): VerifyFailure | undefined {
  const { mode, accessKeyId } = auth;
  if (options.services !== undefined && !options.services.includes(auth.service)) {
    return verifyFailure('scope-mismatch', mode, `The credential scope names the service "${auth.service}"; expecting ${options.services.map((s) => `"${s}"`).join(' or ')}.`, { accessKeyId });
  }
  if (options.regions !== undefined && !options.regions.includes(auth.region)) {
    return verifyFailure('scope-mismatch', mode, `The authorization header is malformed; the region "${auth.region}" is wrong; expecting ${options.regions.map((r) => `"${r}"`).join(' or ')}.`, { accessKeyId });
  }
  return undefined;
}

/** The signing time: X-Amz-Date (query or header), else the Date header. */
function readDate(request: RequestSnapshot, auth: AuthParts): { date: Date; amzDate: string; dateHeader: 'x-amz-date' | 'date' } | VerifyFailure {
  const { mode, accessKeyId } = auth;
  if (mode === 'query') {
    const date = parseAmzDate(auth.queryDate as string);
    return date === undefined ? verifyFailure('malformed', mode, 'X-Amz-Date must be in the ISO8601 basic format YYYYMMDDTHHMMSSZ.', { accessKeyId }) : { date, amzDate: auth.queryDate as string, dateHeader: 'x-amz-date' };
  }
  const amz = single(request, 'x-amz-date');
  const http = amz === undefined ? single(request, 'date') : undefined;
  const date = typeof amz === 'string' ? parseAmzDate(amz) : typeof http === 'string' ? parseHttpDate(http) : undefined;
  if (date === undefined) {
    return verifyFailure('malformed', mode, 'AWS authentication requires one valid x-amz-date (YYYYMMDDTHHMMSSZ) or Date header.', { accessKeyId, awsCode: 'AccessDenied' });
  }
  return { date, amzDate: typeof amz === 'string' ? amz : toAmzDate(date, 'request.headers["date"]'), dateHeader: amz === undefined ? 'date' : 'x-amz-date' };
}

/** `host`, the date header and every `x-amz-*` header present must be signed; every signed header must be present. */
function checkSignedHeaders(request: RequestSnapshot, auth: AuthParts, dateHeader: 'x-amz-date' | 'date'): VerifyFailure | undefined {
  const { mode, accessKeyId } = auth;
  const signed = auth.signedHeaders;
  const required = mode === 'header' ? ['host', dateHeader] : ['host'];
  for (const name of request.headers.keys()) if (name.startsWith('x-amz-') && !(mode === 'header' && name === 'x-amz-security-token')) required.push(name);
  for (const name of required) {
    if (!signed.includes(name)) return verifyFailure('unsigned-header-required', mode, `There were headers present in the request which were not signed: ${name}.`, { accessKeyId });
  }
  for (const name of auth.signedHeaders) {
    if (!request.headers.has(name)) return verifyFailure('malformed', mode, `The signed header "${name}" is not in the request.`, { accessKeyId });
  }
  return undefined;
}

function checkTime(auth: AuthParts, date: Date, options: OptionsSnapshot): { expiresIn: number | undefined } | VerifyFailure {
  const { mode, accessKeyId } = auth;
  const now = options.now();
  const skew = date.getTime() - now;
  if (mode === 'header') {
    if (Math.abs(skew) > options.toleranceMs) return verifyFailure('clock-skew', mode, 'The difference between the request time and the current time is too large.', { accessKeyId });
    return { expiresIn: undefined };
  }
  const expires = auth.expires as string;
  const expiresIn = /^[1-9]\d{0,6}$/.test(expires) ? Number(expires) : Number.NaN;
  if (!(expiresIn <= MAX_PRESIGN_EXPIRY_SECONDS)) {
    return verifyFailure('malformed', mode, `X-Amz-Expires must be a whole number of seconds from 1 to ${MAX_PRESIGN_EXPIRY_SECONDS} (a week).`, { accessKeyId });
  }
  if (skew > options.toleranceMs) return verifyFailure('clock-skew', mode, 'Request is not valid yet: its X-Amz-Date is in the future.', { accessKeyId });
  if (now > date.getTime() + expiresIn * 1000) return verifyFailure('request-expired', mode, 'Request has expired.', { accessKeyId });
  return { expiresIn };
}

/** The payload hash to sign with; undefined lets presigning choose by service (UNSIGNED-PAYLOAD for S3, else the body's hash). */
function readPayloadHash(request: RequestSnapshot, auth: AuthParts): { payloadHash: string | undefined } | VerifyFailure {
  const { mode, accessKeyId } = auth;
  const declared = single(request, 'x-amz-content-sha256');
  if (declared === false) return verifyFailure('invalid-payload-hash', mode, 'The request has more than one x-amz-content-sha256 header.', { accessKeyId });
  if (declared !== undefined) {
    try {
      return { payloadHash: checkPayloadHash(declared, 'request.headers["x-amz-content-sha256"]') };
    } catch {
      return verifyFailure('invalid-payload-hash', mode, 'x-amz-content-sha256 must be UNSIGNED-PAYLOAD, a STREAMING-… marker or a lower-case hex SHA-256.', { accessKeyId });
    }
  }
  if (mode === 'query') return { payloadHash: undefined };
  if (rulesFor(auth.service).s3) {
    return verifyFailure('invalid-payload-hash', mode, 'Missing required header for this request: x-amz-content-sha256.', { accessKeyId, awsCode: 'InvalidRequest' });
  }
  return { payloadHash: hashPayload(request.body) };
}

function settle(request: RequestSnapshot, auth: AuthParts, options: OptionsSnapshot): Settled | VerifyFailure {
  const scopeFailure = checkScope(auth, options);
  if (scopeFailure !== undefined) return scopeFailure;
  const time = readDate(request, auth);
  if (isFailure(time)) return time;
  if (time.amzDate.slice(0, 8) !== auth.shortDate) {
    return verifyFailure('scope-mismatch', auth.mode, `Invalid credential date "${auth.shortDate}": it is not the date of the request time ${time.amzDate}.`, { accessKeyId: auth.accessKeyId });
  }
  const headerFailure = checkSignedHeaders(request, auth, time.dateHeader);
  if (headerFailure !== undefined) return headerFailure;
  const window = checkTime(auth, time.date, options);
  if (isFailure(window)) return window;
  const payload = readPayloadHash(request, auth);
  if (isFailure(payload)) return payload;
  const signed: Record<string, string | readonly string[]> = {};
  for (const name of auth.signedHeaders) signed[name] = request.headers.get(name) as string | readonly string[];
  return { ...time, payloadHash: payload.payloadHash, signed, expiresIn: window.expiresIn };
}

/** Signs the request again with the signer's own code; a request it cannot canonicalise is malformed. */
function recompute(
  request: RequestSnapshot,
  auth: AuthParts,
  settled: Settled,
  secretAccessKey: string,
  signingKey: Uint8Array,
): { signature: string; stringToSign: string; payloadHash: string; canonicalRequest: string } | VerifyFailure {
  const url = request.url.startsWith('/') ? `http://verifier.invalid${request.url}` : request.url;
  const credentials = { accessKeyId: auth.accessKeyId, secretAccessKey, sessionToken: auth.sessionToken };
  // Naming the signed headers costs the signer a selector per call; the default selection is the same
  // set whenever it would pick every header the client signed (the usual case: SDKs sign by that rule too).
  const includeHeaders = auth.signedHeaders.every(signedByDefault) ? undefined : auth.signedHeaders;
  const { date, payloadHash } = settled;
  const { region, service } = auth;
  try {
    if (auth.mode === 'query') {
      const presigned = presignRequest(
        { method: request.method, url, headers: settled.signed, body: request.body },
        { credentials, region, service, date, signingKey, includeHeaders, signSessionToken: true, payloadHash, expiresIn: settled.expiresIn as number },
      );
      const { canonicalRequest } = presigned;
      return { signature: presigned.signature, stringToSign: presigned.stringToSign, payloadHash: canonicalRequest.slice(canonicalRequest.lastIndexOf('\n') + 1), canonicalRequest };
    }
    const signed = signRequest(
      { method: request.method, url, headers: settled.signed },
      { credentials, region, service, date, signingKey, includeHeaders, signSessionToken: true, payloadHash, contentSha256Header: false, dateHeader: settled.dateHeader },
    );
    return { signature: signed.signature, stringToSign: signed.stringToSign, payloadHash: signed.payloadHash, canonicalRequest: signed.canonicalRequest };
  } catch (error) {
    if (!(error instanceof AWS4AuthError)) throw error;
    // The signer's messages name the field and never a secret; the client sent the value, so it may see why.
    return verifyFailure('malformed', auth.mode, `The request cannot be canonicalised: ${error.message}`, { accessKeyId: auth.accessKeyId });
  }
}

/** Whether the client signed the S3 path exactly as sent (botocore's and the SDK's rule; see verify-path.ts). */
function signedRawS3Path(request: RequestSnapshot, auth: AuthParts, settled: Settled, canonicalRequest: string, credentialScope: string, signingKey: Uint8Array): boolean {
  const raw = rawPathSignature(canonicalRequest, rawPathOf(request.url), auth.service, settled.amzDate, credentialScope, signingKey);
  return raw !== undefined && sameSignature(raw, auth.signature);
}

const leftSignature = Buffer.alloc(64);
const rightSignature = Buffer.alloc(64);

/** Compares two 64-hex signatures in constant time, without allocating. */
function sameSignature(a: string, b: string): boolean {
  if (a.length !== 64 || b.length !== 64) return false;
  leftSignature.write(a, 'latin1');
  rightSignature.write(b, 'latin1');
  const same = timingSafeEqual(leftSignature, rightSignature);
  // Nothing of a request's signature stays in module memory between calls.
  leftSignature.fill(0);
  rightSignature.fill(0);
  return same;
}

/**
 * Verifies a received request's SigV4 signature, in the `Authorization` header or in a presigned URL's query.
 * Synchronous; nothing is thrown for anything the client sent, only for bad `options` or a request object
 * of the wrong shape ({@link InvalidInputError}).
 *
 * @param request - method, target and headers as Node's `http` server gives them (`req.headersDistinct`)
 * @param options - the accepted keys, the clock and its tolerance, the expected service and region
 * @returns `{ ok: true, … }` with the parts a proxy needs (scope, signed headers, payload hash, and as a
 *   {@link ChunkSigningSeed} the seed for `createChunkedDecoder`), or `{ ok: false, reason, awsCode, status, message }`
 *
 * @example
 * ```ts
 * import { createServer } from 'node:http';
 * import { verifySigV4 } from 'got-aws4auth/signer';
 * const clientKeys = new Map([['AKIDCLIENT', 'client-secret-from-config']]);
 * createServer((req, res) => {
 *   const result = verifySigV4({ method: req.method ?? 'GET', url: req.url ?? '/', headers: req.headersDistinct }, { clientKeys, service: 's3' });
 *   if (!result.ok) {
 *     res.writeHead(result.status, { 'content-type': 'application/xml' });
 *     res.end(`<Error><Code>${result.awsCode}</Code><Message>${result.message}</Message></Error>`);
 *     return;
 *   }
 *   res.end(`hello ${result.accessKeyId}`);
 * });
 * ```
 * @category Verifying
 */
export function verifySigV4(request: VerifiableRequest, options: VerifyOptions): VerifyResult {
  return createSigV4Verifier(options)(request);
}

/**
 * Validates the options once and returns a verifier for many requests ({@link verifySigV4} with fixed options).
 *
 * @param options - as for {@link verifySigV4}; the keys are copied now, `now` (a clock) is read per request
 *
 * @example
 * ```ts
 * import { createSigV4Verifier } from 'got-aws4auth/signer';
 * const verify = createSigV4Verifier({ clientKeys: { AKIDCLIENT: 'client-secret-from-config' }, region: 'eu-west-1' });
 * const result = verify({ method: 'GET', url: '/bucket/key', headers: { host: 'localhost:8080' } });
 * console.log(result.ok ? 'verified' : result.reason); // 'missing'
 * ```
 * @category Verifying
 */
export function createSigV4Verifier(options: VerifyOptions): (request: VerifiableRequest) => VerifyResult {
  const snapshot = snapshotOptions(options);
  return (request) => verifySnapshot(snapshotRequest(request), snapshot);
}

function verifySnapshot(request: RequestSnapshot, options: OptionsSnapshot): VerifyResult {
  const auth = readAuth(request);
  if (isFailure(auth)) return auth;
  const settled = settle(request, auth, options);
  if (isFailure(settled)) return settled;
  const { mode, accessKeyId } = auth;
  const secret = options.lookup(accessKeyId);
  if (secret === undefined) return verifyFailure('unknown-access-key', mode, 'The AWS access key Id you provided does not exist in our records.', { accessKeyId });
  const signingKey = cachedSigningKey(secret, auth.shortDate, auth.region, auth.service);
  const computed = recompute(request, auth, settled, secret, signingKey);
  if (isFailure(computed)) return computed;
  const credentialScope = `${auth.shortDate}/${auth.region}/${auth.service}/aws4_request`;
  if (!sameSignature(computed.signature, auth.signature) && !signedRawS3Path(request, auth, settled, computed.canonicalRequest, credentialScope, signingKey)) {
    return verifyFailure('signature-mismatch', mode, 'The request signature we calculated does not match the signature you provided. Check your key and signing method.', {
      accessKeyId,
      stringToSign: computed.stringToSign,
    });
  }
  const expiresAt = settled.expiresIn === undefined ? undefined : new Date(settled.date.getTime() + settled.expiresIn * 1000);
  return verifiedSigV4(
    { mode, accessKeyId, region: auth.region, service: auth.service, amzDate: settled.amzDate, date: settled.date, credentialScope, signedHeaders: auth.signedHeaders, payloadHash: computed.payloadHash, expiresAt },
    signingKey,
    auth.signature,
  );
}
