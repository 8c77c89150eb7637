/**
 * The SDK's memoizing default chain behind the cache, for real: `fromNodeProviderChain()` reading
 * `AWS_CONTAINER_CREDENTIALS_FULL_URI` from a local container-credentials endpoint (test/helpers/fake-aws.ts).
 *
 * - Rotation inside the refresh window: the chain serves its own memoized set until it has under five
 *   minutes left (by the real clock), so a refresh may get back the credentials the cache already holds; the
 *   cache then asks once more with `forceRefresh` and rotates.
 * - The zero-config source ({@link defaultCredentialProvider}, what the plugin uses without `credentials`)
 *   builds the chain once however many callers arrive first, and imports `@aws-sdk/credential-providers`
 *   only when first asked (the plugin's burst of first requests: zero-config-burst.test.ts).
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { AwsCredentialIdentityProvider } from '@smithy/types';
import { afterEach, describe, expect, it, vi } from 'vitest';
import * as providers from '@aws-sdk/credential-providers';
import { CredentialCache, defaultCredentialProvider } from '../../src/credentials/index.js';
import { createAwsHome, startFakeContainerCredentials, type AwsHome, type FakeContainerCredentials } from '../helpers/fake-aws.js';
import { createFakeClock } from '../helpers/fake-clock.js';

vi.mock('@aws-sdk/credential-providers', async (importOriginal) => {
  const real = await importOriginal<typeof import('@aws-sdk/credential-providers')>();
  // The real chain, counted: how many chains were built.
  return { ...real, fromNodeProviderChain: vi.fn(real.fromNodeProviderChain) };
});

const MINUTE = 60_000;
const ROOT = fileURLToPath(new URL('../..', import.meta.url));

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  vi.mocked(providers.fromNodeProviderChain).mockClear();
});

async function containerHome(clock: () => number, lifetimeMs: number): Promise<{ container: FakeContainerCredentials; home: AwsHome }> {
  const container = await startFakeContainerCredentials({ clock, lifetimeMs });
  cleanups.push(() => container.close());
  const home = await createAwsHome({ env: { AWS_CONTAINER_CREDENTIALS_FULL_URI: container.fullUri } });
  cleanups.push(() => home.restore());
  return { container, home };
}

/** The provider, recording the `forceRefresh` of each call. */
function recording(provider: AwsCredentialIdentityProvider): { provider: AwsCredentialIdentityProvider; forced: boolean[] } {
  const forced: boolean[] = [];
  return {
    forced,
    provider: (properties) => {
      forced.push(properties?.forceRefresh === true);
      return provider(properties);
    },
  };
}

describe('the SDK default chain behind the cache', () => {
  it('rotates inside the refresh window: when the memoizing chain hands back the credentials held, the cache asks once more with forceRefresh and gets new ones', async () => {
    // Ten-minute credentials by the fake clock; the chain judges them by the real clock, so it keeps serving
    // its memoized set when the cache's window (five minutes before expiry, by the fake clock) opens.
    const clock = createFakeClock(Date.now());
    const { container } = await containerHome(clock.now, 10 * MINUTE);
    const { provider, forced } = recording(providers.fromNodeProviderChain());
    const refreshes: Array<{ accessKeyId: string }> = [];
    const cache = new CredentialCache(provider, { clock: clock.now, onRefresh: (info) => refreshes.push(info) });

    const first = await cache.getCredentials();
    expect(first.accessKeyId).toBe(container.issued[0]!.accessKeyId);
    clock.advance(5 * MINUTE + 1_000);
    expect(cache.peekCredentials()).toBe(first); // the window is open: a background refresh starts
    await vi.waitFor(() => expect(refreshes).toHaveLength(2));

    const second = await cache.getCredentials();
    expect(second.accessKeyId).toBe(container.issued[1]!.accessKeyId);
    expect(second.accessKeyId).not.toBe(first.accessKeyId);
    expect(forced).toEqual([false, false, true]);
    expect(container.calls).toBe(2);
  });

  it('when the forced ask fails, the failure is reported, the held credentials keep serving, and a later refresh rotates', async () => {
    const clock = createFakeClock(Date.now());
    const { container } = await containerHome(clock.now, 10 * MINUTE);
    const errors: string[] = [];
    const cache = new CredentialCache(providers.fromNodeProviderChain(), {
      clock: clock.now,
      backoff: { initialDelayMs: 1_000, jitter: (ms) => ms },
      onRefreshError: (error) => errors.push(error.code),
    });
    const first = await cache.getCredentials();
    container.fail('http500'); // the SDK's own retries included
    clock.advance(5 * MINUTE + 1_000);
    cache.peekCredentials();
    await vi.waitFor(() => expect(errors).toEqual(['ERR_AWS4_CREDENTIALS']), { timeout: 15_000 });
    expect(await cache.getCredentials()).toBe(first);

    container.heal();
    clock.advance(1_001);
    cache.peekCredentials();
    await vi.waitFor(async () => expect((await cache.getCredentials()).accessKeyId).toBe(container.issued[1]!.accessKeyId));
  });
});

describe('defaultCredentialProvider: the zero-config source', () => {
  it('builds one chain for 20 concurrent first callers, and the endpoint is asked once', async () => {
    const { container } = await containerHome(Date.now, 60 * MINUTE);
    const provider = defaultCredentialProvider();
    const identities = await Promise.all(Array.from({ length: 20 }, () => new CredentialCache(provider).getCredentials()));
    expect(new Set(identities.map((identity) => identity.accessKeyId)).size).toBe(1);
    expect(vi.mocked(providers.fromNodeProviderChain)).toHaveBeenCalledTimes(1);
    expect(container.calls).toBe(1);
  });

  it('passes forceRefresh through to the chain', async () => {
    const { container } = await containerHome(Date.now, 60 * MINUTE);
    const provider = defaultCredentialProvider();
    const first = await provider();
    const forced = await provider({ forceRefresh: true });
    expect(forced.accessKeyId).not.toBe(first.accessKeyId);
    expect(container.calls).toBe(2);
  });

  it('importing the library does not load @aws-sdk/credential-providers; the first call for credentials does', () => {
    const script = [
      "import { createRequire } from 'node:module';",
      "const loaded = () => Object.keys(createRequire(import.meta.url).cache).some((path) => path.includes('credential-provider'));",
      "const lib = await import('./src/credentials/index.ts');",
      'const before = loaded();',
      'await lib.defaultCredentialProvider()().catch(() => {});',
      'console.log(JSON.stringify({ before, after: loaded() }));',
    ].join('\n');
    const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      cwd: ROOT,
      encoding: 'utf8',
      env: { ...process.env, AWS_EC2_METADATA_DISABLED: 'true', AWS_ACCESS_KEY_ID: '', AWS_PROFILE: 'got-aws4auth-no-such-profile' },
      timeout: 60_000,
    });
    expect(child.status, child.stderr).toBe(0);
    expect(JSON.parse(child.stdout.trim().split('\n').pop()!)).toEqual({ before: false, after: true });
  });
});
