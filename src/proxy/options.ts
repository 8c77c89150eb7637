/**
 * The proxy's options, read once: each field of the caller's object (own properties only, so a polluted
 * `Object.prototype` adds nothing) is read a single time into a frozen snapshot (`snapshotOwn`), validated
 * with the project's validators, and only the snapshot is used afterwards. A getter or Proxy that answers
 * differently on a second read cannot change what was checked.
 *
 * @module
 */
import { arrayCopy, checkAccessKeyId, checkClock, checkOptionalBoolean, checkScopePart, checkSecret } from '../signer/validate.js';
import { CredentialCache } from '../credentials/index.js';
import { MIN_CHUNK_SIZE } from '../signer/chunked-length.js';
// A longer timeout would act as an almost immediate one.
import { MAX_TIMER_MS } from '../credentials/bounded-wait.js';
import { InvalidInputError, describeValue } from '../signer/errors.js';
import { isInstanceOf, snapshotOwn } from '../signer/snapshot.js';
import type { CredentialsOption } from '../got/types.js';
import type { AccessLogEntry, ClientKey, SigningProxyOptions, UpstreamStreaming } from './types.js';
import { resolveUpstream, type Upstream } from './upstreams.js';

const FIELD = 'createSigningProxy options';
const DEFAULT_MAX_BUFFERED = 16 * 1024 * 1024;
const DEFAULT_CLOCK_TOLERANCE_MS = 15 * 60_000;
/** S3's own: it answers RequestTimeout to a body that sends nothing for about 20 seconds. */
const DEFAULT_BODY_IDLE_MS = 20_000;
/**
 * A body read before its signature is checked is at most `maxBufferedBodyBytes` (16 MiB by default): a minute
 * allows 16 MiB at ~280 KB/s, far slower than a client of a signing proxy, yet bounds how long a peer who
 * trickles bytes just inside the idle timeout can hold its share of `maxUnverifiedBytes` (red-team pass 4, F3).
 */
const DEFAULT_UNVERIFIED_BODY_MS = 60_000;
/** Above the longest synchronous AWS call (a Lambda Invoke may run 15 minutes before it answers). */
const DEFAULT_UPSTREAM_RESPONSE_MS = 16 * 60_000;
/** The unverified bodies all requests may hold together, as a multiple of one request's limit. */
const UNVERIFIED_PER_BUFFER = 4;
const KNOWN: ReadonlySet<string> = new Set([
  'upstreams', 'upstream', 'credentials', 'clientKeys', 'allowServices', 'allowRegions', 'upstreamStreaming', 'allowRemote', 'allowHosts', 'allowOrigins',
  'accessLog', 'maxBufferedBodyBytes', 'maxUnverifiedBytes', 'bodyIdleTimeoutMs', 'unverifiedBodyTimeoutMs', 'upstreamResponseTimeoutMs', 'chunkSize', 'clockToleranceMs', 'clock',
]);

/**
 * The validated snapshot the proxy runs on.
 * @category Proxy
 */
export interface ResolvedProxyOptions {
  readonly upstreams: readonly Upstream[];
  readonly credentials: CredentialsOption | undefined;
  /** Client secrets by access key id. */
  readonly clientKeys: ReadonlyMap<string, string> | undefined;
  readonly allowServices: ReadonlySet<string> | undefined;
  /** Extra Host names (lower case, `name` or `name:port`) that address the proxy. */
  readonly allowHosts: ReadonlySet<string>;
  /** Web page origins (lower case) allowed to send requests through the proxy. */
  readonly allowOrigins: ReadonlySet<string>;
  readonly allowRegions: ReadonlySet<string> | undefined;
  readonly upstreamStreaming: UpstreamStreaming;
  readonly allowRemote: boolean;
  readonly accessLog: ((entry: AccessLogEntry) => void) | undefined;
  readonly maxBufferedBodyBytes: number;
  /** Bytes of bodies read before their signature is checked, over all requests at once. */
  readonly maxUnverifiedBytes: number;
  /** 0: no limit. */
  readonly bodyIdleTimeoutMs: number;
  /** The whole read of a body held before its signature is checked; 0: no limit. */
  readonly unverifiedBodyTimeoutMs: number;
  /** 0: no limit. */
  readonly upstreamResponseTimeoutMs: number;
  readonly chunkSize: number | undefined;
  readonly clockToleranceMs: number;
  readonly clock: () => number;
}

/** The own string keys of the options object, to refuse a misspelt option; listing them may throw (a revoked Proxy). */
function ownKeys(source: object): string[] {
  try {
    return Object.keys(source);
  } catch {
    throw new InvalidInputError(FIELD, 'could not be inspected (it threw when its fields were listed, e.g. a revoked Proxy); pass a plain object');
  }
}

/** An array read once into a frozen copy (own indices only). */
function arrayOf(value: unknown, field: string, expected: string): readonly unknown[] | undefined {
  if (value === undefined) return undefined;
  const copy = arrayCopy(value, field);
  if (copy === undefined) throw new InvalidInputError(field, `must be an array of ${expected}, got ${describeValue(value)}`);
  return Object.freeze(copy);
}

function nameSet(value: unknown, field: string, example: string): ReadonlySet<string> | undefined {
  const list = arrayOf(value, field, `names such as "${example}"`);
  if (list === undefined) return undefined;
  if (list.length === 0) throw new InvalidInputError(field, `must name at least one, such as ["${example}"], or be left out`);
  return new Set(list.map((name, i) => checkScopePart(name, `${field}[${i}]`, example)));
}

/** Lower-cased strings without spaces or controls: Host names or origins. */
function lowerSet(value: unknown, field: string, example: string): ReadonlySet<string> {
  const list = arrayOf(value, field, `strings such as "${example}"`) ?? [];
  return new Set(
    list.map((entry, i) => {
      if (typeof entry !== 'string' || !/^[\x21-\x7e]+$/.test(entry)) throw new InvalidInputError(`${field}[${i}]`, `must be a name such as "${example}", got ${describeValue(entry)}`);
      return entry.toLowerCase().replace(/\/+$/, '');
    }),
  );
}

function clientKeyMap(value: unknown): ReadonlyMap<string, string> | undefined {
  const list = arrayOf(value, `${FIELD}.clientKeys`, '{ accessKeyId, secretAccessKey } objects');
  if (list === undefined) return undefined;
  if (list.length === 0) throw new InvalidInputError(`${FIELD}.clientKeys`, 'must hold at least one key, or be left out');
  const keys = new Map<string, string>();
  list.forEach((entry, i) => {
    const key = snapshotOwn(entry, ['accessKeyId', 'secretAccessKey'], `${FIELD}.clientKeys[${i}]`) as Partial<ClientKey>;
    const id = checkAccessKeyId(key.accessKeyId, `${FIELD}.clientKeys[${i}].accessKeyId`);
    const secret = checkSecret(key.secretAccessKey, `${FIELD}.clientKeys[${i}].secretAccessKey`);
    if (keys.has(id)) throw new InvalidInputError(`${FIELD}.clientKeys[${i}].accessKeyId`, `repeats access key id ${JSON.stringify(id)}; give each client key once`);
    keys.set(id, secret);
  });
  return keys;
}

function wholeNumber(value: unknown, field: string, min: number, fallback: number, max = Number.MAX_SAFE_INTEGER): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min || value > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `of at least ${min}` : `from ${min} to ${max}`;
    throw new InvalidInputError(field, `must be a whole number ${range}, got ${describeValue(value)}`);
  }
  return value;
}


function credentialsOption(value: unknown): CredentialsOption | undefined {
  if (value === undefined || typeof value === 'function' || isInstanceOf(value, CredentialCache, `${FIELD}.credentials`)) return value as CredentialsOption | undefined;
  const identity = snapshotOwn(value, ['accessKeyId', 'secretAccessKey', 'sessionToken', 'expiration', 'credentialScope', 'accountId'], `${FIELD}.credentials`);
  checkAccessKeyId(identity.accessKeyId, `${FIELD}.credentials.accessKeyId`);
  checkSecret(identity.secretAccessKey, `${FIELD}.credentials.secretAccessKey`);
  // The cache validates the rest (session token, expiry) as it does for every identity.
  return { ...identity } as unknown as CredentialsOption;
}

function streamingMode(value: unknown): UpstreamStreaming {
  if (value === undefined) return 'signed';
  if (value === 'signed' || value === 'unsigned' || value === 'buffered') return value;
  throw new InvalidInputError(`${FIELD}.upstreamStreaming`, `must be "signed", "unsigned" or "buffered", got ${describeValue(value)}`);
}

function accessLogOption(value: unknown): ((entry: AccessLogEntry) => void) | undefined {
  if (value === undefined || typeof value === 'function') return value as ((entry: AccessLogEntry) => void) | undefined;
  throw new InvalidInputError(`${FIELD}.accessLog`, `must be a function called with each request's AccessLogEntry, got ${describeValue(value)}`);
}

/**
 * Validates the options into the snapshot the proxy uses.
 *
 * @throws {@link InvalidInputError} (or `InvalidCredentialsError`) naming the field that is wrong
 * @category Proxy
 */
export function resolveProxyOptions(options: SigningProxyOptions): ResolvedProxyOptions {
  const o = snapshotOwn(options, [...KNOWN], FIELD) as Record<string, unknown>;
  for (const key of ownKeys(options)) {
    if (!KNOWN.has(key)) throw new InvalidInputError(`${FIELD}.${key}`, `is not an option; the options are ${[...KNOWN].join(', ')}`);
  }
  if (o.upstream !== undefined && o.upstreams !== undefined) {
    throw new InvalidInputError(`${FIELD}.upstream`, 'cannot be combined with upstreams: give one upstream, or the list');
  }
  const upstreamList = o.upstream !== undefined ? [o.upstream] : arrayOf(o.upstreams, `${FIELD}.upstreams`, 'upstream URLs such as "https://my-bucket.s3.eu-west-1.amazonaws.com"');
  if (upstreamList === undefined || upstreamList.length === 0) {
    throw new InvalidInputError(`${FIELD}.upstreams`, 'must name at least one upstream, such as ["https://my-bucket.s3.eu-west-1.amazonaws.com"]: the proxy signs only for the upstreams it is given');
  }
  const maxBufferedBodyBytes = wholeNumber(o.maxBufferedBodyBytes, `${FIELD}.maxBufferedBodyBytes`, 0, DEFAULT_MAX_BUFFERED);
  return Object.freeze({
    upstreams: Object.freeze(upstreamList.map((u, i) => resolveUpstream(u, o.upstream !== undefined ? `${FIELD}.upstream` : `${FIELD}.upstreams[${i}]`))),
    credentials: credentialsOption(o.credentials),
    clientKeys: clientKeyMap(o.clientKeys),
    allowServices: nameSet(o.allowServices, `${FIELD}.allowServices`, 's3'),
    allowRegions: nameSet(o.allowRegions, `${FIELD}.allowRegions`, 'eu-west-1'),
    upstreamStreaming: streamingMode(o.upstreamStreaming),
    allowHosts: lowerSet(o.allowHosts, `${FIELD}.allowHosts`, 'proxy.internal:8080'),
    allowOrigins: lowerSet(o.allowOrigins, `${FIELD}.allowOrigins`, 'http://localhost:3000'),
    allowRemote: checkOptionalBoolean(o.allowRemote, `${FIELD}.allowRemote`) ?? false,
    accessLog: accessLogOption(o.accessLog),
    maxBufferedBodyBytes,
    maxUnverifiedBytes: wholeNumber(o.maxUnverifiedBytes, `${FIELD}.maxUnverifiedBytes`, 0, UNVERIFIED_PER_BUFFER * maxBufferedBodyBytes),
    bodyIdleTimeoutMs: wholeNumber(o.bodyIdleTimeoutMs, `${FIELD}.bodyIdleTimeoutMs`, 0, DEFAULT_BODY_IDLE_MS, MAX_TIMER_MS),
    unverifiedBodyTimeoutMs: wholeNumber(o.unverifiedBodyTimeoutMs, `${FIELD}.unverifiedBodyTimeoutMs`, 0, DEFAULT_UNVERIFIED_BODY_MS, MAX_TIMER_MS),
    upstreamResponseTimeoutMs: wholeNumber(o.upstreamResponseTimeoutMs, `${FIELD}.upstreamResponseTimeoutMs`, 0, DEFAULT_UPSTREAM_RESPONSE_MS, MAX_TIMER_MS),
    chunkSize: o.chunkSize === undefined ? undefined : wholeNumber(o.chunkSize, `${FIELD}.chunkSize`, MIN_CHUNK_SIZE, MIN_CHUNK_SIZE),
    clockToleranceMs: wholeNumber(o.clockToleranceMs, `${FIELD}.clockToleranceMs`, 0, DEFAULT_CLOCK_TOLERANCE_MS),
    clock: checkClock(o.clock, `${FIELD}.clock`) ?? Date.now,
  });
}
