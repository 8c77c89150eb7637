/**
 * Which canonical path does a real S3 server verify, for object keys with `/`, a literal `%2F`, spaces, `+`
 * and non-ASCII characters, and for hand-written wire paths that no SDK would build (`%2F` for a slash,
 * a raw `+`, `%41` for `A`, lower-case hex)? Each PUT is signed by one client for the exact path that client
 * sends, and sent to Ceph RGW as is:
 *
 * - `ours`: this project's `signRequest` (S3: the key decoded and encoded exactly once);
 * - `smithy`: `@smithy/signature-v4` as `@aws-sdk/client-s3` uses it (`uriEscapePath: false`: the path as sent);
 * - `botocore`: `S3SigV4Auth` (the path as sent).
 *
 * The table of answers is asserted, and every request must pass `verifySigV4`; through the signing proxy with
 * client keys (which verifies, then re-signs with the signer's form), every client's request is stored.
 */
import { createHash } from 'node:crypto';
import http from 'node:http';
import { Hash } from '@smithy/hash-node';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { signRequest, verifySigV4 } from '../../src/signer/index.js';
import { BotocoreOracle, INSTALL_TIMEOUT_MS } from '../helpers/botocore.js';
import { uniqueBucketName, type RgwServer } from '../helpers/rgw.js';
import { CLIENT_KEY, startRgwProxy } from '../proxy/support.js';

const rgw: RgwServer = inject('rgw');
const EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
const BODY = 'key-path';
const BODY_SHA256 = createHash('sha256').update(BODY).digest('hex');

type Client = 'ours' | 'smithy' | 'botocore';
const CLIENTS: readonly Client[] = ['ours', 'smithy', 'botocore'];

interface Signed {
  readonly headers: Record<string, string>;
}

/** How an SDK (and botocore's serializer) writes a key into the path: each segment percent-encoded, `/` kept. */
function sdkPath(bucket: string, key: string): string {
  const encode = (segment: string) => encodeURIComponent(segment).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `/${bucket}/${key.split('/').map(encode).join('/')}`;
}

let botocore: BotocoreOracle;

/** Where a request goes and with which key: RGW itself, or the signing proxy in front of it. */
interface Target {
  readonly hostname: string;
  readonly port: number;
  readonly keys: { accessKeyId: string; secretAccessKey: string };
}

let direct: Target;

async function sign(client: Client, method: string, path: string, payloadHash: string, date: Date, target: Target = direct): Promise<Signed> {
  const host = `${target.hostname}:${target.port}`;
  const credentials = target.keys;
  const base = { host, 'x-amz-content-sha256': payloadHash };
  if (client === 'ours') {
    const signed = signRequest({ method, url: `http://${host}${path}`, headers: base }, { credentials, region: rgw.region, service: 's3', date, payloadHash });
    return { headers: signed.headers as Record<string, string> };
  }
  if (client === 'smithy') {
    const signer = new SignatureV4({ credentials, region: rgw.region, service: 's3', sha256: Hash.bind(null, 'sha256'), uriEscapePath: false, applyChecksum: true });
    const request = new HttpRequest({ method, protocol: 'http:', hostname: target.hostname, port: target.port, path, headers: { ...base } });
    const signed = await signer.sign(request, { signingDate: date });
    return { headers: signed.headers as Record<string, string> };
  }
  const answer = await botocore.sign({
    signer: 's3v4',
    method,
    url: `http://${host}${path}`,
    headers: Object.entries(base),
    region: rgw.region,
    service: 's3',
    credentials,
    date,
    body: method === 'PUT' ? BODY : undefined,
    detail: true,
  });
  return { headers: Object.fromEntries(answer.headers ?? []) };
}

function send(method: string, path: string, headers: Record<string, string>, body?: string, target: Target = direct): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ hostname: target.hostname, port: target.port, method, path, headers: { ...headers, ...(body === undefined ? {} : { 'content-length': String(body.length) }) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** Signs a PUT of `path` with `client`, sends it, and checks the same request with verifySigV4. */
async function put(client: Client, path: string, target: Target = direct): Promise<{ rgw: number; verify: string }> {
  const date = new Date();
  const { headers } = await sign(client, 'PUT', path, BODY_SHA256, date, target);
  const answer = await send('PUT', path, headers, BODY, target);
  const verdict = verifySigV4(
    { method: 'PUT', url: path, headers: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v])) },
    { clientKeys: { [target.keys.accessKeyId]: target.keys.secretAccessKey }, service: 's3' },
  );
  return { rgw: answer.status, verify: verdict.ok ? 'ok' : verdict.reason };
}

describe('S3 object keys and wire paths: what Ceph RGW verifies, signed by this signer, @smithy/signature-v4 and botocore', () => {
  const bucket = uniqueBucketName('keypaths');

  beforeAll(async () => {
    direct = { hostname: rgw.hostname, port: rgw.port, keys: { accessKeyId: rgw.accessKeyId, secretAccessKey: rgw.secretAccessKey } };
    botocore = BotocoreOracle.start();
    const { headers } = await sign('ours', 'PUT', `/${bucket}`, EMPTY_SHA256, new Date());
    expect((await send('PUT', `/${bucket}`, headers)).status).toBe(200);
  }, INSTALL_TIMEOUT_MS);

  afterAll(async () => {
    await botocore?.close();
  });

  /** Each client's PUT of `path`: RGW's status and verifySigV4's verdict, as `client rgw/verify`. */
  async function table(path: string): Promise<string[]> {
    const results = await Promise.all(CLIENTS.map((client) => put(client, path)));
    return CLIENTS.map((client, i) => `${client} ${results[i]?.rgw}/${results[i]?.verify}`);
  }

  it.each([['dir/sub/a.txt'], ['lit%2Fpercent'], ['with space'], ['a+b'], ['caf\u00e9 \u00fc/\u65e5\u672c'], ["q!'()*~"]])(
    'key %j on the path an SDK builds: all three sign the same, RGW and verifySigV4 accept each',
    async (key) => {
      expect(await table(sdkPath(bucket, key))).toEqual(['ours 200/ok', 'smithy 200/ok', 'botocore 200/ok']);
    },
    30_000,
  );

  // RGW decodes the path and encodes it once (as this signer does); botocore and the SDK sign it as sent.
  it.each([['/K%2Fslash'], ['/x%2fy'], ['/a+raw'], ['/%41bc'], ['/caf%c3%a9'], ['/semi;colon=eq,comma'], ['/at@colon:dollar$']])(
    'hand-written wire path %s: RGW accepts only this signer\'s form, verifySigV4 accepts what each client signed',
    async (tail) => {
      expect(await table(`/${bucket}${tail}`)).toEqual(['ours 200/ok', 'smithy 403/ok', 'botocore 403/ok']);
    },
    30_000,
  );

  it('through the signing proxy with client keys, each client\'s signature of every hand-written path is verified and the object stored', async () => {
    const proxy = await startRgwProxy(rgw, { clientKeys: [CLIENT_KEY] });
    try {
      const viaProxy: Target = { hostname: '127.0.0.1', port: proxy.port, keys: CLIENT_KEY };
      for (const tail of ['/K%2Fslash', '/a+raw', '/%41bc', '/caf%c3%a9', '/semi;colon=eq,comma']) {
        const results = await Promise.all(CLIENTS.map((client) => put(client, `/${bucket}/proxied${tail}`, viaProxy)));
        expect(results.map((r) => `${r.rgw}/${r.verify}`), tail).toEqual(['200/ok', '200/ok', '200/ok']);
      }
    } finally {
      await proxy.close();
    }
  }, 60_000);
});
