/**
 * The date policy, once for every signing path: {@link AWS4Auth} and its strict and passive variants, the got
 * plugin's SigV4 requests, its signed chunked uploads and SigV4a. From a request's date headers, the clock
 * and the policy it decides the signing time, the header that carries it and the credential scope date:
 *
 * - the signing time and its header come from {@link requestTime} (a readable `X-Amz-Date`, else a readable
 *   `Date`, else now; unreadable ones are dropped, or refused with `raiseInvalidDate`);
 * - the scope date is the request's own UTC day under `regenerate`; under `strict` a request dated on another
 *   day than the key is refused with {@link DateMismatchError}; under `passive` it is signed with the key's
 *   day as it is (a signature AWS refuses, as requests-aws4auth before 0.8 did).
 *
 * A request without a date header of its own is dated now, so it is on the key's day under every policy
 * whenever the key is today's (the plugin's always is).
 *
 * @internal
 * @module
 */
import { toAmzDate } from '../signer/amz-date.js';
import { ALGORITHM, signature, stringToSign } from '../signer/string-to-sign.js';
import type { SignedRequest } from '../signer/types.js';
import { requestTime, type RequestTime } from './date-headers.js';
import { DateMismatchError } from './errors.js';

/**
 * The three policies of requests-aws4auth for a request dated on another day than the signing key:
 * `regenerate` derives a key for the request's day, `strict` refuses the request, `passive` signs it with
 * the key's day in the scope.
 *
 * @example
 * ```ts
 * import type { DatePolicyName } from 'got-aws4auth';
 * // AWS4Auth regenerates, StrictAWS4Auth is strict, PassiveAWS4Auth is passive.
 * const policies: readonly DatePolicyName[] = ['regenerate', 'strict', 'passive'];
 * ```
 * @category requests-aws4auth
 */
export type DatePolicyName = 'regenerate' | 'strict' | 'passive';

/** What the policy decided for one request. @internal */
export interface SigningDate extends RequestTime {
  /** The request's own UTC day, `YYYYMMDD` (the day of `time`). */
  readonly requestDate: string;
  /** The credential scope date to sign with, `YYYYMMDD`: `requestDate` unless the passive policy kept the key's. */
  readonly scopeDate: string;
}

/** The inputs of {@link decideSigningDate}. @internal */
export interface DateInputs {
  readonly policy: DatePolicyName;
  /** The scope date of the key held, `YYYYMMDD`; `undefined` means today's by `now` (the plugin's keys). */
  readonly keyDate: string | undefined;
  /** The current (possibly clock-skew corrected) time. */
  readonly now: () => Date;
  /** The clock two-digit years are read against (see `parseHttpDate`). */
  readonly clock: () => number;
  readonly raiseInvalidDate: boolean;
  /** The option named in an error when the time from `now` is out of range, e.g. `options.clock`. */
  readonly nowField: string;
  /**
   * Whether every header name is lower case already (the got plugin's are): a request without `x-amz-date`
   * and `date` is then known at a glance, without a pass over its headers in every letter case.
   */
  readonly lowerCaseHeaders?: boolean | undefined;
}

/**
 * The scope date a policy signs a request dated `requestDate` with, holding a key for `keyDate`.
 *
 * @throws {@link DateMismatchError} under `strict` when the two days differ
 * @internal
 */
export function scopeDateFor(policy: DatePolicyName, keyDate: string, requestDate: string): string {
  if (keyDate === requestDate || policy === 'regenerate') return requestDate;
  if (policy === 'strict') throw new DateMismatchError(requestDate, keyDate);
  return keyDate;
}

/**
 * Decides the signing time, date header and scope date of a request; never modifies `headers`.
 *
 * @param headers - the request's headers (the caller's own date headers included)
 * @throws {@link DateFormatError} with `raiseInvalidDate` when date headers are present but none is readable
 * @throws {@link DateMismatchError} under `strict` for a request dated on another day than the key
 * @throws {@link InvalidDateError} naming the header or `nowField` when the time is out of range
 * @internal
 */
export function decideSigningDate(headers: unknown, inputs: DateInputs): SigningDate {
  if (inputs.lowerCaseHeaders === true && withoutDateHeaders(headers)) return datedNow(headers as SigningDate['headers'], inputs);
  const found = requestTime(headers, inputs.now, inputs.clock, inputs.raiseInvalidDate);
  const fromNow = found.source === 'now';
  const requestDate = toAmzDate(found.time, fromNow ? inputs.nowField : `request.headers["${found.source}"]`).slice(0, 8);
  // Read "now" a second time only for a request that brought its own date.
  const keyDate = inputs.keyDate ?? (fromNow ? requestDate : toAmzDate(inputs.now(), inputs.nowField).slice(0, 8));
  const scopeDate = scopeDateFor(inputs.policy, keyDate, requestDate);
  return { headers: found.headers, time: found.time, dateHeader: found.dateHeader, source: found.source, requestDate, scopeDate };
}

function withoutDateHeaders(headers: unknown): boolean {
  return headers !== null && typeof headers === 'object' && !Object.hasOwn(headers, 'x-amz-date') && !Object.hasOwn(headers, 'date');
}

/** A request without date headers: dated now, on the key's day under every policy when the key is today's. */
function datedNow(headers: SigningDate['headers'], inputs: DateInputs): SigningDate {
  const time = inputs.now();
  const requestDate = toAmzDate(time, inputs.nowField).slice(0, 8);
  const scopeDate = inputs.keyDate === undefined ? requestDate : scopeDateFor(inputs.policy, inputs.keyDate, requestDate);
  return { headers, time, dateHeader: 'x-amz-date', source: 'now', requestDate, scopeDate };
}

/**
 * Re-signs a SigV4 result under another credential scope (the passive policy's key day), with the signing
 * key of that scope. Only the string to sign, the signature and the `Authorization` header change.
 *
 * @internal
 */
export function rescope(signed: SignedRequest, accessKeyId: string, signingKey: Uint8Array, scope: string): SignedRequest {
  const stringToSignValue = stringToSign(signed.amzDate, scope, signed.canonicalRequest);
  const signatureValue = signature(signingKey, stringToSignValue);
  const authorization = `${ALGORITHM} Credential=${accessKeyId}/${scope}, SignedHeaders=${signed.signedHeaders}, Signature=${signatureValue}`;
  return {
    ...signed,
    headers: { ...signed.headers, authorization },
    authorization,
    signature: signatureValue,
    credentialScope: scope,
    stringToSign: stringToSignValue,
  };
}
