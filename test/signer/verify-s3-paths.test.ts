/**
 * S3 paths in every wire form: verifySigV4 accepts what a real S3 client signed for the path it sent.
 * botocore's `S3SigV4Auth` and `@smithy/signature-v4` with `uriEscapePath: false` (as `@aws-sdk/client-s3`
 * and its presigner use it) sign the path exactly as sent; this signer decodes it and encodes it exactly
 * once, which is also what Ceph RGW verifies (test/integration/s3-key-paths-rgw.test.ts). Both are
 * accepted, each only for the path that was sent; no other service gets the raw form.
 *
 * Bounded for CI; `VERIFY_S3_PATH_RUNS=20000` runs the property at scale.
 */
import { Hash } from '@smithy/hash-node';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { presignRequest, signRequest, verifySigV4, type VerifiableRequest, type VerifyResult } from '../../src/signer/index.js';

const RUNS = Number(process.env['VERIFY_S3_PATH_RUNS'] ?? 150);
const CLIENT = { accessKeyId: 'AKIDVERIFYCLIENT', secretAccessKey: 'vErIfYcLiEnTsEcReTkEy0123456789AbCdEfGh' };
const clientKeys = { [CLIENT.accessKeyId]: CLIENT.secretAccessKey };
const DATE = new Date('2026-06-01T10:20:30Z');
const HOST = 'bucket.s3.eu-west-1.amazonaws.com';

function smithy(service: string): SignatureV4 {
  return new SignatureV4({ credentials: CLIENT, region: 'eu-west-1', service, sha256: Hash.bind(null, 'sha256'), uriEscapePath: service !== 's3', applyChecksum: service === 's3' });
}

function smithyRequest(path: string, service: string): HttpRequest {
  const headers: Record<string, string> = { host: HOST };
  if (service === 's3') headers['x-amz-content-sha256'] = 'UNSIGNED-PAYLOAD';
  return new HttpRequest({ method: 'GET', protocol: 'https:', hostname: HOST, path, headers });
}

/** @smithy/signature-v4's header auth for `path`, as the SDK sends it: the path as given, signed as given for S3. */
async function smithySigned(path: string, service = 's3'): Promise<VerifiableRequest> {
  const signed = await smithy(service).sign(smithyRequest(path, service), { signingDate: DATE });
  return { method: 'GET', url: path, headers: signed.headers };
}

/** @smithy/signature-v4's presigned URL for `path` (S3 presigns UNSIGNED-PAYLOAD, as the SDK's presigner does). */
async function smithyPresigned(path: string): Promise<VerifiableRequest> {
  const presigned = await smithy('s3').presign(smithyRequest(path, 's3'), { signingDate: DATE, expiresIn: 600 });
  const query = Object.entries(presigned.query as Record<string, string>).map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('&');
  return { method: 'GET', url: `${path}?${query}`, headers: { host: HOST } };
}

function oursSigned(path: string): VerifiableRequest {
  const signed = signRequest({ method: 'GET', url: `https://${HOST}${path}` }, { credentials: CLIENT, region: 'eu-west-1', service: 's3', date: DATE, payloadHash: 'UNSIGNED-PAYLOAD' });
  return { method: 'GET', url: path, headers: signed.headers };
}

function oursPresigned(path: string): VerifiableRequest {
  const presigned = presignRequest({ method: 'GET', url: `https://${HOST}${path}` }, { credentials: CLIENT, region: 'eu-west-1', service: 's3', date: DATE, expiresIn: 600 });
  return { method: 'GET', url: presigned.url.slice(`https://${HOST}`.length), headers: { host: HOST } };
}

/** The signer's canonical path for an S3 wire path (the second line of its canonical request). */
function canonicalOf(path: string): string {
  return signRequest({ method: 'GET', url: `https://${HOST}${path}` }, { credentials: CLIENT, region: 'eu-west-1', service: 's3', date: DATE }).canonicalRequest.split('\n')[1] as string;
}

function verify(request: VerifiableRequest): VerifyResult {
  return verifySigV4(request, { clientKeys, now: DATE.getTime() });
}

function verdict(request: VerifiableRequest): string {
  const result = verify(request);
  return result.ok ? 'ok' : result.reason;
}

const HAND_WRITTEN = ['/bucket/k%2Fslash', '/bucket/x%2fy', '/bucket/a+raw', '/bucket/%41bc', '/bucket/caf%c3%a9', '/bucket/semi;colon=eq,comma', "/bucket/q!'()*"];

describe('verifySigV4 and S3 paths written in a form no SDK builds', () => {
  it.each(HAND_WRITTEN)('%s: accepts the path signed as sent (botocore, the SDK) and as decoded and encoded once (this signer), in header and query auth', async (path) => {
    expect([verdict(await smithySigned(path)), verdict(await smithyPresigned(path)), verdict(oursSigned(path)), verdict(oursPresigned(path))]).toEqual(['ok', 'ok', 'ok', 'ok']);
  });

  it('refuses a path signed as sent when another path is sent: another spelling of the same key, or a slash for %2F', async () => {
    const signed = await smithySigned('/bucket/k%2Fslash');
    for (const other of ['/bucket/k%2fslash', '/bucket/k/slash', '/bucket/k%2Fslash2', '/bucket/%6B%2Fslash']) {
      expect(verdict({ ...signed, url: other })).toBe('signature-mismatch');
    }
  });

  it('gives no other service the raw form: an es path signed unnormalised and unencoded is refused', async () => {
    const signer = new SignatureV4({ credentials: CLIENT, region: 'eu-west-1', service: 'es', sha256: Hash.bind(null, 'sha256'), uriEscapePath: false });
    const signed = await signer.sign(smithyRequest('/idx/a%2Fb', 'es'), { signingDate: DATE });
    expect(verdict({ method: 'GET', url: '/idx/a%2Fb', headers: signed.headers })).toBe('signature-mismatch');
    expect(verdict(await smithySigned('/idx/a%2Fb', 'es'))).toBe('ok');
  });
});

/** A character of a key as a client may write it on the wire: raw where HTTP allows, escaped in either hex case. */
const wireChar = fc
  .tuple(fc.constantFrom(...'aZ09-_.~ +/!*\'();=,@:$&%\u00e9\u65e5'), fc.constantFrom('raw', 'upper', 'lower'))
  .map(([char, form]) => {
    const mustEscape = char === ' ' || char === '%' || char.charCodeAt(0) > 0x7e;
    if (form === 'raw' && !mustEscape) return char;
    const escaped = Array.from(Buffer.from(char, 'utf8'), (byte) => `%${byte.toString(16).padStart(2, '0')}`).join('');
    return form === 'lower' ? escaped : escaped.toUpperCase();
  });
const wirePath = fc.array(wireChar, { minLength: 1, maxLength: 12 }).map((chars) => `/bucket/${chars.join('')}`);

/** The same path with one hex escape in the other letter case, or one character more. */
function respelled(path: string): string {
  const escape = /%[0-9a-fA-F]*[a-fA-F][0-9a-fA-F]*/.exec(path.slice(1));
  if (escape === null || escape[0].length !== 3) return `${path}x`;
  const at = escape.index + 1;
  const flipped = escape[0] === escape[0].toUpperCase() ? escape[0].toLowerCase() : escape[0].toUpperCase();
  return `${path.slice(0, at)}${flipped}${path.slice(at + 3)}`;
}

describe('verifySigV4 on random S3 wire paths', () => {
  it('accepts each path as the SDK signs it and as this signer signs it, in header and query auth; a signature over the path as sent holds for no other spelling', async () => {
    await fc.assert(
      fc.asyncProperty(wirePath, async (path) => {
        const raw = await smithySigned(path);
        expect([verdict(raw), verdict(await smithyPresigned(path)), verdict(oursSigned(path)), verdict(oursPresigned(path))]).toEqual(['ok', 'ok', 'ok', 'ok']);
        const other = respelled(path);
        // A path already in the signer's form is one key in every spelling, for S3 and this signer alike.
        if (path !== canonicalOf(path)) expect(verdict({ ...raw, url: other })).toBe('signature-mismatch');
      }),
      { numRuns: RUNS },
    );
  }, 30_000 + RUNS * 20);
});
