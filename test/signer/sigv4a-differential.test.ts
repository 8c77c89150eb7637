/**
 * Differential tests of SigV4a against @smithy/signature-v4a, which runs without the native CRT (it
 * bundles a pure-JavaScript elliptic curve implementation). It exposes neither its canonical request nor
 * its key, so one signer instance per request has its canonical-request, string-to-sign and signature
 * steps wrapped to record them. It has no presigning for SigV4a, so only the header form is compared.
 */
import { createECDH, type KeyObject } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { SignatureV4a } from '@smithy/signature-v4a';
import { Hash } from '@smithy/hash-node';
import { deriveSigV4aPublicKey, signRequest, verifySigV4a } from '../../src/signer/index.js';
import { CREDENTIALS, encodedPath, queryString, randomRequest, rawPath, smithyHttpRequest, type RandomRequest } from '../helpers/differential.js';

const RUNS = Number(process.env.DIFF_RUNS ?? 300);
const ourPublicKey = deriveSigV4aPublicKey(CREDENTIALS.accessKeyId, CREDENTIALS.secretAccessKey);

interface SmithyResult {
  authorization: string;
  canonicalRequest: string;
  stringToSign: string;
  /** The public key of the private key it signed with. */
  publicKey: { x: string; y: string };
}

type Recordable = Record<'createCanonicalRequest' | 'createStringToSign' | 'getSignature', (...args: unknown[]) => unknown>;

async function smithySign(request: RandomRequest, path: string, regionSet: string): Promise<SmithyResult> {
  const s3 = request.service === 's3';
  const signer = new SignatureV4a({
    credentials: { ...CREDENTIALS, sessionToken: request.sessionToken },
    region: regionSet,
    service: request.service,
    sha256: Hash.bind(null, 'sha256'),
    uriEscapePath: !s3,
    applyChecksum: s3,
  });
  const seen: Partial<Omit<SmithyResult, 'authorization'>> = {};
  const own = signer as unknown as Recordable;
  const inherited = SignatureV4a.prototype as unknown as Recordable;
  own.createCanonicalRequest = (...args) => (seen.canonicalRequest = inherited.createCanonicalRequest.apply(signer, args) as string);
  own.createStringToSign = async (...args) => (seen.stringToSign = (await inherited.createStringToSign.apply(signer, args)) as string);
  own.getSignature = (...args) => {
    const ecdh = createECDH('prime256v1');
    ecdh.setPrivateKey(Buffer.from(args[0] as Uint8Array));
    const point = ecdh.getPublicKey('hex');
    seen.publicKey = { x: point.slice(2, 66), y: point.slice(66) };
    return inherited.getSignature.apply(signer, args);
  };
  const signed = await signer.sign(smithyHttpRequest(request, path), { signingDate: request.date });
  return { authorization: signed.headers.authorization as string, ...(seen as Omit<SmithyResult, 'authorization'>) };
}

function ourSign(request: RandomRequest, path: string, regionSet: readonly string[]) {
  const query = queryString(request);
  return signRequest(
    { method: request.method, url: `http://${request.host}${path}${query === '' ? '' : `?${query}`}`, headers: Object.fromEntries(request.headers), body: request.body },
    { algorithm: 'sigv4a', credentials: { ...CREDENTIALS, sessionToken: request.sessionToken }, regionSet, service: request.service, date: request.date },
  );
}

const regionSets = fc.uniqueArray(fc.constantFrom('us-east-1', 'eu-west-1', 'ap-southeast-2', '*'), { minLength: 1, maxLength: 3 });

function signatureOf(authorization: string): string {
  return (/Signature=([0-9a-f]+)$/.exec(authorization) as RegExpExecArray)[1] as string;
}

async function compare(request: RandomRequest, path: string, smithyPath: string, regions: readonly string[], publicKey: KeyObject): Promise<void> {
  const ours = ourSign(request, path, regions);
  const theirs = await smithySign(request, smithyPath, regions.join(','));
  expect(ours.canonicalRequest).toBe(theirs.canonicalRequest);
  expect(ours.stringToSign).toBe(theirs.stringToSign);
  expect(ours.authorization.replace(/Signature=.*$/, '')).toBe(theirs.authorization.replace(/Signature=.*$/, ''));
  // Same key pair: each side's signature verifies with the other's public key.
  expect(verifySigV4a(ours.stringToSign, ours.signature, theirs.publicKey)).toBe(true);
  expect(verifySigV4a(theirs.stringToSign, signatureOf(theirs.authorization), publicKey)).toBe(true);
}

describe('differential SigV4a signing against @smithy/signature-v4a', () => {
  it('derives the same key pair', async () => {
    const theirs = await smithySign(
      { method: 'GET', host: 'example.amazonaws.com', segments: [], query: [], headers: [], body: undefined, date: new Date(0), region: 'us-east-1', service: 'service', sessionToken: undefined, rawStyle: false },
      '/',
      'us-east-1',
    );
    const { x, y } = ourPublicKey.export({ format: 'jwk' });
    expect(theirs.publicKey).toEqual({ x: Buffer.from(x as string, 'base64url').toString('hex'), y: Buffer.from(y as string, 'base64url').toString('hex') });
  });

  it('matches for every random non-S3 request: paths normalised and double-encoded', async () => {
    await fc.assert(
      fc.asyncProperty(randomRequest(false), regionSets, async (request, regions) => {
        const path = rawPath(request);
        await compare(request, path, path, regions, ourPublicKey);
      }),
      { numRuns: RUNS },
    );
  });

  it('matches for every random S3 request, key written raw (ours) or encoded once (the SDK)', async () => {
    await fc.assert(
      fc.asyncProperty(randomRequest(true), regionSets, async (request, regions) => {
        await compare(request, rawPath(request), encodedPath(request), regions, ourPublicKey);
      }),
      { numRuns: RUNS },
    );
  });
});
