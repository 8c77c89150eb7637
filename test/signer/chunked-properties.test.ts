/**
 * Properties of the aws-chunked encoder over random bodies, chunk sizes, input piece boundaries and
 * layouts: the length helper predicts the encoded length exactly, and the independent test decoder
 * (which recomputes every chunk and trailer signature with plain node:crypto) gives the input back.
 */
import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  CHECKSUM_ALGORITHMS,
  chunkedContentLength,
  chunkedUploadHeaders,
  createChunkedEncoder,
  encodeChunked,
  type ChunkedLayout,
  type ChunkSigningSeed,
} from '../../src/signer/index.js';
import { collect, cutAt, decodeAwsChunked } from '../helpers/aws-chunked.js';

const RUNS = Number(process.env.CHUNKED_RUNS ?? 150);

const seedArbitrary: fc.Arbitrary<ChunkSigningSeed> = fc.record({
  signingKey: fc.uint8Array({ minLength: 32, maxLength: 32 }),
  amzDate: fc.constantFrom('20130524T000000Z', '20240229T235959Z'),
  credentialScope: fc.constantFrom('20130524/us-east-1/s3/aws4_request', '20240229/eu-west-3/s3/aws4_request'),
  seedSignature: fc.uint8Array({ minLength: 32, maxLength: 32 }).map((b) => Buffer.from(b).toString('hex')),
});

const layoutArbitrary: fc.Arbitrary<Required<Pick<ChunkedLayout, 'chunkSize' | 'signed'>> & Pick<ChunkedLayout, 'checksum'>> = fc
  .record({
    // 8 KiB up to past 64 KiB, so chunk sizes take 4 and 5 hex digits.
    chunkSize: fc.oneof(fc.integer({ min: 8192, max: 70_000 }), fc.constantFrom(8192, 65_535, 65_536, 65_537)),
    signed: fc.boolean(),
    checksum: fc.option(fc.constantFrom(...CHECKSUM_ALGORITHMS), { nil: undefined }),
  })
  .filter((l) => l.signed || l.checksum !== undefined);

describe('aws-chunked encoder properties', () => {
  it('chunkedContentLength equals the length actually encoded, for random sizes near and between chunk boundaries', async () => {
    await fc.assert(
      fc.asyncProperty(
        layoutArbitrary,
        fc.integer({ min: 0, max: 5 }),
        fc.integer({ min: -3, max: 3 }),
        fc.nat({ max: 70_000 }),
        fc.boolean(),
        seedArbitrary,
        async (layout, chunks, delta, free, nearBoundary, seed) => {
          const length = nearBoundary ? Math.max(0, chunks * layout.chunkSize + delta) : free;
          const body = await collect(encodeChunked([Buffer.alloc(length, 0x61)], { ...layout, seed, decodedLength: length }));
          expect(body.length).toBe(chunkedContentLength(length, layout));
          expect(chunkedUploadHeaders(length, layout)['content-length']).toBe(String(body.length));
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('decoding our encoding, verifying every signature independently, gives the input back', async () => {
    await fc.assert(
      fc.asyncProperty(
        layoutArbitrary,
        fc.integer({ min: 0, max: 200_000 }),
        fc.array(fc.nat(), { maxLength: 12 }),
        seedArbitrary,
        async (layout, length, cuts, seed) => {
          const data = randomBytes(length);
          const body = await collect(encodeChunked(cutAt(data, cuts), { ...layout, seed }));
          const decoded = decodeAwsChunked(body, layout.signed ? seed : undefined);
          expect(decoded.data.equals(data)).toBe(true);
          // Every chunk but the last data chunk is exactly chunkSize; then the empty final chunk.
          const sizes = decoded.chunks.map((c) => c.size);
          expect(sizes.at(-1)).toBe(0);
          const dataSizes = sizes.slice(0, -1);
          expect(dataSizes.slice(0, -1).every((s) => s === layout.chunkSize)).toBe(true);
          if (dataSizes.length > 0) expect(dataSizes.at(-1)).toBeGreaterThan(0);
          expect(dataSizes.length).toBe(Math.ceil(length / layout.chunkSize));
          if (layout.checksum === undefined) expect(decoded.trailer).toBeUndefined();
          else expect(decoded.trailer?.[0]).toBe(`x-amz-checksum-${layout.checksum}`);
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('the Transform gives the generator\'s bytes whatever the input piece boundaries', async () => {
    await fc.assert(
      fc.asyncProperty(
        layoutArbitrary,
        fc.integer({ min: 0, max: 100_000 }),
        fc.array(fc.nat(), { maxLength: 12 }),
        fc.array(fc.nat(), { maxLength: 12 }),
        seedArbitrary,
        async (layout, length, cutsA, cutsB, seed) => {
          const data = randomBytes(length);
          const options = { ...layout, seed, decodedLength: length };
          const a = await collect(encodeChunked(cutAt(data, cutsA), options));
          const b = await collect(Readable.from(cutAt(data, cutsB)).pipe(createChunkedEncoder(options)));
          expect(a.equals(b)).toBe(true);
        },
      ),
      { numRuns: RUNS },
    );
  });
});
