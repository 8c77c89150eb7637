/**
 * Reading the SigV4 auth a request carries, without judging it yet: the `Authorization` header
 * (`AWS4-HMAC-SHA256 Credential=<id>/<date>/<region>/<service>/aws4_request, SignedHeaders=a;b,
 * Signature=<64 hex>`) or the `X-Amz-*` query parameters of a presigned URL. Strict where a lenient
 * reading would make two different requests verify as one: signed header names must be lower case,
 * sorted and unique, the signature 64 lower-case hex digits, each part given once.
 *
 * @module
 */
import { ALGORITHM } from './string-to-sign.js';
import { accessKeyIdProblem } from './resolve-options.js';
import { verifyFailure, type SigV4AuthMode, type VerifyFailure } from './verify-result.js';

/** The auth parts of a request, read but not yet checked against anything. @internal */
export interface AuthParts {
  readonly mode: SigV4AuthMode;
  readonly accessKeyId: string;
  readonly shortDate: string;
  readonly region: string;
  readonly service: string;
  readonly signedHeaders: readonly string[];
  readonly signature: string;
  /** Query auth: `X-Amz-Date`, `X-Amz-Expires` and `X-Amz-Security-Token` as decoded. */
  readonly queryDate?: string;
  readonly expires?: string;
  readonly sessionToken?: string | undefined;
}

const SIGNATURE = /^[0-9a-f]{64}$/;
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9a-z-]+$/;
const SCOPE_PART = /^[A-Za-z0-9._-]+$/;
const SHORT_DATE = /^\d{8}$/;

/**
 * The query keys of presigned auth, as they are signed (the encoded form; these need no encoding).
 * @category Verifying
 */
export const QUERY_AUTH_KEYS = ['X-Amz-Algorithm', 'X-Amz-Credential', 'X-Amz-Date', 'X-Amz-Expires', 'X-Amz-SignedHeaders', 'X-Amz-Signature', 'X-Amz-Security-Token'] as const;
type QueryAuthKey = (typeof QUERY_AUTH_KEYS)[number];
const QUERY_AUTH_KEY_SET: ReadonlySet<string> = new Set(QUERY_AUTH_KEYS);

function decoded(value: string): string | undefined {
  try {
    return decodeURIComponent(value);
  } catch {
    return undefined;
  }
}

/**
 * The presigned-auth parameters of a raw query (without `?`), decoded; undefined when there are none,
 * a failure when one is repeated or cannot be decoded.
 *
 * @internal
 */
export function queryAuthParams(query: string): Map<QueryAuthKey, string> | VerifyFailure | undefined {
  if (!query.includes('X-Amz-') && !query.includes('%')) return undefined;
  let params: Map<QueryAuthKey, string> | undefined;
  for (const part of query.split('&')) {
    const eq = part.indexOf('=');
    const key = decoded(eq === -1 ? part : part.slice(0, eq));
    if (key === undefined || !QUERY_AUTH_KEY_SET.has(key)) continue;
    params ??= new Map();
    const value = decoded(eq === -1 ? '' : part.slice(eq + 1));
    if (value === undefined) return verifyFailure('malformed', 'query', `The ${key} query parameter is not validly percent-encoded.`);
    if (params.has(key as QueryAuthKey)) return verifyFailure('malformed', 'query', `The ${key} query parameter is given more than once.`);
    params.set(key as QueryAuthKey, value);
  }
  return params;
}

/** Reads `<id>/<date>/<region>/<service>/aws4_request`. */
function parseCredential(value: string, mode: SigV4AuthMode): Pick<AuthParts, 'accessKeyId' | 'shortDate' | 'region' | 'service'> | VerifyFailure {
  const parts = value.split('/');
  const [accessKeyId = '', shortDate = '', region = '', service = '', terminator] = parts;
  const idIsSound = accessKeyId !== '' && accessKeyIdProblem(accessKeyId) === undefined;
  if (parts.length !== 5 || terminator !== 'aws4_request' || !idIsSound || !SHORT_DATE.test(shortDate) || !SCOPE_PART.test(region) || !SCOPE_PART.test(service)) {
    return verifyFailure('malformed', mode, 'The Credential is not of the form <access key id>/<YYYYMMDD>/<region>/<service>/aws4_request.', {
      accessKeyId: idIsSound ? accessKeyId : undefined,
    });
  }
  return { accessKeyId, shortDate, region, service };
}

/** Reads `a;b;c`: lower-case header names, sorted, each once. */
function parseSignedHeaders(value: string, mode: SigV4AuthMode, accessKeyId: string): readonly string[] | VerifyFailure {
  const names = value.split(';');
  for (let i = 0; i < names.length; i++) {
    const name = names[i] as string;
    if (!HEADER_NAME.test(name) || (i > 0 && (names[i - 1] as string) >= name)) {
      return verifyFailure('malformed', mode, 'SignedHeaders must list lower-case header names separated by ";", sorted and each once.', { accessKeyId });
    }
  }
  return names;
}

function assemble(
  mode: SigV4AuthMode,
  credential: string,
  signedHeaders: string,
  signature: string,
  extra: Pick<AuthParts, 'queryDate' | 'expires' | 'sessionToken'> = {},
): AuthParts | VerifyFailure {
  const scope = parseCredential(credential, mode);
  if ('ok' in scope) return scope;
  const names = parseSignedHeaders(signedHeaders, mode, scope.accessKeyId);
  if (!Array.isArray(names)) return names as VerifyFailure;
  if (!SIGNATURE.test(signature)) return verifyFailure('malformed', mode, 'The Signature must be 64 lower-case hexadecimal digits.', { accessKeyId: scope.accessKeyId });
  return { mode, ...scope, signedHeaders: names, signature, ...extra };
}

/**
 * Reads an `Authorization` header value.
 *
 * @internal
 */
export function parseAuthorizationHeader(value: string): AuthParts | VerifyFailure {
  const space = value.indexOf(' ');
  const algorithm = space === -1 ? value : value.slice(0, space);
  if (algorithm !== ALGORITHM) {
    return verifyFailure('unsupported-algorithm', 'header', `Unsupported Authorization Type: only ${ALGORITHM} (SigV4) is accepted here.`);
  }
  const fields = new Map<string, string>();
  for (const component of value.slice(space + 1).split(',')) {
    const item = component.trim();
    const eq = item.indexOf('=');
    const key = eq === -1 ? item : item.slice(0, eq);
    if ((key !== 'Credential' && key !== 'SignedHeaders' && key !== 'Signature') || fields.has(key)) {
      return verifyFailure('malformed', 'header', 'The Authorization header must have exactly the components Credential=, SignedHeaders= and Signature=, each once, separated by commas.');
    }
    fields.set(key, item.slice(eq + 1));
  }
  const credential = fields.get('Credential');
  const signedHeaders = fields.get('SignedHeaders');
  const signature = fields.get('Signature');
  if (credential === undefined || signedHeaders === undefined || signature === undefined) {
    return verifyFailure('malformed', 'header', 'The Authorization header must have the components Credential=, SignedHeaders= and Signature=.');
  }
  return assemble('header', credential, signedHeaders, signature);
}

/**
 * Reads presigned auth from its decoded query parameters.
 *
 * @internal
 */
export function parseQueryAuth(params: ReadonlyMap<QueryAuthKey, string>): AuthParts | VerifyFailure {
  const algorithm = params.get('X-Amz-Algorithm');
  if (algorithm !== ALGORITHM) {
    return algorithm === undefined
      ? verifyFailure('malformed', 'query', 'Query-string authentication requires the X-Amz-Algorithm, X-Amz-Credential, X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders and X-Amz-Expires parameters.')
      : verifyFailure('unsupported-algorithm', 'query', `X-Amz-Algorithm only supports "${ALGORITHM}".`);
  }
  const credential = params.get('X-Amz-Credential');
  const signedHeaders = params.get('X-Amz-SignedHeaders');
  const signature = params.get('X-Amz-Signature');
  const queryDate = params.get('X-Amz-Date');
  const expires = params.get('X-Amz-Expires');
  if (credential === undefined || signedHeaders === undefined || signature === undefined || queryDate === undefined || expires === undefined) {
    return verifyFailure('malformed', 'query', 'Query-string authentication requires the X-Amz-Algorithm, X-Amz-Credential, X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders and X-Amz-Expires parameters.');
  }
  return assemble('query', credential, signedHeaders, signature, { queryDate, expires, sessionToken: params.get('X-Amz-Security-Token') });
}
