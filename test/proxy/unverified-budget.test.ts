/**
 * The bounds on bodies held before their client-key signature is checked, as units (red-team pass 4, F3):
 * the byte budget's total and per-client share, the client key a remote address counts under (an IPv6
 * peer is one client per /64), and the total read time's default. The end-to-end cases are in
 * unverified-bodies.test.ts.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ByteBudget } from '../../src/proxy/byte-budget.js';
import { clientAddressKey } from '../../src/proxy/client-address.js';
import { resolveProxyOptions } from '../../src/proxy/options.js';

/** Runs of the properties below; PROXY_BUDGET_RUNS raises them. */
const RUNS = Number(process.env.PROXY_BUDGET_RUNS ?? 200);

describe('the unverified-body budget', () => {
  it('never holds more than its limit in all, nor more than a quarter of it for one client, and is whole once everything is given back', () => {
    const op = fc.record({ client: fc.constantFrom('a', 'b', 'c', 'd', 'e'), bytes: fc.integer({ min: 0, max: 600 }), give: fc.boolean() });
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2000 }), fc.array(op, { maxLength: 60 }), (limit, ops) => {
        const budget = new ByteBudget(limit);
        const share = Math.floor(limit / 4);
        const held = new Map<string, number[]>();
        for (const { client, bytes, give } of ops) {
          const pieces = held.get(client) ?? [];
          if (give && pieces.length > 0) {
            budget.give(pieces.pop()!, client);
          } else {
            const expected = budget.heldBy(client) + bytes > share ? 'client' : budget.used + bytes > limit ? 'total' : undefined;
            const refused = budget.take(bytes, client);
            expect(refused).toBe(expected);
            if (refused === undefined) pieces.push(bytes);
          }
          held.set(client, pieces);
          expect(budget.used).toBeLessThanOrEqual(limit);
          expect(budget.heldBy(client)).toBeLessThanOrEqual(share);
        }
        for (const [client, pieces] of held) for (const bytes of pieces) budget.give(bytes, client);
        expect(budget.used).toBe(0);
        for (const client of held.keys()) expect(budget.heldBy(client)).toBe(0);
      }),
      { numRuns: RUNS },
    );
  });

  it('lets one client hold one full body with the default total (4 x maxBufferedBodyBytes)', () => {
    const options = resolveProxyOptions({ upstreams: ['http://127.0.0.1:9/'] });
    const budget = new ByteBudget(options.maxUnverifiedBytes);
    expect(budget.clientShare).toBe(options.maxBufferedBodyBytes);
  });
});

describe('the client a remote address counts as', () => {
  it.each([
    ['127.0.0.1', '127.0.0.1'],
    ['::ffff:127.0.0.1', '127.0.0.1'],
    ['::FFFF:7f00:2', '127.0.0.2'],
    ['::1', '0:0:0:0::/64'],
    ['2001:db8::1', '2001:db8:0:0::/64'],
    ['2001:db8:0:0:ffff:ffff:ffff:ffff', '2001:db8:0:0::/64'],
    ['2001:0DB8:0000:0001::', '2001:db8:0:1::/64'],
    ['fe80::1%eth0', 'fe80:0:0:0::/64'],
    ['64:ff9b::192.0.2.1', '64:ff9b:0:0::/64'],
    [undefined, ''],
  ])('%s counts as %s', (address, key) => {
    expect(clientAddressKey(address)).toBe(key);
  });

  it('every address of one IPv6 /64, however it is written, is one client; addresses in different /64s are different clients', () => {
    const group = fc.integer({ min: 0, max: 0xffff });
    const groups = fc.array(group, { minLength: 8, maxLength: 8 });
    const written = (g: number[]): string[] => [g.map((x) => x.toString(16)).join(':'), new URL(`http://[${g.map((x) => x.toString(16)).join(':')}]/`).hostname.slice(1, -1)];
    fc.assert(
      fc.property(groups, groups, (a, b) => {
        const isMapped = (g: number[]): boolean => g.slice(0, 5).every((x) => x === 0) && g[5] === 0xffff;
        fc.pre(!isMapped(a) && !isMapped(b));
        const [keyA, ...restA] = written(a).map(clientAddressKey);
        for (const key of restA) expect(key).toBe(keyA);
        const samePrefix = [...a.slice(0, 4), ...b.slice(4)];
        for (const key of written(samePrefix).map(clientAddressKey)) expect(key).toBe(keyA);
        const sameNetwork = a.slice(0, 4).every((x, i) => x === b[i]);
        expect(clientAddressKey(written(b)[0]) === keyA).toBe(sameNetwork);
      }),
      { numRuns: RUNS },
    );
  });

  it('any IPv4 address is its own client, also written IPv4-mapped', () => {
    fc.assert(
      fc.property(fc.ipV4(), (address) => {
        expect(clientAddressKey(address)).toBe(address);
        expect(clientAddressKey(`::ffff:${address}`)).toBe(address);
      }),
      { numRuns: RUNS },
    );
  });
});

describe('the total time a body may take before its signature is checked', () => {
  it('defaults to 60 seconds and may be turned off with 0', () => {
    expect(resolveProxyOptions({ upstreams: ['http://127.0.0.1:9/'] }).unverifiedBodyTimeoutMs).toBe(60_000);
    expect(resolveProxyOptions({ upstreams: ['http://127.0.0.1:9/'], unverifiedBodyTimeoutMs: 0 }).unverifiedBodyTimeoutMs).toBe(0);
  });
});
