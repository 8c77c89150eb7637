/**
 * One home for the signer's module state (issue 14): every cache in src/signer is a registered memo from
 * memo.ts, bounded, and one call (`clearSignerCaches()`, alias `clearSigningKeyCache()`) empties all of them,
 * session tokens and secrets included.
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  clearSignerCaches,
  clearSigningKeyCache,
  deriveSigV4aPublicKey,
  presignUrl,
  signChunkedUpload,
  signRequest,
} from '../../src/signer/index.js';
import { BoundedMemo, LastMemo, signerCacheSizes } from '../../src/signer/memo.js';
import { heapSecrets } from '../helpers/signer-heap-child.js';

// Registered in test/helpers/secrets.ts, so the suite-wide scan looks for them in every error.
const SECRET = 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY';
const TOKEN = 'FQoGZXIvYXdzEXAMPLE-SESSION-TOKEN/with+chars==';
const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: SECRET, sessionToken: TOKEN };
const DATE = new Date('2015-08-30T12:36:00Z');

/** Signs through every entry point, so every memo has something to remember. */
function signEverything(): void {
  const url = `https://examplebucket.s3.amazonaws.com/a/b?X-Amz-Security-Token=${encodeURIComponent(TOKEN)}`;
  signRequest({ method: 'GET', url, headers: { 'x-amz-meta-a': 'b' } }, { credentials, region: 'us-east-1', service: 's3', date: DATE, includeHeaders: ['x-amz-*'] });
  signRequest({ method: 'POST', url: 'https://example.amazonaws.com/x/../y', body: '{}' }, { credentials, region: 'eu-west-1', service: 'es', date: DATE });
  signRequest({ method: 'GET', url: new URL('https://mrap.accesspoint.s3-global.amazonaws.com/k') }, { credentials, service: 's3', algorithm: 'sigv4a', regionSet: ['*'], date: DATE });
  presignUrl({ method: 'GET', url: 'https://examplebucket.s3.amazonaws.com/k' }, { credentials, region: 'us-east-1', service: 's3', date: DATE, expiresIn: 60 });
  signChunkedUpload({ method: 'PUT', url: 'https://examplebucket.s3.amazonaws.com/up' }, { credentials, region: 'us-east-1', service: 's3', date: DATE }, { decodedLength: 10 });
  deriveSigV4aPublicKey('AKIDEXAMPLE', SECRET);
}

function nonEmpty(): string[] {
  return signerCacheSizes().filter((cache) => cache.size > 0).map((cache) => cache.name);
}

describe('the signer caches', () => {
  it('are filled by signing, and clearSignerCaches() empties every one of them, the last session token included', () => {
    signEverything();
    const filled = nonEmpty();
    expect(filled).toEqual(expect.arrayContaining(['validate: last sound session token', 'signing-key: last signing key', 'sigv4a-key: key pairs by credential', 'request-view: last sound query']));
    clearSignerCaches();
    expect(nonEmpty()).toEqual([]);
  });

  it('clearSigningKeyCache() is an alias that empties all of them too', () => {
    signEverything();
    clearSigningKeyCache();
    expect(nonEmpty()).toEqual([]);
  });

  it('sign exactly as before after being cleared', () => {
    const request = { method: 'GET', url: 'https://examplebucket.s3.amazonaws.com/a' };
    const options = { credentials, region: 'us-east-1', service: 's3', date: DATE };
    const first = signRequest(request, options);
    clearSignerCaches();
    expect(signRequest(request, options)).toEqual(first);
  });

  it('are all registered: src/signer holds no module-level let, Map or Set outside memo.ts but constant tables', () => {
    const dir = fileURLToPath(new URL('../../src/signer/', import.meta.url));
    // Tables built from constants, never from input: nothing to clear (a ReadonlySet/ReadonlyMap cannot be a
    // cache, nor can a lazily built typed-array table such as a CRC's).
    const constants = new Set(['DEFAULT_UNSIGNED', 'CHUNKED_HEADER_NAMES', 'AUTH_QUERY_KEYS', 'SIGV4A_AUTH_QUERY_KEYS', 'S3_FAMILY']);
    const found: string[] = [];
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.ts') && f !== 'memo.ts')) {
      const text = readFileSync(join(dir, file), 'utf8');
      for (const match of text.matchAll(/^(?:let|var) (\w+)\b(?!: (?:Big)?(?:Ui|I)nt\d+Array \| undefined;)|^const (\w+)(?:: (?!Readonly)[^=]+)? = new (?:Map|Set|WeakMap|WeakSet)\b/gm)) {
        const name = match[1] ?? match[2] ?? '';
        if (!constants.has(name)) found.push(`${file}: ${name}`);
      }
    }
    expect(found).toEqual([]);
  });
});

describe('BoundedMemo', () => {
  it('never holds more than maxEntries, evicts the oldest first and disposes of what it drops', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 8 }), fc.array(fc.integer({ min: 0, max: 20 }), { maxLength: 60 }), (max, keys) => {
        const disposed: number[] = [];
        const memo = new BoundedMemo<number, number>('test: bounded', max, (value) => disposed.push(value));
        const model: number[] = [];
        let sets = 0;
        for (const key of keys) {
          if (memo.get(key) === undefined) {
            memo.set(key, key);
            sets += 1;
            model.push(key);
            if (model.length > max) expect(disposed.at(-1)).toBe(model.shift());
          }
          expect(memo.size).toBeLessThanOrEqual(max);
        }
        for (const key of model) expect(memo.get(key)).toBe(key);
        memo.clear();
        expect(memo.size).toBe(0);
        // Every value stored is disposed of exactly once: evicted, or cleared.
        expect(disposed.length).toBe(sets);
      }),
      { numRuns: 200 },
    );
  });
});

describe('LastMemo', () => {
  it('hits only for the exact key parts it remembered, and nothing after clear()', () => {
    const memo = new LastMemo<string>('test: last');
    expect(memo.hit(undefined)).toBe(false);
    memo.remember('v', 'a', undefined, 1);
    expect(memo.hit('a', undefined, 1)).toBe(true);
    expect(memo.hit('a', undefined, 2)).toBe(false);
    expect(memo.hit('a')).toBe(false);
    expect(memo.value).toBe('v');
    memo.clear();
    expect(memo.hit('a', undefined, 1)).toBe(false);
    expect(memo.value).toBeUndefined();
    expect(memo.size).toBe(0);
  });
});

describe('after clearSignerCaches()', () => {
  // A heap snapshot of a child process that signed with a token and a secret made at run time: with the
  // caches kept, both are found (so the search works); after the call, neither is.
  const child = fileURLToPath(new URL('../helpers/signer-heap-child.ts', import.meta.url));
  const seed = randomBytes(8).toString('hex');

  function heapHolds(mode: 'keep' | 'clear'): { token: boolean; secret: boolean } {
    const dir = mkdtempSync(join(tmpdir(), 'signer-heap-'));
    try {
      const file = join(dir, 'heap.heapsnapshot');
      const run = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', child, seed, mode, file], { encoding: 'utf8' });
      expect(run.status, run.stderr).toBe(0);
      const heap = readFileSync(file, 'utf8');
      const { token, secret } = heapSecrets(seed);
      return { token: heap.includes(token), secret: heap.includes(secret) };
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }

  it('no module memory of the signer holds the session token or the secret (heap snapshot)', () => {
    expect(heapHolds('keep')).toEqual({ token: true, secret: true });
    expect(heapHolds('clear')).toEqual({ token: false, secret: false });
  }, 60_000);
});
