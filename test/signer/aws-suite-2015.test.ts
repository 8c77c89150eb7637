import { describe, expect, it } from 'vitest';
import { signRequest, parseAmzDate } from '../../src/signer/index.js';
import { loadSuite2015, headerValue, SUITE_CREDENTIALS, type SuiteCase } from '../helpers/vectors.js';

const SESSION_TOKEN_HEADER = 'x-amz-security-token';

function signSuiteCase(testCase: SuiteCase) {
  const { method, target, headers, body } = testCase.request;
  const host = headerValue(headers, 'host') as string;
  const date = parseAmzDate(headerValue(headers, 'x-amz-date') as string);
  const tokenBefore = headerValue(headers, SESSION_TOKEN_HEADER);
  const tokenAfter = testCase.name.endsWith('post-sts-header-after')
    ? /X-Amz-Security-Token:(.*)/.exec(testCase.sreq ?? '')?.[1]
    : undefined;
  const requestHeaders = Object.fromEntries(Object.entries(headers).filter(([name]) => name.toLowerCase() !== SESSION_TOKEN_HEADER));
  return signRequest(
    { method, url: `https://${host}${target}`, headers: requestHeaders, body: body.length > 0 ? body : undefined },
    {
      credentials: { ...SUITE_CREDENTIALS, sessionToken: tokenBefore ?? tokenAfter },
      region: 'us-east-1',
      service: 'service',
      date,
      signSessionToken: tokenAfter === undefined,
    },
  );
}

describe('the AWS SigV4 test suite (2015 edition)', () => {
  const cases = loadSuite2015();

  it('has every case of the suite on disk', () => {
    expect(cases.length).toBeGreaterThanOrEqual(30);
  });

  describe.each(cases.map((c) => [c.name, c] as const))('%s', (_name, testCase) => {
    const signed = signSuiteCase(testCase);

    it('builds the canonical request byte for byte', () => {
      expect(signed.canonicalRequest).toBe(testCase.creq);
    });

    it('builds the string to sign byte for byte', () => {
      expect(signed.stringToSign).toBe(testCase.sts);
    });

    it('produces the Authorization header byte for byte', () => {
      expect(signed.headers.authorization).toBe(testCase.authz);
    });

    if (testCase.sreq !== undefined && !testCase.sreq.includes('\n ')) {
      it('sends every header of the signed request', () => {
        for (const line of (testCase.sreq as string).split('\n').slice(1)) {
          if (line === '' || !line.includes(':')) break;
          const colon = line.indexOf(':');
          const name = line.slice(0, colon).toLowerCase();
          const value = line.slice(colon + 1).trim();
          const sent = signed.headers[name];
          expect(Array.isArray(sent) ? sent.map((v) => v.trim()) : [sent?.trim()]).toContain(value);
        }
      });
    }
  });
});
