import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import {
  InvalidInputError,
  createSigV4Verifier,
  presignUrl,
  signRequest,
  verifySigV4,
  type VerifiableRequest,
  type VerifyFailure,
  type VerifyOptions,
  type VerifyResult,
} from '../../src/signer/index.js';

const CLIENT = { accessKeyId: 'AKIDVERIFYCLIENT', secretAccessKey: 'vErIfYcLiEnTsEcReTkEy0123456789AbCdEfGh' };
const SESSION_TOKEN = 'verify-test-session-token-IQoJb3JpZ2luX2VjEJr//////////';
const DATE = new Date('2026-06-01T10:20:30Z');
const NOW = DATE.getTime();
const HOST = 'bucket.s3.eu-west-1.amazonaws.com';
const clientKeys = { [CLIENT.accessKeyId]: CLIENT.secretAccessKey };

function signed(overrides: { method?: string; url?: string; headers?: Record<string, string>; service?: string; region?: string; sessionToken?: string; body?: string } = {}): VerifiableRequest {
  const url = overrides.url ?? '/photos/a%20b.jpg?versionId=3';
  const result = signRequest(
    { method: overrides.method ?? 'PUT', url: `https://${HOST}${url}`, headers: { 'content-type': 'image/jpeg', 'x-amz-meta-owner': 'me', ...overrides.headers }, body: overrides.body ?? 'photo bytes' },
    { credentials: { ...CLIENT, sessionToken: overrides.sessionToken }, region: overrides.region ?? 'eu-west-1', service: overrides.service ?? 's3', date: DATE },
  );
  return { method: overrides.method ?? 'PUT', url, headers: result.headers, body: overrides.body ?? 'photo bytes' };
}

function verify(request: VerifiableRequest, options: Partial<VerifyOptions> = {}): VerifyResult {
  return verifySigV4(request, { clientKeys, now: NOW, ...options });
}

function failure(result: VerifyResult): VerifyFailure {
  if (result.ok) expect.fail('expected the request to be refused');
  return result;
}

function withHeaders(request: VerifiableRequest, headers: Record<string, string | string[] | undefined>): VerifiableRequest {
  return { ...request, headers: { ...request.headers, ...headers } };
}

function authorization(request: VerifiableRequest): string {
  return request.headers.authorization as string;
}

describe('verifySigV4: a verified request', () => {
  it('returns the scope, signed headers, payload hash and time of a header-signed S3 request', () => {
    const result = verify(signed());
    expect(result).toMatchObject({
      ok: true,
      mode: 'header',
      accessKeyId: CLIENT.accessKeyId,
      region: 'eu-west-1',
      service: 's3',
      amzDate: '20260601T102030Z',
      credentialScope: '20260601/eu-west-1/s3/aws4_request',
      signedHeaders: ['content-type', 'host', 'x-amz-content-sha256', 'x-amz-date', 'x-amz-meta-owner'],
      expiresAt: undefined,
    });
    expect(result.ok && result.date.getTime()).toBe(NOW);
  });

  it('is a chunk signing seed whose key and signature do not show in JSON.stringify or util.inspect', () => {
    const request = signed();
    const result = verify(request);
    if (!result.ok) expect.fail(result.message);
    expect(result.signingKey).toHaveLength(32);
    expect(authorization(request)).toContain(`Signature=${result.seedSignature}`);
    const shown = `${JSON.stringify(result)}\n${inspect(result, { depth: 5 })}`;
    expect(shown).not.toContain(result.seedSignature);
    expect(shown).not.toContain(Buffer.from(result.signingKey).toString('hex'));
    expect(shown).not.toContain('signingKey');
  });

  it('accepts a presigned URL until it expires, then answers request-expired', () => {
    const url = presignUrl({ method: 'GET', url: `https://${HOST}/report.csv` }, { credentials: CLIENT, region: 'eu-west-1', service: 's3', date: DATE, expiresIn: 60 });
    const request = { method: 'GET', url: url.slice(url.indexOf('/', 8)), headers: { host: HOST } };
    const result = verify(request, { now: NOW + 60_000 });
    expect(result).toMatchObject({ ok: true, mode: 'query', payloadHash: 'UNSIGNED-PAYLOAD', signedHeaders: ['host'] });
    expect(result.ok && result.expiresAt?.getTime()).toBe(NOW + 60_000);
    expect(failure(verify(request, { now: NOW + 60_001 }))).toMatchObject({ reason: 'request-expired', awsCode: 'AccessDenied', status: 403 });
  });

  it('accepts a presigned URL with a session token, and refuses it with the token changed', () => {
    const url = presignUrl({ method: 'GET', url: `https://${HOST}/report.csv` }, { credentials: { ...CLIENT, sessionToken: SESSION_TOKEN }, region: 'eu-west-1', service: 's3', date: DATE, expiresIn: 60 });
    const target = url.slice(url.indexOf('/', 8));
    expect(verify({ method: 'GET', url: target, headers: { host: HOST } }).ok).toBe(true);
    const changed = target.replace('X-Amz-Security-Token=verify', 'X-Amz-Security-Token=Verify');
    expect(failure(verify({ method: 'GET', url: changed, headers: { host: HOST } })).reason).toBe('signature-mismatch');
  });

  it('accepts an absolute request target (a proxy-form request line)', () => {
    const request = signed();
    expect(verify({ ...request, url: `https://${HOST}${request.url}` }).ok).toBe(true);
  });

  it('reads repeated headers as S3 does: values joined with "," in order (req.headersDistinct)', () => {
    const request = signed({ headers: { 'x-amz-meta-tag': 'a' } });
    const result = signRequest(
      { method: 'PUT', url: `https://${HOST}${request.url}`, headers: { 'x-amz-meta-tag': ['a', 'b'] }, body: 'photo bytes' },
      { credentials: CLIENT, region: 'eu-west-1', service: 's3', date: DATE },
    );
    const received = Object.fromEntries(Object.entries(result.headers).map(([name, value]) => [name, Array.isArray(value) ? value : [value]]));
    expect(verify({ method: 'PUT', url: request.url, headers: received }).ok).toBe(true);
    expect(failure(verify({ method: 'PUT', url: request.url, headers: { ...received, 'x-amz-meta-tag': ['b', 'a'] } })).reason).toBe('signature-mismatch');
  });

  it('accepts a session token added after signing and left unsigned (AWS IoT), in header auth', () => {
    const request = signed();
    expect(verify(withHeaders(request, { 'x-amz-security-token': SESSION_TOKEN })).ok).toBe(true);
  });

  it('accepts headers signed that signers leave unsigned by default (user-agent), and refuses them changed', () => {
    const url = '/photos/a%20b.jpg';
    const result = signRequest(
      { method: 'GET', url: `https://${HOST}${url}`, headers: { 'user-agent': 'aws-cli/2.9.19', 'x-amz-meta-a': 'b' } },
      { credentials: CLIENT, region: 'eu-west-1', service: 's3', date: DATE, includeHeaders: ['host', 'user-agent', 'x-amz-*'] },
    );
    expect(result.signedHeaders).toContain('user-agent');
    const request = { method: 'GET', url, headers: result.headers };
    expect(verify(request).ok).toBe(true);
    expect(failure(verify(withHeaders(request, { 'user-agent': 'curl/8' }))).reason).toBe('signature-mismatch');
  });

  it('accepts any of several expected services and regions', () => {
    expect(verify(signed(), { service: ['es', 's3'], region: ['us-east-1', 'eu-west-1'] }).ok).toBe(true);
  });

  it('takes the secret from lookupSecret, or from a Map', () => {
    const request = signed();
    expect(verifySigV4(request, { lookupSecret: (id) => (id === CLIENT.accessKeyId ? CLIENT.secretAccessKey : undefined), now: NOW }).ok).toBe(true);
    expect(verifySigV4(request, { clientKeys: new Map([[CLIENT.accessKeyId, CLIENT.secretAccessKey]]), now: () => NOW }).ok).toBe(true);
  });

  it('verifies a non-S3 request against the hash of the body given', () => {
    const request = signed({ service: 'es', body: '{"query":{}}' });
    expect(verify(request).ok).toBe(true);
    expect(failure(verify({ ...request, body: '{"query":[]}' })).reason).toBe('signature-mismatch');
  });
});

describe('verifySigV4: a refused request says why, with the S3 error to answer', () => {
  const cases: Array<[string, () => VerifyResult, Partial<VerifyFailure>]> = [
    ['no auth at all', () => verify({ method: 'GET', url: '/key', headers: { host: HOST } }), { reason: 'missing', awsCode: 'AccessDenied', status: 403, mode: undefined }],
    [
      'header and query auth together',
      () => {
        const request = signed();
        return verify({ ...request, url: `${request.url}&X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Signature=00` });
      },
      { reason: 'ambiguous', awsCode: 'InvalidArgument', status: 400 },
    ],
    ['a SigV2 Authorization header', () => verify(withHeaders(signed(), { authorization: 'AWS AKIDVERIFYCLIENT:frJIUN8DYpKDtOLCwo//yllqDzg=' })), { reason: 'unsupported-algorithm', awsCode: 'InvalidArgument', status: 400 }],
    [
      'a SigV4a Authorization header',
      () => verify(withHeaders(signed(), { authorization: authorization(signed()).replace('AWS4-HMAC-SHA256', 'AWS4-ECDSA-P256-SHA256') })),
      { reason: 'unsupported-algorithm' },
    ],
    ['an Authorization header without Signature', () => verify(withHeaders(signed(), { authorization: authorization(signed()).replace(/, Signature=.*/, '') })), { reason: 'malformed', awsCode: 'AuthorizationHeaderMalformed', status: 400 }],
    ['an Authorization header with a part twice', () => verify(withHeaders(signed(), { authorization: `${authorization(signed())}, Signature=00` })), { reason: 'malformed' }],
    ['a Credential without aws4_request', () => verify(withHeaders(signed(), { authorization: authorization(signed()).replace('/aws4_request', '/aws5_request') })), { reason: 'malformed' }],
    ['an upper-case signature', () => verify(withHeaders(signed(), { authorization: authorization(signed()).replace(/Signature=(\w+)/, (_m, s: string) => `Signature=${s.toUpperCase()}`) })), { reason: 'malformed' }],
    ['unsorted SignedHeaders', () => verify(withHeaders(signed(), { authorization: authorization(signed()).replace('content-type;host', 'host;content-type') })), { reason: 'malformed' }],
    ['two Authorization headers', () => verify(withHeaders(signed(), { authorization: [authorization(signed()), authorization(signed())] })), { reason: 'malformed' }],
    ['a signed header missing from the request', () => verify(withHeaders(signed(), { 'content-type': undefined })), { reason: 'malformed' }],
    ['an unknown access key id', () => verifySigV4(signed(), { clientKeys: { AKIDSOMEONEELSE: CLIENT.secretAccessKey }, now: NOW }), { reason: 'unknown-access-key', awsCode: 'InvalidAccessKeyId', status: 403, accessKeyId: CLIENT.accessKeyId }],
    ['a time 16 minutes off', () => verify(signed(), { now: NOW + 16 * 60_000 }), { reason: 'clock-skew', awsCode: 'RequestTimeTooSkewed', status: 403 }],
    ['a region not expected', () => verify(signed(), { region: 'us-east-1' }), { reason: 'scope-mismatch', awsCode: 'AuthorizationHeaderMalformed', status: 400 }],
    ['a service not expected', () => verify(signed(), { service: 'es' }), { reason: 'scope-mismatch' }],
    ['an unsigned x-amz-* header', () => verify(withHeaders(signed(), { 'x-amz-acl': 'public-read' })), { reason: 'unsigned-header-required', awsCode: 'AccessDenied', status: 403 }],
    ['an unparseable x-amz-date', () => verify(withHeaders(signed(), { 'x-amz-date': '2026-06-01T10:20:30Z' })), { reason: 'malformed', awsCode: 'AccessDenied' }],
    ['an S3 request without x-amz-content-sha256', () => verify(withHeaders(signed(), { 'x-amz-content-sha256': undefined, authorization: authorization(signed()).replace('x-amz-content-sha256;', '') })), { reason: 'invalid-payload-hash', awsCode: 'InvalidRequest', status: 400 }],
    ['an x-amz-content-sha256 that is no hash', () => verify(withHeaders(signed(), { 'x-amz-content-sha256': 'not-a-hash' })), { reason: 'invalid-payload-hash', awsCode: 'InvalidArgument' }],
    ['a signed header value changed', () => verify(withHeaders(signed(), { 'x-amz-meta-owner': 'you' })), { reason: 'signature-mismatch', awsCode: 'SignatureDoesNotMatch', status: 403 }],
    ['a path with a control character', () => verify({ ...signed(), url: '/photos/a\u0001b' }), { reason: 'malformed' }],
  ];

  for (const [what, run, expected] of cases) {
    it(`${what}: ${expected.reason}`, () => {
      expect(failure(run())).toMatchObject(expected);
    });
  }

  it('refuses presigned URLs with a bad X-Amz-Expires, a repeated parameter, or a time in the future', () => {
    const url = presignUrl({ method: 'GET', url: `https://${HOST}/k` }, { credentials: CLIENT, region: 'eu-west-1', service: 's3', date: DATE, expiresIn: 60 });
    const target = url.slice(url.indexOf('/', 8));
    const at = (t: string, now = NOW) => failure(verify({ method: 'GET', url: t, headers: { host: HOST } }, { now }));
    expect(at(target.replace('X-Amz-Expires=60', 'X-Amz-Expires=604801'))).toMatchObject({ reason: 'malformed', awsCode: 'AuthorizationQueryParametersError' });
    expect(at(target.replace('X-Amz-Expires=60', 'X-Amz-Expires=060')).reason).toBe('malformed');
    expect(at(`${target}&X-Amz-Date=20260601T102030Z`).reason).toBe('malformed');
    expect(at(target.replace('X-Amz-Algorithm=AWS4-HMAC-SHA256', 'X-Amz-Algorithm=AWS4-HMAC-SHA1'))).toMatchObject({ reason: 'unsupported-algorithm', awsCode: 'AuthorizationQueryParametersError' });
    expect(at(target, NOW - 16 * 60_000)).toMatchObject({ reason: 'clock-skew', awsCode: 'AccessDenied' });
  });

  it('returns the string to sign for a signature mismatch, and never a secret or the expected signature', () => {
    const request = withHeaders(signed(), { 'x-amz-meta-owner': 'you' });
    const result = failure(verify(request));
    const good = signRequest(
      { method: 'PUT', url: `https://${HOST}${request.url}`, headers: { 'content-type': 'image/jpeg', 'x-amz-meta-owner': 'you' }, body: 'photo bytes' },
      { credentials: CLIENT, region: 'eu-west-1', service: 's3', date: DATE },
    );
    expect(result.stringToSign).toBe(good.stringToSign);
    const shown = `${JSON.stringify(result)}${inspect(result)}`;
    expect(shown).not.toContain(good.signature);
    expect(shown).not.toContain(CLIENT.secretAccessKey);
  });
});

describe('verifySigV4: options and request objects', () => {
  it('throws InvalidInputError for options without keys, with both kinds of keys, or with a bad clock', () => {
    const request = signed();
    expect(() => verifySigV4(request, {} as VerifyOptions)).toThrow(InvalidInputError);
    expect(() => verifySigV4(request, { clientKeys, lookupSecret: () => undefined })).toThrow(InvalidInputError);
    expect(() => verifySigV4(request, { clientKeys, now: Number.NaN })).toThrow(/options\.now/);
    expect(() => verifySigV4(request, { clientKeys, clockToleranceMs: -1 })).toThrow(/clockToleranceMs/);
    expect(() => verifySigV4(request, { clientKeys, service: [] })).toThrow(/options\.service/);
  });

  it('throws InvalidInputError for a request that is not one', () => {
    expect(() => verify(null as unknown as VerifiableRequest)).toThrow(InvalidInputError);
    expect(() => verify({ method: 'GET', url: '/', headers: [] as unknown as VerifiableRequest['headers'] })).toThrow(/request\.headers/);
    expect(() => verify({ method: 'GET', url: '/', headers: { host: 5 as unknown as string } })).toThrow(/request\.headers\["host"\]/);
  });

  it('ignores keys and headers inherited from a polluted Object.prototype', () => {
    const proto = Object.prototype as Record<string, unknown>;
    proto[CLIENT.accessKeyId] = CLIENT.secretAccessKey;
    proto.authorization = 'AWS4-HMAC-SHA256 Credential=x';
    try {
      expect(failure(verifySigV4(signed(), { clientKeys: {}, now: NOW })).reason).toBe('unknown-access-key');
      expect(failure(verify({ method: 'GET', url: '/', headers: { host: HOST } })).reason).toBe('missing');
    } finally {
      delete proto[CLIENT.accessKeyId];
      delete proto.authorization;
    }
  });

  it('reads each header once, so a getter cannot answer one value to the check and another to the signature', () => {
    const request = signed();
    let reads = 0;
    const headers = { ...request.headers };
    Object.defineProperty(headers, 'x-amz-meta-owner', {
      enumerable: true,
      get: () => (++reads === 1 ? 'me' : 'you'),
    });
    expect(verify({ ...request, headers }).ok).toBe(true);
    expect(reads).toBe(1);
  });

  it('copies the keys once in createSigV4Verifier and reads the clock per request', () => {
    const keys = new Map([[CLIENT.accessKeyId, CLIENT.secretAccessKey]]);
    let now = NOW;
    const check = createSigV4Verifier({ clientKeys: keys, now: () => now });
    keys.clear();
    expect(check(signed()).ok).toBe(true);
    now += 20 * 60_000;
    expect(failure(check(signed())).reason).toBe('clock-skew');
  });
});
