/**
 * Signed chunked uploads (STREAMING-AWS4-HMAC-SHA256-PAYLOAD) against Ceph RGW, which verifies the seed
 * signature and then every chunk signature as the body streams in. Signed with this project's signer,
 * encoded with its encoder and sent with plain node:http, so what RGW sees is exactly what we produce.
 *
 * What RGW (Debian's Ceph 16.2) does with each mode, found by trying:
 * - STREAMING-AWS4-HMAC-SHA256-PAYLOAD: supported and verified chunk by chunk (tested below, including
 *   tampering), except that RGW stops reading after x-amz-decoded-content-length bytes, so the final empty
 *   chunk's signature is never checked (the published example covers ours), and that a zero-length body
 *   is refused (400 XAmzContentSHA256Mismatch), which is why signChunkedUpload sends empty bodies plain.
 * - STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER and STREAMING-UNSIGNED-PAYLOAD-TRAILER: not supported;
 *   it takes the marker for a hex payload hash and answers 400 XAmzContentSHA256Mismatch. Those modes are
 *   covered by the S3 documentation's example (chunked.test.ts) and by the SDK's own encoder
 *   (chunked-sdk.test.ts). The test below adapts if a newer RGW accepts them: it then checks the object.
 */
import { createHash, randomBytes } from 'node:crypto';
import http from 'node:http';
import { PassThrough, Readable, type Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  chunkSigningSeed,
  chunkedUploadHeaders,
  encodeChunked,
  signChunkedUpload,
  signRequest,
  type ChunkedUpload,
  type ChunkedUploadOptions,
  type SignOptions,
} from '../../src/signer/index.js';
import { collect, deterministicStream } from '../helpers/aws-chunked.js';
import { uniqueBucketName, type RgwServer } from '../helpers/rgw.js';

const rgw: RgwServer = inject('rgw');
const options: SignOptions = {
  credentials: { accessKeyId: rgw.accessKeyId, secretAccessKey: rgw.secretAccessKey },
  region: rgw.region,
  service: 's3',
};
const bucket = uniqueBucketName('chunked');

interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
  text: string;
}

function readReply(res: http.IncomingMessage): Promise<Reply> {
  return collect(res).then((body) => ({ status: res.statusCode ?? 0, headers: res.headers, body, text: body.toString('utf8') }));
}

/** Sends one request; `body` is a Buffer, or a Readable piped in (the server may answer before it is all sent). */
function send(method: string, path: string, headers: http.OutgoingHttpHeaders, body?: Buffer | Readable, timeout = 60_000): Promise<Reply> {
  return new Promise((resolve, reject) => {
    // A fresh connection per request: RGW answers a bad chunk before reading the rest of the body, and
    // leftover body bytes on a kept-alive connection would be read as the start of the next request.
    const req = http.request({ hostname: rgw.hostname, port: rgw.port, method, path, headers, timeout, agent: false });
    req.on('timeout', () => req.destroy(new Error(`${method} ${path} timed out`)));
    req.on('response', (res) => readReply(res).then(resolve, reject));
    if (body instanceof Readable) {
      // An early error answer closes the connection mid-upload; the answer is what we want to see then.
      pipeline(body, req).catch((error: unknown) => setTimeout(() => reject(error), 1000));
    } else {
      req.on('error', reject);
      req.end(body);
    }
  });
}

function signed(method: string, path: string): http.OutgoingHttpHeaders {
  return signRequest({ method, url: `${rgw.endpoint}${path}` }, options).headers;
}

function chunkedUpload(key: string, upload: ChunkedUploadOptions): ChunkedUpload {
  return signChunkedUpload({ method: 'PUT', url: `${rgw.endpoint}/${bucket}/${key}`, headers: { 'content-type': 'application/octet-stream' } }, options, upload);
}

/** Encodes a Buffer body for an upload (small bodies only). */
function encodeAll(upload: ChunkedUpload, data: Buffer): Promise<Buffer> {
  return collect(upload.encode([data]));
}

async function getObject(key: string): Promise<Reply> {
  return send('GET', `/${bucket}/${key}`, signed('GET', `/${bucket}/${key}`));
}

async function headStatus(key: string): Promise<number> {
  return (await send('HEAD', `/${bucket}/${key}`, signed('HEAD', `/${bucket}/${key}`))).status;
}

interface ChunkPosition {
  /** Offset of the chunk's header line. */
  start: number;
  /** Offset of its `chunk-signature=` value. */
  signatureAt: number;
  /** Offset of its data. */
  dataAt: number;
  size: number;
}

/** Where each chunk (the final empty one included) lies in an encoded body. */
function chunkLayout(body: Buffer): ChunkPosition[] {
  const chunks: ChunkPosition[] = [];
  let pos = 0;
  for (;;) {
    const lineEnd = body.indexOf('\r\n', pos, 'latin1');
    const line = body.toString('latin1', pos, lineEnd);
    const size = parseInt(line, 16);
    chunks.push({ start: pos, signatureAt: pos + line.indexOf('=') + 1, dataAt: lineEnd + 2, size });
    if (size === 0) return chunks;
    pos = lineEnd + 2 + size + 2;
  }
}

function chunkAt(body: Buffer, index: number): ChunkPosition {
  const chunk = chunkLayout(body).at(index);
  if (chunk === undefined) throw new Error(`no chunk ${index}`);
  return chunk;
}

beforeAll(async () => {
  const res = await send('PUT', `/${bucket}`, signed('PUT', `/${bucket}`));
  expect(res.status, res.text).toBe(200);
});

afterAll(async () => {
  // Remove what is left so the in-memory store does not keep it for the rest of the run.
  for (const key of ['empty', 'empty-chunked', 'one-byte', 'one-chunk', 'chunk-plus-one', 'small-chunks', 'tampered-data', 'tampered-signature', 'swapped', 'trailer', 'big']) {
    await send('DELETE', `/${bucket}/${key}`, signed('DELETE', `/${bucket}/${key}`), undefined, 10_000).catch(() => {});
  }
  await send('DELETE', `/${bucket}`, signed('DELETE', `/${bucket}`), undefined, 10_000).catch(() => {});
});

describe('signed chunked uploads to Ceph RGW (STREAMING-AWS4-HMAC-SHA256-PAYLOAD)', () => {
  const cases: { key: string; size: number; chunkSize?: number }[] = [
    { key: 'one-byte', size: 1 },
    { key: 'one-chunk', size: 65_536 },
    { key: 'chunk-plus-one', size: 65_537 },
    { key: 'small-chunks', size: 100_000, chunkSize: 8192 },
  ];
  for (const { key, size, chunkSize } of cases) {
    it(`stores ${size} bytes${chunkSize ? ` in ${chunkSize}-byte chunks` : ''} and reads them back byte-identical`, async () => {
      const data = randomBytes(size);
      const upload = chunkedUpload(key, { decodedLength: size, chunkSize });
      const put = await send('PUT', `/${bucket}/${key}`, upload.signed.headers, Readable.from([data]).pipe(upload.createEncoder()));
      expect(put.status, put.text).toBe(200);
      expect(put.headers.etag).toBe(`"${createHash('md5').update(data).digest('hex')}"`);
      const get = await getObject(key);
      expect(get.status, get.text).toBe(200);
      expect(get.body.equals(data)).toBe(true);
    });
  }

  it('stores 0 bytes: signChunkedUpload sends a zero-length body as a plain signed empty body', async () => {
    const upload = chunkedUpload('empty', { decodedLength: 0, checksum: 'crc32' });
    expect(upload.chunked).toBe(false);
    expect(upload.signed.headers['content-length']).toBe('0');
    expect(upload.signed.headers['x-amz-checksum-crc32']).toBe('AAAAAA==');
    const put = await send('PUT', `/${bucket}/empty`, upload.signed.headers, Readable.from([]).pipe(upload.createEncoder()));
    expect(put.status, put.text).toBe(200);
    expect(put.headers.etag).toBe('"d41d8cd98f00b204e9800998ecf8427e"');
    const get = await getObject('empty');
    expect(get.status, get.text).toBe(200);
    expect(get.body.length).toBe(0);
  });

  it('(why) RGW 16 refuses a zero-length aws-chunked body with 400 XAmzContentSHA256Mismatch', async () => {
    const headers = chunkedUploadHeaders(0);
    const request = signRequest(
      { method: 'PUT', url: `${rgw.endpoint}/${bucket}/empty-chunked`, headers: { ...headers } },
      { ...options, payloadHash: headers['x-amz-content-sha256'] },
    );
    const body = await collect(encodeChunked([], { seed: chunkSigningSeed(request, options.credentials) }));
    expect(body.length).toBe(Number(headers['content-length']));
    const put = await send('PUT', `/${bucket}/empty-chunked`, request.headers, body);
    expect(put.status, put.text).toBe(400);
    expect(put.text).toContain('XAmzContentSHA256Mismatch');
  });

  it('rejects a body whose chunk data was changed after signing, and stores nothing', async () => {
    const data = randomBytes(3 * 8192 + 100);
    const upload = chunkedUpload('tampered-data', { decodedLength: data.length, chunkSize: 8192 });
    const body = await encodeAll(upload, data);
    const at = chunkAt(body, 1).dataAt + 10;
    body[at] = (body[at] as number) ^ 0x01;
    const put = await send('PUT', `/${bucket}/tampered-data`, upload.signed.headers, body);
    expect(put.status, put.text).toBe(403);
    expect(await headStatus('tampered-data')).toBe(404);
  });

  it('rejects a body with one data chunk\'s signature changed (first, middle or last), and stores nothing', async () => {
    const data = randomBytes(3 * 8192 + 100);
    const upload = chunkedUpload('tampered-signature', { decodedLength: data.length, chunkSize: 8192 });
    const body = await encodeAll(upload, data);
    // Each time one data chunk's signature is wrong while its data and every other signature are right.
    // RGW answers 403 (AccessDenied or SignatureDoesNotMatch) for a chunk it checks while reading, 400
    // XAmzContentSHA256Mismatch for the last one, checked on completion. It does not check the final empty chunk's signature at all: it
    // stops reading after decodedLength bytes.
    for (const index of [0, 1, -2]) {
      const tampered = Buffer.from(body);
      const at = chunkAt(body, index).signatureAt + 63;
      tampered[at] = tampered[at] === 0x30 ? 0x31 : 0x30;
      const put = await send('PUT', `/${bucket}/tampered-signature`, upload.signed.headers, tampered);
      expect([400, 403], `chunk ${index}: ${put.text}`).toContain(put.status);
      expect(put.text).toMatch(/AccessDenied|SignatureDoesNotMatch|XAmzContentSHA256Mismatch/);
      expect(await headStatus('tampered-signature')).toBe(404);
    }
  });

  it('rejects two whole chunks swapped with their own valid signatures (the chain is checked), and stores nothing', async () => {
    const data = randomBytes(3 * 8192);
    const upload = chunkedUpload('swapped', { decodedLength: data.length, chunkSize: 8192 });
    const body = await encodeAll(upload, data);
    const [first, second, third] = [chunkAt(body, 0), chunkAt(body, 1), chunkAt(body, 2)];
    const swapped = Buffer.concat([
      body.subarray(second.start, third.start),
      body.subarray(first.start, second.start),
      body.subarray(third.start),
    ]);
    expect(swapped.length).toBe(body.length);
    expect(swapped.equals(body)).toBe(false);
    const put = await send('PUT', `/${bucket}/swapped`, upload.signed.headers, swapped);
    expect(put.status, put.text).toBe(403);
    expect(await headStatus('swapped')).toBe(404);
  });

  it('trailer modes: RGW 16 answers 400 XAmzContentSHA256Mismatch (a newer RGW that accepts them must store the object)', async () => {
    const data = randomBytes(20_000);
    for (const layout of [{ checksum: 'crc32' as const }, { signed: false, checksum: 'crc32c' as const }, { checksum: 'sha256' as const }]) {
      const upload = chunkedUpload('trailer', { decodedLength: data.length, ...layout });
      const put = await send('PUT', `/${bucket}/trailer`, upload.signed.headers, await encodeAll(upload, data));
      if (put.status === 200) {
        expect((await getObject('trailer')).body.equals(data), JSON.stringify(layout)).toBe(true);
      } else {
        expect(put.status, put.text).toBe(400);
        expect(put.text).toContain('XAmzContentSHA256Mismatch');
        expect(await headStatus('trailer')).toBe(404);
      }
    }
  });

  it('streams 256 MiB through the encoder and reads it back with the same SHA-256, never holding it in memory', async () => {
    const size = 256 * 1024 * 1024;
    const upload = chunkedUpload('big', { decodedLength: size });
    const sent = createHash('sha256');
    const tap = new PassThrough();
    tap.on('data', (piece: Buffer) => sent.update(piece));
    const encoder: Transform = upload.createEncoder();
    const heapBefore = process.memoryUsage().rss;
    let peakRss = heapBefore;
    const sampler = setInterval(() => {
      peakRss = Math.max(peakRss, process.memoryUsage().rss);
    }, 50);

    const putStarted = performance.now();
    const source = deterministicStream(size, { seed: 'chunked-rgw-256' });
    source.pipe(tap);
    const put = await send('PUT', `/${bucket}/big`, upload.signed.headers, tap.pipe(encoder));
    const putSeconds = (performance.now() - putStarted) / 1000;
    expect(put.status, put.text).toBe(200);

    const getStarted = performance.now();
    const received = createHash('sha256');
    let receivedBytes = 0;
    const status = await new Promise<number>((resolve, reject) => {
      const req = http.request({ hostname: rgw.hostname, port: rgw.port, method: 'GET', path: `/${bucket}/big`, headers: signed('GET', `/${bucket}/big`) });
      req.on('response', (res) => {
        res.on('data', (piece: Buffer) => {
          received.update(piece);
          receivedBytes += piece.length;
        });
        res.on('end', () => resolve(res.statusCode ?? 0));
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end();
    });
    const getSeconds = (performance.now() - getStarted) / 1000;
    clearInterval(sampler);

    expect(status).toBe(200);
    expect(receivedBytes).toBe(size);
    expect(received.digest('hex')).toBe(sent.digest('hex'));
    const growthMiB = (peakRss - heapBefore) / 1024 / 1024;
    process.stderr.write(
      `[chunked-rgw] 256 MiB: PUT ${putSeconds.toFixed(1)} s (${(size / 1e6 / putSeconds).toFixed(0)} MB/s), GET ${getSeconds.toFixed(1)} s; client RSS growth ${growthMiB.toFixed(0)} MiB\n`,
    );
    // Far below the 256 MiB body: the encoder and the pipes hold a few chunks at a time.
    expect(growthMiB).toBeLessThan(128);
  }, 120_000);
});
