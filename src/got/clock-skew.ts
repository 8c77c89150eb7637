/**
 * Clock skew correction. AWS rejects requests whose signing time is more than 15 minutes away from its
 * own clock; a host with a drifting clock would then fail every request. The offset between the server's
 * `Date` and the local clock is learned from responses and added to the signing time, as the AWS SDKs do:
 * only offsets of five minutes or more are applied, since `Date` has one-second resolution and small
 * differences are harmless.
 *
 * A response's `Date` is untrusted input: an offset is learned only from a readable `Date` in the years 1970
 * to 9999 that is at most {@link MAX_CLOCK_OFFSET_MS} (24 hours) from the local clock; anything else is
 * ignored and never stored, so no response can move the clock to a time it cannot sign at, or leave.
 *
 * @module
 */

/**
 * Offsets smaller than this are ignored.
 *
 * @example
 * ```ts
 * import { ClockSkew, SKEW_THRESHOLD_MS } from 'got-aws4auth';
 * const skew = new ClockSkew();
 * skew.observe(new Date(Date.now() + 60_000).toUTCString()); // false: one minute off is below the threshold
 * skew.observe(new Date(Date.now() + 2 * SKEW_THRESHOLD_MS).toUTCString()); // true: ten minutes ahead
 * skew.offsetMs; // about 600000
 * ```
 * @category Plugin
 */
export const SKEW_THRESHOLD_MS = 5 * 60 * 1000;

/**
 * The largest offset learned from a response, 24 hours: a `Date` further away is ignored, as a server's
 * broken clock or a hostile answer, not a drifting local clock.
 *
 * @example
 * ```ts
 * import { ClockSkew, MAX_CLOCK_OFFSET_MS } from 'got-aws4auth';
 * const skew = new ClockSkew();
 * skew.learn(new Date(Date.now() + 2 * MAX_CLOCK_OFFSET_MS).toUTCString()); // { outcome: 'ignored', reason: 'out-of-bounds', ... }
 * ```
 * @category Plugin
 */
export const MAX_CLOCK_OFFSET_MS = 24 * 60 * 60 * 1000;

const EARLIEST_SERVER_TIME = Date.UTC(1970, 0, 1);
const LATEST_SERVER_TIME = Date.UTC(9999, 11, 31, 23, 59, 59);

/**
 * What one response's `Date` taught a {@link ClockSkew}.
 *
 * @example
 * ```ts
 * import { ClockSkew, type ClockObservation } from 'got-aws4auth';
 * const observation: ClockObservation = new ClockSkew().learn('Mon, 23 Nov 2026 12:00:00 GMT');
 * if (observation.outcome === 'ignored') console.debug('Date ignored:', observation.reason);
 * ```
 * @category Plugin
 */
export type ClockObservation =
  | {
      /** The offset was stored (`learned`) or was already the one in use (`unchanged`). */
      readonly outcome: 'learned' | 'unchanged';
      /** The offset now in use, server clock minus local clock, in milliseconds. */
      readonly offsetMs: number;
    }
  | {
      /** The `Date` was refused and nothing was stored. */
      readonly outcome: 'ignored';
      /** Why: no readable date, or an offset beyond the bound (or a year outside 1970-9999). */
      readonly reason: 'unreadable' | 'out-of-bounds';
      /** The offset that was refused, when the date could be read. */
      readonly offsetMs?: number;
    };

const SKEW_ERROR_CODES = /RequestTimeTooSkewed|RequestExpired|RequestInTheFuture|InvalidSignatureException|SignatureDoesNotMatch|Signature expired|Signature not yet current/;

/**
 * Keeps the offset between one server's clock and the local one. The plugin keeps one per origin, in an
 * {@link OriginClocks}: an offset learned from one server is never applied to another.
 *
 * @example
 * ```ts
 * import { ClockSkew } from 'got-aws4auth';
 * const skew = new ClockSkew();
 * skew.observe('Mon, 23 Nov 2026 12:00:00 GMT');
 * console.log(new Date(skew.now()).toISOString(), skew.offsetMs);
 * ```
 * @category Plugin
 */
export class ClockSkew {
  #offsetMs = 0;
  #lastDateHeader = '';
  #lastServerTime = Number.NaN;
  #unchanged: ClockObservation = Object.freeze({ outcome: 'unchanged', offsetMs: 0 });
  readonly #clock: () => number;

  /** @param clock - the local clock, milliseconds since the epoch (default `Date.now`) */
  constructor(clock: () => number = Date.now) {
    this.#clock = clock;
  }

  /** The current correction, added to the local clock, in milliseconds. */
  get offsetMs(): number {
    return this.#offsetMs;
  }

  /** The corrected current time, in milliseconds since the epoch. */
  now(): number {
    return this.#clock() + this.#offsetMs;
  }

  /**
   * Learns from a response's `Date` header. Returns true when the offset changed.
   *
   * @param dateHeader - the `Date` header value, if any
   */
  observe(dateHeader: string | undefined): boolean {
    return dateHeader !== undefined && this.learn(dateHeader).outcome === 'learned';
  }

  /**
   * Learns from a response's `Date` header, within bounds, and says what happened: `learned` (the offset
   * changed), `unchanged` (within {@link SKEW_THRESHOLD_MS} of the corrected clock), or `ignored` with the
   * reason (`unreadable`, or `out-of-bounds`: outside the years 1970-9999 or more than
   * {@link MAX_CLOCK_OFFSET_MS} from the local clock). An ignored `Date` changes nothing.
   *
   * @param dateHeader - the `Date` header value
   */
  learn(dateHeader: string): ClockObservation {
    const serverTime = this.#serverTime(dateHeader);
    if (!Number.isFinite(serverTime)) return { outcome: 'ignored', reason: 'unreadable' };
    const local = this.#clock();
    const offset = serverTime - local;
    if (!(serverTime >= EARLIEST_SERVER_TIME && serverTime <= LATEST_SERVER_TIME && Math.abs(offset) <= MAX_CLOCK_OFFSET_MS)) {
      return { outcome: 'ignored', reason: 'out-of-bounds', offsetMs: Number.isFinite(offset) ? offset : undefined };
    }
    // Nearly every response: one shared answer, no allocation.
    if (Math.abs(offset - this.#offsetMs) < SKEW_THRESHOLD_MS) return this.#unchanged;
    this.#offsetMs = Math.abs(offset) < SKEW_THRESHOLD_MS ? 0 : offset;
    this.#unchanged = Object.freeze({ outcome: 'unchanged', offsetMs: this.#offsetMs });
    return { outcome: 'learned', offsetMs: this.#offsetMs };
  }

  /** The instant a `Date` states; responses within one second carry the same one, so it is parsed once. */
  #serverTime(dateHeader: string): number {
    if (dateHeader !== this.#lastDateHeader) {
      this.#lastDateHeader = dateHeader;
      this.#lastServerTime = typeof dateHeader === 'string' ? Date.parse(dateHeader) : Number.NaN;
    }
    return this.#lastServerTime;
  }

  /** The server time a `Date` states, or NaN when unreadable or out of bounds: only that is evidence. */
  #boundedServerTime(dateHeader: string | undefined): number {
    if (dateHeader === undefined) return Number.NaN;
    const serverTime = this.#serverTime(dateHeader);
    const local = this.#clock();
    return serverTime >= EARLIEST_SERVER_TIME && serverTime <= LATEST_SERVER_TIME && Math.abs(serverTime - local) <= MAX_CLOCK_OFFSET_MS ? serverTime : Number.NaN;
  }

  /**
   * Whether a response says the signing time was off: a 400/401/403 naming a time error, or a signature
   * error or a body-less rejection (HEAD) whose `Date` shows the clocks disagree by more than the threshold.
   *
   * @param statusCode - the response status
   * @param body - the response body as text, when there is one
   * @param dateHeader - the response `Date` header
   */
  isSkewError(statusCode: number, body: string, dateHeader: string | undefined): boolean {
    if (statusCode !== 400 && statusCode !== 401 && statusCode !== 403) return false;
    const match = SKEW_ERROR_CODES.exec(body);
    if (match !== null && /RequestTimeTooSkewed|RequestExpired|RequestInTheFuture|Signature expired|Signature not yet current/.test(match[0])) return true;
    // A signature error, or no error code at all (HEAD responses have no body): the Date decides.
    if (match === null && /<Code>|"__type"|"code"/i.test(body)) return false;
    const serverTime = this.#boundedServerTime(dateHeader);
    return Number.isFinite(serverTime) && Math.abs(serverTime - this.now()) >= SKEW_THRESHOLD_MS;
  }
}
