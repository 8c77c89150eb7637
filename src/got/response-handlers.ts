/**
 * What a response may change, and only when it answers an attempt the plugin signed (to the request's first
 * origin or one in `allowedRedirectOrigins`): a foreign origin reached by a redirect can neither move the
 * clock, nor invalidate the shared credentials, nor use up a request's one-time retries.
 *
 * - learn the clock offset of the answering origin (its own, see `origin-clocks.ts`) from `Date`, within the
 *   bounds of {@link ClockSkew.learn};
 * - retry once, re-signed, when AWS says the signing time was off;
 * - retry once, with fresh credentials, when AWS says the session token expired.
 *
 * A request whose stream body was sent as it was read cannot be sent again: its answer is returned.
 *
 * @internal
 * @module
 */
import { publishClock, publishRetry } from '../diagnostics/channels.js';
import type { ClockSkew } from './clock-skew.js';
import type { CredentialSource } from './credentials.js';
import { existingState, type RequestState } from './request-state.js';
import type { GotResponseLike, ResponseHook } from './types.js';

const EXPIRED_TOKEN = /ExpiredToken|InvalidToken|TokenRefreshRequired/;

/** What the response handler reads and changes. @internal */
export interface ResponseContext {
  readonly correctClockSkew: boolean;
  readonly credentials: CredentialSource;
}

function bodyText(body: unknown): string {
  if (typeof body === 'string') return body;
  if (body instanceof Uint8Array) return Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8');
  // responseType 'json' has parsed it already (JSON-protocol services name their errors in __type or code).
  if (body !== null && typeof body === 'object') {
    try {
      return JSON.stringify(body);
    } catch {
      return '';
    }
  }
  return '';
}

function originOf(response: GotResponseLike): string {
  const url = response.request.options.url;
  try {
    return url instanceof URL ? url.origin : new URL(String(url)).origin;
  } catch {
    return 'null';
  }
}

/** Learns from `Date` and says so on the clock channel. */
function learnClock(skew: ClockSkew, date: string | undefined, response: GotResponseLike): void {
  if (date === undefined) return;
  const observation = skew.learn(date);
  if (observation.outcome === 'learned') publishClock({ type: 'offset-learned', origin: originOf(response), offsetMs: observation.offsetMs });
  else if (observation.outcome === 'ignored') publishClock({ type: 'offset-ignored', origin: originOf(response), reason: observation.reason, offsetMs: observation.offsetMs });
}

function expiredToken(statusCode: number, text: string): boolean {
  return (statusCode === 400 || statusCode === 403) && EXPIRED_TOKEN.test(text);
}

/**
 * The plugin's `afterResponse` hook.
 *
 * @internal
 */
export function createResponseHandler(context: ResponseContext): ResponseHook {
  return (response, retryWithMergedOptions) => {
    const state = existingState(response.request.options);
    if (state === undefined) return response;
    const date = typeof response.headers.date === 'string' ? response.headers.date : undefined;
    // The response answers the latest attempt, and only an attempt to a signed origin was signed.
    const skew = state.clock;
    if (!state.lastSigned || skew === undefined) {
      if (date !== undefined) publishClock({ type: 'offset-ignored', origin: originOf(response), reason: 'untrusted-origin' });
      return response;
    }
    if (response.statusCode < 400) {
      if (context.correctClockSkew) learnClock(skew, date, response);
      return response;
    }
    const text = bodyText(response.body);
    // Asked before learning: once corrected, the clock would no longer disagree with the Date.
    const skewed = context.correctClockSkew && skew.isSkewError(response.statusCode, text, date);
    if (context.correctClockSkew) learnClock(skew, date, response);
    if (!state.replayable) return response;
    if (skewed && !state.skewRetried) return retry(state, 'clock-skew', response, retryWithMergedOptions);
    const cache = context.credentials.cache;
    if (cache !== undefined && !state.tokenRetried && expiredToken(response.statusCode, text)) {
      cache.invalidate(state.identity);
      return retry(state, 'expired-token', response, retryWithMergedOptions);
    }
    return response;
  };
}

function retry(state: RequestState, reason: 'clock-skew' | 'expired-token', response: GotResponseLike, again: (options: Record<string, unknown>) => never): never {
  if (reason === 'clock-skew') state.skewRetried = true;
  else state.tokenRetried = true;
  publishRetry({ reason, origin: state.origin, method: response.request.options.method });
  return again({});
}

/**
 * got removes the `afterResponse` hook that asked for a retry (and every hook after it) from the retried
 * attempt's options, so without this the plugin would not see the retried answer: a token that expired
 * after a clock-skew retry (or the reverse) would not get its own retry, and the answer's `Date` would not
 * be learned. The signing hook puts the plugin's response hook back, last, on an attempt that follows one
 * of its retries; each kind of retry still happens at most once per request.
 *
 * @internal
 */
export function restoreResponseHook(options: object, hook: ResponseHook): void {
  const hooks = (options as { hooks?: { afterResponse?: unknown } }).hooks?.afterResponse;
  if (Array.isArray(hooks) && !hooks.includes(hook)) hooks.push(hook);
}
