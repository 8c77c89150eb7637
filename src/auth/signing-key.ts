/**
 * A SigV4 signing key together with its scope: the key a secret derives for one day, region and service.
 * The secret itself is kept only when asked, so a key can be handed to code that may sign but must not
 * learn the secret (at the price of not being able to regenerate the key for another day).
 *
 * @module
 */
import type { InspectOptions, inspect as nodeInspect } from 'node:util';
import { deriveSigningKey } from '../signer/signing-key.js';
import { toAmzDate } from '../signer/amz-date.js';
import { checkClock, checkOptionalBoolean, checkOptionsObject, checkScopePart, checkSecret, checkShortDate, readClock } from '../signer/validate.js';
import { snapshotOwn } from '../signer/snapshot.js';
import { INSPECT, inspectView } from './redaction.js';

/**
 * Options of {@link AWS4SigningKey}.
 *
 * @example
 * ```ts
 * import { AWS4SigningKey, type AWS4SigningKeyOptions } from 'got-aws4auth';
 * declare const secretAccessKey: string;
 * const options: AWS4SigningKeyOptions = { storeSecretKey: false, clock: () => Date.parse('2024-01-15T12:00:00Z') };
 * const key = new AWS4SigningKey(secretAccessKey, 'eu-west-1', 'es', undefined, options);
 * key.date; // '20240115', from the clock
 * key.secretAccessKey; // undefined: the key can sign, but not reveal the secret
 * ```
 * @category requests-aws4auth
 */
export interface AWS4SigningKeyOptions {
  /**
   * Keep the secret access key in the object, so {@link AWS4Auth} can derive keys for new dates from it.
   * Default: true. With false, regenerating needs the secret passed again, or throws {@link NoSecretKeyError}.
   */
  readonly storeSecretKey?: boolean | undefined;
  /** The clock that supplies today's date when `date` is omitted, in ms since the epoch. Default: `Date.now`. */
  readonly clock?: (() => number) | undefined;
}

/**
 * The public, secret-free view of an {@link AWS4SigningKey}, as `toJSON` returns it.
 *
 * @example
 * ```ts
 * import { AWS4SigningKey, type AWS4SigningKeyView } from 'got-aws4auth';
 * const key = new AWS4SigningKey('wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY', 'us-east-1', 'iam', '20150830');
 * const view: AWS4SigningKeyView = key.toJSON();
 * // { scope: '20150830/us-east-1/iam/aws4_request', date: '20150830', region: 'us-east-1', service: 'iam', storeSecretKey: true }
 * ```
 * @category requests-aws4auth
 */
export interface AWS4SigningKeyView {
  /** `YYYYMMDD/region/service/aws4_request`. */
  readonly scope: string;
  /** The scope date, `YYYYMMDD`. */
  readonly date: string;
  /** The region of the scope. */
  readonly region: string;
  /** The service of the scope. */
  readonly service: string;
  /** Whether the secret is kept to derive keys for other dates. */
  readonly storeSecretKey: boolean;
}

const SIGNING_KEY_OPTION_KEYS = ['storeSecretKey', 'clock'] as const;

// The key bytes themselves, for this package's signing path: the public `key` getter copies, which would
// defeat the per-key caches of the signer on every request.
const keyBytes = new WeakMap<AWS4SigningKey, Buffer>();

/**
 * The signing key's bytes without a copy, for signing inside this package. Never hand them out.
 *
 * @internal
 */
export function signingKeyBytes(key: AWS4SigningKey): Buffer {
  return keyBytes.get(key) ?? key.key;
}

/**
 * A signing key derived from a secret access key for one scope (`YYYYMMDD/region/service/aws4_request`),
 * the successor of requests-aws4auth's `AWS4SigningKey`. Immutable: deriving for another scope makes a new
 * object. Neither the secret nor the key bytes appear in `toString`, `toJSON`, `JSON.stringify` or
 * `util.inspect`.
 *
 * @example
 * ```ts
 * import { AWS4SigningKey } from 'got-aws4auth';
 * const key = new AWS4SigningKey('wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY', 'us-east-1', 'iam', '20150830');
 * console.log(key.scope); // '20150830/us-east-1/iam/aws4_request'
 * console.log(key.key.toString('hex')); // 'c4afb1cc5771d871763a393e44b703571b55cc28424d1a5e86da6ed3c154a4b9'
 * console.log(String(key)); // no secret, no key bytes
 *
 * const keyOnly = new AWS4SigningKey('wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY', 'us-east-1', 'iam', '20150830', { storeSecretKey: false });
 * console.log(keyOnly.secretAccessKey); // undefined
 * ```
 * @category requests-aws4auth
 */
export class AWS4SigningKey {
  /** The region of the scope, e.g. `us-east-1`. */
  readonly region: string;
  /** The service signing name of the scope, e.g. `s3`. */
  readonly service: string;
  /** The scope date, `YYYYMMDD` (UTC). */
  readonly date: string;
  /** The credential scope, `YYYYMMDD/region/service/aws4_request`. */
  readonly scope: string;
  /** Whether the secret access key is kept (see {@link AWS4SigningKey.secretAccessKey}). */
  readonly storeSecretKey: boolean;
  readonly #key: Buffer;
  readonly #secretAccessKey: string | undefined;

  /**
   * Derives the key.
   *
   * @param secretAccessKey - the secret access key
   * @param region - e.g. `us-east-1`
   * @param service - the service signing name, e.g. `s3`, `es`, `execute-api`
   * @param date - the scope date, `YYYYMMDD`; default: today (UTC) by `options.clock`
   * @param options - whether to keep the secret, and the clock for the default date
   * @throws {@link InvalidInputError} (or a subclass) naming the first bad argument
   */
  constructor(secretAccessKey: string, region: string, service: string, date?: string, options?: AWS4SigningKeyOptions) {
    const secret = checkSecret(secretAccessKey, 'secretAccessKey');
    this.region = checkScopePart(region, 'region', 'us-east-1');
    this.service = checkScopePart(service, 'service', 's3');
    // Read once, own properties only: an inherited storeSecretKey or clock is never used.
    const opts = snapshotOwn(checkOptionsObject(options, 'options'), SIGNING_KEY_OPTION_KEYS, 'options');
    const clock = checkClock(opts.clock, 'options.clock') ?? Date.now;
    this.date = date === undefined ? toAmzDate(readClock(clock, 'options.clock'), 'options.clock').slice(0, 8) : checkShortDate(date, 'date');
    this.storeSecretKey = checkOptionalBoolean(opts.storeSecretKey, 'options.storeSecretKey') ?? true;
    this.scope = `${this.date}/${this.region}/${this.service}/aws4_request`;
    this.#key = deriveSigningKey(secret, this.date, this.region, this.service);
    keyBytes.set(this, this.#key);
    this.#secretAccessKey = this.storeSecretKey ? secret : undefined;
    if (new.target === AWS4SigningKey) Object.freeze(this);
  }

  /**
   * The 32-byte derived key (a copy: changing it changes nothing here). Like {@link AWS4SigningKey.secretAccessKey},
   * an accessor on the prototype: only `util.inspect` with both `customInspect: false` and `getters: true` runs it.
   */
  get key(): Buffer {
    return Buffer.from(this.#key);
  }

  /** The secret access key when `storeSecretKey` is true, otherwise `undefined`. Not enumerable. */
  get secretAccessKey(): string | undefined {
    return this.#secretAccessKey;
  }

  /** The scope and whether the secret is stored; never the secret or the key. */
  toJSON(): AWS4SigningKeyView {
    return { scope: this.scope, date: this.date, region: this.region, service: this.service, storeSecretKey: this.storeSecretKey };
  }

  /** `AWS4SigningKey(<scope>)`; never the secret or the key. */
  toString(): string {
    return `AWS4SigningKey(${this.scope})`;
  }

  /** What `util.inspect` and `console.log` show: the class name and {@link AWS4SigningKey.toJSON}. */
  [INSPECT](_depth: number, options?: InspectOptions, inspect?: typeof nodeInspect): string {
    return inspectView('AWS4SigningKey', this.toJSON(), options, inspect);
  }
}
