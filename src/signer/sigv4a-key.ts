/**
 * SigV4a keys: the ECDSA P-256 key pair that an access key id and secret access key stand for.
 *
 * SigV4a derives one key pair per credential, with no date, region or service in it: NIST SP 800-108's
 * KDF in counter mode, HMAC-SHA256 keyed with `"AWS4A" || secret`, over the fixed input
 *
 * ```text
 * 0x00000001 || "AWS4-ECDSA-P256-SHA256" || 0x00 || accessKeyId || counter (1 byte) || 0x00000100
 * ```
 *
 * (the KDF's own block counter, the label, a separator, the context, the retry counter and the output
 * length in bits, each integer big-endian). The 32-byte output `c` is a candidate scalar: while
 * `c > n − 2` (n, the order of P-256) the retry counter is incremented, from 1 up to 254; then the
 * private key is `d = c + 1`, in `[1, n − 1]`. This is aws-c-auth's `key_derivation.c` byte for byte.
 *
 * Deriving costs an HMAC and an EC point multiplication, so key pairs are cached per credential, in a
 * small bounded module-private map, as {@link KeyObject}s whose key material node:crypto never prints.
 *
 * @module
 */
import { createECDH, createHmac, createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { AWS4AuthError, InvalidCredentialsError, describeValue } from './errors.js';
import { BoundedMemo } from './memo.js';

/** The KDF label, which is also the SigV4a algorithm name. */
const LABEL = 'AWS4-ECDSA-P256-SHA256';
/** n − 2, where n is the order of the P-256 group. */
const N_MINUS_2 = 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n - 2n;
const MAX_COUNTER = 254;

/** A derived SigV4a key pair. @internal */
export interface SigV4aKeyPair {
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
}

/** The private scalar `d`, as 32 big-endian bytes. */
function privateScalar(accessKeyId: string, secretAccessKey: string): Buffer {
  const id = Buffer.from(accessKeyId, 'utf8');
  const fixedInput = Buffer.alloc(4 + LABEL.length + 1 + id.length + 1 + 4);
  let at = fixedInput.writeUInt32BE(1, 0);
  at += fixedInput.write(LABEL, at, 'latin1');
  at += 1; // 0x00 separator
  at += id.copy(fixedInput, at);
  const counterAt = at;
  fixedInput.writeUInt32BE(256, counterAt + 1);
  const hmacKey = Buffer.from(`AWS4A${secretAccessKey}`, 'utf8');
  try {
    for (let counter = 1; counter <= MAX_COUNTER; counter++) {
      fixedInput[counterAt] = counter;
      const candidate = createHmac('sha256', hmacKey).update(fixedInput).digest();
      const c = BigInt(`0x${candidate.toString('hex')}`);
      candidate.fill(0);
      if (c <= N_MINUS_2) return Buffer.from((c + 1n).toString(16).padStart(64, '0'), 'hex');
    }
  } finally {
    hmacKey.fill(0);
  }
  // Each candidate is out of range with probability about 2^-32, so 254 in a row never happen in practice.
  throw new AWS4AuthError('ERR_AWS4_INVALID_CREDENTIALS', 'No SigV4a key could be derived from these credentials in 254 attempts; use other credentials');
}

/**
 * Derives the key pair. The public point comes from node:crypto's ECDH (`d·G` on P-256), which also
 * lets the private key be imported as a complete JWK.
 *
 * @internal
 */
function deriveSigV4aKeyPair(accessKeyId: string, secretAccessKey: string): SigV4aKeyPair {
  const d = privateScalar(accessKeyId, secretAccessKey);
  try {
    const ecdh = createECDH('prime256v1');
    ecdh.setPrivateKey(d);
    const point = ecdh.getPublicKey(); // 0x04 || X || Y
    const privateKey = createPrivateKey({
      format: 'jwk',
      key: {
        kty: 'EC',
        crv: 'P-256',
        d: d.toString('base64url'),
        x: point.subarray(1, 33).toString('base64url'),
        y: point.subarray(33, 65).toString('base64url'),
      },
    });
    return { privateKey, publicKey: createPublicKey(privateKey) };
  } finally {
    d.fill(0);
  }
}

const MAX_CACHED_PAIRS = 16;
// The secret is part of the map key only inside this module; the values are KeyObjects, which never print
// their key material.
const pairCache = new BoundedMemo<string, SigV4aKeyPair>('sigv4a-key: key pairs by credential', MAX_CACHED_PAIRS);

/**
 * The key pair for (access key id, secret), derived at most once while it stays among the
 * {@link MAX_CACHED_PAIRS} most recently derived.
 *
 * @internal
 */
export function cachedSigV4aKeyPair(accessKeyId: string, secretAccessKey: string): SigV4aKeyPair {
  const cacheKey = `${accessKeyId}\n${secretAccessKey}`;
  return pairCache.get(cacheKey) ?? pairCache.set(cacheKey, deriveSigV4aKeyPair(accessKeyId, secretAccessKey));
}

/**
 * Empties the SigV4a key cache (for tests, and for callers rotating secrets who want the derived keys gone).
 *
 * @example
 * ```ts
 * import { clearSigV4aKeyCache } from 'got-aws4auth/signer';
 * clearSigV4aKeyCache();
 * ```
 * @category SigV4a
 */
export function clearSigV4aKeyCache(): void {
  pairCache.clear();
}

/**
 * The SigV4a public key of a credential: what a verifier (or a test) needs to check SigV4a signatures
 * made with it. Export it as a JWK for the coordinates, or as SPKI/PEM.
 *
 * @param accessKeyId - the access key id, e.g. `AKIDEXAMPLE`
 * @param secretAccessKey - the secret access key
 * @returns the P-256 public key, as a node:crypto `KeyObject`
 * @throws {@link InvalidCredentialsError} when either argument is not a non-empty string
 *
 * @example
 * ```ts
 * import { deriveSigV4aPublicKey } from 'got-aws4auth/signer';
 * const publicKey = deriveSigV4aPublicKey('AKIDEXAMPLE', 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY');
 * const { x, y } = publicKey.export({ format: 'jwk' });
 * console.log(Buffer.from(x as string, 'base64url').toString('hex'));
 * // b6618f6a65740a99e650b33b6b4b5bd0d43b176d721a3edfea7e7d2d56d936b1
 * console.log(publicKey.export({ type: 'spki', format: 'pem' }));
 * ```
 * @category SigV4a
 */
export function deriveSigV4aPublicKey(accessKeyId: string, secretAccessKey: string): KeyObject {
  for (const [value, field] of [[accessKeyId, 'accessKeyId'], [secretAccessKey, 'secretAccessKey']] as const) {
    if (typeof value !== 'string' || value === '') {
      throw new InvalidCredentialsError(field, `must be a non-empty string, got ${typeof value === 'string' ? 'an empty string' : field === 'accessKeyId' ? describeValue(value) : typeof value}`);
    }
  }
  return cachedSigV4aKeyPair(accessKeyId, secretAccessKey).publicKey;
}
