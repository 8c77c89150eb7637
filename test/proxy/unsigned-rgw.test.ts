/**
 * Clients that cannot sign, through the proxy to RGW: curl and plain got (no plugin). The proxy signs
 * each request for the configured upstream. Also what the proxy itself answers: the health endpoint,
 * CONNECT, absolute-form (forward-proxy) requests, and services it was told not to sign for.
 */
import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import got from 'got';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { HEALTH_PATH } from '../../src/index.js';
import { uniqueBucketName, type RgwServer } from '../helpers/rgw.js';
import { startRgwProxy, type RunningProxy } from './support.js';

const rgw: RgwServer = inject('rgw');
const run = promisify(execFile);
const sha = (data: Uint8Array | string): string => createHash('sha256').update(data).digest('hex');

async function curl(...args: string[]): Promise<{ status: number; body: string }> {
  const { stdout } = await run('curl', ['-sS', '-w', '\n%{http_code}', ...args], { maxBuffer: 64 * 1024 * 1024, encoding: 'latin1' });
  const cut = stdout.lastIndexOf('\n');
  return { status: Number(stdout.slice(cut + 1)), body: stdout.slice(0, cut) };
}

/** Sends raw bytes and returns the raw answer. */
function rawExchange(port: number, text: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(text));
    let answer = '';
    socket.setEncoding('latin1');
    socket.on('data', (piece: string) => (answer += piece));
    socket.on('end', () => resolve(answer));
    socket.on('error', reject);
  });
}

describe('unsigned clients through the proxy to RGW', () => {
  let proxy: RunningProxy;
  let dir: string;
  const bucket = uniqueBucketName('proxy-unsigned');
  const plain = got.extend({ throwHttpErrors: false, retry: { limit: 0 } });

  beforeAll(async () => {
    proxy = await startRgwProxy(rgw);
    dir = mkdtempSync(join(tmpdir(), 'proxy-unsigned-'));
    const created = await curl('-X', 'PUT', `${proxy.url}/${bucket}`);
    expect(created.status, created.body).toBe(200);
  });

  afterAll(async () => {
    const list = await plain.get(`${proxy.url}/${bucket}?list-type=2`);
    for (const [, key] of list.body.matchAll(/<Key>([^<]*)<\/Key>/g)) await plain.delete(`${proxy.url}/${bucket}/${encodeURIComponent(key!)}`);
    await plain.delete(`${proxy.url}/${bucket}`);
    rmSync(dir, { recursive: true, force: true });
    await proxy.close();
  });

  it('curl: PUT a small file, a 3 MB file (signed chunks upstream) and a piped body of unknown length; GET each back byte for byte', async () => {
    const small = 'small body\n';
    const large = randomBytes(3 * 1024 * 1024);
    writeFileSync(join(dir, 'small.txt'), small);
    writeFileSync(join(dir, 'large.bin'), large);
    expect((await curl('-T', join(dir, 'small.txt'), `${proxy.url}/${bucket}/curl/small.txt`)).status).toBe(200);
    expect((await curl('-T', join(dir, 'large.bin'), `${proxy.url}/${bucket}/curl/large.bin`)).status).toBe(200);
    expect((await curl('-H', 'Transfer-Encoding: chunked', '-T', join(dir, 'large.bin'), `${proxy.url}/${bucket}/curl/piped.bin`)).status).toBe(200);
    expect((await curl(`${proxy.url}/${bucket}/curl/small.txt`)).body).toBe(small);
    for (const key of ['large.bin', 'piped.bin']) {
      const back = await plain.get(`${proxy.url}/${bucket}/curl/${key}`).buffer();
      expect(sha(back)).toBe(sha(large));
    }
  });

  it('curl: a missing object is RGW\'s own 404 NoSuchKey, passed through', async () => {
    const missing = await curl(`${proxy.url}/${bucket}/no-such-key`);
    expect(missing.status).toBe(404);
    expect(missing.body).toContain('<Code>NoSuchKey</Code>');
  });

  it('got without the plugin: PUT a Buffer and a stream, list, HEAD and GET through the proxy', async () => {
    const data = randomBytes(200_000);
    expect((await plain.put(`${proxy.url}/${bucket}/got/buffer.bin`, { body: data })).statusCode).toBe(200);
    const streamed = await plain.put(`${proxy.url}/${bucket}/got/stream.bin`, { body: (async function* () { yield data.subarray(0, 1000); yield data.subarray(1000); })() });
    expect(streamed.statusCode, streamed.body).toBe(200);
    const head = await plain.head(`${proxy.url}/${bucket}/got/buffer.bin`);
    expect(head.headers['content-length']).toBe(String(data.length));
    for (const key of ['buffer.bin', 'stream.bin']) expect(sha(await plain.get(`${proxy.url}/${bucket}/got/${key}`).buffer())).toBe(sha(data));
    const list = await plain.get(`${proxy.url}/${bucket}?list-type=2&prefix=got/`);
    expect([...list.body.matchAll(/<Key>([^<]*)<\/Key>/g)].map((m) => m[1])).toEqual(['got/buffer.bin', 'got/stream.bin']);
  });

  it('serves 40 concurrent PUTs and GETs over its keep-alive upstream connections, every body intact', async () => {
    const bodies = Array.from({ length: 40 }, (_, i) => randomBytes(1_000 + i * 997));
    const puts = await Promise.all(bodies.map((body, i) => plain.put(`${proxy.url}/${bucket}/many/${i}`, { body })));
    expect(puts.map((r) => r.statusCode)).toEqual(bodies.map(() => 200));
    const back = await Promise.all(bodies.map((_, i) => plain.get(`${proxy.url}/${bucket}/many/${i}`).buffer()));
    back.forEach((data, i) => expect(sha(data)).toBe(sha(bodies[i]!)));
    await Promise.all(bodies.map((_, i) => plain.delete(`${proxy.url}/${bucket}/many/${i}`)));
  });

  it('answers its health endpoint without contacting the upstream', async () => {
    const health = await plain.get(`${proxy.url}${HEALTH_PATH}`).json<{ status: string }>();
    expect(health.status).toBe('ok');
  });

  it('refuses CONNECT with a message saying why', async () => {
    const answer = await rawExchange(proxy.port, 'CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n');
    expect(answer).toMatch(/^HTTP\/1\.1 405/);
    expect(answer).toContain('never opens tunnels');
  });

  it('refuses absolute-form (forward proxy) requests: it never signs for a host named in a request', async () => {
    const answer = await rawExchange(proxy.port, 'GET http://example.com/secret HTTP/1.1\r\nHost: example.com\r\nConnection: close\r\n\r\n');
    expect(answer).toMatch(/^HTTP\/1\.1 400/);
    expect(answer).toContain('not a forward proxy');
  });
});

describe('what the proxy refuses to sign', () => {
  it('a service outside allowServices gets 403 AccessDenied as AWS-style XML', async () => {
    const proxy = await startRgwProxy(rgw, { upstreams: [{ url: rgw.endpoint, service: 's3', region: rgw.region }], allowServices: ['es'] });
    try {
      const res = await got(`${proxy.url}/`, { throwHttpErrors: false, retry: { limit: 0 } });
      expect(res.statusCode).toBe(403);
      expect(res.body).toContain('<Code>AccessDenied</Code>');
      expect(proxy.log.at(-1)?.error).toBe('AccessDenied');
    } finally {
      await proxy.close();
    }
  });
});

describe('the upstream clock', () => {
  it('a proxy whose clock is an hour behind learns the upstream\'s time from its RequestTimeTooSkewed and sends the request again', async () => {
    const proxy = await startRgwProxy(rgw, { clock: () => Date.now() - 60 * 60_000 });
    try {
      const first = await got(`${proxy.url}/`, { throwHttpErrors: false, retry: { limit: 0 } });
      expect(first.statusCode, first.body).toBe(200);
      const second = await got.put(`${proxy.url}/${uniqueBucketName('proxy-skew')}`, { throwHttpErrors: false, retry: { limit: 0 } });
      expect(second.statusCode, second.body).toBe(200);
      await got.delete(`${proxy.url}${new URL(second.url).pathname}`, { throwHttpErrors: false, retry: { limit: 0 } });
    } finally {
      await proxy.close();
    }
  });
});
