/**
 * Header collection and canonicalisation. Names are lower-cased; values are trimmed with inner runs of
 * spaces and tabs collapsed to one space (quotes are not special); a repeated header's values are joined
 * with `,` in the order given. Values must be visible ASCII, spaces and tabs: a line break would inject
 * a header, and a non-ASCII character is sent as Latin-1 by Node but hashed as UTF-8 here, which would be a
 * silently wrong signature, so both are refused with an error naming the header.
 *
 * @module
 */
import { InvalidHeaderError, describeValue } from './errors.js';
import { isHttpToken } from './validate.js';
import { BoundedMemo } from './memo.js';
import { globMatcher } from './glob.js';

/**
 * Headers by lower-case name, as own properties of a plain object: the value, or a repeated header's
 * values in order. It becomes the signed request's `headers` as it is, so nothing is copied; read it only
 * through {@link ownHeader} (a name such as `host` must never be answered by a polluted prototype).
 * @category Signer
 */
export type HeaderRecord = Record<string, string | string[]>;

/** @internal */
export function ownHeader(headers: HeaderRecord, name: string): string | string[] | undefined {
  return Object.hasOwn(headers, name) ? headers[name] : undefined;
}

/** @internal */
export function removeHeader(headers: HeaderRecord, name: string): void {
  if (Object.hasOwn(headers, name)) delete headers[name];
}

function putHeader(headers: HeaderRecord, name: string, value: string | string[]): void {
  // A header named "__proto__" must be an own property, not the record's prototype.
  if (name === '__proto__') Object.defineProperty(headers, name, { value, enumerable: true, writable: true, configurable: true });
  else headers[name] = value;
}

const UNSENDABLE_VALUE_CHAR = /[^\t\x20-\x7e]/;

/**
 * Headers not signed by default: proxies, load balancers and the HTTP stack add, remove or rewrite them
 * on the way, and a signed header that changes in flight fails the signature. Names starting with
 * `proxy-` or `sec-` are not signed by default either.
 *
 * @example
 * ```ts
 * import { DEFAULT_UNSIGNED_HEADERS, signRequest, type SigningCredentials } from 'got-aws4auth/signer';
 * declare const credentials: SigningCredentials;
 * DEFAULT_UNSIGNED_HEADERS.includes('user-agent'); // true
 * const signed = signRequest(
 *   { method: 'GET', url: 'https://sqs.eu-west-1.amazonaws.com/', headers: { 'user-agent': 'my-app/1.0', 'x-amz-meta-tag': 'a' } },
 *   { credentials, region: 'eu-west-1', service: 'sqs' },
 * );
 * signed.signedHeaders; // 'host;x-amz-date;x-amz-meta-tag': user-agent is sent but not signed
 * ```
 * @category Signer
 */
export const DEFAULT_UNSIGNED_HEADERS: readonly string[] = Object.freeze([
  'authorization',
  'cache-control',
  'connection',
  'expect',
  'from',
  'keep-alive',
  'max-forwards',
  'pragma',
  'proxy-authorization',
  'proxy-connection',
  'referer',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'user-agent',
  'via',
  'x-amzn-trace-id',
  'x-forwarded-for',
  'x-forwarded-host',
  'x-forwarded-proto',
]);
const DEFAULT_UNSIGNED = new Set(DEFAULT_UNSIGNED_HEADERS);
// Browsers and proxies own these whole families (Sec-Fetch-*, Proxy-*), so they are never signed by default.
const DEFAULT_UNSIGNED_PREFIXES = /^(?:proxy-|sec-)/;

function signedByDefault(name: string): boolean {
  return !DEFAULT_UNSIGNED.has(name) && !DEFAULT_UNSIGNED_PREFIXES.test(name);
}

function describeChar(value: string): string {
  const match = UNSENDABLE_VALUE_CHAR.exec(value);
  if (match === null) return 'an unsendable character';
  const code = match[0].charCodeAt(0);
  if (code === 10 || code === 13) return 'a line break (CR or LF), which would inject a header';
  if (code === 0) return 'a NUL character';
  if (code < 32 || code === 127) return `the control character U+${code.toString(16).padStart(4, '0').toUpperCase()}`;
  return `the non-ASCII character U+${code.toString(16).padStart(4, '0').toUpperCase()}; encode it (e.g. percent-encoding or RFC 2047/8187) before signing`;
}

function checkedValue(name: string, value: unknown): string {
  if (typeof value === 'string') {
    if (UNSENDABLE_VALUE_CHAR.test(value)) throw new InvalidHeaderError(`request.headers["${name}"]`, `contains ${describeChar(value)}`);
    return value;
  }
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  throw new InvalidHeaderError(`request.headers["${name}"]`, `must be a string, a finite number or an array of strings, got ${describeValue(value)}`);
}

/** A plain object, a null-prototype record, or a class instance that is not a header collection. */
function checkedHeaderObject(headers: object): void {
  const prototype: unknown = Object.getPrototypeOf(headers);
  if (prototype === Object.prototype || prototype === null) return;
  // An array of pairs, a Map or a fetch Headers object would be read wrongly or not at all. (Only for
  // non-plain objects: a polluted Object.prototype.get must not make every plain object look like one.)
  const collection = headers as { get?: unknown; forEach?: unknown };
  if (Array.isArray(headers) || headers instanceof Map || (typeof collection.get === 'function' && typeof collection.forEach === 'function')) {
    const kind = Array.isArray(headers) ? 'an array' : headers instanceof Map ? 'a Map' : `a ${(headers as object).constructor?.name ?? 'collection'} object`;
    throw new InvalidHeaderError('request.headers', `must be a plain object of header names to values, got ${kind}; convert it with Object.fromEntries(...)`);
  }
}

/** The own enumerable names (what Node sends), listed once; a Proxy or getter that throws becomes a typed error. */
function headerNames(headers: object): string[] {
  try {
    checkedHeaderObject(headers);
    return Object.keys(headers);
  } catch (error) {
    if (error instanceof InvalidHeaderError) throw error;
    throw new InvalidHeaderError('request.headers', 'could not be listed (a revoked Proxy or a trap that threw); pass a plain object of header names to values');
  }
}

/** One header's value, read once, arrays copied, so what is checked is what is signed. */
function readHeaderValue(headers: Readonly<Record<string, unknown>>, name: string): unknown {
  try {
    const value = headers[name];
    return Array.isArray(value) ? Array.from(value as unknown[]) : value;
  } catch {
    throw new InvalidHeaderError('request.headers', `has a value that could not be read (a getter or Proxy that threw) for ${headerNameShown(name)}`);
  }
}

function headerNameShown(name: string): string {
  return name.length > 40 || /[^\x20-\x7e]/.test(name) ? `a name of ${name.length} characters` : JSON.stringify(name);
}

/**
 * Validates the request's headers and groups them by lower-case name, in linear time however many letter-case
 * spellings of one name there are. `undefined` values are skipped, as got and Node do.
 *
 * @internal
 */
export function collectHeaders(headers: unknown): HeaderRecord {
  const record: HeaderRecord = {};
  if (headers === undefined || headers === null) return record;
  if (typeof headers !== 'object') {
    throw new InvalidHeaderError('request.headers', `must be an object of header names to values, got ${describeValue(headers)}`);
  }
  for (const name of headerNames(headers)) {
    const value = readHeaderValue(headers as Readonly<Record<string, unknown>>, name);
    // got and Node send nothing for undefined or an empty array, so nothing is signed for them either.
    if (value === undefined || (Array.isArray(value) && value.length === 0)) continue;
    if (!isHttpToken(name)) {
      throw new InvalidHeaderError('request.headers', `has an invalid header name (${headerNameShown(name)}): names must be HTTP tokens, with no spaces, colons or control characters`);
    }
    const lower = name.toLowerCase();
    const checked = Array.isArray(value) ? value.map((item: unknown) => checkedValue(lower, item)) : checkedValue(lower, value);
    const earlier = ownHeader(record, lower);
    // One value is kept as a string, so the common header costs no array on the way in or out.
    if (earlier === undefined) putHeader(record, lower, Array.isArray(checked) && checked.length === 1 ? (checked[0] as string) : checked);
    else if (typeof earlier === 'string') putHeader(record, lower, typeof checked === 'string' ? [earlier, checked] : [earlier, ...checked]);
    // The array was built here (never the caller's), so it grows in place: n spellings of one name stay linear.
    else if (typeof checked === 'string') earlier.push(checked);
    else for (const item of checked) earlier.push(item);
  }
  return record;
}

/**
 * Trims a header value and collapses inner runs of spaces and tabs to one space.
 *
 * @example
 * ```ts
 * import { foldHeaderValue } from 'got-aws4auth/signer';
 * foldHeaderValue('  multiple   spaces\tand tabs  '); // 'multiple spaces and tabs'
 * ```
 * @category Signer
 */
export function foldHeaderValue(value: string): string {
  const first = value.charCodeAt(0);
  const last = value.charCodeAt(value.length - 1);
  // Most values need no folding; four character tests are cheaper than a regular expression per value.
  if (first !== 32 && first !== 9 && last !== 32 && last !== 9 && !value.includes('  ') && !value.includes('\t')) return value;
  return value.replace(/[ \t]+/g, ' ').trim();
}

/**
 * A predicate deciding which header names are signed, built from include patterns (`*` matches any run
 * of characters, case-insensitive) or, without patterns, from {@link DEFAULT_UNSIGNED_HEADERS} and the
 * `proxy-*` and `sec-*` families.
 *
 * @internal
 */
export function headerSelector(includeHeaders: readonly string[] | undefined): (name: string) => boolean {
  if (includeHeaders === undefined) return signedByDefault;
  // AWS4Auth and the got plugin pass the same patterns on every request: build each selector once.
  const memoKey = includeHeaders.join(',');
  return selectors.get(memoKey) ?? selectors.set(memoKey, buildSelector(includeHeaders));
}

const selectors = new BoundedMemo<string, (name: string) => boolean>('canonical-headers: header selectors by includeHeaders', 32);

function buildSelector(includeHeaders: readonly string[]): (name: string) => boolean {
  const exact = new Set<string>();
  const patterns: ((name: string) => boolean)[] = [];
  for (const pattern of includeHeaders) {
    const lower = pattern.toLowerCase();
    if (!lower.includes('*')) exact.add(lower);
    else patterns.push(globMatcher(lower));
  }
  return (name) => exact.has(name) || patterns.some((matches) => matches(name));
}

/** Sorts in place by UTF-16 code units, as `Array.prototype.sort` does, without its cost for the handful signed. */
function sortNames(names: string[]): void {
  if (names.length > 16) {
    names.sort();
    return;
  }
  for (let i = 1; i < names.length; i++) {
    const name = names[i] as string;
    let j = i - 1;
    while (j >= 0 && (names[j] as string) > name) {
      names[j + 1] = names[j] as string;
      j--;
    }
    names[j + 1] = name;
  }
}

/**
 * Builds the canonical headers block (each `name:value\n`) and the signed-headers list for the chosen
 * names, sorted by name.
 *
 * @internal
 */
export function canonicalHeaders(headers: HeaderRecord, signedNames: string[]): { canonical: string; signedHeaders: string } {
  sortNames(signedNames);
  let canonical = '';
  for (const name of signedNames) {
    const value = headers[name] as string | string[];
    canonical += `${name}:${typeof value === 'string' ? foldHeaderValue(value) : value.map(foldHeaderValue).join(',')}\n`;
  }
  return { canonical, signedHeaders: signedNames.join(';') };
}
