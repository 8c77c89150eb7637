/**
 * The auth policy layer: an object that holds an access key id, a signing key and (optionally) a session
 * token, reads each request's date, and decides what happens when that date is not the signing key's scope
 * date. {@link AWS4Auth} derives a key for the new date, {@link StrictAWS4Auth} refuses with
 * {@link DateMismatchError}, {@link PassiveAWS4Auth} signs with the key it has.
 *
 * Sharing one instance across concurrent requests is safe. Signing is synchronous and reads the current
 * key once; a regenerated key replaces the old one in a single assignment of an immutable
 * {@link AWS4SigningKey}, so no request ever sees a half-updated scope, and every request is signed with a
 * key for its own date even when requests from both sides of midnight interleave. Nothing is shared between
 * instances: no class-level state exists.
 *
 * @module
 */
import type { InspectOptions, inspect as nodeInspect } from 'node:util';
import { checkedRequest, signRequest } from '../signer/sign-headers.js';
import { UNREADABLE, ownOnly, snapshotOwn, type Snapshot } from '../signer/snapshot.js';
import type { SignerChoices } from '../signer/types.js';
import { AWS4AuthError, InvalidInputError, describeValue } from '../signer/errors.js';
import type { SignableRequest, SignedRequest, SignOptions } from '../signer/types.js';
import { AWS4SigningKey, signingKeyBytes } from './signing-key.js';
import { headersOnce } from './headers-once.js';
import { NoSecretKeyError, type DateMismatchError } from './errors.js';
import { decideSigningDate, rescope, type DatePolicyName } from './date-policy.js';
import { INSPECT, inspectView } from './redaction.js';
import {
  checkAccessKeyId,
  checkClock,
  checkIncludeHeaders,
  checkOptionalBoolean,
  checkOptionsObject,
  checkScopePart,
  checkSecret,
  checkSessionToken,
  checkShortDate,
  checkTime,
  readClock,
} from '../signer/validate.js';

/**
 * requests-aws4auth's default `include_hdrs`: `host`, `content-type`, `date` and every `x-amz-*` header.
 * got-aws4auth signs every header except those proxies may change by default (see `DEFAULT_UNSIGNED_HEADERS`),
 * which protects more of the request; pass this list as `includeHeaders` to sign exactly what
 * requests-aws4auth signed. (requests-aws4auth also left `x-amz-client-context` out of `x-amz-*`; a pattern
 * cannot express that exception, so list the headers by name if you send that one.)
 *
 * @example
 * ```ts
 * import { AWS4Auth, REQUESTS_AWS4AUTH_INCLUDE_HEADERS } from 'got-aws4auth';
 * const auth = new AWS4Auth({
 *   accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
 *   region: 'eu-west-1', service: 'es', includeHeaders: REQUESTS_AWS4AUTH_INCLUDE_HEADERS,
 * });
 * ```
 * @category requests-aws4auth
 */
export const REQUESTS_AWS4AUTH_INCLUDE_HEADERS: readonly string[] = Object.freeze(['host', 'content-type', 'date', 'x-amz-*']);

/**
 * Options of {@link AWS4Auth}: the credentials, and either a secret access key with the scope or a ready
 * {@link AWS4SigningKey}.
 *
 * @example
 * ```ts
 * import { AWS4Auth, AWS4SigningKey, type AWS4AuthOptions } from 'got-aws4auth';
 * declare const secretAccessKey: string;
 * const withSecret: AWS4AuthOptions = {
 *   accessKeyId: 'AKIDEXAMPLE',
 *   secretAccessKey,
 *   region: 'eu-west-1',
 *   service: 'es',
 *   sessionToken: process.env.AWS_SESSION_TOKEN,
 * };
 * // Or a key made beforehand, without the secret (it cannot then be regenerated for another day)
 * const withKey: AWS4AuthOptions = {
 *   accessKeyId: 'AKIDEXAMPLE',
 *   signingKey: new AWS4SigningKey(secretAccessKey, 'eu-west-1', 'es', undefined, { storeSecretKey: false }),
 * };
 * const auth = new AWS4Auth(withSecret);
 * ```
 * @category requests-aws4auth
 */
export interface AWS4AuthOptions extends SignerChoices {
  /** The access key id, e.g. `AKIDEXAMPLE`. */
  readonly accessKeyId: string;
  /** The secret access key. Give this with `region` and `service`, or give `signingKey` instead. */
  readonly secretAccessKey?: string | undefined;
  /**
   * A signing key made beforehand; its scope (region, service, date) is used. Create it with
   * `storeSecretKey: false` to keep the secret out of this object (see {@link NoSecretKeyError}).
   */
  readonly signingKey?: AWS4SigningKey | undefined;
  /** The region, e.g. `eu-west-1`. Required with `secretAccessKey`; with `signingKey`, it must be the key's if given. */
  readonly region?: string | undefined;
  /** The service signing name, e.g. `s3`, `es`. Required with `secretAccessKey`; with `signingKey`, the key's if given. */
  readonly service?: string | undefined;
  /** The scope date of the first key, `YYYYMMDD`. Default: today (UTC) by `clock`. With `signingKey`, the key's if given. */
  readonly date?: string | undefined;
  /** With `secretAccessKey`: keep the secret so keys for new dates can be derived. Default: true. */
  readonly storeSecretKey?: boolean | undefined;
  /** The session token of temporary credentials, sent (and by default signed) as `x-amz-security-token`. */
  readonly sessionToken?: string | undefined;
  /**
   * Throw {@link DateFormatError} when a request's `X-Amz-Date`/`Date` headers are present but none can be
   * read. Default: false, which removes them and signs at the current time.
   */
  readonly raiseInvalidDate?: boolean | undefined;
  /** The clock for "now", in ms since the epoch. Default: `Date.now`. */
  readonly clock?: (() => number) | undefined;
}

/**
 * Options of one {@link AWS4Auth.sign} call.
 *
 * @example
 * ```ts
 * import { AWS4Auth, UNSIGNED_PAYLOAD, type AWS4AuthSignOptions } from 'got-aws4auth';
 * declare const auth: AWS4Auth; // for service 's3'
 * // Sign a large upload at a fixed time, without hashing its bytes
 * const options: AWS4AuthSignOptions = { now: Date.parse('2024-01-15T12:00:00Z'), payloadHash: UNSIGNED_PAYLOAD };
 * const signed = auth.sign({ method: 'PUT', url: 'https://my-bucket.s3.eu-west-1.amazonaws.com/video.mp4' }, options);
 * ```
 * @category requests-aws4auth
 */
export interface AWS4AuthSignOptions {
  /** The time to sign at when the request carries no usable date header. Default: the instance's clock. */
  readonly now?: Date | number | undefined;
  /** The payload hash to sign instead of hashing `request.body`, e.g. `UNSIGNED-PAYLOAD` for a stream. */
  readonly payloadHash?: string | undefined;
}

/**
 * What {@link AWS4Auth.regenerateSigningKey} changes; every field defaults to the current key's.
 *
 * @example
 * ```ts
 * import { AWS4Auth, type RegenerateSigningKeyOptions } from 'got-aws4auth';
 * declare const secretAccessKey: string;
 * const auth = new AWS4Auth({ accessKeyId: 'AKIDEXAMPLE', secretAccessKey, region: 'eu-west-1', service: 'es', date: '20240115' });
 * const change: RegenerateSigningKeyOptions = { region: 'us-west-2' };
 * auth.regenerateSigningKey(change).scope; // '20240115/us-west-2/es/aws4_request'
 * ```
 * @category requests-aws4auth
 */
export interface RegenerateSigningKeyOptions {
  /** The secret to derive from; required when the current key does not store its secret. */
  readonly secretAccessKey?: string | undefined;
  /** The new region. */
  readonly region?: string | undefined;
  /** The new service signing name. */
  readonly service?: string | undefined;
  /** The new scope date, `YYYYMMDD`. */
  readonly date?: string | undefined;
}

/**
 * The public, secret-free view of an {@link AWS4Auth}, as `toJSON` returns it.
 *
 * @example
 * ```ts
 * import { AWS4Auth, type AWS4AuthView } from 'got-aws4auth';
 * declare const secretAccessKey: string;
 * const auth = new AWS4Auth({ accessKeyId: 'AKIDEXAMPLE', secretAccessKey, region: 'eu-west-1', service: 'es', date: '20240115' });
 * const view: AWS4AuthView = auth.toJSON();
 * // { accessKeyId: 'AKIDEXAMPLE', scope: '20240115/eu-west-1/es/aws4_request', storeSecretKey: true,
 * //   hasSessionToken: false, raiseInvalidDate: false, includeHeaders: undefined }
 * console.log(JSON.stringify(auth)); // the same view: safe to log
 * ```
 * @category requests-aws4auth
 */
export interface AWS4AuthView {
  /** The access key id (not a secret). */
  readonly accessKeyId: string;
  /** The current signing key's scope. */
  readonly scope: string;
  /** Whether the secret is kept to derive keys for other dates. */
  readonly storeSecretKey: boolean;
  /** Whether a session token is configured (never the token itself). */
  readonly hasSessionToken: boolean;
  /** Whether unparseable request dates throw instead of being replaced. */
  readonly raiseInvalidDate: boolean;
  /** The header include patterns, when configured. */
  readonly includeHeaders: readonly string[] | undefined;
}

// Every field each options object may carry: the snapshots read these and nothing else.
const AUTH_OPTION_KEYS = [
  'accessKeyId',
  'secretAccessKey',
  'signingKey',
  'region',
  'service',
  'date',
  'storeSecretKey',
  'sessionToken',
  'raiseInvalidDate',
  'clock',
  'includeHeaders',
  'signSessionToken',
  'normalizePath',
  'doubleEncodePath',
  'contentSha256Header',
] as const satisfies readonly (keyof AWS4AuthOptions)[];
// No prototype: a name read from it must not reach a polluted Object.prototype.
const NO_SIGN_OPTIONS: AWS4AuthSignOptions = Object.freeze(Object.create(null) as AWS4AuthSignOptions);
const REGENERATE_OPTION_KEYS = ['secretAccessKey', 'region', 'service', 'date'] as const satisfies readonly (keyof RegenerateSigningKeyOptions)[];
type AuthOptionsSnapshot = Snapshot<(typeof AUTH_OPTION_KEYS)[number]>;
type RegenerateKey = (typeof REGENERATE_OPTION_KEYS)[number];

/** The signer options that do not change from one request to the next. */
type FixedSignOptions = Pick<SignOptions, 'includeHeaders' | 'signSessionToken' | 'normalizePath' | 'doubleEncodePath' | 'contentSha256Header'>;

/**
 * Signs requests with SigV4, reading each request's date and regenerating the signing key when that date is
 * not the key's scope date (as requests-aws4auth's `AWS4Auth` does since 0.8).
 *
 * For each request: a parseable `X-Amz-Date` (in any of the {@link parseHttpDate} formats) sets the signing
 * time and is sent as `YYYYMMDDTHHMMSSZ`; otherwise a parseable `Date` header sets it and is signed as it is,
 * with no `x-amz-date` added; otherwise an `x-amz-date` of now is added, after removing date headers that
 * could not be read (or throwing {@link DateFormatError} with `raiseInvalidDate`). `sign` never modifies the
 * request; it returns the headers to send.
 *
 * Safe to share between concurrent requests; see the module notes. The secret access key, session token and
 * key bytes never appear in `toString`, `toJSON`, `JSON.stringify` or `util.inspect`.
 *
 * @example
 * ```ts
 * import { AWS4Auth } from 'got-aws4auth';
 * const auth = new AWS4Auth({
 *   accessKeyId: 'AKIDEXAMPLE',
 *   secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
 *   region: 'eu-west-1',
 *   service: 'es',
 * });
 * const signed = auth.sign({ method: 'GET', url: 'https://search-demo.eu-west-1.es.amazonaws.com/_search' });
 * console.log(signed.headers.authorization, signed.headers['x-amz-date']);
 * ```
 * @category requests-aws4auth
 */
export class AWS4Auth {
  /** The access key id. */
  readonly accessKeyId: string;
  /** Whether unreadable date headers throw {@link DateFormatError} instead of being replaced. */
  readonly raiseInvalidDate: boolean;
  /** The header names or patterns to sign, or `undefined` for the signer's default. */
  readonly includeHeaders: readonly string[] | undefined;
  #signingKey: AWS4SigningKey;
  readonly #sessionToken: string | undefined;
  readonly #fixed: FixedSignOptions;
  readonly #clock: () => number;

  /**
   * @param options - the credentials and scope, see {@link AWS4AuthOptions}
   * @throws {@link InvalidInputError} (or a subclass) naming the first bad option
   */
  constructor(options: AWS4AuthOptions) {
    if (options === null || typeof options !== 'object') {
      throw new InvalidInputError('options', `must be an object with accessKeyId and secretAccessKey or signingKey, got ${describeValue(options)}`);
    }
    // Read once, own properties only: what is validated below is what is kept, and an option inherited
    // from a polluted Object.prototype (a sessionToken, signSessionToken: false) is never seen.
    const o = snapshotOwn(options, AUTH_OPTION_KEYS, 'options');
    this.accessKeyId = checkAccessKeyId(o.accessKeyId, 'options.accessKeyId');
    this.#clock = checkClock(o.clock, 'options.clock') ?? Date.now;
    this.#sessionToken = checkSessionToken(o.sessionToken, 'options.sessionToken');
    this.raiseInvalidDate = checkOptionalBoolean(o.raiseInvalidDate, 'options.raiseInvalidDate') ?? false;
    this.includeHeaders = includeHeadersOf(o.includeHeaders);
    this.#fixed = {
      includeHeaders: this.includeHeaders,
      signSessionToken: checkOptionalBoolean(o.signSessionToken, 'options.signSessionToken'),
      normalizePath: checkOptionalBoolean(o.normalizePath, 'options.normalizePath'),
      doubleEncodePath: checkOptionalBoolean(o.doubleEncodePath, 'options.doubleEncodePath'),
      contentSha256Header: checkOptionalBoolean(o.contentSha256Header, 'options.contentSha256Header'),
    };
    this.#signingKey = o.signingKey === undefined ? derivedKey(o, this.#clock) : givenKey(o);
  }

  /** The current signing key. Replaced as a whole when it is regenerated, never changed in place. */
  get signingKey(): AWS4SigningKey {
    return this.#signingKey;
  }

  /** The region of the current signing key. */
  get region(): string {
    return this.#signingKey.region;
  }

  /** The service of the current signing key. */
  get service(): string {
    return this.#signingKey.service;
  }

  /** The scope date of the current signing key, `YYYYMMDD`. */
  get date(): string {
    return this.#signingKey.date;
  }

  /**
   * Signs a request. The request is not modified: send the returned `headers` (which include the request's
   * own) instead of the original ones.
   *
   * @param request - the method, URL, headers and body to sign
   * @param options - the time to sign at when the request has no date header, and an optional payload hash
   * @returns the signer's result: headers to send, `authorization`, and every intermediate
   * @throws {@link DateFormatError} with `raiseInvalidDate` when no date header can be read
   * @throws {@link DateMismatchError} from {@link StrictAWS4Auth} when the request date is not the key's
   * @throws {@link NoSecretKeyError} when a key for a new date is needed and the secret was not stored
   * @throws {@link InvalidInputError} (or a subclass) for a malformed request or option
   *
   * @example
   * ```ts
   * import { AWS4Auth } from 'got-aws4auth';
   * const auth = new AWS4Auth({
   *   accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
   *   region: 'us-east-1', service: 'host',
   * });
   * const signed = auth.sign({
   *   method: 'GET',
   *   url: 'http://host.foo.com/',
   *   headers: { Date: 'Mon, 09 Sep 2011 23:36:00 GMT' },
   * });
   * console.log(signed.signedHeaders); // 'date;host'
   * console.log(auth.date); // '20110909': the key was regenerated for the request's date
   * ```
   */
  sign(request: SignableRequest, options?: AWS4AuthSignOptions): SignedRequest {
    // The request, its headers and the options are each read once, own properties only; the date policy
    // and the signer then see the same snapshot, so a date header whose getter changes cannot date the
    // request one way and be signed another.
    const r = checkedRequest(request);
    const opts = signOptionsOf(options);
    const given = opts.now;
    const clock = this.#clock;
    const now = (): Date => (given !== undefined ? checkTime(given, 'options.now') : readClock(clock, 'options.clock'));
    let key = this.#signingKey;
    const nowField = given !== undefined ? 'options.now' : 'options.clock';
    const decided = decideSigningDate(headersOnce(r.headers), { policy: this.datePolicy, keyDate: key.date, now, clock, raiseInvalidDate: this.raiseInvalidDate, nowField });
    const { headers, time, dateHeader, requestDate } = decided;
    if (decided.scopeDate !== key.date) key = this.keyForRequestDate(key, decided.scopeDate);

    // Spelled out rather than spread from #fixed: V8 copies a spread object slowly, and it was most of the
    // cost of signing here (62 µs against 5 µs measured).
    const fixed = this.#fixed;
    const signed = signRequest(
      { method: r.method as string, url: r.url as string, headers, body: r.body as SignableRequest['body'] },
      {
        includeHeaders: fixed.includeHeaders,
        signSessionToken: fixed.signSessionToken,
        normalizePath: fixed.normalizePath,
        doubleEncodePath: fixed.doubleEncodePath,
        contentSha256Header: fixed.contentSha256Header,
        credentials: { accessKeyId: this.accessKeyId, secretAccessKey: '', sessionToken: this.#sessionToken },
        region: key.region,
        service: key.service,
        date: time,
        dateHeader,
        signingKey: signingKeyBytes(key),
        payloadHash: opts.payloadHash,
      },
    );
    return key.date === requestDate ? signed : rescope(signed, this.accessKeyId, signingKeyBytes(key), key.scope);
  }

  /**
   * Which date policy this class applies (the shared one of `src/auth/date-policy.ts`): `regenerate` here,
   * `strict` in {@link StrictAWS4Auth}, `passive` in {@link PassiveAWS4Auth}.
   */
  protected readonly datePolicy: DatePolicyName = 'regenerate';

  /**
   * Returns the key to sign a request dated `requestDate` with, given the current `key` whose scope date
   * differs, once the date policy chose to regenerate: `AWS4Auth` derives a key for `requestDate` and keeps
   * it as the current key. Override it to change how the key is obtained; the strict and passive policies
   * ({@link StrictAWS4Auth}, {@link PassiveAWS4Auth}) decide before it is called, and never call it.
   *
   * @param key - the current signing key
   * @param requestDate - the request's date, `YYYYMMDD`
   * @returns the key to sign with; if its date is not `requestDate`, the request is signed with its scope
   * @throws {@link NoSecretKeyError} when the key does not store its secret
   */
  protected keyForRequestDate(key: AWS4SigningKey, requestDate: string): AWS4SigningKey {
    // A null-prototype record: a literal's other fields (region, service, secretAccessKey) would be read
    // from a polluted Object.prototype.
    const next = deriveFrom(key, Object.assign(Object.create(null) as Snapshot<RegenerateKey>, { date: requestDate }));
    this.#signingKey = next;
    return next;
  }

  /**
   * Derives a new signing key from the current one's scope with the given parts changed, and makes it the
   * current key. The new key stores its secret only if the current one did.
   *
   * @param options - the parts to change, and the secret when the current key does not store it
   * @returns the new key
   * @throws {@link NoSecretKeyError} when no secret is given and the current key does not store one
   *
   * @example
   * ```ts
   * import { AWS4Auth } from 'got-aws4auth';
   * const auth = new AWS4Auth({
   *   accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
   *   region: 'us-east-1', service: 'iam', date: '20150830',
   * });
   * auth.regenerateSigningKey({ region: 'eu-west-1', date: '20150831' });
   * console.log(auth.signingKey.scope); // '20150831/eu-west-1/iam/aws4_request'
   * ```
   */
  regenerateSigningKey(options?: RegenerateSigningKeyOptions): AWS4SigningKey {
    const next = deriveFrom(this.#signingKey, snapshotOwn(checkOptionsObject(options, 'options'), REGENERATE_OPTION_KEYS, 'options'));
    this.#signingKey = next;
    return next;
  }

  /** The public parts; never the secret, the key bytes or the session token. */
  toJSON(): AWS4AuthView {
    const key = this.#signingKey;
    return {
      accessKeyId: this.accessKeyId,
      scope: key.scope,
      storeSecretKey: key.storeSecretKey,
      hasSessionToken: this.#sessionToken !== undefined,
      raiseInvalidDate: this.raiseInvalidDate,
      includeHeaders: this.includeHeaders,
    };
  }

  /** `AWS4Auth(<access key id>, <scope>)`; never a secret. */
  toString(): string {
    return `${this.constructor.name}(${this.accessKeyId}, ${this.#signingKey.scope})`;
  }

  /** What `util.inspect` and `console.log` show: the class name and {@link AWS4Auth.toJSON}. */
  [INSPECT](_depth: number, options?: InspectOptions, inspect?: typeof nodeInspect): string {
    return inspectView(this.constructor.name, this.toJSON(), options, inspect);
  }
}

function deriveFrom(key: AWS4SigningKey, changes: Snapshot<RegenerateKey>): AWS4SigningKey {
  const region = changes.region === undefined ? key.region : checkScopePart(changes.region, 'options.region', 'us-east-1');
  const service = changes.service === undefined ? key.service : checkScopePart(changes.service, 'options.service', 's3');
  const date = changes.date === undefined ? key.date : checkShortDate(changes.date, 'options.date');
  const secret = changes.secretAccessKey === undefined ? key.secretAccessKey : checkSecret(changes.secretAccessKey, 'options.secretAccessKey');
  if (secret === undefined) throw new NoSecretKeyError(`${date}/${region}/${service}/aws4_request`);
  return new AWS4SigningKey(secret, region, service, date, { storeSecretKey: key.storeSecretKey });
}

/** The options of one `sign` call, read once, own properties only (by constant name: this is the hot path). */
function signOptionsOf(options: AWS4AuthSignOptions | undefined): AWS4AuthSignOptions {
  if (options === undefined) return NO_SIGN_OPTIONS;
  const o = checkOptionsObject(options, 'options') as Readonly<Record<keyof AWS4AuthSignOptions, unknown>>;
  try {
    return { now: ownOnly(o, 'now', o.now) as AWS4AuthSignOptions['now'], payloadHash: ownOnly(o, 'payloadHash', o.payloadHash) as string | undefined };
  } catch {
    throw new InvalidInputError('options', UNREADABLE);
  }
}

/** The include patterns, copied; an array that cannot be read (a revoked Proxy, a throwing trap) is a typed error. */
function includeHeadersOf(value: unknown): readonly string[] | undefined {
  try {
    return checkIncludeHeaders(value, 'options.includeHeaders');
  } catch (error) {
    if (error instanceof AWS4AuthError) throw error;
    throw new InvalidInputError('options.includeHeaders', 'could not be read (a revoked Proxy or a getter that threw); pass a plain array');
  }
}

/** The first key, derived from the snapshot's secret and scope. */
function derivedKey(o: AuthOptionsSnapshot, clock: () => number): AWS4SigningKey {
  const secret = checkSecret(o.secretAccessKey, 'options.secretAccessKey');
  const region = checkScopePart(o.region, 'options.region', 'us-east-1');
  const service = checkScopePart(o.service, 'options.service', 's3');
  const date = o.date === undefined ? undefined : checkShortDate(o.date, 'options.date');
  const storeSecretKey = checkOptionalBoolean(o.storeSecretKey, 'options.storeSecretKey') ?? true;
  return new AWS4SigningKey(secret, region, service, date, { storeSecretKey, clock });
}

// The key getter reads a private field, so it throws for anything but a real AWS4SigningKey: a Proxy of
// one, or an object made from its prototype, passes `instanceof` but would fail (untyped) when signing.
const keyGetter = Object.getOwnPropertyDescriptor(AWS4SigningKey.prototype, 'key')?.get as (this: unknown) => Buffer;

function isSigningKey(value: unknown): value is AWS4SigningKey {
  if (!(value instanceof AWS4SigningKey)) return false;
  try {
    keyGetter.call(value).fill(0);
    return true;
  } catch {
    return false;
  }
}

/** A ready key, with the snapshot's scope fields (when given) checked against it. */
function givenKey(o: AuthOptionsSnapshot): AWS4SigningKey {
  const signingKey = o.signingKey;
  if (!isSigningKey(signingKey)) {
    throw new InvalidInputError('options.signingKey', `must be an AWS4SigningKey, got ${describeValue(signingKey)}`);
  }
  if (o.secretAccessKey !== undefined) {
    throw new InvalidInputError('options.secretAccessKey', 'must be omitted when options.signingKey is given; the key was derived from its secret already');
  }
  for (const field of ['region', 'service', 'date'] as const) {
    if (o[field] !== undefined && o[field] !== signingKey[field]) {
      throw new InvalidInputError(
        `options.${field}`,
        `is ${describeValue(o[field])} but options.signingKey is for ${describeValue(signingKey[field])}; omit it, or derive a key for that ${field}`,
      );
    }
  }
  if (o.storeSecretKey !== undefined) {
    throw new InvalidInputError('options.storeSecretKey', 'must be omitted when options.signingKey is given; the key decided that when it was created');
  }
  return signingKey;
}

/**
 * Like {@link AWS4Auth}, but a request dated on another day than the signing key's scope is refused with
 * {@link DateMismatchError} instead of regenerating the key. Regenerate it yourself with
 * {@link AWS4Auth.regenerateSigningKey}. Requests without a date header are dated now by the clock, so a
 * strict instance made with today's key starts refusing them at midnight UTC.
 *
 * @example
 * ```ts
 * import { StrictAWS4Auth, AWS4SigningKey } from 'got-aws4auth';
 * const key = new AWS4SigningKey('wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY', 'us-east-1', 'iam', undefined, { storeSecretKey: false });
 * const auth = new StrictAWS4Auth({ accessKeyId: 'AKIDEXAMPLE', signingKey: key });
 * auth.sign({ method: 'GET', url: 'https://iam.amazonaws.com/?Action=ListUsers&Version=2010-05-08' });
 * ```
 * @category requests-aws4auth
 */
export class StrictAWS4Auth extends AWS4Auth {
  /** A request dated on another day than the key throws {@link DateMismatchError}. */
  protected override readonly datePolicy: DatePolicyName = 'strict';
}

/**
 * Like {@link AWS4Auth}, but a request dated on another day than the signing key's scope is signed anyway,
 * with the key and credential scope as they are (requests-aws4auth's behaviour before 0.8). AWS rejects such
 * a signature; handling that is left to the caller.
 *
 * @example
 * ```ts
 * import { PassiveAWS4Auth } from 'got-aws4auth';
 * const auth = new PassiveAWS4Auth({
 *   accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
 *   region: 'us-east-1', service: 'iam', date: '20150830',
 * });
 * const signed = auth.sign({ method: 'GET', url: 'https://iam.amazonaws.com/' }, { now: Date.UTC(2015, 7, 31) });
 * console.log(signed.credentialScope); // '20150830/us-east-1/iam/aws4_request'
 * ```
 * @category requests-aws4auth
 */
export class PassiveAWS4Auth extends AWS4Auth {
  /** A request dated on another day than the key is signed with the key as it is. */
  protected override readonly datePolicy: DatePolicyName = 'passive';
}
