/**
 * The failures of the date policy: a date header that cannot be read, a request dated on another day than
 * the signing key, and a key that cannot be regenerated because its secret was not kept. Each carries the
 * facts needed to act on it as properties, and never a secret.
 *
 * @module
 */
import { AWS4AuthError, describeValue } from '../signer/errors.js';

/**
 * A request's `X-Amz-Date` and `Date` headers were present but none was in a recognised format, and the
 * {@link AWS4Auth} was created with `raiseInvalidDate: true` (otherwise the bad headers are replaced with an
 * `x-amz-date` of the current time). Code `ERR_AWS4_DATE_FORMAT`.
 *
 * @example
 * ```ts
 * import { AWS4Auth, DateFormatError } from 'got-aws4auth';
 * const auth = new AWS4Auth({
 *   accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
 *   region: 'us-east-1', service: 'iam', raiseInvalidDate: true,
 * });
 * try {
 *   auth.sign({ method: 'GET', url: 'https://iam.amazonaws.com/', headers: { date: 'yesterday' } });
 * } catch (error) {
 *   if (error instanceof DateFormatError) console.error(error.headers); // ['date']
 * }
 * ```
 * @category Errors
 */
export class DateFormatError extends AWS4AuthError {
  /** The lower-case names of the date headers that could not be read. */
  readonly headers: readonly string[];

  constructor(found: ReadonlyArray<{ readonly name: string; readonly value: unknown }>) {
    const listed = found.map(({ name, value }) => `${name}: ${describeValue(value)}`).join('; ');
    super(
      'ERR_AWS4_DATE_FORMAT',
      `the request's date header is in no recognised format (${listed}); send X-Amz-Date as YYYYMMDDTHHMMSSZ ` +
        "or Date as an HTTP date such as 'Mon, 09 Sep 2011 23:36:00 GMT', remove it to sign at the current time, " +
        'or leave raiseInvalidDate off to have it replaced',
    );
    this.headers = Object.freeze(found.map(({ name }) => name));
  }
}

/**
 * A {@link StrictAWS4Auth} was asked to sign a request dated on another day than its signing key's scope.
 * Code `ERR_AWS4_DATE_MISMATCH`.
 *
 * @example
 * ```ts
 * import { StrictAWS4Auth, DateMismatchError } from 'got-aws4auth';
 * const auth = new StrictAWS4Auth({
 *   accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
 *   region: 'us-east-1', service: 'iam', date: '20150830',
 * });
 * try {
 *   auth.sign({ method: 'GET', url: 'https://iam.amazonaws.com/' }, { now: new Date('2015-08-31T00:00:00Z') });
 * } catch (error) {
 *   if (error instanceof DateMismatchError) auth.regenerateSigningKey({ date: error.requestDate });
 * }
 * ```
 * @category Errors
 */
export class DateMismatchError extends AWS4AuthError {
  /** The request's date, `YYYYMMDD` (UTC). */
  readonly requestDate: string;
  /** The signing key's scope date, `YYYYMMDD`. */
  readonly keyDate: string;

  constructor(requestDate: string, keyDate: string) {
    super(
      'ERR_AWS4_DATE_MISMATCH',
      `the request is dated ${requestDate} but the signing key's scope date is ${keyDate}; AWS rejects a signature ` +
        `whose scope date differs from the request date. Call regenerateSigningKey({ date: '${requestDate}' }) first, ` +
        'or use AWS4Auth, which regenerates the key itself',
    );
    this.requestDate = requestDate;
    this.keyDate = keyDate;
  }
}

/**
 * A signing key had to be regenerated (for a new date, region or service) but its secret access key was not
 * stored (`storeSecretKey: false`) and none was passed. Code `ERR_AWS4_NO_SECRET_KEY`.
 *
 * @example
 * ```ts
 * import { AWS4Auth, AWS4SigningKey, NoSecretKeyError } from 'got-aws4auth';
 * const key = new AWS4SigningKey('wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY', 'us-east-1', 'iam', '20150830', { storeSecretKey: false });
 * const auth = new AWS4Auth({ accessKeyId: 'AKIDEXAMPLE', signingKey: key });
 * try {
 *   auth.regenerateSigningKey({ date: '20150831' });
 * } catch (error) {
 *   if (error instanceof NoSecretKeyError) console.error(error.message);
 * }
 * ```
 * @category Errors
 */
export class NoSecretKeyError extends AWS4AuthError {
  /** The scope the key was to be derived for, `YYYYMMDD/region/service/aws4_request`. */
  readonly scope: string;

  constructor(scope: string) {
    super(
      'ERR_AWS4_NO_SECRET_KEY',
      `cannot derive a signing key for ${scope}: the secret access key was not stored (storeSecretKey: false) and none was given; ` +
        'pass secretAccessKey to regenerateSigningKey(), or create the signing key with storeSecretKey: true',
    );
    this.scope = scope;
  }
}
