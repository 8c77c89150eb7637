/**
 * The command never prints a secret it was given in its arguments (red-team finding 8): a secret key in a
 * URL's user info (such a URL never parses, so the "is not a URL" message is where it would show), presigned
 * parameters in the URL (`X-Amz-Security-Token=`, `X-Amz-Signature=`, SigV2's `Signature=`) on the `-v`
 * request line and canonical request, and tokens in header lines or other arguments of usage errors. The
 * secrets are those of test/cli/support.ts and test/signer/url-redaction.test.ts, registered in
 * test/helpers/secrets.ts; each result is also written through console.log so the suite's scan reads it.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { printableTarget, quotedArgument, quotedUrl } from '../../src/cli/printable.js';
import { LONG_TERM, TEMPORARY, logForSecretScan, runCli, useCliFixture, type RunResult } from './support.js';

const RUNS = Number(process.env['CLI_PRINTABLE_RUNS'] ?? 300);

const fixture = useCliFixture();
const SCOPE = ['--service', 'es', '--region', 'eu-west-1'];
const SECRET = LONG_TERM.secretAccessKey;
const TOKEN = TEMPORARY.sessionToken;
/** The X-Amz-Signature value of test/signer/url-redaction.test.ts. */
const SIGNATURE = 'f0e1d2c3b4a5968778695a4b3c2d1e0ff0e1d2c3b4a5968778695a4b3c2d1e0f';

/** Every form in which a secret could be read back: as is, encoded once or twice, its first 20 characters, its longest plain run. */
function leaks(text: string): string[] {
  return [SECRET, TOKEN, SIGNATURE].flatMap((secret) =>
    [secret, encodeURIComponent(secret), encodeURIComponent(encodeURIComponent(secret)), secret.slice(0, 20), ...secret.split(/[/+=]/).filter((run) => run.length >= 12)].filter((form) =>
      text.includes(form),
    ),
  );
}

async function cli(argv: readonly string[]): Promise<RunResult> {
  const result = await runCli(argv);
  logForSecretScan(result.stderr);
  return result;
}

describe('got-aws4auth never prints a secret given in its arguments', () => {
  it('a secret key in the user info of a URL that does not parse: exit 3, the message shows the URL without it', async () => {
    const result = await cli([...SCOPE, `http://AKIDCLITEST:${SECRET}@127.0.0.1:9/b/k`]);
    expect(result.code).toBe(3);
    expect(result.stderr).toContain('"http:[redacted]@127.0.0.1:9/b/k" is not a URL');
    expect(leaks(result.stderr)).toEqual([]);
  });

  it('an encoded secret key in the user info of a URL of another scheme: "is not an http: or https: URL" without it', async () => {
    const result = await cli([...SCOPE, `ftp://AKIDCLITEST:${encodeURIComponent(SECRET)}@host/k`]);
    expect(result.code).toBe(3);
    expect(result.stderr).toContain('is not an http: or https: URL');
    expect(leaks(result.stderr)).toEqual([]);
  });

  it('a second URL carrying secrets: "one URL at a time" quotes both redacted', async () => {
    const result = await cli([`https://u:${encodeURIComponent(SECRET)}@h/k`, `https://h/k?X-Amz-Signature=${SIGNATURE}&AWSAccessKeyId=AKIDCLITEST&Signature=${encodeURIComponent(TOKEN)}`]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('one URL at a time, got 2');
    expect(result.stderr).toContain('X-Amz-Signature=[redacted]');
    expect(leaks(result.stderr)).toEqual([]);
  });

  it.each([
    ['a header line without a colon', ['-H', `x-amz-security-token ${TOKEN}`], '-H "x-amz-security-token …" is not a header'],
    ['a header line with no valid name', ['-H', `Authorization Bearer ${SECRET}: x`], '-H "Authorization …" has no valid header name'],
    ['a secret given as the method', ['-X', SECRET], 'is not an HTTP method'],
    ['a secret given as --max-time', ['--max-time', SECRET], '--max-time takes a positive number of seconds'],
    ['a secret given as --expires', ['--presign', '--expires', TOKEN], '--expires takes a whole number from 1 to 604800, got "[redacted]"'],
    ['a secret-named assignment given as --max-time', ['--max-time', 'secret=hunter2'], 'got "secret=[redacted]"'],
  ])('%s: the usage error names the argument without the secret', async (_name, argv, message) => {
    const result = await cli([...SCOPE, ...argv, 'https://bucket.s3.amazonaws.com/k']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(message);
    expect(leaks(result.stderr)).toEqual([]);
  });

  it('-v: a session token and a signature in the URL are redacted on the request line and in the canonical request', async () => {
    await fixture.useHome(LONG_TERM);
    const query = `X-Amz-Security-Token=${encodeURIComponent(TOKEN)}&X-Amz-Signature=${SIGNATURE}&list-type=2`;
    const result = await cli([...SCOPE, '-v', `${fixture.server.origin}/b/user@example.com?${query}`]);
    const lines = result.stderr.split('\n');
    expect(lines).toContain('> GET /b/user@example.com?X-Amz-Security-Token=[redacted]&X-Amz-Signature=[redacted]&list-type=2 HTTP/1.1');
    expect(lines).toContain('*   X-Amz-Security-Token=[redacted]&X-Amz-Signature=[redacted]&list-type=2');
    expect(leaks(result.stderr)).toEqual([]);
  });

  it('-v: the canonical request of a request without secrets in its URL is shown unchanged', async () => {
    await fixture.useHome(LONG_TERM);
    const result = await cli([...SCOPE, '-v', `${fixture.server.origin}/b/k?prefix=a&list-type=2`]);
    expect(result.code).toBe(0);
    const lines = result.stderr.split('\n');
    const canonical = lines.slice(lines.indexOf('* Canonical request:') + 1, lines.indexOf('* String to sign:'));
    expect(canonical.slice(0, 3)).toEqual(['*   GET', '*   /b/k', '*   list-type=2&prefix=a']);
    expect(lines).toContain('> GET /b/k?prefix=a&list-type=2 HTTP/1.1');
  });
});

describe('the printable rule, for any text around a secret', () => {
  const secret = fc.constantFrom(SECRET, TOKEN, SIGNATURE);
  const around = fc.string({ maxLength: 60 }).filter((t) => ![SECRET, TOKEN, SIGNATURE].some((x) => t.includes(x.slice(0, 12))));
  const parameter = fc.constantFrom('X-Amz-Signature', 'x-amz-security-token', 'Signature', 'AWSAccessKeyId', 'X-Amz-Credential', 'sig', 'access_token');

  it('quotedArgument never repeats a secret longer than a word of a message, whatever surrounds it', () => {
    fc.assert(
      fc.property(around, secret, around, (before, value, after) => {
        expect(leaks(quotedArgument(`${before}${value}${after}`))).toEqual([]);
      }),
      { numRuns: RUNS },
    );
  });

  it('quotedUrl and printableTarget never repeat a secret in the user info or a secret parameter of any URL or target', () => {
    fc.assert(
      fc.property(fc.constantFrom('http://', 'https:/', 'ftp://', ''), fc.constantFrom('', 'AKIDCLITEST:'), secret, fc.webPath(), parameter, secret, (scheme, user, userSecret, path, name, value) => {
        expect(leaks(quotedUrl(`${scheme}${user}${encodeURIComponent(userSecret)}@host${path}?a=1&${name}=${encodeURIComponent(value)}`))).toEqual([]);
        expect(leaks(printableTarget(`${path}?${name}=${value}&b=2`))).toEqual([]);
      }),
      { numRuns: RUNS },
    );
  });
});
