/**
 * Validation and defaulting of {@link SignOptions}, shared by header signing and presigning, so every
 * bad input is refused with an error naming the field before any signing work is done.
 *
 * @module
 */
import type { KeyObject } from 'node:crypto';
import { InvalidCredentialsError, InvalidInputError, describeValue } from './errors.js';
import { toAmzDate } from './amz-date.js';
import { checkPayloadHash } from './payload-hash.js';
import { isS3Service } from './service-rules.js';
import { cachedSigningKey } from './signing-key.js';
import { cachedSigV4aKeyPair } from './sigv4a-key.js';
import { ALGORITHM } from './string-to-sign.js';
import { accessKeyIdProblem, sessionTokenProblem, checkRegionSet, checkScopePart } from './validate.js';
import { SIGV4A_ALGORITHM } from './sigv4a.js';
import { headerSelector } from './canonical-headers.js';
import type { PathRules } from './canonical-path.js';
import type { SignOptions } from './types.js';

/** What SigV4a signing needs beyond SigV4's options. @internal */
export interface ResolvedSigV4a {
  /** The `x-amz-region-set` value: the regions, comma-joined. */
  readonly regionSet: string;
  /** The ECDSA private key derived from the credentials. */
  readonly privateKey: () => KeyObject;
}

/** Options after validation and defaulting. @internal */
export interface ResolvedOptions {
  readonly accessKeyId: string;
  readonly sessionToken: string | undefined;
  /** Undefined only for SigV4a without `options.region`. */
  readonly region: string | undefined;
  readonly service: string;
  readonly amzDate: string;
  readonly shortDate: string;
  readonly credentialScope: string;
  readonly pathRules: PathRules;
  readonly s3: boolean;
  readonly contentSha256Header: boolean;
  readonly payloadHash: string | undefined;
  readonly signSessionToken: boolean;
  readonly selectHeader: (name: string) => boolean;
  readonly dateHeader: 'x-amz-date' | 'date';
  /** The SigV4 signing key; undefined for SigV4a. */
  readonly signingKey: Uint8Array | undefined;
  /** `AWS4-HMAC-SHA256`, or `AWS4-ECDSA-P256-SHA256` for SigV4a. */
  readonly algorithm: string;
  /** Undefined for SigV4, set for SigV4a. */
  readonly sigV4a: ResolvedSigV4a | undefined;
}

// Indexed [normalize][doubleEncode], so no rules object is built per signature.
const PATH_RULES: readonly [readonly [PathRules, PathRules], readonly [PathRules, PathRules]] = [
  [{ normalize: false, doubleEncode: false }, { normalize: false, doubleEncode: true }],
  [{ normalize: true, doubleEncode: false }, { normalize: true, doubleEncode: true }],
];

// Kept for the modules that imported them from here; the rules live in validate.ts.
export { accessKeyIdProblem, sessionTokenProblem, checkRegionSet } from './validate.js';

function credentialField(credentials: object, name: 'accessKeyId' | 'secretAccessKey' | 'sessionToken'): unknown {
  if (Object.hasOwn(credentials, name) || Object.getPrototypeOf(credentials) !== Object.prototype) return (credentials as Record<string, unknown>)[name];
  return undefined;
}

const scopePart = checkScopePart;

function resolveSigV4a(options: SignOptions, accessKeyId: string, secretAccessKey: string, region: string | undefined): ResolvedSigV4a {
  const given: unknown = options.regionSet;
  if (given === undefined && region === undefined) {
    throw new InvalidInputError('options.regionSet', 'is required for SigV4a when options.region is omitted, e.g. ["us-east-1"] or ["*"]');
  }
  return {
    regionSet: given === undefined ? (region as string) : checkRegionSet(given, 'options.regionSet'),
    privateKey: () => cachedSigV4aKeyPair(accessKeyId, secretAccessKey).privateKey,
  };
}

function optionalBoolean(value: unknown, field: string): boolean | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'boolean') throw new InvalidInputError(field, `must be true or false, got ${describeValue(value)}`);
  return value;
}

let lastScope = { shortDate: '', region: undefined as string | undefined, service: '', scope: '' };

/** `date/region/service/aws4_request` (SigV4a: no region), one string per scope rather than one per signature. */
function credentialScope(shortDate: string, region: string | undefined, service: string): string {
  const last = lastScope;
  if (last.shortDate === shortDate && last.region === region && last.service === service) return last.scope;
  const scope = region === undefined ? `${shortDate}/${service}/aws4_request` : `${shortDate}/${region}/${service}/aws4_request`;
  lastScope = { shortDate, region, service, scope };
  return scope;
}

/** @internal */
export function resolveOptions(options: SignOptions): ResolvedOptions {
  if (options === null || typeof options !== 'object') throw new InvalidInputError('options', `must be an object, got ${describeValue(options)}`);
  const credentials = options.credentials;
  if (credentials === null || typeof credentials !== 'object') {
    throw new InvalidCredentialsError('options.credentials', `must be an object with accessKeyId and secretAccessKey, got ${describeValue(credentials)}`);
  }
  // Each field is read once, so the value checked is the value signed (a getter or Proxy could answer
  // differently each time), and a field inherited from a polluted Object.prototype is ignored.
  const accessKeyId = credentialField(credentials, 'accessKeyId');
  const secretAccessKey = credentialField(credentials, 'secretAccessKey');
  const credentialToken = credentialField(credentials, 'sessionToken');
  if (typeof accessKeyId !== 'string' || accessKeyId === '') {
    throw new InvalidCredentialsError('options.credentials.accessKeyId', `must be a non-empty string, got ${typeof accessKeyId === 'string' ? 'an empty string' : describeValue(accessKeyId)}`);
  }
  const accessKeyIdIssue = accessKeyIdProblem(accessKeyId);
  if (accessKeyIdIssue !== undefined) throw new InvalidCredentialsError('options.credentials.accessKeyId', accessKeyIdIssue);
  const algorithm = options.algorithm;
  const v4a = algorithm === 'sigv4a';
  if (!v4a && algorithm !== undefined && algorithm !== 'sigv4') {
    throw new InvalidInputError('options.algorithm', `must be "sigv4" or "sigv4a", got ${describeValue(algorithm)}`);
  }
  const signingKey: unknown = options.signingKey;
  if (v4a && signingKey !== undefined) {
    throw new InvalidInputError('options.signingKey', 'applies to SigV4 only: SigV4a derives its key from credentials.secretAccessKey; omit it');
  }
  if (!v4a && options.regionSet !== undefined) {
    throw new InvalidInputError('options.regionSet', 'applies to SigV4a only; set options.algorithm to "sigv4a" or omit it');
  }
  if (signingKey !== undefined && !(signingKey instanceof Uint8Array && signingKey.length === 32)) {
    throw new InvalidInputError('options.signingKey', 'must be a 32-byte Uint8Array from deriveSigningKey');
  }
  if (signingKey === undefined && (typeof secretAccessKey !== 'string' || secretAccessKey === '')) {
    throw new InvalidCredentialsError(
      'options.credentials.secretAccessKey',
      `must be a non-empty string, got ${typeof secretAccessKey === 'string' ? 'an empty string' : typeof secretAccessKey === 'object' ? describeValue(secretAccessKey) : typeof secretAccessKey}`,
    );
  }
  let sessionToken: string | undefined;
  if (credentialToken !== undefined && credentialToken !== null) {
    if (typeof credentialToken !== 'string') {
      throw new InvalidCredentialsError('options.credentials.sessionToken', `must be a string when present, got ${typeof credentialToken}`);
    }
    const tokenIssue = sessionTokenProblem(credentialToken);
    if (tokenIssue !== undefined) throw new InvalidCredentialsError('options.credentials.sessionToken', tokenIssue);
    sessionToken = credentialToken === '' ? undefined : credentialToken;
  }
  const region = v4a && options.region === undefined ? undefined : scopePart(options.region, 'options.region', 'us-east-1');
  const service = scopePart(options.service, 'options.service', 's3');
  const amzDate = toAmzDate(options.date ?? new Date());
  const shortDate = amzDate.slice(0, 8);
  const s3 = isS3Service(service);
  const normalize = optionalBoolean(options.normalizePath, 'options.normalizePath') ?? !s3;
  const doubleEncode = optionalBoolean(options.doubleEncodePath, 'options.doubleEncodePath') ?? !s3;
  // OpenSearch Serverless, like S3, requires the payload hash in x-amz-content-sha256.
  const contentSha256Header = optionalBoolean(options.contentSha256Header, 'options.contentSha256Header') ?? (s3 || service === 'aoss');
  const signSessionToken = optionalBoolean(options.signSessionToken, 'options.signSessionToken') ?? true;
  const payloadHash = options.payloadHash === undefined ? undefined : checkPayloadHash(options.payloadHash, 'options.payloadHash');
  const includeHeaders = options.includeHeaders;
  if (includeHeaders !== undefined && (!Array.isArray(includeHeaders) || includeHeaders.some((h) => typeof h !== 'string' || !/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(h)))) {
    throw new InvalidInputError('options.includeHeaders', 'must be an array of header names or patterns such as "x-amz-*"');
  }
  const dateHeader = options.dateHeader ?? 'x-amz-date';
  if (dateHeader !== 'x-amz-date' && dateHeader !== 'date') {
    throw new InvalidInputError('options.dateHeader', `must be "x-amz-date" or "date", got ${describeValue(dateHeader)}`);
  }
  return {
    accessKeyId,
    sessionToken,
    region,
    service,
    amzDate,
    shortDate,
    credentialScope: credentialScope(shortDate, v4a ? undefined : region, service),
    pathRules: PATH_RULES[normalize ? 1 : 0][doubleEncode ? 1 : 0],
    s3,
    contentSha256Header,
    payloadHash,
    signSessionToken,
    selectHeader: headerSelector(includeHeaders),
    dateHeader,
    signingKey: v4a ? undefined : signingKey ?? cachedSigningKey(secretAccessKey as string, shortDate, region as string, service),
    algorithm: v4a ? SIGV4A_ALGORITHM : ALGORITHM,
    sigV4a: v4a ? resolveSigV4a(options, accessKeyId, secretAccessKey as string, region) : undefined,
  };
}
