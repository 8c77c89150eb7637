/**
 * botocore (Debian's python3-botocore, `botocore.auth.SigV4Auth` / `S3SigV4Auth`) as a third oracle,
 * run in one child process for the whole file (test/helpers/botocore.ts). Three parts:
 *
 * 1. properties: random requests (test/helpers/differential.ts) signed by us and by botocore must carry
 *    the same Authorization header; a mismatch shows both canonical requests side by side;
 * 2. the AWS 2015 suite through botocore: botocore agrees with every vector but the two listed;
 * 3. every known difference, versus botocore, @smithy/signature-v4 and aws4, pinned one by one: each
 *    row of the table in docs/signing-rules.md names its test here. If one of these starts failing, the
 *    other signer (or ours) changed its rules: update the table, not just the test.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import aws4 from 'aws4';
import { SignatureV4 } from '@smithy/signature-v4';
import { HttpRequest } from '@smithy/protocol-http';
import { Hash } from '@smithy/hash-node';
import { signRequest, parseAmzDate, hashPayload, InvalidHeaderError, DEFAULT_UNSIGNED_HEADERS, type SignOptions, type SignedRequest } from '../../src/signer/index.js';
import { CREDENTIALS, encodedPath, randomRequest, rawPath, smithyAuthorization, type RandomRequest } from '../helpers/differential.js';
import { BotocoreOracle, INSTALL_TIMEOUT_MS, botocoreRequest, ourSigned, sideBySide, type BotocoreRequest, type BotocoreResult, type QueryVia } from '../helpers/botocore.js';
import { loadSuite2015, headerValue, SUITE_CREDENTIALS, type SuiteCase } from '../helpers/vectors.js';

const RUNS = Number(process.env.BOTOCORE_RUNS ?? 2000);
const DATE = new Date('2015-08-30T12:36:00Z');
const HOST = 'example.amazonaws.com';
const S3_HOST = 'bucket.s3.amazonaws.com';

let oracle: BotocoreOracle;

beforeAll(() => {
  oracle = BotocoreOracle.start();
}, INSTALL_TIMEOUT_MS + 10_000);

afterAll(async () => {
  await oracle?.close();
});

function mismatch(what: string, ours: SignedRequest, theirs: BotocoreResult): Error {
  return new Error(`${what}: our Authorization differs from botocore's\n${sideBySide(ours, theirs)}`);
}

/** Compares one random request: our signature of each path in `ourPaths` against botocore's of `path`. */
async function compareRandom(request: RandomRequest, ourPaths: string[], path: string, queryVia: QueryVia): Promise<void> {
  const theirs = await oracle.sign(botocoreRequest(request, path, queryVia));
  for (const ourPath of ourPaths) {
    const ours = ourSigned(request, ourPath);
    if (ours.authorization !== theirs.authorization) throw mismatch(`path ${JSON.stringify(ourPath)}, query via ${queryVia}`, ours, theirs);
  }
}

const queryVia = fc.constantFrom<QueryVia>('url', 'params');

describe('differential signing against botocore', () => {
  it(`signs the 2015 suite's get-vanilla as the suite does, with the date pinned`, async () => {
    const theirs = await oracle.sign({
      signer: 'v4', method: 'GET', url: `https://${HOST}/`, headers: [], region: 'us-east-1', service: 'service', credentials: SUITE_CREDENTIALS, date: DATE,
    });
    expect(oracle.version).toMatch(/^1\./);
    expect(theirs.authorization).toBe(
      'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31',
    );
  });

  it('matches SigV4Auth for every random non-S3 request (path raw or encoded, query in the URL or as params)', async () => {
    await fc.assert(
      fc.asyncProperty(randomRequest(false), fc.boolean(), queryVia, async (request, raw, via) => {
        const path = raw ? rawPath(request) : encodedPath(request);
        await compareRandom(request, [path], path, via);
      }),
      { numRuns: RUNS },
    );
  });

  it('matches S3SigV4Auth (given the key encoded once) for every random S3 request, whether we get the key raw or encoded', async () => {
    await fc.assert(
      fc.asyncProperty(randomRequest(true), queryVia, async (request, via) => {
        await compareRandom(request, [rawPath(request), encodedPath(request)], encodedPath(request), via);
      }),
      { numRuns: RUNS },
    );
  });

  // Shapes the shared generator does not make: header names in any case (one name in two cases is one
  // header with both values), hosts in upper case or with the default port, binary bodies, lower-case methods.
  const headerCase = fc.array(fc.boolean(), { minLength: 12, maxLength: 12 });
  it('matches for header names in any case, upper-case hosts with default ports, binary bodies and lower-case methods', async () => {
    await fc.assert(
      fc.asyncProperty(
        randomRequest(false),
        fc.array(headerCase, { minLength: 4, maxLength: 4 }),
        fc.boolean(),
        fc.option(fc.uint8Array({ maxLength: 64 }), { nil: undefined }),
        fc.boolean(),
        async (request, cases, https, bytes, lowerMethod) => {
          const names = request.headers.map(([name], i) => [...name].map((c, j) => ((cases[i] as boolean[])[j % 12] ? c.toUpperCase() : c)).join(''));
          // The same name again in another case, so one header arrives under two spellings.
          const headers: Record<string, string[]> = {};
          const lines: Array<[string, string]> = [];
          request.headers.forEach(([name, values], i) => {
            const [first = '', ...rest] = values;
            headers[names[i] as string] = [first];
            lines.push([names[i] as string, first]);
            const other = names[i] === name.toUpperCase() ? name : name.toUpperCase();
            if (rest.length > 0) {
              headers[other] = rest;
              for (const value of rest) lines.push([other, value]);
            }
          });
          const scheme = https ? 'https' : 'http';
          const host = request.host.includes(':') ? request.host.toUpperCase() : `${request.host.toUpperCase()}:${https ? 443 : 80}`;
          const url = `${scheme}://${host}${rawPath(request)}`;
          const method = lowerMethod ? request.method.toLowerCase() : request.method;
          const body = bytes ?? request.body;
          const ours = signRequest(
            { method, url, headers, body },
            { credentials: { ...CREDENTIALS, sessionToken: request.sessionToken }, region: request.region, service: request.service, date: request.date },
          );
          const theirs = await oracle.sign({
            signer: 'v4', method, url, headers: lines, body, region: request.region, service: request.service,
            credentials: { ...CREDENTIALS, sessionToken: request.sessionToken }, date: request.date,
          });
          if (ours.authorization !== theirs.authorization) throw mismatch(url, ours, theirs);
        },
      ),
      { numRuns: Math.ceil(RUNS / 4) },
    );
  });
});

function suiteBotocoreRequest(testCase: SuiteCase): BotocoreRequest {
  const { method, target, headers, body } = testCase.request;
  const after = testCase.name.endsWith('post-sts-header-after') ? /X-Amz-Security-Token:(.*)/.exec(testCase.sreq ?? '')?.[1] : undefined;
  const lines: Array<[string, string]> = [];
  for (const [name, value] of Object.entries(headers)) {
    if (name.toLowerCase() === 'x-amz-security-token') continue; // botocore adds it from the credentials
    for (const item of [value].flat()) lines.push([name, item]);
  }
  return {
    signer: 'v4',
    method,
    url: `https://${headerValue(headers, 'host') as string}${target}`,
    headers: lines,
    body: body.length > 0 ? body : undefined,
    region: 'us-east-1',
    service: 'service',
    credentials: { ...SUITE_CREDENTIALS, sessionToken: headerValue(headers, 'x-amz-security-token') ?? after },
    date: parseAmzDate(headerValue(headers, 'x-amz-date') as string) as Date,
  };
}

/** Suite vectors botocore does not reproduce, with the row of docs/signing-rules.md that explains each. */
const SUITE_CASES_BOTOCORE_DIFFERS = new Map([
  ['get-vanilla-utf8-query', 'B1: botocore signs a query in the URL as written (`ሴ=bar`, not `%E1%88%B4=bar`)'],
  ['post-sts-token/post-sts-header-after', 'B11: botocore always signs the session token; the vector adds it after signing'],
]);

describe('the AWS SigV4 test suite (2015 edition) through botocore', () => {
  const cases = loadSuite2015();
  it.each(cases.map((c) => [c.name, c] as const))('%s', async (name, testCase) => {
    const theirs = await oracle.sign(suiteBotocoreRequest(testCase));
    const suite = { canonicalRequest: testCase.creq, stringToSign: testCase.sts, authorization: testCase.authz };
    if (SUITE_CASES_BOTOCORE_DIFFERS.has(name)) {
      expect(theirs.authorization, SUITE_CASES_BOTOCORE_DIFFERS.get(name)).not.toBe(testCase.authz);
    } else if (theirs.authorization !== testCase.authz) {
      throw new Error(`botocore differs from the suite on ${name}\n${sideBySide(suite, theirs, ['suite', 'botocore'])}`);
    }
  });
});

// ---------------------------------------------------------------------------------------------------
// Known differences. Helpers sign one hand-written request with each signer.

function ours(url: string, init: { method?: string; headers?: Record<string, string | string[]>; body?: string; options?: Partial<SignOptions> } = {}): SignedRequest {
  const service = new URL(url).hostname.includes('.s3.') ? 's3' : 'service';
  return signRequest(
    { method: init.method ?? 'GET', url, headers: init.headers, body: init.body },
    { credentials: CREDENTIALS, region: 'us-east-1', service, date: DATE, ...init.options } as SignOptions,
  );
}

function botocore(url: string, init: { method?: string; headers?: Array<[string, string]>; body?: string; params?: Array<[string, string]>; sessionToken?: string } = {}): Promise<BotocoreResult> {
  const s3 = new URL(url).hostname.includes('.s3.');
  return oracle.sign({
    signer: s3 ? 's3v4' : 'v4',
    method: init.method ?? 'GET',
    url,
    headers: init.headers ?? [],
    body: init.body,
    params: init.params,
    region: 'us-east-1',
    service: s3 ? 's3' : 'service',
    credentials: { ...CREDENTIALS, sessionToken: init.sessionToken },
    date: DATE,
    detail: true,
  });
}

const line = (signed: { canonicalRequest: string }, index: number) => signed.canonicalRequest.split('\n')[index];
const PATH = 1;
const QUERY = 2;
const signedHeadersOf = (authorization: string) => (/SignedHeaders=([^,]*)/.exec(authorization) as RegExpExecArray)[1];

describe('known differences from botocore (docs/signing-rules.md, rows B1-B12)', () => {
  it('B1: botocore signs a query in the URL as written (no decoding, no encoding); we sign it SigV4-encoded', async () => {
    const url = `http://${HOST}/?b=x y&%7e=1&a=%c3%a9`;
    expect(line(await botocore(url), QUERY)).toBe('%7e=1&a=%c3%a9&b=x y');
    expect(line(ours(url), QUERY)).toBe('a=%C3%A9&b=x%20y&~=1');
    // Written as botocore's serializers write it, the query signs the same.
    expect((await botocore(`http://${HOST}/?b=x%20y&~=1&a=%C3%A9`)).authorization).toBe(ours(url).authorization);
  });

  it('B2: a raw "+" in the URL query is signed as "+" by botocore and as a literal plus (%2B) by us; as params botocore encodes it %2B', async () => {
    const url = `http://${HOST}/?a=x+y`;
    expect(line(await botocore(url), QUERY)).toBe('a=x+y');
    expect(line(ours(url), QUERY)).toBe('a=x%2By');
    expect((await botocore(`http://${HOST}/`, { params: [['a', 'x+y']] })).authorization).toBe(ours(url).authorization);
    expect((await botocore(`http://${HOST}/?a=x%2By`)).authorization).toBe(ours(url).authorization);
  });

  it('B3: an empty pair (`&&`, a trailing `&`) is signed by botocore as `=`; we drop it', async () => {
    const url = `http://${HOST}/?a=1&&b=2&`;
    expect(line(await botocore(url), QUERY)).toBe('=&=&a=1&b=2');
    expect(line(ours(url), QUERY)).toBe('a=1&b=2');
  });

  it('B4: S3SigV4Auth signs the path as written (raw characters, lower-case escapes); we encode the key exactly once', async () => {
    const url = `http://${S3_HOST}/a b/%c3%a9/x+y`;
    expect(line(await botocore(url), PATH)).toBe('/a b/%c3%a9/x+y');
    expect(line(ours(url), PATH)).toBe('/a%20b/%C3%A9/x%2By');
    expect((await botocore(`http://${S3_HOST}/a%20b/%C3%A9/x%2By`)).authorization).toBe(ours(url).authorization);
  });

  it('B5: S3SigV4Auth signs an empty path as an empty canonical URI; we sign "/" (SigV4Auth does too)', async () => {
    for (const url of [`http://${S3_HOST}`, `http://${S3_HOST}?x=1`]) {
      expect(line(await botocore(url), PATH)).toBe('');
      expect(line(ours(url), PATH)).toBe('/');
    }
    expect(line(await botocore(`http://${HOST}`), PATH)).toBe('/');
  });

  it('B6: an encoded slash in an S3 key is signed as "%2F" by botocore (and @smithy/signature-v4); we sign the decoded key, "/"', async () => {
    const url = `http://${S3_HOST}/dir/a%2Fb`;
    expect(line(await botocore(url), PATH)).toBe('/dir/a%2Fb');
    expect(line(ours(url), PATH)).toBe('/dir/a/b');
    const request: RandomRequest = { method: 'GET', host: S3_HOST, segments: ['dir', 'a/b'], query: [], headers: [], body: undefined, date: DATE, region: 'us-east-1', service: 's3', sessionToken: undefined, rawStyle: false };
    expect(await smithyAuthorization(request, '/dir/a%2Fb')).toBe((await botocore(url)).authorization);
    expect(await smithyAuthorization(request, '/dir/a/b')).toBe(ours(url).authorization);
  });

  it('B7: botocore folds every Unicode whitespace in header values (str.split()); we fold spaces and tabs and refuse other control or non-ASCII characters', async () => {
    const value = 'a\x0bb\x0c c\u00a0d\u2003e\r\nf';
    expect((await botocore(`http://${HOST}/`, { headers: [['x-a', value]] })).canonicalRequest).toContain('\nx-a:a b c d e f\n');
    for (const char of ['\x0b', '\x0c', '\r', '\n', '\u00a0', '\u2003']) {
      expect(() => ours(`http://${HOST}/`, { headers: { 'x-a': `a${char}b` } })).toThrow(InvalidHeaderError);
    }
    // Spaces and tabs fold the same on both sides.
    expect((await botocore(`http://${HOST}/`, { headers: [['x-a', ' \ta \t b\t ']] })).authorization).toBe(ours(`http://${HOST}/`, { headers: { 'x-a': ' \ta \t b\t ' } }).authorization);
  });

  it('B8: botocore signs every header but expect, user-agent and x-amzn-trace-id; we also leave hop-by-hop and proxy headers unsigned unless asked', async () => {
    const headers: Array<[string, string]> = [['connection', 'keep-alive'], ['cache-control', 'no-cache'], ['via', '1.1 proxy'], ['x-forwarded-for', '10.0.0.1'], ['user-agent', 'ua'], ['expect', '100-continue'], ['x-custom', 'v']];
    const theirs = await botocore(`http://${HOST}/`, { headers });
    expect(signedHeadersOf(theirs.authorization)).toBe('cache-control;connection;host;via;x-amz-date;x-custom;x-forwarded-for');
    const record = Object.fromEntries(headers);
    expect(ours(`http://${HOST}/`, { headers: record }).signedHeaders).toBe('host;x-amz-date;x-custom');
    for (const name of ['connection', 'cache-control', 'via', 'x-forwarded-for', 'user-agent', 'expect']) expect(DEFAULT_UNSIGNED_HEADERS).toContain(name);
    // Naming the headers botocore signs gives its signature.
    const includeHeaders = ['connection', 'cache-control', 'via', 'x-forwarded-for', 'x-custom'];
    expect(ours(`http://${HOST}/`, { headers: record, options: { includeHeaders } }).authorization).toBe(theirs.authorization);
  });

  it('B9: with a Date header, botocore rewrites it to its own time (zone "-0000") and drops X-Amz-Date; we keep X-Amz-Date unless dateHeader is "date"', async () => {
    const theirs = await botocore(`http://${HOST}/`, { headers: [['Date', 'Mon, 01 Jan 2001 00:00:00 GMT'], ['X-Amz-Date', '20010101T000000Z']] });
    expect(theirs.headers).toEqual([['Date', 'Sun, 30 Aug 2015 12:36:00 -0000'], ['Authorization', theirs.authorization]]);
    expect(ours(`http://${HOST}/`, { headers: { Date: 'Mon, 01 Jan 2001 00:00:00 GMT' } }).signedHeaders).toBe('date;host;x-amz-date');
    expect(ours(`http://${HOST}/`, { headers: { Date: 'Sun, 30 Aug 2015 12:36:00 -0000' }, options: { dateHeader: 'date' } }).authorization).toBe(theirs.authorization);
  });

  it('B10: a caller\'s X-Amz-Content-SHA256 is taken as the payload hash by botocore (non-S3) even beside a body; we hash the body and rewrite the header', async () => {
    const headers: Array<[string, string]> = [['X-Amz-Content-SHA256', 'UNSIGNED-PAYLOAD']];
    const theirs = await botocore(`http://${HOST}/`, { method: 'PUT', headers, body: 'abc' });
    expect(line(theirs, 8)).toBe('UNSIGNED-PAYLOAD');
    const signed = ours(`http://${HOST}/`, { method: 'PUT', headers: Object.fromEntries(headers), body: 'abc' });
    expect(signed.payloadHash).toBe(hashPayload('abc'));
    expect(signed.headers['x-amz-content-sha256']).toBe(hashPayload('abc'));
    // Without a body, the declared hash is used on both sides; S3SigV4Auth always recomputes it.
    expect(ours(`http://${HOST}/`, { method: 'PUT', headers: Object.fromEntries(headers) }).authorization).toBe((await botocore(`http://${HOST}/`, { method: 'PUT', headers })).authorization);
    expect((await botocore(`http://${S3_HOST}/k`, { method: 'PUT', headers, body: 'abc' })).canonicalRequest.endsWith(`\n${hashPayload('abc')}`)).toBe(true);
  });

  it('B11: botocore always signs the session token; we can add it after signing (signSessionToken: false, the suite\'s post-sts-header-after)', async () => {
    const theirs = await botocore(`http://${HOST}/`, { sessionToken: 'TOKEN' });
    expect(signedHeadersOf(theirs.authorization)).toBe('host;x-amz-date;x-amz-security-token');
    expect(ours(`http://${HOST}/`, { options: { credentials: { ...CREDENTIALS, sessionToken: 'TOKEN' } } }).authorization).toBe(theirs.authorization);
    const after = ours(`http://${HOST}/`, { options: { credentials: { ...CREDENTIALS, sessionToken: 'TOKEN' }, signSessionToken: false } });
    expect(after.signedHeaders).toBe('host;x-amz-date');
    expect(after.headers['x-amz-security-token']).toBe('TOKEN');
  });

  it('B12 (botocore only): AWSRequest(params=...) sends the query urlencoded (space as "+") but signs it quoted (space as %20)', async () => {
    const theirs = await botocore(`http://${HOST}/`, { params: [['a', 'x y']] });
    expect(theirs.preparedUrl).toBe(`http://${HOST}/?a=x+y`);
    expect(line(theirs, QUERY)).toBe('a=x%20y');
    // The URL it sends is, under SigV4's rules, a different request: we sign its "+" as a literal plus.
    expect(line(ours(theirs.preparedUrl as string), QUERY)).toBe('a=x%2By');
  });
});

describe('known differences from @smithy/signature-v4 (docs/signing-rules.md, rows S1-S3)', () => {
  const smithy = async (headers: Record<string, string>, body?: string) => {
    const signer = new SignatureV4({ credentials: CREDENTIALS, region: 'us-east-1', service: 'service', sha256: Hash.bind(null, 'sha256'), applyChecksum: false });
    const signed = await signer.sign(new HttpRequest({ method: 'PUT', protocol: 'http:', hostname: HOST, path: '/', headers: { host: HOST, ...headers }, body }), { signingDate: DATE });
    return signed.headers.authorization as string;
  };

  it('S1: smithy signs via and x-forwarded-*; we leave them unsigned by default', async () => {
    const headers = { via: '1.1 proxy', 'x-forwarded-for': '10.0.0.1', 'x-forwarded-host': 'a', 'x-forwarded-proto': 'https' };
    expect(signedHeadersOf(await smithy(headers))).toBe('host;via;x-amz-date;x-forwarded-for;x-forwarded-host;x-forwarded-proto');
    expect(ours(`http://${HOST}/`, { method: 'PUT', headers }).signedHeaders).toBe('host;x-amz-date');
    expect(ours(`http://${HOST}/`, { method: 'PUT', headers, options: { includeHeaders: Object.keys(headers) } }).authorization).toBe(await smithy(headers));
  });

  it('S2: smithy takes a caller\'s x-amz-content-sha256 as the payload hash beside a body; we hash the body', async () => {
    const theirs = await smithy({ 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' }, 'abc');
    const headers = { 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' };
    expect(ours(`http://${HOST}/`, { method: 'PUT', headers, body: 'abc' }).authorization).not.toBe(theirs);
    expect(ours(`http://${HOST}/`, { method: 'PUT', headers, body: 'abc', options: { payloadHash: 'UNSIGNED-PAYLOAD' } }).authorization).toBe(theirs);
  });

  it('S3: smithy signs CR and LF in a header value as spaces; we refuse them', async () => {
    expect(await smithy({ 'x-a': 'a\r\nb' })).toBe(await smithy({ 'x-a': 'a b' }));
    expect(() => ours(`http://${HOST}/`, { headers: { 'x-a': 'a\r\nb' } })).toThrow(InvalidHeaderError);
  });
});

describe('known differences from aws4 (docs/signing-rules.md, rows A1-A6)', () => {
  const sign = (path: string, service: 's3' | 'service', headers: Record<string, string> = {}, body?: string) => {
    const request: aws4.Request = { host: service === 's3' ? S3_HOST : HOST, path, service, region: 'us-east-1', method: body === undefined ? 'GET' : 'PUT', body, headers: { 'X-Amz-Date': '20150830T123600Z', ...headers } };
    const signer = new aws4.RequestSigner(request, CREDENTIALS);
    signer.sign();
    return { canonicalRequest: signer.canonicalString(), sentPath: request.path as string, authorization: (request.headers as Record<string, string>).Authorization as string };
  };

  it('A1: aws4 reads a raw "+" in the query as a space, signs %20 and rewrites the URL it sends to match; we sign a literal plus', () => {
    const theirs = sign('/?a=x+y', 'service');
    expect(line(theirs, QUERY)).toBe('a=x%20y');
    expect(theirs.sentPath).toBe('/?a=x%20y');
    expect(line(ours(`http://${HOST}/?a=x+y`), QUERY)).toBe('a=x%2By');
  });

  it('A2: for S3, aws4 reads a raw "+" in the path as a space but sends the "+" unchanged; we sign it as a plus, as S3 reads it', () => {
    const theirs = sign('/a+b', 's3');
    expect(line(theirs, PATH)).toBe('/a%20b');
    expect(theirs.sentPath).toBe('/a+b');
    expect(line(ours(`http://${S3_HOST}/a+b`), PATH)).toBe('/a%2Bb');
  });

  it('A3: for S3, aws4 signs only the first value of a repeated query key while sending them all; we (and botocore) sign every value', async () => {
    const theirs = sign('/k?a=1&a=2&b=&b=', 's3');
    expect(line(theirs, QUERY)).toBe('a=1&b=');
    expect(theirs.sentPath).toBe('/k?a=1&a=2&b=&b=');
    expect(line(ours(`http://${S3_HOST}/k?a=1&a=2&b=&b=`), QUERY)).toBe('a=1&a=2&b=&b=');
    expect(line(await botocore(`http://${S3_HOST}/k?a=1&a=2&b=&b=`), QUERY)).toBe('a=1&a=2&b=&b=');
  });

  it('A4: aws4 drops pairs with an empty key from the signature and from the URL it sends; we (and botocore) sign them', async () => {
    const theirs = sign('/?=v&a=1', 'service');
    expect(line(theirs, QUERY)).toBe('a=1');
    expect(theirs.sentPath).toBe('/?a=1');
    expect(line(ours(`http://${HOST}/?=v&a=1`), QUERY)).toBe('=v&a=1');
    expect(line(await botocore(`http://${HOST}/?=v&a=1`), QUERY)).toBe('=v&a=1');
  });

  it('A5: aws4 leaves range and presigned-expires unsigned and signs cache-control; our default list is the other way round', () => {
    const headers = { Range: 'bytes=0-1', 'Presigned-Expires': '60', 'Cache-Control': 'no-cache' };
    expect(signedHeadersOf(sign('/', 'service', headers).authorization)).toBe('cache-control;host;x-amz-date');
    expect(ours(`http://${HOST}/`, { headers }).signedHeaders).toBe('host;presigned-expires;range;x-amz-date');
  });

  it('A6: aws4 takes a caller\'s x-amz-content-sha256 as the payload hash beside a body; we hash the body', () => {
    const theirs = sign('/', 'service', { 'X-Amz-Content-Sha256': 'UNSIGNED-PAYLOAD' }, 'abc');
    expect(theirs.canonicalRequest.endsWith('\nUNSIGNED-PAYLOAD')).toBe(true);
    expect(ours(`http://${HOST}/`, { method: 'PUT', headers: { 'X-Amz-Content-Sha256': 'UNSIGNED-PAYLOAD' }, body: 'abc' }).payloadHash).toBe(hashPayload('abc'));
  });
});
