/**
 * The bytes of request bodies the proxy holds before their signatures are checked, summed over all
 * requests. Outside S3 a client-key signature covers a body hash no header states, so the body must be read
 * before the request can be verified; anyone who knows a client access key id (it is in every request)
 * could otherwise make the proxy hold `maxBufferedBodyBytes` per connection, for as many connections as
 * it likes. Bytes are taken as they arrive (a stalled client holds only what it sent) and given back once
 * the request was verified or refused.
 *
 * @module
 */

/**
 * A shared budget of bytes.
 * @category Proxy
 */
export class ByteBudget {
  readonly #limit: number;
  #used = 0;

  /** @param limit - the most bytes held at once */
  constructor(limit: number) {
    this.#limit = limit;
  }

  /** Bytes held now. */
  get used(): number {
    return this.#used;
  }

  /** Takes `bytes` if they fit; false (and nothing taken) when they would pass the limit. */
  take(bytes: number): boolean {
    if (this.#used + bytes > this.#limit) return false;
    this.#used += bytes;
    return true;
  }

  /** Gives back bytes taken earlier. */
  give(bytes: number): void {
    this.#used -= bytes;
  }
}
