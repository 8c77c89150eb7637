/**
 * A cache that always recovers, fuzzed: random sequences of provider behaviours (new credentials, the same
 * ones again, throws of every kind: an Error, a string, `null`, a revoked Proxy, an error whose `name` and
 * `message` getters throw; garbage; a hang past the timeout), clock faults (a throw, NaN), jitter and hook
 * faults, and clock jumps forwards and back, with an `unhandledRejection` / `uncaughtException` trap.
 *
 * After every call: a request either gets unexpired credentials or a typed error (or, when the caller's own
 * clock threw during that call, that very error); while the credentials last handed out are still valid and
 * the clock is sound, the request succeeds; and once everything is healthy again the next call gets
 * credentials (the provider is asked again: nothing is wedged).
 *
 * Bounded for CI; `CREDENTIALS_RUNS=20000` runs it at scale.
 */
import type { AwsCredentialIdentity } from '@smithy/types';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { inspect } from 'node:util';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { CredentialCache, CredentialsError } from '../../src/credentials/index.js';
import { AWS4AuthError } from '../../src/signer/errors.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const RUNS = Number(process.env['CREDENTIALS_RUNS'] ?? 150);
/** At scale, the property tests get the time they need (about 10 ms a run at most here). */
const SCALED_TIMEOUT = Math.max(30_000, RUNS * 10);
const MINUTE = 60_000;
const START = Date.UTC(2024, 0, 1);
const MAX_DELAY_MS = 2_000;
const TIMEOUT_MS = 2;

// Registered in test/helpers/secrets.ts: the suite-wide scan looks for it in every error this file creates.
const SECRET = 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY';

type ProviderBehaviour = 'new' | 'same' | 'short' | 'error' | 'string' | 'null' | 'revoked proxy' | 'throwing getters' | 'revoked identity' | 'garbage' | 'hang';
type ClockFault = 'none' | 'throws' | 'nan';
type JitterFault = 'none' | 'throws' | 'nan' | 'infinity' | 'string';
type HookFault = 'none' | 'throws' | 'revoked proxy';

interface Step {
  readonly provider: ProviderBehaviour;
  readonly clock: ClockFault;
  readonly jitter: JitterFault;
  readonly hook: HookFault;
  /** Clock jump before the calls, ms (negative: backwards). */
  readonly jumpMs: number;
  /** `get`: awaited getCredentials; `peek`: peekCredentials, then let the background refresh run. */
  readonly calls: ReadonlyArray<'get' | 'peek'>;
}

const step: fc.Arbitrary<Step> = fc.record({
  provider: fc.constantFrom<ProviderBehaviour>('new', 'new', 'new', 'same', 'short', 'error', 'string', 'null', 'revoked proxy', 'throwing getters', 'revoked identity', 'garbage', 'hang'),
  clock: fc.constantFrom<ClockFault>('none', 'none', 'none', 'throws', 'nan'),
  jitter: fc.constantFrom<JitterFault>('none', 'none', 'throws', 'nan', 'infinity', 'string'),
  hook: fc.constantFrom<HookFault>('none', 'none', 'throws', 'revoked proxy'),
  jumpMs: fc.oneof(fc.integer({ min: 0, max: 20 * MINUTE }), fc.integer({ min: -5 * MINUTE, max: 0 }), fc.constant(0)),
  calls: fc.array(fc.constantFrom<'get' | 'peek'>('get', 'peek'), { minLength: 1, maxLength: 3 }),
});

const healthy = { clock: 'none', jitter: 'none', hook: 'none', calls: ['get'] } as const;
const EXPIRED_WHILE_WAITING: Step[] = [
  { ...healthy, provider: 'new', jumpMs: 0 },
  { ...healthy, provider: 'short', jumpMs: 12 * MINUTE },
  { ...healthy, provider: 'new', jumpMs: 0 },
  { ...healthy, provider: 'new', jumpMs: 3 * MINUTE },
  { ...healthy, provider: 'new', jumpMs: 0 },
];

function revokedProxy(): object {
  const { proxy, revoke } = Proxy.revocable({}, {});
  revoke();
  return proxy;
}

function throwingGetters(): Error {
  const error = new Error('placeholder');
  Object.defineProperty(error, 'name', {
    get() {
      throw new Error('name getter broke');
    },
  });
  Object.defineProperty(error, 'message', {
    get() {
      throw revokedProxy();
    },
  });
  return error;
}

/** The world the cache lives in, with faults the steps switch on. */
function createWorld() {
  const world = {
    now: START,
    provider: 'new' as ProviderBehaviour,
    clock: 'none' as ClockFault,
    jitter: 'none' as JitterFault,
    hook: 'none' as HookFault,
    serial: 0,
    calls: 0,
    last: undefined as AwsCredentialIdentity | undefined,
  };
  const issue = (lifetimeMs: number): AwsCredentialIdentity => {
    world.serial += 1;
    world.last = { accessKeyId: `ASIAFUZZ${String(world.serial).padStart(12, '0')}`, secretAccessKey: SECRET, expiration: new Date(world.now + lifetimeMs) };
    return world.last;
  };
  const provider = async (): Promise<AwsCredentialIdentity> => {
    world.calls += 1;
    await Promise.resolve();
    switch (world.provider) {
      case 'new':
        return issue(15 * MINUTE);
      case 'same':
        return world.last ?? issue(15 * MINUTE);
      case 'short':
        return issue(3 * MINUTE);
      case 'error':
        throw new Error('provider down');
      case 'string':
        throw 'provider said no';
      case 'null':
        throw null;
      case 'revoked proxy':
        throw revokedProxy();
      case 'throwing getters':
        throw throwingGetters();
      case 'revoked identity':
        return revokedProxy() as AwsCredentialIdentity;
      case 'garbage':
        return { accessKeyId: 5, secretAccessKey: null } as unknown as AwsCredentialIdentity;
      case 'hang':
        return new Promise<never>(() => {});
    }
  };
  const clock = (): number => {
    const fault = world.clock;
    world.clock = 'none';
    if (fault === 'throws') throw new Error('clock broke');
    if (fault === 'nan') return Number.NaN;
    return world.now;
  };
  const jitter = (delay: number): number => {
    switch (world.jitter) {
      case 'none':
        return delay;
      case 'throws':
        throw revokedProxy();
      case 'nan':
        return Number.NaN;
      case 'infinity':
        return Number.POSITIVE_INFINITY;
      case 'string':
        return 'soon' as unknown as number;
    }
  };
  const hook = (): void => {
    if (world.hook === 'throws') throw new Error('hook broke');
    if (world.hook === 'revoked proxy') throw revokedProxy();
  };
  const cache = new CredentialCache(provider, {
    clock,
    timeoutMs: TIMEOUT_MS,
    backoff: { initialDelayMs: 100, maxDelayMs: MAX_DELAY_MS, jitter },
    onRefresh: hook,
    onRefreshError: hook,
  });
  return { world, cache };
}

/** Lets a background refresh finish: past the provider timeout (a hang), or one turn of the event loop. */
const settle = (hang = true): Promise<void> => new Promise((resolve) => (hang ? setTimeout(resolve, TIMEOUT_MS + 1) : setImmediate(resolve)));

/** One call; checks what it gave against what the world allows. */
async function call(world: ReturnType<typeof createWorld>['world'], cache: CredentialCache, kind: 'get' | 'peek', held: AwsCredentialIdentity | undefined) {
  const clockFault = world.clock;
  const heldValid = held?.expiration !== undefined && held.expiration.getTime() > world.now;
  try {
    const identity = kind === 'get' ? await cache.getCredentials() : cache.peekCredentials();
    if (kind === 'peek') await settle(world.provider === 'hang');
    if (identity !== undefined && identity.expiration !== undefined) expect(identity.expiration.getTime()).toBeGreaterThan(world.now);
    return identity ?? held;
  } catch (error) {
    if (clockFault === 'throws' && error instanceof Error && error.message === 'clock broke') return held;
    expect(error).toBeInstanceOf(AWS4AuthError);
    // A failed refresh never fails a request while the credentials handed out are valid and the clock is sound.
    if (clockFault === 'none' && heldValid) expect.unreachable(`a request failed (${(error as AWS4AuthError).code}) while valid credentials were cached`);
    return held;
  }
}

describe('CredentialCache: fuzzed recovery', () => {
  const trapped: unknown[] = [];
  const trap = (reason: unknown): void => {
    trapped.push(reason);
  };
  beforeAll(() => {
    process.on('unhandledRejection', trap);
    process.on('uncaughtException', trap);
    vi.spyOn(process, 'emitWarning').mockImplementation(() => {});
  });
  afterAll(() => {
    process.off('unhandledRejection', trap);
    process.off('uncaughtException', trap);
    vi.restoreAllMocks();
  });

  it('any sequence of provider, clock, jitter and hook faults and clock jumps: typed errors only, never a request failed while valid credentials are cached, never wedged, nothing unhandled', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 12 }), async (steps) => {
        const { world, cache } = createWorld();
        let held: AwsCredentialIdentity | undefined;
        let latest = world.now;
        for (const s of steps) {
          Object.assign(world, { provider: s.provider, clock: s.clock, jitter: s.jitter, hook: s.hook });
          world.now += s.jumpMs;
          latest = Math.max(latest, world.now);
          for (const kind of s.calls) held = await call(world, cache, kind, held);
        }
        await settle(steps.some((s) => s.provider === 'hang'));
        // Healed: past any backoff set so far, the next call asks the provider and gets credentials.
        Object.assign(world, { provider: 'new', clock: 'none', jitter: 'none', hook: 'none' });
        world.now = latest + MAX_DELAY_MS + 1;
        const callsBefore = world.calls;
        const stateBefore = cache.toJSON().state;
        const identity = await cache.getCredentials();
        expect(identity.expiration!.getTime()).toBeGreaterThan(world.now);
        if (stateBefore !== 'valid') expect(world.calls).toBeGreaterThan(callsBefore);
        await settle(false);
        expect(trapped).toEqual([]);
      }),
      // Found by this test: 3-minute credentials checked at 12 min, handed at 15 min to a caller that
      // joined the refresh late, already expired. Kept as a fixed example.
      { numRuns: RUNS, examples: [[EXPIRED_WHILE_WAITING]] },
    );
  }, SCALED_TIMEOUT);

  it('in a default Node process, background refreshes failing in every way inside the refresh window do not crash it (exit code 0)', () => {
    const script = [
      "const { CredentialCache } = await import('./src/credentials/index.ts');",
      'let now = Date.UTC(2024, 0, 1);',
      'let call = 0;',
      'const revoked = () => { const { proxy, revoke } = Proxy.revocable({}, {}); revoke(); return proxy; };',
      "const nameThrows = Object.defineProperty(new Error('x'), 'name', { get() { throw revoked(); } });",
      "const throws = [revoked(), nameThrows, null, 'down'];",
      'const cache = new CredentialCache(async () => {',
      "  if (call++ === 0) return { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'x', expiration: new Date(now + 15 * 60000) };",
      '  throw throws[(call - 2) % throws.length];',
      '}, { clock: () => now, backoff: { initialDelayMs: 0, maxDelayMs: 0, jitter: () => { throw revoked(); } } });',
      'await cache.getCredentials();',
      'now += 11 * 60000;',
      'for (let i = 0; i < 8; i++) { cache.peekCredentials(); await new Promise((r) => setImmediate(r)); }',
      "console.log('alive', call);",
    ].join('\n');
    const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
    expect(child.status, child.stderr).toBe(0);
    expect(child.stdout.trim()).toBe('alive 9');
  });

  it('printing the cache never throws, even while its clock does', async () => {
    const { world, cache } = createWorld();
    await cache.getCredentials();
    world.clock = 'throws';
    expect(() => inspect(cache)).not.toThrow();
    world.clock = 'throws';
    expect(JSON.stringify(cache)).toContain('"source":"provider"');
  });

  it('a provider that throws a revoked Proxy fails typed, and the next call asks it again', async () => {
    const { world, cache } = createWorld();
    world.provider = 'revoked proxy';
    await expect(cache.getCredentials()).rejects.toBeInstanceOf(CredentialsError);
    world.provider = 'new';
    world.now += MAX_DELAY_MS + 1;
    await expect(cache.getCredentials()).resolves.toMatchObject({ accessKeyId: 'ASIAFUZZ000000000001' });
  });

  it('an error whose name and message getters throw fails typed, and the message still says what to do', async () => {
    const { world, cache } = createWorld();
    world.provider = 'throwing getters';
    const error = await cache.getCredentials().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CredentialsError);
    expect((error as CredentialsError).message).toMatch(/credential provider failed: an unreadable error\. To fix:/);
  });

  it('a clock that throws once inside a refresh ends that refresh typed; the next call after the backoff asks the provider again', async () => {
    const { world, cache } = createWorld();
    const refresh = cache.getCredentials();
    world.clock = 'throws';
    const error = await refresh.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CredentialsError);
    expect((error as CredentialsError).cause).toMatchObject({ code: 'ERR_AWS4_INVALID_DATE', field: 'options.clock', message: expect.stringContaining('clock broke') });
    world.now += MAX_DELAY_MS + 1;
    await expect(cache.getCredentials()).resolves.toMatchObject({ accessKeyId: 'ASIAFUZZ000000000002' });
  });

  it('a jitter that throws after a failure leaves the cache retrying on schedule, not refreshing forever', async () => {
    const { world, cache } = createWorld();
    world.provider = 'error';
    world.jitter = 'throws';
    await expect(cache.getCredentials()).rejects.toBeInstanceOf(CredentialsError);
    expect(JSON.parse(JSON.stringify(cache))).toMatchObject({ state: 'empty', failures: 1 });
    world.provider = 'new';
    world.now += MAX_DELAY_MS + 1;
    await expect(cache.getCredentials()).resolves.toMatchObject({ accessKeyId: 'ASIAFUZZ000000000001' });
  });

  it('a background refresh that fails inside the refresh window is never an unhandled rejection and never fails a request', async () => {
    const { world, cache } = createWorld();
    await cache.getCredentials();
    world.now += 11 * MINUTE;
    for (const provider of ['error', 'revoked proxy', 'throwing getters', 'null', 'hang'] as const) {
      world.provider = provider;
      world.now += MAX_DELAY_MS + 1;
      expect(cache.peekCredentials()?.accessKeyId).toBe('ASIAFUZZ000000000001');
      await settle();
      await expect(cache.getCredentials()).resolves.toMatchObject({ accessKeyId: 'ASIAFUZZ000000000001' });
    }
    await settle();
    expect(trapped).toEqual([]);
  });
});
