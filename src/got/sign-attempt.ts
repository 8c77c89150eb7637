/**
 * The one signing step every attempt goes through, whatever its body and algorithm: the shared date policy
 * (`src/auth/date-policy.ts`) decides the signing time, the date header and the scope date; the signer
 * signs (SigV4 or SigV4a, a hashed body, a given payload hash, or the seed of a signed chunked upload); the
 * passive policy's other scope date is applied last, by the same rescoping as `AWS4Auth`. Nothing here
 * copies `AWS4Auth.sign`: both compose the same modules.
 *
 * @internal
 * @module
 */
import type { AwsCredentialIdentity } from '@smithy/types';
import { decideSigningDate, rescope, type DateInputs, type DatePolicyName, type SigningDate } from '../auth/date-policy.js';
import { signRequest } from '../signer/sign-headers.js';
import { cachedSigningKey } from '../signer/signing-key.js';
import { chunkSigningSeed, encodeChunked, signChunkedUpload } from '../signer/chunked.js';
import { InvalidInputError } from '../signer/errors.js';
import type { SignedRequest, SignOptions, SigV4SignOptions } from '../signer/types.js';
import type { BodyPlan, ChunkedSource } from './body-plan.js';
import type { FixedChoices } from './config.js';
import type { Scope } from './scope.js';

/** What stays the same from one attempt to the next. @internal */
export interface AttemptSettings {
  readonly fixed: FixedChoices;
  /** The date policy's inputs, built once per plugin (their `now` reads the skew-corrected clock). */
  readonly date: DateInputs;
}

/**
 * The settings of a plugin instance.
 *
 * @param now - the current time, corrected for the learned clock offset, in milliseconds
 * @internal
 */
export function attemptSettings(fixed: FixedChoices, policy: DatePolicyName, raiseInvalidDate: boolean, now: () => number): AttemptSettings {
  // The plugin's headers to sign are lower-cased by its one pass over got's headers.
  const date: DateInputs = { policy, keyDate: undefined, now: () => new Date(now()), clock: now, raiseInvalidDate, nowField: 'options.clock', lowerCaseHeaders: true };
  return { fixed, date };
}

/** One attempt to sign. @internal */
export interface Attempt {
  readonly method: string;
  readonly url: string;
  /** The headers to sign, the caller's own date headers included. */
  readonly headers: Record<string, string | string[] | number | undefined>;
  readonly identity: AwsCredentialIdentity;
  readonly scope: Scope;
  readonly plan: BodyPlan;
}

/** The signed attempt: the headers to send, and the encoded body of a signed chunked upload. @internal */
export interface SignedAttempt {
  readonly signed: SignedRequest;
  readonly body: AsyncGenerator<Buffer, void, undefined> | undefined;
}

/**
 * Signs one attempt.
 *
 * @throws {@link DateMismatchError} under the strict policy, {@link DateFormatError} with `raiseInvalidDate`,
 * and the signer's typed errors
 * @internal
 */
export function signAttempt(settings: AttemptSettings, attempt: Attempt): SignedAttempt {
  const date = decideSigningDate(attempt.headers, settings.date);
  const rescopeDate = date.scopeDate === date.requestDate ? undefined : date.scopeDate;
  if (rescopeDate !== undefined && attempt.scope.sigV4a) {
    throw new InvalidInputError(
      'aws4Hooks options.datePolicy',
      `is "passive", which cannot sign a request dated ${date.requestDate} under the key day ${rescopeDate} with SigV4a, whose key has no date; use "regenerate" or "strict"`,
    );
  }
  const options = signOptions(settings.fixed, attempt, date);
  const chunked = attempt.plan.chunked;
  if (chunked !== undefined) return signChunked(attempt, options as SigV4SignOptions, chunked, rescopeDate, date);
  const signed = signRequest({ method: attempt.method, url: attempt.url, headers: date.headers, body: attempt.plan.body }, options);
  return { signed: rescopeDate === undefined ? signed : rescopeTo(signed, options as SigV4SignOptions, rescopeDate).signed, body: undefined };
}

function signOptions(fixed: FixedChoices, attempt: Attempt, date: SigningDate): SignOptions {
  const scope = attempt.scope;
  // Spelled out rather than spread: V8 copies a spread object slowly, on the hot path of every request.
  return {
    includeHeaders: fixed.includeHeaders,
    signSessionToken: fixed.signSessionToken,
    normalizePath: fixed.normalizePath,
    doubleEncodePath: fixed.doubleEncodePath,
    contentSha256Header: fixed.contentSha256Header,
    credentials: attempt.identity,
    region: scope.region as string,
    service: scope.service,
    date: date.time,
    dateHeader: date.dateHeader,
    payloadHash: attempt.plan.payloadHash,
    algorithm: scope.sigV4a ? 'sigv4a' : undefined,
    regionSet: scope.sigV4a ? scope.regionSet : undefined,
  } as SignOptions;
}

/** The passive policy's scope: the key's day instead of the request's. */
function rescopeTo(signed: SignedRequest, options: SigV4SignOptions, scopeDate: string): { signed: SignedRequest; key: Uint8Array } {
  const key = cachedSigningKey(options.credentials.secretAccessKey, scopeDate, options.region, options.service);
  return { signed: rescope(signed, options.credentials.accessKeyId, key, `${scopeDate}/${options.region}/${options.service}/aws4_request`), key };
}

function signChunked(attempt: Attempt, options: SigV4SignOptions, chunked: ChunkedSource, rescopeDate: string | undefined, date: SigningDate): SignedAttempt {
  const layout = { chunkSize: chunked.chunkSize, checksum: chunked.checksum };
  const upload = signChunkedUpload({ method: attempt.method, url: attempt.url, headers: date.headers }, options, { decodedLength: chunked.decodedLength, ...layout });
  // An async generator rather than a stream: got iterates it and fails the request with whatever it throws
  // (a stream longer or shorter than its length), where a replacement stream's error would go unheard.
  if (rescopeDate === undefined) return { signed: upload.signed, body: upload.encode(chunked.source) };
  const { signed, key } = rescopeTo(upload.signed, options, rescopeDate);
  if (!upload.chunked) return { signed, body: upload.encode(chunked.source) };
  const seed = chunkSigningSeed(signed, key);
  return { signed, body: encodeChunked(chunked.source, { ...layout, decodedLength: chunked.decodedLength, seed }) };
}
