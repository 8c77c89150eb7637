/**
 * A bounded graceful shutdown: stop accepting, let requests in flight finish, close idle keep-alive
 * connections at once, and cut whatever is still open when the time is up.
 *
 * @module
 */
import type { Server } from 'node:http';
import { InvalidInputError, describeValue } from '../signer/errors.js';
import { MAX_TIMER_MS } from '../credentials/bounded-wait.js';

/**
 * Closes a signing proxy (or any `http.Server`) gracefully within `timeoutMs`.
 *
 * @param server - the server {@link createSigningProxy} returned
 * @param timeoutMs - how long requests in flight may take to finish; then their connections are cut
 * @returns a promise resolved once the server is closed, with whether it finished within the time
 * @throws {@link InvalidInputError} when `timeoutMs` is not a whole number of milliseconds from 0 to 2^31 - 1
 *
 * @example
 * ```ts
 * import { createSigningProxy, closeSigningProxy } from 'got-aws4auth';
 * const proxy = createSigningProxy({ upstreams: ['https://my-bucket.s3.eu-west-1.amazonaws.com'] }).listen(8080, '127.0.0.1');
 * process.once('SIGTERM', () => void closeSigningProxy(proxy, 10_000));
 * ```
 * @category Proxy
 */
export function closeSigningProxy(server: Server, timeoutMs = 10_000): Promise<boolean> {
  if (!Number.isSafeInteger(timeoutMs) || timeoutMs < 0 || timeoutMs > MAX_TIMER_MS) {
    throw new InvalidInputError('timeoutMs', `must be a whole number of milliseconds from 0 to ${MAX_TIMER_MS}, got ${describeValue(timeoutMs)}`);
  }
  return new Promise((resolve) => {
    let graceful = true;
    const timer = setTimeout(() => {
      graceful = false;
      server.closeAllConnections();
    }, timeoutMs);
    timer.unref();
    server.close(() => {
      clearTimeout(timer);
      resolve(graceful);
    });
    server.closeIdleConnections();
  });
}
