/**
 * The canonical query string: every `key=value` pair decoded and re-encoded per SigV4, sorted by
 * encoded key and then encoded value, repeated keys all kept, a key without `=` signed as `key=`.
 * `+` is a literal plus (`%2B`): SigV4 never reads it as a space.
 *
 * @module
 */
import { uriRecode } from './uri-encode.js';
import { LastMemo } from './memo.js';

/**
 * An encoded `[key, value]` pair.
 *
 * @example
 * ```ts
 * import { canonicalQuery, encodedQueryPairs, type EncodedPair } from 'got-aws4auth/signer';
 * const pairs: EncodedPair[] = encodedQueryPairs('list-type=2&prefix=logs/'); // [['list-type', '2'], ['prefix', 'logs%2F']]
 * canonicalQuery([...pairs, ['max-keys', '100']]); // 'list-type=2&max-keys=100&prefix=logs%2F'
 * ```
 * @category Signer
 */
export type EncodedPair = readonly [key: string, value: string];

/**
 * Splits a raw query string (without `?`) into encoded pairs. Empty pairs (`a&&b`) are dropped.
 *
 * @internal
 */
export function encodedQueryPairs(query: string): EncodedPair[] {
  const pairs: EncodedPair[] = [];
  if (query === '') return pairs;
  for (const part of query.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const key = eq === -1 ? part : part.slice(0, eq);
    const value = eq === -1 ? '' : part.slice(eq + 1);
    pairs.push([uriRecode(key, false, 'request.url (query key)'), uriRecode(value, false, 'request.url (query value)')]);
  }
  return pairs;
}

function comparePairs(a: EncodedPair, b: EncodedPair): number {
  // Encoded pairs are pure ASCII, so UTF-16 code unit order is byte order.
  if (a[0] !== b[0]) return a[0] < b[0] ? -1 : 1;
  if (a[1] !== b[1]) return a[1] < b[1] ? -1 : 1;
  return 0;
}

/**
 * Joins encoded pairs into the canonical query string, sorting them in place.
 *
 * @example
 * ```ts
 * import { canonicalQuery, encodedQueryPairs } from 'got-aws4auth/signer';
 * canonicalQuery(encodedQueryPairs('b=2&a=x+y&a&c=%7e')); // 'a=&a=x%2By&b=2&c=~'
 * ```
 * @category Signer
 */
export function canonicalQuery(pairs: EncodedPair[]): string {
  if (pairs.length === 0) return '';
  if (pairs.length > 1) pairs.sort(comparePairs);
  let out = `${pairs[0]![0]}=${pairs[0]![1]}`;
  for (let i = 1; i < pairs.length; i++) out += `&${pairs[i]![0]}=${pairs[i]![1]}`;
  return out;
}

const lastCanonicalQuery = new LastMemo<string>('canonical-query: last canonical query');

/**
 * The canonical query string of a raw query (without `?`), remembering the last one: a client calls the
 * same few URLs over and over.
 *
 * @internal
 */
export function canonicalQueryOf(query: string): string {
  if (lastCanonicalQuery.hit(query)) return lastCanonicalQuery.value as string;
  return lastCanonicalQuery.remember(canonicalQuery(encodedQueryPairs(query)), query);
}
