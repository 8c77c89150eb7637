/**
 * What the proxy takes from an inbound request before re-signing it: the client's SigV4 scope (if the
 * request is signed), and the path, query and headers to forward with everything of the client's
 * signature removed. The client signed for the proxy with its own (often placeholder) key; none of that
 * may reach the upstream, where it would be wrong or, with a session token, confusing.
 *
 * @module
 */
import type { IncomingHttpHeaders } from 'node:http';
import { ProxyRefusal } from './refusal.js';

/**
 * The scope of the client's signature, as the request states it (verified separately with client keys).
 * @category Proxy
 */
export interface InboundScope {
  readonly kind: 'header' | 'query';
  readonly accessKeyId: string;
  readonly region: string;
  readonly service: string;
}

/** Query parameters of a presigned URL, removed before forwarding. */
const PRESIGN_PARAMS = new Set([
  'x-amz-algorithm', 'x-amz-credential', 'x-amz-date', 'x-amz-expires', 'x-amz-signedheaders', 'x-amz-signature', 'x-amz-security-token',
]);

/**
 * Headers never forwarded: hop-by-hop (RFC 9110 7.6.1, plus the legacy proxy ones), the Host (the
 * upstream's is set), the client's signature, and the aws-chunked framing headers, which the proxy
 * recomputes for the body it sends.
 */
const DROPPED = new Set([
  'connection', 'keep-alive', 'proxy-connection', 'proxy-authorization', 'proxy-authenticate', 'te', 'trailer', 'transfer-encoding', 'upgrade',
  'host', 'expect', 'content-length',
  'authorization', 'x-amz-date', 'x-amz-security-token', 'x-amz-content-sha256', 'x-amz-decoded-content-length', 'x-amz-trailer', 'x-amz-region-set',
]);

function credentialScope(credential: string, kind: InboundScope['kind']): InboundScope {
  const parts = credential.split('/');
  if (parts.length !== 5 || parts[4] !== 'aws4_request' || parts.some((p) => p === '')) {
    throw new ProxyRefusal(400, 'AuthorizationHeaderMalformed', 'The credential must read ACCESS_KEY_ID/YYYYMMDD/REGION/SERVICE/aws4_request.');
  }
  return { kind, accessKeyId: parts[0]!, region: parts[2]!, service: parts[3]! };
}

/** The names of a raw query's parameters, decoded, lower-cased. */
function paramName(pair: string): string {
  const eq = pair.indexOf('=');
  const raw = eq === -1 ? pair : pair.slice(0, eq);
  try {
    return decodeURIComponent(raw.replace(/\+/g, ' ')).toLowerCase();
  } catch {
    return raw.toLowerCase();
  }
}

/**
 * The inbound request line's path and query, split; only origin-form (`/path?query`) is served.
 * @category Proxy
 */
export function splitTarget(url: string | undefined): { path: string; query: string } {
  if (url === undefined || !url.startsWith('/')) {
    throw new ProxyRefusal(
      400,
      'InvalidRequest',
      'This is a signing reverse proxy, not a forward proxy: send requests to its own address (set the client\'s endpoint to it), with a path such as /bucket/key.',
    );
  }
  const q = url.indexOf('?');
  return q === -1 ? { path: url, query: '' } : { path: url.slice(0, q), query: url.slice(q + 1) };
}

/**
 * The client's scope from a SigV4 `Authorization` header or a presigned query, or undefined for a request
 * that is not SigV4-signed.
 *
 * @throws {@link ProxyRefusal} for a malformed SigV4 credential
 * @category Proxy
 */
export function inboundScope(headers: IncomingHttpHeaders, query: string): InboundScope | undefined {
  const authorization = headers.authorization;
  // Other schemes (Basic from a dashboard, SigV2, SigV4a) carry no scope: the request counts as unsigned, its
  // Authorization header is dropped like any client signature, and with client keys the verifier refuses it.
  if (authorization?.startsWith('AWS4-HMAC-SHA256 ') === true) {
    const match = /Credential=([^,\s]+)/.exec(authorization);
    if (match === null) throw new ProxyRefusal(400, 'AuthorizationHeaderMalformed', 'The Authorization header has no Credential=.');
    return credentialScope(match[1]!, 'header');
  }
  if (query === '') return undefined;
  for (const pair of query.split('&')) {
    if (paramName(pair) !== 'x-amz-credential') continue;
    const eq = pair.indexOf('=');
    let value: string;
    try {
      value = decodeURIComponent(pair.slice(eq + 1));
    } catch {
      throw new ProxyRefusal(400, 'AuthorizationQueryParametersError', 'X-Amz-Credential is not valid percent-encoding.');
    }
    return credentialScope(value, 'query');
  }
  return undefined;
}

/**
 * The query to forward: the presigned-URL parameters removed, the rest kept byte for byte, except that a
 * `+` becomes `%20`: servers read `+` as a space while SigV4 signs it as a plus.
 * @category Proxy
 */
export function forwardQuery(query: string): string {
  if (query === '') return '';
  const kept = query.split('&').filter((pair) => pair !== '' && !PRESIGN_PARAMS.has(paramName(pair)));
  return kept.join('&').replace(/\+/g, '%20');
}

/** The names listed in `Connection`, which are hop-by-hop for this one request. */
function connectionTokens(headers: IncomingHttpHeaders): Set<string> | undefined {
  const connection = headers.connection;
  if (connection === undefined) return undefined;
  return new Set(connection.split(',').map((t) => t.trim().toLowerCase()));
}

/**
 * The headers to sign and forward: the inbound ones less {@link DROPPED} and those named in `Connection`;
 * `aws-chunked` is removed from `content-encoding` (the body's own encoding stays).
 * @category Proxy
 */
export function forwardHeaders(headers: IncomingHttpHeaders): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  const perHop = connectionTokens(headers);
  for (const name of Object.keys(headers)) {
    const value = headers[name];
    if (value === undefined || DROPPED.has(name) || perHop?.has(name) === true) continue;
    if (name === 'content-encoding') {
      const own = String(value).split(',').map((t) => t.trim()).filter((t) => t !== '' && t.toLowerCase() !== 'aws-chunked');
      if (own.length > 0) out[name] = own.join(',');
      continue;
    }
    if (name === '__proto__') Object.defineProperty(out, name, { value, enumerable: true, writable: true, configurable: true });
    else out[name] = value;
  }
  return out;
}
