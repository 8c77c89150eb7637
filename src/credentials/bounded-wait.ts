/**
 * Waiting on a promise without waiting forever: a timeout that rejects (its timer always cleared, so it
 * never lingers), and an abort signal that lets one waiter stop waiting without affecting the promise
 * others share.
 *
 * Whether the timeout's timer keeps the process alive depends on who is waiting, and {@link KeepAlive}
 * tracks that: while a caller awaits the outcome the timer is ref'd, so a provider that never answers
 * ends in the typed timeout error rather than in a process that exits with nothing settled (the caller's
 * work silently dropped); while nobody awaits it (a background refresh) it is unref'd, so a refresh
 * nobody needs never holds the process open.
 *
 * @module
 */

/** The longest a Node timer can wait: a longer delay fires after 1 ms. @internal */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * Who is waiting on one shared operation, and its timers: the timers are ref'd while at least one waiter
 * holds, unref'd otherwise. A timer added while someone holds is ref'd at once.
 *
 * @internal
 */
export class KeepAlive {
  #holders = 0;
  readonly #timers = new Set<NodeJS.Timeout>();

  /** Registers one waiter; call the returned function (once or more) when it stops waiting. */
  hold(): () => void {
    this.#holders += 1;
    if (this.#holders === 1) for (const timer of this.#timers) timer.ref();
    let held = true;
    return () => {
      if (!held) return;
      held = false;
      this.#holders -= 1;
      if (this.#holders === 0) for (const timer of this.#timers) timer.unref();
    };
  }

  /** Adds a timer, ref'd as the waiters require; returns the function that forgets it. */
  track(timer: NodeJS.Timeout): () => void {
    if (this.#holders > 0) timer.ref();
    else timer.unref();
    this.#timers.add(timer);
    return () => this.#timers.delete(timer);
  }
}

/**
 * Settles like `promise`, or rejects with `onTimeout()` if `promise` has not settled after `timeoutMs`.
 * `promise` is not cancelled (promises cannot be) and its late outcome is ignored; it is always given a
 * rejection handler, so a late rejection is never reported as unhandled. `Infinity` means no timeout.
 * The timer keeps the process alive exactly while `keepAlive` has a waiter.
 *
 * @internal
 */
export function withTimeout<T>(promise: Promise<T>, timeoutMs: number, onTimeout: () => Error, keepAlive: KeepAlive): Promise<T> {
  // setTimeout cannot wait longer than 2^31 - 1 ms (about 24.8 days); anything longer means no timeout.
  if (timeoutMs > MAX_TIMER_MS) return promise;
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => {
      forget();
      reject(onTimeout());
    }, timeoutMs);
    const forget = keepAlive.track(timer);
    const settle = (): void => {
      clearTimeout(timer);
      forget();
    };
    promise.then(
      (value) => {
        settle();
        resolve(value);
      },
      (error: unknown) => {
        settle();
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
