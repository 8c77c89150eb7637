/**
 * Untrusted objects of every shape a caller may hand over, built from a plain object: class instances, own
 * getters, non-enumerable fields, frozen, null prototype, Proxies (transparent, revoked), getters that throw
 * or answer differently on a later read, fields only on a class prototype. And a polluted
 * `Object.prototype`, set and removed around one call. Shared by every test of the rule "read once, own
 * properties only, then validate what you keep".
 */

/** The shapes {@link shaped} builds. */
export type Shape =
  | 'plain'
  | 'class with own fields'
  | 'class with prototype getters'
  | 'own getters'
  | 'non-enumerable own fields'
  | 'frozen'
  | 'null prototype'
  | 'transparent Proxy'
  | 'revoked Proxy'
  | 'getter that throws'
  | 'getter that changes between reads';

export const SHAPES: readonly Shape[] = [
  'plain',
  'class with own fields',
  'class with prototype getters',
  'own getters',
  'non-enumerable own fields',
  'frozen',
  'null prototype',
  'transparent Proxy',
  'revoked Proxy',
  'getter that throws',
  'getter that changes between reads',
];

/** Shapes a reader that honours own enumerable properties (a header map, as Node sends it) sees as the plain object. */
export const ENUMERABLE_SHAPES: readonly Shape[] = SHAPES.filter((shape) => shape !== 'class with prototype getters' && shape !== 'non-enumerable own fields');

/** Shapes that cannot be read as their plain equivalent: reading throws. */
export const THROWING_SHAPES: ReadonlySet<Shape> = new Set<Shape>(['revoked Proxy', 'getter that throws']);

export interface ShapeOptions {
  /** The field whose getter throws or changes; default: the first field. */
  readonly key?: string;
  /** What a changing getter answers from its second read on. */
  readonly later?: unknown;
  /** Incremented on every read through an own getter. */
  readonly reads?: { count: number };
}

function ownGetters(plain: Record<string, unknown>, reads: { count: number } | undefined): object {
  const descriptors = Object.fromEntries(
    Object.entries(plain).map(([key, value]) => [key, { get: () => (reads !== undefined && reads.count++, value), enumerable: true }]),
  );
  return Object.defineProperties({}, descriptors);
}

function onPrototype(plain: Record<string, unknown>): object {
  class Shaped {}
  for (const [key, value] of Object.entries(plain)) Object.defineProperty(Shaped.prototype, key, { get: () => value, enumerable: true });
  return new Shaped();
}

/** `plain` rebuilt in `shape`; the plain object itself is never returned or changed. */
export function shaped<T extends object>(plain: T, shape: Shape, options: ShapeOptions = {}): T {
  const fields = { ...plain } as Record<string, unknown>;
  const key = options.key ?? Object.keys(fields)[0] ?? 'field';
  switch (shape) {
    case 'plain':
      return fields as T;
    case 'class with own fields':
      return Object.assign(new (class Shaped {})(), fields) as T;
    case 'class with prototype getters':
      return onPrototype(fields) as T;
    case 'own getters':
      return ownGetters(fields, options.reads) as T;
    case 'non-enumerable own fields':
      return Object.defineProperties({}, Object.fromEntries(Object.entries(fields).map(([k, value]) => [k, { value, enumerable: false }]))) as T;
    case 'frozen':
      return Object.freeze(fields) as T;
    case 'null prototype':
      return Object.assign(Object.create(null) as object, fields) as T;
    case 'transparent Proxy':
      return new Proxy(fields, {}) as T;
    case 'revoked Proxy': {
      const { proxy, revoke } = Proxy.revocable(fields, {});
      revoke();
      return proxy as T;
    }
    case 'getter that throws':
      return Object.defineProperty(fields, key, {
        get() {
          throw new Error('getter broke');
        },
        enumerable: true,
      }) as T;
    case 'getter that changes between reads': {
      let served = 0;
      const first = fields[key];
      return Object.defineProperty(fields, key, { get: () => (served++ === 0 ? first : options.later), enumerable: true }) as T;
    }
  }
}

/** Runs `call` with `values` set on `Object.prototype` (non-enumerable), removing them afterwards whatever happens. */
export function withPollutedPrototype<R>(values: Readonly<Record<string, unknown>>, call: () => R): R {
  const proto = Object.prototype as Record<string, unknown>;
  for (const [key, value] of Object.entries(values)) Object.defineProperty(proto, key, { value, configurable: true, writable: true, enumerable: false });
  try {
    return call();
  } finally {
    for (const key of Object.keys(values)) delete proto[key];
  }
}
