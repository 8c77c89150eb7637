/**
 * The got plugin: hooks that sign every attempt of a request with SigV4 (or SigV4a).
 *
 * got runs `beforeRequest` for the first attempt, every retry, every followed redirect and every page,
 * each time on a copy of the previous attempt's options that still carries the headers signed last time.
 * So each run strips every signing header (in any letter case) and signs afresh, with the credentials,
 * clock offset and body of that attempt. Per-request state (the origin first requested, the caller's own
 * date and payload-hash headers, the one-retry guards) lives in one object under a symbol in
 * `options.context`, which got shares by reference between a request's attempts and never between
 * requests.
 *
 * @module
 */
import type { AwsCredentialIdentity } from '@smithy/types';
import { AWS4Auth, StrictAWS4Auth, PassiveAWS4Auth } from '../auth/index.js';
import { requestTime } from '../auth/date-headers.js';
import { signRequest } from '../signer/sign-headers.js';
import { toAmzDate } from '../signer/amz-date.js';
import { checkRegionSet } from '../signer/resolve-options.js';
import { checkIncludeHeaders, checkScopePart } from '../auth/validate.js';
import type { SignableRequest, SignedRequest } from '../signer/types.js';
import { CredentialCache, CredentialsTimeoutError } from '../credentials/index.js';
import { InvalidInputError, StreamRetryError, describeValue } from '../signer/errors.js';
import { signChunkedUpload, type ChunkedUpload, type ChunkedUploadOptions } from '../signer/chunked.js';
import { checkedChunkSize } from '../signer/chunked-length.js';
import { checkedChecksumAlgorithm } from '../signer/checksums.js';
import { isS3Service } from '../signer/service-rules.js';
import { UNSIGNED_PAYLOAD, checkPayloadHash } from '../signer/payload-hash.js';
import { inferEndpoint, type InferredEndpoint } from '../endpoints/index.js';
import { CannotInferError, StreamLengthRequiredError, UnsignableBodyError } from './errors.js';
import { ClockSkew } from './clock-skew.js';
import { bufferBody, classifyBody, requestContext, streamLength } from './request-body.js';
import { defaultRegion } from './default-region.js';
import type {
  Aws4GotPlugin,
  Aws4HooksOptions,
  CredentialsOption,
  GotRequestOptions,
  GotResponseLike,
  RedirectHook,
  ResponseHook,
  SigningHook,
} from './types.js';

/**
 * Headers the plugin owns: stripped before every attempt and written by signing. Any attempt may be SigV4a
 * (configured, or a Multi-Region Access Point host), so x-amz-region-set is among them.
 */
const SIGNING_HEADERS = new Set(['authorization', 'x-amz-date', 'x-amz-security-token', 'x-amz-content-sha256', 'host', 'x-amz-region-set']);
/** Headers got may rewrite after the hooks (cookie jars), or that Node and proxies own. */
const NEVER_SIGNED = new Set(['cookie', 'cookie2']);
const BODYLESS_METHODS = new Set(['GET', 'HEAD', 'OPTIONS', 'DELETE', 'TRACE']);
const DEFAULT_MAX_BUFFERED_BODY_BYTES = 16 * 1024 * 1024;
const STATE = Symbol.for('got-aws4auth.request');

interface RequestState {
  /** The origin of the first attempt: the only one signed, with `allowedRedirectOrigins`. */
  readonly origin: string;
  /** The caller's own `x-amz-date`, kept for the date policy on every attempt. */
  readonly callerAmzDate: string | undefined;
  /** The caller's own `x-amz-content-sha256`, e.g. `UNSIGNED-PAYLOAD`. */
  readonly callerPayloadHash: string | undefined;
  skewRetried: boolean;
  tokenRetried: boolean;
  /** False once a stream body has been sent unbuffered: such a request cannot be retried. */
  replayable: boolean;
  /** The URL of the previous attempt, to tell a retry from a redirect. */
  lastUrl: string | undefined;
  /** Set once an attempt went to a foreign origin: a redirect from there back is not signed either. */
  leftOrigin: boolean;
  /** The credentials the last attempt was signed with: only those are forgotten when AWS says they expired. */
  identity: AwsCredentialIdentity | undefined;
}

function stateOf(options: GotRequestOptions, origin: string, scan: GotHeaderScan): RequestState {
  const context = options.context as Record<PropertyKey, unknown>;
  let state = context[STATE] as RequestState | undefined;
  if (state === undefined) {
    state = {
      origin,
      callerAmzDate: scan.amzDate,
      callerPayloadHash: scan.payloadHash,
      skewRetried: false,
      tokenRetried: false,
      replayable: true,
      lastUrl: undefined,
      leftOrigin: false,
      identity: undefined,
    };
    context[STATE] = state;
  }
  return state;
}

function stripSigningHeaders(headers: GotRequestOptions['headers']): void {
  for (const name of Object.keys(headers)) if (SIGNING_HEADERS.has(name.toLowerCase())) delete headers[name];
}

/** What is left out of signing: headers got may rewrite after the hooks, and a length a transfer-encoding overrides. */
function unsignable(lowerName: string, hasTransferEncoding: boolean): boolean {
  return NEVER_SIGNED.has(lowerName) || (hasTransferEncoding && lowerName === 'content-length');
}

/** What one pass over got's headers finds. */
interface GotHeaderScan {
  /** The headers to sign: lower-cased, without the plugin's own and the unsignable ones. */
  readonly headers: Record<string, string | string[] | number | undefined>;
  /** The caller's `x-amz-date` and `x-amz-content-sha256` (meaningful on the first attempt only). */
  readonly amzDate: string | undefined;
  readonly payloadHash: string | undefined;
  readonly contentLength: string | undefined;
  /** Whether every name was lower case already (got lower-cases its own; a hook of the caller may not). */
  readonly lowerCase: boolean;
  hasTransferEncoding: boolean;
}

function singleString(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  if (Array.isArray(value) && value.length === 1) return value[0] as string;
  return undefined;
}

/**
 * Reads got's headers once: strips the headers the plugin owns (a retry or redirect carries the last
 * attempt's, in whatever letter case), notes the caller's own date, payload hash and length, and copies
 * the rest, lower-cased, for signing. Each pass over got's headers costs more inside got than the
 * signature's hashing, so there is one.
 */
function scanGotHeaders(gotHeaders: GotRequestOptions['headers']): GotHeaderScan {
  const headers: GotHeaderScan['headers'] = {};
  let lowerCase = true;
  let hasTransferEncoding = false;
  let amzDate: string | undefined;
  let payloadHash: string | undefined;
  let contentLength: string | undefined;
  for (const name of Object.keys(gotHeaders)) {
    const lower = name.toLowerCase();
    if (lower !== name) lowerCase = false;
    const value = gotHeaders[name];
    if (SIGNING_HEADERS.has(lower)) {
      if (lower === 'x-amz-date') amzDate = singleString(value);
      else if (lower === 'x-amz-content-sha256') payloadHash = singleString(value);
      delete gotHeaders[name];
      continue;
    }
    if (lower === 'transfer-encoding') hasTransferEncoding = true;
    else if (lower === 'content-length') contentLength = singleString(value);
    if (NEVER_SIGNED.has(lower)) continue;
    if (lower === '__proto__') Object.defineProperty(headers, lower, { value, enumerable: true, writable: true, configurable: true });
    else headers[lower] = value;
  }
  if (hasTransferEncoding) delete headers['content-length'];
  return { headers, amzDate, payloadHash, contentLength, lowerCase, hasTransferEncoding };
}

/**
 * Makes got send exactly the headers signed. With lower-case names (got lower-cases its own) only what
 * the signer added or changed is written, so got's header object is not rebuilt; otherwise every name is
 * replaced by its lower-case form, so two spellings of one header cannot both be sent.
 */
function writeSignedHeaders(gotHeaders: GotRequestOptions['headers'], signedHeaders: SignedRequest['headers'], lowerCase: boolean, hasTransferEncoding: boolean): void {
  for (const name of Object.keys(gotHeaders)) {
    if (lowerCase && Object.hasOwn(signedHeaders, name)) continue;
    if (!unsignable(name.toLowerCase(), hasTransferEncoding)) delete gotHeaders[name];
  }
  for (const name of Object.keys(signedHeaders)) {
    const value = signedHeaders[name];
    if (name === '__proto__') Object.defineProperty(gotHeaders, name, { value, enumerable: true, writable: true, configurable: true });
    else if (gotHeaders[name] !== value) gotHeaders[name] = value;
  }
}

function toUrl(url: GotRequestOptions['url']): URL {
  if (url instanceof URL) return url;
  if (typeof url === 'string') return new URL(url);
  throw new InvalidInputError('options.url', `must be set before got's beforeRequest hooks run, got ${describeValue(url)}`);
}

/**
 * `+` in a query is ambiguous: got's `searchParams` writes a space as `+`, servers (S3 and RGW among them)
 * read `+` as a space, while SigV4 reads it as a literal plus. Rewriting it to `%20` on the wire makes
 * what is sent, what the server reads and what is signed agree. A literal plus must be sent as `%2B`.
 */
function disambiguatePlus(url: URL): void {
  // href is a stored string, search is sliced out of it on every read.
  if (url.href.includes('+') && url.search.includes('+')) url.search = url.search.replace(/\+/g, '%20');
}

/**
 * got starts its request timer after the hooks, so the wait for credentials is bounded here by the
 * request's own signal and got's `timeout.request`, whichever ends first; the timeout fails with a typed
 * {@link CredentialsTimeoutError}.
 */
async function credentialsFor(cache: CredentialCache, options: GotRequestOptions): Promise<AwsCredentialIdentity> {
  const timeoutMs = options.timeout?.request;
  if (typeof timeoutMs !== 'number' || !Number.isFinite(timeoutMs) || timeoutMs <= 0) return cache.getCredentials({ signal: options.signal });
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new CredentialsTimeoutError(timeoutMs)), timeoutMs);
  const forward = () => controller.abort(options.signal?.reason);
  options.signal?.addEventListener('abort', forward, { once: true });
  try {
    return await cache.getCredentials({ signal: controller.signal });
  } finally {
    clearTimeout(timer);
    options.signal?.removeEventListener('abort', forward);
  }
}

function checkOption<T>(value: T, field: string, valid: (value: NonNullable<T>) => boolean, expected: string): T {
  if (value !== undefined && !valid(value as NonNullable<T>)) throw new InvalidInputError(`aws4Hooks options.${field}`, `must be ${expected}, got ${describeValue(value)}`);
  return value;
}

function checkOptions(options: Aws4HooksOptions): void {
  if (options === null || typeof options !== 'object') throw new InvalidInputError('aws4Hooks options', `must be an object, got ${describeValue(options)}`);
  checkOption(options.datePolicy, 'datePolicy', (v) => v === 'regenerate' || v === 'strict' || v === 'passive', '"regenerate", "strict" or "passive"');
  checkOption(options.streamingPayload, 'streamingPayload', (v) => v === 'chunked' || v === 'unsigned' || v === 'buffer', '"chunked", "unsigned" or "buffer"');
  if (options.chunkSize !== undefined) checkedChunkSize(options.chunkSize);
  if (options.checksum !== undefined) checkedChecksumAlgorithm(options.checksum, 'aws4Hooks options.checksum');
  checkOption(options.maxBufferedBodyBytes, 'maxBufferedBodyBytes', (v) => Number.isInteger(v) && v >= 0, 'a whole number of bytes');
  checkOption(options.allowedRedirectOrigins, 'allowedRedirectOrigins', (v) => Array.isArray(v) && v.every((o) => typeof o === 'string'), 'an array of origins such as "https://example.com"');
  checkOption(options.clock, 'clock', (v) => typeof v === 'function', 'a function returning milliseconds since the epoch');
  checkOption(options.onSigned, 'onSigned', (v) => typeof v === 'function', 'a function');
  checkOption(options.algorithm, 'algorithm', (v) => v === 'sigv4' || v === 'sigv4a', '"sigv4" or "sigv4a"');
  if (options.region !== undefined) checkScopePart(options.region, 'aws4Hooks options.region', 'eu-west-1');
  if (options.service !== undefined) checkScopePart(options.service, 'aws4Hooks options.service', 's3');
  for (const flag of ['normalizePath', 'doubleEncodePath', 'contentSha256Header', 'signSessionToken', 'raiseInvalidDate', 'correctClockSkew'] as const) {
    checkOption(options[flag], flag, (v) => typeof v === 'boolean', 'true or false');
  }
  checkIncludeHeaders(options.includeHeaders, 'aws4Hooks options.includeHeaders');
  checkOption(options.credentialCache, 'credentialCache', (v) => typeof v === 'object' && v !== null, 'an object of CredentialCache options');
  if (options.payloadHash !== undefined) checkPayloadHash(options.payloadHash, 'aws4Hooks options.payloadHash');
  if (options.algorithm === 'sigv4a') {
    if (options.regionSet !== undefined) checkRegionSet(options.regionSet, 'aws4Hooks options.regionSet');
    checkOption(options.datePolicy, 'datePolicy', (v) => v === 'regenerate', '"regenerate" (or omitted) with algorithm "sigv4a", whose key has no date');
  } else {
    checkOption(options.regionSet, 'regionSet', () => false, 'omitted unless algorithm is "sigv4a"');
  }
}

function normalizeOrigin(origin: string): string {
  let url: URL | undefined;
  try {
    url = new URL(origin);
  } catch {
    url = undefined;
  }
  // javascript:, data: and the like have the opaque origin "null", which must never match anything.
  if (url === undefined || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
    throw new InvalidInputError('aws4Hooks options.allowedRedirectOrigins', `holds ${JSON.stringify(origin)}, which is not an http(s) origin such as "https://example.com"`);
  }
  return url.origin;
}

function bodyText(body: unknown): string {
  if (typeof body === 'string') return body;
  if (body instanceof Uint8Array) return Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8');
  // responseType 'json' has parsed it already (JSON-protocol services name their errors in __type or code).
  if (body !== null && typeof body === 'object') {
    try {
      return JSON.stringify(body);
    } catch {
      return '';
    }
  }
  return '';
}

const AuthClass = { regenerate: AWS4Auth, strict: StrictAWS4Auth, passive: PassiveAWS4Auth } as const;

/**
 * Creates the got plugin with explicit options. Pass it to `got.extend`, last, so that no hook of yours
 * changes a signed request after it is signed.
 *
 * @param options - region, service, credentials and signing choices; all optional
 * @returns an object got's `extend` accepts
 *
 * @example
 * ```ts
 * import got from 'got';
 * import { fromTemporaryCredentials } from '@aws-sdk/credential-providers';
 * import { createAws4Hooks } from 'got-aws4auth';
 *
 * const search = got.extend(
 *   { prefixUrl: 'https://search-logs-abc.eu-west-1.es.amazonaws.com' },
 *   createAws4Hooks({
 *     region: 'eu-west-1',
 *     service: 'es',
 *     credentials: fromTemporaryCredentials({ params: { RoleArn: 'arn:aws:iam::123456789012:role/search' } }),
 *   }),
 * );
 * const indices = await search.get('_cat/indices').text();
 * ```
 */
export function createAws4Hooks(options: Aws4HooksOptions = {}): Aws4GotPlugin {
  checkOptions(options);
  const clock = options.clock ?? Date.now;
  const skew = new ClockSkew(clock);
  const correctClockSkew = options.correctClockSkew ?? true;
  const allowedOrigins = new Set((options.allowedRedirectOrigins ?? []).map(normalizeOrigin));
  const maxBufferedBodyBytes = options.maxBufferedBodyBytes ?? DEFAULT_MAX_BUFFERED_BODY_BYTES;
  const datePolicy = options.datePolicy ?? 'regenerate';
  const Auth = AuthClass[datePolicy];
  const fixed = {
    includeHeaders: options.includeHeaders,
    signSessionToken: options.signSessionToken,
    normalizePath: options.normalizePath,
    doubleEncodePath: options.doubleEncodePath,
    contentSha256Header: options.contentSha256Header,
  };
  let cache: CredentialCache | undefined;
  // One AWS4Auth per identity and scope: a rotated identity is a new object, so the old ones are collected.
  const authByIdentity = new WeakMap<AwsCredentialIdentity, Map<string, AWS4Auth>>();

  async function credentialCache(): Promise<CredentialCache> {
    if (cache !== undefined) return cache;
    const source: CredentialsOption = options.credentials ?? (await import('@aws-sdk/credential-providers')).fromNodeProviderChain();
    cache ??= source instanceof CredentialCache ? source : new CredentialCache(source, { clock, ...options.credentialCache });
    return cache;
  }

  function authFor(identity: AwsCredentialIdentity, region: string, service: string): AWS4Auth {
    let byScope = authByIdentity.get(identity);
    if (byScope === undefined) {
      byScope = new Map();
      authByIdentity.set(identity, byScope);
    }
    // Keyed by the current UTC day too: the strict and passive policies compare a caller's date with the key's,
    // which must be today's, not the day the credentials were first used.
    const today = toAmzDate(new Date(skew.now()), 'options.clock').slice(0, 8);
    const key = `${region}\n${service}\n${today}`;
    let auth = byScope.get(key);
    if (auth === undefined) {
      auth = new Auth({
        accessKeyId: identity.accessKeyId,
        secretAccessKey: identity.secretAccessKey,
        sessionToken: identity.sessionToken,
        region,
        service,
        clock: () => skew.now(),
        raiseInvalidDate: options.raiseInvalidDate,
        ...fixed,
      });
      if (byScope.size >= 8) byScope.clear();
      byScope.set(key, auth);
    }
    return auth;
  }

  /**
   * SigV4a through the signer directly: AWS4Auth is built around a SigV4 key for one date, region and
   * service, and its date policies decide when to derive another; a SigV4a key depends on the credentials
   * alone (the signer caches it per credential), so only the request's date reading is shared.
   */
  function signSigV4a(
    identity: AwsCredentialIdentity,
    region: string | undefined,
    service: string,
    regionSet: readonly string[] | undefined,
    request: SignableRequest,
    payloadHash: string | undefined,
  ): SignedRequest {
    const { headers, time, dateHeader } = requestTime(request.headers, () => new Date(skew.now()), () => skew.now(), options.raiseInvalidDate ?? false);
    return signRequest(
      { ...request, headers },
      { ...fixed, algorithm: 'sigv4a', regionSet, credentials: identity, region, service, date: time, dateHeader, payloadHash },
    );
  }

  /**
   * A signed chunked upload goes through the signer directly, as SigV4a does: its seed signature and every
   * chunk signature share one date and key, which the date reading of AWS4Auth provides.
   */
  function signChunked(identity: AwsCredentialIdentity, region: string, service: string, request: SignableRequest, upload: ChunkedUploadOptions): ChunkedUpload {
    const { headers, time, dateHeader } = requestTime(request.headers, () => new Date(skew.now()), () => skew.now(), options.raiseInvalidDate ?? false);
    return signChunkedUpload({ ...request, headers }, { ...fixed, credentials: identity, region, service, date: time, dateHeader }, upload);
  }

  const inferredByHost = new Map<string, InferredEndpoint | undefined>();
  function inferCached(host: string): InferredEndpoint | undefined {
    if (inferredByHost.has(host)) return inferredByHost.get(host);
    const inferred = inferEndpoint(host);
    if (inferredByHost.size >= 256) inferredByHost.clear();
    inferredByHost.set(host, inferred);
    return inferred;
  }

  interface Scope {
    readonly region: string | undefined;
    readonly service: string;
    readonly sigV4a: boolean;
    readonly regionSet: readonly string[] | undefined;
  }

  /**
   * The scope and algorithm: the options first, then the host name (a Multi-Region Access Point host
   * means SigV4a for every region); the region may stay unknown only for SigV4a with a region set.
   */
  let lastScopeHost = '';
  let lastScope: Scope | undefined;
  function scopeFor(url: URL): Scope | Promise<Scope> {
    // The options are fixed, so the scope depends on the host alone: remember the last one worked out.
    const host = url.host;
    if (host === lastScopeHost && lastScope !== undefined) return lastScope;
    const scope = scopeForHost(host);
    if (!(scope instanceof Promise)) {
      lastScopeHost = host;
      lastScope = scope;
    }
    return scope;
  }

  function scopeForHost(host: string): Scope | Promise<Scope> {
    const configured = options.algorithm === 'sigv4a';
    if (options.region !== undefined && options.service !== undefined && (configured || options.algorithm === 'sigv4')) {
      return { region: options.region, service: options.service, sigV4a: configured, regionSet: options.regionSet };
    }
    const inferred = inferCached(host);
    const service = options.service ?? inferred?.service;
    if (service === undefined) throw new CannotInferError('service', host);
    const sigV4a = options.algorithm === undefined ? inferred?.algorithm === 'sigv4a' : configured;
    const regionSet = options.regionSet ?? (sigV4a && options.algorithm === undefined ? inferred?.regionSet : undefined);
    const regionNeeded = !sigV4a || regionSet === undefined;
    const known = options.region ?? inferred?.region;
    if (known !== undefined || !regionNeeded) return { region: known, service, sigV4a, regionSet };
    // Only the fallback to the environment and the profile reads files.
    return defaultRegion().then((region) => {
      if (region === undefined) throw new CannotInferError('region', host);
      return { region, service, sigV4a, regionSet };
    });
  }

  const sign: SigningHook = async (gotOptions) => {
    const url = toUrl(gotOptions.url);
    // URL getters build a new string on every read: each is read once.
    const origin = url.origin;
    const scan = scanGotHeaders(gotOptions.headers);
    const state = stateOf(gotOptions, origin, scan);
    // A stream the first attempt sent cannot be sent again: say so instead of sending a wrong body (a 303
    // turns the request into a body-less GET, which is fine).
    if (state.lastUrl !== undefined && !state.replayable && gotOptions.body !== undefined && gotOptions.body !== null) {
      throw new StreamRetryError(state.lastUrl === url.href ? 'retry' : 'redirect');
    }
    state.lastUrl = url.href;
    // A foreign origin could otherwise redirect back to any path of the signed one and have it signed.
    if (state.leftOrigin || (origin !== state.origin && !allowedOrigins.has(origin))) {
      state.leftOrigin = true;
      return;
    }

    disambiguatePlus(url);
    // The signer splits the string as fast as it reads a URL's parts, and this string is what got sends.
    const href = url.href;
    state.lastUrl = href;
    // Each await lets other work run before the request goes out: skip the ones with nothing to wait for.
    const scope = scopeFor(url);
    const { region, service, sigV4a, regionSet } = scope instanceof Promise ? await scope : scope;
    const s3 = isS3Service(service);
    const method = gotOptions.method.toUpperCase();


    const perRequest = requestContext(gotOptions.context);
    let body: string | Uint8Array | undefined;
    let chunked: { source: AsyncIterable<unknown>; decodedLength: number } | undefined;
    let payloadHash = options.payloadHash ?? state.callerPayloadHash;
    // A got.stream() request of a method with a body gets its bytes piped after the hooks, unless the
    // caller declared there are none (content-length: 0).
    const pipedStream = gotOptions.isStream === true && !BODYLESS_METHODS.has(method) && scan.contentLength !== '0';
    const kind = classifyBody(gotOptions.body, pipedStream);
    if (payloadHash !== undefined) {
      if (kind.kind !== 'bytes') state.replayable = false;
    } else if (kind.kind === 'bytes') {
      body = kind.body;
    } else {
      const streaming = perRequest.streamingPayload ?? options.streamingPayload ?? (s3 ? 'chunked' : 'buffer');
      if (kind.kind === 'stream' && streaming === 'buffer') {
        const buffered = await bufferBody(kind.source, maxBufferedBodyBytes, gotOptions.signal);
        // Replaying a Buffer makes retries and 307 redirects possible; got 14 and 15 need the new length.
        gotOptions.body = buffered;
        for (const name of Object.keys(gotOptions.headers)) if (name.toLowerCase() === 'transfer-encoding') delete gotOptions.headers[name];
        gotOptions.headers['content-length'] = String(buffered.byteLength);
        delete scan.headers['transfer-encoding'];
        scan.headers['content-length'] = String(buffered.byteLength);
        scan.hasTransferEncoding = false;
        body = buffered;
      } else if (kind.kind === 'stream' && streaming === 'chunked' && !sigV4a) {
        const decodedLength = await streamLength(gotOptions.headers, kind.source);
        if (decodedLength === undefined) throw new StreamLengthRequiredError();
        chunked = { source: kind.source, decodedLength };
        state.replayable = false;
      } else if (streaming === 'unsigned' || (s3 && (kind.kind === 'unknown' || sigV4a))) {
        // A body piped into got.stream() is written after the hooks run, so it cannot go through an encoder.
        payloadHash = UNSIGNED_PAYLOAD;
        state.replayable = false;
      } else {
        throw new UnsignableBodyError(kind.kind === 'unknown' && gotOptions.isStream === true ? 'a body piped into got.stream()' : 'this request body');
      }
    }

    // Fresh cached credentials are taken without an await: each await lets other work run first.
    const identity = (gotOptions.signal?.aborted !== true ? cache?.peekCredentials() : undefined) ??
      (await credentialsFor(cache ?? (await credentialCache()), gotOptions));
    state.identity = identity;
    const headers = scan.headers;
    if (state.callerAmzDate !== undefined) headers['x-amz-date'] = state.callerAmzDate;

    let signed: SignedRequest;
    if (chunked !== undefined) {
      const upload = signChunked(identity, region as string, service, { method, url: href, headers }, {
        decodedLength: chunked.decodedLength,
        chunkSize: perRequest.chunkSize ?? options.chunkSize,
        checksum: perRequest.checksum ?? options.checksum,
      });
      signed = upload.signed;
      // An async generator rather than a stream: got iterates it and fails the request with whatever it
      // throws (a stream longer or shorter than its length), where a replacement stream's error would go
      // unheard and the request would hang.
      gotOptions.body = upload.encode(chunked.source as AsyncIterable<Uint8Array | string>);
    } else {
      if (sigV4a) signed = signSigV4a(identity, region, service, regionSet, { method, url: href, headers, body }, payloadHash);
      else if (datePolicy === 'regenerate' && state.callerAmzDate === undefined && headers.date === undefined) {
        // Nothing for a date policy to decide: sign now (with the learned clock offset) without AWS4Auth's
        // date reading, which tripled the hook's cost inside got.
        const now = new Date(skew.now());
        toAmzDate(now, 'options.clock'); // a clock out of range is named as the clock, not as a date
        signed = signRequest(
          { method, url: href, headers, body },
          {
            includeHeaders: fixed.includeHeaders,
            signSessionToken: fixed.signSessionToken,
            normalizePath: fixed.normalizePath,
            doubleEncodePath: fixed.doubleEncodePath,
            contentSha256Header: fixed.contentSha256Header,
            credentials: identity,
            region: region as string,
            service,
            date: now,
            payloadHash,
          },
        );
      } else signed = authFor(identity, region as string, service).sign({ method, url: href, headers, body }, { payloadHash });
    }
    if (options.onSigned !== undefined) {
      const token = identity.sessionToken;
      const canonicalRequest = token ? signed.canonicalRequest.replaceAll(token, '<redacted>').replaceAll(encodeURIComponent(token), '<redacted>') : signed.canonicalRequest;
      options.onSigned({ canonicalRequest, stringToSign: signed.stringToSign, signedHeaders: signed.signedHeaders, credentialScope: signed.credentialScope });
    }
    writeSignedHeaders(gotOptions.headers, signed.headers, scan.lowerCase, scan.hasTransferEncoding);
  };

  const stripOnForeignRedirect: RedirectHook = (gotOptions) => {
    const url = gotOptions.url instanceof URL ? gotOptions.url : undefined;
    const state = (gotOptions.context as Record<PropertyKey, unknown>)[STATE] as RequestState | undefined;
    if (url === undefined || state === undefined || url.origin === state.origin || allowedOrigins.has(url.origin)) return;
    stripSigningHeaders(gotOptions.headers);
  };

  const retryOnceWhenRejectedForTime: ResponseHook = (response, retryWithMergedOptions) => {
    const date = typeof response.headers.date === 'string' ? response.headers.date : undefined;
    const state = (response.request.options.context as Record<PropertyKey, unknown>)[STATE] as RequestState | undefined;
    if (response.statusCode < 400 || state === undefined) {
      if (correctClockSkew) skew.observe(date);
      return response;
    }
    const text = bodyText(response.body);
    const skewed = correctClockSkew && skew.isSkewError(response.statusCode, text, date);
    if (correctClockSkew) skew.observe(date);
    // A stream sent as it was read cannot be sent again: keep what was learned and return the answer.
    if (!state.replayable) return response;
    if (skewed && !state.skewRetried) {
      state.skewRetried = true;
      return retryWithMergedOptions({});
    }
    if ((response.statusCode === 400 || response.statusCode === 403) && /ExpiredToken|InvalidToken|TokenRefreshRequired/.test(text) && !state.tokenRetried && cache !== undefined) {
      state.tokenRetried = true;
      cache.invalidate(state.identity);
      return retryWithMergedOptions({});
    }
    return response;
  };

  return { hooks: { beforeRequest: [sign], beforeRedirect: [stripOnForeignRedirect], afterResponse: [retryOnceWhenRejectedForTime] } };
}
