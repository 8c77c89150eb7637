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
 * mix case and digits (16 characters and more) or either (32 and more), then cut to {@link MAX_REASON_LENGTH}. The thrown
 * value itself stays attached, untouched, as `cause`.
 *
 * @module
 */
import { CredentialsError } from './errors.js';

/** The longest reason quoted in a message; the full error is the `cause`. */
const MAX_REASON_LENGTH = 240;
/** How much of the thrown text is looked at at all. */
const MAX_SCANNED_LENGTH = 1024;
const REDACTED = '[redacted]';
const SECRET_ASSIGNMENT = /\b([A-Za-z_-]*(?:secret|token|signature|password|passwd|authorization|credential)[A-Za-z_-]*)(["']?\s*[:=]\s*["']?)([^\s"',;&]+)/gi;
const KEY_LIKE_RUN = /[A-Za-z0-9+/=_-]{16,}/g;
/** An access key id is an identifier, not a secret, and names which credentials failed: kept. */
const ACCESS_KEY_ID = /^(?:AKIA|ASIA|AROA|AIDA)[A-Z0-9]{12,}$/;

/** Whether a run of characters looks like a key, token or signature rather than a word, path or host. */
function looksSecret(run: string): boolean {
  if (ACCESS_KEY_ID.test(run)) return false;
  const digits = /[0-9]/.test(run);
  const mixedCase = /[a-z]/.test(run) && /[A-Z]/.test(run);
  if (run.length >= 32) return digits || mixedCase;
  return digits && mixedCase;
}

/**
 * Replaces secret-looking text in `text` with `[redacted]`.
 *
 * @param text - a message that may quote a secret
 * @param known - values that are secret whatever they look like (the cache's secret and session token)
 * @internal
 */
export function redactSecrets(text: string, known: readonly (string | undefined)[] = []): string {
  let out = text;
  for (const secret of known) if (secret !== undefined && secret.length >= 4) out = out.split(secret).join(REDACTED);
  out = out.replace(SECRET_ASSIGNMENT, (whole, key: string, separator: string, value: string) =>
    value === REDACTED || /^(?:is|was|are|not|the|a|an|has|could|from|for|provider|expired|missing|invalid|file)$/i.test(value) ? whole : `${key}${separator}${REDACTED}`,
  );
  return out.replace(KEY_LIKE_RUN, (run) => (looksSecret(run) ? REDACTED : run));
}

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
      'endpoint, SSO: `aws sso login`) is reachable from here; the provider\'s own error is the `cause`.',
    { cause: thrown },
  );
}
