/**
 * Credentials of every shape a provider (or a caller) may hand over: each is read once, own properties only,
 * and either behaves exactly as its plain-object equivalent (same identity, same signature) or fails with a
 * typed `ERR_AWS4_CREDENTIALS`; with `Object.prototype` polluted or not, an inherited value is never used.
 *
 * Bounded for CI; `CREDENTIALS_RUNS=20000` runs it at scale.
 */
import type { AwsCredentialIdentity } from '@smithy/types';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { CredentialCache, CredentialsError, checkIdentity } from '../../src/credentials/index.js';
import { signRequest } from '../../src/signer/index.js';
import got from 'got';
import { createAws4Hooks } from '../../src/got/index.js';
import { createFakeClock } from '../helpers/fake-clock.js';
import { SHAPES, THROWING_SHAPES, shaped, type Shape } from '../helpers/object-shapes.js';
import { startVerifyingServer } from '../helpers/verifying-server.js';

const RUNS = Number(process.env['CREDENTIALS_RUNS'] ?? 300);
/** At scale, the property tests get the time they need (about 10 ms a run at most here). */
const SCALED_TIMEOUT = Math.max(30_000, RUNS * 10);
const MINUTE = 60_000;
const NOW = Date.UTC(2024, 0, 1);

// Registered in test/helpers/secrets.ts, so the suite-wide scan looks for them in every error.
const SECRET = 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY';
const TOKEN = 'FQoGZXIvYXdzEXAMPLE-SESSION-TOKEN/with+chars==';
const POLLUTED_TOKEN = 'POLLUTED+SESSION/TOKEN=from-the-prototype';

interface Plain {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  expiration?: Date;
}

/** Shapes that must fail: nothing own to read, or reading throws. */
const MUST_FAIL = new Set<Shape>([...THROWING_SHAPES, 'class with prototype getters']);

/** Where the throwing getter sits: on the secret. */
const FIELD_THAT_THROWS: keyof Plain = 'secretAccessKey';

/** Counts every read of a field through the shapes that can count them. */
const reads = { count: 0 };

/**
 * `plain` in `shape`: a getter that throws sits on the secret; one that changes turns the access key id to
 * CR/LF after a first read that passes every check, so whoever reads twice stores the second.
 */
function shapedIdentity(plain: Plain, shape: Shape): unknown {
  const key: keyof Plain = shape === 'getter that throws' ? FIELD_THAT_THROWS : 'accessKeyId';
  return shaped(plain, shape, { key, later: `${plain.accessKeyId}\r\nx-injected: 1`, reads });
}

const plainIdentity: fc.Arbitrary<Plain> = fc.record(
  {
    accessKeyId: fc.stringMatching(/^(?:AKIA|ASIA)[A-Z0-9]{16}$/),
    secretAccessKey: fc.constant(SECRET),
    sessionToken: fc.constant(TOKEN),
    expiration: fc.integer({ min: MINUTE, max: 12 * 60 * MINUTE }).map((ms) => new Date(NOW + ms)),
  },
  { requiredKeys: ['accessKeyId', 'secretAccessKey'] },
);

const POLLUTION = {
  sessionToken: POLLUTED_TOKEN,
  expiration: new Date(NOW - MINUTE),
  accessKeyId: 'AKIAPOLLUTEDPOLLUTED',
  secretAccessKey: 'polluted',
} as const;

function pollute(): void {
  for (const [key, value] of Object.entries(POLLUTION)) {
    Object.defineProperty(Object.prototype, key, { value, configurable: true, writable: true, enumerable: false });
  }
}

function unpollute(): void {
  for (const key of Object.keys(POLLUTION)) delete (Object.prototype as Record<string, unknown>)[key];
}

afterEach(unpollute);

const request = { method: 'GET', url: 'https://examplebucket.s3.amazonaws.com/photos/a.jpg' };

function authorization(credentials: AwsCredentialIdentity): string {
  return String(signRequest(request, { credentials, region: 'us-east-1', service: 's3', date: new Date(NOW) }).headers['authorization']);
}

/** What checking the value gives: the identity, or the error (which must be a CredentialsError). */
function outcomeOf(value: unknown): AwsCredentialIdentity | CredentialsError {
  try {
    return checkIdentity(value, NOW);
  } catch (error) {
    expect(error).toBeInstanceOf(CredentialsError);
    expect((error as CredentialsError).code).toBe('ERR_AWS4_CREDENTIALS');
    return error as CredentialsError;
  }
}

/** The fields of `plain`, own ones only (read while `Object.prototype` may be polluted). */
function own(plain: Plain, key: keyof Plain): unknown {
  return Object.hasOwn(plain, key) ? plain[key] : undefined;
}

function expectSameAsPlain(identity: AwsCredentialIdentity, plain: Plain): void {
  expect(identity.accessKeyId).toBe(own(plain, 'accessKeyId'));
  expect(identity.secretAccessKey).toBe(own(plain, 'secretAccessKey'));
  expect(identity.sessionToken).toBe(own(plain, 'sessionToken'));
  expect(identity.expiration?.getTime()).toBe((own(plain, 'expiration') as Date | undefined)?.getTime());
  expect(Object.getOwnPropertyNames(identity).filter((key) => key !== 'toJSON' && key !== 'toString')).toEqual(
    expect.arrayContaining(['accessKeyId', 'secretAccessKey', 'sessionToken', 'expiration']),
  );
}

describe('credential identities of every shape, Object.prototype polluted or not', () => {
  it('each shape gives exactly its plain equivalent (same fields, same signature) or a typed ERR_AWS4_CREDENTIALS; an inherited value is never used', () => {
    fc.assert(
      fc.property(plainIdentity, fc.constantFrom(...SHAPES), fc.boolean(), (plain, shape, polluted) => {
        const expected = authorization(checkIdentity({ ...plain }, NOW));
        if (polluted) pollute();
        try {
          const outcome = outcomeOf(shapedIdentity(plain, shape));
          if (MUST_FAIL.has(shape)) {
            expect(outcome).toBeInstanceOf(CredentialsError);
            return;
          }
          expect(outcome).not.toBeInstanceOf(CredentialsError);
          const identity = outcome as AwsCredentialIdentity;
          expectSameAsPlain(identity, plain);
          expect(authorization(identity)).toBe(expected);
          expect(identity.sessionToken).not.toBe(POLLUTED_TOKEN);
        } finally {
          unpollute();
        }
      }),
      { numRuns: RUNS },
    );
  }, SCALED_TIMEOUT);

  it('reads each field once: a getter is called once per field, however often the identity is used afterwards', () => {
    reads.count = 0;
    const plain: Plain = { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: SECRET, sessionToken: TOKEN, expiration: new Date(NOW + 60 * MINUTE) };
    const identity = checkIdentity(shapedIdentity(plain, 'own getters'), NOW);
    for (let i = 0; i < 5; i++) authorization(identity);
    expect(reads.count).toBe(4);
  });

  it('an access key id whose getter turns to CR/LF after its first read is stored as first read: no CR/LF reaches the cache', async () => {
    const plain: Plain = { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: SECRET };
    const cache = new CredentialCache(async () => shapedIdentity(plain, 'getter that changes between reads') as AwsCredentialIdentity);
    const identity = await cache.getCredentials();
    expect(identity.accessKeyId).toBe('AKIAIOSFODNN7EXAMPLE');
    expect(JSON.stringify(cache)).not.toMatch(/\r|\n/);
  });

  it('with Object.prototype.sessionToken and .expiration set, credentials without them are signed without a token and never expire', async () => {
    pollute();
    const cache = new CredentialCache(async () => ({ accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: SECRET }));
    const identity = await cache.getCredentials();
    expect(identity.sessionToken).toBeUndefined();
    expect(identity.expiration).toBeUndefined();
    const signed = signRequest(request, { credentials: identity, region: 'us-east-1', service: 's3' });
    expect(signed.headers['x-amz-security-token']).toBeUndefined();
    expect(await cache.getCredentials()).toBe(identity);
  });

  it('through the plugin, a class instance with non-enumerable fields signs (fixed or from a provider) and a polluted Object.prototype.sessionToken is not sent', async () => {
    const server = await startVerifyingServer({ AKIAIOSFODNN7EXAMPLE: SECRET });
    const plain: Plain = { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: SECRET };
    try {
      pollute();
      for (const credentials of [shapedIdentity(plain, 'non-enumerable own fields') as AwsCredentialIdentity, async () => shapedIdentity(plain, 'class with own fields') as AwsCredentialIdentity]) {
        const client = got.extend({ retry: { limit: 0 } }, createAws4Hooks({ region: 'us-east-1', service: 'es', credentials }));
        expect((await client.get(`${server.origin}/shapes`)).statusCode).toBe(200);
        expect(server.requests.at(-1)?.verified).toBe(true);
        expect(server.requests.at(-1)?.headers['x-amz-security-token']).toBeUndefined();
      }
    } finally {
      unpollute();
      await server.close();
    }
  });

  it('a fixed identity is read once when the cache is built: later changes to the caller object are not seen', async () => {
    const given: Plain = { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: SECRET };
    const cache = new CredentialCache(given);
    given.accessKeyId = 'AKID\r\nx-injected: 1';
    expect((await cache.getCredentials()).accessKeyId).toBe('AKIAIOSFODNN7EXAMPLE');
  });

  it('a fixed identity that cannot be read (a revoked Proxy) fails typed when the cache is built', () => {
    const { proxy, revoke } = Proxy.revocable({ accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: SECRET }, {});
    revoke();
    expect(() => new CredentialCache(proxy)).toThrow(expect.objectContaining({ code: 'ERR_AWS4_INVALID_INPUT', field: 'options.credentials' }));
  });

  it('inside the refresh window, credentials of a shape that fails never replace the valid cached ones', async () => {
    await fc.assert(
      fc.asyncProperty(plainIdentity, fc.constantFrom(...SHAPES), fc.boolean(), async (plain, shape, polluted) => {
        const clock = createFakeClock(NOW);
        const held: Plain = { accessKeyId: 'ASIAHELDHELDHELDHELD', secretAccessKey: SECRET, sessionToken: TOKEN, expiration: new Date(NOW + 20 * MINUTE) };
        let call = 0;
        const cache = new CredentialCache(async () => (call++ === 0 ? { ...held } : shapedIdentity({ ...plain, expiration: new Date(clock.now() + 30 * MINUTE) }, shape)) as AwsCredentialIdentity, {
          clock: clock.now,
          backoff: { jitter: (ms) => ms },
        });
        await cache.getCredentials();
        clock.advance(16 * MINUTE);
        if (polluted) pollute();
        try {
          cache.peekCredentials();
          await new Promise((resolve) => setImmediate(resolve));
          const now = await cache.getCredentials();
          if (MUST_FAIL.has(shape)) expect(now.accessKeyId).toBe(held.accessKeyId);
          else expect(now.accessKeyId).toBe(plain.accessKeyId);
          expect(now.sessionToken).not.toBe(POLLUTED_TOKEN);
        } finally {
          unpollute();
        }
      }),
      { numRuns: Math.max(50, Math.floor(RUNS / 3)) },
    );
  }, SCALED_TIMEOUT);
});
