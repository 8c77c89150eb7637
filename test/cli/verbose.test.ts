/**
 * The one rule for header values in `--verbose` output (src/cli/printable-headers.ts), checked on the three
 * blocks that print headers: the canonical request (`formatSigning`), the `>` request head
 * (`formatRequestHead`) and the `<` response head (`formatResponseHead`). Red-team pass 3 finding F2: SSE-C
 * customer keys and S3 Express session tokens were printed in full, and a header whose value held the session
 * token was redacted in one block and not in the other. The secrets are those registered in
 * test/helpers/secrets.ts (listed and discovered); every formatted block is also written through console.log so the suite's secret
 * scan reads it. `CLI_VERBOSE_RUNS` runs the properties at scale (default 200 each).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatRequestHead, formatResponseHead, formatSigning } from '../../src/cli/verbose.js';
import { secretRegistry } from '../helpers/secrets.js';

const RUNS = Number(process.env['CLI_VERBOSE_RUNS'] ?? 200);

/** Headers whose value is a credential, as the plugin's error redaction names them. */
const SECRET_HEADERS = [
  'x-amz-security-token',
  'x-amz-s3session-token',
  'x-amz-server-side-encryption-customer-key',
  'x-amz-copy-source-server-side-encryption-customer-key',
  'proxy-authorization',
] as const;
/** Headers near them that are not secret: printed as they are. */
const PLAIN_HEADERS = [
  ['x-amz-server-side-encryption-customer-key-MD5', 'kQ7mZ9r3p0uZ0F4q1rC2Sw=='],
  ['x-amz-server-side-encryption-customer-algorithm', 'AES256'],
  ['content-type', 'application/json'],
  ['x-amz-date', '20260601T000000Z'],
] as const;

/**
 * Every registered secret (the SSE-C keys of test/got/error-redaction.test.ts among them) long enough to be
 * hidden wherever it appears (shorter ones are hidden by header name only); not the X-Amz-Credential values,
 * which are credential scopes, not secrets.
 */
const SECRETS = secretRegistry()
  .secrets.map((s) => s.value)
  .filter((value) => value.length >= 8 && !/\s/.test(value) && !value.endsWith('/aws4_request'));
const secret = fc.constantFrom(...SECRETS);
const anyCase = (name: string) => fc.mixedCase(fc.constant(name));
/** Text around a secret in another header's value: no secret of its own, no line breaks. */
const around = fc.string({ maxLength: 20 }).map((t) => t.replace(/[\r\n]/g, ' '));

const SIGNATURE = 'f0e1d2c3b4a5968778695a4b3c2d1e0ff0e1d2c3b4a5968778695a4b3c2d1e0f';
const AUTHORIZATION = `AWS4-HMAC-SHA256 Credential=ASIACLITEST/20260601/eu-central-1/es/aws4_request, SignedHeaders=host;x-amz-date, Signature=${SIGNATURE}`;

/** Each block as `--verbose` prints it for the same headers (the canonical request with lower-case names, as the signer writes them). */
function blocks(headers: ReadonlyArray<readonly [string, string]>, sessionToken?: string): { canonical: string; request: string; response: string } {
  const canonicalRequest = ['GET', '/b/k', '', ...headers.map(([n, v]) => `${n.toLowerCase()}:${v.trim()}`), '', 'host', 'UNSIGNED-PAYLOAD'].join('\n');
  const info = { canonicalRequest, stringToSign: 'AWS4-HMAC-SHA256\n20260601T000000Z\n20260601/eu-central-1/es/aws4_request\n00', signedHeaders: 'host' };
  const record: Record<string, string[]> = {};
  for (const [name, value] of headers) (record[name] ??= []).push(value);
  const printed = {
    canonical: formatSigning(info, 'ASIACLITEST', sessionToken),
    request: formatRequestHead('GET', '/b/k', record, sessionToken),
    response: formatResponseHead({ httpVersion: '1.1', statusCode: 200, rawHeaders: headers.flat() }, 'verbose', sessionToken),
  };
  console.log(Object.values(printed).join('\n'));
  return printed;
}

function leaked(text: string, value: string): boolean {
  return text.includes(value) || text.includes(encodeURIComponent(value));
}

describe('--verbose header values: one rule in the canonical request, the > head and the < head', () => {
  it('a credential header in any letter case prints as <redacted> in all three blocks, never its value', () => {
    fc.assert(
      fc.property(fc.constantFrom(...SECRET_HEADERS).chain(anyCase), secret, (name, value) => {
        const { canonical, request, response } = blocks([['host', '127.0.0.1'], [name, value], ...PLAIN_HEADERS]);
        expect(canonical).toContain(`*   ${name.toLowerCase()}:<redacted>\n`);
        expect(request).toContain(`> ${name}: <redacted>\n`);
        expect(response).toContain(`< ${name}: <redacted>\n`);
        for (const text of [canonical, request, response]) expect(leaked(text, value)).toBe(false);
      }),
      { numRuns: RUNS },
    );
  });

  it("a credential header's value is hidden wherever else it appears, in every block", () => {
    fc.assert(
      fc.property(fc.constantFrom(...SECRET_HEADERS).chain(anyCase), secret, anyCase('x-custom-auth'), around, around, (name, value, other, before, after) => {
        const printed = blocks([[name, value], [other, `${before}${value}${after}`]]);
        for (const text of Object.values(printed)) expect(leaked(text, value)).toBe(false);
      }),
      { numRuns: RUNS },
    );
  });

  it('the session token signed with is hidden in any header, raw or percent-encoded, in every block', () => {
    fc.assert(
      fc.property(secret, anyCase('x-custom-auth'), around, fc.boolean(), (token, name, before, encoded) => {
        const printed = blocks([[name, `${before}Bearer ${encoded ? encodeURIComponent(token) : token}`]], token);
        for (const text of Object.values(printed)) {
          expect(leaked(text, token)).toBe(false);
          expect(text).toContain('Bearer <redacted>');
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('a presigned URL in any header value (a redirect Location) loses its signature and token in every block', () => {
    fc.assert(
      fc.property(anyCase('location'), secret, (name, token) => {
        const url = `https://b.s3.amazonaws.com/k?X-Amz-Security-Token=${encodeURIComponent(token)}&X-Amz-Signature=${SIGNATURE}&x-id=GetObject`;
        const printed = blocks([[name, url]]);
        for (const text of Object.values(printed)) {
          expect(text).toContain('X-Amz-Signature=[redacted]');
          expect(leaked(text, token) || text.includes(SIGNATURE)).toBe(false);
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('an AWS Authorization in any letter case keeps its credential scope and signed headers, and loses its signature', () => {
    fc.assert(
      fc.property(anyCase('authorization'), (name) => {
        const { request, response } = blocks([[name, AUTHORIZATION]]);
        const shown = 'AWS4-HMAC-SHA256 Credential=ASIACLITEST/20260601/eu-central-1/es/aws4_request, SignedHeaders=host;x-amz-date, Signature=<redacted>';
        expect(request).toContain(`> ${name}: ${shown}\n`);
        expect(response).toContain(`< ${name}: ${shown}\n`);
      }),
      { numRuns: Math.min(RUNS, 50) },
    );
  });

  it('any other Authorization (Basic, Bearer, a malformed AWS one) is <redacted> whole', () => {
    for (const value of [`Bearer ${SECRETS[0]}`, `Basic ${Buffer.from(`u:${SECRETS[1]}`).toString('base64')}`, `${AUTHORIZATION}, extra=${SECRETS[0]}`]) {
      const { request } = blocks([['Authorization', value]]);
      expect(request).toContain('> Authorization: <redacted>\n');
    }
  });

  it('headers that carry no credential are printed as they are, in every block', () => {
    const { canonical, request, response } = blocks(PLAIN_HEADERS);
    for (const [name, value] of PLAIN_HEADERS) {
      expect(canonical).toContain(`*   ${name.toLowerCase()}:${value}\n`);
      expect(request).toContain(`> ${name}: ${value}\n`);
      expect(response).toContain(`< ${name}: ${value}\n`);
    }
  });

  it('a header whose name only contains "token" hides its own value but not short text elsewhere', () => {
    const { request } = blocks([['x-token-count', '1'], ['x-request-id', 'a1b2']]);
    expect(request).toContain('> x-token-count: <redacted>\n');
    expect(request).toContain('> x-request-id: a1b2\n');
  });

  it('-i (the response head on stdout, the output asked for) is written as received', () => {
    const rawHeaders = ['Location', `https://b.s3.amazonaws.com/k?X-Amz-Signature=${SIGNATURE}`, 'Content-Length', '0'];
    expect(formatResponseHead({ httpVersion: '1.1', statusCode: 302, statusMessage: 'Found', rawHeaders }, 'include')).toBe(
      `HTTP/1.1 302 Found\r\nLocation: ${rawHeaders[1]}\r\nContent-Length: 0\r\n\r\n`,
    );
  });
});
