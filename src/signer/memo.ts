/**
 * The one home of module state in the signer. Signing repeats itself (the same host, path, scope, key and
 * token, request after request), so the hot path remembers what it last computed or checked. Every such
 * memory is one of the two bounded memos here, registered at creation, so that one call,
 * {@link clearSignerCaches}, forgets all of them (secrets, signing keys and session tokens included), and a
 * test can ask the registry whether anything is still held.
 *
 * - {@link LastMemo}: the last value computed, keyed by up to four parts compared with `===` (no key
 *   string is built, which is what makes it cheaper than a map lookup on the hot path).
 * - {@link BoundedMemo}: a `Map` of at most `maxEntries`, the oldest entry evicted first.
 *
 * @module
 */

/** A registered piece of module state. @internal */
export interface RegisteredCache {
  /** What it remembers, for diagnostics and tests; never a value. */
  readonly name: string;
  /** How many entries it holds now (0 when empty). */
  readonly size: number;
  /** Forgets everything it holds. */
  clear(): void;
}

const registry: RegisteredCache[] = [];
// What an empty LastMemo's key parts hold: equal to no argument, so hit() needs no separate "filled" test.
const EMPTY: unique symbol = Symbol('empty');

/**
 * Registers module state that is neither a {@link LastMemo} nor a {@link BoundedMemo} (e.g. scratch
 * buffers), so {@link clearSignerCaches} empties it too.
 *
 * @internal
 */
export function registerCache(cache: RegisteredCache): void {
  registry.push(cache);
}

/**
 * The last value computed, for keys of up to four parts compared with `===`.
 *
 * @internal
 */
export class LastMemo<V> {
  readonly name: string;
  /** The remembered value; read it only after {@link LastMemo.hit} returned true. */
  value: V | undefined = undefined;
  private a: unknown = EMPTY;
  private b: unknown = EMPTY;
  private c: unknown = EMPTY;
  private d: unknown = EMPTY;

  constructor(name: string) {
    this.name = name;
    registerCache(this);
  }

  /** Whether the remembered value was computed for exactly these key parts. */
  hit(a: unknown, b?: unknown, c?: unknown, d?: unknown): boolean {
    return a === this.a && b === this.b && c === this.c && d === this.d;
  }

  /** Remembers `value` for the key parts, forgetting the previous one. */
  remember(value: V, a: unknown, b?: unknown, c?: unknown, d?: unknown): V {
    this.value = value;
    this.a = a;
    this.b = b;
    this.c = c;
    this.d = d;
    return value;
  }

  get size(): number {
    return this.a === EMPTY ? 0 : 1;
  }

  clear(): void {
    this.value = undefined;
    this.a = this.b = this.c = this.d = EMPTY;
  }
}

/**
 * A map of at most `maxEntries` entries; when full, the oldest entry is evicted to make room.
 *
 * @internal
 */
export class BoundedMemo<K, V> {
  readonly name: string;
  readonly maxEntries: number;
  private readonly map = new Map<K, V>();
  private readonly dispose: ((value: V) => void) | undefined;

  /**
   * @param dispose - called with each value dropped (evicted or cleared), e.g. to zero key material that
   *   nothing else can still be using
   */
  constructor(name: string, maxEntries: number, dispose?: (value: V) => void) {
    this.name = name;
    this.maxEntries = maxEntries;
    this.dispose = dispose;
    registerCache(this);
  }

  get(key: K): V | undefined {
    return this.map.get(key);
  }

  set(key: K, value: V): V {
    if (!this.map.has(key) && this.map.size >= this.maxEntries) {
      const [oldestKey, oldest] = this.map.entries().next().value as [K, V];
      this.map.delete(oldestKey);
      this.dispose?.(oldest);
    }
    this.map.set(key, value);
    return value;
  }

  get size(): number {
    return this.map.size;
  }

  clear(): void {
    if (this.dispose !== undefined) for (const value of this.map.values()) this.dispose(value);
    this.map.clear();
  }
}

/**
 * Empties every cache of the signer: signing keys, SigV4a key pairs, HMAC pad blocks, and the last host,
 * path, query, scope, access key id and session token remembered on the hot path. Call it after rotating a
 * secret, or before a heap snapshot, to leave no credential material in this package's module memory
 * (credentials your own code or a credential cache holds are theirs to drop).
 *
 * @example
 * ```ts
 * import { clearSignerCaches } from 'got-aws4auth/signer';
 * // After rotating a secret access key, drop everything derived from or remembered about the old one
 * clearSignerCaches();
 * ```
 * @category Signer
 */
export function clearSignerCaches(): void {
  for (const cache of registry) cache.clear();
}

/**
 * The name and size of every registered cache, for tests that prove {@link clearSignerCaches} leaves
 * nothing behind.
 *
 * @internal
 */
export function signerCacheSizes(): { readonly name: string; readonly size: number }[] {
  return registry.map((cache) => ({ name: cache.name, size: cache.size }));
}
