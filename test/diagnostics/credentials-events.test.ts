/**
 * The credential cache's diagnostics: refresh start, success (with the new expiration), failure (code and a
 * secret-free reason) and stale credentials serving, on `got-aws4auth:credentials` and, under
 * `NODE_DEBUG=got-aws4auth`, on stderr. The suite-wide secret scan reads every event too.
 */
import { spawnSync } from 'node:child_process';
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { fileURLToPath } from 'node:url';
import type { AwsCredentialIdentity } from '@smithy/types';
import { afterEach, describe, expect, it } from 'vitest';
import { CredentialCache } from '../../src/credentials/index.js';
import { CREDENTIALS_CHANNEL, type CredentialsEvent } from '../../src/diagnostics/index.js';
import { createFakeClock } from '../helpers/fake-clock.js';

const MINUTE = 60_000;
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
// Registered in test/helpers/secrets.ts: the scan looks for both in every event and error of this file.
const SECRET = 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY';
const TOKEN = 'FQoGZXIvYXdzEXAMPLE-SESSION-TOKEN/with+chars==';
const QUOTED_KEY = 'Zm9vYmFyQmF6UXV4MTIzNDU2Nzg5MEFCQ0RF';
const QUOTED_TOKEN = 'IQoJb3JpZ2luX2VjEDemoTokenWithoutDigitsButMixedCase+/==';

let events: CredentialsEvent[] = [];
const listener = (message: unknown): void => {
  events.push(message as CredentialsEvent);
};
subscribe(CREDENTIALS_CHANNEL, listener);
afterEach(() => {
  events = [];
});

function setup() {
  const clock = createFakeClock();
  let serial = 0;
  let behaviour: 'ok' | 'fail' | 'same' = 'ok';
  let last: AwsCredentialIdentity | undefined;
  const provider = async (): Promise<AwsCredentialIdentity> => {
    // Key-like values the provider's message might quote (not the suite's registered secrets: the error
    // is kept as `cause`, untouched, and the scan reads causes too).
    if (behaviour === 'fail') throw new Error(`STS said no; the secret was ${QUOTED_KEY} and the token ${QUOTED_TOKEN}`);
    if (behaviour === 'same' && last !== undefined) return last;
    serial += 1;
    last = { accessKeyId: `ASIAEVENTS${String(serial).padStart(10, '0')}`, secretAccessKey: SECRET, sessionToken: TOKEN, expiration: new Date(clock.now() + 15 * MINUTE) };
    return last;
  };
  const cache = new CredentialCache(provider, { clock: clock.now, backoff: { jitter: (ms) => ms } });
  return { clock, cache, set: (next: typeof behaviour) => (behaviour = next) };
}

const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('credential events on got-aws4auth:credentials', () => {
  it('a first fetch publishes refresh-start, then refresh-success with the new expiration', async () => {
    const { clock, cache } = setup();
    await cache.getCredentials();
    expect(events).toEqual([
      { type: 'refresh-start', forced: false },
      { type: 'refresh-success', forced: false, expiration: new Date(clock.now() + 15 * MINUTE) },
    ]);
  });

  it('a failed background refresh publishes refresh-failure with its code and a reason free of secrets, then stale-serving with the expiry of the credentials still in use', async () => {
    const { clock, cache, set } = setup();
    const held = await cache.getCredentials();
    events = [];
    set('fail');
    clock.advance(11 * MINUTE);
    cache.peekCredentials();
    await settle();
    expect(events.map((event) => event.type)).toEqual(['refresh-start', 'refresh-failure', 'stale-serving']);
    const failure = events[1]!;
    expect(failure.code).toBe('ERR_AWS4_CREDENTIALS');
    expect(failure.reason).toMatch(/^The credential provider failed: Error: STS said no; the secret was \[redacted\] and the token \[redacted\]\. To fix:/);
    expect(events[2]).toEqual({ type: 'stale-serving', expiration: held.expiration });
  });

  it('a refresh that brings back the credentials held is followed by a forced ask, published as such', async () => {
    const { clock, cache, set } = setup();
    await cache.getCredentials();
    events = [];
    set('same');
    clock.advance(11 * MINUTE);
    cache.peekCredentials();
    await settle();
    await settle();
    expect(events.map((event) => [event.type, event.forced])).toEqual([
      ['refresh-start', false],
      ['refresh-start', true],
      ['refresh-success', true],
    ]);
  });

  it('a failure with nothing cached publishes no stale-serving', async () => {
    const { cache, set } = setup();
    set('fail');
    await expect(cache.getCredentials()).rejects.toMatchObject({ code: 'ERR_AWS4_CREDENTIALS' });
    expect(events.map((event) => event.type)).toEqual(['refresh-start', 'refresh-failure']);
  });

  it('no event carries the access key, secret or token in any rendering', async () => {
    const { clock, cache, set } = setup();
    await cache.getCredentials();
    set('fail');
    clock.advance(11 * MINUTE);
    cache.peekCredentials();
    await settle();
    const rendered = JSON.stringify(events);
    for (const secret of [SECRET, TOKEN, QUOTED_KEY, QUOTED_TOKEN, 'ASIAEVENTS']) expect(rendered).not.toContain(secret);
  });
});

describe('NODE_DEBUG=got-aws4auth', () => {
  it('writes the same credential events to stderr, one line each', () => {
    const script = [
      "const { CredentialCache } = await import('./src/credentials/index.ts');",
      "const cache = new CredentialCache(async () => ({ accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY', expiration: new Date(Date.now() + 3600000) }));",
      'await cache.getCredentials();',
    ].join('\n');
    const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      cwd: ROOT,
      encoding: 'utf8',
      env: { ...process.env, NODE_DEBUG: 'got-aws4auth' },
      timeout: 60_000,
    });
    expect(child.status, child.stderr).toBe(0);
    const lines = child.stderr.split('\n').filter((line) => /^GOT-AWS4AUTH \d+: credentials /.test(line));
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/credentials \{"type":"refresh-start","forced":false\}$/);
    expect(lines[1]).toMatch(/credentials \{"type":"refresh-success","forced":false,"expiration":"\d{4}-\d\d-\d\dT[\d:.]+Z"\}$/);
    expect(child.stderr).not.toContain('wJalrXUtnFEMI');
  });
});

process.on('exit', () => unsubscribe(CREDENTIALS_CHANNEL, listener));
