/**
 * Per-request state, kept in `options.context` under a symbol: got shares the context by reference between a
 * request's attempts (retries, redirects) and copies it, with the symbol, onto the pages of `got.paginate`,
 * never between requests. So the origin first requested stays the only one signed for a request and all its
 * pages. got puts `options.context` into its errors' views (`util.inspect`, `JSON.stringify`), so the state
 * keeps the credentials of the last attempt in a private field and shows only secret-free flags.
 *
 * @internal
 * @module
 */
import type { AwsCredentialIdentity } from '@smithy/types';
import type { ClockSkew } from './clock-skew.js';
import type { GotRequestOptions } from './types.js';

const STATE = Symbol.for('got-aws4auth.request');
/**
 * The next page's state travels under a string key as well: got 16 merges a `paginate` result's context by
 * its string keys only. A request adopts it when its context has no state of its own.
 */
const NEXT_PAGE = 'got-aws4auth:next-page';

/** One request's state across its attempts. @internal */
export class RequestState {
  /** The origin of the first attempt: the only one signed, with `allowedRedirectOrigins`. */
  readonly origin: string;
  /** The caller's own `x-amz-date`, kept for the date policy on every attempt. */
  readonly callerAmzDate: string | undefined;
  /** The caller's own `x-amz-content-sha256`, e.g. `UNSIGNED-PAYLOAD`. */
  readonly callerPayloadHash: string | undefined;
  skewRetried = false;
  tokenRetried = false;
  /** False once a stream body has been sent unbuffered: such a request cannot be retried. */
  replayable = true;
  /** The URL of the previous attempt, to tell a retry from a redirect. */
  lastUrl: string | undefined = undefined;
  /** Set once an attempt went to a foreign origin: a redirect from there back is not signed either. */
  leftOrigin = false;
  /** Whether the latest attempt was signed: only its response may change the plugin's state. */
  lastSigned = false;
  /** The clock of the origin the latest signed attempt went to: only it learns from that attempt's answer. */
  clock: ClockSkew | undefined = undefined;
  #identity: AwsCredentialIdentity | undefined;

  constructor(origin: string, callerAmzDate: string | undefined, callerPayloadHash: string | undefined) {
    this.origin = origin;
    this.callerAmzDate = callerAmzDate;
    this.callerPayloadHash = callerPayloadHash;
  }

  /** The credentials the last attempt was signed with: only those are forgotten when AWS says they expired. */
  get identity(): AwsCredentialIdentity | undefined {
    return this.#identity;
  }

  set identity(identity: AwsCredentialIdentity | undefined) {
    this.#identity = identity;
  }

  /** The state of the next page of `got.paginate`: the same first origin, and no way back once it was left. */
  nextPage(): RequestState {
    const next = new RequestState(this.origin, this.callerAmzDate, this.callerPayloadHash);
    next.leftOrigin = this.leftOrigin;
    return next;
  }

  /** What `JSON.stringify` shows: no credentials. */
  toJSON(): object {
    return { origin: this.origin, replayable: this.replayable, leftOrigin: this.leftOrigin };
  }
}

/** The state of the request `options` belong to, created on its first attempt. @internal */
export function stateOf(options: GotRequestOptions, origin: string, amzDate: string | undefined, payloadHash: string | undefined): RequestState {
  const context = options.context as Record<PropertyKey, unknown>;
  let state = context[STATE] as RequestState | undefined;
  if (state === undefined) {
    const page = context[NEXT_PAGE];
    state = page instanceof RequestState ? page : new RequestState(origin, amzDate, payloadHash);
    context[STATE] = state;
  }
  return state;
}

/**
 * The context for the next page of a paginated request: the caller's next-page context, if any, with the
 * next page's state; `undefined` when the last page had no state (the plugin did not see it).
 *
 * @internal
 */
export function nextPageContext(state: RequestState | undefined, context: unknown): Record<PropertyKey, unknown> | undefined {
  if (state === undefined) return undefined;
  const base = context !== null && typeof context === 'object' ? (context as Record<PropertyKey, unknown>) : {};
  const next = state.nextPage();
  return { ...base, [STATE]: next, [NEXT_PAGE]: next };
}

/** The state of the request a response or error belongs to, if the plugin signed any attempt of it. @internal */
export function existingState(options: { context?: unknown } | undefined): RequestState | undefined {
  const context = options?.context as Record<PropertyKey, unknown> | undefined;
  const state = context?.[STATE];
  return state instanceof RequestState ? state : undefined;
}
