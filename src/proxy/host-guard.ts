/**
 * Who may address the proxy. Listening on loopback stops other machines, not a web page: a page whose
 * name rebinds to 127.0.0.1 (DNS rebinding) is same-origin to the browser and could read and write
 * through the proxy, and any page can send simple cross-site requests to 127.0.0.1. So every request,
 * with or without client keys, must name the proxy in its Host header (its own loopback or listen
 * address at the port it arrived on, a configured upstream's host, or a name allowed with `allowHosts`),
 * and a request a browser sent for a web page (an `Origin` header, or `Sec-Fetch-Site` of another site)
 * is refused unless its origin is allowed with `allowOrigins`. Tools (curl, SDKs, the AWS CLI, dashboards'
 * servers) send neither.
 *
 * @module
 */
import type { IncomingMessage } from 'node:http';
import type { ResolvedProxyOptions } from './options.js';
import { ProxyRefusal } from './refusal.js';

const LOOPBACK_NAMES = ['127.0.0.1', 'localhost', '[::1]'];

/** `host[:port]` split, the host lower-cased (an IPv6 literal keeps its brackets). */
function splitHost(value: string): { name: string; port: string | undefined } {
  const text = value.trim().toLowerCase();
  const colon = text.lastIndexOf(':');
  if (colon === -1 || text.endsWith(']') || text.indexOf(':') !== colon && !text.startsWith('[')) return { name: text, port: undefined };
  return { name: text.slice(0, colon), port: text.slice(colon + 1) };
}

/** The socket's own address as a Host name: an IPv6 literal in brackets. */
function ownAddress(req: IncomingMessage): string | undefined {
  const address = req.socket.localAddress?.toLowerCase().replace(/^::ffff:(?=\d+\.)/, '');
  if (address === undefined) return undefined;
  return address.includes(':') ? `[${address}]` : address;
}

function isOwnName(name: string, port: string | undefined, req: IncomingMessage): boolean {
  const localPort = String(req.socket.localPort ?? '');
  if (port === undefined ? localPort !== '80' : port !== localPort) return false;
  return LOOPBACK_NAMES.includes(name) || name === ownAddress(req);
}

function hostAllowed(req: IncomingMessage, options: ResolvedProxyOptions, host: string): boolean {
  const { name, port } = splitHost(host);
  if (isOwnName(name, port, req)) return true;
  const full = port === undefined ? name : `${name}:${port}`;
  if (options.upstreams.some((u) => u.host === full)) return true;
  return options.allowHosts.has(full) || options.allowHosts.has(name);
}

/** A request a browser made for a page of another origin. */
function pageOrigin(req: IncomingMessage): string | undefined {
  const origin = req.headers.origin;
  if (origin !== undefined) return origin;
  // Header values are case-insensitive tokens here; a client that capitalises them is still a web page.
  const site = req.headers['sec-fetch-site']?.trim().toLowerCase();
  return site === 'cross-site' || site === 'same-site' ? `a page of another site (Sec-Fetch-Site: ${site})` : undefined;
}

/**
 * RFC 9112 section 3.2: a server must answer 400 to a request with more than one Host field. Node keeps the
 * first in `req.headers`; a front proxy that routes or checks by the last one would see another name.
 *
 * @throws {@link ProxyRefusal} 400 `InvalidRequest`
 */
function refuseRepeatedHost(req: IncomingMessage): void {
  const raw = req.rawHeaders;
  let hosts = 0;
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i] as string;
    if (name.length === 4 && name.toLowerCase() === 'host') hosts += 1;
  }
  if (hosts > 1) {
    throw new ProxyRefusal(400, 'InvalidRequest', 'The request has more than one Host header: send exactly one, naming this proxy.');
  }
}

/**
 * Refuses a request that does not address the proxy by one of its own names, or that a browser sent for a
 * page of an origin that is not allowed.
 *
 * @throws {@link ProxyRefusal} 403 `AccessDenied`
 */
export function checkAddressedToProxy(req: IncomingMessage, options: ResolvedProxyOptions): void {
  refuseRepeatedHost(req);
  const host = req.headers.host;
  if (host === undefined || !hostAllowed(req, options, host)) {
    throw new ProxyRefusal(
      403,
      'AccessDenied',
      'The Host header does not name this proxy (a web page using DNS rebinding looks like this): use http://127.0.0.1:PORT or localhost, or allow the name with --allow-host (allowHosts).',
    );
  }
  const origin = pageOrigin(req);
  if (origin !== undefined && !options.allowOrigins.has(origin.toLowerCase())) {
    throw new ProxyRefusal(
      403,
      'AccessDenied',
      'The request comes from a web page (it has an Origin or Sec-Fetch-Site header): allow that page\'s origin with --allow-origin (allowOrigins) if it should sign through this proxy.',
    );
  }
}
