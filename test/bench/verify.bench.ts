/**
 * The receiving side: verifySigV4 requests/s and the verifying aws-chunked decoder's MB/s.
 *
 * verifySigV4 signs the request again with the signer's own code and compares, so its reference is
 * `signRequest` of the same request in the same run (`sign (same request)`): the ratio says what parsing the
 * auth, the checks and the snapshot cost on top. Scenarios: an S3 PUT with header auth (the headers an SDK
 * sends) and a presigned S3 GET.
 *
 * The decoder is fed 16 MiB encoded with 64 KiB chunks, in 64 KiB pieces (what a socket yields), through
 * `pipeline(Readable.from(pieces), createChunkedDecoder(), null sink)`. Its reference is the digest work
 * by hand over the decoded bytes (`createHash('sha256')` per chunk for signed chunks, plus the trailer's
 * CRC32 by `zlib.crc32`) behind the same pipeline. The target is >= 600 MB/s for signed 64 KiB chunks.
 * Ours is imported from the BUILT `dist/signer/index.js` (run `npm run build` first; `npm run bench` does);
 * before timing, each decoder's output is checked against the input.
 *
 * On a shared machine (other jobs on both cores), wall-clock throughput mostly measures the neighbours; each
 * decode scenario therefore also prints MB per CPU-second of this process (`process.cpuUsage`, best of 5),
 * which is close to what one idle core does.
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
import { ROOT, compare, defineSuite, type BenchConfig, type ScenarioResult } from './harness.js';

type Signer = typeof import('../../src/signer/index.js');

const DIST_SIGNER = resolve(ROOT, 'dist', 'signer', 'index.js');
const CREDENTIALS = { accessKeyId: 'AKIDBENCHVERIFY', secretAccessKey: 'bEnChVeRiFySeCrEtKeY0123456789AbCdEfGhIj' };
const DATE = new Date('2024-05-01T12:34:56Z');
const SIZE = 16 * 1024 * 1024;
const CHUNK = 64 * 1024;

async function loadOurs(): Promise<Signer> {
  if (!existsSync(DIST_SIGNER)) throw new Error(`${DIST_SIGNER} is missing: run \`npm run build\` first (npm run bench does)`);
  return (await import(pathToFileURL(DIST_SIGNER).href)) as Signer;
}

function nullSink(): Writable {
  return new Writable({
    write(_chunk, _encoding, callback) {
      callback();
    },
  });
}

async function verifyScenarios(ours: Signer, config: BenchConfig): Promise<ScenarioResult[]> {
  const clientKeys = new Map([[CREDENTIALS.accessKeyId, CREDENTIALS.secretAccessKey]]);
  const verify = ours.createSigV4Verifier({ clientKeys, now: DATE.getTime(), service: 's3' });
  const url = 'https://my-bucket.s3.eu-west-1.amazonaws.com/photos/2024/05/IMG_0042.jpg';
  const headers = { 'content-type': 'image/jpeg', 'content-length': '482113', 'x-amz-meta-camera': 'x100v', 'amz-sdk-invocation-id': '5d1b4c0e-0f7a-4b64-9c8e-2f3b1d9e6a7c' };
  const options = { credentials: CREDENTIALS, region: 'eu-west-1', service: 's3', date: DATE, payloadHash: 'UNSIGNED-PAYLOAD' };
  const signed = ours.signRequest({ method: 'PUT', url, headers }, options);
  const received = { method: 'PUT', url: '/photos/2024/05/IMG_0042.jpg', headers: signed.headers };
  const presigned = ours.presignUrl({ method: 'GET', url }, { ...options, expiresIn: 3600 });
  const presignedRequest = { method: 'GET', url: presigned.slice(presigned.indexOf('/', 8)), headers: { host: 'my-bucket.s3.eu-west-1.amazonaws.com' } };
  for (const request of [received, presignedRequest]) {
    const result = verify(request);
    if (!result.ok) throw new Error(`verifySigV4 refused the bench request: ${result.reason}`);
  }
  return [
    await compare('verify S3 PUT (header auth)', [
      { name: 'verifySigV4', run: () => verify(received), note: 'createSigV4Verifier({ clientKeys, service }) on what an SDK sends' },
      { name: 'sign (same request)', run: () => ours.signRequest({ method: 'PUT', url, headers }, options), note: 'signRequest of the same request: the re-signing inside a verification' },
    ], { baseline: 'verifySigV4', description: 'an S3 PUT with 8 headers, header auth', config: { minRounds: config.quick ? 3 : 9 } }),
    await compare('verify presigned S3 GET (query auth)', [
      { name: 'verifySigV4', run: () => verify(presignedRequest), note: 'createSigV4Verifier on a presigned URL' },
      { name: 'presign (same request)', run: () => ours.presignUrl({ method: 'GET', url }, { ...options, expiresIn: 3600 }), note: 'presignUrl of the same request' },
    ], { baseline: 'verifySigV4', description: 'a presigned GET, query auth', config: { minRounds: config.quick ? 3 : 9 } }),
  ];
}

function piecesOf(data: Buffer, size: number): Buffer[] {
  const pieces: Buffer[] = [];
  for (let i = 0; i < data.length; i += size) pieces.push(data.subarray(i, i + size));
  return pieces;
}

/** Decoded MB per CPU-second of this process, best of five runs after three untimed. */
async function perCpuSecond(run: () => Promise<unknown>): Promise<number> {
  let best = Number.POSITIVE_INFINITY;
  for (let i = 0; i < 3; i++) await run(); // warm-up, untimed
  for (let i = 0; i < 5; i++) {
    const before = process.cpuUsage();
    await run();
    const used = process.cpuUsage(before);
    best = Math.min(best, (used.user + used.system) / 1e6);
  }
  return Math.round(SIZE / 1e6 / best);
}

async function decodeScenario(ours: Signer, name: string, layout: { signed: boolean; checksum?: 'crc32' }, config: BenchConfig): Promise<ScenarioResult> {
  const data = randomFillSync(Buffer.allocUnsafe(SIZE));
  const seed = {
    signingKey: ours.deriveSigningKey(CREDENTIALS.secretAccessKey, '20240501', 'eu-west-1', 's3'),
    amzDate: '20240501T123456Z',
    credentialScope: '20240501/eu-west-1/s3/aws4_request',
    seedSignature: createHash('sha256').update('bench seed').digest('hex'),
  };
  const encodedParts: Buffer[] = [];
  for await (const part of ours.encodeChunked(piecesOf(data, CHUNK), { ...layout, chunkSize: CHUNK, seed: layout.signed ? seed : undefined })) encodedParts.push(part);
  const pieces = piecesOf(Buffer.concat(encodedParts), 64 * 1024);
  const options = {
    payloadHash: ours.streamingPayloadHash(layout),
    seed: layout.signed ? seed : undefined,
    trailer: layout.checksum === undefined ? undefined : `x-amz-checksum-${layout.checksum}`,
    decodedLength: SIZE,
  };
  const out: Buffer[] = [];
  await pipeline(Readable.from(pieces), ours.createChunkedDecoder(options), new Writable({
    write(chunk: Buffer, _encoding, callback) {
      out.push(chunk);
      callback();
    },
  }));
  if (!Buffer.concat(out).equals(data)) throw new Error(`${name}: the decoder did not give the input back`);
  const dataChunks = piecesOf(data, CHUNK);
  const decode = () => pipeline(Readable.from(pieces), ours.createChunkedDecoder(options), nullSink());
  const floor = () => {
    let crc = 0;
    return pipeline(Readable.from(dataChunks), new Writable({
      write(chunk: Buffer, _encoding, callback) {
        if (layout.signed) createHash('sha256').update(chunk).digest('hex');
        if (layout.checksum === 'crc32') crc = zlib.crc32(chunk, crc);
        callback();
      },
    })).then(() => crc);
  };
  process.stdout.write(`\n  ${name}, MB per CPU-second: decoder ${await perCpuSecond(decode)}, by hand, streamed ${await perCpuSecond(floor)}\n`);
  return compare(name, [
    { name: 'decoder', run: decode, async: true, note: 'pipeline(Readable.from(64 KiB pieces), createChunkedDecoder(), null sink)' },
    {
      name: 'by hand, streamed',
      run: floor,
      async: true,
      note: `${layout.signed ? "createHash('sha256') per 64 KiB chunk" : ''}${layout.signed && layout.checksum ? ' + ' : ''}${layout.checksum ? 'zlib.crc32' : ''} over the decoded bytes, behind the same pipeline: the digest floor`,
    },
  ], {
    baseline: 'decoder',
    unit: 'MB/s',
    bytesPerOp: SIZE,
    description: `16 MiB decoded from ${pieces.length} pieces of 64 KiB (${Buffer.concat(encodedParts).length} encoded bytes, 64 KiB chunks)`,
    targets: [{ peer: 'by hand, streamed', min: 0.8 }],
    config: { minRounds: config.quick ? 3 : 15 },
  });
}

export default defineSuite({
  name: 'verify',
  async run(config) {
    const ours = await loadOurs();
    return [
      ...(await verifyScenarios(ours, config)),
      await decodeScenario(ours, 'decode signed 64 KiB chunks', { signed: true }, config),
      await decodeScenario(ours, 'decode signed 64 KiB chunks + crc32 trailer', { signed: true, checksum: 'crc32' }, config),
      await decodeScenario(ours, 'decode unsigned chunks + crc32 trailer', { signed: false, checksum: 'crc32' }, config),
    ];
  },
});
