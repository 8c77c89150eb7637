/**
 * One clock offset per origin (red-team pass 2, finding 1): a `Date` from one signed origin moves the signing
 * time only for that origin; another origin's requests, and its skew retries, use their own offset; the number
 * of origins remembered is bounded.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import got from 'got';
import { createAws4Hooks, OriginClocks, DEFAULT_ORIGIN_CLOCKS } from '../../src/index.js';

const credentials = { accessKeyId: 'AKIDORIGINCLOCKS', secretAccessKey: 'originClocks/secret/0123456789abcdefghijk' };
const MINUTE = 60_000;

interface Origin { readonly url: string; readonly amzDates: number[]; close(): Promise<void> }

function amzTime(value: unknown): number {
  const x = String(value);
  return Date.parse(`${x.slice(0, 4)}-${x.slice(4, 6)}-${x.slice(6, 11)}:${x.slice(11, 13)}:${x.slice(13, 15)}Z`);
}

/** A server whose clock is `aheadMs` ahead and which refuses, like S3, a signing time more than 15 minutes off its clock. */
async function startOrigin(aheadMs: number, firstAnswer?: number): Promise<Origin> {
  const amzDates: number[] = [];
  const server = http.createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      const signedAt = amzTime(request.headers['x-amz-date']);
      amzDates.push(signedAt - Date.now());
      const serverNow = Date.now() + aheadMs;
      response.setHeader('date', new Date(serverNow).toUTCString());
      const tooSkewed = !(Math.abs(signedAt - serverNow) <= 15 * MINUTE) || (firstAnswer === 403 && amzDates.length === 1);
      response.statusCode = tooSkewed ? 403 : 200;
      response.end(tooSkewed ? '<Error><Code>RequestTimeTooSkewed</Code></Error>' : 'ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, amzDates, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

let ahead: Origin;
let right: Origin;
beforeAll(async () => {
  [ahead, right] = await Promise.all([startOrigin(30 * MINUTE), startOrigin(0)]);
});
afterAll(() => Promise.all([ahead.close(), right.close()]));

function client() {
  return got.extend({ retry: { limit: 0 }, throwHttpErrors: false }, createAws4Hooks({ region: 'us-east-1', service: 's3', credentials }));
}

describe('plugin: one clock offset per origin', () => {
  it('a streamed upload to a correct origin is not signed with the offset learned from a skewed origin', async () => {
    const s3 = client();
    const upload = () => s3.put(`${right.url}/bucket/key`, { body: Readable.from([Buffer.alloc(100_000, 1)]), headers: { 'content-length': '100000' } });
    expect((await upload()).statusCode).toBe(200);
    expect((await s3.get(`${ahead.url}/bucket/x`)).statusCode).toBe(200);
    expect((await upload()).statusCode).toBe(200);
    expect((await upload()).statusCode).toBe(200);
  });

  it('the skewed origin itself is signed with its own learned offset', async () => {
    const s3 = client();
    ahead.amzDates.length = 0;
    await s3.get(`${ahead.url}/learn`);
    await s3.get(`${right.url}/between`);
    await s3.get(`${ahead.url}/use`);
    expect(Math.abs((ahead.amzDates[1] as number) - 30 * MINUTE)).toBeLessThan(MINUTE);
  });

  it.each([14 * MINUTE, 20 * MINUTE, 60 * MINUTE, 24 * 60 * MINUTE])('a Date %d ms ahead from one signed origin (403 skew retry, then 200) leaves the other origin\'s x-amz-date on the local clock', async (offset) => {
    const skewed = await startOrigin(offset, 403);
    try {
      const aws = client();
      right.amzDates.length = 0;
      await aws.get(`${right.url}/before`);
      const retried = await aws.get(`${skewed.url}/skew`);
      expect(retried.statusCode).toBe(200);
      expect(skewed.amzDates).toHaveLength(2);
      await aws.get(`${skewed.url}/plain`);
      await aws.get(`${right.url}/after`);
      for (const delta of right.amzDates) expect(Math.abs(delta)).toBeLessThan(MINUTE);
    } finally {
      await skewed.close();
    }
  });
});

describe('OriginClocks', () => {
  it('keeps a separate offset for each origin', () => {
    const clocks = new OriginClocks();
    expect(clocks.for('http://a').observe(new Date(Date.now() + 30 * MINUTE).toUTCString())).toBe(true);
    expect(Math.abs(clocks.for('http://a').offsetMs - 30 * MINUTE)).toBeLessThan(2000);
    expect(clocks.for('http://b').offsetMs).toBe(0);
  });

  it('remembers at most its capacity, forgetting the least recently used origin', () => {
    const clocks = new OriginClocks(Date.now, 3);
    const first = clocks.for('http://1');
    clocks.for('http://2');
    clocks.for('http://3');
    expect(clocks.for('http://1')).toBe(first);
    clocks.for('http://4');
    expect(clocks.size).toBe(3);
    expect(clocks.peek('http://2')).toBeUndefined();
    expect(clocks.peek('http://1')).toBe(first);
  });

  it('stays bounded by the default capacity when a client talks to many hosts', () => {
    const clocks = new OriginClocks();
    for (let i = 0; i < DEFAULT_ORIGIN_CLOCKS * 4; i += 1) clocks.for(`http://host-${i}.example`);
    expect(clocks.size).toBe(DEFAULT_ORIGIN_CLOCKS);
  });
});
