/**
 * aws-chunked uploads against the published examples, byte for byte, plus the encoder's behaviour at its
 * edges: re-chunking, lengths, errors, the Transform and the generator.
 *
 * Vectors:
 * - test/vectors/s3-chunked-upload-example: the S3 API reference's signed chunked upload (seed, three
 *   chunk signatures, the 66,824-byte body) and aws-c-auth's signed trailer over the same chunks.
 * - The S3 API reference's trailer example ("Signature calculations for trailing headers", the same
 *   66,560 `a` bytes with an `x-amz-checksum-crc32c` trailer): its seed, chunk and trailer signatures are
 *   restated below, as also asserted in the s3s project's tests (Nugine/s3s, Apache-2.0). Its seed request
 *   signs no content-length.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { describe, expect, it } from 'vitest';
import {
  AWS4AuthError,
  DEFAULT_CHUNK_SIZE,
  InvalidInputError,
  MIN_CHUNK_SIZE,
  STREAMING_PAYLOAD,
  STREAMING_PAYLOAD_TRAILER,
  STREAMING_UNSIGNED_PAYLOAD_TRAILER,
  StreamRetryError,
  chunkSignature,
  chunkSigningSeed,
  chunkedContentLength,
  chunkedUploadHeaders,
  createChunkedEncoder,
  deriveSigningKey,
  encodeChunked,
  signChunkedUpload,
  signRequest,
  streamingPayloadHash,
  trailerSignature,
  type ChunkSigningSeed,
} from '../../src/signer/index.js';
import { chunkStringToSign } from '../../src/signer/chunked.js';
import { VECTORS_DIR } from '../helpers/vectors.js';
import { collect, decodeAwsChunked } from '../helpers/aws-chunked.js';

interface ExampleJson {
  credentials: { access_key_id: string; secret_access_key: string };
  region: string;
  service: string;
  amz_date: string;
  request: { method: string; path: string; headers: Record<string, string> };
  canonical_request: string;
  string_to_sign: string;
  signing_key_hex: string;
  seed_signature: string;
  authorization: string;
  chunks: { size: number; string_to_sign: string; signature: string }[];
  encoded_body_length: number;
  trailer_extension_from_aws_c_auth: { canonical_trailers: string; string_to_sign: string; signature: string };
}

const EXAMPLE_DIR = join(VECTORS_DIR, 's3-chunked-upload-example');
const example = JSON.parse(readFileSync(join(EXAMPLE_DIR, 'example.json')).toString('utf8')) as ExampleJson;
const encodedBody = readFileSync(join(EXAMPLE_DIR, 'encoded_body.bin'));
const credentials = { accessKeyId: example.credentials.access_key_id, secretAccessKey: example.credentials.secret_access_key };
const date = new Date('2013-05-24T00:00:00Z');
const url = `https://${example.request.headers.host}${example.request.path}`;
const signingKey = deriveSigningKey(credentials.secretAccessKey, '20130524', 'us-east-1', 's3');
const context = { signingKey, amzDate: example.amz_date, credentialScope: '20130524/us-east-1/s3/aws4_request' };
const object = Buffer.alloc(66_560, 'a');

function exampleUpload(layout: { checksum?: 'crc32c' } = {}, includeHeaders?: string[]) {
  return signChunkedUpload(
    { method: 'PUT', url, headers: { 'x-amz-storage-class': 'REDUCED_REDUNDANCY' } },
    { credentials, region: example.region, service: example.service, date, ...(includeHeaders ? { includeHeaders } : {}) },
    { decodedLength: object.length, ...layout },
  );
}

describe('the S3 signed chunked upload example (test/vectors/s3-chunked-upload-example)', () => {
  it('reproduces the seed request: canonical request, string to sign, signing key and signature', () => {
    const upload = exampleUpload();
    expect(upload.signed.canonicalRequest).toBe(example.canonical_request);
    expect(upload.signed.stringToSign).toBe(example.string_to_sign);
    expect(upload.signed.signature).toBe(example.seed_signature);
    expect(upload.signed.authorization).toBe(example.authorization);
    expect(Buffer.from(chunkSigningSeed(upload.signed, credentials).signingKey).toString('hex')).toBe(example.signing_key_hex);
    expect(upload.contentLength).toBe(example.encoded_body_length);
    for (const [name, value] of Object.entries(example.request.headers)) expect(upload.signed.headers[name]).toBe(value);
  });

  it('reproduces every chunk string to sign and signature with the pure functions', () => {
    let previous = example.seed_signature;
    let offset = 0;
    for (const chunk of example.chunks) {
      const data = object.subarray(offset, offset + chunk.size);
      offset += chunk.size;
      const hash = (chunk.string_to_sign.split('\n').at(-1) as string);
      expect(chunkStringToSign(context, previous, hash)).toBe(chunk.string_to_sign);
      expect(chunkSignature(context, previous, data)).toBe(chunk.signature);
      previous = chunk.signature;
    }
  });

  it('signs a chunk given as pieces exactly as the same bytes given whole', () => {
    const pieces = [object.subarray(0, 1), object.subarray(1, 40_000), object.subarray(40_000, 65_536)];
    expect(chunkSignature(context, example.seed_signature, pieces)).toBe(example.chunks[0]?.signature);
  });

  it('encodes the exact 66,824-byte body, byte for byte, with the generator and with the Transform', async () => {
    const upload = exampleUpload();
    const fromGenerator = await collect(upload.encode([object]));
    expect(fromGenerator.length).toBe(66_824);
    expect(fromGenerator.equals(encodedBody)).toBe(true);
    const fromTransform = await collect(Readable.from([object]).pipe(upload.createEncoder()));
    expect(fromTransform.equals(encodedBody)).toBe(true);
  });

  it('encodes the same body whatever the input pieces look like (1 byte, 8191 bytes, odd sizes, one piece)', async () => {
    const upload = exampleUpload();
    for (const size of [1, 7, 8191, 65_535, 65_536, 65_537, 66_560]) {
      const pieces: Buffer[] = [];
      for (let i = 0; i < object.length; i += size) pieces.push(object.subarray(i, i + size));
      expect((await collect(upload.encode(pieces))).equals(encodedBody), `pieces of ${size}`).toBe(true);
    }
  });

  it('reproduces aws-c-auth\'s signed trailer over the example\'s last chunk', () => {
    const trailer = example.trailer_extension_from_aws_c_auth;
    const previous = example.chunks.at(-1)?.signature as string;
    expect(trailerSignature(context, previous, [['first', '1st'], ['second', '2nd'], ['third', '3rd']])).toBe(trailer.signature);
    // Canonical trailers are sorted by name, whatever order they are given in.
    expect(trailerSignature(context, previous, [['third', '3rd'], ['first', '1st'], ['second', '2nd']])).toBe(trailer.signature);
  });

  it('is decoded and verified by the independent test decoder', () => {
    const decoded = decodeAwsChunked(encodedBody, { ...context, seedSignature: example.seed_signature });
    expect(decoded.data.equals(object)).toBe(true);
    expect(decoded.chunks.map((c) => c.signature)).toEqual(example.chunks.map((c) => c.signature));
  });
});

describe('the S3 trailing-checksum example (STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER, crc32c)', () => {
  const SEED = '106e2a8a18243abcf37539882f36619c00e2dfc72633413f02d3b74544bfeb8e';
  const CHUNKS = [
    'b474d8862b1487a5145d686f57f013e54db672cee1c953b3010fb58501ef5aa2',
    '1c1344b170168f8e65b41376b44b20fe354e373826ccbbe2c1d40a8cae51e5c7',
    '2ca2aba2005185cf7159c6277faf83795951dd77a3a99e6e65d5c9f85863f992',
  ];
  const TRAILER_SIGNATURE = 'd81f82fc3505edab99d459891051a732e8730629a2e4a59689829ca17fe2e435';

  it('reproduces the seed, every chunk signature, the crc32c and the trailer signature, and the layout', async () => {
    // The documentation's seed request signs content-encoding and the x-amz-* headers but not content-length.
    const upload = exampleUpload({ checksum: 'crc32c' }, ['content-encoding', 'x-amz-*']);
    expect(upload.signed.signedHeaders).toBe('content-encoding;host;x-amz-content-sha256;x-amz-date;x-amz-decoded-content-length;x-amz-storage-class;x-amz-trailer');
    expect(upload.signed.headers['x-amz-content-sha256']).toBe(STREAMING_PAYLOAD_TRAILER);
    expect(upload.signed.headers['x-amz-trailer']).toBe('x-amz-checksum-crc32c');
    expect(upload.signed.signature).toBe(SEED);

    const body = await collect(upload.encode([object]));
    const expected = Buffer.concat([
      Buffer.from(`10000;chunk-signature=${CHUNKS[0]}\r\n`),
      object.subarray(0, 65_536),
      Buffer.from(`\r\n400;chunk-signature=${CHUNKS[1]}\r\n`),
      object.subarray(65_536),
      Buffer.from(`\r\n0;chunk-signature=${CHUNKS[2]}\r\nx-amz-checksum-crc32c:sOO8/Q==\r\nx-amz-trailer-signature:${TRAILER_SIGNATURE}\r\n\r\n`),
    ]);
    expect(body.equals(expected)).toBe(true);
    expect(body.length).toBe(66_946);
    expect(upload.contentLength).toBe(66_946);
    expect(upload.signed.headers['content-length']).toBe('66946');
    expect(trailerSignature(context, CHUNKS[2] as string, [['x-amz-checksum-crc32c', 'sOO8/Q==']])).toBe(TRAILER_SIGNATURE);
  });
});

describe('chunked upload headers and payload markers', () => {
  it('names the marker for each layout', () => {
    expect(streamingPayloadHash()).toBe(STREAMING_PAYLOAD);
    expect(streamingPayloadHash({ checksum: 'sha1' })).toBe(STREAMING_PAYLOAD_TRAILER);
    expect(streamingPayloadHash({ signed: false, checksum: 'sha256' })).toBe(STREAMING_UNSIGNED_PAYLOAD_TRAILER);
  });

  it('announces the encoding, both lengths, the marker and the trailer', () => {
    expect(chunkedUploadHeaders(66_560)).toEqual({
      'content-encoding': 'aws-chunked',
      'content-length': '66824',
      'x-amz-content-sha256': STREAMING_PAYLOAD,
      'x-amz-decoded-content-length': '66560',
    });
    expect(chunkedUploadHeaders(0, { signed: false, checksum: 'crc32' })).toEqual({
      'content-encoding': 'aws-chunked',
      'content-length': String('0\r\nx-amz-checksum-crc32:AAAAAA==\r\n\r\n'.length),
      'x-amz-content-sha256': STREAMING_UNSIGNED_PAYLOAD_TRAILER,
      'x-amz-decoded-content-length': '0',
      'x-amz-trailer': 'x-amz-checksum-crc32',
    });
  });

  it('keeps the body\'s own content encoding after aws-chunked, once', () => {
    expect(chunkedUploadHeaders(10, { contentEncoding: 'gzip' })['content-encoding']).toBe('aws-chunked,gzip');
    expect(chunkedUploadHeaders(10, { contentEncoding: 'aws-chunked, gzip' })['content-encoding']).toBe('aws-chunked,gzip');
    const upload = signChunkedUpload(
      { method: 'PUT', url, headers: { 'Content-Encoding': 'gzip', 'Content-Length': '10', 'Transfer-Encoding': 'chunked' } },
      { credentials, region: 'us-east-1', service: 's3', date },
      { decodedLength: 10 },
    );
    expect(upload.signed.headers['content-encoding']).toBe('aws-chunked,gzip');
    expect(upload.signed.headers['content-length']).toBe(String(chunkedContentLength(10)));
    expect(upload.signed.headers['transfer-encoding']).toBeUndefined();
    expect(upload.signed.signedHeaders.split(';')).toContain('x-amz-decoded-content-length');
  });

  it('counts the documented example lengths', () => {
    expect(chunkedContentLength(66_560)).toBe(66_824);
    expect(chunkedContentLength(0)).toBe('0;chunk-signature='.length + 64 + 4);
    expect(DEFAULT_CHUNK_SIZE).toBe(65_536);
    expect(MIN_CHUNK_SIZE).toBe(8192);
  });
});

describe('the encoder at its edges', () => {
  const seed: ChunkSigningSeed = { ...context, seedSignature: example.seed_signature };

  it('encodes an empty body as the final chunk alone', async () => {
    const body = await collect(encodeChunked([], { seed }));
    expect(body.toString('latin1')).toBe(`0;chunk-signature=${chunkSignature(context, example.seed_signature, new Uint8Array())}\r\n\r\n`);
    expect(body.length).toBe(chunkedContentLength(0));
    const unsigned = await collect(encodeChunked([Buffer.alloc(0), ''], { signed: false, checksum: 'sha256' }));
    expect(unsigned.toString('latin1')).toBe('0\r\nx-amz-checksum-sha256:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\r\n\r\n');
  });

  it('accepts strings (UTF-8) and plain Uint8Arrays as input', async () => {
    const text = 'grüße, 世界';
    const fromString = await collect(encodeChunked([text], { seed }));
    const fromBytes = await collect(encodeChunked([new Uint8Array(Buffer.from(text, 'utf8'))], { seed }));
    expect(fromString.equals(fromBytes)).toBe(true);
    expect(decodeAwsChunked(fromString, seed).data.toString('utf8')).toBe(text);
  });

  it('re-cuts chunks to the configured size and signs with the chunk size in hex', async () => {
    const body = await collect(encodeChunked([Buffer.alloc(20_000, 1)], { seed, chunkSize: 8192 }));
    const decoded = decodeAwsChunked(body, seed);
    expect(decoded.chunks.map((c) => c.size)).toEqual([8192, 8192, 3616, 0]);
    expect(body.toString('latin1', 0, 5)).toBe('2000;');
  });

  it('refuses chunk sizes under 8 KiB or not whole, with a typed error naming the option', () => {
    for (const chunkSize of [8191, 0, -1, 65_536.5, Number.NaN, '65536']) {
      const attempt = () => createChunkedEncoder({ seed, chunkSize: chunkSize as number });
      expect(attempt).toThrow(InvalidInputError);
      expect(attempt).toThrow(/options\.chunkSize must be a whole number of bytes, at least 8192/);
      expect(() => chunkedContentLength(10, { chunkSize: chunkSize as number })).toThrow(InvalidInputError);
    }
    expect(() => createChunkedEncoder({ seed, chunkSize: 8192 })).not.toThrow();
  });

  it('refuses signed chunks without a seed, unsigned chunks without a checksum, unknown checksums', () => {
    expect(() => createChunkedEncoder({})).toThrow(/options\.seed is required for signed chunks/);
    expect(() => createChunkedEncoder({ signed: false })).toThrow(/options\.checksum is required for unsigned chunks/);
    expect(() => chunkedUploadHeaders(1, { checksum: 'md5' as 'crc32' })).toThrow(/options\.checksum must be one of "crc32", "crc32c", "sha1", "sha256"/);
    expect(() => createChunkedEncoder({ seed: { ...seed, seedSignature: 'nope' } })).toThrow(InvalidInputError);
    expect(() => createChunkedEncoder({ seed: { ...seed, signingKey: new Uint8Array(5) } })).toThrow(/signingKey/);
    expect(() => chunkedContentLength(-1)).toThrow(InvalidInputError);
    expect(() => chunkedContentLength(1.5)).toThrow(InvalidInputError);
  });

  it('fails the stream when the body is longer or shorter than decodedLength', async () => {
    await expect(collect(encodeChunked([Buffer.alloc(11)], { seed, decodedLength: 10 }))).rejects.toThrow(/longer than the 10 bytes announced/);
    await expect(collect(encodeChunked([Buffer.alloc(9)], { seed, decodedLength: 10 }))).rejects.toThrow(/ended after 9 bytes/);
    const encoder = createChunkedEncoder({ seed, decodedLength: 10 });
    const sink = new Writable({ write: (_c, _e, cb) => cb() });
    const failure = pipeline(Readable.from([Buffer.alloc(4), Buffer.alloc(4)]), encoder, sink);
    await expect(failure).rejects.toBeInstanceOf(InvalidInputError);
    await expect(failure).rejects.toMatchObject({ code: 'ERR_AWS4_INVALID_INPUT', field: 'body' });
  });

  it('gives the same bytes from the Transform and the generator, for every layout', async () => {
    const data = Buffer.alloc(30_000, 7);
    for (const layout of [{}, { checksum: 'crc32' as const }, { signed: false, checksum: 'crc32c' as const }, { checksum: 'sha1' as const, chunkSize: 8192 }]) {
      const options = { ...layout, seed, decodedLength: data.length };
      const a = await collect(encodeChunked([data.subarray(0, 100), data.subarray(100)], options));
      const b = await collect(Readable.from([data.subarray(0, 29_000), data.subarray(29_000)]).pipe(createChunkedEncoder(options)));
      expect(a.equals(b), JSON.stringify(layout)).toBe(true);
      expect(a.length).toBe(chunkedContentLength(data.length, layout));
    }
  });

  it('derives the chunk seed from the credentials or takes the signing key, and refuses anything else', () => {
    const signed = signRequest({ method: 'PUT', url }, { credentials, region: 'us-east-1', service: 's3', date, payloadHash: STREAMING_PAYLOAD });
    const fromSecret = chunkSigningSeed(signed, credentials);
    const fromKey = chunkSigningSeed(signed, signingKey);
    expect(Buffer.from(fromSecret.signingKey).equals(signingKey)).toBe(true);
    expect(fromKey).toMatchObject({ amzDate: example.amz_date, credentialScope: context.credentialScope, seedSignature: signed.signature });
    expect(() => chunkSigningSeed(signed, { secretAccessKey: '' })).toThrow(InvalidInputError);
  });

  it('signChunkedUpload refuses a body, SigV4a and a missing length', () => {
    const options = { credentials, region: 'us-east-1', service: 's3', date };
    expect(() => signChunkedUpload({ method: 'PUT', url, body: 'x' }, options, { decodedLength: 1 })).toThrow(/request\.body must be absent/);
    expect(() => signChunkedUpload({ method: 'PUT', url }, { ...options, algorithm: 'sigv4a' } as never, { decodedLength: 1 })).toThrow(/options\.algorithm/);
    expect(() => signChunkedUpload({ method: 'PUT', url }, options, {} as never)).toThrow(/upload\.decodedLength/);
  });

  it('signChunkedUpload with unsigned chunks signs the seed only and needs no key for the body', async () => {
    const upload = signChunkedUpload({ method: 'PUT', url }, { credentials, region: 'us-east-1', service: 's3', date }, { decodedLength: 3, signed: false, checksum: 'crc32' });
    expect(upload.signed.headers['x-amz-content-sha256']).toBe(STREAMING_UNSIGNED_PAYLOAD_TRAILER);
    expect((await collect(upload.encode(['abc']))).toString()).toBe('3\r\nabc\r\n0\r\nx-amz-checksum-crc32:NSRBwg==\r\n\r\n');
  });
});

describe('signChunkedUpload with an empty body', () => {
  const options = { credentials, region: 'us-east-1', service: 's3', date };

  it('signs and sends a plain empty body, with the checksum as a header, and no aws-chunked headers', async () => {
    const upload = signChunkedUpload({ method: 'PUT', url, headers: { 'Content-Encoding': 'gzip' } }, options, { decodedLength: 0, checksum: 'sha256' });
    expect(upload.chunked).toBe(false);
    expect(upload.contentLength).toBe(0);
    expect(upload.signed.headers).toMatchObject({
      'content-length': '0',
      'content-encoding': 'gzip',
      'x-amz-content-sha256': 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
      'x-amz-checksum-sha256': '47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=',
    });
    expect(upload.signed.headers['x-amz-decoded-content-length']).toBeUndefined();
    expect(upload.signed.headers['x-amz-trailer']).toBeUndefined();
    expect(upload.signed.signedHeaders).toBe('content-encoding;content-length;host;x-amz-checksum-sha256;x-amz-content-sha256;x-amz-date');
    expect((await collect(upload.encode([Buffer.alloc(0), '']))).length).toBe(0);
    expect((await collect(Readable.from([]).pipe(upload.createEncoder()))).length).toBe(0);
  });

  it('fails the stream if the body turns out not to be empty', async () => {
    const upload = signChunkedUpload({ method: 'PUT', url }, options, { decodedLength: 0 });
    await expect(collect(upload.encode(['x']))).rejects.toThrow(/longer than the 0 bytes announced/);
    const sink = new Writable({ write: (_c, _e, cb) => cb() });
    await expect(pipeline(Readable.from([Buffer.from('x')]), upload.createEncoder(), sink)).rejects.toBeInstanceOf(InvalidInputError);
  });

  it('still validates the layout (unsigned needs a checksum)', () => {
    expect(() => signChunkedUpload({ method: 'PUT', url }, options, { decodedLength: 0, signed: false })).toThrow(/options\.checksum is required/);
  });
});

describe('StreamRetryError', () => {
  it('has the reserved code, says what to do, and is an AWS4AuthError', () => {
    const retry = new StreamRetryError();
    expect(retry).toBeInstanceOf(AWS4AuthError);
    expect(retry.code).toBe('ERR_AWS4_STREAM_RETRY');
    expect(retry.reason).toBe('retry');
    expect(retry.name).toBe('StreamRetryError');
    expect(retry.message).toMatch(/cannot retry .* stream .*Buffer or string/);
    const cause = new Error('socket hang up');
    const redirect = new StreamRetryError('redirect', { cause });
    expect(redirect.message).toMatch(/follow the redirect/);
    expect(redirect.cause).toBe(cause);
  });
});
