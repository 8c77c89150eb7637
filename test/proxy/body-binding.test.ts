/**
 * With client keys, the body the proxy forwards is the body the client signed: a request signed over the
 * hash of one body and sent with another is refused in every upstream mode and framing, and never
 * completes upstream; a presigned non-S3 URL covers its body too. Upstreams are local verifying servers,
 * which record only requests that arrived complete.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { presignUrl, signRequest, type UpstreamStreaming } from '../../src/index.js';
import { hashPayload } from '../../src/signer/payload-hash.js';
import { startVerifyingServer, type VerifyingServer } from '../helpers/verifying-server.js';
import { CLIENT_KEY, rawRequest as send, startProxy, REAL, type RunningProxy } from './support.js';

const MODES: readonly UpstreamStreaming[] = ['signed', 'unsigned', 'buffered'];
/** Runs of the property below; PROXY_PROPERTY_RUNS raises them. */
const RUNS = Number(process.env.PROXY_PROPERTY_RUNS ?? 20);

/** Client-signed S3 PUT headers over `body`'s hash (header auth; content-length not signed). */
function signedPut(url: string, body: Buffer): Record<string, string> {
  const signed = signRequest(
    { method: 'PUT', url, headers: { 'x-amz-content-sha256': hashPayload(body) } },
    { credentials: CLIENT_KEY, region: 'eu-west-1', service: 's3' },
  );
  return signed.headers as Record<string, string>;
}

describe('with client keys, the forwarded body is the body the client signed', () => {
  let storage: VerifyingServer;
  let search: VerifyingServer;
  const proxies = new Map<UpstreamStreaming, RunningProxy>();

  beforeAll(async () => {
    storage = await startVerifyingServer({ [REAL.accessKeyId]: REAL.secretAccessKey });
    search = await startVerifyingServer({ [REAL.accessKeyId]: REAL.secretAccessKey });
    for (const mode of MODES) {
      proxies.set(
        mode,
        await startProxy({
          upstreams: [
            { url: storage.origin, service: 's3', region: 'eu-west-1' },
            { url: search.origin, service: 'es', region: 'eu-west-1' },
          ],
          credentials: REAL,
          clientKeys: [CLIENT_KEY],
          upstreamStreaming: mode,
        }),
      );
    }
  });

  afterAll(async () => {
    await Promise.all([...[...proxies.values()].map((p) => p.close()), storage.close(), search.close()]);
  });

  for (const mode of MODES) {
    for (const framing of ['length', 'chunked'] as const) {
      for (const size of [11, 300_000]) {
        it(`${mode} mode, ${framing} framing, ${size} bytes: a PUT signed over body A and sent with body B of the same length is refused 400 XAmzContentSHA256Mismatch and B never completes upstream`, async () => {
          const proxy = proxies.get(mode)!;
          const url = `${proxy.url}/bucket/swap-${mode}-${framing}-${size}`;
          const original = Buffer.alloc(size, 0x61);
          const swapped = Buffer.alloc(size, 0x62);
          const before = storage.requests.length;
          const answer = await send(url, 'PUT', signedPut(url, original), swapped, framing);
          expect(answer.status, answer.body).toBe(400);
          expect(answer.body).toContain('<Code>XAmzContentSHA256Mismatch</Code>');
          expect(storage.requests.slice(before).some((r) => r.body.includes(swapped.subarray(0, 11)))).toBe(false);
        });
      }
      it(`${mode} mode, ${framing} framing: the body that was signed goes through, byte for byte`, async () => {
        const proxy = proxies.get(mode)!;
        const url = `${proxy.url}/bucket/intact-${mode}-${framing}`;
        const original = Buffer.from('the body the client signed');
        const answer = await send(url, 'PUT', signedPut(url, original), original, framing);
        expect(answer.status, answer.body).toBe(200);
        expect(storage.requests.at(-1)!.body.equals(original)).toBe(true);
        expect(storage.requests.at(-1)!.verified, storage.requests.at(-1)!.problem).toBe(true);
      });
    }
  }

  it('property: any body that differs from the signed one (a changed, added or dropped byte) is refused in every mode and framing, and never completes upstream', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 200_000 }),
        fc.nat(),
        fc.constantFrom('flip', 'append', 'truncate'),
        fc.constantFrom(...MODES),
        fc.constantFrom('length' as const, 'chunked' as const),
        async (size, at, change, mode, framing) => {
          const proxy = proxies.get(mode)!;
          const url = `${proxy.url}/bucket/property`;
          const original = Buffer.alloc(size, 0x63);
          let sent = Buffer.from(original);
          if (change === 'flip') sent[at % size] = sent[at % size]! ^ 0x01;
          else if (change === 'append') sent = Buffer.concat([sent, Buffer.from('!')]);
          else sent = sent.subarray(0, size - 1);
          const before = storage.requests.length;
          const answer = await send(url, 'PUT', signedPut(url, original), sent, framing);
          expect(answer.status).toBe(400);
          expect(answer.body).toContain('XAmzContentSHA256Mismatch');
          expect(storage.requests.length).toBe(before);
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('a PUT signed over a non-empty body and sent with none is refused', async () => {
    const proxy = proxies.get('signed')!;
    const url = `${proxy.url}/bucket/emptied`;
    const before = storage.requests.length;
    const answer = await send(url, 'PUT', signedPut(url, Buffer.from('something')), Buffer.alloc(0), 'length');
    expect(answer.status).toBe(400);
    expect(answer.body).toContain('XAmzContentSHA256Mismatch');
    expect(storage.requests.length).toBe(before);
  });

  it('a presigned es POST (botocore signs the body hash, here of no body) is refused with any other body, and accepted with its own', async () => {
    const proxy = proxies.get('signed')!;
    const before = search.requests.length;
    for (const body of ['{"query":{"match_all":{}}}', 'x'.repeat(1000)]) {
      const url = presignUrl({ method: 'POST', url: `${proxy.url}/logs/_search` }, { credentials: CLIENT_KEY, region: 'eu-west-1', service: 'es', expiresIn: 300 });
      const answer = await send(url, 'POST', { 'content-type': 'application/json' }, Buffer.from(body), 'length');
      expect(answer.status, answer.body).toBe(403);
      expect(answer.body).toContain('<Code>SignatureDoesNotMatch</Code>');
    }
    expect(search.requests.length).toBe(before);
    const body = '{"size":0}';
    const url = presignUrl({ method: 'POST', url: `${proxy.url}/logs/_search`, body }, { credentials: CLIENT_KEY, region: 'eu-west-1', service: 'es', expiresIn: 300 });
    const answer = await send(url, 'POST', { 'content-type': 'application/json' }, Buffer.from(body), 'length');
    expect(answer.status, answer.body).toBe(200);
    expect(search.requests.at(-1)!.body.toString()).toBe(body);
  });
});
