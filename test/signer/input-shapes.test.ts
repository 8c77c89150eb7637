/**
 * The signer's inputs (the request, its headers, the options and the credentials) in every shape a caller may
 * hand over, with `Object.prototype` polluted or not: each input signs exactly as its plain-object equivalent
 * (byte-identical headers and intermediates) or fails with a typed `AWS4AuthError`; an inherited value is never
 * used, and every field is read at most once.
 *
 * Bounded for CI; `SIGNER_SHAPES_RUNS=20000` runs it at scale.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  AWS4AuthError,
  AWS4SigningKey,
  chunkSigningSeed,
  chunkedUploadHeaders,
  deriveSigningKey,
  presignRequest,
  signChunkedUpload,
  signRequest,
  type PresignOptions,
  type SignableRequest,
  type SignOptions,
} from '../../src/index.js';
import { ENUMERABLE_SHAPES, SHAPES, THROWING_SHAPES, shaped, withPollutedPrototype, type Shape } from '../helpers/object-shapes.js';

const RUNS = Number(process.env['SIGNER_SHAPES_RUNS'] ?? 200);
const DATE = new Date('2015-08-30T12:36:00Z');

// Registered in test/helpers/secrets.ts, so the suite-wide scan looks for them in every error.
const SECRET = 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY';
const TOKEN = 'FQoGZXIvYXdzEXAMPLE-SESSION-TOKEN/with+chars==';

/** Values an attacker could plant on Object.prototype, each one that would change the signature if read. */
const POLLUTION: Readonly<Record<string, unknown>> = {
  payloadHash: 'UNSIGNED-PAYLOAD',
  includeHeaders: ['x-polluted'],
  signSessionToken: false,
  sessionToken: 'POLLUTED+SESSION/TOKEN=from-the-prototype',
  normalizePath: false,
  doubleEncodePath: false,
  contentSha256Header: true,
  dateHeader: 'date',
  algorithm: 'sigv4a',
  regionSet: ['*'],
  signingKey: Buffer.alloc(32, 7),
  body: 'polluted body',
  expiresIn: 5,
  'x-polluted': 'polluted',
  host: 'polluted.example.com',
};

type Entry = 'signRequest' | 'presignRequest' | 'signChunkedUpload' | 'sigv4a';

interface Case {
  readonly entry: Entry;
  readonly request: { method: string; url: string; headers: Record<string, string>; body?: string };
  readonly options: Record<string, unknown>;
  readonly credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  readonly shapes: { request: Shape; headers: Shape; options: Shape; credentials: Shape };
  readonly polluted: boolean;
}

const headerName = fc.constantFrom('x-amz-meta-a', 'X-Amz-Meta-A', 'content-type', 'Content-Type', 'x-custom', 'X-CUSTOM', 'range');
const caseArbitrary: fc.Arbitrary<Case> = fc.record({
  entry: fc.constantFrom<Entry>('signRequest', 'presignRequest', 'signChunkedUpload', 'sigv4a'),
  request: fc.record(
    {
      method: fc.constantFrom('GET', 'PUT', 'post'),
      url: fc.constantFrom('https://examplebucket.s3.amazonaws.com/photos/a b.jpg?versionId=1', 'https://example.amazonaws.com/a/../b//c?x=1&y', 'http://127.0.0.1:8080/'),
      headers: fc.dictionary(headerName, fc.stringMatching(/^[ -~]{0,12}$/), { maxKeys: 4 }),
      body: fc.string({ maxLength: 20 }),
    },
    { requiredKeys: ['method', 'url', 'headers'] },
  ),
  options: fc.record(
    {
      region: fc.constantFrom('us-east-1', 'eu-west-1'),
      service: fc.constantFrom('s3', 'es', 'aoss', 'iam'),
      normalizePath: fc.boolean(),
      doubleEncodePath: fc.boolean(),
      contentSha256Header: fc.boolean(),
      signSessionToken: fc.boolean(),
      includeHeaders: fc.constantFrom(['host', 'x-amz-*', 'content-type'], ['*'], ['x-c*m']),
    },
    { requiredKeys: ['region', 'service'] },
  ),
  credentials: fc.record(
    { accessKeyId: fc.stringMatching(/^AKID[A-Z0-9]{4,16}$/), secretAccessKey: fc.constant(SECRET), sessionToken: fc.constant(TOKEN) },
    { requiredKeys: ['accessKeyId', 'secretAccessKey'] },
  ),
  shapes: fc.record({ request: fc.constantFrom(...SHAPES), headers: fc.constantFrom(...ENUMERABLE_SHAPES), options: fc.constantFrom(...SHAPES), credentials: fc.constantFrom(...SHAPES) }),
  polluted: fc.boolean(),
});

/** What a getter that changes answers on a second read: a value that would be refused, or signed differently. */
const LATER: Readonly<Record<keyof Case['shapes'], unknown>> = {
  request: 'DELETE',
  headers: 'changed\r\nx-injected: 1',
  options: { accessKeyId: 'AKIDOTHER', secretAccessKey: 'other' },
  credentials: 'AKID\r\nx-injected: 1',
};

/** The entry point's result, reduced to what must be byte-identical (SigV4a signatures are randomised). */
function run(entry: Entry, request: unknown, options: unknown): unknown {
  const req = request as SignableRequest;
  switch (entry) {
    case 'signRequest':
      return signRequest(req, options as SignOptions);
    case 'presignRequest':
      return presignRequest(req, options as PresignOptions);
    case 'signChunkedUpload': {
      const upload = signChunkedUpload(req, options as SignOptions, { decodedLength: 100 });
      return { signed: upload.signed, contentLength: upload.contentLength };
    }
    case 'sigv4a': {
      const { headers, canonicalRequest, stringToSign, signedHeaders } = signRequest(req, options as SignOptions);
      const { authorization: _random, ...rest } = headers;
      return { rest, canonicalRequest, stringToSign, signedHeaders };
    }
  }
}

function plainInputs(c: Case): { request: Record<string, unknown>; options: Record<string, unknown> } {
  const request: Record<string, unknown> = { ...c.request };
  // A chunked upload streams its body; SigV4a takes no signingKey, only the algorithm.
  if (c.entry === 'signChunkedUpload') delete request['body'];
  const options: Record<string, unknown> = { ...c.options, credentials: c.credentials, date: DATE };
  if (c.entry === 'sigv4a') options['algorithm'] = 'sigv4a';
  if (c.entry === 'presignRequest') options['expiresIn'] = 300;
  return { request, options };
}

function shapedInputs(c: Case, reads: { count: number }): { request: unknown; options: unknown } {
  const plain = plainInputs(c);
  const headers = shaped(c.request.headers, c.shapes.headers, { later: LATER.headers, reads });
  const request = shaped({ ...plain.request, headers }, c.shapes.request, { key: 'method', later: LATER.request, reads });
  const credentials = shaped(c.credentials, c.shapes.credentials, { key: 'accessKeyId', later: LATER.credentials, reads });
  const options = shaped({ ...plain.options, credentials }, c.shapes.options, { key: 'credentials', later: LATER.options, reads });
  return { request, options };
}

function outcome(call: () => unknown): { value: unknown } | { error: unknown } {
  try {
    return { value: call() };
  } catch (error) {
    return { error };
  }
}

/** Whether the shapes leave the signer nothing it may sign with: reading throws, or a required field is only inherited. */
function mustFail(c: Case): boolean {
  const onPrototype = (shape: Shape) => shape === 'class with prototype getters';
  const headersThrow = THROWING_SHAPES.has(c.shapes.headers);
  return (
    THROWING_SHAPES.has(c.shapes.request) ||
    THROWING_SHAPES.has(c.shapes.options) ||
    THROWING_SHAPES.has(c.shapes.credentials) ||
    headersThrow ||
    onPrototype(c.shapes.request) ||
    onPrototype(c.shapes.options) ||
    onPrototype(c.shapes.credentials)
  );
}

describe('signer inputs of every shape, Object.prototype polluted or not', () => {
  it('sign exactly as their plain-object equivalents or fail with a typed AWS4AuthError, reading each field at most once', () => {
    fc.assert(
      fc.property(caseArbitrary, (c) => {
        const plain = plainInputs(c);
        const expected = run(c.entry, plain.request, plain.options);
        const reads = { count: 0 };
        const { request, options } = shapedInputs(c, reads);
        const actual = c.polluted ? withPollutedPrototype(POLLUTION, () => outcome(() => run(c.entry, request, options))) : outcome(() => run(c.entry, request, options));
        if (mustFail(c)) {
          expect('error' in actual && actual.error instanceof AWS4AuthError).toBe(true);
          return;
        }
        if ('error' in actual) throw actual.error;
        expect(actual.value).toEqual(expected);
        // Each own getter is read at most once per call (request, headers, options and credentials fields).
        expect(reads.count).toBeLessThanOrEqual(4 + Object.keys(c.request.headers).length + Object.keys(plain.options).length + 3);
      }),
      { numRuns: RUNS },
    );
  }, 30_000 + RUNS * 25);

  it('never use an inherited payloadHash, includeHeaders, signSessionToken or sessionToken', () => {
    const request = { method: 'PUT', url: 'https://examplebucket.s3.amazonaws.com/a', headers: { 'x-polluted': 'a', 'x-amz-meta-b': 'b' }, body: 'hello' };
    const options = { credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: SECRET }, region: 'us-east-1', service: 's3', date: DATE };
    const expected = signRequest(request, options);
    const polluted = withPollutedPrototype(POLLUTION, () => signRequest(request, options));
    expect(polluted).toEqual(expected);
    expect(polluted.payloadHash).not.toBe('UNSIGNED-PAYLOAD');
    expect(polluted.headers['x-amz-security-token']).toBeUndefined();
    expect(polluted.signedHeaders).toContain('x-amz-meta-b');
  });

  it('accept a plain header object while Object.prototype carries get and forEach functions (as a Headers object has)', () => {
    const request = { method: 'GET', url: 'https://example.amazonaws.com/', headers: { 'x-a': 'b' } };
    const options = { credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: SECRET }, region: 'us-east-1', service: 'es', date: DATE };
    const expected = signRequest(request, options);
    const proto = Object.prototype as Record<string, unknown>;
    // Assigned, not defined: a polluted `get` breaks every property descriptor built from an object literal.
    proto['get'] = () => undefined;
    proto['forEach'] = () => undefined;
    let signed: unknown;
    try {
      signed = outcome(() => signRequest(request, options));
    } finally {
      delete proto['get'];
      delete proto['forEach'];
    }
    expect(signed).toEqual({ value: expected });
  });

  it('the chunked-upload helpers never use an inherited signed, checksum or seed, and read a secret once', () => {
    expect(withPollutedPrototype({ signed: false, checksum: 'crc32', contentEncoding: 'gzip' }, () => chunkedUploadHeaders(100, {}))).toEqual(chunkedUploadHeaders(100, {}));
    const signed = signRequest({ method: 'PUT', url: 'https://examplebucket.s3.amazonaws.com/k' }, { credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: SECRET }, region: 'us-east-1', service: 's3', date: DATE, payloadHash: 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD' });
    const key = shaped({ secretAccessKey: SECRET }, 'getter that changes between reads', { later: 'another secret' });
    expect(chunkSigningSeed(signed, key).signingKey).toEqual(deriveSigningKey(SECRET, '20150830', 'us-east-1', 's3'));
  });

  it('AWS4SigningKey never uses an inherited storeSecretKey or clock', () => {
    const key = withPollutedPrototype({ storeSecretKey: false, clock: () => 0 }, () => new AWS4SigningKey(SECRET, 'us-east-1', 'iam', undefined, {}));
    expect(key.storeSecretKey).toBe(true);
    expect(key.date).not.toBe('19700101');
  });

  it('a Proxy of a Date, a Buffer or a URL is refused with a typed error instead of crashing inside node:crypto', () => {
    const request = { method: 'PUT', url: 'https://example.amazonaws.com/', headers: {} };
    const options = { credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: SECRET }, region: 'us-east-1', service: 'es', date: DATE };
    const calls: Array<() => unknown> = [
      () => signRequest(request, { ...options, date: new Proxy(DATE, {}) }),
      () => signRequest({ ...request, body: new Proxy(Buffer.from('abc'), {}) as never }, options),
      () => signRequest({ ...request, url: new Proxy(new URL('https://example.amazonaws.com/'), {}) }, options),
      () => signRequest(request, { ...options, signingKey: new Proxy(Buffer.alloc(32), {}) } as never),
    ];
    for (const call of calls) expect(outcome(call)).toEqual({ error: expect.any(AWS4AuthError) });
  });
});
