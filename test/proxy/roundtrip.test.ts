/**
 * A property of the proxy as a whole: whatever way a client sends a body (plain with a length, plain
 * chunked, with its own hash, aws-chunked signed or with an unsigned trailer, any chunk size, cut into any
 * pieces on the wire) and whichever upstream mode is configured, the upstream receives a request whose
 * signature an independent verifier (@smithy/signature-v4) accepts and whose body decodes (signed chunks
 * checked with plain node:crypto) to exactly the client's bytes. CI runs it bounded; PROXY_FC_RUNS scales it.
 */
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { request } from 'node:http';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signChunkedUpload, signRequest, type ChecksumAlgorithm, type SigningProxyOptions } from '../../src/index.js';
import { cutAt, decodeAwsChunked, type VerifyContext } from '../helpers/aws-chunked.js';
import { startVerifyingServer, type ReceivedRequest, type VerifyingServer } from '../helpers/verifying-server.js';
import { CLIENT_KEY, startProxy, REAL, type RunningProxy } from './support.js';

const RUNS = Number(process.env.PROXY_FC_RUNS ?? 25);
const MODES = ['signed', 'unsigned', 'buffered'] as const;
const scope = { region: 'us-east-1', service: 's3' } as const;

type Inbound =
  | { kind: 'plain-length' }
  | { kind: 'plain-chunked' }
  | { kind: 'client-hash' }
  | { kind: 'aws-chunked'; signed: boolean; chunkSize: number; checksum: ChecksumAlgorithm | undefined };

const inboundArb: fc.Arbitrary<Inbound> = fc.oneof(
  fc.constant({ kind: 'plain-length' } as const),
  fc.constant({ kind: 'plain-chunked' } as const),
  fc.constant({ kind: 'client-hash' } as const),
  fc.record({
    kind: fc.constant('aws-chunked' as const),
    signed: fc.boolean(),
    chunkSize: fc.integer({ min: 8192, max: 70_000 }),
    checksum: fc.constantFrom<ChecksumAlgorithm | undefined>(undefined, 'crc32', 'crc32c', 'sha256'),
  }).map((r) => (r.signed ? r : { ...r, checksum: r.checksum ?? 'crc32' })),
);

function hmac(key: Buffer | string, text: string): Buffer {
  return createHmac('sha256', key).update(text, 'utf8').digest();
}

/** What the upstream's signed chunks are checked against: the real key, derived here with plain node:crypto. */
function upstreamContext(seen: ReceivedRequest): VerifyContext {
  const authorization = String(seen.headers.authorization);
  const [, credential = '', signature = ''] = /Credential=([^,]+),.*Signature=([0-9a-f]{64})/.exec(authorization) ?? [];
  const [, date = '', region = '', service = ''] = credential.split('/');
  const key = hmac(hmac(hmac(hmac(`AWS4${REAL.secretAccessKey}`, date), region), service), 'aws4_request');
  return { signingKey: key, amzDate: String(seen.headers['x-amz-date']), credentialScope: `${date}/${region}/${service}/aws4_request`, seedSignature: signature };
}

/** The upstream request's body as the bytes the client meant. */
function upstreamBody(seen: ReceivedRequest): Buffer {
  if (!String(seen.headers['content-encoding'] ?? '').includes('aws-chunked')) return seen.body;
  const signed = String(seen.headers['x-amz-content-sha256']).startsWith('STREAMING-AWS4-HMAC-SHA256-PAYLOAD');
  return decodeAwsChunked(seen.body, signed ? upstreamContext(seen) : undefined).data;
}

async function build(url: string, inbound: Inbound, data: Buffer): Promise<{ headers: Record<string, string | string[]>; body: Buffer }> {
  switch (inbound.kind) {
    case 'plain-length':
      return { headers: { 'content-length': String(data.length) }, body: data };
    case 'plain-chunked':
      return { headers: { 'transfer-encoding': 'chunked' }, body: data };
    case 'client-hash':
      return { headers: signRequest({ method: 'PUT', url, body: data, headers: { 'content-length': String(data.length) } }, { credentials: CLIENT_KEY, ...scope }).headers, body: data };
    case 'aws-chunked': {
      const upload = signChunkedUpload({ method: 'PUT', url }, { credentials: CLIENT_KEY, ...scope }, { decodedLength: data.length, chunkSize: inbound.chunkSize, signed: inbound.signed, checksum: inbound.checksum });
      const pieces: Buffer[] = [];
      for await (const piece of upload.encode([data])) pieces.push(piece);
      return { headers: upload.signed.headers, body: Buffer.concat(pieces) };
    }
  }
}

function send(url: string, headers: Record<string, string | string[]>, pieces: readonly Buffer[]): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'PUT', headers }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    for (const piece of pieces) if (piece.length > 0) req.write(piece);
    req.end();
  });
}

/** A verifying upstream and one proxy per upstream mode in front of it, for the enclosing describe's tests. */
interface ModeProxies {
  readonly upstream: VerifyingServer;
  /** The proxy URL for a mode. */
  url(mode: (typeof MODES)[number]): string;
}

/** Starts the upstream and the proxies before the enclosing describe's tests and closes them after. */
function proxiesPerMode(extra: Pick<SigningProxyOptions, 'clientKeys'> = {}): ModeProxies {
  let upstream: VerifyingServer | undefined;
  const proxies = new Map<(typeof MODES)[number], RunningProxy>();
  beforeAll(async () => {
    upstream = await startVerifyingServer({ [REAL.accessKeyId]: REAL.secretAccessKey });
    for (const mode of MODES) proxies.set(mode, await startProxy({ upstreams: [{ url: upstream.origin, ...scope }], credentials: REAL, upstreamStreaming: mode, ...extra }));
  });
  afterAll(async () => {
    for (const proxy of proxies.values()) await proxy.close();
    await upstream?.close();
  });
  return {
    get upstream() {
      return upstream!;
    },
    url: (mode) => proxies.get(mode)!.url,
  };
}

describe('any changed byte of an aws-chunked body is refused and never completes upstream', () => {
  const fixture = proxiesPerMode({ clientKeys: [CLIENT_KEY] });

  it('holds for random positions and values, signed chunks or unsigned with a trailer, with client keys', async () => {
    const chunked = inboundArb.filter((i): i is Extract<Inbound, { kind: 'aws-chunked' }> => i.kind === 'aws-chunked');
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...MODES), chunked, fc.integer({ min: 1, max: 150_000 }), fc.nat(), fc.integer({ min: 1, max: 255 }), async (mode, inbound, size, at, flip) => {
        const data = randomBytes(size);
        const url = `${fixture.url(mode)}/bucket/object.bin`;
        const { headers, body } = await build(url, inbound, data);
        const position = at % body.length;
        body[position] = body[position]! ^ flip;
        const before = fixture.upstream.requests.length;
        const status = await send(url, headers, [body]).catch(() => 0);
        expect(status === 0 || (status >= 400 && status < 500), `status ${status}`).toBe(true);
        // The verifying server records a request only once its body ended: a destroyed one never is.
        await new Promise((resolve) => setTimeout(resolve, 20));
        expect(fixture.upstream.requests.length).toBe(before);
      }),
      { numRuns: RUNS },
    );
  }, 120_000);
});

/** Sends the first `cut` bytes and then destroys the connection. */
function sendAndHangUp(url: string, headers: Record<string, string | string[]>, body: Buffer, cut: number): Promise<void> {
  return new Promise((resolve) => {
    const req = request(url, { method: 'PUT', headers });
    req.on('error', () => resolve());
    req.on('response', (res) => {
      res.resume();
      resolve();
    });
    req.write(body.subarray(0, cut), () => setTimeout(() => {
      req.destroy();
      resolve();
    }, 10));
  });
}

describe('a client that hangs up mid-body', () => {
  const fixture = proxiesPerMode();

  it('never completes an upstream request, and the proxy keeps serving', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...MODES), inboundArb, fc.integer({ min: 2, max: 150_000 }), fc.nat(), async (mode, inbound, size, at) => {
        const data = randomBytes(size);
        const url = `${fixture.url(mode)}/bucket/object.bin`;
        const { headers, body } = await build(url, inbound, data);
        const before = fixture.upstream.requests.length;
        await sendAndHangUp(url, headers, body, 1 + (at % (body.length - 1)));
        await new Promise((resolve) => setTimeout(resolve, 30));
        expect(fixture.upstream.requests.length).toBe(before);
        expect(await send(`${fixture.url(mode)}/bucket/after.bin`, { 'content-length': '2' }, [Buffer.from('ok')])).toBe(200);
      }),
      { numRuns: RUNS },
    );
  }, 120_000);
});

describe('every body, every mode: the upstream gets exactly the client\'s bytes, validly signed', () => {
  const fixture = proxiesPerMode();

  it('holds for random sizes, encodings, chunk sizes, checksums and wire cuts', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...MODES),
        inboundArb,
        fc.integer({ min: 0, max: 200_000 }),
        fc.array(fc.nat(), { maxLength: 6 }),
        async (mode, inbound, size, cuts) => {
          const data = randomBytes(size);
          const url = `${fixture.url(mode)}/bucket/object.bin`;
          const { headers, body } = await build(url, inbound, data);
          const before = fixture.upstream.requests.length;
          expect(await send(url, headers, cutAt(body, cuts))).toBe(200);
          expect(fixture.upstream.requests.length).toBe(before + 1);
          const seen = fixture.upstream.requests.at(-1)!;
          expect(seen.verified, seen.problem).toBe(true);
          expect(createHash('sha256').update(upstreamBody(seen)).digest('hex')).toBe(createHash('sha256').update(data).digest('hex'));
        },
      ),
      { numRuns: RUNS },
    );
  }, 120_000);
});
