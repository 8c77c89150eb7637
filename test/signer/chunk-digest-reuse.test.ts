/**
 * Reusing chunk digests between the verifying decoder and the encoder (what the re-signing proxy does so
 * each byte is hashed once): the decoder reports every verified chunk's offset, length and SHA-256, and
 * the encoder given digests (for some chunks, all, none, or for spans that are not its chunks) writes the
 * very same bytes as without them. Bounded runs in CI; CHUNKED_RUNS raises them.
 */
import { createHash, randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createChunkedDecoder, createChunkedEncoder, STREAMING_PAYLOAD, type ChunkSigningSeed } from '../../src/signer/index.js';
import { ChunkDigestRelay } from '../../src/proxy/chunk-digests.js';
import { collect, cutAt } from '../helpers/aws-chunked.js';

const RUNS = Number(process.env.CHUNKED_RUNS ?? 60);

const seed: ChunkSigningSeed = {
  signingKey: createHash('sha256').update('chunk-digest-reuse').digest(),
  amzDate: '20130524T000000Z',
  credentialScope: '20130524/us-east-1/s3/aws4_request',
  seedSignature: 'a'.repeat(64),
};

const sha256 = (data: Uint8Array): string => createHash('sha256').update(data).digest('hex');

async function encode(body: Buffer, cuts: number[], chunkSize: number, chunkDigest?: (offset: number, length: number) => string | undefined): Promise<Buffer> {
  return collect(Readable.from(cutAt(body, cuts)).pipe(createChunkedEncoder({ chunkSize, seed, decodedLength: body.length, chunkDigest })));
}

describe('chunk digest reuse', () => {
  it('the encoder writes the same bytes with any given digests as without, and asks once per chunk at its offset', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 200_000 }),
        fc.integer({ min: 8192, max: 70_000 }),
        fc.array(fc.integer({ min: 0, max: 200_000 }), { maxLength: 6 }),
        fc.constantFrom('all', 'some', 'none', 'misaligned'),
        async (size, chunkSize, cuts, policy) => {
          const body = randomBytes(size);
          const plain = await encode(body, cuts, chunkSize);
          const asked: [number, number][] = [];
          const reused = await encode(body, cuts, chunkSize, (offset, length) => {
            asked.push([offset, length]);
            if (policy === 'none' || (policy === 'some' && asked.length % 2 === 0)) return undefined;
            if (policy === 'misaligned') return undefined;
            return sha256(body.subarray(offset, offset + length));
          });
          expect(reused.equals(plain)).toBe(true);
          expect(asked).toEqual(Array.from({ length: Math.ceil(size / chunkSize) }, (_, i) => [i * chunkSize, Math.min(chunkSize, size - i * chunkSize)]));
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('decoder to encoder through the relay: the re-encoded body is byte-identical and every chunk digest is reused when the chunk sizes agree', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 300_000 }), fc.constantFrom(8192, 65_536), fc.array(fc.integer({ min: 0, max: 400_000 }), { maxLength: 6 }), async (size, chunkSize, cuts) => {
        const body = randomBytes(size);
        const wire = await encode(body, [], chunkSize);
        const relay = new ChunkDigestRelay();
        const reported: [number, number, string][] = [];
        const decoder = createChunkedDecoder({
          payloadHash: STREAMING_PAYLOAD,
          seed,
          decodedLength: size,
          onChunkDigest: (offset, length, digest) => {
            reported.push([offset, length, digest]);
            relay.record(offset, length, digest);
          },
        });
        let hits = 0;
        const encoder = createChunkedEncoder({
          chunkSize,
          seed,
          decodedLength: size,
          chunkDigest: (offset, length) => {
            const digest = relay.digestOf(offset, length);
            if (digest !== undefined) hits++;
            return digest;
          },
        });
        const out = await collect(Readable.from(cutAt(wire, cuts)).pipe(decoder).pipe(encoder));
        expect(out.equals(wire)).toBe(true);
        const chunks = Math.ceil(size / chunkSize);
        expect(reported).toEqual(Array.from({ length: chunks }, (_, i) => {
          const offset = i * chunkSize;
          const length = Math.min(chunkSize, size - offset);
          return [offset, length, sha256(body.subarray(offset, offset + length))];
        }));
        expect(hits).toBe(chunks);
      }),
      { numRuns: RUNS },
    );
  });

  it('the relay gives a digest only for exactly a recorded span', () => {
    const relay = new ChunkDigestRelay();
    relay.record(0, 10, 'a');
    relay.record(10, 10, 'b');
    relay.record(20, 5, 'c');
    expect(relay.digestOf(0, 8)).toBeUndefined();
    expect(relay.digestOf(8, 10)).toBeUndefined();
    expect(relay.digestOf(10, 10)).toBe('b');
    expect(relay.digestOf(20, 5)).toBe('c');
    expect(relay.digestOf(25, 1)).toBeUndefined();
  });
});
