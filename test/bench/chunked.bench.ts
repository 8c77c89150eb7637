/**
 * aws-chunked encoder throughput against raw SHA-256 over the same data.
 *
 * Signing chunks costs one SHA-256 pass over the data (plus one HMAC per chunk), so `createHash('sha256')`
 * over the same pieces is the floor; the issue's target is an encoder at >= 0.8x of it. Ours is imported
 * from the BUILT `dist/signer/index.js` (run `npm run build` first; `npm run bench` does). Before timing,
 * the encoders' output is checked: both forms must give the same bytes, of the length the helper predicts.
 *
 * Scenarios (16 MiB of random bytes per operation):
 * - signed chunks (64 KiB) from 64 KiB input pieces (what a file stream yields);
 * - the same from 16 KiB input pieces (Node's default stream highWaterMark): pieces are hashed as they
 *   come and passed on without being joined, so smaller pieces mean more calls, not more copying;
 * - signed chunks with a CRC32 trailer, and unsigned chunks with a CRC32C trailer (our table CRC32C;
 *   CRC32 is zlib's), to show what a trailing checksum costs.
 *
 * Contenders:
 * - `generator`: `encodeChunked(pieces, options)` drained with `for await`;
 * - `transform`: `pipeline(Readable.from(pieces), createChunkedEncoder(options), sink)`;
 * - `by hand`: the digests the encoding needs, by hand: `createHash('sha256')` over the pieces when
 *   signed, plus the trailer's checksum (`zlib.crc32`, or `@aws-crypto/crc32c`): the target's reference, so
 *   a trailer scenario is compared with the same digest work, not with less;
 * - `by hand, streamed`: the same digests behind the same `Readable.from` → Writable pipeline as `transform`, i.e.
 *   what any streaming consumer of these pieces pays before doing anything.
 *
 * @module
 */
import { createHash, randomFillSync } from 'node:crypto';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { pathToFileURL } from 'node:url';
import * as zlib from 'node:zlib';
import { Crc32c } from '@aws-crypto/crc32c';
import { ROOT, compare, defineSuite, type BenchConfig, type Contender, type ScenarioResult } from './harness.js';

type Signer = typeof import('../../src/signer/index.js');

const DIST_SIGNER = resolve(ROOT, 'dist', 'signer', 'index.js');

async function loadOurs(): Promise<Signer> {
  if (!existsSync(DIST_SIGNER)) throw new Error(`${DIST_SIGNER} is missing: run \`npm run build\` first (npm run bench does)`);
  return (await import(pathToFileURL(DIST_SIGNER).href)) as Signer;
}

const SIZE = 16 * 1024 * 1024;
const SEED = {
  signingKey: createHash('sha256').update('bench signing key').digest(),
  amzDate: '20240501T123456Z',
  credentialScope: '20240501/us-east-1/s3/aws4_request',
  seedSignature: createHash('sha256').update('bench seed').digest('hex'),
} as const;

function piecesOf(data: Buffer, pieceSize: number): Buffer[] {
  const pieces: Buffer[] = [];
  for (let i = 0; i < data.length; i += pieceSize) pieces.push(data.subarray(i, i + pieceSize));
  return pieces;
}

function nullSink(): Writable {
  return new Writable({
    write(_chunk, _encoding, callback) {
      callback();
    },
  });
}

/** The digests the encoding needs, fed by hand: SHA-256 of the data when signed, and the trailer's checksum. */
function digestsFor(layout: { signed?: boolean; checksum?: 'crc32' | 'crc32c' }): { update: (piece: Buffer) => void; result: () => string } {
  const hash = layout.signed === false ? undefined : createHash('sha256');
  const crc32c = layout.checksum === 'crc32c' ? new Crc32c() : undefined;
  const crc32 = layout.checksum === 'crc32';
  let crc = 0;
  return {
    update: (piece) => {
      hash?.update(piece);
      if (crc32) crc = zlib.crc32(piece, crc);
      crc32c?.update(piece);
    },
    result: () => `${hash?.digest('hex') ?? ''}${crc32 ? crc : ''}${crc32c?.digest() ?? ''}`,
  };
}

function hashByHand(pieces: readonly Buffer[], layout: { signed?: boolean; checksum?: 'crc32' | 'crc32c' }): string {
  const digests = digestsFor(layout);
  for (const piece of pieces) digests.update(piece);
  return digests.result();
}

async function drain(source: AsyncIterable<Buffer>): Promise<number> {
  let bytes = 0;
  for await (const part of source) bytes += part.length;
  return bytes;
}

async function scenario(
  ours: Signer,
  name: string,
  pieceSize: number,
  layout: { signed?: boolean; checksum?: 'crc32' | 'crc32c' },
  config: BenchConfig,
): Promise<ScenarioResult> {
  const data = randomFillSync(Buffer.allocUnsafe(SIZE));
  const pieces = piecesOf(data, pieceSize);
  const options = { ...layout, seed: layout.signed === false ? undefined : SEED, decodedLength: SIZE };

  // The contenders must produce what they claim before their speed means anything.
  const expectedLength = ours.chunkedContentLength(SIZE, layout);
  const viaGenerator: Buffer[] = [];
  for await (const part of ours.encodeChunked(pieces, options)) viaGenerator.push(part);
  const viaTransform: Buffer[] = [];
  await pipeline(Readable.from(pieces), ours.createChunkedEncoder(options), new Writable({
    write(chunk: Buffer, _encoding, callback) {
      viaTransform.push(chunk);
      callback();
    },
  }));
  const a = Buffer.concat(viaGenerator);
  if (a.length !== expectedLength) throw new Error(`${name}: encoded ${a.length} bytes, chunkedContentLength says ${expectedLength}`);
  if (!a.equals(Buffer.concat(viaTransform))) throw new Error(`${name}: the Transform and the generator disagree`);

  const contenders: Contender[] = [
    { name: 'generator', run: () => drain(ours.encodeChunked(pieces, options)), async: true, note: 'encodeChunked(pieces) drained with for await' },
    {
      name: 'transform',
      run: () => pipeline(Readable.from(pieces), ours.createChunkedEncoder(options), nullSink()),
      async: true,
      note: 'pipeline(Readable.from(pieces), createChunkedEncoder(), null sink)',
    },
    {
      name: 'by hand',
      run: () => hashByHand(pieces, layout),
      note: `${layout.signed === false ? '' : "createHash('sha256')"}${layout.signed === false || layout.checksum === undefined ? '' : ' + '}${layout.checksum === 'crc32' ? 'zlib.crc32' : layout.checksum === 'crc32c' ? '@aws-crypto/crc32c' : ''} over the pieces: the same digest work by hand, the reference of the >= 0.8x target`,
    },
    {
      name: 'by hand, streamed',
      run: () => {
        const digests = digestsFor(layout);
        return pipeline(
          Readable.from(pieces),
          new Writable({
            write(chunk: Buffer, _encoding, callback) {
              digests.update(chunk);
              callback();
            },
          }),
        ).then(digests.result);
      },
      async: true,
      note: 'the same digests behind the same Readable.from → Writable pipeline: the streaming floor',
    },
  ];
  return compare(name, contenders, {
    baseline: 'generator',
    unit: 'MB/s',
    bytesPerOp: SIZE,
    description: `16 MiB of random bytes in ${pieceSize / 1024} KiB pieces → ${expectedLength} encoded bytes`,
    targets: [{ peer: 'by hand', min: 0.8 }],
    // One operation takes tens of milliseconds: a batch is one call, and a few rounds suffice.
    config: { minRounds: config.quick ? 3 : 15 },
  });
}

export default defineSuite({
  name: 'chunked',
  async run(config) {
    const ours = await loadOurs();
    const results: ScenarioResult[] = [];
    results.push(await scenario(ours, 'signed chunks, 64 KiB pieces', 64 * 1024, {}, config));
    results.push(await scenario(ours, 'signed chunks, 16 KiB pieces', 16 * 1024, {}, config));
    results.push(await scenario(ours, 'signed chunks + crc32 trailer, 64 KiB pieces', 64 * 1024, { checksum: 'crc32' }, config));
    results.push(await scenario(ours, 'unsigned chunks + crc32c trailer, 64 KiB pieces', 64 * 1024, { signed: false, checksum: 'crc32c' }, config));
    return results;
  },
});
