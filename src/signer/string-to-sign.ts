/**
 * The string to sign and the signature over it.
 *
 * @module
 */
import { hmacSha256Hex, sha256Hex } from './sha256.js';

/**
 * The SigV4 algorithm name.
 *
 * @example
 * ```ts
 * import { ALGORITHM, signRequest, type SigningCredentials } from 'got-aws4auth/signer';
 * declare const credentials: SigningCredentials;
 * const signed = signRequest({ method: 'GET', url: 'https://sqs.eu-west-1.amazonaws.com/' }, { credentials, region: 'eu-west-1', service: 'sqs' });
 * signed.authorization.startsWith(`${ALGORITHM} Credential=`); // true
 * ```
 * @category Signer
 */
export const ALGORITHM = 'AWS4-HMAC-SHA256';

/**
 * `AWS4-HMAC-SHA256\n<amzDate>\n<scope>\n<hex sha256 of the canonical request>`.
 *
 * @internal
 */
export function stringToSign(amzDate: string, credentialScope: string, canonicalRequest: string): string {
  return `${ALGORITHM}\n${amzDate}\n${credentialScope}\n${sha256Hex(canonicalRequest)}`;
}

/**
 * The hex HMAC-SHA256 of the string to sign under the signing key.
 *
 * @internal
 */
export function signature(signingKey: Uint8Array, stringToSignValue: string): string {
  return hmacSha256Hex(signingKey, stringToSignValue);
}
