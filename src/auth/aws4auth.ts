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
import { signRequest } from '../signer/sign-headers.js';
import type { SignerChoices } from '../signer/types.js';
import { InvalidInputError, describeValue } from '../signer/errors.js';
import type { SignableRequest, SignedRequest, SignOptions } from '../signer/types.js';
import { AWS4SigningKey, signingKeyBytes } from './signing-key.js';
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
} from './validate.js';

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
    this.accessKeyId = checkAccessKeyId(options.accessKeyId, 'options.accessKeyId');
    this.#clock = checkClock(options.clock, 'options.clock') ?? Date.now;
    this.#sessionToken = checkSessionToken(options.sessionToken, 'options.sessionToken');
    this.raiseInvalidDate = checkOptionalBoolean(options.raiseInvalidDate, 'options.raiseInvalidDate') ?? false;
    this.includeHeaders = checkIncludeHeaders(options.includeHeaders, 'options.includeHeaders');
    this.#fixed = {
      includeHeaders: this.includeHeaders,
      signSessionToken: checkOptionalBoolean(options.signSessionToken, 'options.signSessionToken'),
      normalizePath: checkOptionalBoolean(options.normalizePath, 'options.normalizePath'),
      doubleEncodePath: checkOptionalBoolean(options.doubleEncodePath, 'options.doubleEncodePath'),
      contentSha256Header: checkOptionalBoolean(options.contentSha256Header, 'options.contentSha256Header'),
    };
    this.#signingKey = AWS4Auth.#initialKey(options, this.#clock);
  }

  static #initialKey(options: AWS4AuthOptions, clock: () => number): AWS4SigningKey {
    const { signingKey, secretAccessKey } = options;
    if (signingKey !== undefined) {
      if (!(signingKey instanceof AWS4SigningKey)) {
        throw new InvalidInputError('options.signingKey', `must be an AWS4SigningKey, got ${describeValue(signingKey)}`);
      }
      if (secretAccessKey !== undefined) {
        throw new InvalidInputError('options.secretAccessKey', 'must be omitted when options.signingKey is given; the key was derived from its secret already');
      }
      for (const field of ['region', 'service', 'date'] as const) {
        if (options[field] !== undefined && options[field] !== signingKey[field]) {
          throw new InvalidInputError(
            `options.${field}`,
            `is ${describeValue(options[field])} but options.signingKey is for ${describeValue(signingKey[field])}; omit it, or derive a key for that ${field}`,
          );
        }
      }
      if (options.storeSecretKey !== undefined) {
        throw new InvalidInputError('options.storeSecretKey', 'must be omitted when options.signingKey is given; the key decided that when it was created');
      }
      return signingKey;
    }
    const secret = checkSecret(secretAccessKey, 'options.secretAccessKey');
    const region = checkScopePart(options.region, 'options.region', 'us-east-1');
    const service = checkScopePart(options.service, 'options.service', 's3');
    const date = options.date === undefined ? undefined : checkShortDate(options.date, 'options.date');
    const storeSecretKey = checkOptionalBoolean(options.storeSecretKey, 'options.storeSecretKey') ?? true;
    return new AWS4SigningKey(secret, region, service, date, { storeSecretKey, clock });
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
    if (request === null || typeof request !== 'object') {
      throw new InvalidInputError('request', `must be an object with method and url, got ${describeValue(request)}`);
    }
    const opts = checkOptionsObject(options, 'options');
    const clock = this.#clock;
    const now = (): Date => (opts.now !== undefined ? checkTime(opts.now, 'options.now') : readClock(clock, 'options.clock'));
    let key = this.#signingKey;
    const nowField = opts.now !== undefined ? 'options.now' : 'options.clock';
    const decided = decideSigningDate(request.headers, { policy: this.datePolicy, keyDate: key.date, now, clock, raiseInvalidDate: this.raiseInvalidDate, nowField });
    const { headers, time, dateHeader, requestDate } = decided;
    if (decided.scopeDate !== key.date) key = this.keyForRequestDate(key, decided.scopeDate);

    // Spelled out rather than spread from #fixed: V8 copies a spread object slowly, and it was most of the
    // cost of signing here (62 µs against 5 µs measured).
    const fixed = this.#fixed;
    const signed = signRequest(
      { method: request.method, url: request.url, headers, body: request.body },
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
    const next = deriveFrom(key, { date: requestDate });
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
    const next = deriveFrom(this.#signingKey, checkOptionsObject(options, 'options'));
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

function deriveFrom(key: AWS4SigningKey, changes: RegenerateSigningKeyOptions): AWS4SigningKey {
  const region = changes.region === undefined ? key.region : checkScopePart(changes.region, 'options.region', 'us-east-1');
  const service = changes.service === undefined ? key.service : checkScopePart(changes.service, 'options.service', 's3');
  const date = changes.date === undefined ? key.date : checkShortDate(changes.date, 'options.date');
  const secret = changes.secretAccessKey === undefined ? key.secretAccessKey : checkSecret(changes.secretAccessKey, 'options.secretAccessKey');
  if (secret === undefined) throw new NoSecretKeyError(`${date}/${region}/${service}/aws4_request`);
  return new AWS4SigningKey(secret, region, service, date, { storeSecretKey: key.storeSecretKey });
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
 */
export class PassiveAWS4Auth extends AWS4Auth {
  /** A request dated on another day than the key is signed with the key as it is. */
  protected override readonly datePolicy: DatePolicyName = 'passive';
}
