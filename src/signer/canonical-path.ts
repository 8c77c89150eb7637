/**
 * The canonical URI. Every service but S3 wants the path normalised (no `.`/`..` segments, no repeated
 * slashes) and encoded once more on top of its wire form; S3 wants the object key exactly as addressed,
 * encoded exactly once, so a path that arrives with raw characters and one that arrives already encoded
 * sign the same.
 *
 * @module
 */
import { uriEncode, uriRecode } from './uri-encode.js';
import { LastMemo } from './memo.js';

/**
 * How {@link canonicalPath} treats the path.
 *
 * @example
 * ```ts
 * import { canonicalPath, type PathRules } from 'got-aws4auth/signer';
 * const s3: PathRules = { normalize: false, doubleEncode: false };
 * const otherServices: PathRules = { normalize: true, doubleEncode: true };
 * canonicalPath('/photos/2024/a b.jpg', s3); // '/photos/2024/a%20b.jpg'
 * canonicalPath('/logs//2024/../_search', otherServices); // '/logs/_search'
 * ```
 * @category Signer
 */
export interface PathRules {
  /** Remove dot segments and empty segments (non-S3 services). */
  readonly normalize: boolean;
  /** Encode the path as written once more (non-S3 services); otherwise decode and encode exactly once. */
  readonly doubleEncode: boolean;
}

/**
 * Resolves `.` and `..` segments and drops empty ones, keeping the leading slash, and a trailing one
 * when the path ends in `/` and something is left (as botocore and the SDK do: `/a/b/..` is `/a`).
 *
 * @internal
 */
function normalizePathSegments(path: string): string {
  if (!path.includes('//') && !path.includes('/.')) return path;
  const segments: string[] = [];
  for (const segment of path.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') segments.pop();
    else segments.push(segment);
  }
  const trailingSlash = segments.length > 0 && path.endsWith('/');
  return `/${segments.join('/')}${trailingSlash ? '/' : ''}`;
}

/**
 * Builds the canonical URI from a path as written (raw or percent-encoded, starting with `/`).
 *
 * @example
 * ```ts
 * import { canonicalPath } from 'got-aws4auth/signer';
 * canonicalPath('/a b/../c%2B', { normalize: true, doubleEncode: true }); // '/c%252B'
 * canonicalPath('/a b/../c%2B', { normalize: false, doubleEncode: false }); // '/a%20b/../c%2B'
 * ```
 * @category Signer
 */
export function canonicalPath(path: string, rules: PathRules): string {
  if (path === '') return '/';
  // Services are called on a few paths over and over (DynamoDB and SQS always on "/"): remember the last.
  if (lastCanonicalPath.hit(path, rules.normalize, rules.doubleEncode)) return lastCanonicalPath.value as string;
  const normalized = rules.normalize ? normalizePathSegments(path) : path;
  const canonical = rules.doubleEncode
    ? uriEncode(normalized, true, 'request.url (path)')
    : uriRecode(normalized, true, 'request.url (path)');
  return lastCanonicalPath.remember(canonical, path, rules.normalize, rules.doubleEncode);
}

const lastCanonicalPath = new LastMemo<string>('canonical-path: last canonical path');
