/**
 * got's request headers as the plugin reads and writes them. got runs `beforeRequest` for every attempt on
 * a copy of the last attempt's options, which still carries the headers signed last time, in whatever letter
 * case a hook wrote them: each attempt strips the plugin's own headers and signs afresh. Each pass over got's
 * headers costs more inside got than the signature's hashing, so reading is one pass.
 *
 * @internal
 * @module
 */
import type { SignedRequest } from '../signer/types.js';
import type { GotRequestOptions } from './types.js';

/**
 * Headers the plugin owns: stripped before every attempt and written by signing. Any attempt may be SigV4a
 * (configured, or a Multi-Region Access Point host), so x-amz-region-set is among them.
 */
const SIGNING_HEADERS = new Set(['authorization', 'x-amz-date', 'x-amz-security-token', 'x-amz-content-sha256', 'host', 'x-amz-region-set']);
/** Headers got may rewrite after the hooks (cookie jars), or that Node and proxies own. */
const NEVER_SIGNED = new Set(['cookie', 'cookie2']);

/** What is left out of signing: headers got may rewrite after the hooks, and a length a transfer-encoding overrides. */
function unsignable(lowerName: string, hasTransferEncoding: boolean): boolean {
  return NEVER_SIGNED.has(lowerName) || (hasTransferEncoding && lowerName === 'content-length');
}

/** What one pass over got's headers finds. @internal */
export interface GotHeaderScan {
  /** The headers to sign: lower-cased, without the plugin's own and the unsignable ones. */
  readonly headers: Record<string, string | string[] | number | undefined>;
  /** The caller's `x-amz-date` and `x-amz-content-sha256` (meaningful on the first attempt only). */
  readonly amzDate: string | undefined;
  readonly payloadHash: string | undefined;
  readonly contentLength: string | undefined;
  /** Whether every name was lower case already (got lower-cases its own; a hook of the caller may not). */
  readonly lowerCase: boolean;
  hasTransferEncoding: boolean;
}

function singleString(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  if (Array.isArray(value) && value.length === 1) return value[0] as string;
  return undefined;
}

/**
 * Reads got's headers once: strips the headers the plugin owns (a retry or redirect carries the last
 * attempt's, in whatever letter case), notes the caller's own date, payload hash and length, and copies
 * the rest, lower-cased, for signing. Each pass over got's headers costs more inside got than the
 * signature's hashing, so there is one.
 *
 * @internal
 */
export function scanGotHeaders(gotHeaders: GotRequestOptions['headers']): GotHeaderScan {
  const headers: GotHeaderScan['headers'] = {};
  let lowerCase = true;
  let hasTransferEncoding = false;
  let amzDate: string | undefined;
  let payloadHash: string | undefined;
  let contentLength: string | undefined;
  for (const name of Object.keys(gotHeaders)) {
    const lower = name.toLowerCase();
    if (lower !== name) lowerCase = false;
    const value = gotHeaders[name];
    if (SIGNING_HEADERS.has(lower)) {
      if (lower === 'x-amz-date') amzDate = singleString(value);
      else if (lower === 'x-amz-content-sha256') payloadHash = singleString(value);
      delete gotHeaders[name];
      continue;
    }
    if (lower === 'transfer-encoding') hasTransferEncoding = true;
    else if (lower === 'content-length') contentLength = singleString(value);
    if (NEVER_SIGNED.has(lower)) continue;
    if (lower === '__proto__') Object.defineProperty(headers, lower, { value, enumerable: true, writable: true, configurable: true });
    else headers[lower] = value;
  }
  if (hasTransferEncoding) delete headers['content-length'];
  return { headers, amzDate, payloadHash, contentLength, lowerCase, hasTransferEncoding };
}

/**
 * Makes got send exactly the headers signed. With lower-case names (got lower-cases its own) only what
 * the signer added or changed is written, so got's header object is not rebuilt; otherwise every name is
 * replaced by its lower-case form, so two spellings of one header cannot both be sent.
 *
 * @internal
 */
export function writeSignedHeaders(gotHeaders: GotRequestOptions['headers'], signedHeaders: SignedRequest['headers'], lowerCase: boolean, hasTransferEncoding: boolean): void {
  for (const name of Object.keys(gotHeaders)) {
    if (lowerCase && Object.hasOwn(signedHeaders, name)) continue;
    if (!unsignable(name.toLowerCase(), hasTransferEncoding)) delete gotHeaders[name];
  }
  for (const name of Object.keys(signedHeaders)) {
    const value = signedHeaders[name];
    if (name === '__proto__') Object.defineProperty(gotHeaders, name, { value, enumerable: true, writable: true, configurable: true });
    else if (gotHeaders[name] !== value) gotHeaders[name] = value;
  }
}

/**
 * Empties a hop to an origin that is not signed of everything that could carry a credential or a caller's
 * AWS-specific data: `authorization`, and every `x-amz-*` header, whoever set it (the session token, the
 * signature's date and hash, and caller headers such as the SSE-C customer key
 * `x-amz-server-side-encryption-customer-key`). `host` goes too: got sets the new origin's own.
 *
 * @internal
 */
export function stripForForeignOrigin(headers: GotRequestOptions['headers']): void {
  for (const name of Object.keys(headers)) {
    const lower = name.toLowerCase();
    if (lower === 'authorization' || lower === 'host' || lower.startsWith('x-amz-')) delete headers[name];
  }
}
