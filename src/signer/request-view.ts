/**
 * The request view: the parts of a URL that SigV4 signs, taken from the string as written. A URL parser
 * would normalise the path (resolving `..`, encoding spaces and Unicode), and the signature must cover the
 * path the caller will actually send, so only the authority goes through `URL` (for IDNA, lower case and
 * default-port handling); path and query are sliced out of the string unchanged.
 *
 * @module
 */
import { InvalidUrlError, describeValue } from './errors.js';
import { redactUrl } from './url-redaction.js';
import { isInstanceOf } from './snapshot.js';
import { BoundedMemo, LastMemo } from './memo.js';

/**
 * The parts of a request URL that are signed.
 * @category Signer
 */
export interface UrlView {
  /** `http:` or `https:`. */
  readonly protocol: 'http:' | 'https:';
  /** The `Host` header value: lower-case host, port only when not the scheme's default, IPv6 in brackets. */
  readonly host: string;
  /** The path exactly as written, `''` when the URL has none. */
  readonly path: string;
  /** The query exactly as written, without `?`, `''` when absent. */
  readonly query: string;
  /** Everything before the path, without user info: `https://host[:port]`. */
  readonly origin: string;
}

const URL_PARTS = /^([a-zA-Z][a-zA-Z0-9+.-]*):\/\/([^/?#]*)([^?#]*)(?:\?([^#]*))?(?:#[\s\S]*)?$/;
const PLAIN_AUTHORITY = /^[a-z0-9.-]+(?::[0-9]{1,5})?$/;
const UNSENDABLE = /[\x00-\x20\x7f]/;
const CONTROL = /[\x00-\x1f\x7f]/;
// The last host, path and query found free of control characters: most requests repeat them.
const soundAuthority = new LastMemo<true>('request-view: last sound authority');
const soundPath = new LastMemo<true>('request-view: last sound path');
const soundQuery = new LastMemo<true>('request-view: last sound query');

/** @internal */
export interface UrlParts {
  readonly protocol: 'http:' | 'https:';
  readonly authority: string;
  readonly path: string;
  readonly query: string;
}

function schemeLength(url: string): number {
  // The two schemes signed almost always arrive in lower case: test them before the general pattern.
  if (url.startsWith('https://')) return 5;
  if (url.startsWith('http://')) return 4;
  return -1;
}

/** @internal */
export function splitUrl(url: string): UrlParts {
  const scheme = schemeLength(url);
  if (scheme === -1) return splitUrlByPattern(url);
  const start = scheme + 3;
  const hash = url.indexOf('#', start);
  const end = hash === -1 ? url.length : hash;
  let question = url.indexOf('?', start);
  if (question > end || question === -1) question = end;
  let slash = url.indexOf('/', start);
  if (slash > question || slash === -1) slash = question;
  return {
    protocol: scheme === 5 ? 'https:' : 'http:',
    authority: url.slice(start, slash),
    path: url.slice(slash, question),
    query: question === end ? '' : url.slice(question + 1, end),
  };
}

/** The general form, for any scheme spelling; also the oracle the fast path is tested against. @internal */
export function splitUrlByPattern(url: string): UrlParts {
  const match = URL_PARTS.exec(url);
  if (match === null) {
    throw new InvalidUrlError(`must be an absolute http(s) URL such as "https://example.amazonaws.com/path", got ${url.length > 100 ? `a string of ${url.length} characters` : JSON.stringify(redactUrl(url))}`);
  }
  const scheme = (match[1] as string).toLowerCase();
  if (scheme !== 'http' && scheme !== 'https') throw new InvalidUrlError(`must use http or https, got ${scheme}:`);
  return { protocol: scheme === 'https' ? 'https:' : 'http:', authority: match[2] as string, path: match[3] as string, query: match[4] ?? '' };
}

type ResolvedAuthority = { host: string; origin: string };
const authorityCache = new BoundedMemo<string, ResolvedAuthority>('request-view: hosts by authority', 256);
const lastResolved = new LastMemo<ResolvedAuthority>('request-view: last host');

function resolveAuthority(protocol: 'http:' | 'https:', authority: string): ResolvedAuthority {
  // A process signs for one host most of the time: compare before building a cache key.
  if (lastResolved.hit(authority, protocol)) return lastResolved.value as ResolvedAuthority;
  return lastResolved.remember(resolveAuthorityCached(protocol, authority), authority, protocol);
}

function resolveAuthorityCached(protocol: 'http:' | 'https:', authority: string): { host: string; origin: string } {
  const cacheKey = protocol + authority;
  const cached = authorityCache.get(cacheKey);
  if (cached !== undefined) return cached;
  let host: string;
  if (PLAIN_AUTHORITY.test(authority) && !authority.includes('..') && !authority.startsWith('.')) {
    const colon = authority.indexOf(':');
    const port = colon === -1 ? '' : authority.slice(colon + 1);
    const defaultPort = protocol === 'https:' ? '443' : '80';
    host = port === '' || Number(port) === Number(defaultPort) ? (colon === -1 ? authority : authority.slice(0, colon)) : `${authority.slice(0, colon)}:${Number(port)}`;
    if (colon !== -1 && Number(port) > 65535) throw new InvalidUrlError(`has a port out of range in "${authority}"`);
  } else {
    let parsed: URL;
    try {
      parsed = new URL(`${protocol}//${authority}/`);
    } catch {
      throw new InvalidUrlError(`has an invalid host: ${authority.length > 100 ? `${authority.length} characters` : JSON.stringify(redactUrl(authority))}`);
    }
    host = parsed.host;
  }
  if (host === '') throw new InvalidUrlError('has no host');
  return authorityCache.set(cacheKey, { host, origin: `${protocol}//${host}` });
}

/** A URL object's parts, read once each; a Proxy of a URL (whose getters throw) becomes a typed error. */
function urlObjectView(url: URL): UrlView {
  let protocol: string, authority: string, path: string, search: string;
  try {
    ({ protocol, host: authority, pathname: path, search } = url);
  } catch {
    throw new InvalidUrlError('is a URL object that could not be read (a Proxy or subclass whose getters threw); pass the URL as a string');
  }
  if (protocol !== 'http:' && protocol !== 'https:') throw new InvalidUrlError(`must use http or https, got ${describeValue(protocol)}`);
  // A URL parser never yields these; a subclass overriding its getters might.
  if (typeof authority !== 'string' || typeof path !== 'string' || typeof search !== 'string' || UNSENDABLE.test(authority) || CONTROL.test(path) || CONTROL.test(search)) {
    throw new InvalidUrlError('is a URL object whose parts are not a valid URL\'s (a subclass overriding its getters?); pass the URL as a string');
  }
  const { host, origin } = resolveAuthority(protocol, authority);
  return { protocol, host, origin, path, query: search.slice(1) };
}

/**
 * Splits a request URL into the parts that are signed.
 *
 * @internal
 */
export function urlView(url: unknown): UrlView {
  if (isInstanceOf(url, URL, 'request.url')) return urlObjectView(url as URL);
  if (typeof url !== 'string') throw new InvalidUrlError(`must be a string or a URL, got ${describeValue(url)}`);
  const parts = splitUrl(url);
  const protocol = parts.protocol;
  let authority = parts.authority;
  // The URL parser would silently drop tabs and line breaks from the host: refuse them like the path does.
  if (!soundAuthority.hit(authority)) {
    if (UNSENDABLE.test(authority)) throw new InvalidUrlError('contains a space or control character in its host; check the URL');
    soundAuthority.remember(true, authority);
  }
  const at = authority.lastIndexOf('@');
  if (at !== -1) authority = authority.slice(at + 1);
  const path = parts.path;
  const query = parts.query;
  // Raw spaces are allowed in the path and query (they are encoded when signed and sent); controls are not.
  if ((!soundPath.hit(path) && CONTROL.test(path)) || (!soundQuery.hit(query) && CONTROL.test(query))) {
    throw new InvalidUrlError('contains a control character in its path or query; percent-encode it');
  }
  soundPath.remember(true, path);
  soundQuery.remember(true, query);
  const { host, origin } = resolveAuthority(protocol, authority);
  return { protocol, host, origin, path, query };
}
