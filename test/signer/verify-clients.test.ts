/**
 * Requests from clients nobody here wrote verify: @aws-sdk/client-s3 (newest, default checksums: a string,
 * a Buffer and a stream PutObject, the last as STREAMING-UNSIGNED-PAYLOAD-TRAILER whose body the decoder
 * verifies), ListObjectsV2 and DeleteObjects, and Debian's AWS CLI v2 (/usr/bin/aws) with put-object, cp
 * of a non-ASCII key, list-objects-v2 and a presigned URL fetched with fetch(). The server answers every request 200 with a
 * minimal S3 response; what it records is what the verifier and the decoder said.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { promisify } from 'node:util';
import { DeleteObjectsCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createChunkedDecoder, createSigV4Verifier } from '../../src/signer/index.js';

const CLIENT = { accessKeyId: 'AKIDCLIENTSTEST', secretAccessKey: 'cLiEnTsTeStSeCrEtKeY0123456789AbCdEfGhIj' };
const AWS_CLI = '/usr/bin/aws';
const run = promisify(execFile);

interface Seen {
  readonly method: string;
  readonly url: string;
  readonly verdict: string;
  readonly mode?: string;
  readonly payloadHash?: string;
  readonly bytes: number;
  readonly trailers?: readonly (readonly [string, string])[];
}

const verify = createSigV4Verifier({ clientKeys: { [CLIENT.accessKeyId]: CLIENT.secretAccessKey }, service: 's3', region: 'us-east-1' });

async function receive(req: IncomingMessage): Promise<Seen> {
  const result = verify({ method: req.method ?? 'GET', url: req.url ?? '/', headers: req.headersDistinct });
  let bytes = 0;
  const count = new Writable({
    write(piece: Buffer, _encoding, callback) {
      bytes += piece.length;
      callback();
    },
  });
  if (!result.ok) {
    await pipeline(req, count);
    return { method: req.method ?? '', url: req.url ?? '', verdict: result.reason, bytes };
  }
  if (!result.payloadHash.startsWith('STREAMING-')) {
    await pipeline(req, count);
    return { method: req.method ?? '', url: req.url ?? '', verdict: 'ok', mode: result.mode, payloadHash: result.payloadHash, bytes };
  }
  const decoder = createChunkedDecoder({
    payloadHash: result.payloadHash,
    seed: result,
    trailer: req.headersDistinct['x-amz-trailer'],
    decodedLength: req.headersDistinct['x-amz-decoded-content-length'],
  });
  await pipeline(req, decoder, count);
  return { method: req.method ?? '', url: req.url ?? '', verdict: 'ok', mode: result.mode, payloadHash: result.payloadHash, bytes, trailers: decoder.trailers };
}

const EMPTY_LIST = '<?xml version="1.0" encoding="UTF-8"?><ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>b</Name><KeyCount>0</KeyCount><MaxKeys>1000</MaxKeys><IsTruncated>false</IsTruncated></ListBucketResult>';
const EMPTY_DELETE = '<?xml version="1.0" encoding="UTF-8"?><DeleteResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"></DeleteResult>';

describe('verifySigV4 and the decoder accept what real S3 clients send', () => {
  let server: Server;
  let endpoint: string;
  const seen: Seen[] = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      receive(req).then(
        (record) => {
          seen.push(record);
          res.writeHead(200, { 'content-type': 'application/xml', etag: '"0"' });
          res.end(req.method === 'GET' ? EMPTY_LIST : req.method === 'POST' ? EMPTY_DELETE : '');
        },
        (error: unknown) => {
          seen.push({ method: req.method ?? '', url: req.url ?? '', verdict: `error: ${(error as Error).message}`, bytes: 0 });
          res.writeHead(400).end();
        },
      );
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  it('@aws-sdk/client-s3: PutObject (string, Buffer, stream with a CRC32 trailer), ListObjectsV2, DeleteObjects', async () => {
    const s3 = new S3Client({ endpoint, forcePathStyle: true, region: 'us-east-1', credentials: CLIENT });
    const data = randomBytes(100_000);
    seen.length = 0;
    await s3.send(new PutObjectCommand({ Bucket: 'b', Key: 'sdk/string x.txt', Body: 'hello world' }));
    await s3.send(new PutObjectCommand({ Bucket: 'b', Key: 'sdk/buffer.bin', Body: data }));
    await s3.send(new PutObjectCommand({ Bucket: 'b', Key: 'sdk/stream é.bin', Body: Readable.from([data.subarray(0, 30_000), data.subarray(30_000)]), ContentLength: data.length }));
    await s3.send(new ListObjectsV2Command({ Bucket: 'b', Prefix: 'sdk/' }));
    await s3.send(new DeleteObjectsCommand({ Bucket: 'b', Delete: { Objects: [{ Key: 'a' }, { Key: 'b c' }] } }));
    s3.destroy();
    expect(seen.map((s) => s.verdict)).toEqual(['ok', 'ok', 'ok', 'ok', 'ok']);
    expect(seen.map((s) => s.bytes).slice(0, 3)).toEqual([11, 100_000, 100_000]);
    expect(seen[2]).toMatchObject({ payloadHash: 'STREAMING-UNSIGNED-PAYLOAD-TRAILER', trailers: [['x-amz-checksum-crc32', expect.any(String)]] });
  });

  it.skipIf(!existsSync(AWS_CLI))('the AWS CLI (Debian\'s v2): put-object, cp of a non-ASCII key, list-objects-v2, and a presigned URL', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'verify-clients-'));
    const file = join(dir, 'file.bin');
    writeFileSync(file, randomBytes(300_000));
    const env = { ...process.env, AWS_ACCESS_KEY_ID: CLIENT.accessKeyId, AWS_SECRET_ACCESS_KEY: CLIENT.secretAccessKey, AWS_DEFAULT_REGION: 'us-east-1', AWS_CONFIG_FILE: join(dir, 'none'), AWS_SHARED_CREDENTIALS_FILE: join(dir, 'none') };
    const aws = (...args: string[]) => run(AWS_CLI, ['--endpoint-url', endpoint, ...args], { env, timeout: 60_000 });
    seen.length = 0;
    await aws('s3api', 'put-object', '--bucket', 'b', '--key', 'dir/a b+c.bin', '--body', file);
    await aws('s3', 'cp', file, 's3://b/x/é ü.bin');
    await aws('s3api', 'list-objects-v2', '--bucket', 'b', '--prefix', 'pre/');
    const { stdout } = await aws('s3', 'presign', 's3://b/k', '--expires-in', '600');
    const response = await fetch(stdout.trim());
    await response.arrayBuffer();
    expect(seen.map((s) => `${s.method} ${s.verdict} ${s.mode}`)).toEqual(['PUT ok header', 'PUT ok header', 'GET ok header', 'GET ok query']);
    expect(seen.map((s) => s.bytes)).toEqual([300_000, 300_000, 0, 0]);
  }, 120_000);
});
