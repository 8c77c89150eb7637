import { describe, expect, it } from 'vitest';
import type { KeyObject } from 'node:crypto';
import { deriveSigV4aPublicKey, presignRequest, signRequest, verifySigV4a } from '../../src/signer/index.js';
import { loadSigV4aSuite, signatureInSignedRequest, suiteOptions, suiteRequest, type SigV4aExpected } from '../helpers/sigv4a-vectors.js';
import { SUITE_CREDENTIALS } from '../helpers/vectors.js';

/** The published key of AKIDEXAMPLE / wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY. */
const PUBLISHED_KEY = {
  x: 'b6618f6a65740a99e650b33b6b4b5bd0d43b176d721a3edfea7e7d2d56d936b1',
  y: '865ed22a7eadc9c5cb9d2cbaca1b3699139fedc5043dc6661864218330c8e518',
};

function hexCoordinates(jwk: { x?: string; y?: string }): { x: string; y: string } {
  return { x: Buffer.from(jwk.x as string, 'base64url').toString('hex'), y: Buffer.from(jwk.y as string, 'base64url').toString('hex') };
}

/** The checks both forms share: our intermediates byte for byte, the suite's signatures under our key. */
function matchesSuite(ours: { canonicalRequest: string; stringToSign: string }, want: SigV4aExpected, ourKey: KeyObject): void {
  it('builds the canonical request byte for byte', () => {
    expect(ours.canonicalRequest).toBe(want.canonicalRequest);
  });

  it('builds the string to sign byte for byte', () => {
    expect(ours.stringToSign).toBe(want.stringToSign);
  });

  it("accepts the suite's signatures with our derived key", () => {
    expect(verifySigV4a(want.stringToSign, want.signature, ourKey)).toBe(true);
    expect(verifySigV4a(want.stringToSign, signatureInSignedRequest(want.signedRequest), ourKey)).toBe(true);
  });
}

describe('SigV4a key derivation', () => {
  it('derives the published public key from the suite credentials', () => {
    const publicKey = deriveSigV4aPublicKey(SUITE_CREDENTIALS.accessKeyId, SUITE_CREDENTIALS.secretAccessKey);
    expect(hexCoordinates(publicKey.export({ format: 'jwk' }))).toEqual(PUBLISHED_KEY);
  });
});

describe('the published SigV4a test suite (aws-c-auth)', () => {
  const cases = loadSigV4aSuite();
  const ourKey = deriveSigV4aPublicKey(SUITE_CREDENTIALS.accessKeyId, SUITE_CREDENTIALS.secretAccessKey);

  it('has every case on disk', () => {
    expect(cases).toHaveLength(40);
    // Two cases ship without expectations upstream: only context.json and request.txt.
    expect(cases.filter((c) => c.header === undefined).map((c) => c.name)).toEqual(['get-vanilla-query-order-key', 'get-vanilla-query-order-value']);
  });

  describe.each(cases.map((c) => [c.name, c] as const))('%s', (_name, testCase) => {
    it('publishes the key we derive', () => {
      if (testCase.publicKey !== undefined) expect(testCase.publicKey).toEqual(PUBLISHED_KEY);
      const { access_key_id, secret_access_key } = testCase.context.credentials;
      expect(hexCoordinates(deriveSigV4aPublicKey(access_key_id, secret_access_key).export({ format: 'jwk' }))).toEqual(PUBLISHED_KEY);
    });

    describe('header form', () => {
      const signed = signRequest(suiteRequest(testCase), suiteOptions(testCase));
      const want = testCase.header;

      it('signs a signature that verifies with the published key', () => {
        expect(signed.authorization).toBe(
          `AWS4-ECDSA-P256-SHA256 Credential=AKIDEXAMPLE/20150830/service/aws4_request, SignedHeaders=${signed.signedHeaders}, Signature=${signed.signature}`,
        );
        expect(signed.headers['x-amz-region-set']).toBe(testCase.context.region);
        expect(verifySigV4a(signed.stringToSign, signed.signature, PUBLISHED_KEY)).toBe(true);
        expect(verifySigV4a(`${signed.stringToSign} `, signed.signature, PUBLISHED_KEY)).toBe(false);
      });

      if (want === undefined) return;
      matchesSuite(signed, want, ourKey);

      it('sends the session token as the case says', () => {
        const token = testCase.context.credentials.token;
        expect(signed.headers['x-amz-security-token']).toBe(token);
        if (token !== undefined) expect(signed.signedHeaders.includes('x-amz-security-token')).toBe(testCase.context.omit_session_token !== true);
      });
    });

    describe('query form', () => {
      const presigned = presignRequest(suiteRequest(testCase), { ...suiteOptions(testCase), expiresIn: testCase.context.expiration_in_seconds });
      const want = testCase.query;

      it('signs a signature that verifies with the published key', () => {
        expect(presigned.url).toContain(`&X-Amz-Signature=${presigned.signature}`);
        expect(presigned.url).toContain(`X-Amz-Region-Set=${testCase.context.region}&`);
        expect(verifySigV4a(presigned.stringToSign, presigned.signature, PUBLISHED_KEY)).toBe(true);
      });

      if (want === undefined) return;
      matchesSuite(presigned, want, ourKey);

      it('carries the session token in the URL, signed unless the case omits it', () => {
        const token = testCase.context.credentials.token;
        if (token === undefined) {
          expect(presigned.url).not.toContain('X-Amz-Security-Token');
          return;
        }
        const encoded = `X-Amz-Security-Token=${encodeURIComponent(token)}`;
        expect(presigned.url).toContain(encoded);
        expect(presigned.canonicalRequest.includes(encoded)).toBe(testCase.context.omit_session_token !== true);
      });
    });
  });
});
