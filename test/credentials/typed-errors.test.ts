/**
 * Every entry point of a CredentialCache only ever throws or rejects with a typed AWS4AuthError (or, for a
 * caller whose own signal aborted, that signal's reason), whatever the caller's functions do: a property
 * test over a clock, jitter, provider or hook that throws (any value: Errors, strings, null, Symbols,
 * revoked Proxies, objects whose getters throw) at any call index, once or from then on, under random
 * sequences of calls and clock jumps. Afterwards, with the faults gone, the cache recovers.
 *
 * Bounded for CI; `CREDENTIALS_TYPED_RUNS=20000` runs it at scale.
 */
import type { AwsCredentialIdentity } from '@smithy/types';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CredentialCache } from '../../src/credentials/index.js';
import { AWS4AuthError, InvalidDateError } from '../../src/signer/errors.js';

const RUNS = Number(process.env['CREDENTIALS_TYPED_RUNS'] ?? 150);
const MINUTE = 60_000;
const MAX_DELAY_MS = 2_000;
const SECRET = 'typed/errors/secret/0123456789abcdefghijk';

type Thrower = 'clock' | 'jitter' | 'provider' | 'onRefresh' | 'onRefreshError';

function revokedProxy(): object {
  const { proxy, revoke } = Proxy.revocable({}, {});
  revoke();
  return proxy;
}

/** Values a caller's function might throw, including ones that throw again when looked at. */
const THROWN: ReadonlyArray<() => unknown> = [
  () => new Error('clock broke'),
  () => 'a string',
  () => null,
  () => undefined,
  () => Symbol('thrown'),
  () => 42,
  revokedProxy,
  () => Object.defineProperty(new Error('x'), 'name', { get: () => { throw revokedProxy(); } }),
  () => ({ get message(): string { throw new Error('message getter'); } }),
  () => Object.create(null) as object,
];

type Step = { readonly kind: 'get' | 'peek' | 'invalidate' | 'print' | 'abort' } | { readonly kind: 'advance'; readonly ms: number };

const step: fc.Arbitrary<Step> = fc.oneof(
  fc.constantFrom<Step>({ kind: 'get' }, { kind: 'get' }, { kind: 'peek' }, { kind: 'invalidate' }, { kind: 'print' }, { kind: 'abort' }),
  fc.constantFrom(0, 1_000, 5 * MINUTE, 11 * MINUTE, 20 * MINUTE, -MINUTE, 24 * 60 * MINUTE).map((ms): Step => ({ kind: 'advance', ms })),
);

const scenario = fc.record({
  thrower: fc.constantFrom<Thrower>('clock', 'jitter', 'provider', 'onRefresh', 'onRefreshError'),
  atCall: fc.nat(40),
  persistent: fc.boolean(),
  thrown: fc.nat(THROWN.length - 1),
  providerFails: fc.boolean(),
  steps: fc.array(step, { minLength: 1, maxLength: 25 }),
});

/** A cache whose clock, jitter, provider and hooks count their calls and throw when the scenario says. */
type Scenario = typeof scenario extends fc.Arbitrary<infer T> ? T : never;

function world(s: Scenario) {
  const state = { now: Date.UTC(2026, 0, 1), calm: false, issued: 0, calls: { clock: 0, jitter: 0, provider: 0, onRefresh: 0, onRefreshError: 0 } };
  const maybeThrow = (who: Thrower): void => {
    const call = state.calls[who]++;
    if (state.calm || who !== s.thrower) return;
    if (call === s.atCall || (s.persistent && call > s.atCall)) throw THROWN[s.thrown]!();
  };
  const provider = async (): Promise<AwsCredentialIdentity> => {
    maybeThrow('provider');
    if (s.providerFails && !state.calm && state.calls.provider % 3 === 0) throw new Error('provider down');
    state.issued += 1;
    return { accessKeyId: `ASIATYPED${String(state.issued).padStart(8, '0')}`, secretAccessKey: SECRET, expiration: new Date(state.now + 15 * MINUTE) };
  };
  const cache = new CredentialCache(provider, {
    clock: () => {
      maybeThrow('clock');
      return state.now;
    },
    backoff: {
      initialDelayMs: 500,
      maxDelayMs: MAX_DELAY_MS,
      jitter: (delay) => {
        maybeThrow('jitter');
        return delay;
      },
    },
    onRefresh: () => maybeThrow('onRefresh'),
    onRefreshError: () => maybeThrow('onRefreshError'),
  });
  return { state, cache };
}

function isTyped(error: unknown): boolean {
  try {
    return error instanceof AWS4AuthError;
  } catch {
    return false;
  }
}

const flush = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** Runs one step; returns what it threw that it should not have, or undefined. */
async function run(cache: CredentialCache, state: { now: number }, one: Step): Promise<unknown> {
  try {
    if (one.kind === 'advance') state.now += one.ms;
    else if (one.kind === 'get') await cache.getCredentials();
    else if (one.kind === 'peek') cache.peekCredentials();
    else if (one.kind === 'invalidate') cache.invalidate();
    else if (one.kind === 'print') void [String(cache), JSON.stringify(cache)];
    else {
      const controller = new AbortController();
      const reason = new Error('caller gave up');
      const pending = cache.getCredentials({ signal: controller.signal });
      controller.abort(reason);
      await pending.catch((error: unknown) => {
        if (error !== reason) throw error;
      });
    }
  } catch (error) {
    if (!isTyped(error)) return error;
  } finally {
    await flush();
  }
  return undefined;
}

describe('CredentialCache entry points throw only typed errors', () => {
  const trapped: unknown[] = [];
  const trap = (error: unknown): void => void trapped.push(error);
  beforeEach(() => {
    trapped.length = 0;
    process.on('unhandledRejection', trap);
    process.on('uncaughtException', trap);
  });
  afterEach(() => {
    process.off('unhandledRejection', trap);
    process.off('uncaughtException', trap);
  });

  it('a clock, jitter, provider or hook throwing anything at any call index: every throw and rejection is an AWS4AuthError, and the cache recovers', async () => {
    await fc.assert(
      fc.asyncProperty(scenario, async (s) => {
        const { state, cache } = world(s);
        for (const one of s.steps) {
          const untyped = await run(cache, state, one);
          expect(untyped === undefined, `untyped ${typeof untyped} from ${one.kind} (${s.thrower} at call ${s.atCall})`).toBe(true);
        }
        state.calm = true;
        state.now += 60 * MINUTE;
        await flush();
        const identity = await cache.getCredentials().catch(async () => {
          state.now += MAX_DELAY_MS + 1; // a failure just before the calm may still hold its backoff
          return cache.getCredentials();
        });
        expect(identity.expiration!.getTime()).toBeGreaterThan(state.now);
        expect(trapped).toEqual([]);
      }),
      {
        numRuns: RUNS,
        examples: [[{ thrower: 'clock', atCall: 3, persistent: true, thrown: 0, providerFails: false, steps: [{ kind: 'print' }, { kind: 'get' }, { kind: 'print' }, { kind: 'get' }] }]],
      },
    );
  }, 60_000 + RUNS * 20);

  it('printing a cache never throws after a failure whose backoff could not be scheduled because the clock threw (found by the property)', async () => {
    let calls = 0;
    const cache = new CredentialCache(() => Promise.reject(new Error('down')), {
      clock: () => {
        if (++calls >= 2) throw new Error('clock broke'); // from the failure's scheduling on
        return Date.UTC(2026, 0, 1);
      },
    });
    await expect(cache.getCredentials()).rejects.toBeInstanceOf(AWS4AuthError);
    expect(String(cache)).toBe('CredentialCache(empty)');
    const summary = JSON.parse(JSON.stringify(cache)) as Record<string, unknown>;
    expect(summary).toMatchObject({ state: 'empty', source: 'provider' });
    expect(summary).not.toHaveProperty('nextAttemptAt'); // none was scheduled
  });

  it('a throwing clock makes getCredentials reject and peekCredentials throw InvalidDateError naming options.clock, not the raw value', async () => {
    let broken = false;
    const cache = new CredentialCache(async () => ({ accessKeyId: 'ASIATYPED', secretAccessKey: SECRET, expiration: new Date(Date.now() + 60 * MINUTE) }), {
      clock: () => {
        if (broken) throw revokedProxy();
        return Date.now();
      },
    });
    await cache.getCredentials();
    broken = true;
    const thrown = (() => {
      try {
        cache.peekCredentials();
      } catch (error) {
        return error;
      }
      return undefined;
    })();
    expect(thrown).toBeInstanceOf(InvalidDateError);
    expect(thrown).toMatchObject({ code: 'ERR_AWS4_INVALID_DATE', field: 'options.clock' });
    expect((thrown as Error).message).toMatch(/^options\.clock threw \(an unreadable error\)/);
    await expect(cache.getCredentials()).rejects.toBeInstanceOf(InvalidDateError);
    broken = false;
    await expect(cache.getCredentials()).resolves.toMatchObject({ accessKeyId: 'ASIATYPED' });
  });
});
