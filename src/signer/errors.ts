/**
 * Every failure got-aws4auth reports is an {@link AWS4AuthError} with a stable `code`, so callers can
 * branch on `error.code` without parsing messages. Messages say what was wrong and what to do, and never
 * contain a secret access key, session token, signing key or signature.
 *
 * @module
 */
import { channel, subscribe, unsubscribe } from 'node:diagnostics_channel';
import { types } from 'node:util';

/**
 * The stable codes of every error got-aws4auth throws.
 *
 * @example
 * ```ts
 * import { AWS4AuthError } from 'got-aws4auth/signer';
 * function isCredentialFailure(error: unknown): boolean {
 *   return error instanceof AWS4AuthError && error.code === 'ERR_AWS4_CREDENTIALS';
 * }
 * ```
 * @category Errors
 */
export type AWS4AuthErrorCode =
  | 'ERR_AWS4_INVALID_INPUT'
  | 'ERR_AWS4_INVALID_URL'
  | 'ERR_AWS4_INVALID_HEADER'
  | 'ERR_AWS4_INVALID_CREDENTIALS'
  | 'ERR_AWS4_INVALID_DATE'
  | 'ERR_AWS4_INVALID_EXPIRY'
  | 'ERR_AWS4_DATE_FORMAT'
  | 'ERR_AWS4_DATE_MISMATCH'
  | 'ERR_AWS4_NO_SECRET_KEY'
  | 'ERR_AWS4_CREDENTIALS'
  | 'ERR_AWS4_CREDENTIALS_TIMEOUT'
  | 'ERR_AWS4_BODY_TOO_LARGE'
  | 'ERR_AWS4_UNSIGNABLE_BODY'
  | 'ERR_AWS4_CANNOT_INFER'
  | 'ERR_AWS4_STREAM_RETRY'
  | 'ERR_AWS4_CHUNKED_BODY';

/**
 * The name of the `node:diagnostics_channel` channel on which every {@link AWS4AuthError} is published as it
 * is created, thrown or not: whatever got, a credential provider or your own code does with it afterwards,
 * a subscriber sees it. Nothing is published, and nothing costs, while the channel has no subscribers. The
 * message is the error itself, with `code`, `name` and `message` set; a subclass's own properties (such as
 * `field`) are set right after, so read them later than the synchronous callback if you need them. Subscribe
 * with {@link onAWS4AuthError} or with `diagnostics_channel` directly.
 *
 * @example
 * ```ts
 * import { subscribe } from 'node:diagnostics_channel';
 * import { AWS4AUTH_ERROR_CHANNEL, type AWS4AuthError } from 'got-aws4auth/signer';
 * subscribe(AWS4AUTH_ERROR_CHANNEL, (message) => {
 *   const error = message as AWS4AuthError;
 *   console.warn(`got-aws4auth: ${error.code}: ${error.message}`);
 * });
 * ```
 * @category Errors
 */
export const AWS4AUTH_ERROR_CHANNEL = 'got-aws4auth:error';

const errorChannel = channel(AWS4AUTH_ERROR_CHANNEL);

/**
 * Calls `listener` with every {@link AWS4AuthError} created from now on (see {@link AWS4AUTH_ERROR_CHANNEL})
 * until the returned function is called. Messages never hold a secret, so logging them is safe.
 *
 * @param listener - called synchronously inside the error's constructor; an exception it throws does not
 * affect the code creating the error, but Node reports it as an uncaught exception
 * @returns a function that unsubscribes
 *
 * @example
 * ```ts
 * import { onAWS4AuthError } from 'got-aws4auth/signer';
 * const stop = onAWS4AuthError((error) => console.warn(`got-aws4auth: ${error.code}: ${error.message}`));
 * // ... later
 * stop();
 * ```
 * @category Errors
 */
export function onAWS4AuthError(listener: (error: AWS4AuthError) => void): () => void {
  const onMessage = (message: unknown): void => listener(message as AWS4AuthError);
  subscribe(AWS4AUTH_ERROR_CHANNEL, onMessage);
  return () => {
    unsubscribe(AWS4AUTH_ERROR_CHANNEL, onMessage);
  };
}

/**
 * Base class of every error got-aws4auth throws.
 *
 * @example
 * ```ts
 * import { AWS4AuthError, signRequest } from 'got-aws4auth/signer';
 * try {
 *   signRequest({ method: 'GET', url: 'not a url' }, {
 *     credentials: { accessKeyId: 'AKID', secretAccessKey: 'secret' }, region: 'us-east-1', service: 's3',
 *   });
 * } catch (error) {
 *   if (error instanceof AWS4AuthError) console.error(error.code, error.message);
 * }
 * ```
 * @category Errors
 */
export class AWS4AuthError extends Error {
  /** Stable machine-readable code; see {@link AWS4AuthErrorCode}. */
  readonly code: AWS4AuthErrorCode;

  constructor(code: AWS4AuthErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.name = new.target.name;
    if (errorChannel.hasSubscribers) errorChannel.publish(this);
  }
}

/**
 * A request or option had the wrong type or an unusable value. `field` names it, e.g. `options.region`
 * or `request.headers["x-foo"]`.
 *
 * @example
 * ```ts
 * import { InvalidInputError } from 'got-aws4auth/signer';
 * const error = new InvalidInputError('options.region', 'must be a non-empty string such as "us-east-1"');
 * console.log(error.field); // 'options.region'
 * ```
 * @category Errors
 */
export class InvalidInputError extends AWS4AuthError {
  /** The name of the offending input, as a property path. */
  readonly field: string;

  constructor(field: string, problem: string, code: AWS4AuthErrorCode = 'ERR_AWS4_INVALID_INPUT') {
    super(code, `${field} ${problem}`);
    this.field = field;
  }
}

/**
 * The request URL could not be parsed, is relative, or uses a scheme other than http or https.
 *
 * @example
 * ```ts
 * import { InvalidUrlError } from 'got-aws4auth/signer';
 * const error = new InvalidUrlError('must be an absolute http(s) URL, got "example.com/x"');
 * console.log(error.code); // 'ERR_AWS4_INVALID_URL'
 * ```
 * @category Errors
 */
export class InvalidUrlError extends InvalidInputError {
  constructor(problem: string) {
    super('request.url', problem, 'ERR_AWS4_INVALID_URL');
  }
}

/**
 * A header name or value cannot be signed and sent as it is: control characters such as CR, LF or NUL
 * (header injection), characters outside a token in a name, or a value of an unsupported type.
 *
 * @example
 * ```ts
 * import { InvalidHeaderError } from 'got-aws4auth/signer';
 * const error = new InvalidHeaderError('request.headers["x-a"]', 'contains a line break');
 * console.log(error.code); // 'ERR_AWS4_INVALID_HEADER'
 * ```
 * @category Errors
 */
export class InvalidHeaderError extends InvalidInputError {
  constructor(field: string, problem: string) {
    super(field, problem, 'ERR_AWS4_INVALID_HEADER');
  }
}

/**
 * Credentials are missing, empty, of the wrong type, or contain characters that cannot appear in
 * an access key. The message names the field, never its value.
 *
 * @example
 * ```ts
 * import { InvalidCredentialsError } from 'got-aws4auth/signer';
 * const error = new InvalidCredentialsError('credentials.accessKeyId', 'must be a non-empty string');
 * console.log(error.code); // 'ERR_AWS4_INVALID_CREDENTIALS'
 * ```
 * @category Errors
 */
export class InvalidCredentialsError extends InvalidInputError {
  constructor(field: string, problem: string) {
    super(field, problem, 'ERR_AWS4_INVALID_CREDENTIALS');
  }
}

/**
 * A `Date` that is not a valid point in time (e.g. `new Date('garbage')`) or lies outside the years
 * SigV4 can express (0000-9999).
 *
 * @example
 * ```ts
 * import { InvalidDateError } from 'got-aws4auth/signer';
 * const error = new InvalidDateError('options.date', 'is not a valid Date');
 * console.log(error.code); // 'ERR_AWS4_INVALID_DATE'
 * ```
 * @category Errors
 */
export class InvalidDateError extends InvalidInputError {
  constructor(field: string, problem: string) {
    super(field, problem, 'ERR_AWS4_INVALID_DATE');
  }
}

/**
 * A presigned URL's `expiresIn` is not a whole number of seconds from 1 to 604800 (seven days).
 *
 * @example
 * ```ts
 * import { InvalidExpiryError } from 'got-aws4auth/signer';
 * console.log(new InvalidExpiryError(0).message);
 * ```
 * @category Errors
 */
export class InvalidExpiryError extends InvalidInputError {
  constructor(received: unknown) {
    super(
      'options.expiresIn',
      `must be a whole number of seconds from 1 to 604800 (7 days), got ${describeValue(received)}`,
      'ERR_AWS4_INVALID_EXPIRY',
    );
  }
}

/**
 * Describes a value for an error message by type and, for harmless primitives, by value. Never used on
 * secrets.
 *
 * @internal
 */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return `${typeof value} ${String(value)}`;
  if (typeof value === 'string') return value.length > 64 ? `a string of ${value.length} characters` : JSON.stringify(value);
  // Brand checks only: the value may be a Proxy (revoked, or of a Date whose methods then throw).
  if (types.isDate(value)) {
    const time = Date.prototype.getTime.call(value);
    return `Date ${Number.isNaN(time) ? 'Invalid Date' : new Date(time).toISOString()}`;
  }
  if (typeof value !== 'object') return typeof value;
  if (types.isProxy(value)) return 'a Proxy';
  return Array.isArray(value) ? 'an array' : 'an object';
}

/**
 * A request whose body is a stream had to be sent again (a retry, or a redirect that keeps the body),
 * but the stream was already consumed by the first attempt and cannot be replayed. Nothing was sent for
 * the new attempt. To make such requests retryable, send the body as a Buffer or string, or build the
 * request so that every attempt gets a fresh stream.
 *
 * @example
 * ```ts
 * import { StreamRetryError } from 'got-aws4auth/signer';
 * const error = new StreamRetryError('redirect');
 * console.log(error.code, error.reason); // 'ERR_AWS4_STREAM_RETRY' 'redirect'
 * ```
 * @category Errors
 */
export class StreamRetryError extends AWS4AuthError {
  /** Why the body was needed again. */
  readonly reason: 'retry' | 'redirect';

  constructor(reason: 'retry' | 'redirect' = 'retry', options?: { cause?: unknown }) {
    super(
      'ERR_AWS4_STREAM_RETRY',
      `cannot ${reason === 'retry' ? 'retry' : 'follow the redirect of'} a request whose body is a stream that the first attempt already consumed; ` +
        'send the body as a Buffer or string, or give every attempt a fresh stream',
      options,
    );
    this.reason = reason;
  }
}
