/**
 * Every text reachable from a value, as a reader holding it could reach it: own properties (enumerable or
 * not, string or symbol keys, data properties only: no getter is run), array items, Map and Set entries,
 * URLs (their `href`), URLSearchParams, and byte buffers (decoded as latin1, so no byte sequence hides).
 * The walk is read-only and bounded by a node budget; it says when it ran out, so a test can tell an
 * incomplete walk from a clean one.
 */
import { types } from 'node:util';

/** What a walk found. */
export interface ReachableTexts {
  /** Each text with the path it was reached by, e.g. `.options._internals.headers.authorization`. */
  readonly texts: { path: string; text: string }[];
  /** Whether the node budget ran out before everything reachable was read. */
  readonly truncated: boolean;
}

const MAX_BYTES = 1 << 20;

function keyName(key: string | symbol): string {
  return typeof key === 'symbol' ? `[${String(key.description)}]` : `.${key}`;
}

/** Walks everything reachable from `root`, breadth first, visiting each object once. */
export function reachableTexts(root: unknown, budget = 200_000): ReachableTexts {
  const texts: { path: string; text: string }[] = [];
  const seen = new Set<object>();
  const queue: { value: unknown; path: string }[] = [{ value: root, path: '' }];
  for (let index = 0; index < queue.length; index++) {
    if (seen.size >= budget) return { texts, truncated: true };
    const { value, path } = queue[index]!;
    if (typeof value === 'string') {
      texts.push({ path, text: value });
      continue;
    }
    if (value === null || (typeof value !== 'object' && typeof value !== 'function')) continue;
    if (seen.has(value)) continue;
    seen.add(value);
    const push = (child: unknown, childPath: string): void => void queue.push({ value: child, path: childPath });
    visitSpecial(value, path, texts, push);
    // A typed array's indices are its bytes, read above as one text.
    if (ArrayBuffer.isView(value)) continue;
    for (const key of Reflect.ownKeys(value)) {
      const descriptor = Object.getOwnPropertyDescriptor(value, key);
      if (descriptor !== undefined && 'value' in descriptor) push(descriptor.value, `${path}${keyName(key)}`);
    }
  }
  return { texts, truncated: false };
}

function visitSpecial(value: object, path: string, texts: ReachableTexts['texts'], push: (child: unknown, path: string) => void): void {
  if (value instanceof URL) texts.push({ path: `${path}.href`, text: value.href });
  else if (value instanceof URLSearchParams) texts.push({ path: `${path}.toString()`, text: value.toString() });
  else if (types.isMap(value)) for (const [key, item] of value as Map<unknown, unknown>) push(key, `${path}<key>`), push(item, `${path}<value>`);
  else if (types.isSet(value)) for (const item of value as Set<unknown>) push(item, `${path}<item>`);
  else if (ArrayBuffer.isView(value) && !(value instanceof DataView)) {
    const bytes = Buffer.from(value.buffer, value.byteOffset, Math.min(value.byteLength, MAX_BYTES));
    texts.push({ path: `${path}<bytes>`, text: bytes.toString('latin1') });
  }
}
