/**
 * Waiting on a promise without waiting forever: a timeout that rejects (with an unref'd timer that is
 * always cleared, so it neither keeps the process alive nor lingers), and an abort signal that lets one
 * waiter stop waiting without affecting the promise others share.
 *
 * @module
 */

const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * Settles like `promise`, or rejects with `onTimeout()` if `promise` has not settled after `timeoutMs`.
 * `promise` is not cancelled (promises cannot be) and its late outcome is ignored; it is always given a
 * rejection handler, so a late rejection is never reported as unhandled. `Infinity` means no timeout.
 *
 * @internal
 */
export function withTimeout<T>(promise: Promise<T>, timeoutMs: number, onTimeout: () => Error): Promise<T> {
  // setTimeout cannot wait longer than 2^31 - 1 ms (about 24.8 days); anything longer means no timeout.
  if (timeoutMs > MAX_TIMER_MS) return promise;
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(onTimeout()), timeoutMs);
    timer.unref();
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}

/**
 * Settles like `promise`, unless `signal` aborts first, in which case it rejects with `signal.reason`
 * (a `DOMException` named `AbortError` unless the aborter gave a reason). Only this waiter stops: the
 * shared `promise` carries on. The abort listener is removed once either happens.
 *
 * @internal
 */
export function untilAborted<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (signal === undefined) return promise;
  if (signal.aborted) return Promise.reject(signal.reason as unknown);
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason as unknown);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}
