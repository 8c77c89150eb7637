import { inspect } from 'node:util';
import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  InvalidCredentialsError,
  InvalidInputError,
  SIGV4A_ALGORITHM,
  clearSigV4aKeyCache,
  deriveSigV4aPublicKey,
  presignRequest,
  signRequest,
  verifySigV4a,
  type SigV4aSignOptions,
} from '../../src/signer/index.js';
import { CREDENTIALS, queryString, randomRequest, rawPath } from '../helpers/differential.js';

const DATE = new Date('2015-08-30T12:36:00Z');
const URL_ = 'https://example.amazonaws.com/a/b?x=1';
const base: SigV4aSignOptions = { algorithm: 'sigv4a', credentials: CREDENTIALS, service: 'service', region: 'us-east-1', date: DATE };
const publicKey = deriveSigV4aPublicKey(CREDENTIALS.accessKeyId, CREDENTIALS.secretAccessKey);

function errorOf(run: () => unknown): InvalidInputError {
  try {
    run();
  } catch (error) {
    if (error instanceof InvalidInputError) return error;
    throw error;
  }
  throw new Error('expected an InvalidInputError');
}

describe('SigV4a options', () => {
  it('defaults the region set to the region and leaves the region out of the scope', () => {
    const signed = signRequest({ method: 'GET', url: URL_ }, base);
    expect(signed.credentialScope).toBe('20150830/service/aws4_request');
    expect(signed.headers['x-amz-region-set']).toBe('us-east-1');
    expect(signed.signedHeaders).toBe('host;x-amz-date;x-amz-region-set');
    expect(signed.authorization.startsWith(`${SIGV4A_ALGORITHM} Credential=AKIDEXAMPLE/20150830/service/aws4_request, `)).toBe(true);
  });

  it('comma-joins a region set, and needs no region with one', () => {
    const { region: _omitted, ...withoutRegion } = base;
    const signed = signRequest({ method: 'GET', url: URL_ }, { ...withoutRegion, regionSet: ['us-east-1', 'eu-west-1'] });
    expect(signed.headers['x-amz-region-set']).toBe('us-east-1,eu-west-1');
    expect(signed.canonicalRequest).toContain('\nx-amz-region-set:us-east-1,eu-west-1\n');
    const presigned = presignRequest({ method: 'GET', url: URL_ }, { ...withoutRegion, regionSet: ['*'], expiresIn: 60 });
    expect(presigned.url).toContain('&X-Amz-Region-Set=%2A&');
    expect(verifySigV4a(presigned.stringToSign, presigned.signature, publicKey)).toBe(true);
  });

  it('replaces a caller-supplied region set, and signs it whatever includeHeaders says', () => {
    const signed = signRequest(
      { method: 'GET', url: URL_, headers: { 'X-Amz-Region-Set': 'eu-central-1' } },
      { ...base, regionSet: ['ap-south-1'], includeHeaders: ['host'] },
    );
    expect(signed.headers['x-amz-region-set']).toBe('ap-south-1');
    expect(signed.signedHeaders).toBe('host;x-amz-date;x-amz-region-set');
    const presigned = presignRequest({ method: 'GET', url: `${URL_}&X-Amz-Region-Set=eu-central-1` }, { ...base, expiresIn: 60 });
    expect(presigned.url.match(/X-Amz-Region-Set=/g)).toHaveLength(1);
    expect(presigned.url).toContain('X-Amz-Region-Set=us-east-1');
  });

  it('leaves SigV4 as it was: an x-amz-region-set header or query parameter is just another one', () => {
    const v4 = { credentials: CREDENTIALS, service: 'service', region: 'us-east-1', date: DATE };
    const signed = signRequest({ method: 'GET', url: URL_, headers: { 'x-amz-region-set': 'x' } }, { ...v4, includeHeaders: ['host'] });
    expect(signed.signedHeaders).toBe('host;x-amz-date');
    expect(signed.authorization.startsWith('AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request')).toBe(true);
    expect(signRequest({ method: 'GET', url: URL_ }, { ...v4, algorithm: 'sigv4' }).authorization).toBe(signRequest({ method: 'GET', url: URL_ }, v4).authorization);
    expect(presignRequest({ method: 'GET', url: `${URL_}&X-Amz-Region-Set=x` }, { ...v4, expiresIn: 60 }).url).toContain('X-Amz-Region-Set=x');
  });

  it.each([
    ['an unknown algorithm', { algorithm: 'sigv5' }, 'options.algorithm'],
    ['a region set for SigV4', { algorithm: 'sigv4', regionSet: ['us-east-1'] }, 'options.regionSet'],
    ['a region set for the default algorithm', { algorithm: undefined, regionSet: ['us-east-1'] }, 'options.regionSet'],
    ['an empty region set', { regionSet: [] }, 'options.regionSet'],
    ['a region set that is a string', { regionSet: 'us-east-1' }, 'options.regionSet'],
    ['a comma inside an entry', { regionSet: ['us-east-1,eu-west-1'] }, 'options.regionSet'],
    ['a space inside an entry', { regionSet: ['us east'] }, 'options.regionSet'],
    ['an empty entry', { regionSet: ['us-east-1', ''] }, 'options.regionSet'],
    ['a non-string entry', { regionSet: [1] }, 'options.regionSet'],
    ['neither region nor region set', { region: undefined }, 'options.regionSet'],
    ['a bad region', { region: 'us east 1' }, 'options.region'],
    ['a SigV4 signing key', { signingKey: new Uint8Array(32) }, 'options.signingKey'],
  ])('refuses %s, naming the field', (_what, change, field) => {
    const error = errorOf(() => signRequest({ method: 'GET', url: URL_ }, { ...base, ...change } as unknown as SigV4aSignOptions));
    expect(error.field).toBe(field);
    expect(error.code).toBe('ERR_AWS4_INVALID_INPUT');
    expect(error.message).not.toContain(CREDENTIALS.secretAccessKey);
  });

  it('refuses missing secrets as credential errors, without printing any', () => {
    const error = errorOf(() => signRequest({ method: 'GET', url: URL_ }, { ...base, credentials: { accessKeyId: 'AKID', secretAccessKey: '' } }));
    expect(error).toBeInstanceOf(InvalidCredentialsError);
    expect(error.field).toBe('options.credentials.secretAccessKey');
  });
});

describe('SigV4a signatures', () => {
  it('are randomised: two signatures of one request differ and both verify', () => {
    const a = signRequest({ method: 'GET', url: URL_ }, base);
    const b = signRequest({ method: 'GET', url: URL_ }, base);
    expect(a.stringToSign).toBe(b.stringToSign);
    expect(a.signature).not.toBe(b.signature);
    expect(verifySigV4a(a.stringToSign, a.signature, publicKey)).toBe(true);
    expect(verifySigV4a(b.stringToSign, b.signature, publicKey)).toBe(true);
  });

  it('are hex DER ECDSA signatures (SEQUENCE of two INTEGERs)', () => {
    const { signature } = signRequest({ method: 'GET', url: URL_ }, base);
    expect(signature).toMatch(/^30[0-9a-f]{2}02[0-9a-f]+$/);
    expect(signature.length / 2).toBe(2 + Number.parseInt(signature.slice(2, 4), 16));
  });

  it('do not verify with another credential, another string or a changed byte', () => {
    const signed = signRequest({ method: 'GET', url: URL_ }, base);
    const otherKey = deriveSigV4aPublicKey('AKIDOTHER', CREDENTIALS.secretAccessKey);
    expect(verifySigV4a(signed.stringToSign, signed.signature, otherKey)).toBe(false);
    expect(verifySigV4a(signed.stringToSign.replace('20150830T', '20150831T'), signed.signature, publicKey)).toBe(false);
    const flipped = `${signed.signature.slice(0, -2)}${signed.signature.endsWith('00') ? '01' : '00'}`;
    expect(verifySigV4a(signed.stringToSign, flipped, publicKey)).toBe(false);
  });

  it('derive a different key per access key id and per secret', () => {
    const coordinates = (key: ReturnType<typeof deriveSigV4aPublicKey>) => JSON.stringify(key.export({ format: 'jwk' }));
    const reference = coordinates(publicKey);
    expect(coordinates(deriveSigV4aPublicKey('AKIDEXAMPLF', CREDENTIALS.secretAccessKey))).not.toBe(reference);
    expect(coordinates(deriveSigV4aPublicKey(CREDENTIALS.accessKeyId, `${CREDENTIALS.secretAccessKey}x`))).not.toBe(reference);
    clearSigV4aKeyCache();
    expect(coordinates(deriveSigV4aPublicKey(CREDENTIALS.accessKeyId, CREDENTIALS.secretAccessKey))).toBe(reference);
  });

  it('every signature we make verifies with the derived public key (random requests, header and query forms)', () => {
    const regionSet = fc.option(fc.uniqueArray(fc.constantFrom('us-east-1', 'eu-west-1', 'ap-southeast-2', 'us-*', '*'), { minLength: 1, maxLength: 3 }), { nil: undefined });
    fc.assert(
      fc.property(randomRequest(false), regionSet, fc.boolean(), (request, regions, signToken) => {
        const query = queryString(request);
        const signable = {
          method: request.method,
          url: `http://${request.host}${rawPath(request)}${query === '' ? '' : `?${query}`}`,
          headers: Object.fromEntries(request.headers),
          body: request.body,
        };
        const options: SigV4aSignOptions = {
          algorithm: 'sigv4a',
          credentials: { ...CREDENTIALS, sessionToken: request.sessionToken },
          region: request.region,
          regionSet: regions,
          service: request.service,
          date: request.date,
          signSessionToken: signToken,
        };
        const signed = signRequest(signable, options);
        expect(verifySigV4a(signed.stringToSign, signed.signature, publicKey)).toBe(true);
        expect(signed.headers['x-amz-region-set']).toBe((regions ?? [request.region]).join(','));
        // Canonicalisation is SigV4's: the same request signed with SigV4, carrying the region set as an
        // ordinary header, has the same canonical request.
        const v4 = signRequest(
          { ...signable, headers: { ...signable.headers, 'x-amz-region-set': (regions ?? [request.region]).join(',') } },
          { credentials: options.credentials, region: request.region, service: request.service, date: request.date, signSessionToken: signToken },
        );
        expect(signed.canonicalRequest).toBe(v4.canonicalRequest);
        const presigned = presignRequest(signable, { ...options, expiresIn: 900 });
        expect(verifySigV4a(presigned.stringToSign, presigned.signature, publicKey)).toBe(true);
        expect(presigned.url.endsWith(`&X-Amz-Signature=${presigned.signature}`)).toBe(true);
      }),
      { numRuns: Number(process.env.DIFF_RUNS ?? 300) },
    );
  });
});

describe('verifySigV4a', () => {
  const signed = signRequest({ method: 'GET', url: URL_ }, base);
  const { x, y } = publicKey.export({ format: 'jwk' });
  const hexKey = { x: Buffer.from(x as string, 'base64url').toString('hex'), y: Buffer.from(y as string, 'base64url').toString('hex') };

  it('takes the key as hex coordinates too, in either letter case', () => {
    expect(verifySigV4a(signed.stringToSign, signed.signature, hexKey)).toBe(true);
    expect(verifySigV4a(signed.stringToSign, signed.signature.toUpperCase(), { x: hexKey.x.toUpperCase(), y: hexKey.y })).toBe(true);
  });

  it.each([['not hex', 'zz'], ['odd length', '304'], ['empty', ''], ['not DER', '00'.repeat(70)], ['truncated DER', '3006020101020101']])(
    'returns false for a signature that is %s',
    (_what, signature) => {
      expect(verifySigV4a(signed.stringToSign, signature, publicKey)).toBe(false);
    },
  );

  it.each([
    ['a string to sign that is not a string', [1, signed.signature, publicKey], 'stringToSign'],
    ['a signature that is not a string', [signed.stringToSign, undefined, publicKey], 'signatureHex'],
    ['no key', [signed.stringToSign, signed.signature, undefined], 'publicKey'],
    ['short coordinates', [signed.stringToSign, signed.signature, { x: 'ab', y: 'cd' }], 'publicKey'],
    ['a point off the curve', [signed.stringToSign, signed.signature, { x: hexKey.x, y: hexKey.x }], 'publicKey'],
    ['a private key', [signed.stringToSign, signed.signature, generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey], 'publicKey'],
    ['an RSA key', [signed.stringToSign, signed.signature, generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey], 'publicKey'],
  ])('refuses %s', (_what, args, field) => {
    const error = errorOf(() => (verifySigV4a as (...a: unknown[]) => boolean)(...args));
    expect(error.field).toBe(field);
  });
});

describe('deriveSigV4aPublicKey', () => {
  it.each([
    ['an empty access key id', '', 'secret', 'accessKeyId'],
    ['a missing secret', 'AKID', undefined, 'secretAccessKey'],
  ])('refuses %s', (_what, accessKeyId, secret, field) => {
    const error = errorOf(() => deriveSigV4aPublicKey(accessKeyId as string, secret as unknown as string));
    expect(error).toBeInstanceOf(InvalidCredentialsError);
    expect(error.field).toBe(field);
  });

  it('returns a public key only: nothing printed or exported reveals the secret or the private key', () => {
    expect(publicKey.type).toBe('public');
    expect(publicKey.asymmetricKeyDetails).toEqual({ namedCurve: 'prime256v1' });
    const shown = [inspect(publicKey), JSON.stringify(publicKey.export({ format: 'jwk' })), String(publicKey.export({ type: 'spki', format: 'pem' }))].join('\n');
    expect(shown).not.toContain(CREDENTIALS.secretAccessKey);
    expect(publicKey.export({ format: 'jwk' })).not.toHaveProperty('d');
  });
});
