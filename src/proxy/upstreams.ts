/**
 * The upstreams the proxy signs for, and which one an inbound request goes to. The proxy never signs for a
 * host named in a request: a request is matched to one of the configured upstreams (by its Host header,
 * else by the service of its signed scope, else the first), and only that upstream's origin is contacted.
 *
 * @module
 */
import { checkScopePart } from '../signer/validate.js';
import { inferEndpoint } from '../endpoints/index.js';
import { InvalidInputError, describeValue } from '../signer/errors.js';
import { isInstanceOf, snapshotOwn } from '../signer/snapshot.js';
import type { UpstreamOptions } from './types.js';

/**
 * A configured upstream, resolved.
 * @category Proxy
 */
export interface Upstream {
  /** `http(s)://host[:port]`. */
  readonly origin: string;
  readonly https: boolean;
  /** `URL.host`: the Host header sent upstream. */
  readonly host: string;
  readonly hostname: string;
  readonly port: number;
  /** The base path inbound paths are appended to: `''` or `/prefix` (no trailing slash). */
  readonly basePath: string;
  /** Configured or inferred; undefined means "from the inbound request's signed scope". */
  readonly service: string | undefined;
  readonly region: string | undefined;
}

function parseUrl(value: unknown, field: string): URL {
  if (isInstanceOf(value, URL, field)) return new URL((value as URL).href);
  if (typeof value === 'string') {
    try {
      return new URL(value);
    } catch {
      // fall through to the error below
    }
  }
  throw new InvalidInputError(field, `must be an absolute http(s) URL such as "https://my-bucket.s3.eu-west-1.amazonaws.com", got ${describeValue(value)}`);
}

function readUpstream(value: unknown, field: string): { url: URL; service: unknown; region: unknown } {
  if (typeof value === 'string' || isInstanceOf(value, URL, field)) return { url: parseUrl(value, field), service: undefined, region: undefined };
  if (value === null || typeof value !== 'object') {
    throw new InvalidInputError(field, `must be a URL or { url, service?, region? }, got ${describeValue(value)}`);
  }
  const options = snapshotOwn(value, ['url', 'service', 'region'] satisfies (keyof UpstreamOptions)[], field);
  return { url: parseUrl(options.url, `${field}.url`), service: options.service, region: options.region };
}

/**
 * Resolves one configured upstream.
 *
 * @throws {@link InvalidInputError} for a URL that is not plain http(s), or a host that only accepts SigV4a
 * @category Proxy
 */
export function resolveUpstream(value: unknown, field: string): Upstream {
  const { url, service, region } = readUpstream(value, field);
  const urlField = typeof value === 'object' && !isInstanceOf(value, URL, field) ? `${field}.url` : field;
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new InvalidInputError(urlField, `must use http or https, got ${JSON.stringify(url.protocol)}`);
  }
  if (url.username !== '' || url.password !== '' || url.search !== '' || url.hash !== '') {
    throw new InvalidInputError(urlField, 'must be an origin with an optional base path: no user info, query or fragment');
  }
  const inferred = inferEndpoint(url.host);
  if (inferred?.algorithm === 'sigv4a') {
    throw new InvalidInputError(urlField, 'is a host that only accepts SigV4a (a Multi-Region Access Point); the proxy signs SigV4 only');
  }
  return Object.freeze({
    origin: url.origin,
    https: url.protocol === 'https:',
    host: url.host,
    hostname: url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname,
    port: url.port === '' ? (url.protocol === 'https:' ? 443 : 80) : Number(url.port),
    basePath: url.pathname.replace(/\/+$/, ''),
    service: service === undefined ? inferred?.service : checkScopePart(service, `${field}.service`, 's3'),
    region: region === undefined ? inferred?.region : checkScopePart(region, `${field}.region`, 'eu-west-1'),
  });
}

/**
 * Picks the upstream for a request: the one whose host the Host header names (a client that addresses the
 * real endpoint through the proxy), else the first whose service is the signed scope's, else the first.
 * @category Proxy
 */
export function selectUpstream(upstreams: readonly Upstream[], hostHeader: string | undefined, scopeService: string | undefined): Upstream {
  if (upstreams.length === 1) return upstreams[0]!;
  if (hostHeader !== undefined) {
    const host = hostHeader.toLowerCase();
    const byHost = upstreams.find((u) => u.host === host);
    if (byHost !== undefined) return byHost;
  }
  if (scopeService !== undefined) {
    const byService = upstreams.find((u) => u.service === scopeService);
    if (byService !== undefined) return byService;
  }
  return upstreams[0]!;
}
