/**
 * A CredentialsError's `cause` is a redacted copy of what the provider threw: no rendering of the error
 * (`util.inspect` with hidden properties at any depth, `JSON.stringify`, `String`, its stack, the
 * `got-aws4auth:error` channel, `console.error`) shows a secret the provider's error held in its message,
 * name, code, stack or cause chain, while the reason (name, code, message words, HTTP status) stays. The
 * original is reachable only through `providerError`. The secrets are registered (test/helpers/secrets.ts
 * discovers the literals below), so the suite-wide scan checks every error and every line printed here too.
 */
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { format, inspect } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CredentialCache, CredentialsError } from '../../src/credentials/index.js';
import { asCredentialsError } from '../../src/credentials/provider-failure.js';
import { AWS4AUTH_ERROR_CHANNEL, InvalidInputError } from '../../src/signer/errors.js';

const LEAKED = { secretAccessKey: 'redacted/cause/secret/0123456789abcdefghij', sessionToken: 'IQoJb3JpZ2luX2VjRedactedCauseToken0123456789' };
/** Looks like a plain word: only the cache's knowing it as its own secret can catch it. */
const HELD = { accessKeyId: 'ASIAREDACTEDCAUSE01', secretAccessKey: 'plainlowercasewordsecret' };

/** An AWS SDK-like error that quotes the token it refused, in every field a renderer prints. */
function sdkError(): Error {
  const inner = new Error(`HTTP body: <Message>The security token ${LEAKED.sessionToken} is invalid</Message>`);
  const error = new Error(`The security token included in the request is invalid: ${LEAKED.sessionToken}\nsecret_access_key=${LEAKED.secretAccessKey}`, { cause: inner });
  error.name = 'InvalidClientTokenId';
  Object.assign(error, { code: 'InvalidClientTokenId', $metadata: { httpStatusCode: 403, requestId: 'a1b2c3d4-5678-90ab-cdef-EXAMPLE11111', extendedRequestId: LEAKED.sessionToken } });
  return error;
}

/** Every way an application could print the error. */
function renderings(error: unknown): string[] {
  const cause = (error as Error).cause as Error;
  return [
    inspect(error, { showHidden: true, depth: Infinity, getters: true }),
    inspect(error),
    format('%o', error),
    String(error),
    JSON.stringify(error),
    String((error as Error).stack),
    String(cause.stack),
    JSON.stringify(cause),
  ];
}

function leaks(texts: readonly string[]): string[] {
  const secrets = [LEAKED.secretAccessKey, LEAKED.sessionToken, HELD.secretAccessKey];
  return texts.flatMap((t) => secrets.filter((s) => t.includes(s) || t.includes(s.slice(0, 16))));
}

describe('CredentialsError.cause is a redacted copy of the provider error', () => {
  const published: unknown[] = [];
  const onError = (message: unknown): void => void published.push(message);
  beforeEach(() => {
    published.length = 0;
    subscribe(AWS4AUTH_ERROR_CHANNEL, onError);
  });
  afterEach(() => unsubscribe(AWS4AUTH_ERROR_CHANNEL, onError));

  it('no rendering shows a secret quoted in the message, code, stack or cause chain; the reason stays', async () => {
    const original = sdkError();
    const error = await new CredentialCache(() => Promise.reject(original)).getCredentials().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CredentialsError);
    expect(leaks(renderings(error))).toEqual([]);
    const cause = (error as Error).cause as Error & { code?: unknown; $metadata?: unknown };
    expect(cause).toBeInstanceOf(Error);
    expect(cause).toMatchObject({ name: 'InvalidClientTokenId', code: 'InvalidClientTokenId', $metadata: { httpStatusCode: 403, requestId: 'a1b2c3d4-5678-90ab-cdef-EXAMPLE11111' } });
    expect(cause.message).toContain('The security token included in the request is invalid: [redacted]');
    expect((cause.cause as Error).message).toContain('<Message>The security token [redacted] is invalid</Message>');
    expect((error as Error).message).toContain('InvalidClientTokenId: The security token included in the request is invalid');
    expect((error as CredentialsError).providerError()).toBe(original);
  });

  it('what the error channel publishes and console.error prints holds no secret', async () => {
    const error = await new CredentialCache(() => Promise.reject(sdkError())).getCredentials().catch((e: unknown) => e);
    expect(published).toContain(error);
    expect(leaks(published.map((e) => inspect(e, { showHidden: true, depth: Infinity })))).toEqual([]);
    console.error(error); // read by the suite-wide secret scan
  });

  it('the secret of the credentials the cache holds is redacted from a failed refresh even when it looks like a word', async () => {
    let calls = 0;
    let now = Date.UTC(2026, 0, 1);
    const failures: CredentialsError[] = [];
    const cache = new CredentialCache(
      async () => {
        if (calls++ === 0) return { ...HELD, expiration: new Date(now + 600_000) };
        throw new Error(`refused key pair ${HELD.accessKeyId} / ${HELD.secretAccessKey}`);
      },
      { clock: () => now, onRefreshError: (e) => failures.push(e) },
    );
    await cache.getCredentials();
    now += 9 * 60_000;
    cache.peekCredentials();
    await new Promise((resolve) => setImmediate(resolve));
    expect(failures).toHaveLength(1);
    expect(leaks(renderings(failures[0]))).toEqual([]);
    expect((failures[0]!.cause as Error).message).toBe(`refused key pair ${HELD.accessKeyId} / [redacted]`);
  });

  it('a CredentialsError built directly with a raw cause stores the redacted copy too', () => {
    const error = new CredentialsError('failed', { cause: new Error(`token=${LEAKED.sessionToken}`) });
    expect((error.cause as Error).message).toBe('token=[redacted]');
    expect(leaks(renderings(error))).toEqual([]);
  });

  it('a library error as the cause is kept as it is: it is already free of secrets and the CLI reads its field', () => {
    const invalid = new InvalidInputError('credentials.accessKeyId', 'must be a non-empty string');
    expect(asCredentialsError(invalid).cause).toBe(invalid);
  });

  it('hostile thrown values are copied without throwing: a cyclic cause chain, a revoked Proxy, throwing getters, primitives', () => {
    const cyclic = new Error('loop');
    (cyclic as { cause?: unknown }).cause = cyclic;
    const { proxy, revoke } = Proxy.revocable({}, {});
    revoke();
    const getters = { get name(): string { throw new Error('name'); }, get message(): string { throw new Error('message'); }, get stack(): string { throw new Error('stack'); } };
    for (const thrown of [cyclic, proxy, getters, null, undefined, Symbol('s'), 42, `secret=${LEAKED.secretAccessKey}`]) {
      const error = asCredentialsError(thrown);
      expect(error.cause).toBeInstanceOf(Error);
      expect(error.providerError()).toBe(thrown);
      expect(() => renderings(error)).not.toThrow();
      expect(leaks(renderings(error))).toEqual([]);
    }
    let depth = 0;
    for (let c: unknown = asCredentialsError(cyclic).cause; c !== undefined; c = (c as Error).cause) depth += 1;
    expect(depth).toBeLessThanOrEqual(5);
  });
});
