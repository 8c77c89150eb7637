/**
 * The built executable ends with exit code 4 as soon as it has given up on credentials, even while the
 * credential endpoint holds the connection open (red-team pass 3 finding F9): a container credentials
 * endpoint (`AWS_CONTAINER_CREDENTIALS_FULL_URI`) that accepts the request and never answers. The SDK's own
 * request timeout only warns, and it offers no way to abort its request, so the abandoned socket stays open
 * until the endpoint closes it (here: when the test closes the fake); before the fix the process waited for
 * it. `--max-time` bounds the wait for credentials, so the send and presign cases take a second or two; the
 * proxy command has no such option, and its case waits for the credential cache's 30 s timeout.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFakeContainerCredentials, type AwsHome, type FakeContainerCredentials } from '../helpers/fake-aws.js';
import { awsHome, ensureBuilt, hermeticEnv, runMain } from './support.js';

/** How long after its "no AWS credentials" message the process may take to exit (it was still running 30 s after it). */
const EXIT_BOUND_MS = 3_000;
const SCOPE = ['--service', 's3', '--region', 'us-east-1'];

let endpoint: FakeContainerCredentials;
let home: AwsHome;
let env: Record<string, string>;

beforeAll(async () => {
  await ensureBuilt();
});
beforeEach(async () => {
  endpoint = await startFakeContainerCredentials();
  endpoint.fail('hang');
  home = await awsHome(undefined, { env: { AWS_CONTAINER_CREDENTIALS_FULL_URI: endpoint.fullUri } });
  env = hermeticEnv();
});
afterEach(async () => {
  await endpoint.close();
  await home.restore();
});
afterAll(async () => {
  await endpoint?.close();
});

describe('a credential endpoint that accepts and never answers', () => {
  it('a request with --max-time: exit 4 after at most --max-time, promptly after the message, while the endpoint still holds the socket', async () => {
    const result = await runMain([...SCOPE, '-m', '1.5', 'http://127.0.0.1:9/b/k'], env, undefined, { killAfterMs: 20_000 });
    expect(result.signal).toBeNull();
    expect(result.code).toBe(4);
    // What is left of --max-time when the wait starts: the limit is one deadline for the whole command.
    expect(result.stderr).toMatch(/got-aws4auth: no AWS credentials: The credential provider did not return credentials within 1[0-5]\d\d ms/);
    expect(result.exitAfter('no AWS credentials')).toBeLessThan(EXIT_BOUND_MS);
    // The endpoint took the request and never answered; the socket closed when the process exited.
    expect(endpoint.calls).toBeGreaterThanOrEqual(1);
  });

  it('--presign with --max-time: exit 4 promptly after the message, printing no URL', async () => {
    const result = await runMain([...SCOPE, '--presign', '-m', '1', 'http://127.0.0.1:9/b/k'], env, undefined, { killAfterMs: 20_000 });
    expect([result.signal, result.code, result.stdout.length]).toEqual([null, 4, 0]);
    expect(result.exitAfter('no AWS credentials')).toBeLessThan(EXIT_BOUND_MS);
  });

  it('the proxy command: exit 4 promptly after the 30 s credential timeout, never listening', { timeout: 60_000 }, async () => {
    const result = await runMain(['proxy', '--listen', '127.0.0.1:0', '--upstream', 'http://127.0.0.1:9'], env, undefined, { killAfterMs: 50_000 });
    expect(result.signal).toBeNull();
    expect(result.code).toBe(4);
    expect(result.stderr).toContain('got-aws4auth proxy: no AWS credentials: The credential provider did not return credentials within 30000 ms');
    expect(result.stderr).not.toContain('listening on');
    expect(result.exitAfter('no AWS credentials')).toBeLessThan(EXIT_BOUND_MS);
  });
});
