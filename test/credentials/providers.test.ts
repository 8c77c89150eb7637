/**
 * Every AWS SDK v3 credential provider family, the real ones from `@aws-sdk/credential-providers`, pointed
 * at local fakes of STS, IMDS, the container endpoint and the SSO portal, with a throwaway `$HOME`, and
 * wrapped in a CredentialCache.
 */
import { inspect } from 'node:util';
import {
  fromContainerMetadata,
  fromHttp,
  fromIni,
  fromInstanceMetadata,
  fromNodeProviderChain,
  fromSSO,
  fromTemporaryCredentials,
  fromTokenFile,
  fromWebToken,
} from '@aws-sdk/credential-providers';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CredentialCache, CredentialsError, CredentialsTimeoutError, type CredentialCacheOptions, type RefreshInfo } from '../../src/credentials/index.js';
import {
  createAwsHome,
  startFakeContainerCredentials,
  startFakeImds,
  startFakeSsoPortal,
  startFakeSts,
  type AwsHome,
  type AwsHomeOptions,
  type FakeServer,
  type FakeSts,
} from '../helpers/fake-aws.js';
import { createFakeClock } from '../helpers/fake-clock.js';

const SECOND = 1_000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const LEAK = /fake-secret|fake-token|SECRETKEY/;
const ROLE_ARN = 'arn:aws:iam::123456789012:role/got-aws4auth-test';
const MASTER = { accessKeyId: 'AKIDMASTER', secretAccessKey: 'MASTERSECRETKEY' };

let home: AwsHome | undefined;
const servers: FakeServer[] = [];

afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
  await home?.restore();
  home = undefined;
});

async function useHome(options: AwsHomeOptions = {}): Promise<AwsHome> {
  home = await createAwsHome(options);
  return home;
}

async function track<T extends FakeServer>(started: Promise<T>): Promise<T> {
  const server = await started;
  servers.push(server);
  return server;
}

/** A cache with deterministic backoff, checked for leaks whenever it is printed. */
function cacheOf(provider: AwsCredentialIdentityProvider, options: CredentialCacheOptions = {}): CredentialCache {
  return new CredentialCache(provider, { ...options, backoff: { jitter: (delay) => delay, ...options.backoff } });
}

function expectNothingSecretPrinted(cache: CredentialCache, identity: AwsCredentialIdentity): void {
  for (const printed of [inspect(cache, { showHidden: true, depth: Infinity }), String(cache), JSON.stringify(cache), inspect(identity), JSON.stringify(identity), String(identity)]) {
    expect(printed).not.toMatch(LEAK);
  }
}

function assumeRole(sts: FakeSts, durationSeconds = 900): AwsCredentialIdentityProvider {
  return fromTemporaryCredentials({
    params: { RoleArn: ROLE_ARN, RoleSessionName: 'got-aws4auth', DurationSeconds: durationSeconds },
    masterCredentials: MASTER,
    clientConfig: { endpoint: sts.endpoint, region: 'us-east-1', maxAttempts: 1 },
  });
}

/** Resolves when `predicate` holds, polling the real event loop (HTTP round trips need it). */
async function until(predicate: () => boolean): Promise<void> {
  await vi.waitFor(() => expect(predicate()).toBe(true), { timeout: 5_000, interval: 2 });
}

describe('fromTemporaryCredentials (STS AssumeRole)', () => {
  it('assumes the role through STS, signed with the master credentials, and serves the result from the cache', async () => {
    await useHome();
    const clock = createFakeClock(Date.now());
    const sts = await track(startFakeSts({ clock: clock.now }));
    const cache = cacheOf(assumeRole(sts), { clock: clock.now });

    const identity = await cache.getCredentials();
    expect(identity.accessKeyId).toBe(sts.issued[0]!.accessKeyId);
    expect(identity.secretAccessKey).toBe(sts.issued[0]!.secretAccessKey);
    expect(identity.sessionToken).toBe(sts.issued[0]!.sessionToken);
    expect(identity.expiration).toEqual(new Date(clock.now() + 15 * MINUTE));
    expect(sts.requests[0]).toMatchObject({ action: 'AssumeRole', signedWith: 'AKIDMASTER', params: { RoleArn: ROLE_ARN, DurationSeconds: '900' } });

    clock.advance(10 * MINUTE - 1);
    expect(await cache.getCredentials()).toBe(identity);
    expect(sts.calls).toBe(1);
    expectNothingSecretPrinted(cache, identity);
  });

  it('rotates 15-minute credentials for 6 simulated hours: one STS call per rotation with 1,000 concurrent callers at each rotation instant, never an expired identity', async () => {
    await useHome();
    const clock = createFakeClock(Date.now());
    const sts = await track(startFakeSts({ clock: clock.now }));
    const rotations: RefreshInfo[] = [];
    let rotated: () => void = () => {};
    const cache = cacheOf(assumeRole(sts, 900), {
      clock: clock.now,
      onRefresh: (info) => {
        rotations.push(info);
        rotated();
      },
    });
    const check = (identity: AwsCredentialIdentity) => expect(identity.expiration!.getTime()).toBeGreaterThan(clock.now());

    check(await cache.getCredentials());
    const end = clock.now() + 6 * HOUR;
    let step = 0;
    while (clock.now() < end) {
      const due = rotations.at(-1)!.nextRefreshAt!.getTime();
      const gap = SECOND + ((step++ * 7_919) % (9 * SECOND)); // every 1–10 simulated seconds
      if (clock.now() + gap < due) {
        clock.advance(gap);
        check(await cache.getCredentials());
        continue;
      }
      clock.set(due);
      const before = sts.calls;
      const done = new Promise<void>((resolve) => (rotated = resolve));
      const identities = await Promise.all(Array.from({ length: 1_000 }, () => cache.getCredentials()));
      identities.forEach(check);
      await done;
      expect(sts.calls - before).toBe(1);
    }
    expect(rotations).toHaveLength(1 + (6 * 60) / 10);
    expect(sts.calls).toBe(rotations.length);
    expect(new Set(rotations.map((info) => info.accessKeyId)).size).toBe(rotations.length);
  });

  it.each([
    ['HTTP 500', 'http500', (cause: unknown) => expect(cause).toMatchObject({ name: 'InternalFailure', $metadata: { httpStatusCode: 500 } })],
    ['a Throttling error', 'throttling', (cause: unknown) => expect(cause).toMatchObject({ name: 'Throttling', $metadata: { httpStatusCode: 400 } })],
    ['a malformed response', 'malformed', (cause: unknown) => expect((cause as Error).message).toMatch(/XML parse error/)],
  ] as const)('an STS answering %s during the refresh window costs no request, and the refresh resumes after the backoff', async (_name, fault, checkCause) => {
    await useHome();
    const clock = createFakeClock(Date.now());
    const sts = await track(startFakeSts({ clock: clock.now }));
    const errors: CredentialsError[] = [];
    const rotations: RefreshInfo[] = [];
    const cache = cacheOf(assumeRole(sts), { clock: clock.now, onRefreshError: (error) => errors.push(error), onRefresh: (info) => rotations.push(info) });
    const old = await cache.getCredentials();
    sts.fail(fault);
    clock.advance(10 * MINUTE);

    expect(await cache.getCredentials()).toBe(old); // starts the first refresh attempt
    await until(() => errors.length === 1);
    checkCause(errors[0]!.cause);
    for (let i = 0; i < 9; i++) {
      clock.advance(100);
      expect(await cache.getCredentials()).toBe(old); // within the 1 s backoff: no STS call
    }
    expect(sts.calls).toBe(2);
    clock.advance(100);
    expect(await cache.getCredentials()).toBe(old); // second attempt
    await until(() => errors.length === 2);

    sts.heal();
    clock.advance(2 * SECOND);
    expect(await cache.getCredentials()).toBe(old); // third attempt succeeds in the background
    await until(() => rotations.length === 2);
    const fresh = await cache.getCredentials();
    expect(fresh.accessKeyId).toBe(sts.issued[1]!.accessKeyId);
    expect(sts.calls).toBe(4);
  });

  it('a hanging STS during the refresh window costs no request; the timeout ends the attempt and the next one succeeds', async () => {
    await useHome();
    const clock = createFakeClock(Date.now());
    const sts = await track(startFakeSts({ clock: clock.now }));
    const errors: CredentialsError[] = [];
    const cache = cacheOf(assumeRole(sts), { clock: clock.now, timeoutMs: 200, onRefreshError: (error) => errors.push(error) });
    const old = await cache.getCredentials();
    sts.fail('hang', 1);
    clock.advance(10 * MINUTE);

    for (let i = 0; i < 100; i++) {
      expect(await cache.getCredentials()).toBe(old);
      clock.advance(100);
      await new Promise((resolve) => setImmediate(resolve));
    }
    await until(() => sts.hanging === 1);
    expect(sts.calls).toBe(2); // no second call while one hangs
    await until(() => errors.length === 1);
    expect(errors[0]).toBeInstanceOf(CredentialsTimeoutError);

    clock.advance(SECOND);
    expect(await cache.getCredentials()).toBe(old);
    await until(() => sts.calls === 3);
    await until(() => cache.toJSON().state === 'valid' && cache.toJSON().credentials?.accessKeyId === sts.issued[1]?.accessKeyId);
  });

  it('once the credentials have expired, a failing STS fails requests with a CredentialsError whose cause is the SDK error', async () => {
    await useHome();
    const clock = createFakeClock(Date.now());
    const sts = await track(startFakeSts({ clock: clock.now }));
    const cache = cacheOf(assumeRole(sts), { clock: clock.now });
    const old = await cache.getCredentials();
    sts.fail('http500');
    clock.set(old.expiration!.getTime());

    const error = await cache.getCredentials().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CredentialsError);
    expect(error).toMatchObject({ code: 'ERR_AWS4_CREDENTIALS', cause: { name: 'InternalFailure' } });
    expect(inspect(error, { depth: Infinity })).not.toMatch(LEAK);
  });

  it('a hanging STS with no credentials cached fails the request with CredentialsTimeoutError', async () => {
    await useHome();
    const sts = await track(startFakeSts());
    sts.fail('hang');
    const cache = cacheOf(assumeRole(sts), { timeoutMs: 150 });
    await expect(cache.getCredentials()).rejects.toMatchObject({ code: 'ERR_AWS4_CREDENTIALS_TIMEOUT' });
  });

  it('STS credentials that have already expired are a failed refresh, not a wrong signature later', async () => {
    await useHome();
    const sts = await track(startFakeSts());
    sts.fail('expired', 1);
    const cache = cacheOf(assumeRole(sts));
    await expect(cache.getCredentials()).rejects.toThrow(/expired at/);
    expect((await cache.getCredentials().catch((e: unknown) => e)) instanceof CredentialsError).toBe(true); // backoff: same failure
    expect(sts.calls).toBe(1);
  });
});

describe('fromWebToken and fromTokenFile (STS AssumeRoleWithWebIdentity)', () => {
  it('fromWebToken exchanges the token, unsigned, for role credentials', async () => {
    await useHome();
    const clock = createFakeClock(Date.now());
    const sts = await track(startFakeSts({ clock: clock.now, durationSeconds: 3600 }));
    const cache = cacheOf(
      fromWebToken({ roleArn: ROLE_ARN, webIdentityToken: 'eyJ.fake.jwt', roleSessionName: 'web', clientConfig: { endpoint: sts.endpoint, region: 'us-east-1' } }),
      { clock: clock.now },
    );
    const identity = await cache.getCredentials();
    expect(identity).toMatchObject({ accessKeyId: sts.issued[0]!.accessKeyId, accountId: '123456789012', expiration: new Date(clock.now() + HOUR) });
    expect(sts.requests[0]).toMatchObject({ action: 'AssumeRoleWithWebIdentity', signedWith: undefined, params: { WebIdentityToken: 'eyJ.fake.jwt', RoleArn: ROLE_ARN } });
    expectNothingSecretPrinted(cache, identity);
  });

  it('fromTokenFile reads AWS_WEB_IDENTITY_TOKEN_FILE and AWS_ROLE_ARN', async () => {
    const { path } = await useHome({ files: { 'token.jwt': 'eyJ.file.jwt' } });
    process.env['AWS_WEB_IDENTITY_TOKEN_FILE'] = path('token.jwt');
    process.env['AWS_ROLE_ARN'] = ROLE_ARN;
    const sts = await track(startFakeSts());
    const cache = cacheOf(fromTokenFile({ clientConfig: { endpoint: sts.endpoint, region: 'us-east-1' } }));
    expect((await cache.getCredentials()).accessKeyId).toBe(sts.issued[0]!.accessKeyId);
    expect(sts.requests[0]!.params['WebIdentityToken']).toBe('eyJ.file.jwt');
  });
});

describe('fromInstanceMetadata (IMDSv2)', () => {
  it('gets a session token, finds the role and fetches its credentials; refreshes them ahead of expiry', async () => {
    const clock = createFakeClock(Date.now()); // never behind real time: the SDK compares IMDS expiry with Date.now()
    const imds = await track(startFakeImds({ clock: clock.now, lifetimeMs: 6 * HOUR }));
    await useHome({ env: { AWS_EC2_METADATA_SERVICE_ENDPOINT: imds.endpoint, AWS_EC2_METADATA_DISABLED: undefined } });
    const rotations: RefreshInfo[] = [];
    const cache = cacheOf(fromInstanceMetadata(), { clock: clock.now, onRefresh: (info) => rotations.push(info) });

    const identity = await cache.getCredentials();
    expect(identity).toMatchObject({ accessKeyId: imds.issued[0]!.accessKeyId, sessionToken: imds.issued[0]!.sessionToken });
    expect(identity.expiration!.getTime()).toBe(Math.floor((clock.now() + 6 * HOUR) / SECOND) * SECOND);
    expect(imds.tokenCalls).toBe(1);
    expect(imds.credentialCalls).toBe(1);

    clock.advance(5 * HOUR + 56 * MINUTE);
    expect(await cache.getCredentials()).toBe(identity);
    await until(() => rotations.length === 2);
    expect((await cache.getCredentials()).accessKeyId).toBe(imds.issued[1]!.accessKeyId);
    expect(imds.credentialCalls).toBe(2);
    expectNothingSecretPrinted(cache, identity);
  });

  it('a malformed IMDS answer on first use is a CredentialsError', async () => {
    const imds = await track(startFakeImds());
    await useHome({ env: { AWS_EC2_METADATA_SERVICE_ENDPOINT: imds.endpoint } });
    imds.fail('malformed');
    const error = await cacheOf(fromInstanceMetadata()).getCredentials().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CredentialsError);
    expect((error as CredentialsError).providerError()).toBeInstanceOf(SyntaxError);
    expect((error as Error).cause).toMatchObject({ name: 'SyntaxError' });
  });
});

describe('fromContainerMetadata and fromHttp (container credentials endpoint)', () => {
  it('fromContainerMetadata reads AWS_CONTAINER_CREDENTIALS_FULL_URI and sends AWS_CONTAINER_AUTHORIZATION_TOKEN', async () => {
    const container = await track(startFakeContainerCredentials({ authorizationToken: 'Bearer fake-pod-identity' }));
    await useHome({ env: { AWS_CONTAINER_CREDENTIALS_FULL_URI: container.fullUri, AWS_CONTAINER_AUTHORIZATION_TOKEN: 'Bearer fake-pod-identity' } });
    const cache = cacheOf(fromContainerMetadata());
    const identity = await cache.getCredentials();
    expect(identity).toMatchObject({ accessKeyId: container.issued[0]!.accessKeyId, sessionToken: container.issued[0]!.sessionToken });
    expect(container.authorizations).toEqual(['Bearer fake-pod-identity']);
    expectNothingSecretPrinted(cache, identity);
  });

  it('fromHttp does the same, and a rejected authorization token is a CredentialsError', async () => {
    const container = await track(startFakeContainerCredentials({ authorizationToken: 'Bearer right' }));
    await useHome({ env: { AWS_CONTAINER_CREDENTIALS_FULL_URI: container.fullUri } });
    const good = cacheOf(fromHttp({ awsContainerAuthorizationToken: 'Bearer right', maxRetries: 0 }));
    expect((await good.getCredentials()).accessKeyId).toBe(container.issued[0]!.accessKeyId);

    const bad = cacheOf(fromHttp({ awsContainerAuthorizationToken: 'Bearer wrong', maxRetries: 0 }));
    const error = await bad.getCredentials().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CredentialsError);
    expect(((error as Error).cause as Error).message).toMatch(/401/);
  });
});

describe('fromSSO (IAM Identity Center)', () => {
  const startUrl = 'https://fake-org.awsapps.com/start';
  const token = (accessToken: string, expiresInMs: number) => ({
    accessToken,
    expiresAt: new Date(Date.now() + expiresInMs).toISOString(), // the SDK checks it against the real clock
    region: 'us-east-1',
    startUrl,
  });

  it('reads the sso-session token from ~/.aws/sso/cache and gets role credentials from the portal', async () => {
    const clock = createFakeClock(Date.now());
    const portal = await track(startFakeSsoPortal({ accessToken: 'fake-sso-access-token', clock: clock.now, lifetimeMs: HOUR }));
    await useHome({
      config: [
        '[profile dev-sso]',
        'sso_session = fake-session-a',
        'sso_account_id = 123456789012',
        'sso_role_name = ReadOnly',
        '[sso-session fake-session-a]',
        'sso_region = us-east-1',
        `sso_start_url = ${startUrl}`,
        'sso_registration_scopes = sso:account:access',
      ].join('\n'),
      ssoTokens: { 'fake-session-a': token('fake-sso-access-token', 8 * HOUR) },
    });
    const cache = cacheOf(fromSSO({ profile: 'dev-sso', clientConfig: { endpoint: portal.endpoint } }), { clock: clock.now });
    const identity = await cache.getCredentials();
    expect(identity).toMatchObject({ accessKeyId: portal.issued[0]!.accessKeyId, expiration: new Date(clock.now() + HOUR) });
    expect(portal.requests).toEqual([{ accountId: '123456789012', roleName: 'ReadOnly', bearerToken: 'fake-sso-access-token' }]);
    expectNothingSecretPrinted(cache, identity);
  });

  it('supports legacy profiles, whose token file is keyed by the start URL', async () => {
    const portal = await track(startFakeSsoPortal({ accessToken: 'legacy-token' }));
    await useHome({
      config: ['[profile legacy]', `sso_start_url = ${startUrl}`, 'sso_region = us-east-1', 'sso_account_id = 210987654321', 'sso_role_name = Admin'].join('\n'),
      ssoTokens: { [startUrl]: token('legacy-token', HOUR) },
    });
    const cache = cacheOf(fromSSO({ profile: 'legacy', clientConfig: { endpoint: portal.endpoint } }));
    expect((await cache.getCredentials()).accessKeyId).toBe(portal.issued[0]!.accessKeyId);
    expect(portal.requests[0]).toMatchObject({ accountId: '210987654321', roleName: 'Admin' });
  });

  it('an expired SSO session is a CredentialsError telling the user to log in again, without calling the portal', async () => {
    const portal = await track(startFakeSsoPortal({ accessToken: 'old-token' }));
    await useHome({
      config: ['[profile stale]', `sso_start_url = ${startUrl}`, 'sso_region = us-east-1', 'sso_account_id = 123456789012', 'sso_role_name = Admin'].join('\n'),
      ssoTokens: { [startUrl]: token('old-token', -MINUTE) },
    });
    const error = await cacheOf(fromSSO({ profile: 'stale', clientConfig: { endpoint: portal.endpoint } })).getCredentials().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CredentialsError);
    expect(((error as Error).cause as Error).message).toMatch(/sso login/);
    expect(portal.calls).toBe(0);
  });
});

describe('fromIni (shared config and credentials files)', () => {
  it('reads static keys of a named profile; without expiration they stay cached until invalidate()', async () => {
    await useHome({ credentials: ['[default]', 'aws_access_key_id = AKIDDEFAULT', 'aws_secret_access_key = DEFAULTSECRETKEY', '[dev]', 'aws_access_key_id = AKIDDEV', 'aws_secret_access_key = DEVSECRETKEY', 'aws_session_token = DEVTOKEN'].join('\n') });
    const provider = vi.fn(fromIni({ profile: 'dev' }));
    const clock = createFakeClock();
    const cache = cacheOf(provider, { clock: clock.now });
    const identity = await cache.getCredentials();
    expect(identity).toMatchObject({ accessKeyId: 'AKIDDEV', secretAccessKey: 'DEVSECRETKEY', sessionToken: 'DEVTOKEN' });
    expect(identity.expiration).toBeUndefined();
    clock.advance(48 * HOUR);
    expect(await cache.getCredentials()).toBe(identity);
    expect(provider).toHaveBeenCalledTimes(1);
    cache.invalidate();
    await cache.getCredentials();
    expect(provider).toHaveBeenCalledTimes(2);
    expectNothingSecretPrinted(cache, identity);
  });

  it('assumes role_arn with source_profile through STS, signing with the source profile', async () => {
    const clock = createFakeClock(Date.now());
    const sts = await track(startFakeSts({ clock: clock.now }));
    await useHome({
      config: ['[profile deploy]', `role_arn = ${ROLE_ARN}`, 'source_profile = base', 'duration_seconds = 900', 'region = eu-west-1'].join('\n'),
      credentials: ['[base]', 'aws_access_key_id = AKIDBASE', 'aws_secret_access_key = BASESECRETKEY'].join('\n'),
    });
    const cache = cacheOf(fromIni({ profile: 'deploy', clientConfig: { endpoint: sts.endpoint, region: 'eu-west-1' } }), { clock: clock.now });
    const identity = await cache.getCredentials();
    expect(identity.accessKeyId).toBe(sts.issued[0]!.accessKeyId);
    expect(identity.expiration).toEqual(new Date(clock.now() + 15 * MINUTE));
    expect(sts.requests[0]).toMatchObject({ action: 'AssumeRole', signedWith: 'AKIDBASE', params: { RoleArn: ROLE_ARN, DurationSeconds: '900' } });
  });
});

describe('fromNodeProviderChain (the default chain)', () => {
  it('takes credentials from the environment, with their expiry', async () => {
    const expiration = new Date(Math.ceil((Date.now() + HOUR) / SECOND) * SECOND);
    await useHome({
      env: { AWS_ACCESS_KEY_ID: 'AKIDENV', AWS_SECRET_ACCESS_KEY: 'ENVSECRETKEY', AWS_SESSION_TOKEN: 'ENVTOKEN', AWS_CREDENTIAL_EXPIRATION: expiration.toISOString() },
    });
    const cache = cacheOf(fromNodeProviderChain());
    const identity = await cache.getCredentials();
    expect(identity).toMatchObject({ accessKeyId: 'AKIDENV', secretAccessKey: 'ENVSECRETKEY', sessionToken: 'ENVTOKEN', expiration });
    expectNothingSecretPrinted(cache, identity);
  });

  it('falls through to the AWS_PROFILE profile in the shared credentials file', async () => {
    await useHome({ env: { AWS_PROFILE: 'work' }, credentials: ['[work]', 'aws_access_key_id = AKIDWORK', 'aws_secret_access_key = WORKSECRETKEY'].join('\n') });
    expect((await cacheOf(fromNodeProviderChain()).getCredentials()).accessKeyId).toBe('AKIDWORK');
  });

  it('falls through to a web identity token file (EKS IRSA)', async () => {
    const sts = await track(startFakeSts());
    const { path } = await useHome({ files: { 'irsa/token': 'eyJ.irsa.jwt' } });
    process.env['AWS_WEB_IDENTITY_TOKEN_FILE'] = path('irsa/token');
    process.env['AWS_ROLE_ARN'] = ROLE_ARN;
    const cache = cacheOf(fromNodeProviderChain({ clientConfig: { endpoint: sts.endpoint, region: 'us-east-1' } }));
    expect((await cache.getCredentials()).accessKeyId).toBe(sts.issued[0]!.accessKeyId);
    expect(sts.callsByAction).toEqual({ AssumeRoleWithWebIdentity: 1 });
  });

  it('falls through to the container credentials endpoint when nothing else is configured', async () => {
    const container = await track(startFakeContainerCredentials());
    await useHome({ env: { AWS_CONTAINER_CREDENTIALS_FULL_URI: container.fullUri } });
    expect((await cacheOf(fromNodeProviderChain()).getCredentials()).accessKeyId).toBe(container.issued[0]!.accessKeyId);
  });

  it('with nothing configured at all, fails with a CredentialsError rather than reading real AWS config', async () => {
    await useHome();
    const error = await cacheOf(fromNodeProviderChain()).getCredentials().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CredentialsError);
    expect((error as Error).cause).toMatchObject({ name: 'CredentialsProviderError' });
  });
});

describe('test harness', () => {
  it('createAwsHome scrubs AWS_* variables and restores them afterwards', async () => {
    process.env['AWS_ACCESS_KEY_ID'] = 'AKIDOUTSIDE';
    const outsideHome = process.env['HOME'];
    try {
      const temp = await createAwsHome({ env: { AWS_REGION: 'eu-north-1' } });
      expect(process.env['AWS_ACCESS_KEY_ID']).toBeUndefined();
      expect(process.env['HOME']).toBe(temp.home);
      expect(process.env['AWS_CONFIG_FILE']).toBe(temp.configFile);
      expect(process.env['AWS_REGION']).toBe('eu-north-1');
      process.env['AWS_PROFILE'] = 'set-during-test';
      await temp.restore();
      expect(process.env['AWS_ACCESS_KEY_ID']).toBe('AKIDOUTSIDE');
      expect(process.env['AWS_PROFILE']).toBeUndefined();
      expect(process.env['AWS_REGION']).toBeUndefined();
      expect(process.env['HOME']).toBe(outsideHome);
    } finally {
      delete process.env['AWS_ACCESS_KEY_ID'];
    }
  });

  it('the STS fake answers GetSessionToken too, and refuses unsigned AssumeRole', async () => {
    const clock = createFakeClock();
    const sts = await track(startFakeSts({ clock: clock.now }));
    const signed = await fetch(sts.endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: 'AWS4-HMAC-SHA256 Credential=AKIDX/20240101/us-east-1/sts/aws4_request, SignedHeaders=host, Signature=00' },
      body: 'Action=GetSessionToken&Version=2011-06-15&DurationSeconds=1800',
    });
    const xml = await signed.text();
    expect(signed.status).toBe(200);
    expect(xml).toContain('<GetSessionTokenResult><Credentials>');
    expect(xml).toContain(`<Expiration>${new Date(clock.now() + 30 * MINUTE).toISOString()}</Expiration>`);
    const unsigned = await fetch(`${sts.endpoint}/?Action=AssumeRole&Version=2011-06-15&RoleArn=${ROLE_ARN}&RoleSessionName=x`);
    expect(unsigned.status).toBe(403);
    expect(await unsigned.text()).toContain('<Code>MissingAuthenticationToken</Code>');
    expect(sts.callsByAction).toEqual({ GetSessionToken: 1, AssumeRole: 1 });
  });
});
