import { describe, expect, it } from 'vitest';
import { readFile, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { LONG_TERM, PROFILE, runCli, useCliFixture, type RunResult } from './support.js';

const fixture = useCliFixture();
const SCOPE = ['--service', 'es', '--region', 'eu-west-1'];

describe('got-aws4auth: usage errors exit 2 and say what is wrong', () => {
  it.each([
    [[], 'no URL given'],
    [['http://a.example/', 'http://b.example/'], 'one URL at a time, got 2'],
    [['--frobnicate', 'http://a.example/'], "Unknown option '--frobnicate'"],
    [['-X'], "'-X, --request <value>' argument missing"],
    [['-H', 'no colon here', 'http://a.example/'], "is not a header: write it as 'Name: value'"],
    [['-d', 'a', '-T', 'file', 'http://a.example/'], '-d/--data-binary and -T cannot be combined'],
    [['-d', '@file', '-d', 'b', 'http://a.example/'], '-d @file and -d @- must be the only -d'],
    [['--expires', '60', 'http://a.example/'], '--expires only applies to --presign'],
    [['--presign', '-d', 'x', 'http://a.example/'], '--presign prints a URL and sends nothing'],
    [['--presign', '-o', 'out', 'http://a.example/'], '--presign sends nothing, so -o'],
    [['--presign', '-I', '-k', 'http://a.example/'], '--presign sends nothing, so -I, -k do not apply (for a HEAD URL, pass -X HEAD)'],
    [['-f', '--fail-with-body', 'http://a.example/'], '--fail and --fail-with-body cannot be combined'],
    [['-I', '--json', '{}', 'http://a.example/'], '-I sends a HEAD request, which has no body'],
    [['--max-time', 'never', 'http://a.example/'], '--max-time takes a positive number of seconds'],
    [['--service', '', 'http://a.example/'], '--service needs a non-empty value'],
  ])('%j', async (argv, message) => {
    const result = await runCli(argv);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(message);
    expect(result.stderr).toContain("Try 'got-aws4auth --help' for more information.");
    expect(result.stdout.length).toBe(0);
  });

  it.each([['not a url'], ['ftp://example.com/file']])('exits 3 for the URL %j', async (url) => {
    const result = await runCli([url]);
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(/is not (a URL|an http: or https: URL)/);
  });

  it('prints the help, listing every option and the exit codes, with exit 0', async () => {
    const result = await runCli(['--help']);
    expect(result.code).toBe(0);
    const text = result.stdout.toString();
    expect(text).toMatch(/^Usage: got-aws4auth \[options\] <url>/);
    for (const option of ['-X, --request METHOD', '-H, --header LINE', '-d, --data DATA', '--data-binary', '--json DATA', '-T, --upload-file FILE', '-o, --output', '-i, --include', '-v, --verbose', '--fail', '--service', '--region', '--profile', '--presign', '--expires', '--unsigned-payload', '--version', '-I, --head', '-k, --insecure', '-s, --silent', '-S, --show-error', '--fail-with-body']) {
      expect(text).toContain(option);
    }
    expect(text).toContain('22  HTTP status >= 400 with --fail or --fail-with-body');
    expect(text).toContain('HTTPS_PROXY, HTTP_PROXY, ALL_PROXY');
    expect(text).toContain(' 4  no AWS credentials');
  });

  it('prints the package version with --version', async () => {
    const { version } = JSON.parse(await readFile(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
    const result = await runCli(['--version']);
    expect(result.code).toBe(0);
    expect(result.stdout.toString()).toMatch(new RegExp(`^got-aws4auth ${version.replaceAll('.', '\\.')} \\(node v\\d+`));
  });
});

describe('got-aws4auth: service and region', () => {
  it('asks for --service and --region, exiting 5 and sending nothing, for a host it cannot read', async () => {
    const result = await runCli([`${fixture.server.origin}/local`]);
    expect(result.code).toBe(5);
    expect(result.stderr).toContain(`cannot tell which AWS service to sign for from the host "127.0.0.1:${fixture.server.port}"`);
    expect(result.stderr).toContain('pass --service NAME');
    expect(result.stderr).toContain('--region REGION');
    expect(fixture.server.requests).toHaveLength(0);
  });

  it('asks for --region when only the service is given and no region is configured', async () => {
    const result = await runCli(['--service', 'es', `${fixture.server.origin}/local`]);
    expect(result.code).toBe(5);
    expect(result.stderr).toContain('pass --region REGION');
    expect(fixture.server.requests).toHaveLength(0);
  });

  it('takes the region from AWS_REGION in the environment it is given', async () => {
    const result = await runCli(['--service', 'es', `${fixture.server.origin}/local`], { env: { ...process.env, AWS_REGION: 'sa-east-1' } });
    expect(result.code).toBe(0);
    expect(fixture.server.requests[0]?.region).toBe('sa-east-1');
    expect(fixture.server.requests[0]?.verified).toBe(true);
  });
});

/** Expects the failure to name what the user set, with no library name (options.x, request.x, `x`) and no secret. */
function expectNamedForTheUser(result: RunResult, exitCode: number, message: string, secrets: readonly string[] = [LONG_TERM.secretAccessKey]): void {
  expect(result.code).toBe(exitCode);
  expect(result.stderr).toContain(message);
  expect(result.stderr).not.toMatch(/options\.|request\.|aws4Hooks|`(accessKeyId|secretAccessKey|sessionToken)`|maxBufferedBodyBytes|payloadHash|streamingPayload/);
  for (const secret of secrets) expect(result.stderr).not.toContain(secret);
  expect(fixture.server.requests).toHaveLength(0);
}

describe('got-aws4auth: a value the library refuses is named as the user gave it', () => {
  it('names --region and --service, as usage errors, whether sending or presigning', async () => {
    expectNamedForTheUser(await runCli(['--service', 'es', '--region', 'eu west', `${fixture.server.origin}/x`]), 2, '--region must be a non-empty string of letters, digits');
    expectNamedForTheUser(await runCli(['--presign', '--region', 'eu west', 'https://my-bucket.s3.amazonaws.com/key']), 2, 'got-aws4auth: --region must be');
    expectNamedForTheUser(await runCli(['--service', 's 3', '--region', 'eu-west-1', `${fixture.server.origin}/x`]), 2, 'got-aws4auth: --service must be');
    expectNamedForTheUser(await runCli(['--presign', '--service', 's 3', '--region', 'eu-west-1', `${fixture.server.origin}/x`]), 2, 'got-aws4auth: --service must be');
  });

  it('names AWS_REGION, or the profile, when the region came from there', async () => {
    const fromEnv = await runCli(['--service', 'es', `${fixture.server.origin}/x`], { env: { ...process.env, AWS_REGION: 'eu west' } });
    expectNamedForTheUser(fromEnv, 1, 'got-aws4auth: AWS_REGION must be a non-empty string');
    await fixture.useHome(undefined, {
      config: '[profile cli]\nregion = eu west\n',
      credentials: `[cli]\naws_access_key_id = ${PROFILE.accessKeyId}\naws_secret_access_key = ${PROFILE.secretAccessKey}\n`,
    });
    const fromProfile = await runCli(['--service', 'es', '--profile', 'cli', `${fixture.server.origin}/x`]);
    expectNamedForTheUser(fromProfile, 1, 'got-aws4auth: the region of profile "cli" must be', [PROFILE.secretAccessKey]);
  });

  it('names the -H header the server would not be sent', async () => {
    expectNamedForTheUser(await runCli([...SCOPE, '-H', 'X-Note: a\u0001b', `${fixture.server.origin}/x`]), 2, 'the -H header "x-note" contains the control character U+0001');
    const length = await runCli(['--service', 's3', '--region', 'us-east-1', '-H', 'Content-Length: many', '-T', '-', `${fixture.server.origin}/b/k`], { stdin: 'abc' });
    expectNamedForTheUser(length, 2, 'the -H header "content-length" must be a whole number of bytes, got "many"');
  });

  it('names the environment variable or the profile of malformed credentials, and never their values', async () => {
    await fixture.useHome({ accessKeyId: 'AKID CLI', secretAccessKey: LONG_TERM.secretAccessKey });
    expectNamedForTheUser(await runCli([...SCOPE, `${fixture.server.origin}/x`]), 4, 'AWS_ACCESS_KEY_ID contains whitespace');
    const token = 'CLI-TOKEN-\u00e9t\u00e9-secret';
    await fixture.useHome({ ...LONG_TERM, sessionToken: token });
    expectNamedForTheUser(await runCli(['--presign', 'https://my-bucket.s3.us-west-2.amazonaws.com/key']), 4, 'AWS_SESSION_TOKEN contains control or non-ASCII characters', [LONG_TERM.secretAccessKey, token, 'secret']);
    await fixture.useHome(LONG_TERM, { credentials: `[cli]\naws_access_key_id = AKID/CLI\naws_secret_access_key = ${PROFILE.secretAccessKey}\n` });
    const fromProfile = await runCli([...SCOPE, '--profile', 'cli', `${fixture.server.origin}/x`]);
    expectNamedForTheUser(fromProfile, 4, 'the access key id of profile "cli" contains whitespace, control, non-ASCII, "/" or ","', [PROFILE.secretAccessKey]);
  });
});

describe('got-aws4auth: credential failures exit 4 with advice', () => {
  it('says how to provide credentials when the default chain finds none, and sends nothing', async () => {
    await fixture.useHome(undefined);
    const result = await runCli([...SCOPE, `${fixture.server.origin}/x`]);
    expect(result.code).toBe(4);
    expect(result.stderr).toMatch(/^got-aws4auth: no AWS credentials: .+\n {2}To fix: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY/);
    expect(result.stderr).toContain('--profile NAME');
    expect(fixture.server.requests).toHaveLength(0);
  });

  it('names the --profile that has no credentials', async () => {
    const result = await runCli([...SCOPE, '--profile', 'nowhere', `${fixture.server.origin}/x`]);
    expect(result.code).toBe(4);
    expect(result.stderr).toContain('profile "nowhere"');
    expect(fixture.server.requests).toHaveLength(0);
  });

  it('fails --presign the same way', async () => {
    await fixture.useHome(undefined);
    const result = await runCli(['--presign', 'https://my-bucket.s3.us-west-2.amazonaws.com/key']);
    expect(result.code).toBe(4);
    expect(result.stdout.length).toBe(0);
  });
});

describe('got-aws4auth: transfer failures use curl exit codes', () => {
  it('exits 7 when the connection is refused', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const result = await runCli([...SCOPE, `http://127.0.0.1:${port}/`]);
    expect(result.code).toBe(7);
    expect(result.stderr).toContain(`could not connect: connection refused (127.0.0.1:${port})`);
  });

  it('exits 28 when --max-time elapses', async () => {
    fixture.server.respond(() => {});
    const result = await runCli([...SCOPE, '--max-time', '0.3', `${fixture.server.origin}/slow`]);
    expect(result.code).toBe(28);
    expect(result.stderr).toContain('timed out');
  });

  it('exits 26 when the file to upload cannot be read, sending nothing', async () => {
    const missing = join(fixture.dir, 'missing.bin');
    const fromData = await runCli([...SCOPE, '-d', `@${missing}`, `${fixture.server.origin}/x`]);
    const fromUpload = await runCli([...SCOPE, '-T', fixture.dir, `${fixture.server.origin}/x`]);
    expect([fromData.code, fromUpload.code]).toEqual([26, 26]);
    expect(fromData.stderr).toContain(`cannot read "${missing}": no such file`);
    expect(fromUpload.stderr).toContain('it is a directory');
    expect(fixture.server.requests).toHaveLength(0);
  });

  it('exits 23 when the -o file cannot be written', async () => {
    const result = await runCli([...SCOPE, '-o', join(fixture.dir, 'no/such/dir/out'), `${fixture.server.origin}/x`]);
    expect(result.code).toBe(23);
    expect(result.stderr).toContain('cannot write the response to');
    expect(result.stderr).toContain('ENOENT');
  });

  it('explains how to send a streamed body too large to hash for a service other than S3', async () => {
    const big = join(fixture.dir, 'big.bin');
    await writeFile(big, Buffer.alloc(16 * 1024 * 1024 + 1));
    const result = await runCli([...SCOPE, '-T', big, `${fixture.server.origin}/big`]);
    expectNamedForTheUser(result, 1, 'the body is larger than 16777216 bytes');
    expect(result.stderr).toContain('pass --unsigned-payload');
  });
});
