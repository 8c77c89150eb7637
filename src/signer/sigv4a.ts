/**
 * SigV4a: the asymmetric variant of SigV4 that S3 Multi-Region Access Points, CloudFront KeyValueStore and
 * EventBridge global endpoints require. The canonical request is SigV4's plus the signed
 * `x-amz-region-set` header (or `X-Amz-Region-Set` query parameter); the string to sign names
 * `AWS4-ECDSA-P256-SHA256` and a scope without region (`YYYYMMDD/service/aws4_request`); the signature is
 * the hex DER of an ECDSA P-256 signature over the string to sign's SHA-256, with the key pair derived
 * from the credentials (see `sigv4a-key.ts`).
 *
 * ECDSA signatures are randomised: signing the same request twice gives two different signatures, both
 * valid. Check one with {@link verifySigV4a}, never by comparing it with another.
 *
 * @module
 */
import { createPublicKey, sign, verify, type KeyObject } from 'node:crypto';
import { types } from 'node:util';
import { InvalidInputError, describeValue } from './errors.js';
import { snapshotOwn } from './snapshot.js';
import { sha256Hex } from './sha256.js';

/**
 * The SigV4a algorithm name, in the `Authorization` header and the string to sign.
 *
 * @example
 * ```ts
 * import { SIGV4A_ALGORITHM, signRequest, type SigningCredentials } from 'got-aws4auth/signer';
 * declare const credentials: SigningCredentials;
 * const signed = signRequest(
 *   { method: 'GET', url: 'https://mfzwi23gnjvgw.mrap.accesspoint.s3-global.amazonaws.com/report.csv' },
 *   { algorithm: 'sigv4a', credentials, service: 's3', regionSet: ['*'] },
 * );
 * signed.authorization.startsWith(`${SIGV4A_ALGORITHM} Credential=`); // true
 * ```
 * @category SigV4a
 */
export const SIGV4A_ALGORITHM = 'AWS4-ECDSA-P256-SHA256';

/**
 * A SigV4a public key: a node:crypto `KeyObject` (e.g. from {@link deriveSigV4aPublicKey}), or the
 * affine coordinates of the P-256 point as 64-digit hex strings.
 *
 * @example
 * ```ts
 * import { deriveSigV4aPublicKey, signRequest, verifySigV4a, type SigV4aPublicKey } from 'got-aws4auth/signer';
 * const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' };
 * const signed = signRequest(
 *   { method: 'GET', url: 'https://mfzwi23gnjvgw.mrap.accesspoint.s3-global.amazonaws.com/report.csv' },
 *   { algorithm: 'sigv4a', credentials, service: 's3', regionSet: ['*'] },
 * );
 * const publicKey: SigV4aPublicKey = deriveSigV4aPublicKey(credentials.accessKeyId, credentials.secretAccessKey);
 * verifySigV4a(signed.stringToSign, signed.signature, publicKey); // true
 * // The same key as coordinates, e.g. received from elsewhere:
 * declare const x: string, y: string; // 64 hex digits each
 * verifySigV4a(signed.stringToSign, signed.signature, { x, y });
 * ```
 * @category SigV4a
 */
export type SigV4aPublicKey =
  | KeyObject
  | {
      /** The x coordinate, 64 hex digits. */
      readonly x: string;
      /** The y coordinate, 64 hex digits. */
      readonly y: string;
    };

const COORDINATE = /^[0-9a-fA-F]{64}$/;
const HEX = /^(?:[0-9a-fA-F]{2})+$/;

/**
 * `AWS4-ECDSA-P256-SHA256\n<amzDate>\n<scope>\n<hex sha256 of the canonical request>`.
 *
 * @internal
 */
export function sigV4aStringToSign(amzDate: string, credentialScope: string, canonicalRequest: string): string {
  return `${SIGV4A_ALGORITHM}\n${amzDate}\n${credentialScope}\n${sha256Hex(canonicalRequest)}`;
}

/**
 * The hex DER ECDSA-P256-SHA256 signature of the string to sign.
 *
 * @internal
 */
export function sigV4aSignature(privateKey: KeyObject, stringToSignValue: string): string {
  return sign('sha256', Buffer.from(stringToSignValue, 'utf8'), privateKey).toString('hex');
}

function toPublicKeyObject(publicKey: SigV4aPublicKey): KeyObject {
  // A brand check, not duck typing: a Proxy or look-alike of a KeyObject is read as { x, y } instead.
  if (types.isKeyObject(publicKey)) {
    const key = publicKey as KeyObject;
    if (key.type !== 'public' || key.asymmetricKeyType !== 'ec') {
      throw new InvalidInputError('publicKey', `must be an EC public KeyObject, got a ${key.type} ${key.asymmetricKeyType ?? 'symmetric'} key`);
    }
    return key;
  }
  if (publicKey === null || typeof publicKey !== 'object') {
    throw new InvalidInputError('publicKey', `must be a KeyObject or { x, y } with 64 hex digits each, got ${describeValue(publicKey)}`);
  }
  // Own fields, each read once: an inherited x or y is never used.
  const { x, y } = snapshotOwn(publicKey, ['x', 'y'], 'publicKey');
  if (typeof x !== 'string' || typeof y !== 'string' || !COORDINATE.test(x) || !COORDINATE.test(y)) {
    throw new InvalidInputError('publicKey', `must be a KeyObject or { x, y } with 64 hex digits each, got ${describeValue(publicKey)}`);
  }
  try {
    return createPublicKey({
      format: 'jwk',
      key: { kty: 'EC', crv: 'P-256', x: Buffer.from(x, 'hex').toString('base64url'), y: Buffer.from(y, 'hex').toString('base64url') },
    });
  } catch (error) {
    throw new InvalidInputError('publicKey', `is not a point on the P-256 curve (${(error as Error).message})`);
  }
}

/**
 * Checks a SigV4a signature: true when `signatureHex` is a valid ECDSA P-256 signature of
 * `stringToSign` under `publicKey`. A signature that is not hex DER simply does not verify.
 *
 * @param stringToSign - the string to sign, e.g. `SignedRequest.stringToSign`
 * @param signatureHex - the hex DER signature, e.g. the `Signature=` part of the `Authorization` header
 * @param publicKey - the signer's public key, see {@link deriveSigV4aPublicKey}
 * @returns whether the signature is valid
 * @throws {@link InvalidInputError} when an argument has the wrong type or the key is not a P-256 public key
 *
 * @example
 * ```ts
 * import { deriveSigV4aPublicKey, signRequest, verifySigV4a } from 'got-aws4auth/signer';
 * const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' };
 * const signed = signRequest(
 *   { method: 'GET', url: 'https://mfzwi23gnjvgw.mrap.accesspoint.s3-global.amazonaws.com/report.csv' },
 *   { credentials, service: 's3', algorithm: 'sigv4a', regionSet: ['*'] },
 * );
 * const publicKey = deriveSigV4aPublicKey(credentials.accessKeyId, credentials.secretAccessKey);
 * console.log(verifySigV4a(signed.stringToSign, signed.signature, publicKey)); // true
 * ```
 * @category SigV4a
 */
export function verifySigV4a(stringToSign: string, signatureHex: string, publicKey: SigV4aPublicKey): boolean {
  if (typeof stringToSign !== 'string') throw new InvalidInputError('stringToSign', `must be a string, got ${describeValue(stringToSign)}`);
  if (typeof signatureHex !== 'string') throw new InvalidInputError('signatureHex', `must be a hex string, got ${describeValue(signatureHex)}`);
  const key = toPublicKeyObject(publicKey);
  if (!HEX.test(signatureHex)) return false;
  try {
    return verify('sha256', Buffer.from(stringToSign, 'utf8'), key, Buffer.from(signatureHex, 'hex'));
  } catch {
    // OpenSSL refuses some malformed DER outright instead of returning false.
    return false;
  }
}
