/**
 * Differential test of the unsigned-trailer encoding (STREAMING-UNSIGNED-PAYLOAD-TRAILER) against the AWS
 * SDK's own encoder, `getAwsChunkedEncodingStream` from @smithy/util-stream: what the S3 client sends for
 * flexible checksums. The SDK frames each piece its source yields as one chunk, so it is fed our chunk
 * boundaries (pieces of exactly chunkSize, the last shorter); ours is fed random boundaries and re-cuts.
 * Its checksums come from independent implementations (zlib, @aws-crypto/crc32c, node:crypto).
 *
 * The JavaScript SDK has no signed-chunk encoder; signed chunks and signed trailers are covered by the
 * published examples (chunked.test.ts) and the independent decoder (chunked-properties.test.ts).
 */
import { createHash, randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import * as zlib from 'node:zlib';
import { AwsCrc32c } from '@aws-crypto/crc32c';
import { getAwsChunkedEncodingStream } from '@smithy/util-stream';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { CHECKSUM_ALGORITHMS, chunkedContentLength, createChunkedEncoder, encodeChunked, type ChecksumAlgorithm } from '../../src/signer/index.js';
import { collect, cutAt } from '../helpers/aws-chunked.js';

interface SdkChecksum {
  update(data: Uint8Array): void;
  digest(): Promise<Uint8Array>;
}
type SdkChecksumConstructor = new () => SdkChecksum;

const zlibCrc32 = (zlib as unknown as { crc32: (data: Uint8Array, value?: number) => number }).crc32;

class Crc32 implements SdkChecksum {
  #crc = 0;
  update(data: Uint8Array): void {
    this.#crc = zlibCrc32(data, this.#crc);
  }
  async digest(): Promise<Uint8Array> {
    const b = Buffer.alloc(4);
    b.writeUInt32BE(this.#crc >>> 0);
    return b;
  }
}

function nodeHash(algorithm: 'sha1' | 'sha256'): SdkChecksumConstructor {
  return class implements SdkChecksum {
    readonly #hash = createHash(algorithm);
    update(data: Uint8Array): void {
      this.#hash.update(data);
    }
    async digest(): Promise<Uint8Array> {
      return this.#hash.digest();
    }
  };
}

const SDK_CHECKSUMS: Record<ChecksumAlgorithm, SdkChecksumConstructor> = {
  crc32: Crc32,
  crc32c: AwsCrc32c as unknown as SdkChecksumConstructor,
  sha1: nodeHash('sha1'),
  sha256: nodeHash('sha256'),
};

/** What @smithy/hash-stream-node's readableStreamHasher does: hash every piece the stream emits. */
function streamHasher(Checksum: SdkChecksumConstructor, stream: Readable): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const checksum = new Checksum();
    stream.on('data', (piece: Buffer) => checksum.update(piece));
    stream.on('end', () => checksum.digest().then(resolve, reject));
    stream.on('error', reject);
  });
}

async function sdkEncoding(data: Buffer, chunkSize: number, algorithm: ChecksumAlgorithm): Promise<Buffer> {
  const pieces: Buffer[] = [];
  for (let i = 0; i < data.length; i += chunkSize) pieces.push(data.subarray(i, i + chunkSize));
  const encoded = getAwsChunkedEncodingStream(Readable.from(pieces), {
    base64Encoder: (bytes: Uint8Array) => Buffer.from(bytes).toString('base64'),
    bodyLengthChecker: (body: unknown) => (body as Buffer).byteLength,
    checksumAlgorithmFn: SDK_CHECKSUMS[algorithm] as never,
    checksumLocationName: `x-amz-checksum-${algorithm}`,
    streamHasher: streamHasher as never,
  });
  return collect(encoded as Readable);
}

describe('STREAMING-UNSIGNED-PAYLOAD-TRAILER against the SDK\'s getAwsChunkedEncodingStream', () => {
  it('is byte-identical for the sizes that matter (0, 1, one chunk, chunk + 1) and every checksum', async () => {
    const chunkSize = 65_536;
    for (const size of [0, 1, chunkSize - 1, chunkSize, chunkSize + 1, 3 * chunkSize + 17]) {
      const data = randomBytes(size);
      for (const checksum of CHECKSUM_ALGORITHMS) {
        const theirs = await sdkEncoding(data, chunkSize, checksum);
        const ours = await collect(encodeChunked([data], { signed: false, checksum }));
        expect(ours.equals(theirs), `${size} bytes, ${checksum}:\n${ours.toString('latin1', 0, 40)}\n${theirs.toString('latin1', 0, 40)}`).toBe(true);
        expect(theirs.length).toBe(chunkedContentLength(size, { signed: false, checksum }));
      }
    }
  });

  it('is byte-identical for random bodies, chunk sizes and input boundaries (Transform)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 120_000 }),
        fc.integer({ min: 8192, max: 40_000 }),
        fc.constantFrom(...CHECKSUM_ALGORITHMS),
        fc.array(fc.nat(), { maxLength: 8 }),
        async (size, chunkSize, checksum, cuts) => {
          const data = randomBytes(size);
          const ours = await collect(Readable.from(cutAt(data, cuts)).pipe(createChunkedEncoder({ signed: false, checksum, chunkSize, decodedLength: size })));
          const theirs = await sdkEncoding(data, chunkSize, checksum);
          expect(ours.equals(theirs)).toBe(true);
        },
      ),
      { numRuns: 100 },
    );
  });
});
