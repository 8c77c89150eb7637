/**
 * verifySigV4 is byte-exact: every request of the AWS reference suite, and random requests signed by our
 * signer, by @smithy/signature-v4 and by botocore (header auth) and presigned by both JavaScript signers
 * (query auth) verify; any single mutation fails with the reason it deserves. VERIFY_RUNS sets the number
 * of random requests per property (CI: the default, a few seconds).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parseAmzDate, parseHttpDate, presignRequest, signRequest, verifySigV4, type VerifiableRequest, type VerifyResult } from '../../src/signer/index.js';
import { loadSuite2011, loadSuite2015, headerValue, SUITE_CREDENTIALS } from '../helpers/vectors.js';
import { CREDENTIALS, awsEncode, encodedPath, queryString, randomRequest, rawPath, smithyHttpRequest, smithySigner, type RandomRequest } from '../helpers/differential.js';
import { BotocoreOracle, botocoreRequest } from '../helpers/botocore.js';

const RUNS = Number(process.env.VERIFY_RUNS ?? 200);
const clientKeys = { [CREDENTIALS.accessKeyId]: CREDENTIALS.secretAccessKey };

function target(path: string, query: string): string {
  return `${path}${query === '' ? '' : `?${query}`}`;
}

/** Our signature of a random request, as the verifier receives it. */
function oursSigned(request: RandomRequest, path: string): VerifiableRequest {
  const url = target(path, queryString(request));
  const signed = signRequest(
    { method: request.method, url: `http://${request.host}${url}`, headers: Object.fromEntries(request.headers), body: request.body },
    { credentials: { ...CREDENTIALS, sessionToken: request.sessionToken }, region: request.region, service: request.service, date: request.date },
  );
  return { method: request.method, url, headers: signed.headers, body: request.body };
}

/** The query of a smithy HttpRequest as its HTTP handler writes it: keys and values SigV4-encoded. */
function smithyQuery(query: Record<string, string | string[] | null>): string {
  const parts: string[] = [];
  for (const [key, value] of Object.entries(query)) {
    for (const item of Array.isArray(value) ? value : [value ?? '']) parts.push(`${awsEncode(key)}=${awsEncode(item)}`);
  }
  return parts.join('&');
}

async function smithySigned(request: RandomRequest, path: string): Promise<VerifiableRequest> {
  const signed = await smithySigner(request).sign(smithyHttpRequest(request, path), { signingDate: request.date });
  return { method: request.method, url: target(path, smithyQuery(signed.query as Record<string, string>)), headers: signed.headers, body: request.body };
}

async function smithyPresigned(request: RandomRequest, path: string): Promise<VerifiableRequest> {
  const unsigned = smithyHttpRequest(request, path);
  // As @aws-sdk/s3-request-presigner does: S3 presigns UNSIGNED-PAYLOAD (hoisted into the query).
  if (request.service === 's3') unsigned.headers['x-amz-content-sha256'] = 'UNSIGNED-PAYLOAD';
  const presigned = await smithySigner(request).presign(unsigned, { signingDate: request.date, expiresIn: 3600 });
  return { method: request.method, url: target(path, smithyQuery(presigned.query as Record<string, string>)), headers: presigned.headers, body: request.body };
}

function ourPresigned(request: RandomRequest, path: string): VerifiableRequest {
  const presigned = presignRequest(
    { method: request.method, url: `http://${request.host}${target(path, queryString(request))}`, headers: Object.fromEntries(request.headers), body: request.body },
    { credentials: { ...CREDENTIALS, sessionToken: request.sessionToken }, region: request.region, service: request.service, date: request.date, expiresIn: 600 },
  );
  const url = presigned.url.slice(presigned.url.indexOf('/', 'http://'.length));
  const headers: Record<string, string[]> = { host: [request.host] };
  for (const [name, values] of request.headers) headers[name] = values;
  return { method: request.method, url, headers, body: request.body };
}

function verifyAt(request: VerifiableRequest, date: Date, extra: Partial<Parameters<typeof verifySigV4>[1]> = {}): VerifyResult {
  return verifySigV4(request, { clientKeys, now: date.getTime(), ...extra });
}

function expectOk(result: VerifyResult): void {
  if (!result.ok) expect.fail(`${result.reason}: ${result.message}`);
}

describe('verifySigV4 accepts every request of the AWS SigV4 test suite (2015 edition)', () => {
  for (const testCase of loadSuite2015()) {
    it(testCase.name, () => {
      const { method, target: url, headers, body } = testCase.request;
      const date = parseAmzDate(headerValue(headers, 'x-amz-date') as string) as Date;
      const received: Record<string, string | string[]> = { ...headers, authorization: testCase.authz };
      // post-sts-header-after adds the session token after signing, unsigned.
      const tokenAfter = /X-Amz-Security-Token:(.*)/.exec(testCase.sreq ?? '')?.[1];
      if (testCase.name.endsWith('post-sts-header-after') && tokenAfter !== undefined) received['X-Amz-Security-Token'] = tokenAfter;
      const result = verifySigV4({ method, url, headers: received, body: body.length > 0 ? body : undefined }, {
        clientKeys: { [SUITE_CREDENTIALS.accessKeyId]: SUITE_CREDENTIALS.secretAccessKey },
        now: date.getTime(),
        service: 'service',
        region: 'us-east-1',
      });
      expectOk(result);
      expect(result.ok && result.credentialScope).toBe('20150830/us-east-1/service/aws4_request');
    });
  }
});

describe('verifySigV4 on the 2011 edition of the suite (dated by the Date header) accepts exactly what the signer reproduces', () => {
  const cases = loadSuite2011();
  const reproduced: string[] = [];
  for (const testCase of cases) {
    it(testCase.name, () => {
      const { method, target: url, headers, body } = testCase.request;
      const date = parseHttpDate(headerValue(headers, 'date') as string) as Date;
      const ours = signRequest(
        { method, url: `https://${headerValue(headers, 'host') as string}${url}`, headers, body: body.length > 0 ? body : undefined },
        { credentials: SUITE_CREDENTIALS, region: 'us-east-1', service: 'host', date, dateHeader: 'date' },
      );
      const result = verifySigV4({ method, url, headers: { ...headers, authorization: testCase.authz }, body: body.length > 0 ? body : undefined }, {
        clientKeys: { [SUITE_CREDENTIALS.accessKeyId]: SUITE_CREDENTIALS.secretAccessKey },
        now: date.getTime(),
      });
      const signerAgrees = ours.authorization === testCase.authz;
      if (signerAgrees) reproduced.push(testCase.name);
      expect(result.ok ? 'verified' : result.reason).toBe(signerAgrees ? 'verified' : 'signature-mismatch');
    });
  }
  it('reproduces (and so verifies) most of the 2011 cases', () => {
    expect(reproduced.length).toBeGreaterThanOrEqual(cases.length - 6);
  });
});

describe('verifySigV4 accepts what every signer signs', () => {
  for (const s3 of [false, true]) {
    const kind = s3 ? 'S3' : 'non-S3';
    it(`header auth by our signRequest (${kind}, raw and encoded paths)`, () => {
      fc.assert(
        fc.property(randomRequest(s3), fc.boolean(), (request, raw) => {
          expectOk(verifyAt(oursSigned(request, raw ? rawPath(request) : encodedPath(request)), request.date));
        }),
        { numRuns: RUNS },
      );
    });

    it(`header auth by @smithy/signature-v4 (${kind})`, async () => {
      await fc.assert(
        fc.asyncProperty(randomRequest(s3), async (request) => {
          expectOk(verifyAt(await smithySigned(request, s3 ? encodedPath(request) : rawPath(request)), request.date));
        }),
        { numRuns: RUNS },
      );
    });

    it(`query auth by our presignRequest (${kind})`, () => {
      fc.assert(
        fc.property(randomRequest(s3), (request) => {
          const result = verifyAt(ourPresigned(request, s3 ? encodedPath(request) : rawPath(request)), new Date(request.date.getTime() + 599_000));
          expectOk(result);
          expect(result.ok && result.mode).toBe('query');
        }),
        { numRuns: RUNS },
      );
    });

    it(`query auth by @smithy/signature-v4 presign (${kind})`, async () => {
      await fc.assert(
        fc.asyncProperty(randomRequest(s3), async (request) => {
          expectOk(verifyAt(await smithyPresigned(request, s3 ? encodedPath(request) : rawPath(request)), request.date));
        }),
        { numRuns: RUNS },
      );
    });
  }
});

describe('verifySigV4 accepts what botocore signs', () => {
  let oracle: BotocoreOracle;
  beforeAll(() => {
    oracle = BotocoreOracle.start();
  }, 180_000);
  afterAll(async () => {
    await oracle?.close();
  });

  for (const s3 of [false, true]) {
    it(`header auth by botocore ${s3 ? 'S3SigV4Auth' : 'SigV4Auth'}`, async () => {
      const requests = fc.sample(randomRequest(s3), { numRuns: RUNS, seed: 17 });
      const signed = await oracle.signAll(requests.map((request) => botocoreRequest(request, rawPath(request), 'url', true)));
      requests.forEach((request, i) => {
        const result = signed[i]!;
        const headers: Record<string, string[]> = {};
        for (const [name, value] of result.headers ?? []) (headers[name.toLowerCase()] ??= []).push(value);
        const prepared = new URL(result.preparedUrl as string);
        headers.host ??= [prepared.host];
        const url = result.preparedUrl!.slice(result.preparedUrl!.indexOf('/', prepared.protocol.length + 2));
        expectOk(verifyAt({ method: request.method, url, headers, body: request.body }, request.date));
      });
    });
  }
});

type Mutation = (request: VerifiableRequest) => { request: VerifiableRequest; reason: string } | undefined;

function withHeader(request: VerifiableRequest, name: string, value: string | string[]): VerifiableRequest {
  return { ...request, headers: { ...request.headers, [name]: value } };
}

function authorizationOf(request: VerifiableRequest): string {
  const value = request.headers.authorization;
  return Array.isArray(value) ? (value[0] as string) : (value as string);
}

function shiftDate(request: VerifiableRequest, seconds: number): VerifiableRequest {
  const date = parseAmzDate(request.headers['x-amz-date'] as string) as Date;
  const moved = new Date(date.getTime() + seconds * 1000).toISOString().replace(/[:-]|\.\d{3}/g, '');
  return withHeader(request, 'x-amz-date', moved);
}

const MUTATIONS: Record<string, Mutation> = {
  method: (r) => ({ request: { ...r, method: r.method === 'GET' ? 'PUT' : 'GET' }, reason: 'signature-mismatch' }),
  path: (r) => ({ request: { ...r, url: r.url.replace(/^\/[^?]*/, (path) => `${path}x`) }, reason: 'signature-mismatch' }),
  'query added': (r) => ({ request: { ...r, url: `${r.url}${r.url.includes('?') ? '&' : '?'}extra=1` }, reason: 'signature-mismatch' }),
  host: (r) => ({ request: withHeader(r, 'host', 'evil.example.com'), reason: 'signature-mismatch' }),
  'signed header value': (r) => {
    const name = Object.keys(r.headers).find((n) => n.startsWith('x-') && !n.startsWith('x-amz-'));
    return name === undefined ? undefined : { request: withHeader(r, name, `${String(r.headers[name])}changed`), reason: 'signature-mismatch' };
  },
  'date within the day': (r) => {
    const date = r.headers['x-amz-date'] as string;
    const seconds = date.slice(9, 11) === '23' ? -1 : 1;
    return { request: shiftDate(r, seconds), reason: 'signature-mismatch' };
  },
  'date on another day': (r) => ({ request: shiftDate(r, 86_400), reason: 'scope-mismatch' }),
  'scope region': (r) => ({ request: withHeader(r, 'authorization', authorizationOf(r).replace(/(Credential=[^/]+\/\d{8}\/)[^/]+/, '$1xx-test-9')), reason: 'signature-mismatch' }),
  'signature byte': (r) => ({
    request: withHeader(r, 'authorization', authorizationOf(r).replace(/Signature=(.)/, (_m, c: string) => `Signature=${c === '0' ? '1' : '0'}`)),
    reason: 'signature-mismatch',
  }),
  'access key id': (r) => ({ request: withHeader(r, 'authorization', authorizationOf(r).replace('Credential=AKIDEXAMPLE', 'Credential=AKIDOTHER')), reason: 'unknown-access-key' }),
};

describe('verifySigV4 refuses every single mutation of a signed request with the reason it deserves', () => {
  for (const [what, mutate] of Object.entries(MUTATIONS)) {
    it(`a changed ${what}`, () => {
      fc.assert(
        fc.property(randomRequest(false), fc.boolean(), (random, s3) => {
          const request = oursSigned({ ...random, service: s3 ? 's3' : random.service }, encodedPath(random));
          const mutated = mutate(request);
          if (mutated === undefined) return;
          const result = verifyAt(mutated.request, random.date);
          expect(result.ok ? 'ok' : result.reason).toBe(mutated.reason);
        }),
        { numRuns: Math.ceil(RUNS / 4) },
      );
    });
  }

  it('a different secret for the same access key id', () => {
    fc.assert(
      fc.property(randomRequest(true), (random) => {
        const result = verifySigV4(oursSigned(random, encodedPath(random)), { clientKeys: { AKIDEXAMPLE: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYOTHERKEYXX' }, now: random.date.getTime() });
        expect(result.ok ? 'ok' : result.reason).toBe('signature-mismatch');
      }),
      { numRuns: Math.ceil(RUNS / 4) },
    );
  });

  it('a changed body when the signature covers its hash', () => {
    fc.assert(
      fc.property(randomRequest(false), (random) => {
        const request = oursSigned(random, rawPath(random));
        const result = verifyAt({ ...request, body: `${random.body ?? ''}!` }, random.date);
        expect(result.ok ? 'ok' : result.reason).toBe('signature-mismatch');
      }),
      { numRuns: Math.ceil(RUNS / 4) },
    );
  });

  it('a presigned URL with any query parameter changed', () => {
    fc.assert(
      fc.property(randomRequest(true), fc.nat(), (random, pick) => {
        const request = ourPresigned(random, encodedPath(random));
        const [path, query = ''] = request.url.split('?') as [string, string?];
        const pairs = query.split('&');
        const index = pick % pairs.length;
        const pair = pairs[index] as string;
        const key = pair.slice(0, pair.indexOf('='));
        if (key === 'X-Amz-Expires' || key === 'X-Amz-Algorithm' || key === 'X-Amz-Credential' || key === 'X-Amz-Date' || key === 'X-Amz-SignedHeaders') return;
        pairs[index] = key === 'X-Amz-Signature' ? pair.replace(/=(.)/, (_m, c: string) => `=${c === '0' ? '1' : '0'}`) : `${pair}0`;
        const result = verifyAt({ ...request, url: `${path}?${pairs.join('&')}` }, random.date);
        expect(result.ok ? 'ok' : result.reason).toBe('signature-mismatch');
      }),
      { numRuns: Math.ceil(RUNS / 2) },
    );
  });
});

const REASONS = new Set(['missing', 'ambiguous', 'malformed', 'unsupported-algorithm', 'scope-mismatch', 'unsigned-header-required', 'invalid-payload-hash', 'unknown-access-key', 'clock-skew', 'request-expired', 'signature-mismatch']);

describe('verifySigV4 never throws for anything a client can send', () => {
  const text = fc.string({ unit: fc.constantFrom(...'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20240101/us-east-1/s3/aws4_request,;SignedHeaders=host;x-amz-date Signature=0123456789abcdef%&?=/ \t"\u00e9'.split('')), maxLength: 200 });
  it('returns a failure with a closed reason and a message without the secret, for random auth headers, queries and dates', () => {
    fc.assert(
      fc.property(randomRequest(true), text, text, fc.option(text, { nil: undefined }), fc.boolean(), (random, authorization, query, date, mutateRealOne) => {
        const real = oursSigned(random, encodedPath(random));
        const headers: Record<string, string | readonly string[] | undefined> = { ...real.headers };
        if (mutateRealOne) headers.authorization = `${authorizationOf(real)}${authorization}`;
        else headers.authorization = authorization;
        if (date !== undefined) headers['x-amz-date'] = date;
        const result = verifySigV4({ ...real, url: `${real.url}${real.url.includes('?') ? '&' : '?'}${query}`, headers }, { clientKeys, now: random.date.getTime() });
        if (result.ok) return;
        expect(REASONS.has(result.reason)).toBe(true);
        expect([400, 403]).toContain(result.status);
        expect(`${result.message}${JSON.stringify(result)}`).not.toContain(CREDENTIALS.secretAccessKey);
      }),
      { numRuns: RUNS },
    );
  });
});
