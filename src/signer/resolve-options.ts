/**
 * Validation and defaulting of {@link SignOptions}, shared by header signing and presigning, so every
 * bad input is refused with an error naming the field before any signing work is done.
 *
 * @module
 */
import type { KeyObject } from 'node:crypto';
import { InvalidCredentialsError, InvalidInputError, describeValue } from './errors.js';
import { toAmzDate } from './amz-date.js';
import { rulesFor } from './service-rules.js';
import { cachedSigningKey } from './signing-key.js';
import { cachedSigV4aKeyPair } from './sigv4a-key.js';
import { ALGORITHM } from './string-to-sign.js';
import {
  checkAccessKeyId,
  checkIncludeHeaders,
  checkOptionalBoolean,
  checkPayloadHash,
  checkRegionSet,
  checkScopePart,
  checkSecret,
  checkSessionToken,
  checkSigningKey,
} from './validate.js';
import { ownOnly, UNREADABLE, type Snapshot } from './snapshot.js';
import { LastMemo } from './memo.js';
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
  /** What a presigned URL signs as its payload by default (see `rulesFor`). */
  readonly presignPayload: 'unsigned' | 'hash';
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
  /** `options.expiresIn` as read (presigning validates it). */
  readonly expiresIn: unknown;
}

// Indexed [normalize][doubleEncode], so no rules object is built per signature.
const PATH_RULES: readonly [readonly [PathRules, PathRules], readonly [PathRules, PathRules]] = [
  [{ normalize: false, doubleEncode: false }, { normalize: false, doubleEncode: true }],
  [{ normalize: true, doubleEncode: false }, { normalize: true, doubleEncode: true }],
];

/** The option fields the signer reads, each once, own properties only. */
const SIGN_OPTION_KEYS = [
  'credentials',
  'service',
  'region',
  'date',
  'algorithm',
  'signingKey',
  'regionSet',
  'normalizePath',
  'doubleEncodePath',
  'contentSha256Header',
  'payloadHash',
  'signSessionToken',
  'includeHeaders',
  'dateHeader',
  'expiresIn',
] as const;
const CREDENTIAL_KEYS = ['accessKeyId', 'secretAccessKey', 'sessionToken'] as const;

/** A snapshot of sign options: plain fields, read once, own properties only. @internal */
export type SignOptionsSnapshot = Snapshot<(typeof SIGN_OPTION_KEYS)[number]>;

// Kept for the modules that imported them from here; the rules live in validate.ts.
export { accessKeyIdProblem, sessionTokenProblem, checkRegionSet } from './validate.js';

/**
 * Reads the options object once, own properties only (a value inherited from a polluted
 * `Object.prototype` is never seen), into a plain snapshot that is validated and used instead.
 *
 * @internal
 */
export function snapshotSignOptions(options: unknown): SignOptionsSnapshot {
  if (options === null || typeof options !== 'object') throw new InvalidInputError('options', `must be an object, got ${describeValue(options)}`);
  const o = options as Readonly<Record<(typeof SIGN_OPTION_KEYS)[number], unknown>>;
  // Field by constant name, every field an own property of the result (so no read of it reaches a
  // prototype): a frozen null-prototype record built in a loop made a signature ~15% slower.
  try {
    return {
      credentials: ownOnly(o, 'credentials', o.credentials),
      service: ownOnly(o, 'service', o.service),
      region: ownOnly(o, 'region', o.region),
      date: ownOnly(o, 'date', o.date),
      algorithm: ownOnly(o, 'algorithm', o.algorithm),
      signingKey: ownOnly(o, 'signingKey', o.signingKey),
      regionSet: ownOnly(o, 'regionSet', o.regionSet),
      normalizePath: ownOnly(o, 'normalizePath', o.normalizePath),
      doubleEncodePath: ownOnly(o, 'doubleEncodePath', o.doubleEncodePath),
      contentSha256Header: ownOnly(o, 'contentSha256Header', o.contentSha256Header),
      payloadHash: ownOnly(o, 'payloadHash', o.payloadHash),
      signSessionToken: ownOnly(o, 'signSessionToken', o.signSessionToken),
      includeHeaders: ownOnly(o, 'includeHeaders', o.includeHeaders),
      dateHeader: ownOnly(o, 'dateHeader', o.dateHeader),
      expiresIn: ownOnly(o, 'expiresIn', o.expiresIn),
    };
  } catch {
    throw new InvalidInputError('options', UNREADABLE);
  }
}

/**
 * Reads the credentials once, own properties only (an inherited `sessionToken` is never seen).
 *
 * @internal
 */
export function snapshotCredentials(value: unknown): Snapshot<(typeof CREDENTIAL_KEYS)[number]> {
  if (value === null || typeof value !== 'object') {
    throw new InvalidCredentialsError('options.credentials', `must be an object with accessKeyId and secretAccessKey, got ${describeValue(value)}`);
  }
  const c = value as Readonly<Record<(typeof CREDENTIAL_KEYS)[number], unknown>>;
  try {
    return {
      accessKeyId: ownOnly(c, 'accessKeyId', c.accessKeyId),
      secretAccessKey: ownOnly(c, 'secretAccessKey', c.secretAccessKey),
      sessionToken: ownOnly(c, 'sessionToken', c.sessionToken),
    };
  } catch {
    throw new InvalidCredentialsError('options.credentials', UNREADABLE);
  }
}

/** The credentials, read once, own properties only, and validated. */
function resolveCredentials(value: unknown, v4a: boolean, hasSigningKey: boolean): { accessKeyId: string; secretAccessKey: string; sessionToken: string | undefined } {
  const credentials = snapshotCredentials(value);
  const accessKeyId = checkAccessKeyId(credentials.accessKeyId, 'options.credentials.accessKeyId');
  const secretAccessKey = v4a || !hasSigningKey ? checkSecret(credentials.secretAccessKey, 'options.credentials.secretAccessKey') : '';
  return { accessKeyId, secretAccessKey, sessionToken: checkSessionToken(credentials.sessionToken, 'options.credentials.sessionToken') };
}

function resolveSigV4a(options: SignOptionsSnapshot, accessKeyId: string, secretAccessKey: string, region: string | undefined): ResolvedSigV4a {
  const given: unknown = options.regionSet;
  if (given === undefined && region === undefined) {
    throw new InvalidInputError('options.regionSet', 'is required for SigV4a when options.region is omitted, e.g. ["us-east-1"] or ["*"]');
  }
  return {
    regionSet: given === undefined ? (region as string) : checkRegionSet(given, 'options.regionSet'),
    privateKey: () => cachedSigV4aKeyPair(accessKeyId, secretAccessKey).privateKey,
  };
}

const credentialScopeMemo = new LastMemo<string>('resolve-options: last credential scope');

/** `date/region/service/aws4_request` (SigV4a: no region), one string per scope rather than one per signature. */
function credentialScope(shortDate: string, region: string | undefined, service: string): string {
  if (credentialScopeMemo.hit(shortDate, region, service)) return credentialScopeMemo.value as string;
  const scope = region === undefined ? `${shortDate}/${service}/aws4_request` : `${shortDate}/${region}/${service}/aws4_request`;
  return credentialScopeMemo.remember(scope, shortDate, region, service);
}

function checkAlgorithm(options: SignOptionsSnapshot): boolean {
  const algorithm = options.algorithm;
  const v4a = algorithm === 'sigv4a';
  if (!v4a && algorithm !== undefined && algorithm !== 'sigv4') {
    throw new InvalidInputError('options.algorithm', `must be "sigv4" or "sigv4a", got ${describeValue(algorithm)}`);
  }
  if (v4a && options.signingKey !== undefined) {
    throw new InvalidInputError('options.signingKey', 'applies to SigV4 only: SigV4a derives its key from credentials.secretAccessKey; omit it');
  }
  if (!v4a && options.regionSet !== undefined) {
    throw new InvalidInputError('options.regionSet', 'applies to SigV4a only; set options.algorithm to "sigv4a" or omit it');
  }
  return v4a;
}

function checkDateHeader(value: unknown): 'x-amz-date' | 'date' {
  if (value === undefined) return 'x-amz-date';
  if (value !== 'x-amz-date' && value !== 'date') throw new InvalidInputError('options.dateHeader', `must be "x-amz-date" or "date", got ${describeValue(value)}`);
  return value;
}

/** @internal */
export function resolveOptions(given: SignOptions | SignOptionsSnapshot): ResolvedOptions {
  const options = snapshotSignOptions(given);
  const v4a = checkAlgorithm(options);
  const signingKey = checkSigningKey(options.signingKey, 'options.signingKey');
  const { accessKeyId, secretAccessKey, sessionToken } = resolveCredentials(options.credentials, v4a, signingKey !== undefined);
  const region = v4a && options.region === undefined ? undefined : checkScopePart(options.region, 'options.region', 'us-east-1');
  const service = checkScopePart(options.service, 'options.service', 's3');
  const amzDate = toAmzDate((options.date ?? new Date()) as Date);
  const shortDate = amzDate.slice(0, 8);
  const rules = rulesFor(service);
  const normalize = checkOptionalBoolean(options.normalizePath, 'options.normalizePath') ?? rules.pathRules.normalize;
  const doubleEncode = checkOptionalBoolean(options.doubleEncodePath, 'options.doubleEncodePath') ?? rules.pathRules.doubleEncode;
  const includeHeaders = checkIncludeHeaders(options.includeHeaders, 'options.includeHeaders');
  return {
    accessKeyId,
    sessionToken,
    region,
    service,
    amzDate,
    shortDate,
    credentialScope: credentialScope(shortDate, v4a ? undefined : region, service),
    pathRules: PATH_RULES[normalize ? 1 : 0][doubleEncode ? 1 : 0],
    s3: rules.s3,
    presignPayload: rules.presignPayload,
    contentSha256Header: checkOptionalBoolean(options.contentSha256Header, 'options.contentSha256Header') ?? rules.contentSha256Header,
    payloadHash: options.payloadHash === undefined ? undefined : checkPayloadHash(options.payloadHash, 'options.payloadHash'),
    signSessionToken: checkOptionalBoolean(options.signSessionToken, 'options.signSessionToken') ?? true,
    selectHeader: headerSelector(includeHeaders),
    dateHeader: checkDateHeader(options.dateHeader),
    signingKey: v4a ? undefined : signingKey ?? cachedSigningKey(secretAccessKey, shortDate, region as string, service),
    algorithm: v4a ? SIGV4A_ALGORITHM : ALGORITHM,
    sigV4a: v4a ? resolveSigV4a(options, accessKeyId, secretAccessKey, region) : undefined,
    expiresIn: options.expiresIn,
  };
}
