/**
 * `NO_PROXY` matching by curl's rules, so a list written for curl means the same here:
 *
 * - `*` alone exempts every host;
 * - entries are separated by commas and/or white space, compared without case;
 * - a name exempts itself and every name under it (`example.com` exempts `example.com` and
 *   `www.example.com`, not `badexample.com`); a leading or trailing dot changes nothing;
 * - an IP address exempts only itself, and `address/bits` a network (`10.0.0.0/8`, `fd00::/8`); an
 *   address never matches a name, nor a name an address;
 * - ports are not part of the match.
 *
 * @module
 */
import { BlockList, isIP } from 'node:net';

function unbracketed(host: string): string {
  return host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
}

function withoutDots(name: string): string {
  const start = name.startsWith('.') ? 1 : 0;
  const end = name.endsWith('.') ? name.length - 1 : name.length;
  return start < end ? name.slice(start, end) : '';
}

function nameMatches(host: string, entry: string): boolean {
  const name = withoutDots(entry);
  if (name === '') return false;
  return host === name || (host.endsWith(name) && host.charAt(host.length - name.length - 1) === '.');
}

function addressMatches(host: string, family: 4 | 6, entry: string): boolean {
  const slash = entry.indexOf('/');
  const address = unbracketed(slash === -1 ? entry : entry.slice(0, slash));
  if (isIP(address) !== family) return false;
  const width = family === 4 ? 32 : 128;
  const bits = slash === -1 ? width : Number(entry.slice(slash + 1));
  if (!Number.isInteger(bits) || bits < 0 || bits > width) return false;
  const type = family === 4 ? 'ipv4' : 'ipv6';
  const network = new BlockList();
  // curl reads a prefix of 0 as "the whole address".
  network.addSubnet(address, bits === 0 ? width : bits, type);
  return network.check(host, type);
}

/**
 * Whether a host is exempted from the proxy by a `NO_PROXY` value.
 *
 * @param hostname - the URL's host name (`URL.hostname`: IPv6 in brackets is accepted)
 * @param noProxy - the value of `no_proxy`/`NO_PROXY`, or undefined when neither is set
 *
 * @example
 * ```ts
 * import { bypassesProxy } from './no-proxy.js';
 * bypassesProxy('bucket.s3.amazonaws.com', 'localhost, amazonaws.com'); // true
 * bypassesProxy('10.1.2.3', '10.0.0.0/8'); // true
 * ```
 * @category CLI
 */
export function bypassesProxy(hostname: string, noProxy: string | undefined): boolean {
  if (noProxy === undefined) return false;
  if (noProxy.trim() === '*') return true;
  const host = withoutDots(unbracketed(hostname).toLowerCase());
  const family = isIP(host);
  return noProxy
    .toLowerCase()
    .split(/[\s,]+/)
    .some((entry) => entry !== '' && (family === 0 ? nameMatches(host, entry) : addressMatches(host, family as 4 | 6, entry)));
}
