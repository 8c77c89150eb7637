/**
 * Every input is handled in linear (or n log n) time (issue 14): n letter-case spellings of one header name,
 * and `includeHeaders` `*` globs, which are matched without backtracking. No absolute timings: growth is
 * checked by comparing n with 4n (quadratic growth would be 16x; the bound is loose for a busy machine),
 * and the glob matcher against a backtracking-free oracle.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { signRequest } from '../../src/signer/index.js';
import { globMatcher } from '../../src/signer/glob.js';
import { headerSelector } from '../../src/signer/canonical-headers.js';

const SECRET = 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY';
const options = { credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: SECRET }, region: 'us-east-1', service: 'es', date: new Date('2015-08-30T12:36:00Z') };

function elapsed(run: () => void): number {
  const started = performance.now();
  run();
  return performance.now() - started;
}

/**
 * How much longer `large` takes than `small`: each run in turn (so a burst of other work on the machine hits
 * both), the fastest of each compared, and the best of three such trials, so that only growth, not a busy
 * moment, can fail a bound.
 */
function growth(small: () => void, large: () => void, times = 5): number {
  let best = Number.POSITIVE_INFINITY;
  for (let trial = 0; trial < 3; trial++) {
    let fastSmall = Number.POSITIVE_INFINITY;
    let fastLarge = Number.POSITIVE_INFINITY;
    for (let i = 0; i < times; i++) {
      fastSmall = Math.min(fastSmall, elapsed(small));
      fastLarge = Math.min(fastLarge, elapsed(large));
    }
    best = Math.min(best, fastLarge / fastSmall);
  }
  return best;
}

/** The first n letter-case spellings of `name` (flipping the case of letters like a binary counter). */
function spellings(name: string, n: number): string[] {
  const letters = [...name].map((c, i) => (/[a-z]/.test(c) ? i : -1)).filter((i) => i >= 0);
  return Array.from({ length: n }, (_, k) => [...name].map((c, i) => (letters.indexOf(i) >= 0 && (k >> letters.indexOf(i)) & 1 ? c.toUpperCase() : c)).join(''));
}

/** A `*` glob as the backtracking regular expression it used to be: the reference for what matches. */
function regexOracle(pattern: string): RegExp {
  return new RegExp(`^${pattern.split('*').map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
}

describe('header canonicalisation', () => {
  it('joins n letter-case spellings of one name in order, as one header', () => {
    const names = spellings('x-amz-meta-name', 40);
    const headers = Object.fromEntries(names.map((name, i) => [name, String(i)]));
    const signed = signRequest({ method: 'GET', url: 'https://example.amazonaws.com/', headers }, options);
    expect(signed.canonicalRequest).toContain(`x-amz-meta-name:${names.map((_, i) => i).join(',')}\n`);
  });

  it('grows linearly with the number of spellings of one name (n vs 4n, where quadratic would be 16x)', () => {
    const sign = (n: number) => {
      const headers = Object.fromEntries(spellings('x-amz-meta-some-long-name', n).map((name) => [name, 'v']));
      return () => signRequest({ method: 'GET', url: 'https://example.amazonaws.com/', headers }, options);
    };
    const small = sign(8_000);
    const large = sign(32_000);
    expect(growth(small, large)).toBeLessThan(10);
  });
});

describe('includeHeaders globs', () => {
  it('match exactly what the anchored regular expression matches, for random patterns and names', () => {
    const alphabet = fc.constantFrom('x', 'y', '-', 'a');
    fc.assert(
      fc.property(fc.array(fc.oneof(alphabet, fc.constant('*')), { maxLength: 10 }).map((p) => p.join('')), fc.array(alphabet, { maxLength: 14 }).map((n) => n.join('')), (pattern, name) => {
        expect(globMatcher(pattern)(name)).toBe(regexOracle(pattern).test(name));
      }),
      { numRuns: 3000 },
    );
  });

  it('are case-insensitive through headerSelector (names arrive lower-cased)', () => {
    const select = headerSelector(['X-Amz-*', 'Content-Type']);
    expect(select('x-amz-meta-a')).toBe(true);
    expect(select('content-type')).toBe(true);
    expect(select('content-length')).toBe(false);
  });

  it('never backtrack: x*x*x*x*x*x*x*y and friends take time linear in the name (1 KiB vs 4 KiB)', () => {
    const patterns = ['x*x*x*x*x*x*x*y', '*x*x*x*x*x*x*x*x*', 'x*xx*xxx*xxxx*y*', '*'.repeat(50) + 'y', 'x*'.repeat(100) + 'y'];
    for (const pattern of patterns) {
      const matches = globMatcher(pattern);
      const small = 'x'.repeat(1024);
      const large = 'x'.repeat(4096);
      // Names of x alone: only the patterns without a y match (the oracle itself would backtrack here).
      expect(matches(small)).toBe(!pattern.includes('y'));
      const ratio = growth(() => { for (let i = 0; i < 50; i++) matches(small); }, () => { for (let i = 0; i < 50; i++) matches(large); });
      expect(ratio).toBeLessThan(12);
    }
  });

  it('sign a request whose header names are 1 KiB long against backtracking-prone patterns', () => {
    const name = `x-${'x'.repeat(1022)}`;
    const signed = signRequest({ method: 'GET', url: 'https://example.amazonaws.com/', headers: { [name]: 'v' } }, { ...options, includeHeaders: ['x*x*x*x*x*x*x*y', 'x-*x'] });
    expect(signed.signedHeaders.split(';')).toContain(name);
  });
});
