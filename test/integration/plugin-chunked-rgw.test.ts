import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import got, { RequestError } from 'got';
import { createAws4Hooks, StreamRetryError } from '../../src/index.js';
import { uniqueBucketName } from '../helpers/rgw.js';
import { startFaultProxy, type FaultProxy } from '../helpers/fault-proxy.js';

const rgw = inject('rgw');
const bucket = uniqueBucketName('plugin-chunked');
let dir: string;
let proxy: FaultProxy;

const s3 = got.extend(
  { retry: { limit: 0 }, throwHttpErrors: false },
  createAws4Hooks({ region: rgw.region, service: 's3', credentials: { accessKeyId: rgw.accessKeyId, secretAccessKey: rgw.secretAccessKey } }),
);

function sha256(data: Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'plugin-chunked-'));
  expect((await s3.put(`${rgw.endpoint}/${bucket}`)).statusCode).toBe(200);
  proxy = await startFaultProxy(rgw.endpoint);
});
afterAll(async () => {
  await proxy.close();
  await rm(dir, { recursive: true, force: true });
});

describe('aws4Hooks × RGW: streams to S3 go as signed chunked uploads by default', () => {
  it.each([
    ['1 byte', 1],
    ['exactly one 64 KiB chunk', 64 * 1024],
    ['one chunk and one byte', 64 * 1024 + 1],
    ['3 MiB', 3 * 1024 * 1024],
  ])('uploads a fs.createReadStream of %s (length measured from the file) and reads it back byte-identical', async (_label, size) => {
    const data = randomBytes(size);
    const file = join(dir, `file-${size}.bin`);
    await writeFile(file, data);
    const url = `${rgw.endpoint}/${bucket}/file-${size}.bin`;
    const put = await s3.put(url, { body: createReadStream(file) });
    expect(put.statusCode, put.body).toBe(200);
    expect(put.request.options.headers['content-encoding']).toBe('aws-chunked');
    const get = await s3.get(url, { responseType: 'buffer' });
    expect(sha256(get.body)).toBe(sha256(data));
  });

  it('uploads an async iterable with a content-length in 8 KiB chunks chosen per request', async () => {
    const parts = [randomBytes(10_000), randomBytes(20_000), randomBytes(3)];
    const url = `${rgw.endpoint}/${bucket}/iterable.bin`;
    async function* body() {
      yield* parts;
    }
    const put = await s3.put(url, { body: body(), headers: { 'content-length': String(30_003) }, context: { aws4: { chunkSize: 8 * 1024 } } });
    expect(put.statusCode, put.body).toBe(200);
    expect(Number(put.request.options.headers['content-length'])).toBeGreaterThan(30_003);
    expect(sha256((await s3.get(url, { responseType: 'buffer' })).body)).toBe(sha256(Buffer.concat(parts)));
  });

  it('uploads an empty stream as a plain signed empty body', async () => {
    const url = `${rgw.endpoint}/${bucket}/empty.bin`;
    const put = await s3.put(url, { body: Readable.from([]), headers: { 'content-length': '0' } });
    expect(put.statusCode, put.body).toBe(200);
    expect((await s3.get(url, { responseType: 'buffer' })).body.byteLength).toBe(0);
  });

  it('fails with StreamRetryError, not a wrong body, when a retry needs the stream again', async () => {
    proxy.fail(503, 1);
    const retrying = got.extend(
      { retry: { limit: 2, methods: ['PUT'], calculateDelay: ({ computedValue }) => (computedValue > 0 ? 1 : 0) } },
      createAws4Hooks({ region: rgw.region, service: 's3', credentials: { accessKeyId: rgw.accessKeyId, secretAccessKey: rgw.secretAccessKey } }),
    );
    const data = randomBytes(100_000);
    const file = join(dir, 'retried.bin');
    await writeFile(file, data);
    const error = await retrying.put(`${proxy.origin}/${bucket}/retried.bin`, { body: createReadStream(file) }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RequestError);
    // got 14 asks the plugin to sign the retry, which refuses with StreamRetryError; got 16 refuses the retry
    // of a consumed stream itself. Either way no wrong body is sent.
    const refusedByPlugin = (error as RequestError).cause instanceof StreamRetryError && (error as RequestError).code === 'ERR_AWS4_STREAM_RETRY';
    const refusedByGot = /consumed body stream/.test((error as RequestError).message);
    expect(refusedByPlugin || refusedByGot, (error as RequestError).message).toBe(true);
    const stored = await s3.head(`${rgw.endpoint}/${bucket}/retried.bin`);
    expect(stored.statusCode).toBe(404);
  });
});
