/**
 * A request can never leave its upstream's base path. With an upstream such as `https://api.example/prod`,
 * `/../admin/users` would be sent as `/prod/../admin/users`, and the upstream (or the signer, which
 * normalises non-S3 paths) resolves it to `/admin/users`: a path the proxy was never told to sign for. A
 * path with a `.` or `..` segment is therefore refused whenever the upstream has a base path, or its service
 * normalises paths (everything but S3). Segments are looked at after percent-decoding, repeatedly (so
 * `%2e%2e` and `%252e%252e` count), and a backslash counts as a slash, as some servers read it. S3 in front
 * of a bucket root keeps such keys: S3 does not resolve dot segments, and there is no base to leave.
 *
 * @module
 */
import { rulesFor } from '../signer/service-rules.js';
import { ProxyRefusal } from './refusal.js';
import type { Upstream } from './upstreams.js';

const ESCAPE = /%([0-9a-f]{2})/gi;
const MAX_DECODES = 4;

/** The path with percent-escapes decoded (byte by byte, as Latin-1: only dots and slashes matter here) until none is left. */
function decoded(path: string): string {
  let text = path;
  for (let i = 0; i < MAX_DECODES && text.includes('%'); i++) {
    const next = text.replace(ESCAPE, (_m, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));
    if (next === text) break;
    text = next;
  }
  return text;
}

/**
 * Whether a path has a `.` or `..` segment, in any encoding.
 * @category Proxy
 */
export function hasDotSegment(path: string): boolean {
  return decoded(path).split(/[/\\]/).some((segment) => segment === '.' || segment === '..');
}

/**
 * Refuses a path that could resolve outside the upstream's base path.
 *
 * @throws {@link ProxyRefusal} 400 `InvalidURI`
 * @category Proxy
 */
export function checkPathStaysInBase(path: string, upstream: Upstream, service: string): void {
  // A service that signs its paths unnormalised (the S3 family) sees dot segments as key text, not as steps up.
  if (upstream.basePath === '' && !rulesFor(service).pathRules.normalize) return;
  if (hasDotSegment(path)) {
    throw new ProxyRefusal(400, 'InvalidURI', 'The path has a "." or ".." segment (perhaps percent-encoded): the proxy forwards only paths inside its upstream, so send the resolved path.');
  }
}
