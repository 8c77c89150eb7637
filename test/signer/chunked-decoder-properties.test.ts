/**
 * Properties of the verifying aws-chunked decoder over random bodies, layouts, chunk sizes and input piece
 * boundaries: whatever our encoder and the AWS SDK's encoder produce decodes back to the same bytes and
 * trailers (checked against the independent test decoder), and every single-byte corruption, truncation
 * or extension is refused, having passed on only a strict prefix of the payload. DECODER_RUNS scales.
 */
import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import * as zlib from 'node:zlib';
import { AwsCrc32c } from '@aws-crypto/crc32c';
import { Crc64NvmeJs } from '@aws-sdk/checksums/crc';
import { Hash } from '@smithy/hash-node';
import { getAwsChunkedEncodingStream } from '@smithy/util-stream';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  CHECKSUM_ALGORITHMS,
  ChunkedBodyError,
  STREAMING_UNSIGNED_PAYLOAD_TRAILER,
  encodeChunked,
  streamingPayloadHash,
  type ChecksumAlgorithm,
  type ChunkedDecoderOptions,
  type ChunkedLayout,
  type ChunkSigningSeed,
} from '../../src/signer/index.js';
import { collect, cutAt, decodeAwsChunked, oracleChecksum } from '../helpers/aws-chunked.js';
import { runDecoder, type DecoderRun } from '../helpers/run-decoder.js';

const RUNS = Number(process.env.DECODER_RUNS ?? 150);
// At scale the properties take minutes on a shared machine.
const TIMEOUT = Math.max(30_000, RUNS * 100);

const seedArbitrary: fc.Arbitrary<ChunkSigningSeed> = fc.record({
  signingKey: fc.uint8Array({ minLength: 32, maxLength: 32 }),
  amzDate: fc.constantFrom('20130524T000000Z', '20240229T235959Z'),
  credentialScope: fc.constantFrom('20130524/us-east-1/s3/aws4_request', '20240229/eu-west-3/s3/aws4_request'),
  seedSignature: fc.uint8Array({ minLength: 32, maxLength: 32 }).map((b) => Buffer.from(b).toString('hex')),
});

const layoutArbitrary = fc
  .record({
    chunkSize: fc.oneof(fc.integer({ min: 8192, max: 40_000 }), fc.constantFrom(8192, 65_536)),
    signed: fc.boolean(),
    checksum: fc.option(fc.constantFrom(...CHECKSUM_ALGORITHMS), { nil: undefined }),
  })
  .filter((l) => l.signed || l.checksum !== undefined);

interface Encoded {
  readonly data: Buffer;
  readonly body: Buffer;
  readonly options: ChunkedDecoderOptions;
}

async function encoded(layout: ChunkedLayout, data: Buffer, seed: ChunkSigningSeed, announceLength: boolean): Promise<Encoded> {
  const body = await collect(encodeChunked([data], { ...layout, seed }));
  const options: ChunkedDecoderOptions = {
    payloadHash: streamingPayloadHash(layout),
    seed: layout.signed === false ? undefined : seed,
    trailer: layout.checksum === undefined ? undefined : `x-amz-checksum-${layout.checksum}`,
    decodedLength: announceLength ? String(data.length) : undefined,
  };
  return { data, body, options };
}

/** Decodes `body` fed in the given pieces; returns what came out before the end or the error. */
function decode(body: Buffer, options: ChunkedDecoderOptions, cuts: readonly number[]): Promise<DecoderRun> {
  return runDecoder(cutAt(body, cuts), options);
}

const bodyArbitrary = fc.tuple(layoutArbitrary, fc.integer({ min: 0, max: 90_000 }), seedArbitrary, fc.boolean());

describe('the verifying decoder gives back what the encoders encode', () => {
  it('decodes our encoder\'s output, whatever the input boundaries, to the same bytes and trailer as the independent decoder', async () => {
    await fc.assert(
      fc.asyncProperty(bodyArbitrary, fc.array(fc.nat(), { maxLength: 10 }), async ([layout, length, seed, announce], cuts) => {
        const { data, body, options } = await encoded(layout, randomBytes(length), seed, announce);
        const result = await decode(body, options, cuts);
        expect(result.error).toBeUndefined();
        expect(result.out.equals(data)).toBe(true);
        const oracle = decodeAwsChunked(body, layout.signed ? seed : undefined);
        expect(result.trailers).toEqual(oracle.trailer === undefined ? [] : [oracle.trailer]);
      }),
      { numRuns: RUNS },
    );
  }, TIMEOUT);

  it('reads signed framing without verifying (verifySignatures: false) to the same bytes and trailer', async () => {
    await fc.assert(
      fc.asyncProperty(bodyArbitrary, fc.array(fc.nat(), { maxLength: 10 }), async ([layout, length, seed, announce], cuts) => {
        const { data, body, options } = await encoded(layout, randomBytes(length), seed, announce);
        const result = await decode(body, { ...options, seed: undefined, verifySignatures: false }, cuts);
        expect(result.error).toBeUndefined();
        expect(result.out.equals(data)).toBe(true);
      }),
      { numRuns: RUNS },
    );
  }, TIMEOUT);

  it('decodes the AWS SDK\'s STREAMING-UNSIGNED-PAYLOAD-TRAILER encoding (getAwsChunkedEncodingStream), chunks of any size, CRC-64/NVME too', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 90_000 }), fc.array(fc.nat(), { maxLength: 10 }), fc.constantFrom(...CHECKSUM_ALGORITHMS, 'crc64nvme' as const), async (length, sdkCuts, algorithm) => {
        const data = randomBytes(length);
        const body = await sdkEncoding(cutAt(data, sdkCuts).filter((piece) => piece.length > 0), algorithm);
        const name = `x-amz-checksum-${algorithm}`;
        const result = await decode(body, { payloadHash: STREAMING_UNSIGNED_PAYLOAD_TRAILER, trailer: name, decodedLength: length }, [7, 100, 1000]);
        expect(result.error).toBeUndefined();
        expect(result.out.equals(data)).toBe(true);
        expect(result.trailers).toEqual([[name, algorithm === 'crc64nvme' ? crc64NvmeOracle(data) : oracleChecksum(name, data)]]);
      }),
      { numRuns: RUNS },
    );
  }, TIMEOUT);
});

describe('the verifying decoder refuses every damaged body, having passed on only a strict prefix of the payload', () => {
  /**
   * Signed chunks pass on only verified bytes (a prefix of the payload). Unsigned chunks stream through
   * unverified until the trailer; with x-amz-decoded-content-length (which S3 requires) they still pass on
   * less than the payload, as every mode holds the last decoded piece back.
   */
  function expectRefused(result: { out: Buffer; error?: unknown }, data: Buffer, signed = true, announced = true): void {
    expect(result.error).toBeInstanceOf(ChunkedBodyError);
    if (signed) expect(data.subarray(0, result.out.length).equals(result.out)).toBe(true);
    if (data.length > 0 && (signed || announced)) expect(result.out.length).toBeLessThan(data.length);
  }

  it('every single-byte corruption', async () => {
    await fc.assert(
      fc.asyncProperty(bodyArbitrary, fc.nat(), fc.integer({ min: 1, max: 255 }), fc.array(fc.nat(), { maxLength: 6 }), async ([layout, length, seed, announce], at, xor, cuts) => {
        const { data, body, options } = await encoded(layout, randomBytes(length), seed, announce);
        const damaged = Buffer.from(body);
        const index = at % damaged.length;
        damaged[index] = (damaged[index] as number) ^ xor;
        expectRefused(await decode(damaged, options, cuts), data, layout.signed, announce);
      }),
      { numRuns: RUNS * 2 },
    );
  }, TIMEOUT);

  it('every truncation', async () => {
    await fc.assert(
      fc.asyncProperty(bodyArbitrary, fc.nat(), fc.array(fc.nat(), { maxLength: 6 }), async ([layout, length, seed, announce], at, cuts) => {
        const { data, body, options } = await encoded(layout, randomBytes(length), seed, announce);
        const result = await decode(body.subarray(0, at % body.length), options, cuts);
        expectRefused(result, data);
      }),
      { numRuns: RUNS },
    );
  }, TIMEOUT);

  it('any bytes after the end', async () => {
    await fc.assert(
      fc.asyncProperty(bodyArbitrary, fc.uint8Array({ minLength: 1, maxLength: 40 }), async ([layout, length, seed, announce], extra) => {
        const { data, body, options } = await encoded(layout, randomBytes(length), seed, announce);
        const result = await decode(Buffer.concat([body, extra]), options, [body.length]);
        expectRefused(result, data);
        expect((result.error as ChunkedBodyError).reason).toBe('extra-bytes');
      }),
      { numRuns: RUNS },
    );
  }, TIMEOUT);

  it('random bytes, and random chunk-like lines', async () => {
    const line = fc.oneof(
      fc.uint8Array({ maxLength: 300 }).map((bytes) => Buffer.from(bytes)),
      fc.tuple(fc.nat({ max: 0x20000 }), fc.boolean()).map(([size, signed]) => Buffer.from(`${size.toString(16)}${signed ? `;chunk-signature=${'a'.repeat(64)}` : ''}\r\n`, 'latin1')),
      fc.constantFrom(Buffer.from('\r\n'), Buffer.from('0\r\n'), Buffer.from('x-amz-checksum-crc32:AAAAAQ==\r\n')),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(line, { maxLength: 12 }), layoutArbitrary, seedArbitrary, async (lines, layout, seed) => {
        const options = { payloadHash: streamingPayloadHash(layout), seed, trailer: layout.checksum === undefined ? undefined : `x-amz-checksum-${layout.checksum}` };
        const result = await decode(Buffer.concat(lines), options, [3, 50]);
        expect(result.error).toBeInstanceOf(ChunkedBodyError);
      }),
      { numRuns: RUNS },
    );
  }, TIMEOUT);

  it('a signed body verified with another key or seed', async () => {
    await fc.assert(
      fc.asyncProperty(bodyArbitrary, seedArbitrary, async ([layout, length, seed, announce], other) => {
        fc.pre(layout.signed);
        const { data, body, options } = await encoded(layout, randomBytes(length), seed, announce);
        const result = await decode(body, { ...options, seed: { ...other, amzDate: seed.amzDate, credentialScope: seed.credentialScope } }, []);
        expectRefused(result, data);
        expect((result.error as ChunkedBodyError).reason).toBe('signature-mismatch');
      }),
      { numRuns: RUNS },
    );
  }, TIMEOUT);
});

interface SdkChecksum {
  update(data: Uint8Array): void;
  digest(): Promise<Uint8Array>;
}

const zlibCrc32 = (zlib as unknown as { crc32: (data: Uint8Array, value?: number) => number }).crc32;

/** CRC-64/NVME bit by bit with BigInt: slow and obviously the definition (reflected 0xad93d23594c93659, all-ones in and out). */
function crc64NvmeOracle(data: Uint8Array): string {
  let crc = 0xffffffffffffffffn;
  for (const byte of data) {
    crc ^= BigInt(byte);
    for (let k = 0; k < 8; k++) crc = crc & 1n ? (crc >> 1n) ^ 0x9a6c9329ac4bc9b5n : crc >> 1n;
  }
  const bytes = Buffer.alloc(8);
  bytes.writeBigUInt64BE(crc ^ 0xffffffffffffffffn);
  return bytes.toString('base64');
}

/** The SDK's checksum classes where the SDK has them (@aws-sdk/checksums, @aws-crypto/crc32c, @smithy/hash-node), zlib for CRC32. */
function sdkChecksum(algorithm: ChecksumAlgorithm | 'crc64nvme'): new () => SdkChecksum {
  if (algorithm === 'crc64nvme') return Crc64NvmeJs as unknown as new () => SdkChecksum;
  if (algorithm === 'crc32c') return AwsCrc32c as unknown as new () => SdkChecksum;
  if (algorithm === 'sha1' || algorithm === 'sha256') {
    return class extends Hash {
      constructor() {
        super(algorithm);
      }
    } as unknown as new () => SdkChecksum;
  }
  return class {
    #crc = 0;
    update(data: Uint8Array): void {
      this.#crc = zlibCrc32(data, this.#crc);
    }
    async digest(): Promise<Uint8Array> {
      const bytes = Buffer.alloc(4);
      bytes.writeUInt32BE(this.#crc >>> 0);
      return bytes;
    }
  };
}

/** What the S3 client sends for a streamed PutObject: each piece of the source framed as one chunk. */
async function sdkEncoding(pieces: Buffer[], algorithm: ChecksumAlgorithm | 'crc64nvme'): Promise<Buffer> {
  const Checksum = sdkChecksum(algorithm);
  const encoded = getAwsChunkedEncodingStream(Readable.from(pieces), {
    base64Encoder: (bytes: Uint8Array) => Buffer.from(bytes).toString('base64'),
    bodyLengthChecker: (body: unknown) => (body as Buffer).byteLength,
    checksumAlgorithmFn: Checksum as never,
    checksumLocationName: `x-amz-checksum-${algorithm}`,
    // As @smithy/hash-stream-node does: listen to the pieces the encoder reads, without reading any itself.
    streamHasher: ((_checksum: unknown, stream: Readable) =>
      new Promise<Uint8Array>((resolve, reject) => {
        const checksum = new Checksum();
        stream.on('data', (piece: Buffer) => checksum.update(piece));
        stream.on('end', () => checksum.digest().then(resolve, reject));
        stream.on('error', reject);
      })) as never,
  });
  return collect(encoded as Readable);
}
