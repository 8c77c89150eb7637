/**
 * Checking what a provider returned before anything signs with it, and handing it out in a form that
 * cannot leak. A provider that returns a malformed identity or one that has already expired is a failed
 * refresh here, rather than a confusing `SignatureDoesNotMatch` or `ExpiredToken` from AWS later.
 *
 * @module
 */
import { accessKeyIdProblem, sessionTokenProblem } from '../signer/resolve-options.js';
import { inspect } from 'node:util';
import type { AwsCredentialIdentity } from '@smithy/types';
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
 */
export function redactIdentity(identity: AwsCredentialIdentity): RedactedIdentity {
  return {
    accessKeyId: identity.accessKeyId,
    secretAccessKey: REDACTED,
    ...(identity.sessionToken === undefined ? {} : { sessionToken: REDACTED }),
    ...(identity.expiration === undefined ? {} : { expiration: identity.expiration.toISOString() }),
  };
}

/**
 * Checks what a credential provider returned and, if it is usable at `now`, returns a frozen copy whose
 * `toJSON`, `toString` and `util.inspect` show only {@link redactIdentity}'s view (the properties
 * themselves are unchanged, so signers read them as usual). An empty `sessionToken` is dropped.
 *
 * @param value - what the provider resolved with
 * @param now - the current time, in milliseconds since the epoch
 * @throws {@link CredentialsError} when `accessKeyId` or `secretAccessKey` is missing, empty or not a
 * string, `sessionToken` is not a string, `expiration` is not a valid `Date`, or the credentials have
 * already expired at `now`.
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
 */
export function checkIdentity(value: unknown, now: number): AwsCredentialIdentity {
  if (typeof value !== 'object' || value === null) {
    throw malformed(`it resolved with ${value === null ? 'null' : typeof value} instead of an object`);
  }
  const candidate = value as Record<string, unknown>;
  for (const key of ['accessKeyId', 'secretAccessKey'] as const) {
    const field = candidate[key];
    if (typeof field !== 'string' || field.length === 0) {
      throw malformed(`\`${key}\` is ${field === undefined ? 'missing' : typeof field === 'string' ? 'empty' : `a ${typeof field}, not a string`}`);
    }
  }
  const accessKeyIdIssue = accessKeyIdProblem(candidate.accessKeyId as string);
  if (accessKeyIdIssue !== undefined) throw malformed(`\`accessKeyId\` ${accessKeyIdIssue}`);
  const { sessionToken, expiration } = candidate;
  if (sessionToken !== undefined && sessionToken !== null && typeof sessionToken !== 'string') {
    throw malformed(`\`sessionToken\` is a ${typeof sessionToken}, not a string`);
  }
  // Refused here, a token the signer could not send leaves the cached credentials serving.
  const tokenIssue = typeof sessionToken === 'string' ? sessionTokenProblem(sessionToken) : undefined;
  if (tokenIssue !== undefined) throw malformed(`\`sessionToken\` ${tokenIssue}`);
  let expiresAt: number | undefined;
  if (expiration !== undefined && expiration !== null) {
    expiresAt = Object.prototype.toString.call(expiration) === '[object Date]' ? (expiration as Date).getTime() : Number.NaN;
    if (Number.isNaN(expiresAt)) throw malformed('`expiration` is not a valid Date');
    if (expiresAt <= now) {
      throw new CredentialsError(
        `The credential provider returned credentials that expired at ${new Date(expiresAt).toISOString()} ` +
          `(now is ${new Date(now).toISOString()}). Check the system clock, and that the provider refreshes ` +
          'its own cache (for SSO, run `aws sso login` again).',
      );
    }
  }

  const copy: Record<string, unknown> = { ...candidate };
  delete copy['sessionToken'];
  delete copy['expiration'];
  if (typeof sessionToken === 'string' && sessionToken.length > 0) copy['sessionToken'] = sessionToken;
  if (expiresAt !== undefined) copy['expiration'] = new Date(expiresAt);
  const identity = copy as unknown as AwsCredentialIdentity;
  const view = (): RedactedIdentity => redactIdentity(identity);
  Object.defineProperties(copy, {
    toJSON: { value: view },
    toString: { value: () => `AwsCredentialIdentity ${JSON.stringify(view())}` },
    [inspect.custom]: { value: () => view() },
  });
  return Object.freeze(identity);
}

function malformed(problem: string): CredentialsError {
  return new CredentialsError(
    `The credential provider returned malformed credentials: ${problem}. Check the provider's configuration ` +
      '(profile, environment variables, endpoint) and what the credential endpoint answers.',
  );
}
