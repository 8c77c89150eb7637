/**
 * Redacting secret-looking text from messages that quote what something else said (a provider's error, a
 * command-line argument): the values given as known secrets, the value after a secret-looking key
 * (`secret…=`, `token:`, `signature=`, `password`, `authorization`), and runs of key-like characters that mix
 * case and digits (16 characters and more) or have either (32 and more). Access key ids are kept: they are
 * identifiers, and name which credentials failed. Heuristic by nature: callers cut the text first (the
 * patterns are not linear in one word's length) and never rely on this for values they know are secret.
 *
 * @internal
 * @module
 */

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
