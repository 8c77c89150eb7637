/**
 * Reading untrusted objects. Options and credential identities may be class instances, carry getters, be
 * Proxies, or sit on a polluted `Object.prototype`. Each is read here exactly once, field by field, own
 * properties only (enumerable or not), into a frozen null-prototype record: the caller validates that record
 * and keeps only it, so what was checked is what is used, and an inherited value is never seen.
 *
 * @internal
 * @module
 */
import { AWS4AuthError, InvalidInputError, describeValue } from './errors.js';

/**
 * A frozen, null-prototype record of the own fields read; a field that was absent is absent here too.
 * @category Signer
 */
export type Snapshot<K extends string> = { readonly [P in K]?: unknown };

/**
 * Builds the typed error for an unreadable or non-object input.
 * @category Signer
 */
export type SnapshotErrorFactory = (field: string, problem: string) => AWS4AuthError;

const invalidInput: SnapshotErrorFactory = (field, problem) => new InvalidInputError(field, problem);

/** The problem an object had when reading its fields threw. @internal */
export const UNREADABLE = 'could not be read (a getter or Proxy trap threw, or the Proxy was revoked); pass a plain object';

/**
 * Reads `keys` from `value` once each, own properties only.
 *
 * @param value - the untrusted object (a function is accepted too: credential providers are functions)
 * @param keys - the fields to read; any other field is ignored
 * @param field - the name of `value` in error messages, e.g. `options` or `credentials`
 * @param errorFor - the typed error to throw (default {@link InvalidInputError})
 * @throws the `errorFor` error when `value` is not an object, or when inspecting or reading a field throws
 * (a revoked Proxy, a throwing getter); the thrown value is dropped, as it may hold anything
 * @internal
 */
export function snapshotOwn<K extends string>(
  value: unknown,
  keys: readonly K[],
  field: string,
  errorFor: SnapshotErrorFactory = invalidInput,
): Snapshot<K> {
  if (value === null || (typeof value !== 'object' && typeof value !== 'function')) {
    throw errorFor(field, `must be an object, got ${describeValue(value)}`);
  }
  const out: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
  for (const key of keys) {
    if (isOwn(value, key, field, errorFor)) out[key] = readField(value, key, field, errorFor);
  }
  return Object.freeze(out) as Snapshot<K>;
}

/**
 * `value instanceof type` for an untrusted value: `instanceof` runs a Proxy's `getPrototypeOf` trap, so a
 * revoked Proxy or a trap that throws becomes the typed error, as a getter that throws does in
 * {@link snapshotOwn}.
 *
 * @internal
 */
export function isInstanceOf(value: unknown, type: abstract new (...args: never[]) => unknown, field: string, errorFor: SnapshotErrorFactory = invalidInput): boolean {
  try {
    return value instanceof type;
  } catch {
    throw errorFor(field, UNREADABLE);
  }
}

const hasOwnProperty = Object.prototype.hasOwnProperty;

function isOwn(value: object, key: string, field: string, errorFor: SnapshotErrorFactory): boolean {
  try {
    return hasOwnProperty.call(value, key);
  } catch {
    throw errorFor(field, 'could not be inspected (it threw when its fields were listed, e.g. a revoked Proxy); pass a plain object');
  }
}

function readField(value: object, key: string, field: string, errorFor: SnapshotErrorFactory): unknown {
  try {
    return (value as Record<string, unknown>)[key];
  } catch {
    throw errorFor(`${field}.${key}`, 'could not be read (its getter threw); pass a plain value');
  }
}

/**
 * `read` (the value of `value[key]`, read once by the caller) if `key` is an own property of `value`
 * (enumerable or not), else `undefined`: the form of {@link snapshotOwn} for the signing hot path, which
 * reads a fixed set of fields by constant name (an inline-cached load each, where a loop over names makes
 * every load a generic keyed one) inside one try block that turns a throw into the caller's typed error. An
 * own field holding `undefined` and an absent one are the same there, so ownership is checked only for a
 * field that reads as defined (most option fields are absent): an inherited value is never returned,
 * though an inherited getter may have run once, its value dropped.
 *
 * @internal
 */
export function ownOnly(value: object, key: string, read: unknown): unknown {
  return read === undefined || hasOwnProperty.call(value, key) ? read : undefined;
}
