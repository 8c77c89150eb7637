/**
 * Checks shared by the auth tests: an independent recomputation of a SigV4 signature from its parts, so a
 * test can confirm that a signature verifies against a freshly derived key for the date it claims.
 */
import { createHash, createHmac } from 'node:crypto';
import { deriveSigningKey } from '../../src/signer/signing-key.js';
import type { SignedRequest } from '../../src/signer/types.js';

export const SECRET = 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY';
export const ACCESS_KEY_ID = 'AKIDEXAMPLE';
export const SESSION_TOKEN = 'FQoGZXIvYXdzEXAMPLE-SESSION-TOKEN/with+chars==';

/** Day `YYYYMMDD` of an instant (UTC). */
export function dayOf(ms: number | Date): string {
  return new Date(ms).toISOString().slice(0, 10).replace(/-/g, '');
}

/**
 * Recomputes the string to sign and signature of `signed` from its canonical request with a key derived
 * afresh for `date`/`region`/`service`, and returns what they should be.
 */
export function recompute(signed: SignedRequest, secret: string, date: string, region: string, service: string): { stringToSign: string; signature: string } {
  const scope = `${date}/${region}/${service}/aws4_request`;
  const stringToSign = `AWS4-HMAC-SHA256\n${signed.amzDate}\n${scope}\n${createHash('sha256').update(signed.canonicalRequest).digest('hex')}`;
  const signature = createHmac('sha256', deriveSigningKey(secret, date, region, service)).update(stringToSign).digest('hex');
  return { stringToSign, signature };
}

/** Asserts-free check that `signed` is a valid signature for the day of its own `x-amz-date`/signing time. */
export function verifiesForOwnDate(signed: SignedRequest, secret: string, region: string, service: string): boolean {
  const date = signed.amzDate.slice(0, 8);
  const expected = recompute(signed, secret, date, region, service);
  return (
    signed.credentialScope === `${date}/${region}/${service}/aws4_request` &&
    signed.stringToSign === expected.stringToSign &&
    signed.signature === expected.signature &&
    signed.authorization.includes(`Credential=${ACCESS_KEY_ID}/${date}/${region}/${service}/aws4_request,`) &&
    signed.authorization.endsWith(`Signature=${expected.signature}`)
  );
}
