/**
 * When to refresh credentials, and how long to wait after a failed refresh. Pure functions of time, so
 * the cache that uses them can be driven by a fake clock.
 *
 * **Refresh time.** Credentials obtained at `obtainedAt` and expiring at `expiresAt` are refreshed once
 * they enter their refresh window, which is the configured window (default five minutes) but never more
 * than half their remaining lifetime at the moment they were obtained:
 *
 * ```
 * refreshAt = expiresAt - min(refreshWindowMs, floor((expiresAt - obtainedAt) / 2))
 * ```
 *
 * So fifteen-minute STS credentials are refreshed after ten minutes, while credentials that arrive with
 * four minutes left (shorter than the window) are used for two minutes before a refresh is tried, not
 * refreshed on every request. If a provider keeps handing back the same short-lived credentials, each
 * refresh halves the remaining time, so the number of refreshes per expiry grows only with its logarithm.
 *
 * **Backoff.** After the `n`th consecutive failure the next attempt waits
 * `min(maxDelayMs, initialDelayMs * 2^(n-1))`, passed through an optional jitter function.
 *
 * @module
 */

/**
 * When credentials should be refreshed, by the rule above.
 *
 * @param obtainedAt - when the cache received the credentials, ms since the epoch
 * @param expiresAt - their expiration, ms since the epoch
 * @param refreshWindowMs - the configured refresh window
 * @returns the time from which a refresh is due, ms since the epoch
 *
 * @internal
 */
export function refreshTime(obtainedAt: number, expiresAt: number, refreshWindowMs: number): number {
  const lifetime = Math.max(0, expiresAt - obtainedAt);
  return expiresAt - Math.min(refreshWindowMs, Math.floor(lifetime / 2));
}

/**
 * How long to wait before retrying after `failures` consecutive failed refreshes, before jitter:
 * exponential from `initialDelayMs`, capped at `maxDelayMs`.
 *
 * @internal
 */
export function backoffDelay(failures: number, initialDelayMs: number, maxDelayMs: number): number {
  const exponent = Math.max(0, failures - 1);
  // 2 ** 1100 is Infinity, and Math.min copes with it.
  return Math.min(maxDelayMs, initialDelayMs * 2 ** exponent);
}

/**
 * The default jitter: a random delay between half the computed delay and all of it ("equal jitter"), so
 * that many processes whose credentials failed together do not retry in lockstep.
 *
 * @internal
 */
export function equalJitter(delayMs: number): number {
  return delayMs / 2 + Math.random() * (delayMs / 2);
}
