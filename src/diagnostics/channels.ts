/**
 * Diagnostics the Node way: one `node:diagnostics_channel` channel per kind of event, and the same events
 * written through `util.debuglog` when `NODE_DEBUG=got-aws4auth` is set. An event is built only when a
 * subscriber or the debug log wants it, so an unobserved channel costs one property read per request.
 *
 * No event carries a secret: access key ids, secret keys, session tokens, signatures and header values
 * never appear in one (a test scans every event for the suite's secrets).
 *
 * @module
 */
import { channel } from 'node:diagnostics_channel';
import { debuglog } from 'node:util';

/**
 * Channel of {@link SigningEvent}: one message per signed attempt.
 *
 * @example
 * ```ts
 * import { subscribe } from 'node:diagnostics_channel';
 * import { SIGNING_CHANNEL, type SigningEvent } from 'got-aws4auth';
 * subscribe(SIGNING_CHANNEL, (message) => {
 *   const { method, origin, service, region } = message as SigningEvent;
 *   console.debug(`signed ${method} ${origin} for ${service} in ${region}`);
 * });
 * ```
 * @category Diagnostics
 */
export const SIGNING_CHANNEL = 'got-aws4auth:sign';
/**
 * Channel of {@link CredentialsEvent}: refresh start, success, failure, stale credentials serving.
 *
 * @example
 * ```ts
 * import { subscribe } from 'node:diagnostics_channel';
 * import { CREDENTIALS_CHANNEL, type CredentialsEvent } from 'got-aws4auth';
 * subscribe(CREDENTIALS_CHANNEL, (message) => {
 *   const event = message as CredentialsEvent;
 *   if (event.type === 'refresh-failure') console.error(`credentials refresh failed: ${event.reason}`);
 * });
 * ```
 * @category Diagnostics
 */
export const CREDENTIALS_CHANNEL = 'got-aws4auth:credentials';
/**
 * Channel of {@link ClockEvent}: a clock offset learned from a response's `Date`, or ignored.
 *
 * @example
 * ```ts
 * import { subscribe } from 'node:diagnostics_channel';
 * import { CLOCK_CHANNEL, type ClockEvent } from 'got-aws4auth';
 * subscribe(CLOCK_CHANNEL, (message) => {
 *   const event = message as ClockEvent;
 *   if (event.type === 'offset-learned') console.warn(`local clock is ${event.offsetMs} ms off ${event.origin}`);
 * });
 * ```
 * @category Diagnostics
 */
export const CLOCK_CHANNEL = 'got-aws4auth:clock';
/**
 * Channel of {@link RetryEvent}: a request re-signed and sent again by the plugin.
 *
 * @example
 * ```ts
 * import { subscribe } from 'node:diagnostics_channel';
 * import { RETRY_CHANNEL, type RetryEvent } from 'got-aws4auth';
 * subscribe(RETRY_CHANNEL, (message) => {
 *   const { reason, method, origin } = message as RetryEvent;
 *   console.info(`retried ${method} ${origin} (${reason})`);
 * });
 * ```
 * @category Diagnostics
 */
export const RETRY_CHANNEL = 'got-aws4auth:retry';

/**
 * Published on {@link SIGNING_CHANNEL} for every signed attempt. Header names only, never values.
 *
 * @example
 * ```ts
 * import type { SigningEvent } from 'got-aws4auth';
 * const line = (event: SigningEvent): string =>
 *   `${event.algorithm} ${event.service}/${event.region} signed ${event.signedHeaders.join(';')} (${event.bodyMode})`;
 * ```
 * @category Diagnostics
 */
export interface SigningEvent {
  /** The HTTP method signed, e.g. `GET`. */
  readonly method: string;
  /** The origin signed for (`https://host:port`), without path or query. */
  readonly origin: string;
  /** The signing name, e.g. `s3`, `es`. */
  readonly service: string;
  /** The region, or the region set joined with commas for SigV4a. */
  readonly region: string;
  /** The signature algorithm: SigV4 (`AWS4-HMAC-SHA256`) or SigV4a (`AWS4-ECDSA-P256-SHA256`). */
  readonly algorithm: 'AWS4-HMAC-SHA256' | 'AWS4-ECDSA-P256-SHA256';
  /** The names of the signed headers, lower case and sorted, as in the `SignedHeaders` component. */
  readonly signedHeaders: readonly string[];
  /** How the body was signed: a payload hash, signed chunks, an unsigned stream, ... */
  readonly bodyMode: string;
}

/**
 * Published on {@link CREDENTIALS_CHANNEL} by every `CredentialCache`: `refresh-start` per provider call,
 * then `refresh-success` or `refresh-failure` per refresh, and `stale-serving` after a failure that leaves
 * unexpired credentials in use. Never a key, secret or token.
 *
 * @example
 * ```ts
 * import type { CredentialsEvent } from 'got-aws4auth';
 * const describe = (event: CredentialsEvent): string =>
 *   event.type === 'refresh-success' ? `new credentials until ${event.expiration?.toISOString() ?? 'never'}`
 *   : event.type === 'refresh-failure' ? `refresh failed: ${event.code}`
 *   : event.type;
 * ```
 * @category Diagnostics
 */
export interface CredentialsEvent {
  /** What happened: a refresh started, succeeded or failed, or cached credentials keep serving after a failure. */
  readonly type: 'refresh-start' | 'refresh-success' | 'refresh-failure' | 'stale-serving';
  /** Whether the provider was asked with `forceRefresh`. */
  readonly forced?: boolean;
  /** `refresh-success` and `stale-serving`: when the credentials now held expire, if they do. */
  readonly expiration?: Date;
  /** `refresh-failure`: the error's code (an `AWS4AuthError` code) and its secret-free message. */
  readonly code?: string;
  /** `refresh-failure`: the failure's message, with nothing secret in it. */
  readonly reason?: string;
}

/**
 * Published on {@link CLOCK_CHANNEL}.
 *
 * @example
 * ```ts
 * import type { ClockEvent } from 'got-aws4auth';
 * const skewed = (event: ClockEvent): boolean => event.type === 'offset-learned' && Math.abs(event.offsetMs ?? 0) > 60_000;
 * ```
 * @category Diagnostics
 */
export interface ClockEvent {
  /** Whether the offset was learned and is now used for signing, or refused and not stored. */
  readonly type: 'offset-learned' | 'offset-ignored';
  /** The origin whose response carried the `Date`. */
  readonly origin: string;
  /** The offset learned (server minus local clock, ms); for `offset-ignored`, the one refused, if readable. */
  readonly offsetMs?: number;
  /** `offset-ignored`: why (`unreadable`, `out-of-bounds`, `untrusted-origin`). */
  readonly reason?: string;
}

/**
 * Published on {@link RETRY_CHANNEL}.
 *
 * @example
 * ```ts
 * import type { RetryEvent } from 'got-aws4auth';
 * const byReason = new Map<RetryEvent['reason'], number>();
 * const count = (event: RetryEvent): void => void byReason.set(event.reason, (byReason.get(event.reason) ?? 0) + 1);
 * ```
 * @category Diagnostics
 */
export interface RetryEvent {
  /** Why the request was sent again: the server refused its time, or its credentials had expired. */
  readonly reason: 'clock-skew' | 'expired-token';
  /** The origin the retry goes to (always one the plugin signs for). */
  readonly origin: string;
  /** The HTTP method of the retried request. */
  readonly method: string;
}

const debug = debuglog('got-aws4auth');
// Node reads NODE_DEBUG once, at startup; debuglog's `enabled` getter costs ~40 ns a read (more than the
// channel check it guards, on every signed request), so its answer is read once too.
const debugEnabled = debug.enabled;
const channels = {
  [SIGNING_CHANNEL]: channel(SIGNING_CHANNEL),
  [CREDENTIALS_CHANNEL]: channel(CREDENTIALS_CHANNEL),
  [CLOCK_CHANNEL]: channel(CLOCK_CHANNEL),
  [RETRY_CHANNEL]: channel(RETRY_CHANNEL),
};
type ChannelName = keyof typeof channels;

/**
 * Whether anyone listens on `name` (a subscriber, or `NODE_DEBUG=got-aws4auth`): build the event only then.
 * @category Diagnostics
 */
export function isObserved(name: ChannelName): boolean {
  return channels[name].hasSubscribers || debugEnabled;
}

function publish(name: ChannelName, event: object): void {
  const target = channels[name];
  if (target.hasSubscribers) target.publish(event);
  if (debugEnabled) debug('%s %j', name.slice('got-aws4auth:'.length), event);
}

/**
 * Publishes a {@link SigningEvent}; `build` runs only when the channel is observed.
 * @category Diagnostics
 */
export function publishSigning(build: () => SigningEvent): void {
  if (isObserved(SIGNING_CHANNEL)) publish(SIGNING_CHANNEL, build());
}

/**
 * Publishes a {@link CredentialsEvent} when observed.
 * @category Diagnostics
 */
export function publishCredentials(event: CredentialsEvent): void {
  if (isObserved(CREDENTIALS_CHANNEL)) publish(CREDENTIALS_CHANNEL, event);
}

/**
 * Publishes a {@link ClockEvent} when observed.
 * @category Diagnostics
 */
export function publishClock(event: ClockEvent): void {
  if (isObserved(CLOCK_CHANNEL)) publish(CLOCK_CHANNEL, event);
}

/**
 * Publishes a {@link RetryEvent} when observed.
 * @category Diagnostics
 */
export function publishRetry(event: RetryEvent): void {
  if (isObserved(RETRY_CHANNEL)) publish(RETRY_CHANNEL, event);
}
