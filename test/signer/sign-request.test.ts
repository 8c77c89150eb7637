import { describe, expect, it } from 'vitest';
import { inspect } from 'node:util';
import {
  signRequest,
  AWS4AuthError,
  InvalidHeaderError,
  InvalidUrlError,
  InvalidCredentialsError,
  InvalidDateError,
  InvalidInputError,
  EMPTY_PAYLOAD_HASH,
  hashPayload,
  deriveSigningKey,
  type SignOptions,
} from '../../src/signer/index.js';

const SECRET = 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY';
const TOKEN = 'FQoGZXIvYXdzEXAMPLETOKEN+/=';
const base: SignOptions = {
  credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: SECRET },
  region: 'us-east-1',
  service: 'es',
  date: new Date('2015-08-30T12:36:00Z'),
};
const s3: SignOptions = { ...base, service: 's3' };

function canonicalLines(signed: { canonicalRequest: string }) {
  return signed.canonicalRequest.split('\n');
}

describe('signRequest: the request as it is sent', () => {
  it('returns every header to send with lower-case names, including host, x-amz-date and authorization', () => {
    const signed = signRequest({ method: 'get', url: 'https://example.amazonaws.com/', headers: { 'X-Custom': 'a' } }, base);
    expect(Object.keys(signed.headers).sort()).toEqual(['authorization', 'host', 'x-amz-date', 'x-custom']);
    expect(signed.headers.host).toBe('example.amazonaws.com');
    expect(signed.headers['x-amz-date']).toBe('20150830T123600Z');
    expect(signed.authorization).toBe(signed.headers.authorization);
    expect(canonicalLines(signed)[0]).toBe('GET');
  });

  it('does not modify the request it is given', () => {
    const headers = { 'X-Custom': 'a', Authorization: 'old' };
    const request = { method: 'GET', url: 'https://example.amazonaws.com/', headers };
    signRequest(request, base);
    expect(headers).toEqual({ 'X-Custom': 'a', Authorization: 'old' });
  });

  it('replaces a stale Authorization and X-Amz-Date in any letter case', () => {
    const signed = signRequest({ method: 'GET', url: 'https://example.amazonaws.com/', headers: { AUTHORIZATION: 'AWS4 old', 'X-AMZ-DATE': '20000101T000000Z' } }, base);
    expect(signed.headers['x-amz-date']).toBe('20150830T123600Z');
    expect(signed.headers.authorization).not.toContain('old');
    expect(Object.keys(signed.headers).filter((k) => k === 'authorization')).toHaveLength(1);
  });

  it('puts the port in host only when it is not the default for the scheme', () => {
    expect(signRequest({ method: 'GET', url: 'https://h.example.com:443/' }, base).headers.host).toBe('h.example.com');
    expect(signRequest({ method: 'GET', url: 'http://h.example.com:80/' }, base).headers.host).toBe('h.example.com');
    expect(signRequest({ method: 'GET', url: 'http://h.example.com:443/' }, base).headers.host).toBe('h.example.com:443');
    expect(signRequest({ method: 'GET', url: 'http://127.0.0.1:9000/' }, base).headers.host).toBe('127.0.0.1:9000');
  });

  it('signs IPv6 literals in brackets and never signs user info', () => {
    expect(signRequest({ method: 'GET', url: 'http://[::1]:8080/x' }, base).headers.host).toBe('[::1]:8080');
    const signed = signRequest({ method: 'GET', url: 'https://user:pass@Example.AMAZONAWS.com/' }, base);
    expect(signed.headers.host).toBe('example.amazonaws.com');
    expect(signed.canonicalRequest).not.toContain('pass');
  });

  it('signs the same thing for a URL object and its href', () => {
    const url = new URL('https://example.amazonaws.com/a%20b?x=1&y=%2B');
    expect(signRequest({ method: 'GET', url }, base).authorization).toBe(signRequest({ method: 'GET', url: url.href }, base).authorization);
  });

  it('ignores the fragment of the URL', () => {
    expect(signRequest({ method: 'GET', url: 'https://example.amazonaws.com/a?b=1#frag' }, base).authorization).toBe(
      signRequest({ method: 'GET', url: 'https://example.amazonaws.com/a?b=1' }, base).authorization,
    );
  });
});

describe('signRequest: canonicalisation pitfalls', () => {
  it('sorts the query by encoded key then value, keeps repeated keys and empty values, and signs `key` as `key=`', () => {
    const signed = signRequest({ method: 'GET', url: 'https://e.amazonaws.com/?b=2&a=z&a=y&c&d=' }, base);
    expect(canonicalLines(signed)[2]).toBe('a=y&a=z&b=2&c=&d=');
  });

  it('treats + as a literal plus and encodes spaces as %20', () => {
    const signed = signRequest({ method: 'GET', url: 'https://e.amazonaws.com/?q=a+b c' }, base);
    expect(canonicalLines(signed)[2]).toBe('q=a%2Bb%20c');
  });

  it('does not double-encode query values that are already encoded', () => {
    const raw = signRequest({ method: 'GET', url: 'https://e.amazonaws.com/?k=a b/ሴ' }, base);
    const encoded = signRequest({ method: 'GET', url: 'https://e.amazonaws.com/?k=a%20b%2F%E1%88%B4' }, base);
    expect(canonicalLines(raw)[2]).toBe('k=a%20b%2F%E1%88%B4');
    expect(encoded.authorization).toBe(raw.authorization);
  });

  it('keeps a lone % as a literal percent sign', () => {
    expect(canonicalLines(signRequest({ method: 'GET', url: 'https://e.amazonaws.com/?k=100%' }, base))[2]).toBe('k=100%25');
  });

  it('trims header values and collapses inner whitespace, without treating quotes specially', () => {
    const signed = signRequest({ method: 'GET', url: 'https://e.amazonaws.com/', headers: { 'x-q': '  "a   b"\t c  ' } }, base);
    expect(signed.canonicalRequest).toContain('\nx-q:"a b" c\n');
  });

  it('joins repeated headers with commas in the order given', () => {
    const signed = signRequest({ method: 'GET', url: 'https://e.amazonaws.com/', headers: { 'x-r': ['3', ' 1 ', '2'] } }, base);
    expect(signed.canonicalRequest).toContain('\nx-r:3,1,2\n');
    expect(signed.headers['x-r']).toEqual(['3', ' 1 ', '2']);
  });

  it('normalises and double-encodes paths for services other than S3', () => {
    const signed = signRequest({ method: 'GET', url: 'https://e.amazonaws.com//a/./b/../c%2Fd e' }, base);
    expect(canonicalLines(signed)[1]).toBe('/a/c%252Fd%20e');
  });

  it('signs S3 keys as addressed: no normalisation, encoded exactly once', () => {
    const signed = signRequest({ method: 'GET', url: "https://b.s3.amazonaws.com/a//./b/../c d+!*'()ሴ" }, s3);
    expect(canonicalLines(signed)[1]).toBe('/a//./b/../c%20d%2B%21%2A%27%28%29%E1%88%B4');
    const encoded = signRequest({ method: 'GET', url: 'https://b.s3.amazonaws.com/a//./b/../c%20d%2B%21%2A%27%28%29%E1%88%B4' }, s3);
    expect(encoded.authorization).toBe(signed.authorization);
  });

  it('lets path rules be overridden per call', () => {
    const signed = signRequest({ method: 'GET', url: 'https://e.amazonaws.com/a/../b%20' }, { ...base, normalizePath: false, doubleEncodePath: false });
    expect(canonicalLines(signed)[1]).toBe('/a/../b%20');
  });

  it('signs an empty path as /', () => {
    expect(canonicalLines(signRequest({ method: 'GET', url: 'https://e.amazonaws.com' }, base))[1]).toBe('/');
  });
});

describe('signRequest: payload hashes', () => {
  it('hashes the exact bytes of the body; strings as UTF-8', () => {
    const text = 'héllo ሴ';
    const signed = signRequest({ method: 'POST', url: 'https://e.amazonaws.com/', body: text }, base);
    expect(signed.payloadHash).toBe(hashPayload(Buffer.from(text, 'utf8')));
    expect(signRequest({ method: 'POST', url: 'https://e.amazonaws.com/', body: new TextEncoder().encode(text).buffer as ArrayBuffer }, base).payloadHash).toBe(signed.payloadHash);
  });

  it('hashes only the viewed bytes of a typed-array view', () => {
    const backing = Buffer.from('xxhelloxx');
    expect(hashPayload(new Uint8Array(backing.buffer, backing.byteOffset + 2, 5))).toBe(hashPayload('hello'));
  });

  it('signs the empty hash when there is no body', () => {
    expect(signRequest({ method: 'GET', url: 'https://e.amazonaws.com/' }, base).payloadHash).toBe(EMPTY_PAYLOAD_HASH);
  });

  it('adds and signs x-amz-content-sha256 for S3 by default and not for other services', () => {
    const forS3 = signRequest({ method: 'PUT', url: 'https://b.s3.amazonaws.com/k', body: 'x' }, s3);
    expect(forS3.headers['x-amz-content-sha256']).toBe(hashPayload('x'));
    expect(forS3.signedHeaders).toBe('host;x-amz-content-sha256;x-amz-date');
    expect(signRequest({ method: 'PUT', url: 'https://e.amazonaws.com/k', body: 'x' }, base).headers['x-amz-content-sha256']).toBeUndefined();
    expect(signRequest({ method: 'PUT', url: 'https://e.amazonaws.com/k', body: 'x' }, { ...base, contentSha256Header: true }).headers['x-amz-content-sha256']).toBe(hashPayload('x'));
  });

  it('signs UNSIGNED-PAYLOAD or a precomputed hash instead of hashing', () => {
    const signed = signRequest({ method: 'PUT', url: 'https://b.s3.amazonaws.com/k' }, { ...s3, payloadHash: 'UNSIGNED-PAYLOAD' });
    expect(signed.headers['x-amz-content-sha256']).toBe('UNSIGNED-PAYLOAD');
    expect(signed.canonicalRequest.endsWith('\nUNSIGNED-PAYLOAD')).toBe(true);
  });

  it("uses a caller's x-amz-content-sha256 as the payload hash when no body is given", () => {
    const signed = signRequest({ method: 'PUT', url: 'https://b.s3.amazonaws.com/k', headers: { 'X-Amz-Content-Sha256': 'UNSIGNED-PAYLOAD' } }, s3);
    expect(signed.payloadHash).toBe('UNSIGNED-PAYLOAD');
  });

  it("never leaves a caller's x-amz-content-sha256 disagreeing with the body it signs", () => {
    const signed = signRequest({ method: 'PUT', url: 'https://e.amazonaws.com/k', body: 'x', headers: { 'x-amz-content-sha256': EMPTY_PAYLOAD_HASH } }, base);
    expect(signed.headers['x-amz-content-sha256']).toBe(hashPayload('x'));
  });
});

describe('signRequest: session tokens and header selection', () => {
  it('adds and signs x-amz-security-token for temporary credentials', () => {
    const signed = signRequest({ method: 'GET', url: 'https://e.amazonaws.com/' }, { ...base, credentials: { ...base.credentials, sessionToken: TOKEN } });
    expect(signed.headers['x-amz-security-token']).toBe(TOKEN);
    expect(signed.signedHeaders).toBe('host;x-amz-date;x-amz-security-token');
  });

  it('adds the token after signing when signSessionToken is false, as AWS IoT requires', () => {
    const signed = signRequest({ method: 'GET', url: 'https://e.amazonaws.com/' }, { ...base, credentials: { ...base.credentials, sessionToken: TOKEN }, signSessionToken: false });
    expect(signed.headers['x-amz-security-token']).toBe(TOKEN);
    expect(signed.signedHeaders).toBe('host;x-amz-date');
  });

  it('does not sign headers that proxies and the HTTP stack change', () => {
    const signed = signRequest(
      {
        method: 'GET',
        url: 'https://e.amazonaws.com/',
        headers: { 'User-Agent': 'x', Connection: 'keep-alive', 'Transfer-Encoding': 'chunked', Expect: '100-continue', 'X-Amzn-Trace-Id': 'r', 'Proxy-Foo': '1', 'Sec-Fetch-Mode': 'cors', 'Content-Type': 'a/b' },
      },
      base,
    );
    expect(signed.signedHeaders).toBe('content-type;host;x-amz-date');
    expect(signed.headers['user-agent']).toBe('x');
  });

  it('signs only the included headers, with wildcards, plus the ones SigV4 requires', () => {
    const signed = signRequest(
      { method: 'GET', url: 'https://e.amazonaws.com/', headers: { 'Content-Type': 'a/b', 'X-Amz-Meta-A': '1', 'X-Other': '2', Date: 'Sun, 30 Aug 2015 12:36:00 GMT' } },
      { ...base, includeHeaders: ['host', 'content-type', 'date', 'x-amz-*'] },
    );
    expect(signed.signedHeaders).toBe('content-type;date;host;x-amz-date;x-amz-meta-a');
  });

  it('signs the Date header and adds no x-amz-date when dateHeader is "date"', () => {
    const signed = signRequest({ method: 'GET', url: 'https://e.amazonaws.com/', headers: { Date: 'Sun, 30 Aug 2015 12:36:00 GMT' } }, { ...base, dateHeader: 'date' });
    expect(signed.headers['x-amz-date']).toBeUndefined();
    expect(signed.signedHeaders).toBe('date;host');
  });

  it('signs with a pre-derived key exactly as with the secret', () => {
    const key = deriveSigningKey(SECRET, '20150830', 'us-east-1', 'es');
    const withKey = signRequest({ method: 'GET', url: 'https://e.amazonaws.com/' }, { ...base, credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: '' }, signingKey: key });
    expect(withKey.authorization).toBe(signRequest({ method: 'GET', url: 'https://e.amazonaws.com/' }, base).authorization);
  });
});

describe('signRequest: bad input is a typed error naming the field, never a wrong signature', () => {
  const url = 'https://e.amazonaws.com/';
  const cases: Array<[string, () => unknown, new (...args: never[]) => AWS4AuthError, string]> = [
    ['a CR/LF in a header value', () => signRequest({ method: 'GET', url, headers: { 'x-a': 'v\r\nx-injected: 1' } }, base), InvalidHeaderError, 'request.headers["x-a"]'],
    ['a NUL in a header value', () => signRequest({ method: 'GET', url, headers: { 'x-a': 'v\0' } }, base), InvalidHeaderError, 'request.headers["x-a"]'],
    ['a non-ASCII header value', () => signRequest({ method: 'GET', url, headers: { 'x-a': 'café' } }, base), InvalidHeaderError, 'request.headers["x-a"]'],
    ['a header name with a space', () => signRequest({ method: 'GET', url, headers: { 'x a': 'v' } }, base), InvalidHeaderError, 'request.headers'],
    ['a header name with a line break', () => signRequest({ method: 'GET', url, headers: { 'x\na': 'v' } }, base), InvalidHeaderError, 'request.headers'],
    ['an object as a header value', () => signRequest({ method: 'GET', url, headers: { 'x-a': {} as never } }, base), InvalidHeaderError, 'request.headers["x-a"]'],
    ['a relative URL', () => signRequest({ method: 'GET', url: '/path' }, base), InvalidUrlError, 'request.url'],
    ['a non-http URL', () => signRequest({ method: 'GET', url: 'ftp://e.amazonaws.com/' }, base), InvalidUrlError, 'request.url'],
    ['a URL with a bad host', () => signRequest({ method: 'GET', url: 'https://exa mple.com/' }, base), InvalidUrlError, 'request.url'],
    ['a URL with a control character', () => signRequest({ method: 'GET', url: 'https://e.com/a\nb' }, base), InvalidUrlError, 'request.url'],
    ['a number as the URL', () => signRequest({ method: 'GET', url: 42 as never }, base), InvalidUrlError, 'request.url'],
    ['an empty method', () => signRequest({ method: '', url }, base), InvalidInputError, 'request.method'],
    ['a method with a space', () => signRequest({ method: 'GE T', url }, base), InvalidInputError, 'request.method'],
    ['a non-string region', () => signRequest({ method: 'GET', url }, { ...base, region: 1 as never }), InvalidInputError, 'options.region'],
    ['a region with a slash', () => signRequest({ method: 'GET', url }, { ...base, region: 'us/east' }), InvalidInputError, 'options.region'],
    ['a region with CR/LF', () => signRequest({ method: 'GET', url }, { ...base, region: 'us-east-1\r\n' }), InvalidInputError, 'options.region'],
    ['an empty service', () => signRequest({ method: 'GET', url }, { ...base, service: '' }), InvalidInputError, 'options.service'],
    ['missing credentials', () => signRequest({ method: 'GET', url }, { ...base, credentials: undefined as never }), InvalidCredentialsError, 'options.credentials'],
    ['an empty access key id', () => signRequest({ method: 'GET', url }, { ...base, credentials: { accessKeyId: '', secretAccessKey: SECRET } }), InvalidCredentialsError, 'options.credentials.accessKeyId'],
    ['an access key id with a newline', () => signRequest({ method: 'GET', url }, { ...base, credentials: { accessKeyId: 'AKID\n', secretAccessKey: SECRET } }), InvalidCredentialsError, 'options.credentials.accessKeyId'],
    ['an empty secret', () => signRequest({ method: 'GET', url }, { ...base, credentials: { accessKeyId: 'AKID', secretAccessKey: '' } }), InvalidCredentialsError, 'options.credentials.secretAccessKey'],
    ['a session token with a line break', () => signRequest({ method: 'GET', url }, { ...base, credentials: { ...base.credentials, sessionToken: 'a\r\nb' } }), InvalidCredentialsError, 'options.credentials.sessionToken'],
    ['an invalid Date', () => signRequest({ method: 'GET', url }, { ...base, date: new Date('nope') }), InvalidDateError, 'options.date'],
    ['a date past year 9999', () => signRequest({ method: 'GET', url }, { ...base, date: new Date(8.64e15) }), InvalidDateError, 'options.date'],
    ['a string as the date', () => signRequest({ method: 'GET', url }, { ...base, date: '2015-08-30' as never }), InvalidDateError, 'options.date'],
    ['a malformed payload hash', () => signRequest({ method: 'GET', url }, { ...base, payloadHash: 'abc' }), InvalidInputError, 'options.payloadHash'],
    ['a stream as the body', () => signRequest({ method: 'PUT', url, body: { pipe() {} } as never }, base), InvalidInputError, 'request.body'],
    ['a lone surrogate in the path', () => signRequest({ method: 'GET', url: 'https://e.amazonaws.com/\ud800' }, base), InvalidInputError, 'request.url (path)'],
    ['includeHeaders that is not an array', () => signRequest({ method: 'GET', url }, { ...base, includeHeaders: 'host' as never }), InvalidInputError, 'options.includeHeaders'],
    ['a null request', () => signRequest(null as never, base), InvalidInputError, 'request'],
    ['null options', () => signRequest({ method: 'GET', url }, null as never), InvalidInputError, 'options'],
  ];

  it.each(cases)('rejects %s', (_what, sign, errorClass, field) => {
    let thrown: unknown;
    try {
      sign();
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(errorClass);
    expect(thrown).toBeInstanceOf(AWS4AuthError);
    const error = thrown as InvalidInputError;
    expect(error.field).toBe(field);
    expect(error.code).toMatch(/^ERR_AWS4_/);
    expect(error.message.startsWith(field)).toBe(true);
    for (const text of [error.message, inspect(error), JSON.stringify(error)]) {
      expect(text).not.toContain(SECRET);
      expect(text).not.toContain(TOKEN);
    }
  });
});
