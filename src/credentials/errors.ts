/**
 * The two ways getting credentials can fail: the provider failed or returned something unusable
 * ({@link CredentialsError}), or it did not answer in time ({@link CredentialsTimeoutError}).
 *
 * Messages name what went wrong and what to do. They never contain an access key's secret or a session
 * token: a provider's own error is attached as `cause`, untouched, rather than copied into the message.
 *
 * @module
 */
import { AWS4AuthError, type AWS4AuthErrorCode } from '../signer/errors.js';

/**
 * Credentials could not be obtained: the provider threw, or returned a malformed identity (missing,
 * empty or non-string keys, an invalid `expiration`), or returned credentials that had already expired.
 * The provider's own error, if any, is the `cause`.
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
 */
export class CredentialsError extends AWS4AuthError {
  constructor(message: string, options?: { cause?: unknown }, code: AWS4AuthErrorCode = 'ERR_AWS4_CREDENTIALS') {
    super(code, message, options);
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
