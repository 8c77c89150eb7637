/**
 * What the proxy refuses, end to end against RGW: tampered and malformed aws-chunked bodies (signed, with
 * and without client keys; the unsigned trailer mode), bodies cut short, bad header and presigned
 * signatures. A refused upload must stop the upstream request before it completes: the object must not
 * exist on RGW afterwards. Inbound requests are signed here with the project's own signer; the project's
 * got plugin is a client too.
 */
import { createHash, randomBytes } from 'node:crypto';
import { request, type IncomingHttpHeaders } from 'node:http';
import { Readable } from 'node:stream';
import got from 'got';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { aws4Hooks, encodeChunked, presignUrl, signChunkedUpload, signRequest, STREAMING_UNSIGNED_PAYLOAD_TRAILER } from '../../src/index.js';
import { uniqueBucketName, type RgwServer } from '../helpers/rgw.js';
import { CLIENT_KEY, OTHER_KEY, continueRequest, startRgwProxy, type RunningProxy } from './support.js';

const rgw: RgwServer = inject('rgw');
const sha = (data: Uint8Array): string => createHash('sha256').update(data).digest('hex');
const scope = { region: rgw.region, service: 's3' } as const;

interface RawAnswer {
  status: number;
  body: string;
  headers: IncomingHttpHeaders;
}

/** Sends `body` in pieces; with `cutAfter`, destroys the connection after that many bytes instead of finishing. */
function send(url: string, method: string, headers: Record<string, string | string[]>, body: Buffer, cutAfter?: number): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (piece: string) => (text += piece));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text, headers: res.headers }));
    });
    req.on('error', (error) => (cutAfter === undefined ? reject(error) : resolve({ status: 0, body: String(error), headers: {} })));
    if (cutAfter !== undefined) {
      req.write(body.subarray(0, cutAfter), () => setTimeout(() => req.destroy(), 200));
      return;
    }
    for (let i = 0; i < body.length; i += 16 * 1024) req.write(body.subarray(i, i + 16 * 1024));
    req.end();
  });
}

/** A signed aws-chunked upload to the proxy, encoded in full; `tamper` may change the encoded bytes. */
async function chunkedUpload(proxy: RunningProxy, key: string, data: Buffer, options: { checksum?: 'crc32'; signed?: boolean; credentials?: typeof CLIENT_KEY } = {}) {
  const url = `${proxy.url}/${key}`;
  const upload = signChunkedUpload({ method: 'PUT', url }, { credentials: options.credentials ?? CLIENT_KEY, ...scope }, {
    decodedLength: data.length,
    chunkSize: 64 * 1024,
    checksum: options.checksum,
    signed: options.signed,
  });
  const pieces: Buffer[] = [];
  for await (const piece of upload.encode([data])) pieces.push(piece);
  return { url, headers: upload.signed.headers, encoded: Buffer.concat(pieces) };
}

describe.each([
  ['with client keys, upstream signed chunks', { clientKeys: [CLIENT_KEY] }],
  ['with client keys, upstream UNSIGNED-PAYLOAD', { clientKeys: [CLIENT_KEY], upstreamStreaming: 'unsigned' as const }],
  ['without client keys, upstream signed chunks', {}],
  ['without client keys, upstream UNSIGNED-PAYLOAD', { upstreamStreaming: 'unsigned' as const }],
])('aws-chunked uploads through the proxy to RGW, %s', (_name, options) => {
  let proxy: RunningProxy;
  const bucket = uniqueBucketName('proxy-tamper');
  const admin = got.extend({ throwHttpErrors: false, retry: { limit: 0 } }, aws4Hooks({ ...scope, credentials: { accessKeyId: rgw.accessKeyId, secretAccessKey: rgw.secretAccessKey } }));
  const exists = async (key: string): Promise<number> => (await admin.head(`${rgw.endpoint}/${bucket}/${key}`)).statusCode;

  beforeAll(async () => {
    proxy = await startRgwProxy(rgw, options);
    expect((await admin.put(`${rgw.endpoint}/${bucket}`)).statusCode).toBe(200);
  });

  afterAll(async () => {
    const list = await admin.get(`${rgw.endpoint}/${bucket}?list-type=2`);
    for (const [, key] of list.body.matchAll(/<Key>([^<]*)<\/Key>/g)) await admin.delete(`${rgw.endpoint}/${bucket}/${key!}`);
    await admin.delete(`${rgw.endpoint}/${bucket}`);
    await proxy.close();
  });

  it('stores an intact signed upload with a CRC32 trailer byte for byte', async () => {
    const data = randomBytes(300_000);
    const { url, headers, encoded } = await chunkedUpload(proxy, `${bucket}/intact.bin`, data, { checksum: 'crc32' });
    const answer = await send(url, 'PUT', headers, encoded);
    expect(answer.status, answer.body).toBe(200);
    expect(sha(await admin.get(`${rgw.endpoint}/${bucket}/intact.bin`).buffer())).toBe(sha(data));
  });

  it('refuses a body with one data byte changed in its last chunk, and RGW holds no object', async () => {
    const data = randomBytes(300_000);
    const { url, headers, encoded } = await chunkedUpload(proxy, `${bucket}/tampered.bin`, data, { checksum: 'crc32' });
    encoded[encoded.length - 300] = encoded[encoded.length - 300]! ^ 0x01;
    const answer = await send(url, 'PUT', headers, encoded);
    expect([400, 403]).toContain(answer.status);
    expect(answer.body).toMatch(/<Code>(SignatureDoesNotMatch|BadDigest)<\/Code>/);
    expect(await exists('tampered.bin')).toBe(404);
  });

  it('refuses a malformed chunk size, and RGW holds no object', async () => {
    const data = randomBytes(200_000);
    const { url, headers, encoded } = await chunkedUpload(proxy, `${bucket}/malformed.bin`, data);
    const text = encoded.toString('latin1');
    const second = text.indexOf('10000;chunk-signature=', 10);
    const broken = Buffer.from(`${text.slice(0, second)}1000G${text.slice(second + 5)}`, 'latin1');
    const answer = await send(url, 'PUT', headers, broken);
    expect(answer.status).toBe(400);
    expect(await exists('malformed.bin')).toBe(404);
  });

  it('stores nothing when the client disconnects half way', async () => {
    const data = randomBytes(400_000);
    const { url, headers, encoded } = await chunkedUpload(proxy, `${bucket}/cut.bin`, data);
    await send(url, 'PUT', headers, encoded, 250_000);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await exists('cut.bin')).toBe(404);
  });

  it('STREAMING-UNSIGNED-PAYLOAD-TRAILER (what SDKs send for streams): intact is stored, a wrong CRC32 is refused with BadDigest and not stored', async () => {
    const data = randomBytes(150_000);
    const good = await chunkedUpload(proxy, `${bucket}/trailer.bin`, data, { checksum: 'crc32', signed: false });
    expect(good.headers['x-amz-content-sha256']).toBe(STREAMING_UNSIGNED_PAYLOAD_TRAILER);
    // Unsigned trailer mode still has a signed seed request: with client keys it must verify.
    expect((await send(good.url, 'PUT', good.headers, good.encoded)).status).toBe(200);
    expect(sha(await admin.get(`${rgw.endpoint}/${bucket}/trailer.bin`).buffer())).toBe(sha(data));
    const bad = await chunkedUpload(proxy, `${bucket}/bad-trailer.bin`, data, { checksum: 'crc32', signed: false });
    const text = bad.encoded.toString('latin1').replace(/x-amz-checksum-crc32:[^\r]+/, 'x-amz-checksum-crc32:AAAAAA==');
    const answer = await send(bad.url, 'PUT', bad.headers, Buffer.from(text, 'latin1'));
    expect(answer.status).toBe(400);
    expect(answer.body).toContain('<Code>BadDigest</Code>');
    expect(await exists('bad-trailer.bin')).toBe(404);
  });
});

describe('client keys: signatures the proxy refuses', () => {
  let proxy: RunningProxy;
  const bucket = uniqueBucketName('proxy-keys');

  beforeAll(async () => {
    proxy = await startRgwProxy(rgw, { clientKeys: [CLIENT_KEY] });
    const signed = signRequest({ method: 'PUT', url: `${proxy.url}/${bucket}` }, { credentials: CLIENT_KEY, ...scope });
    expect((await send(`${proxy.url}/${bucket}`, 'PUT', signed.headers, Buffer.alloc(0))).status).toBe(200);
  });

  afterAll(async () => {
    const api = got.extend({ throwHttpErrors: false, retry: { limit: 0 } }, aws4Hooks({ ...scope, credentials: CLIENT_KEY }));
    const list = await api.get(`${proxy.url}/${bucket}?list-type=2`);
    for (const [, key] of list.body.matchAll(/<Key>([^<]*)<\/Key>/g)) await api.delete(`${proxy.url}/${bucket}/${key!}`);
    await api.delete(`${proxy.url}/${bucket}`);
    await proxy.close();
  });

  it('the project\'s got plugin, signing with the client key, uploads a stream (signed chunks) and reads it back', async () => {
    const api = got.extend({ throwHttpErrors: false, retry: { limit: 0 } }, aws4Hooks({ ...scope, credentials: CLIENT_KEY }));
    const data = randomBytes(500_000);
    const put = await api.put(`${proxy.url}/${bucket}/got.bin`, { body: Readable.from([data]), headers: { 'content-length': String(data.length) } });
    expect(put.statusCode, put.body).toBe(200);
    expect(sha(await api.get(`${proxy.url}/${bucket}/got.bin`).buffer())).toBe(sha(data));
  });

  it('UNSIGNED-PAYLOAD bodies, signed in the header or presigned in the query, are stored byte for byte', async () => {
    const data = randomBytes(200_000);
    const url = `${proxy.url}/${bucket}/unsigned-payload.bin`;
    const signed = signRequest({ method: 'PUT', url, headers: { 'content-length': String(data.length) } }, { credentials: CLIENT_KEY, ...scope, payloadHash: 'UNSIGNED-PAYLOAD' });
    expect((await send(url, 'PUT', signed.headers, data)).status).toBe(200);
    const presigned = presignUrl({ method: 'PUT', url: `${proxy.url}/${bucket}/presigned-put.bin` }, { credentials: CLIENT_KEY, ...scope, expiresIn: 60 });
    expect((await send(presigned, 'PUT', { 'content-length': String(data.length) }, data)).status).toBe(200);
    const api = got.extend({ retry: { limit: 0 } }, aws4Hooks({ ...scope, credentials: CLIENT_KEY }));
    for (const key of ['unsigned-payload.bin', 'presigned-put.bin']) expect(sha(await api.get(`${proxy.url}/${bucket}/${key}`).buffer())).toBe(sha(data));
  });

  it('an unsigned request gets 403 AccessDenied', async () => {
    const answer = await got(`${proxy.url}/${bucket}?list-type=2`, { throwHttpErrors: false, retry: { limit: 0 } });
    expect(answer.statusCode).toBe(403);
    expect(answer.body).toContain('<Code>AccessDenied</Code>');
  });

  it('a request signed with an unknown key gets 403 InvalidAccessKeyId, a wrong secret 403 SignatureDoesNotMatch', async () => {
    const unknown = signRequest({ method: 'GET', url: `${proxy.url}/${bucket}` }, { credentials: OTHER_KEY, ...scope });
    expect((await send(`${proxy.url}/${bucket}`, 'GET', unknown.headers, Buffer.alloc(0))).body).toContain('<Code>InvalidAccessKeyId</Code>');
    const wrong = signRequest({ method: 'GET', url: `${proxy.url}/${bucket}` }, { credentials: { accessKeyId: CLIENT_KEY.accessKeyId, secretAccessKey: OTHER_KEY.secretAccessKey }, ...scope });
    const answer = await send(`${proxy.url}/${bucket}`, 'GET', wrong.headers, Buffer.alloc(0));
    expect(answer.status).toBe(403);
    expect(answer.body).toContain('<Code>SignatureDoesNotMatch</Code>');
  });

  it('a refused upload with Expect: 100-continue gets its 403 before sending the body', async () => {
    const body = randomBytes(1_000_000);
    const signed = signRequest({ method: 'PUT', url: `${proxy.url}/${bucket}/expect.bin`, body }, { credentials: OTHER_KEY, ...scope });
    const answer = await continueRequest(`${proxy.url}/${bucket}/expect.bin`, 'PUT', signed.headers, body);
    expect(answer).toEqual({ status: 403, continued: false });
    // A good key gets 100 Continue and the upload goes through.
    const good = signRequest({ method: 'PUT', url: `${proxy.url}/${bucket}/expect.bin`, body }, { credentials: CLIENT_KEY, ...scope });
    const accepted = await new Promise<number>((resolve, reject) => {
      const req = request(`${proxy.url}/${bucket}/expect.bin`, { method: 'PUT', headers: { ...good.headers, expect: '100-continue', 'content-length': String(body.length) } });
      req.on('continue', () => req.end(body));
      req.on('response', (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      });
      req.on('error', reject);
      req.flushHeaders();
    });
    expect(accepted).toBe(200);
  });

  it('a signed header changed after signing is refused', async () => {
    const signed = signRequest({ method: 'PUT', url: `${proxy.url}/${bucket}/meta.txt`, headers: { 'x-amz-meta-owner': 'alice' }, body: 'x' }, { credentials: CLIENT_KEY, ...scope });
    const answer = await send(`${proxy.url}/${bucket}/meta.txt`, 'PUT', { ...signed.headers, 'x-amz-meta-owner': 'mallory' }, Buffer.from('x'));
    expect(answer.status).toBe(403);
  });

  it('a presigned GET made with the client key works; one signed with another key, or expired, does not', async () => {
    const api = got.extend({ throwHttpErrors: false, retry: { limit: 0 } }, aws4Hooks({ ...scope, credentials: CLIENT_KEY }));
    expect((await api.put(`${proxy.url}/${bucket}/shared.txt`, { body: 'shared' })).statusCode).toBe(200);
    const good = presignUrl({ method: 'GET', url: `${proxy.url}/${bucket}/shared.txt` }, { credentials: CLIENT_KEY, ...scope, expiresIn: 60 });
    const ok = await got(good, { throwHttpErrors: false, retry: { limit: 0 } });
    expect(ok.statusCode).toBe(200);
    expect(ok.body).toBe('shared');
    const stranger = presignUrl({ method: 'GET', url: `${proxy.url}/${bucket}/shared.txt` }, { credentials: OTHER_KEY, ...scope, expiresIn: 60 });
    expect((await got(stranger, { throwHttpErrors: false, retry: { limit: 0 } })).statusCode).toBe(403);
    const expired = presignUrl({ method: 'GET', url: `${proxy.url}/${bucket}/shared.txt` }, { credentials: CLIENT_KEY, ...scope, expiresIn: 1, date: new Date(Date.now() - 60_000) });
    expect((await got(expired, { throwHttpErrors: false, retry: { limit: 0 } })).statusCode).toBe(403);
    // The access log never holds a query: a presigned URL carries its signature there.
    expect(proxy.log.some((e) => e.path === `/${bucket}/shared.txt` && e.status === 200)).toBe(true);
    expect(proxy.log.every((e) => !/X-Amz-|\?/.test(e.path))).toBe(true);
  });
});
