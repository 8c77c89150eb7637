/**
 * The one home of input validation rules, shared by the signer, the auth layer, the credential cache, the got
 * plugin and the CLI. Every validator has the shape `checkX(value, field)`: it returns the value typed (and,
 * where documented, normalised) or throws the core's typed error naming `field`, never printing a secret.
 *
 * The patterns are written here once: {@link HTTP_TOKEN} (RFC 9110 `token`: header names, methods,
 * `includeHeaders` patterns) and {@link SCOPE_PART} (a credential-scope region or service).
 *
 * @internal
 * @module
 */
import { types } from 'node:util';
import { InvalidCredentialsError, InvalidDateError, InvalidInputError, describeValue } from './errors.js';
import { LastMemo, BoundedMemo } from './memo.js';

/** An RFC 9110 `token`: a header name or an HTTP method. @internal */
export const HTTP_TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
/** A region or service name as a credential scope allows it. @internal */
export const SCOPE_PART = /^[A-Za-z0-9._-]+$/;
/** A SigV4a region-set entry: a region or a pattern with `*` (`*`, `us-*`). @internal */
export const REGION_SET_ENTRY = /^[A-Za-z0-9._*-]+$/;

const ACCESS_KEY_ID = /^[\x21-\x7e]+$/;
const SENDABLE = /^[\t\x20-\x7e]*$/;
const SHORT_DATE = /^(\d{4})(\d{2})(\d{2})$/;

// Every signature checks the same few credentials and scope parts again: the last ones found sound are
// remembered (registered memos, so clearSignerCaches() forgets the token too).
const soundAccessKeyId = new LastMemo<true>('validate: last sound access key id');
const soundSessionToken = new LastMemo<true>('validate: last sound session token');
const soundScopeParts = new BoundedMemo<string, true>('validate: sound scope parts', 64);

/** Whether `value` is an RFC 9110 token (header name, method). @internal */
export function isHttpToken(value: unknown): value is string {
  return typeof value === 'string' && HTTP_TOKEN.test(value);
}

/**
 * What is wrong with a non-empty access key id for signing, if anything (it is written into the `Credential=`
 * part of the Authorization header and the presigned query).
 *
 * @internal
 */
export function accessKeyIdProblem(accessKeyId: string): string | undefined {
  if (soundAccessKeyId.hit(accessKeyId)) return undefined;
  if (!ACCESS_KEY_ID.test(accessKeyId) || accessKeyId.includes('/') || accessKeyId.includes(',')) {
    return 'contains whitespace, control, non-ASCII, "/" or "," characters; check that the access key id was copied whole and alone';
  }
  soundAccessKeyId.remember(true, accessKeyId);
  return undefined;
}

/** What is wrong with a session token for sending in a header, if anything. @internal */
export function sessionTokenProblem(sessionToken: string): string | undefined {
  // A session token is about a kilobyte: scanned once per credential set, not per signature.
  if (soundSessionToken.hit(sessionToken)) return undefined;
  if (!SENDABLE.test(sessionToken)) return 'contains control or non-ASCII characters and cannot be sent in a header; check where the token came from';
  soundSessionToken.remember(true, sessionToken);
  return undefined;
}

/** An access key id: visible ASCII without `/` or `,`, which would break the Credential field. @internal */
export function checkAccessKeyId(value: unknown, field: string): string {
  if (typeof value !== 'string' || value === '') {
    throw new InvalidCredentialsError(field, `must be a non-empty string, got ${typeof value === 'string' ? 'an empty string' : describeValue(value)}`);
  }
  const problem = accessKeyIdProblem(value);
  if (problem !== undefined) throw new InvalidCredentialsError(field, problem);
  return value;
}

/** A secret access key: a non-empty string. Its value never appears in the error. @internal */
export function checkSecret(value: unknown, field: string): string {
  if (typeof value !== 'string' || value === '') {
    const got = typeof value === 'string' ? 'an empty string' : value === null || typeof value === 'object' ? describeValue(value) : typeof value;
    throw new InvalidCredentialsError(field, `must be a non-empty string, got ${got}`);
  }
  return value;
}

/** A session token: absent, empty (treated as absent) or a string that can be sent in a header. @internal */
export function checkSessionToken(value: unknown, field: string): string | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string') throw new InvalidCredentialsError(field, `must be a string when present, got ${typeof value}`);
  const problem = sessionTokenProblem(value);
  if (problem !== undefined) throw new InvalidCredentialsError(field, problem);
  return value;
}

/** A region or service name, as the credential scope allows them. @internal */
export function checkScopePart(value: unknown, field: string, example: string): string {
  if (typeof value === 'string' && soundScopeParts.get(value) === true) return value;
  if (typeof value !== 'string' || !SCOPE_PART.test(value)) {
    throw new InvalidInputError(field, `must be a non-empty string of letters, digits, ".", "_" or "-" such as "${example}", got ${describeValue(value)}`);
  }
  soundScopeParts.set(value, true);
  return value;
}

/** A SigV4a region set: a non-empty array of regions or `*` patterns, returned comma-joined. @internal */
export function checkRegionSet(value: unknown, field: string): string {
  const copy = arrayCopy(value, field);
  if (copy === undefined || copy.length === 0 || !copy.every((entry) => typeof entry === 'string' && REGION_SET_ENTRY.test(entry))) {
    throw new InvalidInputError(field, `must be a non-empty array of regions or "*" patterns such as ["us-east-1", "eu-*"], or ["*"] for all regions, got ${describeValue(value)}`);
  }
  return copy.join(',');
}

/**
 * A copy of an array option, element by element, read once, own indices only (a hole is `undefined`, never
 * an index inherited from a polluted prototype); `undefined` when it is not an array. A later change to the
 * caller's array, or a Proxy answering differently, changes nothing. `Array.isArray` and the reads run a
 * Proxy's traps, so a revoked Proxy or a trap that throws becomes the typed error.
 *
 * @internal
 */
export function arrayCopy(value: unknown, field: string): unknown[] | undefined {
  try {
    if (!Array.isArray(value)) return undefined;
    const length = (value as unknown[]).length;
    const copy: unknown[] = [];
    for (let index = 0; index < length; index++) copy.push(Object.hasOwn(value, index) ? (value as unknown[])[index] : undefined);
    return copy;
  } catch {
    throw new InvalidInputError(field, UNREADABLE_ARRAY);
  }
}

/** `Array.isArray` for an untrusted value: a revoked Proxy makes it throw, which becomes the typed error. @internal */
export function isArrayValue(value: unknown, field: string): boolean {
  try {
    return Array.isArray(value);
  } catch {
    throw new InvalidInputError(field, UNREADABLE_ARRAY);
  }
}

const UNREADABLE_ARRAY = 'could not be read (a revoked Proxy or a getter that threw); pass a plain array';

/** An HTTP method (any token), upper-cased. @internal */
export function checkMethod(value: unknown, field: string): string {
  if (value === 'GET' || value === 'PUT' || value === 'POST' || value === 'HEAD' || value === 'DELETE') return value;
  if (!isHttpToken(value)) throw new InvalidInputError(field, `must be an HTTP method name such as "GET", got ${describeValue(value)}`);
  return value.toUpperCase();
}

// The length as the typed array's own slot says, not as a subclass's getter or a Proxy would answer.
const typedArrayLength = Object.getOwnPropertyDescriptor(Object.getPrototypeOf(Uint8Array.prototype) as object, 'length')?.get as (this: Uint8Array) => number;

/** Whether `value` is a real `Uint8Array` (not a Proxy or look-alike) of exactly `length` bytes. @internal */
export function isBytes(value: unknown, length: number): value is Uint8Array {
  return types.isUint8Array(value) && typedArrayLength.call(value) === length;
}

/** An optional SigV4 signing key: a real 32-byte `Uint8Array` (not a Proxy of one). @internal */
export function checkSigningKey(value: unknown, field: string): Uint8Array | undefined {
  if (value === undefined) return undefined;
  if (!isBytes(value, 32)) {
    throw new InvalidInputError(field, 'must be a 32-byte Uint8Array from deriveSigningKey');
  }
  return value;
}

/** An optional boolean. @internal */
export function checkOptionalBoolean(value: unknown, field: string): boolean | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'boolean') throw new InvalidInputError(field, `must be true or false, got ${describeValue(value)}`);
  return value;
}

/** Header names or `*` patterns, copied and frozen. @internal */
export function checkIncludeHeaders(value: unknown, field: string): readonly string[] | undefined {
  if (value === undefined) return undefined;
  const copy = arrayCopy(value, field);
  if (copy === undefined || !copy.every(isHttpToken)) throw new InvalidInputError(field, 'must be an array of header names or patterns such as ["host", "content-type", "x-amz-*"]');
  return Object.freeze(copy as string[]);
}

/** A scope date, `YYYYMMDD`, that names a real day. @internal */
export function checkShortDate(value: unknown, field: string): string {
  const m = typeof value === 'string' ? SHORT_DATE.exec(value) : null;
  if (m !== null) {
    const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
    const date = new Date(Date.UTC(2000, month - 1, day));
    date.setUTCFullYear(year);
    if (month >= 1 && month <= 12 && date.getUTCMonth() === month - 1 && date.getUTCDate() === day) return value as string;
  }
  throw new InvalidDateError(field, `must be a UTC day written YYYYMMDD such as "20150830", got ${describeValue(value)}`);
}

/** An optional clock, `() => milliseconds since the epoch`. @internal */
export function checkClock(value: unknown, field: string): (() => number) | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'function') throw new InvalidInputError(field, `must be a function returning milliseconds since the epoch, such as Date.now, got ${describeValue(value)}`);
  return value as () => number;
}

/** Reads a clock, refusing anything but a finite number. @internal */
export function readClock(clock: () => number, field: string): Date {
  const now: unknown = clock();
  if (typeof now !== 'number' || !Number.isFinite(now)) {
    throw new InvalidDateError(field, `must return a finite number of milliseconds since the epoch, returned ${describeValue(now)}`);
  }
  return new Date(now);
}

/** A signing time given as a `Date` or milliseconds since the epoch. @internal */
export function checkTime(value: unknown, field: string): Date {
  if (value instanceof Date && Number.isFinite(value.getTime())) return value;
  if (typeof value === 'number' && Number.isFinite(value)) return new Date(value);
  throw new InvalidDateError(field, `must be a valid Date or a finite number of milliseconds since the epoch, got ${describeValue(value)}`);
}

/** An options object, or `{}` when absent (read it through snapshotOwn before use). @internal */
export function checkOptionsObject<T extends object>(value: T | undefined, field: string): T | Record<string, never> {
  if (value === undefined) return {};
  if (value === null || typeof value !== 'object') throw new InvalidInputError(field, `must be an object, got ${describeValue(value)}`);
  return value;
}

export { checkPayloadHash } from './payload-hash.js';
