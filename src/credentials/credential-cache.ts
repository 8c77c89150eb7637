/**
 * A cache in front of a credential provider that every request can ask for credentials, as often as it
 * likes, without ever waiting on the provider while cached credentials are good.
 *
 * - **Refresh ahead.** Credentials are served from the cache until they enter their refresh window
 *   (see {@link CredentialCacheOptions.refreshWindowMs}); from then on, the first caller starts a refresh
 *   in the background and every caller keeps getting the cached, still-valid credentials. Only callers
 *   that find no unexpired credentials wait for the provider.
 * - **Single flight.** At most one provider call is under way at a time; concurrent callers share it.
 * - **Failures.** A failed refresh (the provider threw, timed out, or returned malformed or already
 *   expired credentials) fails no request while the cached credentials are still valid: it is reported
 *   to `onRefreshError` and retried with exponential backoff, without timers: the next call after the
 *   backoff has passed starts the next attempt. Backoff never delays the first attempt after the cached
 *   credentials expire. Once they have expired, callers get a {@link CredentialsError} whose `cause` is the
 *   provider's error; until the backoff has passed they get the last failure at once, without a new
 *   provider call.
 * - **Bounded waiting.** A provider call is bounded by `timeoutMs`; each caller can also stop waiting
 *   through its own `signal`, without cancelling the refresh other callers share.
 * - **Bounded forced refreshes.** {@link CredentialCache.invalidate} of credentials that a forced refresh
 *   brought less than {@link MIN_FORCED_REFRESH_INTERVAL_MS} (10 s) ago is ignored: a server that answers
 *   every request with `ExpiredToken` (a broken endpoint, an S3-compatible server that means something else)
 *   costs at most one forced provider (STS) call per 10 s, not one per request. Callers that arrive while a
 *   refresh is under way share it.
 *
 * @module
 */
import { inspect, type InspectOptions } from 'node:util';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';
import { publishCredentials } from '../diagnostics/channels.js';
import { InvalidInputError, describeValue } from '../signer/errors.js';
import { KeepAlive, untilAborted, withTimeout } from './bounded-wait.js';
import { resolveCacheOptions, type CacheSettings } from './cache-options.js';
import { isCredentialProvider, normalizeCredentialSource, type CredentialSource } from './credential-source.js';
import { CredentialsError, CredentialsTimeoutError } from './errors.js';
import { checkIdentity, redactIdentity, type RedactedIdentity } from './identity.js';
import { asCredentialsError, describeThrown } from './provider-failure.js';
import { backoffDelay, refreshTime } from './refresh-policy.js';

/**
 * The shortest time between two forced refreshes caused by {@link CredentialCache.invalidate}, 10 seconds:
 * credentials that a forced refresh brought are kept, whatever invalidates them, until they are this old.
 * Fresh credentials AWS rejects at once are not cured by asking again at once, and asking again for every
 * rejected request would turn each request to a broken endpoint into a provider (STS) call.
 *
 * @example
 * ```ts
 * import { MIN_FORCED_REFRESH_INTERVAL_MS } from 'got-aws4auth';
 * console.log(`at most one forced refresh per ${MIN_FORCED_REFRESH_INTERVAL_MS / 1000} s`);
 * ```
 * @category Credentials
 */
export const MIN_FORCED_REFRESH_INTERVAL_MS = 10_000;

/**
 * What {@link CredentialCacheOptions.onRefresh} is told after each successful provider call (the first
 * fetch included). Never the secret or the session token.
 *
 * @example
 * ```ts
 * import type { RefreshInfo } from 'got-aws4auth';
 * const log = (info: RefreshInfo) =>
 *   console.log(`${info.refreshedAt.toISOString()} rotated to ${info.accessKeyId}, ` +
 *     `expires ${info.expiration?.toISOString() ?? 'never'}, next refresh ${info.nextRefreshAt?.toISOString() ?? 'never'}`);
 * ```
 * @category Credentials
 */
export interface RefreshInfo {
  /** The access key id of the new credentials (an identifier, not a secret). */
  readonly accessKeyId: string;
  /** When the new credentials expire; `undefined` for credentials without expiry. */
  readonly expiration: Date | undefined;
  /** When the cache received them, by its clock. */
  readonly refreshedAt: Date;
  /** When the cache will start refreshing them; `undefined` for credentials without expiry. */
  readonly nextRefreshAt: Date | undefined;
}

/**
 * What {@link CredentialCacheOptions.onRefreshError} is told about a failed refresh, beside the error.
 *
 * @example
 * ```ts
 * import type { CredentialsError, RefreshErrorInfo } from 'got-aws4auth';
 * const warn = (error: CredentialsError, info: RefreshErrorInfo) =>
 *   console.warn(`refresh #${info.failures} failed (${error.code}); ` +
 *     `still valid until ${info.validUntil?.toISOString() ?? '-'}; next try ${info.nextAttemptAt.toISOString()}`);
 * ```
 * @category Credentials
 */
export interface RefreshErrorInfo {
  /** Consecutive failed refreshes, including this one. */
  readonly failures: number;
  /** No new provider call is made before this time (by the cache's clock). */
  readonly nextAttemptAt: Date;
  /**
   * When the cached credentials that are still being served expire, or `undefined` if there are none
   * (requests now fail until a refresh succeeds).
   */
  readonly validUntil: Date | undefined;
}

/**
 * Options for {@link CredentialCache}.
 *
 * @example
 * ```ts
 * import { CredentialCache, type CredentialCacheOptions } from 'got-aws4auth';
 * import { fromInstanceMetadata } from '@aws-sdk/credential-providers';
 * const options: CredentialCacheOptions = {
 *   refreshWindowMs: 10 * 60_000,
 *   timeoutMs: 5_000,
 *   backoff: { initialDelayMs: 500, maxDelayMs: 10_000 },
 *   onRefresh: ({ accessKeyId, expiration }) => console.log('rotated', accessKeyId, expiration),
 * };
 * const cache = new CredentialCache(fromInstanceMetadata(), options);
 * ```
 * @category Credentials
 */
export interface CredentialCacheOptions {
  /**
   * How long before `expiration` a refresh starts, in milliseconds. Default: 5 minutes. Capped, per set
   * of credentials, at half the lifetime they had when received, so short-lived credentials are not
   * refreshed on every request: `refreshAt = expiration - min(refreshWindowMs, floor(lifetime / 2))`.
   */
  readonly refreshWindowMs?: number | undefined;
  /**
   * The longest one provider call may take, in milliseconds, before it counts as failed with a
   * {@link CredentialsTimeoutError}. Default: 30 seconds. `Infinity` disables it.
   */
  readonly timeoutMs?: number | undefined;
  /** Delays between retries after failed refreshes. */
  readonly backoff?:
    | {
        /** Delay after the first failure, in milliseconds. Default: 1 second. */
        readonly initialDelayMs?: number | undefined;
        /** Longest delay, in milliseconds. Default: 30 seconds. */
        readonly maxDelayMs?: number | undefined;
        /**
         * Maps the computed delay to the one used. Default: a random delay between half of it and all of
         * it. Pass `(delay) => delay` for none.
         */
        readonly jitter?: ((delayMs: number) => number) | undefined;
      }
    | undefined;
  /** The current time in milliseconds since the epoch. Default: `Date.now`. */
  readonly clock?: (() => number) | undefined;
  /**
   * Called after each successful provider call (the first fetch included), with no secrets. An exception
   * it throws is reported as a process warning and otherwise ignored.
   */
  readonly onRefresh?: ((info: RefreshInfo) => void) | undefined;
  /**
   * Called after each failed refresh, including those that fail no request because cached credentials
   * are still valid. An exception it throws is reported as a process warning and otherwise ignored.
   */
  readonly onRefreshError?: ((error: CredentialsError, info: RefreshErrorInfo) => void) | undefined;
}

/**
 * Options for one {@link CredentialCache.getCredentials} call.
 *
 * @example
 * ```ts
 * import { CredentialCache, type GetCredentialsOptions } from 'got-aws4auth';
 * declare const cache: CredentialCache;
 * const options: GetCredentialsOptions = { signal: AbortSignal.timeout(2_000) };
 * const identity = await cache.getCredentials(options);
 * ```
 * @category Credentials
 */
export interface GetCredentialsOptions {
  /**
   * Stops this caller waiting: the call rejects with `signal.reason`. A refresh other callers wait on
   * carries on, and its result is cached.
   */
  readonly signal?: AbortSignal | undefined;
}

interface Cached {
  readonly identity: AwsCredentialIdentity;
  /** `undefined`: no expiry; kept until {@link CredentialCache.invalidate}. */
  readonly expiresAt: number | undefined;
  readonly refreshAt: number | undefined;
  /** A forced ask already brought back these same credentials: asking again with `forceRefresh` is pointless. */
  readonly reasked: boolean;
  /** When a forced refresh brought these credentials (cache clock), else `undefined`. */
  readonly forcedAt: number | undefined;
}

type Outcome = { readonly ok: true; readonly identity: AwsCredentialIdentity } | { readonly ok: false; readonly error: CredentialsError };

/** What one provider call returned, checked, and when (by the cache's clock). */
interface Fetched {
  readonly identity: AwsCredentialIdentity;
  readonly now: number;
  readonly forced: boolean;
}

/**
 * Caches credentials from a fixed identity or any AWS SDK v3 credential provider, refreshing them ahead
 * of expiry in the background, with a single provider call per refresh however many callers ask at
 * once. See the module documentation for the full rules.
 *
 * Credentials without `expiration` are cached until {@link CredentialCache.invalidate}. Printing the
 * cache (`util.inspect`, `String`, `JSON.stringify`) shows its state and access key id, never a secret
 * or session token; so do the identities it returns.
 *
 * @example
 * ```ts
 * import { CredentialCache } from 'got-aws4auth';
 * import { fromTemporaryCredentials } from '@aws-sdk/credential-providers';
 *
 * const cache = new CredentialCache(
 *   fromTemporaryCredentials({ params: { RoleArn: 'arn:aws:iam::123456789012:role/demo', DurationSeconds: 900 } }),
 *   { onRefresh: (info) => console.log('new credentials', info.accessKeyId, 'until', info.expiration) },
 * );
 * const { accessKeyId, secretAccessKey, sessionToken } = await cache.getCredentials();
 * console.log(String(cache)); // CredentialCache(valid, ASIA…)
 * ```
 * @category Credentials
 */
export class CredentialCache {
  readonly #provider: AwsCredentialIdentityProvider;
  readonly #sourceKind: 'identity' | 'provider';
  readonly #settings: CacheSettings;
  /** The checked clock, in a field of its own: `peekCredentials` reads it on every request. */
  readonly #clock: () => number;

  #current: Cached | undefined;
  #refresh: Promise<Outcome> | undefined;
  /** Who awaits {@link CredentialCache.#refresh}: its timeout keeps the process alive only while someone does. */
  #refreshWaiters: KeepAlive | undefined;
  #failures = 0;
  #nextAttemptAt = Number.NEGATIVE_INFINITY;
  #lastError: CredentialsError | undefined;
  #forceRefresh = false;

  /**
   * @param source - a fixed identity (read once, own properties only), or a provider such as those of
   *   `@aws-sdk/credential-providers`
   * @param options - see {@link CredentialCacheOptions}; read once, own properties only
   * @throws {@link InvalidInputError} for a source that is neither, or an option out of range or unreadable.
   */
  constructor(source: CredentialSource, options: CredentialCacheOptions = {}) {
    this.#provider = normalizeCredentialSource(source);
    this.#sourceKind = isCredentialProvider(source) ? 'provider' : 'identity';
    this.#settings = resolveCacheOptions(options);
    this.#clock = this.#settings.clock;
  }

  /**
   * Returns credentials that have not expired: the cached ones if there are any (starting a background
   * refresh when they are due for one), or else the result of a provider call, shared with every other
   * caller waiting at the same time.
   *
   * @param options - `signal` stops this caller waiting
   * @returns a frozen identity, unexpired by the cache's clock when returned
   * @throws {@link CredentialsError} when there are no unexpired credentials and the provider failed;
   * {@link CredentialsTimeoutError} when it did not answer within `timeoutMs`; `signal.reason` when the
   * signal aborted first.
   *
   * @example
   * ```ts
   * import { CredentialCache } from 'got-aws4auth';
   * import { fromNodeProviderChain } from '@aws-sdk/credential-providers';
   * const cache = new CredentialCache(fromNodeProviderChain());
   * const controller = new AbortController();
   * const identity = await cache.getCredentials({ signal: controller.signal });
   * console.log(identity.accessKeyId, identity.expiration);
   * ```
   */
  async getCredentials(options?: GetCredentialsOptions): Promise<AwsCredentialIdentity> {
    const signal = options === undefined ? undefined : readSignal(options);
    signal?.throwIfAborted();
    return this.peekCredentials() ?? this.#get(signal, true);
  }

  async #get(signal: AbortSignal | undefined, mayRetry: boolean): Promise<AwsCredentialIdentity> {
    const fresh = this.peekCredentials();
    if (fresh !== undefined) return fresh;
    const now = this.#clock();
    if (this.#refresh === undefined && this.#lastError !== undefined && this.#inBackoff(now)) throw this.#lastError;
    const refresh = this.#refresh ?? this.#startRefresh();
    // While this caller waits, the refresh's timeout keeps the process alive: a hung provider ends in a typed error.
    const release = this.#refreshWaiters?.hold();
    let outcome: Outcome;
    try {
      outcome = await untilAborted(refresh, signal);
    } finally {
      release?.();
    }
    if (!outcome.ok) throw outcome.error;
    // A refresh started earlier may deliver credentials that expired while this caller waited (the clock moved on).
    if (this.#unexpired(outcome.identity)) return outcome.identity;
    if (mayRetry) return this.#get(signal, false);
    throw expiredWhileWaiting();
  }

  #unexpired(identity: AwsCredentialIdentity): boolean {
    const expiresAt = identity.expiration?.getTime();
    return expiresAt === undefined || expiresAt > this.#clock();
  }

  /**
   * Returns the cached credentials if they have not expired, synchronously, starting a background refresh
   * when they are due for one; `undefined` when there are none, which is when
   * {@link CredentialCache.getCredentials} would have to wait for the provider. For code that must not
   * await on its hot path, such as a signing hook.
   *
   * @returns a frozen identity, unexpired by the cache's clock, or `undefined`
   *
   * @example
   * ```ts
   * import { CredentialCache } from 'got-aws4auth';
   * declare const cache: CredentialCache;
   * const identity = cache.peekCredentials() ?? (await cache.getCredentials());
   * console.log(identity.accessKeyId);
   * ```
   */
  peekCredentials(): AwsCredentialIdentity | undefined {
    const current = this.#current;
    if (current === undefined) return undefined;
    const now = this.#clock();
    if (isExpired(current, now)) return undefined;
    if (current.refreshAt !== undefined && now >= current.refreshAt && this.#refresh === undefined && !this.#inBackoff(now)) {
      this.#startRefresh();
    }
    return current.identity;
  }

  /**
   * Forgets the cached credentials and any backoff, so the next {@link CredentialCache.getCredentials}
   * asks the provider again, passing `{ forceRefresh: true }` (which memoizing SDK providers such as
   * `fromNodeProviderChain()` honour). Use it when AWS rejects the credentials (e.g. `ExpiredToken`) before
   * their stated expiry. A refresh already under way is not restarted: callers wait for it.
   *
   * Credentials that a forced refresh brought less than {@link MIN_FORCED_REFRESH_INTERVAL_MS} ago are kept:
   * at most one forced refresh happens per that interval, however often the call is made.
   *
   * @param staleIdentity - the identity that was rejected: when given, the cache is left alone if it already
   *   holds other (newer) credentials, so a burst of rejections causes a single refresh
   *
   * @example
   * ```ts
   * import { CredentialCache } from 'got-aws4auth';
   * declare const cache: CredentialCache;
   * declare const response: { statusCode: number; body: string };
   * if (response.statusCode === 403 && response.body.includes('ExpiredToken')) cache.invalidate();
   * ```
   */
  invalidate(staleIdentity?: AwsCredentialIdentity): void {
    // Many requests rejected for the same expired credentials must cause one refresh, not one each.
    if (staleIdentity !== undefined && this.#current !== undefined && this.#current.identity !== staleIdentity) return;
    if (this.#justForced()) return;
    this.#current = undefined;
    this.#failures = 0;
    this.#nextAttemptAt = Number.NEGATIVE_INFINITY;
    this.#lastError = undefined;
    this.#forceRefresh = true;
  }

  /** Whether the credentials held came from a forced refresh less than the minimum interval ago. */
  #justForced(): boolean {
    const forcedAt = this.#current?.forcedAt;
    if (forcedAt === undefined) return false;
    try {
      return this.#clock() - forcedAt < MIN_FORCED_REFRESH_INTERVAL_MS;
    } catch {
      // A clock that throws cannot tell: invalidate, as before the interval existed.
      return false;
    }
  }

  /**
   * A summary that is safe to log: the state, the source kind, the redacted credentials and the refresh
   * schedule. `JSON.stringify(cache)` uses it.
   *
   * @example
   * ```ts
   * import { CredentialCache } from 'got-aws4auth';
   * const cache = new CredentialCache({ accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' });
   * await cache.getCredentials();
   * console.log(JSON.stringify(cache));
   * // {"state":"valid","source":"identity","credentials":{"accessKeyId":"AKIDEXAMPLE","secretAccessKey":"[redacted]"},"failures":0}
   * ```
   */
  toJSON(): CredentialCacheSummary {
    const now = this.#nowForDisplay();
    const current = this.#current;
    const valid = current !== undefined && !isExpired(current, now);
    const state: CredentialCacheSummary['state'] =
      this.#refresh !== undefined ? 'refreshing' : current === undefined ? 'empty' : valid ? 'valid' : 'expired';
    return {
      state,
      source: this.#sourceKind,
      ...(current === undefined ? {} : { credentials: redactIdentity(current.identity) }),
      ...(current?.refreshAt === undefined ? {} : { refreshAt: new Date(current.refreshAt).toISOString() }),
      failures: this.#failures,
      // Not finite when a failure's schedule could not be computed (the clock threw): the next call may try at once.
      ...(this.#lastError === undefined || !Number.isFinite(this.#nextAttemptAt) ? {} : { nextAttemptAt: new Date(this.#nextAttemptAt).toISOString() }),
    };
  }

  /**
   * `CredentialCache(<state>, <access key id>)`, without secrets.
   *
   * @example
   * ```ts
   * import { CredentialCache } from 'got-aws4auth';
   * const cache = new CredentialCache({ accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' });
   * console.log(String(cache)); // CredentialCache(empty)
   * ```
   */
  toString(): string {
    const summary = this.toJSON();
    return `CredentialCache(${summary.state}${summary.credentials === undefined ? '' : `, ${summary.credentials.accessKeyId}`})`;
  }

  /** What `util.inspect` and `console.log` show: the {@link CredentialCache.toJSON} summary. */
  [inspect.custom](_depth: number, options: InspectOptions): string {
    return `CredentialCache ${inspect(this.toJSON(), options)}`;
  }

  /**
   * Starts a refresh whose promise always resolves with an {@link Outcome} and always clears `#refresh`:
   * whatever throws inside (the provider, its error's getters, the clock, the jitter, a hook), the refresh
   * ends as a failure and the next call asks the provider again. Background refreshes are not awaited, so a
   * rejection here would be unhandled.
   */
  #startRefresh(): Promise<Outcome> {
    const forceRefresh = this.#forceRefresh;
    this.#forceRefresh = false;
    const waiters = new KeepAlive();
    this.#refreshWaiters = waiters;
    const refresh = this.#attempt(forceRefresh, waiters)
      .catch((thrown: unknown) => this.#recordFailure(this.#wrap(thrown)))
      .catch((thrown: unknown): Outcome => ({ ok: false, error: this.#wrap(thrown) }))
      .then((outcome) => {
        if (this.#refresh === refresh) {
          this.#refresh = undefined;
          this.#refreshWaiters = undefined;
        }
        return outcome;
      });
    this.#refresh = refresh;
    return refresh;
  }

  /**
   * One refresh: ask the provider; if it hands back credentials no newer than those held (a memoizing
   * provider such as `fromNodeProviderChain()` serves its own cached set while it refreshes in the
   * background), ask once more with `forceRefresh`, so the rotation happens inside the refresh window.
   */
  async #attempt(forced: boolean, waiters: KeepAlive): Promise<Outcome> {
    let fetched: Fetched;
    try {
      fetched = await this.#fetch(forced, waiters);
      if (!forced && this.#current?.reasked !== true && !this.#isNewer(fetched.identity)) fetched = await this.#fetch(true, waiters);
    } catch (thrown) {
      return this.#recordFailure(this.#wrap(thrown));
    }
    return this.#install(fetched, forced || fetched.forced);
  }

  async #fetch(forced: boolean, waiters: KeepAlive): Promise<Fetched> {
    publishCredentials({ type: 'refresh-start', forced });
    const { timeoutMs } = this.#settings;
    const call = new Promise<unknown>((resolve) => resolve(this.#provider(forced ? { forceRefresh: true } : undefined)));
    const value = await withTimeout(call, timeoutMs, () => new CredentialsTimeoutError(timeoutMs), waiters);
    const now = this.#clock();
    return { identity: checkIdentity(value, now), now, forced };
  }

  /** Not newer: the same access key id and expiry, or an earlier expiry, than the credentials held. */
  #isNewer(identity: AwsCredentialIdentity): boolean {
    const current = this.#current;
    if (current === undefined) return true;
    const expiresAt = identity.expiration?.getTime();
    if (identity.accessKeyId === current.identity.accessKeyId && expiresAt === current.expiresAt) return false;
    return !(expiresAt !== undefined && current.expiresAt !== undefined && expiresAt < current.expiresAt);
  }

  #wrap(thrown: unknown): CredentialsError {
    const held = this.#current?.identity;
    return asCredentialsError(thrown, [held?.secretAccessKey, held?.sessionToken]);
  }

  #install({ identity: fresh, now }: Fetched, forced: boolean): Outcome {
    // Credentials no newer than those held do not replace them; they only reschedule the next refresh.
    const newer = this.#isNewer(fresh);
    const identity = newer ? fresh : (this.#current?.identity ?? fresh);
    const expiresAt = identity.expiration?.getTime();
    const refreshAt = expiresAt === undefined ? undefined : refreshTime(now, expiresAt, this.#settings.refreshWindowMs);
    const forcedAt = forced ? now : newer ? undefined : this.#current?.forcedAt;
    this.#current = { identity, expiresAt, refreshAt, reasked: !newer && (forced || this.#current?.reasked === true), forcedAt };
    this.#failures = 0;
    this.#nextAttemptAt = Number.NEGATIVE_INFINITY;
    this.#lastError = undefined;
    const expiration = expiresAt === undefined ? undefined : new Date(expiresAt);
    publishCredentials({ type: 'refresh-success', forced, ...(expiration === undefined ? {} : { expiration }) });
    const onRefresh = this.#settings.onRefresh;
    if (onRefresh !== undefined) {
      const info: RefreshInfo = {
        accessKeyId: identity.accessKeyId,
        expiration,
        refreshedAt: new Date(now),
        nextRefreshAt: refreshAt === undefined ? undefined : new Date(refreshAt),
      };
      callHook('onRefresh', () => onRefresh(info));
    }
    return { ok: true, identity };
  }

  #recordFailure(error: CredentialsError): Outcome {
    this.#failures += 1;
    this.#lastError = error;
    // Until the schedule below is known, the next call may try at once: a throwing clock or jitter must not wedge it.
    this.#nextAttemptAt = Number.NEGATIVE_INFINITY;
    publishCredentials({ type: 'refresh-failure', code: error.code, reason: error.message });
    const now = this.#clock();
    const current = this.#current;
    const stillValid = current !== undefined && !isExpired(current, now);
    let nextAttemptAt = now + this.#backoff();
    // Backoff must never hold back the first attempt once the cached credentials have expired.
    if (stillValid && current.expiresAt !== undefined) nextAttemptAt = Math.min(nextAttemptAt, current.expiresAt);
    this.#nextAttemptAt = nextAttemptAt;
    const validUntil = stillValid && current.expiresAt !== undefined ? new Date(current.expiresAt) : undefined;
    if (stillValid) publishCredentials({ type: 'stale-serving', ...(validUntil === undefined ? {} : { expiration: validUntil }) });
    const onRefreshError = this.#settings.onRefreshError;
    if (onRefreshError !== undefined) {
      const info: RefreshErrorInfo = { failures: this.#failures, nextAttemptAt: new Date(nextAttemptAt), validUntil };
      callHook('onRefreshError', () => onRefreshError(error, info));
    }
    return { ok: false, error };
  }

  /** The clock for printing: a summary (and so `util.inspect`) must not throw because the caller's clock does. */
  #nowForDisplay(): number {
    try {
      return this.#clock();
    } catch {
      return Date.now();
    }
  }

  /**
   * Whether a failed refresh's backoff still holds at `now`. A wait longer than any delay the cache sets means
   * the clock went backwards: the backoff is over rather than stretched by the jump.
   */
  #inBackoff(now: number): boolean {
    const wait = this.#nextAttemptAt - now;
    return wait > 0 && wait <= this.#settings.maxDelayMs;
  }

  /** The delay before the next attempt: the jitter's answer when it is a usable number, else the plain delay. */
  #backoff(): number {
    const { initialDelayMs, maxDelayMs, jitter } = this.#settings;
    const delay = backoffDelay(this.#failures, initialDelayMs, maxDelayMs);
    let jittered: unknown;
    try {
      jittered = jitter(delay);
    } catch {
      return delay;
    }
    if (typeof jittered !== 'number' || Number.isNaN(jittered)) return delay;
    return Number.isFinite(jittered) ? Math.max(0, jittered) : maxDelayMs;
  }
}

/**
 * The shape of {@link CredentialCache.toJSON}: safe to log.
 *
 * @example
 * ```ts
 * import { CredentialCache, type CredentialCacheSummary } from 'got-aws4auth';
 * declare const cache: CredentialCache;
 * const summary: CredentialCacheSummary = cache.toJSON();
 * if (summary.state === 'expired') console.warn('credentials expired; next attempt at', summary.nextAttemptAt);
 * ```
 * @category Credentials
 */
export interface CredentialCacheSummary {
  /**
   * `empty`: nothing fetched yet (or invalidated); `valid`: serving unexpired credentials; `expired`:
   * the cached credentials have expired and no refresh is under way; `refreshing`: a provider call is
   * under way.
   */
  readonly state: 'empty' | 'valid' | 'expired' | 'refreshing';
  /** Whether the cache wraps a fixed identity or a provider. */
  readonly source: 'identity' | 'provider';
  /** The cached credentials, redacted. */
  readonly credentials?: RedactedIdentity;
  /** ISO 8601: when the cached credentials become due for refresh. */
  readonly refreshAt?: string;
  /** Consecutive failed refreshes. */
  readonly failures: number;
  /** ISO 8601, after a failure: no provider call is made before this time. */
  readonly nextAttemptAt?: string;
}

function isExpired(cached: Cached, now: number): boolean {
  return cached.expiresAt !== undefined && now >= cached.expiresAt;
}

/** `options.signal`, read once, own property only, and checked. */
function readSignal(options: GetCredentialsOptions): AbortSignal | undefined {
  if (options === null || typeof options !== 'object') throw new InvalidInputError('options', `must be an object such as { signal }, got ${describeValue(options)}`);
  let signal: unknown;
  try {
    // One field: read directly (own property, once) rather than through a snapshot record, on a per-request path.
    signal = Object.hasOwn(options, 'signal') ? (options as { signal?: unknown }).signal : undefined;
  } catch {
    throw new InvalidInputError('options', 'could not be read (a throwing getter or a revoked Proxy); pass a plain object such as { signal }');
  }
  if (signal !== undefined && !(signal instanceof AbortSignal)) throw new InvalidInputError('options.signal', `must be an AbortSignal, got ${describeValue(signal)}`);
  return signal;
}

function expiredWhileWaiting(): CredentialsError {
  return new CredentialsError(
    'The credentials the provider returned expired while the request waited for them (by the cache\'s clock). ' +
      'Check the system clock, and that the provider returns credentials with time left.',
  );
}

/** Calls a caller's hook; whatever it throws (even a revoked Proxy) becomes a process warning, never the cache's failure. */
function callHook(name: string, hook: () => void): void {
  try {
    hook();
  } catch (thrown) {
    process.emitWarning(`CredentialCache ${name} hook threw (${describeThrown(thrown)}); ignored`, { code: 'AWS4AUTH_HOOK_ERROR' });
  }
}
