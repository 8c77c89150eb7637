/**
 * The two ways getting credentials can fail: the provider failed or returned something unusable
 * ({@link CredentialsError}), or it did not answer in time ({@link CredentialsTimeoutError}).
 *
 * Messages name what went wrong and what to do. They never contain an access key's secret or a session
 * token, and neither does the `cause`: it is a redacted copy of the provider's own error (its name, code,
 * message, stack frames and HTTP status, secret-looking text replaced by `[redacted]`), so printing or
 * logging the error never repeats what the provider's message quoted. The original value is reachable only
 * through {@link CredentialsError.providerError | providerError()}.
 *
 * @module
 */
import { AWS4AuthError, type AWS4AuthErrorCode } from '../signer/errors.js';
import { originalOf, redactedCause } from './redacted-cause.js';

/**
 * Credentials could not be obtained: the provider threw, or returned a malformed identity (missing,
 * empty or non-string keys, an invalid `expiration`), or returned credentials that had already expired.
 * The `cause` is a redacted copy of the provider's own error, if any (an `Error` with its `name`, `code`,
 * `message`, stack frames and `$metadata.httpStatusCode`); the original is {@link CredentialsError.providerError | providerError()}.
 *
 * Requests get this error only when no unexpired credentials are cached; while cached credentials are
 * still valid, a failed refresh is reported through `onRefreshError` and retried later.
 *
 * @example
 * ```ts
 * import { CredentialCache, CredentialsError } from 'got-aws4auth';
 * const cache = new CredentialCache(async () => {
 *   throw new Error('no credentials configured');
 * });
 * try {
 *   await cache.getCredentials();
 * } catch (error) {
 *   if (error instanceof CredentialsError) console.error(error.code, error.message, error.cause);
 * }
 * ```
 * @category Errors
 */
export class CredentialsError extends AWS4AuthError {
  /**
   * @param message - what went wrong and what to do; never a secret
   * @param options - `cause`: what the provider threw; stored as a redacted copy (see the class)
   * @param code - the stable code
   */
  constructor(message: string, options?: { cause?: unknown }, code: AWS4AuthErrorCode = 'ERR_AWS4_CREDENTIALS') {
    // Redacted before the base class publishes the error on the diagnostics channel.
    super(code, message, options !== undefined && 'cause' in options ? { cause: redactedCause(options.cause) } : undefined);
  }

  /**
   * What the provider threw, untouched, for code that must inspect it (an SDK error's fields, its class). It
   * may quote a secret or token: never log it; log the error, or its redacted `cause`. No rendering of the
   * error (`util.inspect` even with `showHidden` and `getters`, `JSON.stringify`, `String`, the diagnostics
   * channel) includes it: it is a method, not a property or getter, for that reason.
   *
   * @example
   * ```ts
   * import { CredentialCache, CredentialsError } from 'got-aws4auth';
   * const cache = new CredentialCache(async () => {
   *   throw new TypeError('no credentials configured');
   * });
   * const error = await cache.getCredentials().catch((e: unknown) => e);
   * if (error instanceof CredentialsError && error.providerError() instanceof TypeError) console.error('misconfigured provider');
   * ```
   */
  providerError(): unknown {
    return originalOf(this.cause);
  }
}

/**
 * The credential provider did not settle within the configured timeout. Callers stop waiting; the
 * provider call itself cannot be cancelled and its late result is ignored. The timer keeps the process
 * alive while a caller awaits the credentials (so the caller gets this error rather than a process that
 * exits with its work undone) and never for a background refresh nobody awaits. Being a
 * {@link CredentialsError}, it is caught by the same `instanceof` check; its `code` is
 * `ERR_AWS4_CREDENTIALS_TIMEOUT`.
 *
 * @example
 * ```ts
 * import { setTimeout as sleep } from 'node:timers/promises';
 * import { CredentialCache, CredentialsTimeoutError } from 'got-aws4auth';
 * const slowProvider = async () => {
 *   await sleep(5_000);
 *   return { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' };
 * };
 * const cache = new CredentialCache(slowProvider, { timeoutMs: 100 });
 * await cache.getCredentials().catch((error: unknown) => {
 *   if (error instanceof CredentialsTimeoutError) console.error(error.code, error.timeoutMs);
 * });
 * ```
 * @category Errors
 */
export class CredentialsTimeoutError extends CredentialsError {
  /** The timeout that elapsed, in milliseconds. */
  readonly timeoutMs: number;

  constructor(timeoutMs: number) {
    super(
      `The credential provider did not return credentials within ${timeoutMs} ms. Check that the credential ` +
        'source (STS, IMDS, the container endpoint, SSO) is reachable from here, or raise the `timeoutMs` option.',
      undefined,
      'ERR_AWS4_CREDENTIALS_TIMEOUT',
    );
    this.timeoutMs = timeoutMs;
  }
}
