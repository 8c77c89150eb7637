import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFile } from 'node:fs/promises';
import { startVerifyingServer, type VerifyingServer } from '../helpers/verifying-server.js';
import type { AwsHome } from '../helpers/fake-aws.js';
import { awsHome, ensureBuilt, hermeticEnv, runMain, TEMPORARY } from './support.js';

// End to end: the built executable in a child process, with an environment made from scratch.
const SCOPE = ['--service', 'es', '--region', 'eu-west-1'];
let server: VerifyingServer;
let home: AwsHome;
let withCredentials: Record<string, string>;
let withoutCredentials: Record<string, string>;

beforeAll(async () => {
  await ensureBuilt();
  server = await startVerifyingServer({ [TEMPORARY.accessKeyId]: TEMPORARY.secretAccessKey });
  home = await awsHome(TEMPORARY);
  withCredentials = hermeticEnv();
  withoutCredentials = Object.fromEntries(Object.entries(withCredentials).filter(([name]) => !['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN'].includes(name)));
});
afterAll(async () => {
  await server.close();
  await home.restore();
});

describe('node dist/cli/main.js', () => {
  it('prints its version and exits 0', async () => {
    const { version } = JSON.parse(await readFile(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
    const result = await runMain(['--version'], withCredentials);
    expect(result.code).toBe(0);
    expect(result.stdout.toString()).toContain(`got-aws4auth ${version}`);
  });

  it('sends a signed request with credentials from the environment and writes the body to stdout', async () => {
    server.respond((_request, response) => void response.end('{"acknowledged":true}'));
    const result = await runMain([...SCOPE, '-d', '@-', `${server.origin}/index/_doc`], withCredentials, Buffer.from('{"a":1}'));
    expect(result.code).toBe(0);
    expect(result.stdout.toString()).toBe('{"acknowledged":true}');
    const received = server.requests.at(-1);
    expect(received?.verified).toBe(true);
    expect(received?.body.toString()).toBe('{"a":1}');
    expect(received?.headers['x-amz-security-token']).toBe(TEMPORARY.sessionToken);
  });

  it('sets exit code 22 with --fail for an HTTP error', async () => {
    server.respond((_request, response) => {
      response.statusCode = 404;
      response.end('missing');
    });
    const result = await runMain([...SCOPE, '--fail', `${server.origin}/missing`], withCredentials);
    expect(result.code).toBe(22);
    expect(result.stdout.length).toBe(0);
  });

  it('sets exit code 4 with advice when there are no credentials, printing nothing secret', async () => {
    const result = await runMain([...SCOPE, '-v', `${server.origin}/x`], withoutCredentials);
    expect(result.code).toBe(4);
    expect(result.stderr).toContain('no AWS credentials');
    expect(result.stderr).toContain('AWS_ACCESS_KEY_ID');
  });

  it('sets exit code 23 when the reader of stdout goes away (| head), naming stdout, not the server', async () => {
    const body = Buffer.alloc(16 * 1024 * 1024, 'x');
    server.respond((_request, response) => void response.end(body));
    const result = await runMain([...SCOPE, `${server.origin}/big`], withCredentials, undefined, { closeStdoutAfter: 1, killAfterMs: 20_000 });
    expect(result.code).toBe(23);
    expect(result.stderr).toContain('got-aws4auth: cannot write the response to stdout: EPIPE');
  });

  it('sets exit code 2 for a usage error', async () => {
    const result = await runMain(['--nope'], withCredentials);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("Unknown option '--nope'");
  });
});
