/**
 * Checking what a provider returned before anything signs with it, and handing it out in a form that
 * cannot leak. A provider that returns a malformed identity or one that has already expired is a failed
 * refresh here, rather than a confusing `SignatureDoesNotMatch` or `ExpiredToken` from AWS later.
 *
 * @module
 */
import { inspect } from 'node:util';
import type { AwsCredentialIdentity } from '@smithy/types';
import { snapshotOwn, type Snapshot } from '../signer/snapshot.js';
import { accessKeyIdProblem, sessionTokenProblem } from '../signer/validate.js';
import { CredentialsError } from './errors.js';

const REDACTED = '[redacted]';

/**
 * A view of an identity that is safe to print or log: the access key id and expiry, never the secret or
 * the session token.
 *
 * @example
 * ```ts
 * import { redactIdentity } from 'got-aws4auth';
 * const view = redactIdentity({ accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG' });
 * console.log(view); // { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: '[redacted]' }
 * ```
 * @category Credentials
 */
export interface RedactedIdentity {
  /** The access key id (not a secret). */
  readonly accessKeyId: string;
  /** Always `[redacted]`. */
  readonly secretAccessKey: '[redacted]';
  /** `[redacted]` when the identity has a session token. */
  readonly sessionToken?: '[redacted]';
  /** ISO 8601, when the identity has an expiry. */
  readonly expiration?: string;
}

/**
 * Returns the printable view of an identity: the access key id and expiry, with the secret and the
 * session token replaced by `[redacted]`.
 *
 * @example
 * ```ts
 * import { redactIdentity } from 'got-aws4auth';
 * const identity = { accessKeyId: 'ASIAEXAMPLE', secretAccessKey: 's3cr3t', sessionToken: 't0k3n' };
 * console.log(JSON.stringify(redactIdentity(identity)));
 * // {"accessKeyId":"ASIAEXAMPLE","secretAccessKey":"[redacted]","sessionToken":"[redacted]"}
 * ```
 * @category Credentials
 */
export function redactIdentity(identity: AwsCredentialIdentity): RedactedIdentity {
  return {
    accessKeyId: identity.accessKeyId,
    secretAccessKey: REDACTED,
    ...(identity.sessionToken === undefined ? {} : { sessionToken: REDACTED }),
    ...(identity.expiration === undefined ? {} : { expiration: identity.expiration.toISOString() }),
  };
}

/** The identity fields read from what a provider returns; nothing else is read, inherited values never. */
const IDENTITY_FIELDS = ['accessKeyId', 'secretAccessKey', 'sessionToken', 'expiration', 'credentialScope', 'accountId'] as const;
type IdentityField = (typeof IDENTITY_FIELDS)[number];

/**
 * Checks what a credential provider returned and, if it is usable at `now`, returns a frozen copy whose
 * `toJSON`, `toString` and `util.inspect` show only {@link redactIdentity}'s view (the properties
 * themselves are unchanged, so signers read them as usual). An empty `sessionToken` is dropped.
 *
 * The value is read once, field by field, own properties only (class instances, non-enumerable fields,
 * frozen and null-prototype objects and Proxies all work); the copy holds exactly what was checked. Fields
 * the copy lacks are still its own (`undefined`), so a polluted `Object.prototype` cannot lend it a
 * `sessionToken` or an `expiration`.
 *
 * @param value - what the provider resolved with
 * @param now - the current time, in milliseconds since the epoch
 * @throws {@link CredentialsError} when the value cannot be read (a throwing getter, a revoked Proxy),
 * `accessKeyId` or `secretAccessKey` is missing, empty or not a string, `sessionToken` is not a string,
 * `expiration` is not a valid `Date`, or the credentials have already expired at `now`.
 *
 * @example
 * ```ts
 * import { checkIdentity } from 'got-aws4auth';
 * const identity = checkIdentity(
 *   { accessKeyId: 'ASIAEXAMPLE', secretAccessKey: 's3cr3t', expiration: new Date(Date.now() + 3_600_000) },
 *   Date.now(),
 * );
 * console.log(String(identity)); // no secret in here
 * ```
 * @category Credentials
 */
export function checkIdentity(value: unknown, now: number): AwsCredentialIdentity {
  if (typeof value !== 'object' || value === null) {
    throw malformed(`it resolved with ${value === null ? 'null' : typeof value} instead of an object`);
  }
  const fields = snapshotOwn(value, IDENTITY_FIELDS, 'credentials', unreadable);
  const accessKeyId = checkKey(fields, 'accessKeyId');
  const secretAccessKey = checkKey(fields, 'secretAccessKey');
  const accessKeyIdIssue = accessKeyIdProblem(accessKeyId);
  if (accessKeyIdIssue !== undefined) throw malformed(`\`accessKeyId\` ${accessKeyIdIssue}`);
  const sessionToken = checkToken(fields.sessionToken);
  const expiresAt = checkExpiration(fields.expiration, now);
  return new CheckedIdentity({
    accessKeyId,
    secretAccessKey,
    sessionToken,
    expiration: expiresAt === undefined ? undefined : new Date(expiresAt),
    credentialScope: optionalString(fields.credentialScope),
    accountId: optionalString(fields.accountId),
  });
}

function optionalString(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/**
 * The identity handed out: every known field its own property (`undefined` when absent, so a polluted
 * `Object.prototype` has nothing to lend), always in the same order so every identity shares one shape
 * (signing reads these fields on every request), printing redacted through the class's own methods.
 */
type IdentityFields = { readonly [K in IdentityField]: K extends 'accessKeyId' | 'secretAccessKey' ? string : K extends 'expiration' ? Date | undefined : string | undefined };

class CheckedIdentity {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken: string | undefined;
  readonly expiration: Date | undefined;
  readonly credentialScope: string | undefined;
  readonly accountId: string | undefined;

  constructor(fields: IdentityFields) {
    this.accessKeyId = fields.accessKeyId;
    this.secretAccessKey = fields.secretAccessKey;
    this.sessionToken = fields.sessionToken;
    this.expiration = fields.expiration;
    this.credentialScope = fields.credentialScope;
    this.accountId = fields.accountId;
    Object.freeze(this);
  }

  toJSON(): RedactedIdentity {
    return redactIdentity(this);
  }

  toString(): string {
    return `AwsCredentialIdentity ${JSON.stringify(redactIdentity(this))}`;
  }

  [inspect.custom](): RedactedIdentity {
    return redactIdentity(this);
  }
}

function checkKey(fields: Snapshot<IdentityField>, key: 'accessKeyId' | 'secretAccessKey'): string {
  const field = fields[key];
  if (typeof field === 'string' && field.length > 0) return field;
  throw malformed(`\`${key}\` is ${field === undefined ? 'missing' : typeof field === 'string' ? 'empty' : `a ${typeof field}, not a string`}`);
}

function checkToken(sessionToken: unknown): string | undefined {
  if (sessionToken === undefined || sessionToken === null) return undefined;
  if (typeof sessionToken !== 'string') throw malformed(`\`sessionToken\` is a ${typeof sessionToken}, not a string`);
  if (sessionToken.length === 0) return undefined;
  // Refused here, a token the signer could not send leaves the cached credentials serving.
  const issue = sessionTokenProblem(sessionToken);
  if (issue !== undefined) throw malformed(`\`sessionToken\` ${issue}`);
  return sessionToken;
}

/** The expiry in ms, read through `Date.prototype.getTime` itself: a look-alike object or a Proxy is refused. */
function checkExpiration(expiration: unknown, now: number): number | undefined {
  if (expiration === undefined || expiration === null) return undefined;
  let expiresAt: number;
  try {
    expiresAt = getTime.call(expiration as Date);
  } catch {
    expiresAt = Number.NaN;
  }
  if (Number.isNaN(expiresAt)) throw malformed('`expiration` is not a valid Date');
  if (expiresAt <= now) {
    throw new CredentialsError(
      `The credential provider returned credentials that expired at ${new Date(expiresAt).toISOString()} ` +
        `(now is ${new Date(now).toISOString()}). Check the system clock, and that the provider refreshes ` +
        'its own cache (for SSO, run `aws sso login` again).',
    );
  }
  return expiresAt;
}

const getTime = Date.prototype.getTime;

function malformed(problem: string): CredentialsError {
  return new CredentialsError(
    `The credential provider failed: it returned malformed credentials (${problem}). Check the provider's ` +
      'configuration (profile, environment variables, endpoint) and what the credential endpoint answers.',
  );
}

/** A getter that threw or a Proxy that refused to be read: the provider's value is unusable, the thrown value dropped. */
function unreadable(field: string, problem: string): CredentialsError {
  return malformed(`\`${field}\` ${problem}`);
}
