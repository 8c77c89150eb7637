/**
 * SigV4 signing keys: HMAC chain `AWS4<secret>` → date → region → service → `aws4_request`.
 * Deriving costs four HMACs, signing one; keys are valid for a whole UTC day, so a small bounded cache
 * keyed by (secret, date, region, service) turns the four into a map lookup for every request after the
 * first of the day.
 *
 * @module
 */
import { createHmac } from 'node:crypto';
import { clearHmacPads } from './sha256.js';

/**
 * Derives the SigV4 signing key for one day, region and service.
 *
 * @param secretAccessKey - the secret access key
 * @param shortDate - the scope date, `YYYYMMDD`
 * @param region - e.g. `us-east-1`
 * @param service - e.g. `s3`
 * @returns the 32-byte key
 *
 * @example
 * ```ts
 * import { deriveSigningKey } from 'got-aws4auth/signer';
 * const key = deriveSigningKey('wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY', '20150830', 'us-east-1', 'iam');
 * console.log(key.toString('hex')); // c4afb1cc5771d871763a393e44b703571b55cc28424d1a5e86da6ed3c154a4b9
 * ```
 */
export function deriveSigningKey(secretAccessKey: string, shortDate: string, region: string, service: string): Buffer {
  const dateKey = createHmac('sha256', `AWS4${secretAccessKey}`).update(shortDate).digest();
  const regionKey = createHmac('sha256', dateKey).update(region).digest();
  const serviceKey = createHmac('sha256', regionKey).update(service).digest();
  return createHmac('sha256', serviceKey).update('aws4_request').digest();
}

const MAX_CACHED_KEYS = 64;
// Insertion-ordered, so deleting the first key evicts the oldest; keys hold the secret only inside this
// module-private map and are never exposed.
const keyCache = new Map<string, Buffer>();

let last: { secretAccessKey: string; shortDate: string; region: string; service: string; key: Buffer } | undefined;

/**
 * Returns the signing key for (secret, date, region, service), deriving it at most once while it stays
 * among the most recently used {@link MAX_CACHED_KEYS} keys.
 *
 * @internal
 */
export function cachedSigningKey(secretAccessKey: string, shortDate: string, region: string, service: string): Buffer {
  // Most processes sign for one scope at a time: compare before building and hashing a map key.
  if (last !== undefined && last.shortDate === shortDate && last.region === region && last.service === service && last.secretAccessKey === secretAccessKey) {
    return last.key;
  }
  const cacheKey = `${shortDate}\n${region}\n${service}\n${secretAccessKey}`;
  let key = keyCache.get(cacheKey);
  if (key === undefined) {
    key = deriveSigningKey(secretAccessKey, shortDate, region, service);
    if (keyCache.size >= MAX_CACHED_KEYS) keyCache.delete(keyCache.keys().next().value as string);
    keyCache.set(cacheKey, key);
  }
  last = { secretAccessKey, shortDate, region, service, key };
  return key;
}

/**
 * Empties the signing-key cache (for tests and for callers rotating secrets who want them gone).
 *
 * @example
 * ```ts
 * import { clearSigningKeyCache } from 'got-aws4auth/signer';
 * // After rotating a secret access key, drop the signing keys derived from the old one
 * clearSigningKeyCache();
 * ```
 */
export function clearSigningKeyCache(): void {
  keyCache.clear();
  last = undefined;
  clearHmacPads();
}
