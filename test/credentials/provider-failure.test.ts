/**
 * The library's credentials error names the provider's reason and a fix, like the CLI does, and never
 * repeats a secret the provider's message may quote.
 *
 * Bounded for CI; `CREDENTIALS_RUNS=20000` runs the property at scale.
 */
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { fromNodeProviderChain } from '@aws-sdk/credential-providers';
import { CredentialCache, CredentialsError } from '../../src/credentials/index.js';
import { asCredentialsError, describeThrown } from '../../src/credentials/provider-failure.js';
import { redactSecrets } from '../../src/credentials/redact-text.js';
import { createAwsHome, type AwsHome } from '../helpers/fake-aws.js';

const RUNS = Number(process.env['CREDENTIALS_RUNS'] ?? 300);
/** At scale, the property tests get the time they need (about 2 ms a run at most here). */
const SCALED_TIMEOUT = Math.max(30_000, RUNS * 2);

let home: AwsHome | undefined;
afterEach(async () => {
  await home?.restore();
  home = undefined;
});

/** Secrets of the shapes AWS and the fakes use: 40-character keys, base64 tokens, fake-aws's issued values. */
const secretLike = fc.oneof(
  fc.stringMatching(/^[A-Za-z0-9/+]{40}$/).filter((s) => /[0-9]/.test(s) && /[a-z]/.test(s) && /[A-Z]/.test(s)),
  fc.stringMatching(/^[A-Za-z0-9/+]{60,200}={0,2}$/).filter((s) => /[a-z]/.test(s) && /[A-Z]/.test(s)),
  fc.uuid().map((uuid) => `fake-token-ecs-000001-${uuid}`),
  fc.uuid().map((uuid) => `fake-secret-sts-000042-${uuid}`),
);
const words = fc.array(fc.constantFrom('Could', 'not', 'load', 'credentials', 'from', 'any', 'providers', 'profile', 'dev', 'http://169.254.170.2/v2/credentials', 'arn:aws:iam::123456789012:role/demo', 'ASIAFAKEFAKEFAKE0001', '(500)', ':', '-'), { maxLength: 8 });

describe('the provider reason in a CredentialsError', () => {
  it('never repeats a secret-looking value the provider quoted, in any position, after any separator, nor its first 20 characters', () => {
    fc.assert(
      fc.property(words, secretLike, words, fc.constantFrom(' ', ': ', '=', ' secret=', ' token: ', ' "', ' \''), fc.constantFrom('Error', 'CredentialsProviderError', 'InvalidClientTokenId'), (before, secret, after, separator, name) => {
        const error = Object.assign(new Error(`${before.join(' ')}${separator}${secret} ${after.join(' ')}`), { name });
        const reason = describeThrown(error);
        expect(reason).not.toContain(secret);
        expect(reason).not.toContain(secret.slice(0, 20));
        expect(reason.startsWith(`${name}:`)).toBe(true);
      }),
      { numRuns: RUNS },
    );
  }, SCALED_TIMEOUT);

  it('keeps what a reader needs: the error name, the words, a host, an ARN and an access key id', () => {
    const reason = describeThrown(Object.assign(new Error('Could not load credentials for role arn:aws:iam::123456789012:role/demo from http://169.254.170.2/v2/credentials (ASIAFAKEFAKEFAKE0001)'), { name: 'CredentialsProviderError' }));
    expect(reason).toBe('CredentialsProviderError: Could not load credentials for role arn:aws:iam::123456789012:role/demo from http://169.254.170.2/v2/credentials (ASIAFAKEFAKEFAKE0001)');
  });

  it('redacts the values the cache holds even when they look like plain words', () => {
    expect(redactSecrets('rejected plainlowercasesecret and tokenvalue', ['plainlowercasesecret', 'tokenvalue'])).toBe('rejected [redacted] and [redacted]');
  });

  it('redacts the value after a secret-looking key, but not a word that follows one', () => {
    expect(redactSecrets('aws_secret_access_key=short1 and SessionToken: abc and "password":"hunter2"')).toBe('aws_secret_access_key=[redacted] and SessionToken: [redacted] and "password":"[redacted]"');
    expect(redactSecrets('token: the file is missing')).toBe('token: the file is missing');
  });

  it('takes the first line only, cut to 240 characters, and reads in linear time whatever it is given', () => {
    const reason = describeThrown(new Error(`${'x'.repeat(5_000_000)}\nsecond line`));
    expect(reason.length).toBeLessThanOrEqual(240);
    expect(reason).not.toContain('second line');
  });

  it('describes values that are not errors, or whose getters throw, without throwing', () => {
    const { proxy, revoke } = Proxy.revocable({}, {});
    revoke();
    const hostile = Object.defineProperty(new Error('x'), 'name', {
      get() {
        throw new Error('no');
      },
    });
    expect(describeThrown(proxy)).toBe('an unreadable error');
    expect(describeThrown(null)).toBe('null');
    expect(describeThrown(undefined)).toBe('undefined');
    expect(describeThrown('down')).toBe('a string: down');
    expect(describeThrown(hostile)).toBe('an unreadable error: x');
    expect(asCredentialsError(proxy)).toBeInstanceOf(CredentialsError);
  });

  it('says what to do, keeps a redacted copy of the provider error as the cause and the original as providerError', () => {
    const cause = new Error('connect ECONNREFUSED 127.0.0.1:1');
    const error = asCredentialsError(cause);
    expect(error.message).toMatch(/^The credential provider failed: Error: connect ECONNREFUSED 127\.0\.0\.1:1\. To fix: check the credential source's configuration/);
    expect(error.cause).toMatchObject({ name: 'Error', message: 'connect ECONNREFUSED 127.0.0.1:1' });
    expect(error.cause).not.toBe(cause);
    expect(error.providerError()).toBe(cause);
    expect(asCredentialsError(error)).toBe(error);
  });

  it("names the SDK default chain's own reason when no source has credentials", async () => {
    home = await createAwsHome();
    const error = await new CredentialCache(fromNodeProviderChain()).getCredentials().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CredentialsError);
    expect((error as CredentialsError).message).toMatch(/^The credential provider failed: CredentialsProviderError: Could not load credentials from any providers\. To fix:/);
  });
});
