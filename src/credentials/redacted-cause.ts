/**
 * What a {@link CredentialsError} carries as its `cause`: a redacted copy of what the provider threw, never
 * the value itself. A provider's error can quote the secret or token it was given (an STS answer naming the
 * token it refused), and the `cause` is printed by `console.error(error)`, `util.inspect` and every logger,
 * and published with the error on the `got-aws4auth:error` channel. The copy is an `Error` with the
 * provider error's `name`, `code`, `message`, stack frames and `$metadata.httpStatusCode`/`requestId` (what
 * says why it failed), each read once inside `try` (the value may be a revoked Proxy, its getters may throw)
 * and redacted by redact-text.ts; its own `cause` chain is copied the same way, a few levels deep. An
 * {@link AWS4AuthError} is already free of secrets and is kept as it is.
 *
 * The original value stays reachable for code that needs it (`CredentialsError.providerError()`), through a
 * module-private WeakMap: no property, enumerable or not, symbol or not, holds it, so no rendering of the
 * error can reach it.
 *
 * @internal
 * @module
 */
import { AWS4AuthError } from '../signer/errors.js';
import { redactSecrets } from './redact-text.js';

/** How much of each text is looked at (the redaction patterns are not linear in one word's length). */
const MAX_TEXT = 1024;
const MAX_NAME = 100;
const MAX_FRAMES = 20;
const MAX_FRAME = 300;
/** Cause chains deeper than this are cut (they can be cyclic). */
const MAX_DEPTH = 4;
const REQUEST_ID = /^[\w-]{1,128}$/;

const originals = new WeakMap<object, unknown>();

/**
 * The redacted copy of a value a provider threw: an `Error` whose name is the original's.
 *
 * @internal
 */
export class RedactedProviderError extends Error {}

/** `value[key]`, or `undefined` when reading it throws. */
function read(value: object, key: string, own = false): unknown {
  try {
    if (own && !Object.hasOwn(value, key)) return undefined;
    return (value as Record<string, unknown>)[key];
  } catch {
    return undefined;
  }
}

function text(value: unknown, max: number, known: readonly (string | undefined)[]): string | undefined {
  return typeof value === 'string' ? redactSecrets(value.slice(0, max), known) : undefined;
}

/** `instanceof`, false for a value whose prototype cannot be read (a revoked Proxy). */
function isA<T>(value: unknown, Class: abstract new (...args: never[]) => T): value is T {
  try {
    return value instanceof Class;
  } catch {
    return false;
  }
}

/** The stack's `at …` frames only: the lines before them repeat the (unredacted) message. */
function frames(stack: unknown, known: readonly (string | undefined)[]): string {
  if (typeof stack !== 'string') return '';
  const lines = stack.slice(0, MAX_FRAMES * MAX_FRAME * 2).split('\n').filter((line) => /^\s+at /.test(line));
  return lines.slice(0, MAX_FRAMES).map((line) => `\n${redactSecrets(line.slice(0, MAX_FRAME), known)}`).join('');
}

/** `$metadata` of an AWS SDK error: its HTTP status and request id, nothing else. */
function metadata(value: object): { httpStatusCode?: number; requestId?: string } | undefined {
  const meta = read(value, '$metadata', true);
  if (meta === null || typeof meta !== 'object') return undefined;
  const status = read(meta, 'httpStatusCode');
  const requestId = read(meta, 'requestId');
  return Object.freeze({
    ...(typeof status === 'number' ? { httpStatusCode: status } : {}),
    ...(typeof requestId === 'string' && REQUEST_ID.test(requestId) ? { requestId } : {}),
  });
}

function copy(thrown: unknown, known: readonly (string | undefined)[], depth: number): unknown {
  if (isA(thrown, AWS4AuthError)) return thrown;
  if (thrown === null || (typeof thrown !== 'object' && typeof thrown !== 'function')) {
    const description = typeof thrown === 'string' ? (text(thrown, MAX_TEXT, known) ?? '') : typeof thrown === 'symbol' ? 'a symbol' : String(thrown);
    return remember(new RedactedProviderError(description), thrown);
  }
  const name = text(read(thrown, 'name'), MAX_NAME, known) ?? 'Error';
  const message = text(read(thrown, 'message'), MAX_TEXT, known) ?? '';
  const inner = depth < MAX_DEPTH ? read(thrown, 'cause', true) : undefined;
  const result = new RedactedProviderError(message, inner === undefined ? undefined : { cause: copy(inner, known, depth + 1) });
  result.name = name;
  result.stack = `${name}${message === '' ? '' : `: ${message}`}${frames(read(thrown, 'stack'), known)}`;
  const code = read(thrown, 'code');
  if (typeof code === 'string' || typeof code === 'number') Object.assign(result, { code: typeof code === 'string' ? text(code, MAX_NAME, known) : code });
  const meta = metadata(thrown);
  if (meta !== undefined) Object.assign(result, { $metadata: meta });
  return remember(result, thrown);
}

function remember(copied: RedactedProviderError, original: unknown): RedactedProviderError {
  originals.set(copied, original);
  return copied;
}

/**
 * The `cause` to attach for `thrown`: an {@link AWS4AuthError} as it is (already secret-free), a copy already
 * made as it is, anything else as a {@link RedactedProviderError}. Never throws.
 *
 * @param thrown - what the provider (or anything else in a refresh) threw
 * @param known - values that are secret whatever they look like (the cache's current secret and token)
 * @internal
 */
export function redactedCause(thrown: unknown, known: readonly (string | undefined)[] = []): unknown {
  if (isA(thrown, RedactedProviderError)) return thrown;
  return copy(thrown, known, 0);
}

/**
 * The value a {@link RedactedProviderError} was copied from; `cause` itself for anything else.
 *
 * @internal
 */
export function originalOf(cause: unknown): unknown {
  return isA(cause, RedactedProviderError) && originals.has(cause) ? originals.get(cause) : cause;
}
