/**
 * SigV4 signing keys: HMAC chain `AWS4<secret>` → date → region → service → `aws4_request`.
 * Deriving costs four HMACs, signing one; keys are valid for a whole UTC day, so a small bounded cache
 * keyed by (secret, date, region, service) turns the four into a map lookup for every request after the
 * first of the day.
 *
 * @module
 */
import { createHmac } from 'node:crypto';
import { BoundedMemo, LastMemo, clearSignerCaches } from './memo.js';
import { InvalidInputError } from './errors.js';

/**
 * Derives the SigV4 signing key for one day, region and service.
 *
 * @param secretAccessKey - the secret access key
 * @param shortDate - the scope date, `YYYYMMDD`
 * @param region - e.g. `us-east-1`
 * @param service - e.g. `s3`
 * @returns the 32-byte key
 * @throws {@link InvalidInputError} when an argument is not a string
 *
 * @example
 * ```ts
 * import { deriveSigningKey } from 'got-aws4auth/signer';
 * const key = deriveSigningKey('wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY', '20150830', 'us-east-1', 'iam');
 * console.log(key.toString('hex')); // c4afb1cc5771d871763a393e44b703571b55cc28424d1a5e86da6ed3c154a4b9
 * ```
 * @category Signer
 */
export function deriveSigningKey(secretAccessKey: string, shortDate: string, region: string, service: string): Buffer {
  if (typeof secretAccessKey !== 'string' || typeof shortDate !== 'string' || typeof region !== 'string' || typeof service !== 'string') {
    throw new InvalidInputError('deriveSigningKey arguments', 'must be four strings: the secret access key, the scope date (YYYYMMDD), the region and the service');
  }
  const dateKey = createHmac('sha256', `AWS4${secretAccessKey}`).update(shortDate).digest();
  const regionKey = createHmac('sha256', dateKey).update(region).digest();
  const serviceKey = createHmac('sha256', regionKey).update(service).digest();
  return createHmac('sha256', serviceKey).update('aws4_request').digest();
}

const MAX_CACHED_KEYS = 64;
// The map keys hold the secret only inside these module-private memos, which are never exposed.
const keyCache = new BoundedMemo<string, Buffer>('signing-key: signing keys by scope and secret', MAX_CACHED_KEYS);
const lastKey = new LastMemo<Buffer>('signing-key: last signing key');

/**
 * Returns the signing key for (secret, date, region, service), deriving it at most once while it stays
 * among the most recently used {@link MAX_CACHED_KEYS} keys.
 *
 * @internal
 */
export function cachedSigningKey(secretAccessKey: string, shortDate: string, region: string, service: string): Buffer {
  // Most processes sign for one scope at a time: compare before building and hashing a map key.
  if (lastKey.hit(shortDate, region, service, secretAccessKey)) return lastKey.value as Buffer;
  const cacheKey = `${shortDate}\n${region}\n${service}\n${secretAccessKey}`;
  const key = keyCache.get(cacheKey) ?? keyCache.set(cacheKey, deriveSigningKey(secretAccessKey, shortDate, region, service));
  return lastKey.remember(key, shortDate, region, service, secretAccessKey);
}

/**
 * Empties every cache of the signer, as {@link clearSignerCaches} does (the name it had when it emptied only
 * the signing keys; kept as an alias).
 *
 * @example
 * ```ts
 * import { clearSigningKeyCache } from 'got-aws4auth/signer';
 * // After rotating a secret access key, drop the signing keys derived from the old one
 * clearSigningKeyCache();
 * ```
 * @category Signer
 */
export function clearSigningKeyCache(): void {
  clearSignerCaches();
}
