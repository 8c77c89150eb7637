/**
 * Turning whatever a credential provider (or anything else in a refresh) threw into a {@link CredentialsError}
 * that names the provider's reason and a fix, without ever failing itself and without ever repeating a
 * secret.
 *
 * The thrown value is untrusted: its `name` and `message` may be getters that throw, it may be a revoked
 * Proxy, a string, `null`. Each is read once inside `try`; what cannot be read is described by its type.
 * The reason is the first line of `name: message`, with anything that looks like a secret replaced by
 * `[redacted]`: the values of the credentials the cache holds, the value after a secret-looking key
 * (`secret…=`, `token:`, `signature=`, `password`, `authorization`), and runs of key-like characters that
 * mix case and digits (16 characters and more) or either (32 and more) (see redact-text.ts), then cut to
 * {@link MAX_REASON_LENGTH}. The `cause` is a redacted copy of the thrown value (redacted-cause.ts); the value
 * itself is reachable only through `CredentialsError.providerError()`.
 *
 * @module
 */
import { CredentialsError } from './errors.js';
import { redactedCause } from './redacted-cause.js';
import { redactSecrets } from './redact-text.js';

/** The longest reason quoted in a message; the full error is the `cause`. */
const MAX_REASON_LENGTH = 240;
/** How much of the thrown text is looked at at all. */
const MAX_SCANNED_LENGTH = 1024;
/** Reads `value[key]` as a string, or `undefined` when it is absent, not a string, or reading it throws. */
function readString(value: object, key: 'name' | 'message'): string | undefined {
  try {
    const read: unknown = (value as Record<string, unknown>)[key];
    return typeof read === 'string' ? read : undefined;
  } catch {
    return undefined;
  }
}

/**
 * `name: message` of whatever was thrown, first line only, redacted and cut short; never throws.
 *
 * @internal
 */
export function describeThrown(thrown: unknown, known: readonly (string | undefined)[] = []): string {
  let text: string;
  if (thrown === null || (typeof thrown !== 'object' && typeof thrown !== 'function')) {
    text = typeof thrown === 'string' ? `a string: ${thrown}` : `${thrown === null ? 'null' : typeof thrown}`;
  } else {
    const name = readString(thrown, 'name') ?? 'an unreadable error';
    const message = readString(thrown, 'message');
    text = message === undefined || message === '' ? name : `${name}: ${message}`;
  }
  // Cut before redacting too: the patterns run in time quadratic in one word's length at worst.
  const firstLine = (text.slice(0, MAX_SCANNED_LENGTH).split('\n')[0] ?? '').trim();
  const redacted = redactSecrets(firstLine, known);
  return redacted.length > MAX_REASON_LENGTH ? `${redacted.slice(0, MAX_REASON_LENGTH - 1)}…` : redacted;
}

/** Whether `value` is a {@link CredentialsError}, for any value at all (a revoked Proxy makes `instanceof` throw). */
function isCredentialsError(value: unknown): value is CredentialsError {
  try {
    return value instanceof CredentialsError;
  } catch {
    return false;
  }
}

/**
 * The {@link CredentialsError} for anything thrown during a refresh: a `CredentialsError` as it is, anything
 * else wrapped, with the provider's reason in the message and the thrown value as `cause`. Never throws.
 *
 * @param thrown - what the provider, the clock, the jitter or the cache's own code threw
 * @param known - secrets to keep out of the message whatever they look like
 * @internal
 */
export function asCredentialsError(thrown: unknown, known: readonly (string | undefined)[] = []): CredentialsError {
  if (isCredentialsError(thrown)) return thrown;
  return new CredentialsError(
    `The credential provider failed: ${describeThrown(thrown, known)}. To fix: check the credential source's ` +
      'configuration (profile, environment variables, role) and that its endpoint (STS, IMDS, the container ' +
      'endpoint, SSO: `aws sso login`) is reachable from here; the provider\'s own error is the `cause` (redacted).',
    { cause: redactedCause(thrown, known) },
  );
}
