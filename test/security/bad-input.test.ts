/**
 * Bad input at every public entry point: `signRequest`, `presignUrl`, `AWS4Auth` (constructor and `sign`),
 * `AWS4SigningKey`, `CredentialCache` (constructor, `getCredentials`, providers returning garbage), the got
 * plugin (`createAws4Hooks` options, and requests through got against a local server that records whether
 * anything arrived) and the CLI's `run()`.
 *
 * The rule each row checks: a typed `AWS4AuthError` subclass with a stable `code` that names the offending
 * field (in `error.field`, or in the message where the class has no field), and for the plugin and the CLI,
 * nothing on the wire. A TypeError from our internals, or a signature produced silently, is a bug: such rows
 * carry `bug` (a `// BUG:` comment says what happens) and run as `it.fails`, so they turn green the day
 * the bug is fixed and someone removes the marker.
 *
 * Decisions this file documents (see the `accepted` table):
 * - Size: no input is refused for its size. A 1 MiB header value, path, region or session token is signed
 *   (in linear time) and, through got, sent; the server decides (Node's HTTP server answers 431 beyond 16 KiB
 *   of headers, AWS front ends refuse more than 8 KiB). Never a crash.
 * - Non-ASCII: refused in header names and values, access key ids, session tokens, regions and services
 *   (typed errors); accepted in URL paths (percent-encoded as sent) and in secrets (hashed as UTF-8).
 * - `null` for an optional `date` or `sessionToken` means absent, as `undefined` does.
 * - The signer reads every request, option and credential object once, own properties only (issue 14): a
 *   getter or Proxy trap that throws there becomes a typed error naming the field (the thrown value is
 *   dropped, as it may hold anything). Elsewhere a caller's own code that throws (a clock, AWS4Auth's
 *   options) still propagates its own error, unchanged; the `ownErrors` table checks that nothing else comes out.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import got, { RequestError } from 'got';
import {
  AWS4Auth,
  AWS4AuthError,
  AWS4SigningKey,
  CredentialCache,
  createAws4Hooks,
  presignUrl,
  signRequest,
  type AWS4AuthErrorCode,
  type Aws4HooksOptions,
  type PresignOptions,
  type SignableRequest,
  type SigV4SignOptions,
} from '../../src/index.js';
import { startVerifyingServer, type VerifyingServer } from '../helpers/verifying-server.js';
import { awsHome, runCli } from '../cli/support.js';

const ACCESS_KEY_ID = 'AKIDBADINPUT';
const SECRET = 'bad/input/secret/0123456789abcdefghijklm';
const credentials = { accessKeyId: ACCESS_KEY_ID, secretAccessKey: SECRET };
const DATE = new Date('2015-08-30T12:36:00Z');
const URL_ = 'https://example.amazonaws.com/path';
const request: SignableRequest = { method: 'GET', url: URL_, headers: { 'x-a': 'b' } };
const options: SigV4SignOptions = { credentials, region: 'us-east-1', service: 'es', date: DATE };
const presignOptions: PresignOptions = { ...options, expiresIn: 60 };
const authOptions = { accessKeyId: ACCESS_KEY_ID, secretAccessKey: SECRET, region: 'us-east-1', service: 'es', date: '20150830' };
const MIB = 1024 * 1024;

/** A value of the wrong type, as a JavaScript caller would pass it. */
function bad<T>(value: unknown): T {
  return value as T;
}

/** One row: an entry point, an input, the error it must give. */
interface BadInput {
  readonly input: string;
  readonly call: () => unknown;
  /** The code, or the codes any of which is right (e.g. refused by the credential cache or by the signer). */
  readonly code: AWS4AuthErrorCode | readonly AWS4AuthErrorCode[];
  /** `error.field` (or, for classes without one, the message) must contain this. */
  readonly field: string;
  /** What happens instead; set only for known bugs (the row runs as `it.fails`). */
  readonly bug?: string;
}

async function thrown(call: () => unknown): Promise<unknown> {
  try {
    await call();
  } catch (error) {
    return error;
  }
  return undefined;
}

function fieldOf(error: unknown): string {
  const field = (error as { field?: unknown }).field;
  return typeof field === 'string' ? field : String((error as Error).message);
}

async function expectTyped(row: Pick<BadInput, 'call' | 'code' | 'field'>): Promise<AWS4AuthError> {
  const error = await thrown(row.call);
  // Not a signature, not a TypeError from inside: a typed error.
  expect(error, 'expected a typed error, got a result').toBeDefined();
  expect(error, `expected an AWS4AuthError, got ${String(error)}`).toBeInstanceOf(AWS4AuthError);
  const typed = error as AWS4AuthError;
  expect(typeof row.code === 'string' ? [row.code] : row.code).toContain(typed.code);
  expect(fieldOf(typed)).toContain(row.field);
  return typed;
}

function runTable(table: readonly BadInput[]): void {
  for (const row of table) {
    if (row.bug !== undefined) it.fails(`${row.input} (BUG: ${row.bug})`, () => expectTyped(row));
    else it(row.input, () => expectTyped(row));
  }
}

/** Header names, header values, regions, services, access keys and session tokens each get these. */
const CONTROL = [
  ['CR LF', 'a\r\nx-injected: 1'],
  ['a bare LF', 'a\nb'],
  ['a bare CR', 'a\rb'],
  ['NUL', 'a\0b'],
] as const;

// ---------------------------------------------------------------------------------------------------------
const signRequestTable: BadInput[] = [
  ...CONTROL.flatMap(([what, text]): BadInput[] => [
    { input: `${what} in a header name`, call: () => signRequest({ ...request, headers: { [`x-${text}`]: 'v' } }, options), code: 'ERR_AWS4_INVALID_HEADER', field: 'request.headers' },
    { input: `${what} in a header value`, call: () => signRequest({ ...request, headers: { 'x-a': text } }, options), code: 'ERR_AWS4_INVALID_HEADER', field: 'request.headers["x-a"]' },
    { input: `${what} in one value of a repeated header`, call: () => signRequest({ ...request, headers: { 'x-a': ['ok', text] } }, options), code: 'ERR_AWS4_INVALID_HEADER', field: 'request.headers["x-a"]' },
    { input: `${what} in the region`, call: () => signRequest(request, { ...options, region: `us-east-1${text}` }), code: 'ERR_AWS4_INVALID_INPUT', field: 'options.region' },
    { input: `${what} in the service`, call: () => signRequest(request, { ...options, service: `es${text}` }), code: 'ERR_AWS4_INVALID_INPUT', field: 'options.service' },
    { input: `${what} in the access key id`, call: () => signRequest(request, { ...options, credentials: { ...credentials, accessKeyId: `AKID${text}` } }), code: 'ERR_AWS4_INVALID_CREDENTIALS', field: 'options.credentials.accessKeyId' },
    { input: `${what} in the session token`, call: () => signRequest(request, { ...options, credentials: { ...credentials, sessionToken: `tok${text}` } }), code: 'ERR_AWS4_INVALID_CREDENTIALS', field: 'options.credentials.sessionToken' },
    { input: `${what} in the path`, call: () => signRequest({ ...request, url: `https://example.amazonaws.com/a${text}` }, options), code: 'ERR_AWS4_INVALID_URL', field: 'request.url' },
    { input: `${what} in the method`, call: () => signRequest({ ...request, method: `GET${text}` }, options), code: 'ERR_AWS4_INVALID_INPUT', field: 'request.method' },
  ]),
  { input: 'CR LF in the host', call: () => signRequest({ ...request, url: 'https://example.amazonaws.com\r\n/x' }, options), code: 'ERR_AWS4_INVALID_URL', field: 'request.url' },
  { input: 'a tab in the host', call: () => signRequest({ ...request, url: 'https://exam\tple.amazonaws.com/x' }, options), code: 'ERR_AWS4_INVALID_URL', field: 'request.url' },
  { input: 'NUL in the host', call: () => signRequest({ ...request, url: 'https://exa\0mple.com/' }, options), code: 'ERR_AWS4_INVALID_URL', field: 'request.url' },
  { input: 'a space in the host', call: () => signRequest({ ...request, url: 'https://exa mple.com/' }, options), code: 'ERR_AWS4_INVALID_URL', field: 'request.url' },
  // Non-ASCII and oversized names.
  { input: 'a non-ASCII header value', call: () => signRequest({ ...request, headers: { 'x-a': 'é' } }, options), code: 'ERR_AWS4_INVALID_HEADER', field: 'request.headers["x-a"]' },
  { input: 'a non-ASCII header value outside the BMP', call: () => signRequest({ ...request, headers: { 'x-a': '😀' } }, options), code: 'ERR_AWS4_INVALID_HEADER', field: 'request.headers["x-a"]' },
  { input: 'a non-ASCII header name', call: () => signRequest({ ...request, headers: { 'x-é': 'v' } }, options), code: 'ERR_AWS4_INVALID_HEADER', field: 'request.headers' },
  { input: 'a header name with a space', call: () => signRequest({ ...request, headers: { 'x a': 'v' } }, options), code: 'ERR_AWS4_INVALID_HEADER', field: 'request.headers' },
  { input: 'a header name with a colon', call: () => signRequest({ ...request, headers: { 'x-a:': 'v' } }, options), code: 'ERR_AWS4_INVALID_HEADER', field: 'request.headers' },
  { input: 'an empty header name', call: () => signRequest({ ...request, headers: { '': 'v' } }, options), code: 'ERR_AWS4_INVALID_HEADER', field: 'request.headers' },
  { input: 'a non-ASCII region', call: () => signRequest(request, { ...options, region: 'üs-east-1' }), code: 'ERR_AWS4_INVALID_INPUT', field: 'options.region' },
  { input: 'a non-ASCII service', call: () => signRequest(request, { ...options, service: 'ës' }), code: 'ERR_AWS4_INVALID_INPUT', field: 'options.service' },
  { input: 'a non-ASCII access key id', call: () => signRequest(request, { ...options, credentials: { ...credentials, accessKeyId: 'AKÏD' } }), code: 'ERR_AWS4_INVALID_CREDENTIALS', field: 'options.credentials.accessKeyId' },
  { input: 'a non-ASCII session token', call: () => signRequest(request, { ...options, credentials: { ...credentials, sessionToken: 'tokén' } }), code: 'ERR_AWS4_INVALID_CREDENTIALS', field: 'options.credentials.sessionToken' },
  { input: 'an access key id with a slash', call: () => signRequest(request, { ...options, credentials: { ...credentials, accessKeyId: 'AKID/x' } }), code: 'ERR_AWS4_INVALID_CREDENTIALS', field: 'options.credentials.accessKeyId' },
  // Malformed and relative URLs.
  ...(
    [
      ['a relative path', '/relative/path'],
      ['a protocol-relative URL', '//example.com/x'],
      ['a bare host', 'example.com/x'],
      ['an empty string', ''],
      ['"not a url"', 'not a url'],
      ['an ftp URL', 'ftp://example.com/x'],
      ['a file URL', 'file:///etc/passwd'],
      ['a javascript: URL', 'javascript:alert(1)'],
      ['a data: URL', 'data:text/plain,x'],
      ['no host', 'https:///x'],
      ['an unclosed IPv6 literal', 'http://[::1/'],
      ['a port above 65535', 'https://example.com:99999/'],
      ['a non-numeric port', 'https://example.com:http/'],
    ] as const
  ).map(([what, url]): BadInput => ({ input: `${what} as the URL`, call: () => signRequest({ ...request, url }, options), code: 'ERR_AWS4_INVALID_URL', field: 'request.url' })),
  { input: 'a URL object with the file: scheme', call: () => signRequest({ ...request, url: new URL('file:///etc/passwd') }, options), code: 'ERR_AWS4_INVALID_URL', field: 'request.url' },
  // Wrong types from JavaScript callers.
  ...(
    [
      ['null', null],
      ['undefined', undefined],
      ['a number', 443],
      ['an array', [URL_]],
      ['a URL-like object', { href: URL_ }],
    ] as const
  ).map(([what, url]): BadInput => ({ input: `${what} as the URL`, call: () => signRequest({ ...request, url: bad(url) }, options), code: 'ERR_AWS4_INVALID_URL', field: 'request.url' })),
  ...(
    [
      ['null', null],
      ['undefined', undefined],
      ['a number', 1],
      ['an array', ['GET']],
      ['an empty string', ''],
    ] as const
  ).map(([what, method]): BadInput => ({ input: `${what} as the method`, call: () => signRequest({ ...request, method: bad(method) }, options), code: 'ERR_AWS4_INVALID_INPUT', field: 'request.method' })),
  ...(
    [
      ['null', null],
      ['NaN', Number.NaN],
      ['Infinity', Number.POSITIVE_INFINITY],
      ['true', true],
      ['a bigint', 1n],
      ['a symbol', Symbol('x')],
      ['a function', () => 'v'],
      ['an object', { value: 'v' }],
      ['a nested array', [['v']]],
      ['an array holding null', [null]],
      ['an array holding an object', [{}]],
    ] as const
  ).map(([what, value]): BadInput => ({ input: `${what} as a header value`, call: () => signRequest({ ...request, headers: { 'x-a': bad(value) } }, options), code: 'ERR_AWS4_INVALID_HEADER', field: 'request.headers["x-a"]' })),
  { input: 'a string as the headers', call: () => signRequest({ ...request, headers: bad('x-a: b') }, options), code: 'ERR_AWS4_INVALID_HEADER', field: 'request.headers' },
  { input: 'a number as the headers', call: () => signRequest({ ...request, headers: bad(5) }, options), code: 'ERR_AWS4_INVALID_HEADER', field: 'request.headers' },
  { input: 'an array of pairs as the headers', call: () => signRequest({ ...request, headers: bad([['x-a', 'b']]) }, options), code: 'ERR_AWS4_INVALID_HEADER', field: 'request.headers' },
  { input: 'a Map as the headers', call: () => signRequest({ ...request, headers: bad(new Map([['x-a', 'b']])) }, options), code: 'ERR_AWS4_INVALID_HEADER', field: 'request.headers' },
  { input: 'a fetch Headers object as the headers', call: () => signRequest({ ...request, headers: bad(new Headers({ 'x-a': 'b' })) }, options), code: 'ERR_AWS4_INVALID_HEADER', field: 'request.headers' },
  {
    input: 'a prototype-polluted object from JSON.parse as the headers',
    call: () => signRequest({ ...request, headers: JSON.parse('{"__proto__": {"x": 1}, "x-a": "b"}') as Record<string, string> }, options),
    code: 'ERR_AWS4_INVALID_HEADER',
    field: 'request.headers["__proto__"]',
  },
  ...(
    [
      ['null', null],
      ['undefined', undefined],
      ['a string', 'GET https://example.amazonaws.com/'],
      ['a number', 1],
    ] as const
  ).map(([what, value]): BadInput => ({ input: `${what} as the request`, call: () => signRequest(bad(value), options), code: 'ERR_AWS4_INVALID_INPUT', field: 'request' })),
  ...(
    [
      ['null', null],
      ['undefined', undefined],
      ['a string', 'us-east-1'],
    ] as const
  ).map(([what, value]): BadInput => ({ input: `${what} as the options`, call: () => signRequest(request, bad(value)), code: 'ERR_AWS4_INVALID_INPUT', field: 'options' })),
  ...(
    [
      ['null', null],
      ['undefined', undefined],
      ['a number', 1],
      ['an array', ['us-east-1']],
      ['an object with toString', { toString: () => 'us-east-1' }],
      ['an empty string', ''],
    ] as const
  ).flatMap(([what, value]): BadInput[] => [
    { input: `${what} as the region`, call: () => signRequest(request, { ...options, region: bad(value) }), code: 'ERR_AWS4_INVALID_INPUT', field: 'options.region' },
    { input: `${what} as the service`, call: () => signRequest(request, { ...options, service: bad(value) }), code: 'ERR_AWS4_INVALID_INPUT', field: 'options.service' },
    { input: `${what} as the access key id`, call: () => signRequest(request, { ...options, credentials: { ...credentials, accessKeyId: bad(value) } }), code: 'ERR_AWS4_INVALID_CREDENTIALS', field: 'options.credentials.accessKeyId' },
    { input: `${what} as the secret access key`, call: () => signRequest(request, { ...options, credentials: { ...credentials, secretAccessKey: bad(value) } }), code: 'ERR_AWS4_INVALID_CREDENTIALS', field: 'options.credentials.secretAccessKey' },
  ]),
  ...(
    [
      ['a number', 1],
      ['an array', ['token']],
      ['an object', { token: 'x' }],
      ['true', true],
    ] as const
  ).map(([what, value]): BadInput => ({ input: `${what} as the session token`, call: () => signRequest(request, { ...options, credentials: { ...credentials, sessionToken: bad(value) } }), code: 'ERR_AWS4_INVALID_CREDENTIALS', field: 'options.credentials.sessionToken' })),
  ...(
    [
      ['null', null],
      ['undefined', undefined],
      ['a string', 'AKID:secret'],
      ['a number', 1],
    ] as const
  ).map(([what, value]): BadInput => ({ input: `${what} as the credentials`, call: () => signRequest(request, { ...options, credentials: bad(value) }), code: 'ERR_AWS4_INVALID_CREDENTIALS', field: 'options.credentials' })),
  // Invalid dates.
  ...(
    [
      ['an invalid Date (NaN)', new Date(Number.NaN)],
      ['a Date in the year 10000', new Date('+010000-01-01T00:00:00Z')],
      ['a Date before the year 0', new Date('-000001-01-01T00:00:00Z')],
      ['a date string', '2015-08-30T12:36:00Z'],
      ['an amz-date string', '20150830T123600Z'],
      ['a number of milliseconds', DATE.getTime()],
      ['a Date-like object', { getTime: () => DATE.getTime(), toISOString: () => DATE.toISOString() }],
    ] as const
  ).map(([what, date]): BadInput => ({ input: `${what} as the date`, call: () => signRequest(request, { ...options, date: bad(date) }), code: 'ERR_AWS4_INVALID_DATE', field: 'options.date' })),
  // Other options.
  { input: 'a malformed payload hash', call: () => signRequest(request, { ...options, payloadHash: 'abc' }), code: 'ERR_AWS4_INVALID_INPUT', field: 'options.payloadHash' },
  { input: 'a payload hash with CR LF', call: () => signRequest(request, { ...options, payloadHash: 'UNSIGNED-PAYLOAD\r\nx: y' }), code: 'ERR_AWS4_INVALID_INPUT', field: 'options.payloadHash' },
  { input: 'a malformed x-amz-content-sha256 header', call: () => signRequest({ ...request, headers: { 'x-amz-content-sha256': 'abc' } }, options), code: 'ERR_AWS4_INVALID_INPUT', field: 'x-amz-content-sha256' },
  { input: 'a string as includeHeaders', call: () => signRequest(request, { ...options, includeHeaders: bad('host') }), code: 'ERR_AWS4_INVALID_INPUT', field: 'options.includeHeaders' },
  { input: 'a pattern with CR LF in includeHeaders', call: () => signRequest(request, { ...options, includeHeaders: ['x-\r\n*'] }), code: 'ERR_AWS4_INVALID_INPUT', field: 'options.includeHeaders' },
  { input: 'an unknown dateHeader', call: () => signRequest(request, { ...options, dateHeader: bad('x-date') }), code: 'ERR_AWS4_INVALID_INPUT', field: 'options.dateHeader' },
  { input: 'an unknown algorithm', call: () => signRequest(request, { ...options, algorithm: bad<undefined>('sigv5') }), code: 'ERR_AWS4_INVALID_INPUT', field: 'options.algorithm' },
  { input: 'a hex string as the signing key', call: () => signRequest(request, { ...options, signingKey: bad('ab'.repeat(32)) }), code: 'ERR_AWS4_INVALID_INPUT', field: 'options.signingKey' },
  { input: 'a 31-byte signing key', call: () => signRequest(request, { ...options, signingKey: new Uint8Array(31) }), code: 'ERR_AWS4_INVALID_INPUT', field: 'options.signingKey' },
  { input: 'the string "false" as normalizePath', call: () => signRequest(request, { ...options, normalizePath: bad('false') }), code: 'ERR_AWS4_INVALID_INPUT', field: 'options.normalizePath' },
  { input: 'a number as signSessionToken', call: () => signRequest(request, { ...options, signSessionToken: bad(0) }), code: 'ERR_AWS4_INVALID_INPUT', field: 'options.signSessionToken' },
  { input: 'a number as the body', call: () => signRequest({ ...request, body: bad(5) }, options), code: 'ERR_AWS4_INVALID_INPUT', field: 'request.body' },
  { input: 'a plain object as the body', call: () => signRequest({ ...request, body: bad({ a: 1 }) }, options), code: 'ERR_AWS4_INVALID_INPUT', field: 'request.body' },
  { input: 'a SharedArrayBuffer as the body', call: () => signRequest({ ...request, body: bad(new SharedArrayBuffer(4)) }, options), code: 'ERR_AWS4_INVALID_INPUT', field: 'request.body' },
  { input: 'an SigV4a region set that is a string', call: () => signRequest(request, { credentials, service: 'es', date: DATE, algorithm: 'sigv4a', regionSet: bad('us-east-1') }), code: 'ERR_AWS4_INVALID_INPUT', field: 'options.regionSet' },
  { input: 'an SigV4a region set with CR LF', call: () => signRequest(request, { credentials, service: 'es', date: DATE, algorithm: 'sigv4a', regionSet: ['us-east-1\r\n'] }), code: 'ERR_AWS4_INVALID_INPUT', field: 'options.regionSet' },
];

// ---------------------------------------------------------------------------------------------------------
const presignTable: BadInput[] = [
  ...(
    [
      ['0', 0],
      ['-1', -1],
      ['604801', 604_801],
      ['NaN', Number.NaN],
      ['Infinity', Number.POSITIVE_INFINITY],
      ['1.5', 1.5],
      ["'60'", '60'],
      ['null', null],
      ['undefined', undefined],
      ['60n', 60n],
      ['new Number(60)', Object(60)],
      ['-0', -0],
    ] as const
  ).map(([what, expiresIn]): BadInput => ({ input: `expiresIn ${what}`, call: () => presignUrl(request, { ...presignOptions, expiresIn: bad(expiresIn) }), code: 'ERR_AWS4_INVALID_EXPIRY', field: 'options.expiresIn' })),
  { input: 'expiresIn missing', call: () => presignUrl(request, bad({ ...options })), code: 'ERR_AWS4_INVALID_EXPIRY', field: 'options.expiresIn' },
  ...CONTROL.flatMap(([what, text]): BadInput[] => [
    { input: `${what} in a header value`, call: () => presignUrl({ ...request, headers: { 'x-a': text } }, presignOptions), code: 'ERR_AWS4_INVALID_HEADER', field: 'request.headers["x-a"]' },
    { input: `${what} in the session token`, call: () => presignUrl(request, { ...presignOptions, credentials: { ...credentials, sessionToken: `t${text}` } }), code: 'ERR_AWS4_INVALID_CREDENTIALS', field: 'options.credentials.sessionToken' },
    { input: `${what} in the region`, call: () => presignUrl(request, { ...presignOptions, region: `eu${text}` }), code: 'ERR_AWS4_INVALID_INPUT', field: 'options.region' },
    { input: `${what} in the access key id`, call: () => presignUrl(request, { ...presignOptions, credentials: { ...credentials, accessKeyId: `AKID${text}` } }), code: 'ERR_AWS4_INVALID_CREDENTIALS', field: 'options.credentials.accessKeyId' },
  ]),
  { input: 'a relative URL', call: () => presignUrl({ ...request, url: '/x' }, presignOptions), code: 'ERR_AWS4_INVALID_URL', field: 'request.url' },
  { input: 'an invalid Date', call: () => presignUrl(request, { ...presignOptions, date: new Date(Number.NaN) }), code: 'ERR_AWS4_INVALID_DATE', field: 'options.date' },
  { input: 'a Date in the year 10000', call: () => presignUrl(request, { ...presignOptions, date: new Date('+010000-01-01T00:00:00Z') }), code: 'ERR_AWS4_INVALID_DATE', field: 'options.date' },
  { input: 'null as the request', call: () => presignUrl(bad(null), presignOptions), code: 'ERR_AWS4_INVALID_INPUT', field: 'request' },
];

// ---------------------------------------------------------------------------------------------------------
const auth = new AWS4Auth(authOptions);
const aws4AuthTable: BadInput[] = [
  ...(
    [
      ['null', null],
      ['undefined', undefined],
      ['a string', 'AKID:secret'],
    ] as const
  ).map(([what, value]): BadInput => ({ input: `constructor: ${what} as the options`, call: () => new AWS4Auth(bad(value)), code: 'ERR_AWS4_INVALID_INPUT', field: 'options' })),
  ...CONTROL.flatMap(([what, text]): BadInput[] => [
    { input: `constructor: ${what} in the access key id`, call: () => new AWS4Auth({ ...authOptions, accessKeyId: `AKID${text}` }), code: 'ERR_AWS4_INVALID_CREDENTIALS', field: 'options.accessKeyId' },
    { input: `constructor: ${what} in the region`, call: () => new AWS4Auth({ ...authOptions, region: `us-east-1${text}` }), code: 'ERR_AWS4_INVALID_INPUT', field: 'options.region' },
    { input: `constructor: ${what} in the service`, call: () => new AWS4Auth({ ...authOptions, service: `es${text}` }), code: 'ERR_AWS4_INVALID_INPUT', field: 'options.service' },
    { input: `constructor: ${what} in the session token`, call: () => new AWS4Auth({ ...authOptions, sessionToken: `tok${text}` }), code: 'ERR_AWS4_INVALID_CREDENTIALS', field: 'options.sessionToken' },
    { input: `sign: ${what} in a header value`, call: () => auth.sign({ ...request, headers: { 'x-a': text } }), code: 'ERR_AWS4_INVALID_HEADER', field: 'request.headers["x-a"]' },
    { input: `sign: ${what} in a header name`, call: () => auth.sign({ ...request, headers: { [`x-${text}`]: 'v' } }), code: 'ERR_AWS4_INVALID_HEADER', field: 'request.headers' },
  ]),
  { input: 'constructor: a non-ASCII session token', call: () => new AWS4Auth({ ...authOptions, sessionToken: 'tokén' }), code: 'ERR_AWS4_INVALID_CREDENTIALS', field: 'options.sessionToken' },
  { input: 'constructor: a number as the session token', call: () => new AWS4Auth({ ...authOptions, sessionToken: bad(5) }), code: 'ERR_AWS4_INVALID_CREDENTIALS', field: 'options.sessionToken' },
  { input: 'constructor: null as the secret', call: () => new AWS4Auth({ ...authOptions, secretAccessKey: bad(null) }), code: 'ERR_AWS4_INVALID_CREDENTIALS', field: 'options.secretAccessKey' },
  { input: 'constructor: an array as the access key id', call: () => new AWS4Auth({ ...authOptions, accessKeyId: bad(['AKID']) }), code: 'ERR_AWS4_INVALID_CREDENTIALS', field: 'options.accessKeyId' },
  { input: 'constructor: a number as the region', call: () => new AWS4Auth({ ...authOptions, region: bad(1) }), code: 'ERR_AWS4_INVALID_INPUT', field: 'options.region' },
  ...(
    [
      ['a Date', DATE],
      ['a number', 20150830],
      ['an ISO date', '2015-08-30'],
      ['February 30th', '20150230'],
      ['month 13', '20151301'],
      ['a 9-digit year', '100000101'],
    ] as const
  ).map(([what, date]): BadInput => ({ input: `constructor: ${what} as the scope date`, call: () => new AWS4Auth({ ...authOptions, date: bad(date) }), code: 'ERR_AWS4_INVALID_DATE', field: 'options.date' })),
  { input: 'constructor: a string as the clock', call: () => new AWS4Auth({ ...authOptions, date: undefined, clock: bad('now') }), code: 'ERR_AWS4_INVALID_INPUT', field: 'options.clock' },
  { input: 'constructor: a clock returning NaN', call: () => new AWS4Auth({ ...authOptions, date: undefined, clock: () => Number.NaN }), code: 'ERR_AWS4_INVALID_DATE', field: 'options.clock' },
  { input: 'constructor: a clock in the year 10000', call: () => new AWS4Auth({ ...authOptions, date: undefined, clock: () => Date.UTC(10_000, 0, 1) }), code: 'ERR_AWS4_INVALID_DATE', field: 'options.clock' },
  { input: 'constructor: a clock returning a string', call: () => new AWS4Auth({ ...authOptions, date: undefined, clock: bad(() => '1440938160000') }), code: 'ERR_AWS4_INVALID_DATE', field: 'options.clock' },
  { input: 'constructor: a plain object as the signing key', call: () => new AWS4Auth({ accessKeyId: ACCESS_KEY_ID, signingKey: bad({ key: Buffer.alloc(32) }) }), code: 'ERR_AWS4_INVALID_INPUT', field: 'options.signingKey' },
  { input: 'constructor: "no" as storeSecretKey', call: () => new AWS4Auth({ ...authOptions, storeSecretKey: bad('no') }), code: 'ERR_AWS4_INVALID_INPUT', field: 'options.storeSecretKey' },
  { input: 'constructor: a string as includeHeaders', call: () => new AWS4Auth({ ...authOptions, includeHeaders: bad('host') }), code: 'ERR_AWS4_INVALID_INPUT', field: 'options.includeHeaders' },
  {
    input: 'constructor: prototype-polluted options from JSON.parse',
    call: () => new AWS4Auth(JSON.parse('{"__proto__": {"secretAccessKey": "x"}, "accessKeyId": "AKID", "region": "us-east-1", "service": "es"}') as never),
    code: 'ERR_AWS4_INVALID_CREDENTIALS',
    field: 'options.secretAccessKey',
  },
  { input: 'sign: null as the request', call: () => auth.sign(bad(null)), code: 'ERR_AWS4_INVALID_INPUT', field: 'request' },
  { input: 'sign: a string as the options', call: () => auth.sign(request, bad('now')), code: 'ERR_AWS4_INVALID_INPUT', field: 'options' },
  { input: 'sign: a relative URL', call: () => auth.sign({ ...request, url: '/x' }), code: 'ERR_AWS4_INVALID_URL', field: 'request.url' },
  { input: 'sign: a non-ASCII header value', call: () => auth.sign({ ...request, headers: { 'x-a': 'ü' } }), code: 'ERR_AWS4_INVALID_HEADER', field: 'request.headers["x-a"]' },
  ...(
    [
      ['NaN', Number.NaN],
      ['Infinity', Number.POSITIVE_INFINITY],
      ['1e20 (beyond the Date range)', 1e20],
      ['an invalid Date', new Date(Number.NaN)],
      ['a Date in the year 10000', new Date('+010000-01-01T00:00:00Z')],
      ['a string', '2015-08-30'],
      ['null', null],
      ['an object', {}],
    ] as const
  ).map(([what, now]): BadInput => ({ input: `sign: ${what} as options.now`, call: () => auth.sign(request, { now: bad(now) }), code: 'ERR_AWS4_INVALID_DATE', field: 'options.now' })),
  { input: 'sign: a malformed payload hash', call: () => auth.sign(request, { payloadHash: 'abc' }), code: 'ERR_AWS4_INVALID_INPUT', field: 'options.payloadHash' },
  { input: 'sign: an unreadable X-Amz-Date with raiseInvalidDate', call: () => new AWS4Auth({ ...authOptions, raiseInvalidDate: true }).sign({ ...request, headers: { 'x-amz-date': 'yesterday' } }), code: 'ERR_AWS4_DATE_FORMAT', field: 'x-amz-date' },
  { input: 'sign: an X-Amz-Date in the year 10000 with raiseInvalidDate', call: () => new AWS4Auth({ ...authOptions, raiseInvalidDate: true }).sign({ ...request, headers: { 'x-amz-date': '100000101T000000Z' } }), code: 'ERR_AWS4_DATE_FORMAT', field: 'x-amz-date' },
  { input: 'sign: a clock returning NaN', call: () => new AWS4Auth({ ...authOptions, clock: () => Number.NaN }).sign(request), code: 'ERR_AWS4_INVALID_DATE', field: 'options.clock' },
  { input: 'regenerateSigningKey: null', call: () => auth.regenerateSigningKey(bad(null)), code: 'ERR_AWS4_INVALID_INPUT', field: 'options' },
  { input: 'regenerateSigningKey: CR LF in the region', call: () => auth.regenerateSigningKey({ region: 'eu\r\n' }), code: 'ERR_AWS4_INVALID_INPUT', field: 'options.region' },
  { input: 'regenerateSigningKey: a number as the secret', call: () => auth.regenerateSigningKey({ secretAccessKey: bad(5) }), code: 'ERR_AWS4_INVALID_CREDENTIALS', field: 'options.secretAccessKey' },
];

// ---------------------------------------------------------------------------------------------------------
const signingKeyTable: BadInput[] = [
  { input: 'null as the secret', call: () => new AWS4SigningKey(bad(null), 'us-east-1', 'es'), code: 'ERR_AWS4_INVALID_CREDENTIALS', field: 'secretAccessKey' },
  { input: 'a number as the secret', call: () => new AWS4SigningKey(bad(5), 'us-east-1', 'es'), code: 'ERR_AWS4_INVALID_CREDENTIALS', field: 'secretAccessKey' },
  { input: 'an empty secret', call: () => new AWS4SigningKey('', 'us-east-1', 'es'), code: 'ERR_AWS4_INVALID_CREDENTIALS', field: 'secretAccessKey' },
  ...CONTROL.flatMap(([what, text]): BadInput[] => [
    { input: `${what} in the region`, call: () => new AWS4SigningKey(SECRET, `us-east-1${text}`, 'es'), code: 'ERR_AWS4_INVALID_INPUT', field: 'region' },
    { input: `${what} in the service`, call: () => new AWS4SigningKey(SECRET, 'us-east-1', `es${text}`), code: 'ERR_AWS4_INVALID_INPUT', field: 'service' },
    { input: `${what} in the date`, call: () => new AWS4SigningKey(SECRET, 'us-east-1', 'es', `20150830${text}`), code: 'ERR_AWS4_INVALID_DATE', field: 'date' },
  ]),
  { input: 'an array as the region', call: () => new AWS4SigningKey(SECRET, bad(['us-east-1']), 'es'), code: 'ERR_AWS4_INVALID_INPUT', field: 'region' },
  { input: 'a Date as the date', call: () => new AWS4SigningKey(SECRET, 'us-east-1', 'es', bad(DATE)), code: 'ERR_AWS4_INVALID_DATE', field: 'date' },
  { input: 'a number as the date', call: () => new AWS4SigningKey(SECRET, 'us-east-1', 'es', bad(20150830)), code: 'ERR_AWS4_INVALID_DATE', field: 'date' },
  { input: 'month 13 as the date', call: () => new AWS4SigningKey(SECRET, 'us-east-1', 'es', '20151301'), code: 'ERR_AWS4_INVALID_DATE', field: 'date' },
  { input: 'a string as the options', call: () => new AWS4SigningKey(SECRET, 'us-east-1', 'es', undefined, bad('x')), code: 'ERR_AWS4_INVALID_INPUT', field: 'options' },
  { input: 'null as the options', call: () => new AWS4SigningKey(SECRET, 'us-east-1', 'es', undefined, bad(null)), code: 'ERR_AWS4_INVALID_INPUT', field: 'options' },
  { input: 'a clock returning NaN', call: () => new AWS4SigningKey(SECRET, 'us-east-1', 'es', undefined, { clock: () => Number.NaN }), code: 'ERR_AWS4_INVALID_DATE', field: 'options.clock' },
  { input: 'a string as the clock', call: () => new AWS4SigningKey(SECRET, 'us-east-1', 'es', undefined, { clock: bad('now') }), code: 'ERR_AWS4_INVALID_INPUT', field: 'options.clock' },
  { input: '"yes" as storeSecretKey', call: () => new AWS4SigningKey(SECRET, 'us-east-1', 'es', undefined, { storeSecretKey: bad('yes') }), code: 'ERR_AWS4_INVALID_INPUT', field: 'options.storeSecretKey' },
];

// ---------------------------------------------------------------------------------------------------------
const identity = { accessKeyId: ACCESS_KEY_ID, secretAccessKey: SECRET };
const failing = async (): Promise<never> => {
  throw new Error('the provider is down');
};
const future = (): Date => new Date(Date.now() + 3_600_000);

const credentialCacheTable: BadInput[] = [
  ...(
    [
      ['null', null],
      ['undefined', undefined],
      ['a string', 'AKID:secret'],
      ['a number', 1],
    ] as const
  ).map(([what, source]): BadInput => ({ input: `constructor: ${what} as the source`, call: () => new CredentialCache(bad(source)), code: 'ERR_AWS4_INVALID_INPUT', field: 'options.credentials' })),
  { input: 'constructor: null as the options', call: () => new CredentialCache(identity, bad(null)), code: 'ERR_AWS4_INVALID_INPUT', field: 'options' },
  { input: 'constructor: a string as the options', call: () => new CredentialCache(identity, bad('fast')), code: 'ERR_AWS4_INVALID_INPUT', field: 'options' },
  { input: 'constructor: a string as the clock', call: () => new CredentialCache(identity, { clock: bad('now') }), code: 'ERR_AWS4_INVALID_INPUT', field: 'options.clock' },
  ...(
    [
      ['-1', -1],
      ['NaN', Number.NaN],
      ["'5'", '5'],
      ['Infinity', Number.POSITIVE_INFINITY],
    ] as const
  ).map(([what, value]): BadInput => ({ input: `constructor: refreshWindowMs ${what}`, call: () => new CredentialCache(identity, { refreshWindowMs: bad(value) }), code: 'ERR_AWS4_INVALID_INPUT', field: 'options.refreshWindowMs' })),
  ...(
    [
      ['0', 0],
      ['-1', -1],
      ['NaN', Number.NaN],
      ["'5'", '5'],
    ] as const
  ).map(([what, value]): BadInput => ({ input: `constructor: timeoutMs ${what}`, call: () => new CredentialCache(identity, { timeoutMs: bad(value) }), code: 'ERR_AWS4_INVALID_INPUT', field: 'options.timeoutMs' })),
  { input: 'constructor: backoff.initialDelayMs -1', call: () => new CredentialCache(identity, { backoff: { initialDelayMs: -1 } }), code: 'ERR_AWS4_INVALID_INPUT', field: 'options.backoff.initialDelayMs' },
  { input: 'constructor: backoff.maxDelayMs below initialDelayMs', call: () => new CredentialCache(identity, { backoff: { initialDelayMs: 10, maxDelayMs: 5 } }), code: 'ERR_AWS4_INVALID_INPUT', field: 'options.backoff.maxDelayMs' },
  { input: 'constructor: a string as backoff', call: () => new CredentialCache(identity, { backoff: bad('exponential') }), code: 'ERR_AWS4_INVALID_INPUT', field: 'options.backoff' },
  {
    input: 'constructor: a string as backoff.jitter',
    call: () => new CredentialCache(failing, { backoff: { jitter: bad('full') } }).getCredentials(),
    code: 'ERR_AWS4_INVALID_INPUT',
    field: 'options.backoff.jitter',
  },
  { input: 'constructor: a string as onRefresh', call: () => new CredentialCache(identity, { onRefresh: bad('log') }), code: 'ERR_AWS4_INVALID_INPUT', field: 'options.onRefresh' },
  { input: 'constructor: a number as onRefreshError', call: () => new CredentialCache(identity, { onRefreshError: bad(1) }), code: 'ERR_AWS4_INVALID_INPUT', field: 'options.onRefreshError' },
  {
    input: 'getCredentials: a clock returning NaN',
    call: () => new CredentialCache(async () => ({ ...identity, expiration: future() }), { clock: () => Number.NaN }).getCredentials(),
    code: 'ERR_AWS4_INVALID_DATE',
    field: 'options.clock',
  },
  {
    input: 'getCredentials: a clock returning a string',
    call: () => new CredentialCache(async () => ({ ...identity, expiration: future() }), { clock: bad(() => 'now') }).getCredentials(),
    code: 'ERR_AWS4_INVALID_DATE',
    field: 'options.clock',
  },
  { input: 'getCredentials: null as the options', call: () => new CredentialCache(identity).getCredentials(bad(null)), code: 'ERR_AWS4_INVALID_INPUT', field: 'options' },
  { input: 'getCredentials: a string as the signal', call: () => new CredentialCache(identity).getCredentials({ signal: bad('abort') }), code: 'ERR_AWS4_INVALID_INPUT', field: 'options.signal' },
  // Providers returning garbage: a CredentialsError that names what is wrong; the provider's error as cause.
  ...(
    [
      ['null', null, 'null'],
      ['a number', 5, 'number'],
      ['a string', 'AKID:secret', 'string'],
      ['an empty object', {}, 'accessKeyId'],
      ['an array', [], 'accessKeyId'],
      ['a number as accessKeyId', { ...identity, accessKeyId: 5 }, 'accessKeyId'],
      ['an empty secret', { ...identity, secretAccessKey: '' }, 'secretAccessKey'],
      ['an object as the secret', { ...identity, secretAccessKey: {} }, 'secretAccessKey'],
      ['a number as sessionToken', { ...identity, sessionToken: 5 }, 'sessionToken'],
      ['a string as expiration', { ...identity, expiration: 'tomorrow' }, 'expiration'],
      ['an invalid Date as expiration', { ...identity, expiration: new Date(Number.NaN) }, 'expiration'],
      ['milliseconds as expiration', { ...identity, expiration: Date.now() + 3_600_000 }, 'expiration'],
      ['credentials that expired in 1970', { ...identity, expiration: new Date(0) }, 'expired'],
    ] as const
  ).map(([what, value, named]): BadInput => ({ input: `provider returns ${what}`, call: () => new CredentialCache(async () => bad(value)).getCredentials(), code: 'ERR_AWS4_CREDENTIALS', field: named })),
  { input: 'provider throws a string', call: () => new CredentialCache(async () => Promise.reject(bad<Error>('down'))).getCredentials(), code: 'ERR_AWS4_CREDENTIALS', field: 'provider failed' },
  { input: 'provider throws null', call: () => new CredentialCache(async () => Promise.reject(bad<Error>(null))).getCredentials(), code: 'ERR_AWS4_CREDENTIALS', field: 'provider failed' },
  { input: 'provider throws synchronously', call: () => new CredentialCache(bad(() => { throw new Error('sync'); })).getCredentials(), code: 'ERR_AWS4_CREDENTIALS', field: 'provider failed' },
  { input: 'provider returns an identity whose getter throws', call: () => new CredentialCache(async () => bad({ accessKeyId: 'A', get secretAccessKey() { throw new Error('getter'); } })).getCredentials(), code: 'ERR_AWS4_CREDENTIALS', field: 'provider failed' },
  { input: 'provider returns a Proxy whose get trap throws', call: () => new CredentialCache(async () => bad(new Proxy({}, { get() { throw new Error('trap'); } }))).getCredentials(), code: 'ERR_AWS4_CREDENTIALS', field: 'provider failed' },
  // Credentials the signer could not send are refused when they arrive, so cached ones keep serving.
  { input: 'provider returns CR LF in the session token', call: () => new CredentialCache(async () => ({ ...identity, sessionToken: 'tok\r\nx-injected: 1' })).getCredentials(), code: 'ERR_AWS4_CREDENTIALS', field: 'sessionToken' },
  { input: 'provider returns CR LF in the access key id', call: () => new CredentialCache(async () => ({ ...identity, accessKeyId: 'AKID\r\nx' })).getCredentials(), code: 'ERR_AWS4_CREDENTIALS', field: 'accessKeyId' },
];

describe('bad input: signRequest', () => runTable(signRequestTable));
describe('bad input: presignUrl', () => runTable(presignTable));
describe('bad input: AWS4Auth', () => runTable(aws4AuthTable));
describe('bad input: AWS4SigningKey', () => runTable(signingKeyTable));
describe('bad input: CredentialCache', () => runTable(credentialCacheTable));

// ---------------------------------------------------------------------------------------------------------
describe('bad input: signRequest, bugs that need more than a typed-error check', () => {
  it('an empty array as a header value is treated as absent or refused', async () => {
    const error = await thrown(() => signRequest({ ...request, headers: { 'x-a': [] } }, options));
    if (error !== undefined) {
      expect(error).toBeInstanceOf(AWS4AuthError);
      return;
    }
    const signed = signRequest({ ...request, headers: { 'x-a': [] } }, options);
    expect(signed.canonicalRequest).not.toContain('undefined');
    expect(signed.signedHeaders.split(';')).not.toContain('x-a');
  });

  it('a "__proto__" header from JSON.parse is refused or returned as an own header', async () => {
    for (const value of ['"evil"', '["a", "b"]']) {
      const headers = JSON.parse(`{"__proto__": ${value}, "x-a": "b"}`) as Record<string, string>;
      const error = await thrown(() => signRequest({ ...request, headers }, options));
      if (error !== undefined) {
        expect(error).toBeInstanceOf(AWS4AuthError);
        continue;
      }
      const signed = signRequest({ ...request, headers }, options);
      expect(Object.getPrototypeOf(signed.headers)).toBe(Object.prototype);
      if (signed.signedHeaders.split(';').includes('__proto__')) expect(Object.hasOwn(signed.headers, '__proto__')).toBe(true);
    }
  });

  it('a session token getter is read once, so the checked value is the one signed', () => {
    let reads = 0;
    const sneaky = {
      ...credentials,
      get sessionToken(): string {
        reads += 1;
        return reads <= 4 ? 'checked-token' : 'tok\r\nx-injected: 1';
      },
    };
    let signedToken: unknown;
    try {
      signedToken = signRequest(request, { ...options, credentials: sneaky }).headers['x-amz-security-token'];
    } catch (error) {
      expect(error).toBeInstanceOf(AWS4AuthError);
      return;
    }
    expect(signedToken).toBe('checked-token');
  });

  // Hardening: an Object.prototype polluted with `sessionToken` is read through the prototype chain, so
  // credentials without a token are signed with the polluted one.
  it('credentials without a session token ignore a polluted Object.prototype.sessionToken', () => {
    const proto = Object.prototype as unknown as Record<string, unknown>;
    proto['sessionToken'] = 'polluted-token';
    try {
      const signed = signRequest(request, { ...options, credentials: { ...credentials } });
      expect(signed.headers['x-amz-security-token']).toBeUndefined();
    } finally {
      delete proto['sessionToken'];
    }
  });
});

// ---------------------------------------------------------------------------------------------------------
describe("bad input: the caller's own code that throws propagates its own error, unchanged", () => {
  const own = new Error('the caller\'s own failure');
  const cases: Array<[string, () => unknown]> = [
    ['a throwing clock (AWS4Auth)', () => new AWS4Auth({ ...authOptions, date: undefined, clock: () => { throw own; } })],
  ];
  it.each(cases)('%s', async (_what, call) => {
    expect(await thrown(call)).toBe(own);
  });

  // The credential cache is different (issue 14): nothing thrown inside it, its clock included, may escape untyped.
  it('a throwing clock (CredentialCache.getCredentials) is a typed error naming options.clock', async () => {
    const error = await thrown(() => new CredentialCache(identity, { clock: () => { throw own; } }).getCredentials());
    expect(error).toBeInstanceOf(AWS4AuthError);
    expect(error).toMatchObject({ code: 'ERR_AWS4_INVALID_DATE', field: 'options.clock' });
  });

  // Options are data, read once into a snapshot (issue 14): a getter that throws is a bad option, not the caller's code running.
  it('a throwing region getter (AWS4Auth) is a typed error naming options.region, the thrown value dropped', async () => {
    const error = await thrown(() => new AWS4Auth({ ...authOptions, get region(): string { throw own; } }));
    expect(error).toBeInstanceOf(AWS4AuthError);
    expect(error).toMatchObject({ code: 'ERR_AWS4_INVALID_INPUT', field: 'options.region' });
  });
});

describe('bad input: a getter or Proxy trap that throws while the signer reads its input becomes a typed error naming the field', () => {
  const own = new Error('the caller\'s own failure');
  const cases: Array<[string, () => unknown, AWS4AuthErrorCode, string]> = [
    ['a throwing header getter (signRequest)', () => signRequest({ ...request, headers: bad({ get 'x-a'() { throw own; } }) }, options), 'ERR_AWS4_INVALID_HEADER', 'request.headers'],
    ['a Proxy whose ownKeys trap throws, as the headers', () => signRequest({ ...request, headers: new Proxy({}, { ownKeys() { throw own; } }) }, options), 'ERR_AWS4_INVALID_HEADER', 'request.headers'],
    ['a throwing url getter', () => signRequest({ method: 'GET', get url(): string { throw own; } }, options), 'ERR_AWS4_INVALID_INPUT', 'request'],
    ['a Proxy whose get trap throws, as the credentials', () => signRequest(request, { ...options, credentials: new Proxy(credentials, { get() { throw own; } }) }), 'ERR_AWS4_INVALID_CREDENTIALS', 'options.credentials'],
    ['a Proxy whose get trap throws, as the options', () => signRequest(request, new Proxy(options, { get() { throw own; } })), 'ERR_AWS4_INVALID_INPUT', 'options'],
    ['a throwing payloadHash getter (presignUrl)', () => presignUrl(request, bad({ ...presignOptions, get payloadHash(): string { throw own; } })), 'ERR_AWS4_INVALID_INPUT', 'options'],
  ];
  it.each(cases)('%s', async (_what, call, code, field) => {
    const error = await thrown(call);
    expect(error).toBeInstanceOf(AWS4AuthError);
    expect((error as AWS4AuthError).code).toBe(code);
    expect(fieldOf(error)).toBe(field);
  });
});

// ---------------------------------------------------------------------------------------------------------
describe('accepted on purpose: signed, never a crash', () => {
  it('a 1 MiB header value is signed in linear time; the canonical request carries it whole', () => {
    const big = 'a'.repeat(MIB);
    const started = performance.now();
    const signed = signRequest({ ...request, headers: { 'x-big': big } }, options);
    expect(performance.now() - started).toBeLessThan(2_000);
    expect(signed.signedHeaders).toContain('x-big');
    expect(signed.canonicalRequest).toContain(`x-big:${big}\n`);
  });

  it('a 1 MiB path, region and session token are signed too', () => {
    expect(signRequest({ ...request, url: `https://example.amazonaws.com/${'p'.repeat(MIB)}` }, options).signature).toMatch(/^[0-9a-f]{64}$/);
    expect(signRequest(request, { ...options, region: 'r'.repeat(MIB) }).credentialScope).toHaveLength(MIB + 'YYYYMMDD//es/aws4_request'.length);
    expect(signRequest(request, { ...options, credentials: { ...credentials, sessionToken: 't'.repeat(MIB) } }).headers['x-amz-security-token']).toHaveLength(MIB);
  });

  it('a non-ASCII path written raw is encoded once, as the AWS suite\'s get-utf8 case wants', () => {
    expect(signRequest({ ...request, url: 'https://example.amazonaws.com/é' }, options).canonicalRequest.split('\n')[1]).toBe('/%C3%A9');
  });

  it('a secret with non-ASCII or control characters is hashed as UTF-8 (it is never sent)', () => {
    expect(signRequest(request, { ...options, credentials: { ...credentials, secretAccessKey: 'sécret\r\n' } }).signature).toMatch(/^[0-9a-f]{64}$/);
  });

  it('the years 0000 and 9999 are the edges SigV4 can write', () => {
    expect(signRequest(request, { ...options, date: new Date('0000-01-01T00:00:00Z') }).amzDate).toBe('00000101T000000Z');
    expect(signRequest(request, { ...options, date: new Date('9999-12-31T23:59:59Z') }).amzDate).toBe('99991231T235959Z');
  });

  it('user info in the URL is not signed into the host', () => {
    expect(signRequest({ ...request, url: 'https://user:pass@example.amazonaws.com/' }, options).headers.host).toBe('example.amazonaws.com');
  });

  it('inherited (prototype) header properties are not signed, as Node does not send them', () => {
    expect(signRequest({ ...request, headers: Object.create({ 'x-inherited': 'v' }) as Record<string, string> }, options).signedHeaders).toBe('host;x-amz-date');
  });

  it('a transparent Proxy as the options signs as the object would', () => {
    expect(signRequest(request, new Proxy(options, {})).signature).toBe(signRequest(request, options).signature);
  });
});

// ---------------------------------------------------------------------------------------------------------
/** Records whatever reaches it: the plugin and CLI rows require that nothing does. */
let server: VerifyingServer;
beforeAll(async () => {
  server = await startVerifyingServer({ [ACCESS_KEY_ID]: SECRET });
});
afterAll(() => server.close());
beforeEach(() => {
  server.requests.length = 0;
});

describe('bad input: the got plugin (nothing may reach the server)', () => {

  /** Unsendable credentials are refused by the credential cache (a CredentialsError) or, failing that, the signer. */
  const REFUSED_CREDENTIALS = ['ERR_AWS4_CREDENTIALS', 'ERR_AWS4_INVALID_CREDENTIALS'] as const;
  const plugin = (pluginOptions: Record<string, unknown>) => createAws4Hooks({ region: 'us-east-1', service: 'es', credentials: identity, ...pluginOptions } as Aws4HooksOptions);
  const send = (pluginOptions: Record<string, unknown>, gotOptions: Record<string, unknown> = {}) => async () => {
    const client = got.extend({ retry: { limit: 0 }, timeout: { request: 10_000 } }, plugin(pluginOptions));
    await client.get(`${server.origin}/x`, gotOptions as never);
  };

  /** Unwraps got's RequestError (whose `code` must be its cause's) to the plugin's error. */
  async function pluginError(call: () => unknown): Promise<unknown> {
    const error = await thrown(call);
    if (error instanceof RequestError && error.cause instanceof AWS4AuthError) {
      expect(error.code).toBe(error.cause.code);
      return error.cause;
    }
    return error;
  }

  const table: BadInput[] = [
    { input: 'options: null', call: () => createAws4Hooks(bad(null)), code: 'ERR_AWS4_INVALID_INPUT', field: 'aws4Hooks options' },
    { input: 'options: a string', call: () => createAws4Hooks(bad('eu-west-1')), code: 'ERR_AWS4_INVALID_INPUT', field: 'aws4Hooks options' },
    { input: 'options: an unknown datePolicy', call: () => plugin({ datePolicy: 'lenient' }), code: 'ERR_AWS4_INVALID_INPUT', field: 'options.datePolicy' },
    { input: 'options: an unknown streamingPayload', call: () => plugin({ streamingPayload: 'gzip' }), code: 'ERR_AWS4_INVALID_INPUT', field: 'options.streamingPayload' },
    { input: 'options: maxBufferedBodyBytes -1', call: () => plugin({ maxBufferedBodyBytes: -1 }), code: 'ERR_AWS4_INVALID_INPUT', field: 'options.maxBufferedBodyBytes' },
    { input: 'options: maxBufferedBodyBytes 1.5', call: () => plugin({ maxBufferedBodyBytes: 1.5 }), code: 'ERR_AWS4_INVALID_INPUT', field: 'options.maxBufferedBodyBytes' },
    { input: "options: maxBufferedBodyBytes '10'", call: () => plugin({ maxBufferedBodyBytes: '10' }), code: 'ERR_AWS4_INVALID_INPUT', field: 'options.maxBufferedBodyBytes' },
    { input: 'options: a string as allowedRedirectOrigins', call: () => plugin({ allowedRedirectOrigins: 'https://example.com' }), code: 'ERR_AWS4_INVALID_INPUT', field: 'options.allowedRedirectOrigins' },
    { input: 'options: a non-URL in allowedRedirectOrigins', call: () => plugin({ allowedRedirectOrigins: ['not an origin'] }), code: 'ERR_AWS4_INVALID_INPUT', field: 'options.allowedRedirectOrigins' },
    { input: 'options: a javascript: URL in allowedRedirectOrigins', call: () => plugin({ allowedRedirectOrigins: ['javascript:alert(1)'] }), code: 'ERR_AWS4_INVALID_INPUT', field: 'options.allowedRedirectOrigins' },
    { input: 'options: a data: URL in allowedRedirectOrigins', call: () => plugin({ allowedRedirectOrigins: ['data:text/plain,x'] }), code: 'ERR_AWS4_INVALID_INPUT', field: 'options.allowedRedirectOrigins' },
    { input: 'options: a string as the clock', call: () => plugin({ clock: 'now' }), code: 'ERR_AWS4_INVALID_INPUT', field: 'options.clock' },
    { input: 'options: a number as onSigned', call: () => plugin({ onSigned: 1 }), code: 'ERR_AWS4_INVALID_INPUT', field: 'options.onSigned' },
    { input: 'options: an unknown algorithm', call: () => plugin({ algorithm: 'sigv5' }), code: 'ERR_AWS4_INVALID_INPUT', field: 'options.algorithm' },
    { input: 'options: regionSet without sigv4a', call: () => plugin({ regionSet: ['*'] }), code: 'ERR_AWS4_INVALID_INPUT', field: 'options.regionSet' },
    { input: "options: 'no' as correctClockSkew", call: () => plugin({ correctClockSkew: 'no' }), code: 'ERR_AWS4_INVALID_INPUT', field: 'options.correctClockSkew' },
    { input: 'options: a string as credentialCache', call: () => plugin({ credentialCache: 'fast' }), code: 'ERR_AWS4_INVALID_INPUT', field: 'options.credentialCache' },
    // Through got: whether the plugin refuses at creation or when signing, the error is typed and nothing is sent.
    ...CONTROL.flatMap(([what, text]): BadInput[] => [
      { input: `request: ${what} in a header value`, call: send({}, { headers: { 'x-a': text } }), code: 'ERR_AWS4_INVALID_HEADER', field: 'request.headers["x-a"]' },
      { input: `request: ${what} in the region option`, call: send({ region: `us-east-1${text}` }), code: 'ERR_AWS4_INVALID_INPUT', field: 'options.region' },
      { input: `request: ${what} in the service option`, call: send({ service: `es${text}` }), code: 'ERR_AWS4_INVALID_INPUT', field: 'options.service' },
      { input: `request: ${what} in the access key id`, call: send({ credentials: { ...identity, accessKeyId: `AKID${text}` } }), code: REFUSED_CREDENTIALS, field: 'accessKeyId' },
      { input: `request: ${what} in the session token`, call: send({ credentials: { ...identity, sessionToken: `tok${text}` } }), code: REFUSED_CREDENTIALS, field: 'sessionToken' },
      { input: `request: ${what} in a provider's session token`, call: send({ credentials: async () => ({ ...identity, sessionToken: `tok${text}` }) }), code: REFUSED_CREDENTIALS, field: 'sessionToken' },
    ]),
    { input: 'request: CR LF in a header name', call: send({}, { headers: { 'x-a\r\nx-injected': 'v' } }), code: 'ERR_AWS4_INVALID_HEADER', field: 'request.headers' },
    { input: 'request: a non-ASCII header value', call: send({}, { headers: { 'x-a': 'é' } }), code: 'ERR_AWS4_INVALID_HEADER', field: 'request.headers["x-a"]' },
    { input: 'request: a non-ASCII session token', call: send({ credentials: { ...identity, sessionToken: 'tokén' } }), code: REFUSED_CREDENTIALS, field: 'sessionToken' },
    { input: 'request: a string as the credentials', call: send({ credentials: 'AKID:secret' }), code: 'ERR_AWS4_INVALID_INPUT', field: 'options.credentials' },
    { input: 'request: a number as the credentials', call: send({ credentials: 5 }), code: 'ERR_AWS4_INVALID_INPUT', field: 'options.credentials' },
    { input: 'request: a provider resolving null', call: send({ credentials: async () => null }), code: 'ERR_AWS4_CREDENTIALS', field: 'null' },
    { input: 'request: a provider resolving a number as the secret', call: send({ credentials: async () => ({ accessKeyId: 'AKID', secretAccessKey: 5 }) }), code: 'ERR_AWS4_CREDENTIALS', field: 'secretAccessKey' },
    { input: 'request: a string as includeHeaders', call: send({ includeHeaders: 'host' }), code: 'ERR_AWS4_INVALID_INPUT', field: 'options.includeHeaders' },
    { input: 'request: a malformed payloadHash', call: send({ payloadHash: 'abc' }), code: 'ERR_AWS4_INVALID_INPUT', field: 'options.payloadHash' },
    { input: "request: 'yes' as signSessionToken", call: send({ signSessionToken: 'yes' }), code: 'ERR_AWS4_INVALID_INPUT', field: 'options.signSessionToken' },
    { input: "request: 'no' as normalizePath", call: send({ normalizePath: 'no' }), code: 'ERR_AWS4_INVALID_INPUT', field: 'options.normalizePath' },
    { input: "request: 'no' as raiseInvalidDate", call: send({ raiseInvalidDate: 'no' }), code: 'ERR_AWS4_INVALID_INPUT', field: 'options.raiseInvalidDate' },
    { input: 'request: credentialCache.timeoutMs -1', call: send({ credentialCache: { timeoutMs: -1 } }), code: 'ERR_AWS4_INVALID_INPUT', field: 'options.timeoutMs' },
    { input: 'request: a clock returning NaN', call: send({ clock: () => Number.NaN }), code: 'ERR_AWS4_INVALID_DATE', field: 'options.clock' },
    { input: 'request: a clock in the year 10000', call: send({ clock: () => Date.UTC(10_000, 0, 1) }), code: 'ERR_AWS4_INVALID_DATE', field: 'options.clock' },
    { input: 'request: an unreadable X-Amz-Date with raiseInvalidDate', call: send({ raiseInvalidDate: true }, { headers: { 'x-amz-date': 'yesterday' } }), code: 'ERR_AWS4_DATE_FORMAT', field: 'x-amz-date' },
    {
      input: 'request: a string as credentialCache.backoff.jitter, provider failing',
      call: send({ credentials: failing, credentialCache: { backoff: { jitter: 'full' } } }),
      code: 'ERR_AWS4_INVALID_INPUT',
      field: 'options.backoff.jitter',
    },
  ];

  for (const row of table) {
    const check = async (): Promise<void> => {
      await expectTyped({ ...row, call: () => pluginError(row.call).then((error) => Promise.reject(error)) });
      expect(server.requests).toHaveLength(0);
    };
    if (row.bug !== undefined) it.fails(`${row.input} (BUG: ${row.bug})`, check);
    else it(row.input, check);
  }

  it('request: a 1 MiB header value is signed and sent; the server refuses it for its size (431), no crash', async () => {
    const signed: string[] = [];
    const error = await thrown(send({ onSigned: (info: { signedHeaders: string }) => signed.push(info.signedHeaders) }, { headers: { 'x-big': 'a'.repeat(MIB) } }));
    expect(signed).toEqual([expect.stringContaining('x-big')]);
    expect((error as { response?: { statusCode?: number } }).response?.statusCode).toBe(431);
  });

  it('request: a 12 KiB header value is signed, sent and verified', async () => {
    await send({}, { headers: { 'x-big': 'a'.repeat(12 * 1024) } })();
    expect(server.requests.map((r) => r.verified)).toEqual([true]);
  });

  it('request: a prototype-polluted header object from JSON.parse is sent without the "__proto__" key, verified', async () => {
    await send({}, { headers: JSON.parse('{"__proto__": {"x": 1}, "x-a": "b"}') as Record<string, string> })();
    expect(server.requests.map((r) => [r.verified, r.headers['x-a']])).toEqual([[true, 'b']]);
  });

  it('request: an empty array as a header value is either left out of the signature or refused', async () => {
    const error = await pluginError(send({}, { headers: { 'x-a': [] } }));
    if (error !== undefined) {
      expect(error).toBeInstanceOf(AWS4AuthError);
      expect(server.requests).toHaveLength(0);
      return;
    }
    expect(server.requests.map((r) => [r.verified, r.problem])).toEqual([[true, undefined]]);
  });
});

// ---------------------------------------------------------------------------------------------------------
describe('bad input: the CLI (one line on stderr, a non-zero exit code, nothing sent)', () => {
  const SCOPE = ['--service', 'es', '--region', 'eu-west-1'];

  async function cli(argv: (origin: string) => string[], env: { accessKeyId: string; secretAccessKey: string; sessionToken?: string } = identity) {
    const home = await awsHome(env);
    try {
      return await runCli(argv(server.origin));
    } finally {
      await home.restore();
    }
  }

  const table: Array<{ input: string; argv: (origin: string) => string[]; env?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string }; says: string }> = [
    ...CONTROL.flatMap(([what, text]) => [
      { input: `${what} in a -H value`, argv: (o: string) => [...SCOPE, '-H', `X-A: b${text}c`, `${o}/x`], says: 'the -H header "x-a"' },
      { input: `${what} in --region`, argv: (o: string) => ['--service', 'es', '--region', `eu-west-1${text}`, `${o}/x`], says: 'region' },
      { input: `${what} in --service`, argv: (o: string) => ['--service', `es${text}`, '--region', 'eu-west-1', `${o}/x`], says: 'service' },
      { input: `${what} in -X`, argv: (o: string) => [...SCOPE, '-X', `GET${text}`, `${o}/x`], says: '-X' },
    ]),
    // The environment cannot carry NUL (setenv ends the value there), so only line breaks are tried in it.
    ...CONTROL.filter(([what]) => what !== 'NUL').flatMap(([what, text]) => [
      { input: `${what} in AWS_ACCESS_KEY_ID`, argv: (o: string) => [...SCOPE, `${o}/x`], env: { ...identity, accessKeyId: `AKID${text}` }, says: 'AWS_ACCESS_KEY_ID' },
      { input: `${what} in AWS_SESSION_TOKEN`, argv: (o: string) => [...SCOPE, `${o}/x`], env: { ...identity, sessionToken: `tok${text}` }, says: 'AWS_SESSION_TOKEN' },
      { input: `${what} in AWS_SESSION_TOKEN with --presign`, argv: (o: string) => [...SCOPE, '--presign', `${o}/x`], env: { ...identity, sessionToken: `tok${text}` }, says: 'AWS_SESSION_TOKEN' },
    ]),
    { input: 'a non-ASCII -H value', argv: (o) => [...SCOPE, '-H', 'X-A: é', `${o}/x`], says: 'non-ASCII' },
    { input: 'a -H without a colon', argv: (o) => [...SCOPE, '-H', 'X-A b', `${o}/x`], says: 'is not a header' },
    { input: 'a relative URL', argv: () => [...SCOPE, '/relative'], says: 'is not a URL' },
    { input: 'a malformed URL', argv: () => [...SCOPE, 'http://[::1'], says: 'is not a URL' },
    { input: 'an ftp URL', argv: () => [...SCOPE, 'ftp://example.com/x'], says: 'not an http: or https: URL' },
    ...['0', '604801', 'NaN', 'Infinity', '1.5', "'60'", '60s', ''].map((expires) => ({
      input: `--expires ${JSON.stringify(expires)}`,
      argv: (o: string) => [...SCOPE, '--presign', '--expires', expires, `${o}/x`],
      says: '--expires',
    })),
    { input: '--expires=-1', argv: (o) => [...SCOPE, '--presign', '--expires=-1', `${o}/x`], says: '--expires' },
  ];

  it.each(table)('$input', async ({ argv, env, says }) => {
    const result = await cli(argv, env);
    expect(result.code).not.toBe(0);
    const lines = result.stderr.split('\n').filter((line) => line !== '');
    expect(lines[0]).toMatch(/^got-aws4auth: /);
    expect(lines[0]).toContain(says);
    expect(result.stderr).not.toMatch(/\n\s+at |TypeError|ReferenceError/);
    expect(result.stdout.length).toBe(0);
    expect(server.requests).toHaveLength(0);
  });
});
