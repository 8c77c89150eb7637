/**
 * Checks shared by {@link AWS4SigningKey} and {@link AWS4Auth}, each throwing the core's typed error that
 * names the field (never its value when the value is a secret).
 *
 * @internal
 * @module
 */
import { accessKeyIdProblem, sessionTokenProblem } from '../signer/resolve-options.js';
import { InvalidCredentialsError, InvalidDateError, InvalidInputError, describeValue } from '../signer/errors.js';

const SCOPE_PART = /^[A-Za-z0-9._-]+$/;
const SHORT_DATE = /^(\d{4})(\d{2})(\d{2})$/;
const HEADER_PATTERN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/** A region or service name, as the credential scope allows them. @internal */
export function checkScopePart(value: unknown, field: string, example: string): string {
  if (typeof value !== 'string' || !SCOPE_PART.test(value)) {
    throw new InvalidInputError(field, `must be a non-empty string of letters, digits, ".", "_" or "-" such as "${example}", got ${describeValue(value)}`);
  }
  return value;
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

/** A secret access key: a non-empty string. Its value never appears in the error. @internal */
export function checkSecret(value: unknown, field: string): string {
  if (typeof value !== 'string' || value === '') {
    const got = typeof value === 'string' ? 'an empty string' : value === null || typeof value === 'object' ? describeValue(value) : typeof value;
    throw new InvalidCredentialsError(field, `must be a non-empty string, got ${got}`);
  }
  return value;
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

/** A session token: absent, empty (treated as absent) or a string that can be sent in a header. @internal */
export function checkSessionToken(value: unknown, field: string): string | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string') throw new InvalidCredentialsError(field, `must be a string when present, got ${typeof value}`);
  const problem = sessionTokenProblem(value);
  if (problem !== undefined) throw new InvalidCredentialsError(field, problem);
  return value;
}

/** An optional boolean. @internal */
export function checkOptionalBoolean(value: unknown, field: string): boolean | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'boolean') throw new InvalidInputError(field, `must be true or false, got ${describeValue(value)}`);
  return value;
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

/** Header names or `*` patterns, copied and frozen. @internal */
export function checkIncludeHeaders(value: unknown, field: string): readonly string[] | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value) || value.some((h) => typeof h !== 'string' || !HEADER_PATTERN.test(h))) {
    throw new InvalidInputError(field, 'must be an array of header names or patterns such as ["host", "content-type", "x-amz-*"]');
  }
  return Object.freeze([...(value as string[])]);
}

/** An options object, or `{}` when absent. @internal */
export function checkOptionsObject<T extends object>(value: T | undefined, field: string): T | Record<string, never> {
  if (value === undefined) return {};
  if (value === null || typeof value !== 'object') throw new InvalidInputError(field, `must be an object, got ${describeValue(value)}`);
  return value;
}
