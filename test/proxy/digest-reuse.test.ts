/**
 * A verified signed aws-chunked upload through the proxy is hashed once: the upstream's chunks are signed
 * with the digests the verifying decoder computed (every one, with the SDKs' 64 KiB chunks), and those
 * signatures are right: a local upstream verifies the request and every re-signed chunk with the real key.
 * A client that cuts its chunks differently gets the same, correct result without the reuse.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pipeline } from 'node:stream/promises';
import { Writable } from 'node:stream';
import { randomBytes } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createChunkedDecoder, createSigV4Verifier, signChunkedUpload } from '../../src/index.js';
import { ChunkDigestRelay } from '../../src/proxy/chunk-digests.js';
import { CLIENT_KEY, rawRequest, startProxy, REAL, type RunningProxy } from './support.js';

const scope = { region: 'eu-west-1', service: 's3' };

/** An upstream that verifies the request and every chunk signature with the real key, and keeps the decoded body. */
function chunkVerifyingUpstream(received: Buffer[]): Server {
  const verify = createSigV4Verifier({ clientKeys: { [REAL.accessKeyId]: REAL.secretAccessKey } });
  return createServer((req, res) => {
    const result = verify({ method: req.method ?? 'GET', url: req.url ?? '/', headers: req.headersDistinct });
    if (!result.ok) return void res.writeHead(403).end(result.awsCode);
    const pieces: Buffer[] = [];
    const decoder = createChunkedDecoder({ payloadHash: result.payloadHash, seed: result, decodedLength: req.headers['x-amz-decoded-content-length'] });
    const keep = new Writable({
      write: (piece: Buffer, _encoding, done) => {
        pieces.push(piece);
        done();
      },
    });
    pipeline(req, decoder, keep).then(
      () => {
        received.push(Buffer.concat(pieces));
        res.end('stored');
      },
      (error: unknown) => res.writeHead(400).end(String((error as Error).name)),
    );
  });
}

describe('signed uploads through the proxy with client keys', () => {
  const received: Buffer[] = [];
  let upstream: Server;
  let proxy: RunningProxy;

  beforeAll(async () => {
    upstream = chunkVerifyingUpstream(received);
    await new Promise<void>((done) => upstream.listen(0, '127.0.0.1', done));
    const origin = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
    proxy = await startProxy({ upstreams: [{ url: origin, ...scope }], credentials: REAL, clientKeys: [CLIENT_KEY] });
  });

  afterEach(() => {
    vi.restoreAllMocks();
  });

  afterAll(async () => {
    await proxy.close();
    await new Promise((done) => upstream.close(done));
  });

  async function upload(data: Buffer, chunkSize: number): Promise<{ status: number; body: string }> {
    const url = `${proxy.url}/bucket/reuse-${chunkSize}`;
    const signed = signChunkedUpload({ method: 'PUT', url }, { credentials: CLIENT_KEY, ...scope }, { decodedLength: data.length, chunkSize });
    const pieces: Buffer[] = [];
    for await (const piece of signed.encode([data])) pieces.push(piece);
    return rawRequest(url, 'PUT', signed.signed.headers as Record<string, string>, Buffer.concat(pieces), 'length');
  }

  it('with 64 KiB client chunks every upstream chunk reuses the verified digest, and the upstream verifies each re-signed chunk', async () => {
    const given = vi.spyOn(ChunkDigestRelay.prototype, 'digestOf');
    const data = randomBytes(5 * 65_536 + 1234);
    const answer = await upload(data, 65_536);
    expect(answer.status, answer.body).toBe(200);
    expect(received.at(-1)!.equals(data)).toBe(true);
    expect(given).toHaveBeenCalledTimes(6);
    expect(given.mock.results.every((r) => typeof r.value === 'string')).toBe(true);
  });

  it('the upstream really checks the re-signed chunks: a wrong reused digest is refused there', async () => {
    vi.spyOn(ChunkDigestRelay.prototype, 'digestOf').mockReturnValue('0'.repeat(64));
    const answer = await upload(randomBytes(2 * 65_536), 65_536);
    expect(answer.status).toBe(400);
  });

  it('with other client chunk sizes no digest fits, the encoder hashes itself, and the upload is just as right', async () => {
    const given = vi.spyOn(ChunkDigestRelay.prototype, 'digestOf');
    const data = randomBytes(300_000);
    const answer = await upload(data, 40_000);
    expect(answer.status, answer.body).toBe(200);
    expect(received.at(-1)!.equals(data)).toBe(true);
    expect(given.mock.results.every((r) => r.value === undefined)).toBe(true);
  });
});
