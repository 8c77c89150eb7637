/**
 * Whether a provider call keeps the process alive: it must while a caller awaits it (or the caller's work
 * is dropped without an outcome: ESM exits 13 on an unsettled top-level await, CommonJS exits 0), and must
 * not while only a background refresh nobody awaits is in flight. Each case runs in a child process, since
 * what is tested is when Node decides to exit.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

interface ChildResult {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly ms: number;
}

/** Runs an ES module script with tsx from the repository root (so it imports ./src/...). */
function runScript(lines: readonly string[]): ChildResult {
  const started = performance.now();
  const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', lines.join('\n')], { cwd: ROOT, encoding: 'utf8', timeout: 30_000 });
  return { status: child.status, stdout: child.stdout, stderr: child.stderr, ms: performance.now() - started };
}

const IMPORT_CACHE = "const { CredentialCache } = await import('./src/credentials/index.ts');";
const HANG = 'const hang = () => new Promise(() => {});';
/** A provider (on a settable clock `now`) whose first call answers with credentials valid 10 minutes and every later call hangs; `calls` counts. */
const ANSWERS_ONCE_THEN_HANGS = [
  'let now = Date.UTC(2026, 0, 1);',
  'let calls = 0;',
  "const provider = () => (calls++ === 0 ? Promise.resolve({ accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'keep/alive/secret/0123456789abcdefghijkl', expiration: new Date(now + 600000) }) : new Promise(() => {}));",
];

describe('a caller awaiting credentials keeps the process alive until its bounded wait ends', () => {
  it('a top-level await on a provider that never answers ends with CredentialsTimeoutError and a non-zero exit, not a silent exit', () => {
    const child = runScript([IMPORT_CACHE, HANG, 'const cache = new CredentialCache(hang, { timeoutMs: 300 });', 'await cache.getCredentials();', "console.log('resolved');"]);
    expect(child.status).toBe(1); // the unhandled typed error, not 13 (unsettled top-level await)
    expect(child.stderr).toMatch(/CredentialsTimeoutError/);
    expect(child.stderr).toMatch(/ERR_AWS4_CREDENTIALS_TIMEOUT/);
    expect(child.stdout).toBe('');
  });

  it('a promise chain with nothing else keeping the process alive still gets its typed rejection', () => {
    const child = runScript([
      IMPORT_CACHE,
      HANG,
      'const cache = new CredentialCache(hang, { timeoutMs: 300 });',
      "cache.getCredentials().then(() => console.log('resolved'), (e) => { console.log('rejected', e.name, e.code); process.exitCode = 4; });",
    ]);
    expect(child.stdout.trim()).toBe('rejected CredentialsTimeoutError ERR_AWS4_CREDENTIALS_TIMEOUT');
    expect(child.status).toBe(4);
  });

  it('a got request through the plugin fails with the typed timeout instead of vanishing with exit code 0', () => {
    const child = runScript([
      "const { default: got } = await import('got');",
      "const { createAws4Hooks } = await import('./src/index.ts');",
      HANG,
      "const client = got.extend(createAws4Hooks({ region: 'us-east-1', service: 's3', credentials: hang, credentialCache: { timeoutMs: 300 } }));",
      "client.get('http://127.0.0.1:9/b/k').then(() => console.log('ok'), (e) => { console.log('failed', e.code); process.exitCode = 5; });",
    ]);
    expect(child.stdout.trim()).toBe('failed ERR_AWS4_CREDENTIALS_TIMEOUT');
    expect(child.status).toBe(5);
  });

  it('a caller that joins a background refresh once the credentials expired is kept alive until the typed timeout', () => {
    const child = runScript([
      IMPORT_CACHE,
      ...ANSWERS_ONCE_THEN_HANGS,
      'const cache = new CredentialCache(provider, { clock: () => now, timeoutMs: 400 });',
      'await cache.getCredentials();',
      'now += 9 * 60000;',
      'cache.peekCredentials();', // starts the background refresh, which hangs
      'now += 2 * 60000;',
      "cache.getCredentials().then(() => console.log('resolved'), (e) => console.log('rejected', e.code, calls));",
    ]);
    expect(child.stdout.trim()).toBe('rejected ERR_AWS4_CREDENTIALS_TIMEOUT 2');
    expect(child.status).toBe(0);
  });
});

describe('a refresh nobody awaits never holds the process open', () => {
  it('a background refresh hanging under a 10-minute timeout lets the process exit at once', () => {
    const child = runScript([
      IMPORT_CACHE,
      ...ANSWERS_ONCE_THEN_HANGS,
      'const cache = new CredentialCache(provider, { clock: () => now, timeoutMs: 600000 });',
      'await cache.getCredentials();',
      'now += 9 * 60000;',
      "console.log(cache.peekCredentials()?.accessKeyId, calls, String(cache));",
    ]);
    expect(child.stderr).toBe('');
    expect(child.stdout.trim()).toBe('AKIAIOSFODNN7EXAMPLE 2 CredentialCache(refreshing, AKIAIOSFODNN7EXAMPLE)');
    expect(child.status).toBe(0);
    expect(child.ms).toBeLessThan(20_000); // nowhere near the 10-minute timeout
  });

  it('a caller that stops waiting (its signal aborts) no longer holds the process open for the refresh it left', () => {
    const child = runScript([
      IMPORT_CACHE,
      HANG,
      'const cache = new CredentialCache(hang, { timeoutMs: 600000 });',
      'const controller = new AbortController();',
      "setTimeout(() => controller.abort(new Error('caller gave up')), 100);",
      "await cache.getCredentials({ signal: controller.signal }).catch((e) => console.log('stopped:', e.message));",
    ]);
    expect(child.stderr).toBe('');
    expect(child.stdout.trim()).toBe('stopped: caller gave up');
    expect(child.status).toBe(0);
    expect(child.ms).toBeLessThan(20_000);
  });

  it('of two callers, the process stays alive while the second still waits, and ends with its typed error', () => {
    const child = runScript([
      IMPORT_CACHE,
      HANG,
      'const cache = new CredentialCache(hang, { timeoutMs: 500 });',
      'const controller = new AbortController();',
      "cache.getCredentials({ signal: controller.signal }).catch((e) => console.log('first:', e.message));",
      "cache.getCredentials().catch((e) => console.log('second:', e.code));",
      "controller.abort(new Error('gave up'));",
    ]);
    expect(child.stdout.trim().split('\n')).toEqual(['first: gave up', 'second: ERR_AWS4_CREDENTIALS_TIMEOUT']);
    expect(child.status).toBe(0);
  });
});
