import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { LONG_TERM, logForSecretScan, PROFILE, runCli, TEMPORARY, useCliFixture } from './support.js';

const fixture = useCliFixture();
const SCOPE = ['--service', 'es', '--region', 'eu-west-1'];
/** Runs of the end-to-end --verbose properties (each run is one signed request); CLI_VERBOSE_RUNS for more. */
const VERBOSE_RUNS = Math.max(1, Math.round(Number(process.env['CLI_VERBOSE_RUNS'] ?? 200) / 10));
/** An SSE-C customer key (base64 of 32 bytes), registered with the secret scan by its name. */
const SSE_C_KEY_SECRET = 'Y2xpLXZlcmJvc2UtdGVzdC1zc2UtYy1rZXktMzJieXQ=';
/** An S3 Express session token, registered with the secret scan by its name. */
const S3_EXPRESS_SESSION_TOKEN = 'CLI+S3EXPRESS/SESSION=token-0123';

function only() {
  expect(fixture.server.requests).toHaveLength(1);
  const [received] = fixture.server.requests;
  expect(received?.problem).toBeUndefined();
  expect(received?.verified).toBe(true);
  return received!;
}

describe('got-aws4auth: requests the verifying server accepts', () => {
  it('sends a signed GET and writes the response body to stdout byte for byte', async () => {
    const body = Buffer.from([0, 1, 2, 0xff, 0xfe, 0x0a, 0x0d]);
    fixture.server.respond((_request, response) => void response.end(body));
    const result = await runCli([...SCOPE, `${fixture.server.origin}/_cat/indices?v=true&h=a b`]);
    expect(result.code).toBe(0);
    expect(result.stdout.equals(body)).toBe(true);
    expect(result.stderr).toBe('');
    const received = only();
    expect(received.method).toBe('GET');
    expect(received.target).toBe('/_cat/indices?v=true&h=a%20b');
    expect([received.accessKeyId, received.region, received.service]).toEqual([LONG_TERM.accessKeyId, 'eu-west-1', 'es']);
  });

  it('POSTs -d text as a form body, and joins repeated -d with &', async () => {
    expect((await runCli([...SCOPE, '-d', 'a=1', `${fixture.server.origin}/form`])).code).toBe(0);
    expect((await runCli([...SCOPE, '-d', 'a=1', '-d', 'b=2', `${fixture.server.origin}/form`])).code).toBe(0);
    expect(fixture.server.requests.map((r) => [r.method, r.body.toString(), r.headers['content-type'], r.verified])).toEqual([
      ['POST', 'a=1', 'application/x-www-form-urlencoded', true],
      ['POST', 'a=1&b=2', 'application/x-www-form-urlencoded', true],
    ]);
  });

  it('sends -d @file unchanged, newlines included, with its length', async () => {
    const file = join(fixture.dir, 'body.ndjson');
    const contents = '{"index":{}}\n{"a":1}\r\n';
    await writeFile(file, contents);
    expect((await runCli([...SCOPE, '-d', `@${file}`, `${fixture.server.origin}/_bulk`])).code).toBe(0);
    const received = only();
    expect(received.body.toString()).toBe(contents);
    expect(received.headers['content-length']).toBe(String(Buffer.byteLength(contents)));
  });

  it('reads the body from stdin for -d @-', async () => {
    expect((await runCli([...SCOPE, '--data-binary', '@-', `${fixture.server.origin}/stdin`], { stdin: 'from stdin ✓' })).code).toBe(0);
    expect(only().body.toString()).toBe('from stdin ✓');
  });

  it('sends --json with content-type and accept application/json, from text or @file', async () => {
    const file = join(fixture.dir, 'query.json');
    await writeFile(file, '{"query":{"match_all":{}}}');
    expect((await runCli([...SCOPE, '--json', '{"a":1}', `${fixture.server.origin}/json`])).code).toBe(0);
    expect((await runCli([...SCOPE, '--json', `@${file}`, `${fixture.server.origin}/json`])).code).toBe(0);
    expect(fixture.server.requests.map((r) => [r.method, r.body.toString(), r.headers['content-type'], r.headers.accept, r.verified])).toEqual([
      ['POST', '{"a":1}', 'application/json', 'application/json', true],
      ['POST', '{"query":{"match_all":{}}}', 'application/json', 'application/json', true],
    ]);
  });

  it('signs the -H headers it sends, sends "Name;" empty, lets -H replace a default, and removes a header given as "Name:"', async () => {
    const result = await runCli([...SCOPE, '-H', 'X-Custom: one two', '-H', 'X-Empty;', '-H', 'Content-Type: application/x-ndjson', '-H', 'User-Agent:', '-d', 'x', `${fixture.server.origin}/h`]);
    expect(result.code).toBe(0);
    const received = only();
    expect(received.headers['x-custom']).toBe('one two');
    expect(received.headers['x-empty']).toBe('');
    expect(received.headers['content-type']).toBe('application/x-ndjson');
    expect(received.headers['user-agent']).toBeUndefined();
    expect(received.headers.authorization).toMatch(/SignedHeaders=[^,]*x-custom/);
  });

  it('uses -X as the method, sending an empty body with its length for a POST without data', async () => {
    expect((await runCli([...SCOPE, '-X', 'delete', `${fixture.server.origin}/index`])).code).toBe(0);
    expect((await runCli([...SCOPE, '-X', 'POST', `${fixture.server.origin}/_refresh`])).code).toBe(0);
    expect(fixture.server.requests.map((r) => [r.method, r.headers['content-length'], r.body.length, r.verified])).toEqual([
      ['DELETE', undefined, 0, true],
      ['POST', '0', 0, true],
    ]);
  });

  it('writes compressed bytes as they come, and asks for and decompresses them only with --compressed', async () => {
    fixture.server.respond((request, response) => {
      const wantsGzip = /gzip/.test(request.headers['accept-encoding'] ?? '');
      response.setHeader('content-encoding', 'gzip');
      response.end(gzipSync(wantsGzip ? 'asked for gzip' : 'gzip anyway'));
    });
    const raw = await runCli([...SCOPE, `${fixture.server.origin}/z`]);
    expect(gunzipSync(raw.stdout).toString()).toBe('gzip anyway');
    const decompressed = await runCli([...SCOPE, '--compressed', `${fixture.server.origin}/z`]);
    expect(decompressed.stdout.toString()).toBe('asked for gzip');
    expect(fixture.server.requests.every((r) => r.verified)).toBe(true);
  });

  it('prints the status line and headers before the body with -i', async () => {
    fixture.server.respond((_request, response) => {
      response.writeHead(201, 'Created', { 'X-Answer': '42', 'Content-Type': 'text/plain' });
      response.end('made');
    });
    const result = await runCli([...SCOPE, '-i', `${fixture.server.origin}/i`]);
    expect(result.code).toBe(0);
    const text = result.stdout.toString();
    expect(text).toMatch(/^HTTP\/1\.1 201 Created\r\n/);
    expect(text).toContain('X-Answer: 42\r\n');
    expect(text.endsWith('\r\n\r\nmade')).toBe(true);
  });

  it('writes the body to the -o file and nothing to stdout', async () => {
    const body = Buffer.alloc(100_000, 7);
    fixture.server.respond((_request, response) => void response.end(body));
    const out = join(fixture.dir, 'out.bin');
    const result = await runCli([...SCOPE, '-o', out, `${fixture.server.origin}/o`]);
    expect(result.code).toBe(0);
    expect(result.stdout.length).toBe(0);
    expect((await readFile(out)).equals(body)).toBe(true);
  });

  it('exits 22 with --fail for a status of 400 or more, printing no body; without --fail it prints the body and exits 0', async () => {
    fixture.server.respond((_request, response) => {
      response.statusCode = 403;
      response.end('{"message":"denied"}');
    });
    const failed = await runCli([...SCOPE, '--fail', `${fixture.server.origin}/denied`]);
    expect(failed.code).toBe(22);
    expect(failed.stdout.length).toBe(0);
    expect(failed.stderr).toContain('403');
    const plain = await runCli([...SCOPE, `${fixture.server.origin}/denied`]);
    expect(plain.code).toBe(0);
    expect(plain.stdout.toString()).toBe('{"message":"denied"}');
  });

  it('does not follow redirects unless -L, and signs the followed request', async () => {
    fixture.server.respond((request, response) => {
      if (request.target === '/from') {
        response.writeHead(302, { location: '/to' });
        response.end();
      } else response.end('arrived');
    });
    const stay = await runCli([...SCOPE, `${fixture.server.origin}/from`]);
    expect([stay.code, stay.stdout.toString()]).toEqual([0, '']);
    const follow = await runCli([...SCOPE, '-L', `${fixture.server.origin}/from`]);
    expect([follow.code, follow.stdout.toString()]).toEqual([0, 'arrived']);
    expect(fixture.server.requests.map((r) => [r.target, r.verified])).toEqual([
      ['/from', true],
      ['/from', true],
      ['/to', true],
    ]);
  });

  it('signs UNSIGNED-PAYLOAD and says so in x-amz-content-sha256 with --unsigned-payload', async () => {
    expect((await runCli([...SCOPE, '--unsigned-payload', '-d', 'not hashed', `${fixture.server.origin}/u`])).code).toBe(0);
    const received = only();
    expect(received.headers['x-amz-content-sha256']).toBe('UNSIGNED-PAYLOAD');
    expect(received.body.toString()).toBe('not hashed');
  });
});

describe('got-aws4auth: credentials', () => {
  it('signs with temporary credentials from the environment and sends the session token', async () => {
    await fixture.useHome(TEMPORARY);
    expect((await runCli([...SCOPE, `${fixture.server.origin}/t`])).code).toBe(0);
    const received = only();
    expect(received.accessKeyId).toBe(TEMPORARY.accessKeyId);
    expect(received.headers['x-amz-security-token']).toBe(TEMPORARY.sessionToken);
  });

  it('signs with the --profile credentials, ignoring the default profile', async () => {
    await fixture.useHome(undefined, {
      credentials: `[default]\naws_access_key_id = AKIDWRONG\naws_secret_access_key = wrong\n\n[cli]\naws_access_key_id = ${PROFILE.accessKeyId}\naws_secret_access_key = ${PROFILE.secretAccessKey}\n`,
    });
    expect((await runCli([...SCOPE, '--profile', 'cli', `${fixture.server.origin}/p`])).code).toBe(0);
    expect(only().accessKeyId).toBe(PROFILE.accessKeyId);
  });

  it('takes the region from the --profile config when neither --region nor the host gives one', async () => {
    await fixture.useHome(undefined, {
      config: '[profile cli]\nregion = ap-southeast-2\n',
      credentials: `[cli]\naws_access_key_id = ${PROFILE.accessKeyId}\naws_secret_access_key = ${PROFILE.secretAccessKey}\n`,
    });
    expect((await runCli(['--service', 'es', '--profile', 'cli', `${fixture.server.origin}/r`])).code).toBe(0);
    expect(only().region).toBe('ap-southeast-2');
  });
});

describe('got-aws4auth --verbose', () => {
  it('prints the canonical request, string to sign and signed header names on stderr, and nothing secret', async () => {
    await fixture.useHome(TEMPORARY);
    const result = await runCli([...SCOPE, '-v', '-d', 'q=1', `${fixture.server.origin}/search?b=2&a=1`]);
    expect(result.code).toBe(0);
    expect(result.stdout.toString()).toBe('ok');
    const received = only();
    const lines = result.stderr.split('\n');
    const canonical = lines.slice(lines.indexOf('* Canonical request:') + 1, lines.indexOf('* String to sign:'));
    expect(canonical.slice(0, 3)).toEqual(['*   POST', '*   /search', '*   a=1&b=2']);
    expect(canonical).toContain(`*   host:127.0.0.1:${fixture.server.port}`);
    expect(canonical).toContain('*   x-amz-security-token:<redacted>');
    const signedHeaders = /SignedHeaders=([^,]+)/.exec(received.headers.authorization ?? '')?.[1];
    expect(result.stderr).toContain(`* Signed headers: ${signedHeaders}`);
    expect(result.stderr).toMatch(/\* String to sign:\n\* {3}AWS4-HMAC-SHA256\n\* {3}\d{8}T\d{6}Z\n\* {3}\d{8}\/eu-west-1\/es\/aws4_request\n\* {3}[0-9a-f]{64}\n/);
    expect(result.stderr).toContain('> POST /search?b=2&a=1 HTTP/1.1');
    expect(result.stderr).toContain('> x-amz-security-token: <redacted>');
    expect(result.stderr).toMatch(/> authorization: AWS4-HMAC-SHA256 Credential=ASIACLITEST\/\d{8}\/eu-west-1\/es\/aws4_request, SignedHeaders=[^,]+, Signature=<redacted>/);
    expect(result.stderr).toContain('< HTTP/1.1 200 OK');
    for (const secret of [TEMPORARY.secretAccessKey, TEMPORARY.sessionToken, encodeURIComponent(TEMPORARY.sessionToken), 'fake-token']) expect(result.stderr).not.toContain(secret);
    const signature = /Signature=([0-9a-f]{64})/.exec(received.headers.authorization ?? '')?.[1];
    expect(signature).toBeDefined();
    expect(result.stderr).not.toContain(signature);
  });

  it('prints SSE-C keys, S3 Express session tokens and a header holding the session token as <redacted> in the canonical request and the > head alike, whatever the letter case of their names (red-team F2)', async () => {
    await fixture.useHome(TEMPORARY);
    const secretHeaders = ['x-amz-server-side-encryption-customer-key', 'x-amz-copy-source-server-side-encryption-customer-key', 'x-amz-s3session-token'] as const;
    const values = [SSE_C_KEY_SECRET, SSE_C_KEY_SECRET, S3_EXPRESS_SESSION_TOKEN];
    await fc.assert(
      fc.asyncProperty(fc.tuple(...secretHeaders.map((name) => fc.mixedCase(fc.constant(name)))), fc.mixedCase(fc.constant('X-Custom-Auth')), async (names, custom) => {
        fixture.server.requests.length = 0;
        const headers = names.flatMap((name, i) => ['-H', `${name}: ${values[i]}`]);
        const result = await runCli([...SCOPE, '-v', ...headers, '-H', `${custom}: Bearer ${TEMPORARY.sessionToken}`, `${fixture.server.origin}/b/k`]);
        logForSecretScan(result.stderr);
        expect(result.code).toBe(0);
        expect(only().verified).toBe(true);
        const lines = result.stderr.split('\n');
        for (const name of [...secretHeaders, 'x-amz-security-token']) {
          expect(lines).toContain(`*   ${name}:<redacted>`);
          expect(lines).toContain(`> ${name}: <redacted>`);
        }
        expect(lines).toContain('*   x-custom-auth:Bearer <redacted>');
        expect(lines).toContain('> x-custom-auth: Bearer <redacted>');
        for (const secret of [SSE_C_KEY_SECRET, S3_EXPRESS_SESSION_TOKEN, TEMPORARY.sessionToken, TEMPORARY.secretAccessKey]) {
          expect(result.stderr).not.toContain(secret);
          expect(result.stderr).not.toContain(encodeURIComponent(secret));
        }
      }),
      { numRuns: VERBOSE_RUNS },
    );
  });

  it('prints response headers with the same rule: a presigned Location loses its signature and token, a header holding the session token loses it', async () => {
    await fixture.useHome(TEMPORARY);
    const signature = 'f0e1d2c3b4a5968778695a4b3c2d1e0ff0e1d2c3b4a5968778695a4b3c2d1e0f';
    const location = `https://b.s3.amazonaws.com/k?X-Amz-Security-Token=${encodeURIComponent(TEMPORARY.sessionToken)}&X-Amz-Signature=${signature}`;
    fixture.server.respond((_request, response) => {
      response.writeHead(302, { Location: location, 'X-Echo': `saw ${TEMPORARY.sessionToken}`, 'X-Amz-Server-Side-Encryption-Customer-Key': SSE_C_KEY_SECRET });
      response.end();
    });
    const verbose = await runCli([...SCOPE, '-v', `${fixture.server.origin}/redirect`]);
    logForSecretScan(verbose.stderr);
    const lines = verbose.stderr.split('\n');
    expect(lines).toContain('< HTTP/1.1 302 Found');
    expect(lines).toContain('< Location: https://b.s3.amazonaws.com/k?X-Amz-Security-Token=<redacted>&X-Amz-Signature=[redacted]');
    expect(lines).toContain('< X-Echo: saw <redacted>');
    expect(lines).toContain('< X-Amz-Server-Side-Encryption-Customer-Key: <redacted>');
    for (const secret of [signature, SSE_C_KEY_SECRET, TEMPORARY.sessionToken, encodeURIComponent(TEMPORARY.sessionToken)]) expect(verbose.stderr).not.toContain(secret);
  });

  it('with -L, prints each redirect response head before the next hop, by the same rule', async () => {
    await fixture.useHome(TEMPORARY);
    fixture.server.respond((request, response) => {
      if (request.target === '/from') {
        response.writeHead(302, { location: `/to?X-Amz-Signature=${'a'.repeat(64)}` });
        response.end();
      } else response.end('arrived');
    });
    const result = await runCli([...SCOPE, '-v', '-L', `${fixture.server.origin}/from`]);
    expect(result.code).toBe(0);
    const heads = result.stderr.split('\n').filter((line) => /^(?:> GET|< HTTP|< location)/.test(line));
    expect(heads).toEqual(['> GET /from HTTP/1.1', '< HTTP/1.1 302 Found', '< location: /to?X-Amz-Signature=[redacted]', '> GET /to?X-Amz-Signature=[redacted] HTTP/1.1', '< HTTP/1.1 200 OK']);
  });
});
