/**
 * Reading and checking {@link CredentialCacheOptions}: the options object (and its `backoff`) is read once,
 * own properties only, into a snapshot; the snapshot is checked, and only the settings built from it are
 * kept. A getter that would answer differently later, a polluted `Object.prototype`, a Proxy: none can change
 * what the cache does after it was built.
 *
 * @module
 */
import { InvalidDateError, InvalidInputError, describeValue } from '../signer/errors.js';
import { snapshotOwn } from '../signer/snapshot.js';
import type { CredentialsError } from './errors.js';
import { describeThrown } from './provider-failure.js';
import { equalJitter } from './refresh-policy.js';
import type { CredentialCacheOptions, RefreshErrorInfo, RefreshInfo } from './credential-cache.js';

/** Default refresh window: five minutes, as the AWS SDKs use. */
const DEFAULT_REFRESH_WINDOW_MS = 5 * 60_000;
/** Default bound on one provider call. */
const DEFAULT_TIMEOUT_MS = 30_000;
const DEFAULT_INITIAL_DELAY_MS = 1_000;
const DEFAULT_MAX_DELAY_MS = 30_000;

const OPTION_KEYS = ['refreshWindowMs', 'timeoutMs', 'backoff', 'clock', 'onRefresh', 'onRefreshError'] as const;
const BACKOFF_KEYS = ['initialDelayMs', 'maxDelayMs', 'jitter'] as const;

/** The checked settings a {@link CredentialCache} runs on. @internal */
export interface CacheSettings {
  /** The caller's clock, checked on every read: a non-finite answer throws {@link InvalidDateError}. */
  readonly clock: () => number;
  readonly refreshWindowMs: number;
  readonly timeoutMs: number;
  readonly initialDelayMs: number;
  readonly maxDelayMs: number;
  readonly jitter: (delayMs: number) => number;
  readonly onRefresh: ((info: RefreshInfo) => void) | undefined;
  readonly onRefreshError: ((error: CredentialsError, info: RefreshErrorInfo) => void) | undefined;
}

/**
 * Reads, checks and freezes the cache's options.
 *
 * @throws {@link InvalidInputError} for options that are not an object, cannot be read, or hold a value out
 * of range or of the wrong type.
 * @internal
 */
export function resolveCacheOptions(options: CredentialCacheOptions | undefined): CacheSettings {
  if (options === null || typeof options !== 'object') {
    throw new InvalidInputError('options', `must be an object of CredentialCache options, got ${describeValue(options)}`);
  }
  const own = snapshotOwn(options, OPTION_KEYS, 'options');
  const backoff = own.backoff === undefined ? Object.create(null) : checkBackoffObject(own.backoff);
  const rawBackoff = snapshotOwn(backoff, BACKOFF_KEYS, 'options.backoff');
  const initialDelayMs = checkDuration('options.backoff.initialDelayMs', rawBackoff.initialDelayMs, DEFAULT_INITIAL_DELAY_MS, { allowZero: true });
  const maxDelayMs = checkDuration('options.backoff.maxDelayMs', rawBackoff.maxDelayMs, Math.max(DEFAULT_MAX_DELAY_MS, initialDelayMs), { allowZero: true });
  if (maxDelayMs < initialDelayMs) throw new InvalidInputError('options.backoff.maxDelayMs', 'must be at least options.backoff.initialDelayMs');
  return Object.freeze({
    clock: checkedClock(checkFunction<() => number>('options.clock', own.clock, 'a function returning milliseconds since the epoch') ?? Date.now),
    refreshWindowMs: checkDuration('options.refreshWindowMs', own.refreshWindowMs, DEFAULT_REFRESH_WINDOW_MS, { allowZero: true }),
    timeoutMs: checkDuration('options.timeoutMs', own.timeoutMs, DEFAULT_TIMEOUT_MS, { allowInfinity: true }),
    initialDelayMs,
    maxDelayMs,
    jitter: checkFunction<(delayMs: number) => number>('options.backoff.jitter', rawBackoff.jitter, 'a function from a delay in milliseconds to the delay to use') ?? equalJitter,
    onRefresh: checkFunction<(info: RefreshInfo) => void>('options.onRefresh', own.onRefresh, 'a function'),
    onRefreshError: checkFunction<(error: CredentialsError, info: RefreshErrorInfo) => void>('options.onRefreshError', own.onRefreshError, 'a function'),
  });
}

function checkBackoffObject(backoff: unknown): object {
  if (backoff === null || typeof backoff !== 'object') {
    throw new InvalidInputError('options.backoff', `must be an object with initialDelayMs, maxDelayMs or jitter, got ${describeValue(backoff)}`);
  }
  return backoff;
}

function checkFunction<F>(field: string, value: unknown, what: string): F | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'function') throw new InvalidInputError(field, `must be ${what}, got ${describeValue(value)}`);
  return value as F;
}

/**
 * A clock answering NaN or a string would make every expiry comparison false: credentials would never expire.
 * A clock that throws fails the call that read it with the same typed error, never with the raw value (which
 * may be anything, even a revoked Proxy), so every entry point of the cache throws only typed errors.
 */
function checkedClock(clock: () => number): () => number {
  return () => {
    let now: unknown;
    try {
      now = clock();
    } catch (thrown) {
      throw new InvalidDateError('options.clock', `threw (${describeThrown(thrown)}); it must return milliseconds since the epoch, such as Date.now()`);
    }
    if (typeof now !== 'number' || !Number.isFinite(now)) {
      throw new InvalidDateError('options.clock', `must return a finite number of milliseconds since the epoch, returned ${describeValue(now)}`);
    }
    return now;
  };
}

function checkDuration(
  field: string,
  value: unknown,
  fallback: number,
  { allowZero = false, allowInfinity = false }: { allowZero?: boolean; allowInfinity?: boolean },
): number {
  if (value === undefined) return fallback;
  const ok =
    typeof value === 'number' &&
    !Number.isNaN(value) &&
    (allowZero ? value >= 0 : value > 0) &&
    (Number.isFinite(value) || (allowInfinity && value === Number.POSITIVE_INFINITY));
  if (!ok) {
    throw new InvalidInputError(
      field,
      `must be ${allowZero ? 'zero or more' : 'more than zero'} milliseconds${allowInfinity ? ' (or Infinity)' : ''}, got ${typeof value === 'number' ? String(value) : typeof value}`,
    );
  }
  return value;
}
