/**
 * Clock skew correction. AWS rejects requests whose signing time is more than 15 minutes away from its
 * own clock; a host with a drifting clock would then fail every request. The offset between the server's
 * `Date` and the local clock is learned from responses and added to the signing time, as the AWS SDKs do:
 * only offsets of five minutes or more are applied, since `Date` has one-second resolution and small
 * differences are harmless.
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
 */
export const SKEW_THRESHOLD_MS = 5 * 60 * 1000;

const SKEW_ERROR_CODES = /RequestTimeTooSkewed|RequestExpired|RequestInTheFuture|InvalidSignatureException|SignatureDoesNotMatch|Signature expired|Signature not yet current/;

/**
 * Keeps one client's offset between the server clock and the local one.
 *
 * @example
 * ```ts
 * import { ClockSkew } from 'got-aws4auth';
 * const skew = new ClockSkew();
 * skew.observe('Mon, 23 Nov 2026 12:00:00 GMT');
 * console.log(new Date(skew.now()).toISOString(), skew.offsetMs);
 * ```
 */
export class ClockSkew {
  #offsetMs = 0;
  #lastDateHeader = '';
  #lastServerTime = Number.NaN;
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
    if (dateHeader === undefined) return false;
    // Responses within one second carry the same Date: parse it once.
    if (dateHeader !== this.#lastDateHeader) {
      this.#lastDateHeader = dateHeader;
      this.#lastServerTime = Date.parse(dateHeader);
    }
    const serverTime = this.#lastServerTime;
    if (!Number.isFinite(serverTime)) return false;
    const local = this.#clock();
    if (Math.abs(serverTime - (local + this.#offsetMs)) < SKEW_THRESHOLD_MS) return false;
    this.#offsetMs = Math.abs(serverTime - local) < SKEW_THRESHOLD_MS ? 0 : serverTime - local;
    return true;
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
    const serverTime = dateHeader === undefined ? Number.NaN : Date.parse(dateHeader);
    return Number.isFinite(serverTime) && Math.abs(serverTime - this.now()) >= SKEW_THRESHOLD_MS;
  }
}
