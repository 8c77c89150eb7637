import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import {
  ChunkedBodyError,
  InvalidInputError,
  STREAMING_PAYLOAD,
  STREAMING_PAYLOAD_TRAILER,
  STREAMING_UNSIGNED_PAYLOAD_TRAILER,
  createChunkedDecoder,
  decodeChunked,
  deriveSigningKey,
  encodeChunked,
  signChunkedUpload,
  verifySigV4,
  type ChunkedBodyReason,
  type ChunkedDecoderOptions,
  type ChunkSigningSeed,
} from '../../src/signer/index.js';
import { VECTORS_DIR } from '../helpers/vectors.js';
import { collect } from '../helpers/aws-chunked.js';
import { runDecoder, type DecoderRun } from '../helpers/run-decoder.js';

const example = JSON.parse(readFileSync(`${VECTORS_DIR}s3-chunked-upload-example/example.json`, 'utf8')) as {
  credentials: { access_key_id: string; secret_access_key: string };
  amz_date: string;
  seed_signature: string;
  request: { method: string; path: string; headers: Record<string, string> };
  authorization: string;
};
const exampleBody = readFileSync(`${VECTORS_DIR}s3-chunked-upload-example/encoded_body.bin`);
const EXAMPLE_SEED: ChunkSigningSeed = {
  signingKey: deriveSigningKey(example.credentials.secret_access_key, '20130524', 'us-east-1', 's3'),
  amzDate: example.amz_date,
  credentialScope: '20130524/us-east-1/s3/aws4_request',
  seedSignature: example.seed_signature,
};
const SIGNED: ChunkedDecoderOptions = { payloadHash: STREAMING_PAYLOAD, seed: EXAMPLE_SEED, decodedLength: '66560' };

const CLIENT = { accessKeyId: 'AKIDDECODERCLIENT', secretAccessKey: 'dEcOdErClIeNtSeCrEtKeY0123456789AbCdEfGh' };

async function run(body: Buffer | Buffer[], options: ChunkedDecoderOptions): Promise<DecoderRun<ChunkedBodyError>> {
  const result = await runDecoder(Array.isArray(body) ? body : [body], options);
  if (result.error !== undefined && !(result.error instanceof ChunkedBodyError)) throw result.error;
  return result as DecoderRun<ChunkedBodyError>;
}

async function refusal(body: Buffer | string, options: ChunkedDecoderOptions): Promise<ChunkedBodyError> {
  const { error } = await run(typeof body === 'string' ? Buffer.from(body, 'latin1') : body, options);
  if (error === undefined) expect.fail('expected the body to be refused');
  return error;
}

const unsignedBody = (text: string, trailer = 'x-amz-checksum-crc32:DUoRhQ=='): string => `${text.length.toString(16)}\r\n${text}\r\n0\r\n${trailer}\r\n\r\n`;
const UNSIGNED: ChunkedDecoderOptions = { payloadHash: STREAMING_UNSIGNED_PAYLOAD_TRAILER, trailer: 'x-amz-checksum-crc32' };

describe('createChunkedDecoder: decoding', () => {
  it('decodes the S3 documentation\'s signed example, verifying its three chunk signatures', async () => {
    const { out, error, trailers } = await run(exampleBody, SIGNED);
    expect(error).toBeUndefined();
    expect(out.equals(Buffer.alloc(66560, 'a'))).toBe(true);
    expect(trailers).toEqual([]);
  });

  it('verifies the example request with verifySigV4 and decodes its body with the result as seed', async () => {
    const result = verifySigV4(
      { method: example.request.method, url: example.request.path, headers: { ...example.request.headers, authorization: example.authorization } },
      { clientKeys: { [example.credentials.access_key_id]: example.credentials.secret_access_key }, now: Date.UTC(2013, 4, 24) },
    );
    if (!result.ok) expect.fail(result.message);
    const { out, error } = await run(exampleBody, { payloadHash: result.payloadHash, seed: result, decodedLength: example.request.headers['x-amz-decoded-content-length'] });
    expect(error).toBeUndefined();
    expect(out.length).toBe(66560);
  });

  it('decodes a signed upload with a checksum trailer end to end: signChunkedUpload, verifySigV4, decoder', async () => {
    const data = Buffer.alloc(150_000, 7);
    const upload = signChunkedUpload(
      { method: 'PUT', url: 'https://bucket.s3.eu-west-1.amazonaws.com/key' },
      { credentials: CLIENT, region: 'eu-west-1', service: 's3', date: new Date('2026-06-01T00:00:00Z') },
      { decodedLength: data.length, checksum: 'sha256' },
    );
    const body = await collect(upload.encode([data]));
    const headers = upload.signed.headers as Record<string, string>;
    const verified = verifySigV4({ method: 'PUT', url: '/key', headers }, { clientKeys: { [CLIENT.accessKeyId]: CLIENT.secretAccessKey }, now: Date.UTC(2026, 5, 1) });
    if (!verified.ok) expect.fail(verified.message);
    expect(verified.payloadHash).toBe(STREAMING_PAYLOAD_TRAILER);
    const { out, error, trailers } = await run(body, { payloadHash: verified.payloadHash, seed: verified, trailer: headers['x-amz-trailer'], decodedLength: headers['x-amz-decoded-content-length'] });
    expect(error).toBeUndefined();
    expect(out.equals(data)).toBe(true);
    expect(trailers).toEqual([['x-amz-checksum-sha256', createHash('sha256').update(data).digest('base64')]]);
  });

  it('decodes an unsigned body with a trailer, fed one byte at a time', async () => {
    const body = Buffer.from(unsignedBody('hello world'), 'latin1');
    const bytes = [...body].map((b) => Buffer.from([b]));
    const { out, error, trailers } = await run(bytes, UNSIGNED);
    expect(error).toBeUndefined();
    expect(out.toString()).toBe('hello world');
    expect(trailers).toEqual([['x-amz-checksum-crc32', 'DUoRhQ==']]);
  });

  it('verifies a CRC-64/NVME trailer (check value of "123456789": ae8b14860a799888)', async () => {
    const value = Buffer.from('ae8b14860a799888', 'hex').toString('base64');
    const options = { payloadHash: STREAMING_UNSIGNED_PAYLOAD_TRAILER, trailer: 'x-amz-checksum-crc64nvme' };
    const { out, trailers } = await run(Buffer.from(unsignedBody('123456789', `x-amz-checksum-crc64nvme:${value}`), 'latin1'), options);
    expect(out.toString()).toBe('123456789');
    expect(trailers).toEqual([['x-amz-checksum-crc64nvme', value]]);
    expect((await refusal(unsignedBody('123456780', `x-amz-checksum-crc64nvme:${value}`), options)).reason).toBe('checksum-mismatch');
  });

  it('decodes as an async generator, returning the trailers', async () => {
    const generator = decodeChunked(encodeChunked(['hello ', 'world'], { signed: false, checksum: 'crc32c' }), { payloadHash: STREAMING_UNSIGNED_PAYLOAD_TRAILER, trailer: ['x-amz-checksum-crc32c'] });
    const parts: Buffer[] = [];
    let step = await generator.next();
    while (step.done !== true) {
      parts.push(step.value);
      step = await generator.next();
    }
    expect(Buffer.concat(parts).toString()).toBe('hello world');
    expect(step.value).toEqual([['x-amz-checksum-crc32c', 'yZRlqg==']]);
  });

  it('holds the last payload bytes back until the whole encoding has verified', async () => {
    const decoder = createChunkedDecoder(SIGNED);
    const seen: Buffer[] = [];
    decoder.on('data', (piece: Buffer) => seen.push(piece));
    decoder.write(exampleBody.subarray(0, exampleBody.length - 2));
    await new Promise((resolve) => setImmediate(resolve));
    // Everything of the first chunk is out; the last piece decoded (the second chunk) waits for the end.
    expect(Buffer.concat(seen).length).toBe(65536);
    decoder.end(exampleBody.subarray(exampleBody.length - 2));
    await new Promise((resolve) => decoder.on('end', resolve));
    expect(Buffer.concat(seen).length).toBe(66560);
  });

  it('passes nothing of a signed chunk before its signature is verified', async () => {
    const tampered = Buffer.from(exampleBody);
    tampered[tampered.indexOf('\r\n') + 2 + 65_000] = 0x62;
    const { out, error } = await run(tampered, SIGNED);
    expect(error?.reason).toBe('signature-mismatch');
    expect(out.length).toBe(0);
  });
});

describe('createChunkedDecoder: signed framing without the client\'s key (verifySignatures: false)', () => {
  const FRAMING_ONLY: ChunkedDecoderOptions = { payloadHash: STREAMING_PAYLOAD, verifySignatures: false, decodedLength: '66560' };

  it('decodes the signed example without a seed', async () => {
    const { out, error } = await run(exampleBody, FRAMING_ONLY);
    expect(error).toBeUndefined();
    expect(out.equals(Buffer.alloc(66560, 'a'))).toBe(true);
  });

  it('still checks the signature syntax, the framing, the length and the trailer checksum', async () => {
    expect((await refusal(exampleBody.toString('latin1').replace(/^10000;chunk-signature=[0-9a-f]{64}/, '10000'), FRAMING_ONLY)).reason).toBe('malformed-chunk');
    expect((await refusal(exampleBody.subarray(0, -1), FRAMING_ONLY)).reason).toBe('incomplete-body');
    const body = await collect(encodeChunked([Buffer.from('hello world')], { checksum: 'crc32', seed: EXAMPLE_SEED }));
    const options = { payloadHash: STREAMING_PAYLOAD_TRAILER, verifySignatures: false, trailer: 'x-amz-checksum-crc32' };
    expect((await run(body, options)).trailers).toEqual([['x-amz-checksum-crc32', 'DUoRhQ==']]);
    expect((await refusal(body.toString('latin1').replace('DUoRhQ==', 'DUoRhA=='), options)).reason).toBe('checksum-mismatch');
    expect((await refusal(body.toString('latin1').replace(/x-amz-trailer-signature:[0-9a-f]{64}\r\n/, ''), options)).reason).toBe('missing-trailer');
  });

  it('accepts a chunk signature it cannot check', async () => {
    const { error } = await run(Buffer.from(exampleBody.toString('latin1').replace('0055627c', '0055627d'), 'latin1'), FRAMING_ONLY);
    expect(error).toBeUndefined();
  });
});

describe('createChunkedDecoder: every refusal has a reason, an S3 code and a status', () => {
  const chunk = (size: string, data: string) => `${size}\r\n${data}\r\n`;
  const cases: Array<[string, string | Buffer, ChunkedDecoderOptions, ChunkedBodyReason, string]> = [
    ['an upper-case hex size', `${chunk('B', 'hello world')}0\r\nx-amz-checksum-crc32:DUoRhQ==\r\n\r\n`, UNSIGNED, 'invalid-chunk-size', 'InvalidChunkSizeError'],
    ['a size with a leading zero', `${chunk('0b', 'hello world')}0\r\nx-amz-checksum-crc32:DUoRhQ==\r\n\r\n`, UNSIGNED, 'invalid-chunk-size', 'InvalidChunkSizeError'],
    ['a size of nine hex digits', `${chunk('100000000', '')}`, UNSIGNED, 'invalid-chunk-size', 'InvalidChunkSizeError'],
    ['a chunk over maxChunkSize', unsignedBody('hello world'), { ...UNSIGNED, maxChunkSize: 10 }, 'chunk-too-large', 'InvalidChunkSizeError'],
    ['a short chunk before the last', `${chunk('5', 'hello')}${chunk('6', ' world')}0\r\nx-amz-checksum-crc32:DUoRhQ==\r\n\r\n`, { ...UNSIGNED, minChunkSize: 8 }, 'invalid-chunk-size', 'InvalidChunkSizeError'],
    ['a line ending in LF alone', unsignedBody('hello world').replace('b\r\n', 'b\n'), UNSIGNED, 'malformed-chunk', 'IncompleteBody'],
    ['a chunk extension in an unsigned body', unsignedBody('hello world').replace('b\r\n', 'b;ext=1\r\n'), UNSIGNED, 'malformed-chunk', 'IncompleteBody'],
    ['data longer than its size', unsignedBody('hello world').replace('b\r\n', 'a\r\n'), UNSIGNED, 'malformed-chunk', 'IncompleteBody'],
    ['a line of 300 bytes', `${'1'.repeat(300)}\r\n`, UNSIGNED, 'malformed-chunk', 'IncompleteBody'],
    ['a signed chunk without its signature', exampleBody.toString('latin1').replace(/^10000;chunk-signature=[0-9a-f]{64}/, '10000'), SIGNED, 'malformed-chunk', 'IncompleteBody'],
    ['a wrong trailer checksum', unsignedBody('hello world', 'x-amz-checksum-crc32:DUoRhA=='), UNSIGNED, 'checksum-mismatch', 'BadDigest'],
    ['a trailer of another algorithm', unsignedBody('hello world', 'x-amz-checksum-sha1:Kq5sNclPz7QV2+lfQIuc6R7oRu0='), UNSIGNED, 'malformed-trailer', 'MalformedTrailerError'],
    ['an upper-case trailer name', unsignedBody('hello world', 'X-amz-checksum-crc32:DUoRhQ=='), UNSIGNED, 'malformed-trailer', 'MalformedTrailerError'],
    ['two trailers', unsignedBody('hello world', 'x-amz-checksum-crc32:DUoRhQ==\r\nx-amz-checksum-crc32:DUoRhQ=='), UNSIGNED, 'malformed-trailer', 'MalformedTrailerError'],
    ['no trailer', unsignedBody('hello world').replace('x-amz-checksum-crc32:DUoRhQ==\r\n', ''), UNSIGNED, 'missing-trailer', 'MalformedTrailerError'],
    ['a trailer where none was announced', `${exampleBody.toString('latin1').slice(0, -2)}x-amz-checksum-crc32:DUoRhQ==\r\n\r\n`, SIGNED, 'malformed-trailer', 'MalformedTrailerError'],
    ['fewer bytes than x-amz-decoded-content-length', unsignedBody('hello world'), { ...UNSIGNED, decodedLength: 12 }, 'length-mismatch', 'IncompleteBody'],
    ['more bytes than x-amz-decoded-content-length', unsignedBody('hello world'), { ...UNSIGNED, decodedLength: 10 }, 'length-mismatch', 'IncompleteBody'],
    ['an end before the final chunk', exampleBody.subarray(0, 66_000), SIGNED, 'incomplete-body', 'IncompleteBody'],
    ['an end inside the trailer', unsignedBody('hello world').slice(0, -2), UNSIGNED, 'incomplete-body', 'IncompleteBody'],
    ['a byte after the end', `${unsignedBody('hello world')}x`, UNSIGNED, 'extra-bytes', 'IncompleteBody'],
  ];

  for (const [what, body, options, reason, awsCode] of cases) {
    it(`${what}: ${reason} (${awsCode})`, async () => {
      const error = await refusal(typeof body === 'string' ? Buffer.from(body, 'latin1') : body, options);
      expect(error).toMatchObject({ reason, awsCode, code: 'ERR_AWS4_CHUNKED_BODY', field: 'body' });
      expect(error.status).toBe(400);
    });
  }

  it('a tampered chunk signature: signature-mismatch (SignatureDoesNotMatch, 403), at the chunk it is in', async () => {
    const tampered = Buffer.from(exampleBody.toString('latin1').replace('0055627c', '0055627d'), 'latin1');
    const error = await refusal(tampered, SIGNED);
    expect(error).toMatchObject({ reason: 'signature-mismatch', awsCode: 'SignatureDoesNotMatch', status: 403, chunkIndex: 1 });
    expect(`${error.message}${inspect(error)}${JSON.stringify(error)}`).not.toMatch(/[0-9a-f]{64}/);
  });

  it('a tampered trailer signature, or none: signature-mismatch or missing-trailer', async () => {
    const seed = { ...EXAMPLE_SEED };
    const body = await collect(encodeChunked([Buffer.from('hello world')], { checksum: 'crc32', seed }));
    const options = { payloadHash: STREAMING_PAYLOAD_TRAILER, seed, trailer: 'x-amz-checksum-crc32' };
    expect((await run(body, options)).error).toBeUndefined();
    const text = body.toString('latin1');
    const signatureAt = text.indexOf('x-amz-trailer-signature:') + 24;
    const flipped = `${text.slice(0, signatureAt)}${text[signatureAt] === '0' ? '1' : '0'}${text.slice(signatureAt + 1)}`;
    expect((await refusal(flipped, options)).reason).toBe('signature-mismatch');
    expect((await refusal(text.replace(/x-amz-trailer-signature:[0-9a-f]{64}\r\n/, ''), options)).reason).toBe('missing-trailer');
  });
});

describe('createChunkedDecoder: configuration', () => {
  it('throws ChunkedBodyError for request headers that announce an undecodable body', () => {
    const make = (options: Partial<ChunkedDecoderOptions>) => () => createChunkedDecoder({ ...UNSIGNED, ...options });
    expect(make({ trailer: undefined })).toThrow(expect.objectContaining({ reason: 'missing-trailer' }));
    expect(make({ trailer: 'x-amz-checksum-md5' })).toThrow(expect.objectContaining({ reason: 'unsupported-checksum', awsCode: 'InvalidRequest' }));
    expect(make({ decodedLength: '12a' })).toThrow(expect.objectContaining({ reason: 'length-mismatch', field: 'request.headers["x-amz-decoded-content-length"]' }));
    expect(make({ decodedLength: ['1', '2'] })).toThrow(ChunkedBodyError);
    expect(() => createChunkedDecoder({ ...SIGNED, trailer: 'x-amz-checksum-crc32' })).toThrow(expect.objectContaining({ reason: 'malformed-trailer' }));
  });

  it('throws InvalidInputError for options that are the caller\'s mistake', () => {
    expect(() => createChunkedDecoder({ payloadHash: 'UNSIGNED-PAYLOAD' })).toThrow(InvalidInputError);
    expect(() => createChunkedDecoder({ payloadHash: STREAMING_PAYLOAD })).toThrow(/options\.seed/);
    expect(() => createChunkedDecoder({ payloadHash: STREAMING_PAYLOAD, verifySignatures: 'no' as unknown as boolean })).toThrow(/verifySignatures/);
    expect(() => createChunkedDecoder({ payloadHash: STREAMING_PAYLOAD, seed: { ...EXAMPLE_SEED, signingKey: new Uint8Array(8) } })).toThrow(/signingKey/);
    expect(() => createChunkedDecoder({ ...UNSIGNED, maxChunkSize: -1 })).toThrow(/maxChunkSize/);
    expect(() => createChunkedDecoder({ ...UNSIGNED, decodedLength: 1.5 })).toThrow(InvalidInputError);
  });
});
