/**
 * Which attempts are signed: those to the origin a request was first sent to, and to the origins of
 * `allowedRedirectOrigins`, until the request once leaves them (a foreign origin could otherwise redirect
 * back to any path of the signed one and have it signed). A hop anywhere else carries no `authorization`,
 * no session token and no `x-amz-*` header, whoever set it.
 *
 * @internal
 * @module
 */
import { InvalidInputError, StreamRetryError, describeValue } from '../signer/errors.js';
import { stripForForeignOrigin } from './got-headers.js';
import { existingState, type RequestState } from './request-state.js';
import type { GotRequestOptions, RedirectHook } from './types.js';

/** The attempt's URL: got has made it a `URL` by the time its hooks run. @internal */
export function attemptUrl(url: GotRequestOptions['url']): URL {
  if (url instanceof URL) return url;
  if (typeof url === 'string') return new URL(url);
  throw new InvalidInputError('options.url', `must be set before got's beforeRequest hooks run, got ${describeValue(url)}`);
}

/**
 * Whether an attempt is to be signed; an attempt that is not has its credential-bearing headers removed.
 *
 * @throws {@link StreamRetryError} when a stream the last attempt sent would have to be sent again
 * @internal
 */
export function admitAttempt(state: RequestState, origin: string, href: string, allowedOrigins: ReadonlySet<string>, got: GotRequestOptions): boolean {
  // A stream the first attempt sent cannot be sent again: say so instead of sending a wrong body (a 303
  // turns the request into a body-less GET, which is fine).
  if (state.lastUrl !== undefined && !state.replayable && got.body !== undefined && got.body !== null) {
    throw new StreamRetryError(state.lastUrl === href ? 'retry' : 'redirect');
  }
  state.lastUrl = href;
  state.lastSigned = false;
  if (state.leftOrigin || (origin !== state.origin && !allowedOrigins.has(origin))) {
    state.leftOrigin = true;
    stripForForeignOrigin(got.headers);
    return false;
  }
  return true;
}

/**
 * The plugin's `beforeRedirect` hook: a hop that leaves the signed origins is emptied of credentials at once.
 *
 * @internal
 */
export function createRedirectHook(allowedOrigins: ReadonlySet<string>): RedirectHook {
  return (options) => {
    const url = options.url instanceof URL ? options.url : undefined;
    const state = existingState(options);
    if (url === undefined || state === undefined) return;
    const origin = url.origin;
    if (!state.leftOrigin && (origin === state.origin || allowedOrigins.has(origin))) return;
    stripForForeignOrigin(options.headers);
  };
}

/**
 * `+` in a query is ambiguous: got's `searchParams` writes a space as `+`, servers (S3 and RGW among them)
 * read `+` as a space, while SigV4 reads it as a literal plus. Rewriting it to `%20` on the wire makes
 * what is sent, what the server reads and what is signed agree. A literal plus must be sent as `%2B`.
 *
 * @returns the URL's href, which the signer splits as fast as it reads a URL's parts, and which got sends
 * @internal
 */
export function disambiguatePlus(url: URL, href: string): string {
  // href is a stored string, search is sliced out of it on every read.
  if (!href.includes('+') || !url.search.includes('+')) return href;
  url.search = url.search.replace(/\+/g, '%20');
  return url.href;
}
