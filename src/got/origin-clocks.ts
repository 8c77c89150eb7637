/**
 * One clock offset per origin. A server's `Date` says how far *that* server's clock is from ours; applying it
 * to every origin would sign requests to a correct server with another server's error (an S3-compatible
 * server 30 minutes ahead would make every S3 upload fail). So each origin keeps its own {@link ClockSkew},
 * learned only from its own trusted answers and used only to sign for it, as the AWS SDKs keep one per client
 * (one endpoint). The map is a bounded LRU, so a client that talks to many hosts keeps a fixed amount of memory.
 *
 * @module
 */
import { ClockSkew } from './clock-skew.js';

/**
 * How many origins keep an offset by default; the least recently used one is forgotten beyond it.
 *
 * @example
 * ```ts
 * import { DEFAULT_ORIGIN_CLOCKS, OriginClocks } from 'got-aws4auth';
 * const clocks = new OriginClocks(Date.now, DEFAULT_ORIGIN_CLOCKS * 4); // a client of very many hosts
 * console.log(clocks.capacity); // 1024
 * ```
 * @category Plugin
 */
export const DEFAULT_ORIGIN_CLOCKS = 256;

/**
 * The clock offsets of many origins, one {@link ClockSkew} each, at most `capacity` of them (least recently
 * used forgotten first; a forgotten origin starts again at offset 0 and learns from its next answer).
 *
 * @example
 * ```ts
 * import { OriginClocks } from 'got-aws4auth';
 * const clocks = new OriginClocks();
 * clocks.for('https://minio.internal:9000').observe(new Date(Date.now() + 30 * 60_000).toUTCString());
 * clocks.for('https://s3.eu-west-1.amazonaws.com').offsetMs; // 0: another origin's clock is its own
 * ```
 * @category Plugin
 */
export class OriginClocks {
  readonly #clocks = new Map<string, ClockSkew>();
  readonly #clock: () => number;
  readonly #capacity: number;
  #latestOrigin = '';
  #latest: ClockSkew | undefined;

  /**
   * @param clock - the local clock, milliseconds since the epoch (default `Date.now`)
   * @param capacity - how many origins to remember, at least 1 (default {@link DEFAULT_ORIGIN_CLOCKS})
   */
  constructor(clock: () => number = Date.now, capacity: number = DEFAULT_ORIGIN_CLOCKS) {
    this.#clock = clock;
    this.#capacity = Number.isInteger(capacity) && capacity >= 1 ? capacity : DEFAULT_ORIGIN_CLOCKS;
  }

  /** How many origins currently keep an offset. */
  get size(): number {
    return this.#clocks.size;
  }

  /** The most origins kept. */
  get capacity(): number {
    return this.#capacity;
  }

  /**
   * The clock of one origin (`scheme://host[:port]`), created at offset 0 on first use.
   *
   * @param origin - the origin the request is signed for, or whose response is read
   */
  for(origin: string): ClockSkew {
    // Most clients talk to one origin: the latest one is answered without touching the map.
    if (origin === this.#latestOrigin && this.#latest !== undefined) return this.#latest;
    let skew = this.#clocks.get(origin);
    if (skew === undefined) {
      skew = new ClockSkew(this.#clock);
      if (this.#clocks.size >= this.#capacity) this.#clocks.delete(this.#clocks.keys().next().value as string);
    } else {
      this.#clocks.delete(origin);
    }
    // Re-inserted: a Map iterates in insertion order, so the first key is the least recently used.
    this.#clocks.set(origin, skew);
    this.#latestOrigin = origin;
    this.#latest = skew;
    return skew;
  }

  /**
   * The clock of an origin if it has one, without creating it or changing the order of use.
   *
   * @param origin - the origin
   */
  peek(origin: string): ClockSkew | undefined {
    return this.#clocks.get(origin);
  }
}
