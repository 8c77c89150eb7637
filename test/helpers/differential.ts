/**
 * Random request generators and oracles for differential tests of the signer against
 * @smithy/signature-v4 and aws4. Shared by the vitest property tests and the on-demand million-case run.
 */
import fc from 'fast-check';
import { SignatureV4 } from '@smithy/signature-v4';
import { HttpRequest } from '@smithy/protocol-http';
import { Hash } from '@smithy/hash-node';
import aws4 from 'aws4';
import { signRequest, foldHeaderValue } from '../../src/signer/index.js';

export interface RandomRequest {
  method: string;
  host: string;
  /** Decoded path segments (what an object key or resource name really is). */
  segments: string[];
  /** Decoded query pairs. */
  query: Array<[string, string]>;
  /** Lower-case header names, each with its values. */
  headers: Array<[string, string[]]>;
  body: string | undefined;
  date: Date;
  region: string;
  service: string;
  sessionToken: string | undefined;
  /** Per-character choice of leaving safe characters raw when writing the URL. */
  rawStyle: boolean;
}

const UNRESERVED = /[A-Za-z0-9\-._~]/;

/** Percent-encodes as SigV4 does (every byte but the unreserved characters). */
export function awsEncode(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** Encodes only what would change the URL's structure, leaving everything else raw, as a hand-written URL does. */
export function minimalEncode(value: string, structural: RegExp): string {
  let out = '';
  for (const char of value) out += structural.test(char) ? awsEncode(char) : char;
  return out;
}

const pathChar = fc.oneof(
  { weight: 5, arbitrary: fc.constantFrom(...'abcXYZ019-._~'.split('')) },
  { weight: 2, arbitrary: fc.constantFrom(...` !$&'()*+,;=:@%"<>[]^\`{|}\\`.split('')) },
  { weight: 1, arbitrary: fc.constantFrom('é', 'ሴ', '日本', '😀', 'Ω') },
);
const segment = fc.oneof(
  { weight: 6, arbitrary: fc.array(pathChar, { minLength: 1, maxLength: 6 }).map((chars) => chars.join('')) },
  { weight: 1, arbitrary: fc.constantFrom('.', '..', '') },
);
const queryText = fc.array(
  fc.oneof(
    { weight: 5, arbitrary: fc.constantFrom(...'abcXYZ019-._~'.split('')) },
    { weight: 2, arbitrary: fc.constantFrom(...` !$&'()*+,;=:@%/?"<>[]^\`{|}\\#`.split('')) },
    { weight: 1, arbitrary: fc.constantFrom('é', 'ሴ', '😀') },
  ),
  { maxLength: 6 },
).map((chars) => chars.join(''));
const headerName = fc
  .array(fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz0123456789-'.split('')), { minLength: 1, maxLength: 10 })
  .map((chars) => `x-${chars.join('')}`);
const headerValue = fc
  .array(fc.oneof(fc.constantFrom(' ', '  ', '\t', '"', ',', ';', '='), fc.string({ unit: fc.constantFrom(...'abcXYZ019-._~/+'.split('')), minLength: 1, maxLength: 4 })), { maxLength: 6 })
  .map((parts) => parts.join(''));

/** Random requests, with S3 (`s3`) or a generic service name. */
export function randomRequest(s3: boolean): fc.Arbitrary<RandomRequest> {
  return fc.record({
    method: fc.constantFrom('GET', 'PUT', 'POST', 'DELETE', 'HEAD', 'PATCH'),
    host: fc.constantFrom('example.amazonaws.com', 'bucket.s3.eu-west-1.amazonaws.com', 'localhost:8080', '127.0.0.1:9000'),
    segments: fc.array(segment, { maxLength: 5 }),
    query: fc.array(fc.tuple(queryText, queryText), { maxLength: 5 }),
    headers: fc.uniqueArray(fc.tuple(headerName, fc.array(headerValue, { minLength: 1, maxLength: 3 })), { maxLength: 4, selector: ([name]) => name }),
    body: fc.option(fc.string({ maxLength: 40 }).filter((s) => s.isWellFormed()), { nil: undefined }),
    date: fc.date({ min: new Date('1990-01-01T00:00:00Z'), max: new Date('2099-12-31T23:59:59Z'), noInvalidDate: true }).map((d) => new Date(Math.floor(d.getTime() / 1000) * 1000)),
    region: fc.constantFrom('us-east-1', 'eu-west-1', 'ap-southeast-2', 'cn-north-1'),
    service: s3 ? fc.constant('s3') : fc.constantFrom('es', 'execute-api', 'lambda', 'sqs', 'service'),
    sessionToken: fc.option(fc.string({ unit: fc.constantFrom(...'ABCabc0123+/='.split('')), minLength: 1, maxLength: 30 }), { nil: undefined }),
    rawStyle: fc.boolean(),
  });
}

export const CREDENTIALS = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' };

/** The path as an S3 client sends it: each decoded segment encoded once. */
export function encodedPath(request: RandomRequest): string {
  return `/${request.segments.map(awsEncode).join('/')}`;
}

/** The path written by hand: only `/`, `?`, `#` and `%` encoded inside segments. */
export function rawPath(request: RandomRequest): string {
  return `/${request.segments.map((s) => minimalEncode(s, /[/?#%]/)).join('/')}`;
}

/** The query written either fully encoded or with only structural characters encoded. */
export function queryString(request: RandomRequest): string {
  const encode = request.rawStyle ? (s: string) => minimalEncode(s, /[&=#%+]/) : awsEncode;
  return request.query.map(([k, v]) => `${encode(k)}=${encode(v)}`).join('&');
}

function headerRecord(request: RandomRequest): Record<string, string[]> {
  return Object.fromEntries(request.headers);
}

/** Our Authorization header for a random request, with the path given as `path`. */
export function ourAuthorization(request: RandomRequest, path: string): string {
  const query = queryString(request);
  return signRequest(
    {
      method: request.method,
      url: `http://${request.host}${path}${query === '' ? '' : `?${query}`}`,
      headers: headerRecord(request),
      body: request.body,
    },
    {
      credentials: { ...CREDENTIALS, sessionToken: request.sessionToken },
      region: request.region,
      service: request.service,
      date: request.date,
    },
  ).authorization;
}

/** The same random request as @smithy/protocol-http's HttpRequest, with decoded query values. */
export function smithyHttpRequest(request: RandomRequest, path: string): HttpRequest {
  const query: Record<string, string | string[]> = {};
  for (const [k, v] of request.query) {
    const existing = query[k];
    query[k] = existing === undefined ? v : Array.isArray(existing) ? [...existing, v] : [existing, v];
  }
  const headers: Record<string, string> = { host: request.host };
  for (const [name, values] of request.headers) headers[name] = values.map(foldHeaderValue).join(',');
  const [hostname, port] = request.host.split(':');
  return new HttpRequest({ method: request.method, protocol: 'http:', hostname, port: port === undefined ? undefined : Number(port), path, query, headers, body: request.body });
}

/** @smithy/signature-v4's Authorization header for the same request. */
export async function smithyAuthorization(request: RandomRequest, path: string): Promise<string> {
  const signed = await smithySigner(request).sign(smithyHttpRequest(request, path), { signingDate: request.date });
  return signed.headers.authorization as string;
}

/** @smithy/signature-v4 configured for the request's service as its SDK client would be (S3: raw paths, checksum header). */
export function smithySigner(request: RandomRequest): SignatureV4 {
  const s3 = request.service === 's3';
  return new SignatureV4({
    credentials: { ...CREDENTIALS, sessionToken: request.sessionToken },
    region: request.region,
    service: request.service,
    sha256: Hash.bind(null, 'sha256'),
    uriEscapePath: !s3,
    applyChecksum: s3,
  });
}

/**
 * aws4's Authorization header and ours for the same request, or undefined where aws4's rules differ
 * from SigV4's: it reads `+` in paths and queries as a space (querystring rules), and decodes the path
 * before encoding it, so `%` and `+` in a key are not comparable; for S3 it collapses a repeated query
 * key with empty values into one (`?a=&a=` signs as `a=`), which S3 does not.
 */
export function aws4Comparison(request: RandomRequest): { ours: string; theirs: string } | undefined {
  const text = request.segments.join('') + request.query.flat().join('');
  if (text.includes('+') || text.includes('%')) return undefined;
  if (request.service === 's3' && new Set(request.query.map(([k]) => k)).size !== request.query.length) return undefined;
  const path = encodedPath(request);
  const query = request.query.map(([k, v]) => `${awsEncode(k)}=${awsEncode(v)}`).join('&');
  const headers: Record<string, string> = { 'X-Amz-Date': request.date.toISOString().replace(/[:-]|\.\d{3}/g, '') };
  for (const [name, values] of request.headers) headers[name] = values.map(foldHeaderValue).join(',');
  const options = {
    host: request.host,
    method: request.method,
    path: `${path}${query === '' ? '' : `?${query}`}`,
    headers,
    body: request.body,
    service: request.service,
    region: request.region,
  };
  aws4.sign(options, { ...CREDENTIALS, sessionToken: request.sessionToken });
  const sent = options.headers as Record<string, string>;
  const theirs = sent.Authorization as string;
  const { Authorization: _dropped, ...unsigned } = sent;
  const ours = signRequest(
    { method: request.method, url: `http://${request.host}${options.path}`, headers: unsigned, body: request.body },
    {
      credentials: { ...CREDENTIALS, sessionToken: request.sessionToken },
      region: request.region,
      service: request.service,
      date: request.date,
      contentSha256Header: request.service === 's3',
    },
  ).authorization;
  return { ours, theirs };
}
