/**
 * No secret in a URL error (issue 14): `ERR_AWS4_INVALID_URL` shows a short URL, but never its user info or
 * the values of `X-Amz-Signature`, `X-Amz-Credential` and `X-Amz-Security-Token`, in any letter case,
 * percent-encoded or not, in well-formed and malformed URLs (`https:/user:secret@host`, backslashes, no `?`).
 * The secrets below are registered in test/helpers/secrets.ts, so the suite-wide scan checks every error too.
 *
 * Bounded for CI; `URL_REDACTION_RUNS=50000` runs it at scale.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AWS4AuthError, signRequest } from '../../src/signer/index.js';
import { redactParameters, redactUrl } from '../../src/signer/url-redaction.js';

const RUNS = Number(process.env['URL_REDACTION_RUNS'] ?? 500);

const USERINFO_SECRET = 'url/userinfo/secret/0123456789abcdefghij';
const SIGNATURE = 'f0e1d2c3b4a5968778695a4b3c2d1e0ff0e1d2c3b4a5968778695a4b3c2d1e0f';
const SESSION_TOKEN = 'URL+REDACTION/SESSION=token';
const CREDENTIAL = 'AKIDURLREDACTION/20150830/us-east-1/s3/aws4_request';
const SECRETS = [USERINFO_SECRET, SIGNATURE, SESSION_TOKEN, CREDENTIAL];

const options = { credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' }, region: 'us-east-1', service: 's3' };

/** Every form in which a secret could be read back from a text: as is, encoded once or twice, or its longest run of plain characters. */
function leaks(text: string): string[] {
  const forms = SECRETS.flatMap((secret) => [secret, encodeURIComponent(secret), encodeURIComponent(encodeURIComponent(secret)), ...secret.split(/[/+=]/).filter((run) => run.length >= 14)]);
  return forms.filter((form) => text.toLowerCase().includes(form.toLowerCase()));
}

/** Spells a parameter name in random letter case, with random characters percent-encoded (once or twice). */
function spelled(name: string): fc.Arbitrary<string> {
  return fc.array(fc.tuple(fc.boolean(), fc.constantFrom(0, 0, 0, 1, 2)), { minLength: name.length, maxLength: name.length }).map((choices) =>
    [...name]
      .map((char, i) => {
        const [upper, encoding] = choices[i] as [boolean, number];
        const cased = upper ? char.toUpperCase() : char.toLowerCase();
        const hex = `%${cased.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`;
        return encoding === 0 ? cased : encoding === 1 ? hex : hex.replace('%', '%25');
      })
      .join(''),
  );
}

const secretParameter = fc.oneof(
  fc.tuple(spelled('X-Amz-Signature'), fc.constant(SIGNATURE)),
  fc.tuple(spelled('X-Amz-Security-Token'), fc.constantFrom(SESSION_TOKEN, encodeURIComponent(SESSION_TOKEN))),
  fc.tuple(spelled('X-Amz-Credential'), fc.constantFrom(CREDENTIAL, encodeURIComponent(CREDENTIAL))),
  // SigV2 presigned URLs, other clouds' presigned URLs and other token spellings.
  fc.tuple(fc.constantFrom('Signature', 'X-Goog-Signature', 'sig', 'x-oss-signature'), fc.constant(SIGNATURE)).chain(([name, value]) => fc.tuple(spelled(name), fc.constant(value))),
  fc.tuple(fc.constantFrom('AWSAccessKeyId', 'X-Goog-Credential', 'OSSAccessKeyId'), fc.constantFrom(CREDENTIAL, encodeURIComponent(CREDENTIAL))).chain(([name, value]) => fc.tuple(spelled(name), fc.constant(value))),
  fc.tuple(fc.constantFrom('x-amz-security-token', 'SecurityToken', 'access_token', 'SessionToken', 'x-goog-security-token'), fc.constantFrom(SESSION_TOKEN, encodeURIComponent(SESSION_TOKEN))).chain(([name, value]) =>
    fc.tuple(spelled(name), fc.constant(value)),
  ),
);

/** A URL, well-formed or not, carrying secrets in its user info and in its query, path or fragment. */
const urlWithSecrets = fc
  .record({
    scheme: fc.constantFrom('https://', 'https:/', 'https:', 'https:\\\\', 'HTTPS://', 'htps://', 'http:///', ''),
    userInfo: fc.constantFrom('', `user:${USERINFO_SECRET}@`, `${USERINFO_SECRET}@`, `AKID:${USERINFO_SECRET}@`, `u:${encodeURIComponent(USERINFO_SECRET)}%40`),
    host: fc.constantFrom('host', 'bucket.s3.amazonaws.com', '[::1', 'h st', ''),
    path: fc.constantFrom('', '/', '/a/b', '/a=b/'),
    lead: fc.constantFrom('?', '&', '#', ';', '/', '?a=1&'),
    parameter: secretParameter,
    equals: fc.constantFrom('=', '%3D', '%253d'),
  })
  .map(({ scheme, userInfo, host, path, lead, parameter: [name, value], equals }) => `${scheme}${userInfo}${host}${path}${lead}${name}${equals}${value}`);

describe('URL errors never repeat a secret', () => {
  it('redactUrl removes user info and secret parameter values from any URL, however spelled or malformed', () => {
    fc.assert(
      fc.property(urlWithSecrets, (url) => {
        expect(leaks(redactUrl(url))).toEqual([]);
      }),
      { numRuns: RUNS },
    );
  }, 30_000 + RUNS * 5);

  it('signRequest refuses such URLs with ERR_AWS4_INVALID_URL and a message without the secret', () => {
    fc.assert(
      fc.property(urlWithSecrets, (url) => {
        let error: unknown;
        try {
          signRequest({ method: 'GET', url }, options);
        } catch (caught) {
          error = caught;
        }
        // Some of these are valid URLs and are signed: there is then no message to check.
        if (error === undefined) return;
        expect(error).toBeInstanceOf(AWS4AuthError);
        expect(leaks(String((error as Error).message))).toEqual([]);
      }),
      { numRuns: RUNS },
    );
  }, 30_000 + RUNS * 5);

  it('the typo https:/ with a secret key in the user info says what was wrong without the key', () => {
    const url = `https:/AKID:${USERINFO_SECRET}@h/?X-Amz-Signature=${SIGNATURE.slice(0, 20)}`;
    expect(url.length).toBeLessThanOrEqual(100); // short enough to be shown in the message
    let message = '';
    try {
      signRequest({ method: 'GET', url }, options);
    } catch (error) {
      expect((error as AWS4AuthError).code).toBe('ERR_AWS4_INVALID_URL');
      message = (error as Error).message;
    }
    expect(message).toContain('https:[redacted]@h/?X-Amz-Signature=[redacted]');
    expect(leaks(message)).toEqual([]);
    expect(message).not.toContain(SIGNATURE.slice(0, 20));
  });

  it('redacts a SigV2 presigned URL: AWSAccessKeyId and Signature (the red team\'s example)', () => {
    const url = `https:/h/k?AWSAccessKeyId=AKIDEXAMPLE&Expires=1700000000&Signature=${encodeURIComponent(SESSION_TOKEN)}`;
    expect(redactUrl(url)).toBe('https:/h/k?AWSAccessKeyId=[redacted]&Expires=1700000000&Signature=[redacted]');
    let message = '';
    try {
      signRequest({ method: 'GET', url }, options);
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain('Signature=[redacted]');
    expect(leaks(message)).toEqual([]);
  });

  it('sig is secret only as a name of its own, not as the end of another word', () => {
    expect(redactUrl(`https://acct.blob.core.windows.net/c/b?sv=2022&sig=${SIGNATURE}`)).toBe('https://acct.blob.core.windows.net/c/b?sv=2022&sig=[redacted]');
    expect(redactUrl('https://h/?rsig=1&config=2')).toBe('https://h/?rsig=1&config=2');
  });

  it('redactParameters redacts a request target\'s secret parameters and keeps an @ in its path', () => {
    expect(redactParameters(`/bucket/user@example.com/k?X-Amz-Security-Token=${encodeURIComponent(SESSION_TOKEN)}&x=1`)).toBe('/bucket/user@example.com/k?X-Amz-Security-Token=[redacted]&x=1');
  });

  it('leaves a URL without secrets readable', () => {
    expect(redactUrl('htps://bucket.s3.amazonaws.com/a/b?list-type=2&prefix=x')).toBe('htps://bucket.s3.amazonaws.com/a/b?list-type=2&prefix=x');
  });

  it('runs in linear time on long inputs', () => {
    const long = `https://h/?${'a=%3D&'.repeat(20_000)}X-Amz-Signature=${SIGNATURE}`;
    expect(leaks(redactUrl(long))).toEqual([]);
  });
});
