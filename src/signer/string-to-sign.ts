/**
 * The string to sign and the signature over it.
 *
 * @module
 */
import { createHash, createHmac } from 'node:crypto';

/** The SigV4 algorithm name. */
export const ALGORITHM = 'AWS4-HMAC-SHA256';

/**
 * `AWS4-HMAC-SHA256\n<amzDate>\n<scope>\n<hex sha256 of the canonical request>`.
 *
 * @internal
 */
export function stringToSign(amzDate: string, credentialScope: string, canonicalRequest: string): string {
  return `${ALGORITHM}\n${amzDate}\n${credentialScope}\n${createHash('sha256').update(canonicalRequest, 'utf8').digest('hex')}`;
}

/**
 * The hex HMAC-SHA256 of the string to sign under the signing key.
 *
 * @internal
 */
export function signature(signingKey: Uint8Array, stringToSignValue: string): string {
  return createHmac('sha256', signingKey).update(stringToSignValue, 'utf8').digest('hex');
}
