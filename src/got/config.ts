/**
 * The plugin's configuration: the caller's options read once, own properties only, validated, defaulted and
 * frozen. Options may be class instances, getters or Proxies, or sit on a polluted `Object.prototype`: an
 * inherited `allowedRedirectOrigins`, `credentials`, `onSigned` or `payloadHash` is never seen, and a getter
 * cannot answer differently after validation, because every later step reads only this record.
 *
 * @internal
 * @module
 */
import { snapshotOwn, type Snapshot } from '../signer/snapshot.js';
import { InvalidInputError, describeValue } from '../signer/errors.js';
import { arrayCopy, checkIncludeHeaders, checkOptionalBoolean, checkRegionSet, checkScopePart } from '../signer/validate.js';
import { checkedChunkSize } from '../signer/chunked-length.js';
import { checkedChecksumAlgorithm, type ChecksumAlgorithm } from '../signer/checksums.js';
import { checkPayloadHash } from '../signer/payload-hash.js';
import type { CredentialCacheOptions } from '../credentials/index.js';
import type { Aws4HooksOptions, CredentialsOption, DatePolicy, StreamingPayload } from './types.js';

const KEYS = [
  'region', 'service', 'credentials', 'credentialCache', 'payloadHash', 'datePolicy', 'algorithm', 'regionSet',
  'raiseInvalidDate', 'streamingPayload', 'chunkSize', 'checksum', 'maxBufferedBodyBytes', 'allowedRedirectOrigins',
  'correctClockSkew', 'clock', 'onSigned', 'includeHeaders', 'signSessionToken', 'normalizePath', 'doubleEncodePath',
  'contentSha256Header',
] as const satisfies readonly (keyof Aws4HooksOptions)[];
type Key = (typeof KEYS)[number];

const FIELD = 'aws4Hooks options';
const DEFAULT_MAX_BUFFERED_BODY_BYTES = 16 * 1024 * 1024;

/** The signer choices that are the same for every request. @internal */
export interface FixedChoices {
  readonly includeHeaders: readonly string[] | undefined;
  readonly signSessionToken: boolean | undefined;
  readonly normalizePath: boolean | undefined;
  readonly doubleEncodePath: boolean | undefined;
  readonly contentSha256Header: boolean | undefined;
}

/** The validated, frozen configuration of one plugin instance. @internal */
export interface PluginConfig {
  readonly region: string | undefined;
  readonly service: string | undefined;
  readonly algorithm: 'sigv4' | 'sigv4a' | undefined;
  readonly regionSet: readonly string[] | undefined;
  readonly credentials: CredentialsOption | undefined;
  readonly credentialCache: CredentialCacheOptions | undefined;
  readonly payloadHash: string | undefined;
  readonly datePolicy: DatePolicy;
  readonly raiseInvalidDate: boolean;
  readonly streamingPayload: StreamingPayload | undefined;
  readonly chunkSize: number | undefined;
  readonly checksum: ChecksumAlgorithm | undefined;
  readonly maxBufferedBodyBytes: number;
  /** The normalised origins besides a request's first one that may be signed. */
  readonly allowedOrigins: ReadonlySet<string>;
  readonly correctClockSkew: boolean;
  readonly clock: () => number;
  readonly onSigned: Aws4HooksOptions['onSigned'];
  readonly fixed: FixedChoices;
}

function check<T>(value: unknown, field: string, valid: (value: unknown) => boolean, expected: string): T | undefined {
  if (value !== undefined && !valid(value)) throw new InvalidInputError(`${FIELD}.${field}`, `must be ${expected}, got ${describeValue(value)}`);
  return value as T | undefined;
}

/**
 * A bare origin: scheme, host and optional port, with at most a trailing slash. Trust is per origin, so a path,
 * query, fragment or user info (which `URL.origin` would silently drop) is refused rather than read as a scope.
 */
const BARE_ORIGIN = /^https?:\/\/[^/?#@\\\s\x00-\x1f\x7f]+\/?$/i;

function normalizeOrigin(origin: unknown): string {
  let url: URL | undefined;
  try {
    url = typeof origin === 'string' ? new URL(origin) : undefined;
  } catch {
    url = undefined;
  }
  // javascript:, data: and the like have the opaque origin "null", which must never match anything.
  if (url === undefined || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
    throw new InvalidInputError(`${FIELD}.allowedRedirectOrigins`, `holds ${describeValue(origin)}, which is not an http(s) origin such as "https://example.com"`);
  }
  if (!BARE_ORIGIN.test(origin as string)) {
    // The value is not repeated: its user info or query may hold a password or a presigned signature.
    throw new InvalidInputError(
      `${FIELD}.allowedRedirectOrigins`,
      `holds a URL with more than an origin (a path, query, fragment, user info or white space), but trust covers a whole origin, never a path: pass only "${url.origin}"`,
    );
  }
  return url.origin;
}

function allowedOrigins(value: unknown): ReadonlySet<string> {
  if (value === undefined) return new Set();
  const copy = arrayCopy(value, `${FIELD}.allowedRedirectOrigins`);
  if (copy === undefined) throw new InvalidInputError(`${FIELD}.allowedRedirectOrigins`, `must be an array of origins such as "https://example.com", got ${describeValue(value)}`);
  return new Set(copy.map(normalizeOrigin));
}

function fixedChoices(o: Snapshot<Key>): FixedChoices {
  return Object.freeze({
    includeHeaders: checkIncludeHeaders(o.includeHeaders, `${FIELD}.includeHeaders`),
    signSessionToken: checkOptionalBoolean(o.signSessionToken, `${FIELD}.signSessionToken`),
    normalizePath: checkOptionalBoolean(o.normalizePath, `${FIELD}.normalizePath`),
    doubleEncodePath: checkOptionalBoolean(o.doubleEncodePath, `${FIELD}.doubleEncodePath`),
    contentSha256Header: checkOptionalBoolean(o.contentSha256Header, `${FIELD}.contentSha256Header`),
  });
}

function algorithmChoices(o: Snapshot<Key>): Pick<PluginConfig, 'algorithm' | 'regionSet' | 'datePolicy'> {
  const algorithm = check<'sigv4' | 'sigv4a'>(o.algorithm, 'algorithm', (v) => v === 'sigv4' || v === 'sigv4a', '"sigv4" or "sigv4a"');
  const datePolicy = check<DatePolicy>(o.datePolicy, 'datePolicy', (v) => v === 'regenerate' || v === 'strict' || v === 'passive', '"regenerate", "strict" or "passive"');
  if (algorithm !== 'sigv4a') {
    check(o.regionSet, 'regionSet', () => false, 'omitted unless algorithm is "sigv4a"');
    return { algorithm, regionSet: undefined, datePolicy: datePolicy ?? 'regenerate' };
  }
  check(datePolicy, 'datePolicy', (v) => v === 'regenerate', '"regenerate" (or omitted) with algorithm "sigv4a", whose key has no date');
  // Checked as joined; kept as the list the signer takes (both read from one copy).
  const regionSet = o.regionSet === undefined ? undefined : Object.freeze(checkRegionSet(o.regionSet, `${FIELD}.regionSet`).split(','));
  return { algorithm, regionSet, datePolicy: 'regenerate' };
}

function bodyChoices(o: Snapshot<Key>): Pick<PluginConfig, 'payloadHash' | 'streamingPayload' | 'chunkSize' | 'checksum' | 'maxBufferedBodyBytes'> {
  const maxBuffered = check<number>(o.maxBufferedBodyBytes, 'maxBufferedBodyBytes', (v) => Number.isInteger(v) && (v as number) >= 0, 'a whole number of bytes');
  return {
    payloadHash: o.payloadHash === undefined ? undefined : checkPayloadHash(o.payloadHash, `${FIELD}.payloadHash`),
    streamingPayload: check(o.streamingPayload, 'streamingPayload', (v) => v === 'chunked' || v === 'unsigned' || v === 'buffer', '"chunked", "unsigned" or "buffer"'),
    chunkSize: o.chunkSize === undefined ? undefined : checkedChunkSize(o.chunkSize),
    checksum: o.checksum === undefined ? undefined : checkedChecksumAlgorithm(o.checksum, `${FIELD}.checksum`),
    maxBufferedBodyBytes: maxBuffered ?? DEFAULT_MAX_BUFFERED_BODY_BYTES,
  };
}

/**
 * Reads, validates and freezes the plugin's options.
 *
 * @param options - the caller's options (`undefined` for none)
 * @throws {@link InvalidInputError} (or a subclass) naming the first bad option
 * @internal
 */
export function pluginConfig(options: unknown): PluginConfig {
  if (typeof options === 'function') throw new InvalidInputError(FIELD, `must be an object, got ${describeValue(options)}`);
  const o = snapshotOwn(options === undefined ? {} : options, KEYS, FIELD);
  const isFunction = (v: unknown): boolean => typeof v === 'function';
  return Object.freeze({
    region: o.region === undefined ? undefined : checkScopePart(o.region, `${FIELD}.region`, 'eu-west-1'),
    service: o.service === undefined ? undefined : checkScopePart(o.service, `${FIELD}.service`, 's3'),
    ...algorithmChoices(o),
    credentials: o.credentials as CredentialsOption | undefined,
    credentialCache: check<CredentialCacheOptions>(o.credentialCache, 'credentialCache', (v) => typeof v === 'object' && v !== null, 'an object of CredentialCache options'),
    raiseInvalidDate: checkOptionalBoolean(o.raiseInvalidDate, `${FIELD}.raiseInvalidDate`) ?? false,
    ...bodyChoices(o),
    allowedOrigins: allowedOrigins(o.allowedRedirectOrigins),
    correctClockSkew: checkOptionalBoolean(o.correctClockSkew, `${FIELD}.correctClockSkew`) ?? true,
    clock: check<() => number>(o.clock, 'clock', isFunction, 'a function returning milliseconds since the epoch') ?? Date.now,
    onSigned: check<Aws4HooksOptions['onSigned']>(o.onSigned, 'onSigned', isFunction, 'a function'),
    fixed: fixedChoices(o),
  });
}
