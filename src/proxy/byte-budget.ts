/**
 * The bytes of request bodies the proxy holds before their signatures are checked, summed over all
 * requests, and per client. Outside S3 a client-key signature covers a body hash no header states, so the
 * body must be read before the request can be verified; anyone who knows a client access key id (it is in
 * every request) could otherwise make the proxy hold `maxBufferedBodyBytes` per connection, for as many
 * connections as it likes. Bytes are taken as they arrive (a stalled client holds only what it sent) and
 * given back once the request was verified or refused. One client may hold at most a quarter of the
 * total, so a single peer can never fill it and starve everyone else (red-team pass 4, F3).
 *
 * @module
 */

/** The share of the total one client may hold: 1/4, one full body per client with the default total of 4 bodies. */
const CLIENT_SHARE_DIVISOR = 4;

/**
 * Which bound a refused `take` would have passed.
 * @category Proxy
 */
export type BudgetRefusal = 'total' | 'client';

/**
 * A shared budget of bytes, with a per-client share.
 * @category Proxy
 */
export class ByteBudget {
  readonly #limit: number;
  readonly #share: number;
  readonly #byClient = new Map<string, number>();
  #used = 0;

  /** @param limit - the most bytes held at once, over all clients; one client may hold a quarter of it */
  constructor(limit: number) {
    this.#limit = limit;
    this.#share = Math.floor(limit / CLIENT_SHARE_DIVISOR);
  }

  /** Bytes held now. */
  get used(): number {
    return this.#used;
  }

  /** The most bytes one client may hold. */
  get clientShare(): number {
    return this.#share;
  }

  /** Bytes `client` holds now. */
  heldBy(client: string): number {
    return this.#byClient.get(client) ?? 0;
  }

  /** Takes `bytes` for `client` if they fit both bounds; otherwise takes nothing and says which bound. */
  take(bytes: number, client: string): BudgetRefusal | undefined {
    const held = this.heldBy(client);
    if (held + bytes > this.#share) return 'client';
    if (this.#used + bytes > this.#limit) return 'total';
    this.#used += bytes;
    this.#byClient.set(client, held + bytes);
    return undefined;
  }

  /** Gives back bytes `client` took earlier. */
  give(bytes: number, client: string): void {
    if (bytes === 0) return;
    this.#used -= bytes;
    const left = this.heldBy(client) - bytes;
    if (left > 0) this.#byClient.set(client, left);
    else this.#byClient.delete(client);
  }
}
