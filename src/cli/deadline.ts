/**
 * `--max-time` as one deadline for the whole command, set when the command starts: the wait for
 * credentials, reading a body that must be spooled or hashed before anything is sent, and the request
 * with its response all end at the same moment, as curl's `-m` does. Each phase asks the deadline for what
 * is left of it (the credential cache's timeout) or listens to its signal (the spool, got's `signal`).
 *
 * @module
 */
import { MAX_TIMER_MS, untilAborted } from '../credentials/bounded-wait.js';
import { CliError } from './cli-error.js';
import { ExitCode } from './exit-codes.js';

/**
 * The moment `--max-time` runs out, and an abort signal that fires then.
 * @category CLI
 */
export class Deadline {
  readonly #limitMs: number | undefined;
  readonly #endsAt: number | undefined;
  readonly #controller = new AbortController();
  readonly #timer: NodeJS.Timeout | undefined;

  /**
   * @param limitMs - `--max-time` in milliseconds, from now; undefined for no limit. A limit longer than
   * a Node timer can wait (about 24.8 days) sets no timer, which would fire after 1 ms; the credential
   * cache still gets what is left of it (and treats it as no timeout the same way).
   */
  constructor(limitMs: number | undefined) {
    if (limitMs === undefined) return;
    this.#limitMs = limitMs;
    this.#endsAt = Date.now() + limitMs;
    if (limitMs > MAX_TIMER_MS) return;
    // A DOMException named TimeoutError is what got turns into its own TimeoutError (code ETIMEDOUT).
    this.#timer = setTimeout(() => this.#controller.abort(new DOMException('--max-time elapsed', 'TimeoutError')), limitMs);
  }

  /** Aborts when the time is up; never aborts without a limit. */
  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  /** Whether the time is up. */
  get expired(): boolean {
    return this.#controller.signal.aborted;
  }

  /** The milliseconds left (at least 1, so a timeout of 0 never means "none"), or undefined for no limit. */
  remainingMs(): number | undefined {
    return this.#endsAt === undefined ? undefined : Math.max(1, this.#endsAt - Date.now());
  }

  /**
   * The error to report once the time is up.
   *
   * @param during - what the command was doing, e.g. `reading the request body from stdin; nothing was sent`
   */
  error(during: string, options?: ErrorOptions): CliError {
    return new CliError(ExitCode.TIMEOUT, `timed out after ${this.#limitMs} ms (--max-time) ${during}`, options);
  }

  /**
   * Settles as `work` does, or rejects with {@link Deadline.error} once the time is up, whichever is first.
   * `work` should stop on {@link Deadline.signal} itself; this only makes sure the command does not wait
   * for it (a read from a FIFO finishes only when the FIFO gives data).
   */
  async within<T>(work: Promise<T>, during: string): Promise<T> {
    // Whatever `work` does after the time is up is of no interest, its failure included.
    work.catch(() => {});
    try {
      return await untilAborted(work, this.#controller.signal);
    } catch (error) {
      throw this.expired ? this.error(during, { cause: error }) : error;
    }
  }

  /** Stops the timer: the command is over, and an in-process caller must not be held by it. */
  dispose(): void {
    clearTimeout(this.#timer);
  }
}
