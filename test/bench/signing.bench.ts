/**
 * Signing throughput against peers, and payload-hashing throughput against raw node:crypto.
 *
 * Ours is imported from the BUILT `dist/signer/index.js` (what users get), so run `npm run build` first
 * (`npm run bench` does). Every contender signs the same request with the same credentials and date and,
 * before anything is timed, each one's Authorization signature is checked against ours: a benchmark of a
 * wrong signature is worthless, so a mismatch aborts the run.
 *
 * Scenarios:
 * - S3 GET, no body, default headers, cached signing key (same day): the request the 1.5x/3x
 *   targets are about.
 * - OpenSearch (`es`) POST with a small JSON body, cached key: a non-S3 request that hashes its body and
 *   double-encodes/normalises the path.
 * - Payload hashing of 1 MiB and 64 MiB: `hashPayload` vs `createHash('sha256').update(buf).digest('hex')`.
 *
 * Peers and how they are made comparable:
 * - `aws4`: `aws4.sign()` on a fresh request object each call (it mutates its input). `X-Amz-Date` is
 *   passed as a header, which is how aws4 takes a fixed time. Its module-level LRU caches the signing key.
 *   For S3 it hashes the empty body into `X-Amz-Content-Sha256` itself, as ours does.
 * - `@smithy/signature-v4`: one `SignatureV4` instance (as an SDK client holds one), a fresh `HttpRequest`
 *   per call (as the SDK builds one per request) with the `host` header the SDK's host middleware would
 *   add, awaited. For S3 `uriEscapePath: false` (as the S3 client configures it) and the default
 *   `applyChecksum`, which adds `x-amz-content-sha256` like ours; for `es`, `applyChecksum: false` so it
 *   signs the same headers as ours. Its module-level cache holds the signing key (it still HMACs the
 *   secret each call to build the cache key: that is its real cost).
 * - `aws4fetch`: a new `AwsV4Signer` per call (its API), `.sign()` awaited, with a shared `cache` Map (as
 *   `AwsClient` passes its own, so the key is derived once). For S3 it would default to
 *   `x-amz-content-sha256: UNSIGNED-PAYLOAD`; it is given the empty-body hash header ours computes, so the
 *   canonical requests are identical. For `es` it needs `allHeaders: true`, otherwise it never signs
 *   `content-type`/`content-length`.
 * - `floor`: hand-written SigV4 for exactly this request with node:crypto: the canonical request built
 *   from a fixed template, one sha256 of it, one HMAC under a precomputed key, the Authorization string
 *   (for the POST also the one sha256 of the body every contender must do). The theoretical minimum;
 *   no validation, no header handling, no generality.
 *
 * @module
 */
import { createHash, createHmac, randomFillSync } from 'node:crypto';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import aws4 from 'aws4';
import { AwsV4Signer } from 'aws4fetch';
import { SignatureV4 } from '@smithy/signature-v4';
import { Hash } from '@smithy/hash-node';
import { HttpRequest } from '@smithy/protocol-http';
import { compare, defineSuite, loadBuilt, type BenchConfig, type Contender, type ScenarioResult } from './harness.js';

type Signer = typeof import('../../src/signer/index.js');
const loadOurs = () => loadBuilt<Signer>('signer/index.js');

const CREDENTIALS = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' } as const;
const REGION = 'us-east-1';
const DATE = new Date('2024-05-01T12:34:56Z');
const AMZ_DATE = '20240501T123456Z';
const SHORT_DATE = '20240501';
const EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

const S3_HOST = 'my-bucket.s3.us-east-1.amazonaws.com';
const S3_PATH = '/path/to/object.txt';
const S3_URL = `https://${S3_HOST}${S3_PATH}`;

const ES_HOST = 'search-my-domain-abc123xyz.us-east-1.es.amazonaws.com';
const ES_PATH = '/my-index/_search';
const ES_URL = `https://${ES_HOST}${ES_PATH}`;
const ES_BODY = JSON.stringify({
  query: { match: { title: { query: 'sigv4 signing benchmark', operator: 'and' } } },
  size: 10,
  _source: ['title', 'url', 'updated_at'],
});
const ES_LENGTH = String(Buffer.byteLength(ES_BODY));

function signatureOf(authorization: string | null | undefined, who: string): { signedHeaders: string; signature: string; credential: string } {
  const match = /^AWS4-HMAC-SHA256 Credential=([^,]+), ?SignedHeaders=([^,]+), ?Signature=([0-9a-f]{64})$/.exec(authorization ?? '');
  if (match === null) throw new Error(`${who}: unexpected Authorization ${JSON.stringify(authorization)}`);
  return { credential: match[1] as string, signedHeaders: match[2] as string, signature: match[3] as string };
}

/** Throws unless every peer's Authorization has ours' credential, signed headers and signature. */
function assertSameSignature(scenario: string, ours: string, peers: Readonly<Record<string, string | null | undefined>>): void {
  const expected = signatureOf(ours, `${scenario} ours`);
  for (const [name, authorization] of Object.entries(peers)) {
    const got = signatureOf(authorization, `${scenario} ${name}`);
    if (got.signature !== expected.signature || got.signedHeaders !== expected.signedHeaders || got.credential !== expected.credential) {
      throw new Error(
        `${scenario}: ${name} signs differently from ours, so timing them side by side would be meaningless\n` +
          `  ours: ${ours}\n  ${name}: ${authorization}`,
      );
    }
  }
  process.stdout.write(`  ✓ ${scenario}: ours, ${Object.keys(peers).join(', ')} all produce Signature=${expected.signature.slice(0, 16)}… (SignedHeaders=${expected.signedHeaders})\n`);
}

function hmac(key: string | Uint8Array, data: string): Buffer {
  return createHmac('sha256', key).update(data, 'utf8').digest();
}

/** The signing key, derived once by hand (not through our code) for the floor contender. */
function floorKey(service: string): Buffer {
  return hmac(hmac(hmac(hmac(`AWS4${CREDENTIALS.secretAccessKey}`, SHORT_DATE), REGION), service), 'aws4_request');
}

async function s3Get(ours: Signer): Promise<ScenarioResult> {
  const options = { credentials: CREDENTIALS, region: REGION, service: 's3', date: DATE } as const;
  const signOurs = (): string => ours.signRequest({ method: 'GET', url: S3_URL }, options).authorization;

  const signAws4 = (): string =>
    aws4.sign({ host: S3_HOST, path: S3_PATH, method: 'GET', service: 's3', region: REGION, headers: { 'X-Amz-Date': AMZ_DATE } }, CREDENTIALS)
      .headers?.Authorization as string;

  const smithy = new SignatureV4({ credentials: CREDENTIALS, region: REGION, service: 's3', sha256: Hash.bind(null, 'sha256'), uriEscapePath: false });
  const signSmithy = async (): Promise<string> => {
    const request = new HttpRequest({ method: 'GET', protocol: 'https:', hostname: S3_HOST, path: S3_PATH, headers: { host: S3_HOST } });
    const signed = (await smithy.sign(request, { signingDate: DATE })) as HttpRequest;
    return signed.headers.authorization as string;
  };

  const aws4fetchCache = new Map<string, ArrayBuffer>();
  const signAws4fetch = async (): Promise<string | null> => {
    const signer = new AwsV4Signer({
      url: S3_URL,
      method: 'GET',
      headers: { 'x-amz-content-sha256': EMPTY_SHA256 },
      ...CREDENTIALS,
      service: 's3',
      region: REGION,
      datetime: AMZ_DATE,
      cache: aws4fetchCache,
    });
    return (await signer.sign()).headers.get('authorization');
  };

  const key = floorKey('s3');
  const scope = `${SHORT_DATE}/${REGION}/s3/aws4_request`;
  const signedHeaders = 'host;x-amz-content-sha256;x-amz-date';
  const signFloor = (): string => {
    const canonical = `GET\n${S3_PATH}\n\nhost:${S3_HOST}\nx-amz-content-sha256:${EMPTY_SHA256}\nx-amz-date:${AMZ_DATE}\n\n${signedHeaders}\n${EMPTY_SHA256}`;
    const toSign = `AWS4-HMAC-SHA256\n${AMZ_DATE}\n${scope}\n${createHash('sha256').update(canonical, 'utf8').digest('hex')}`;
    const signature = createHmac('sha256', key).update(toSign, 'utf8').digest('hex');
    return `AWS4-HMAC-SHA256 Credential=${CREDENTIALS.accessKeyId}/${scope}, SignedHeaders=${signedHeaders}, Signature=${signature}`;
  };

  assertSameSignature('S3 GET', signOurs(), {
    aws4: signAws4(),
    '@smithy/signature-v4': await signSmithy(),
    aws4fetch: await signAws4fetch(),
    floor: signFloor(),
  });

  const contenders: Contender[] = [
    { name: 'ours', run: signOurs, note: 'signRequest() from dist/signer, fixed date (cached key)' },
    { name: 'aws4', run: signAws4, note: 'aws4.sign(), X-Amz-Date header for the fixed date' },
    { name: 'smithy', run: signSmithy, async: true, note: '@smithy/signature-v4 sign(), awaited; uriEscapePath false, new HttpRequest per call' },
    { name: 'aws4fetch', run: signAws4fetch, async: true, note: 'new AwsV4Signer().sign(), awaited, WebCrypto; shared key cache; given x-amz-content-sha256' },
    { name: 'floor', run: signFloor, note: 'hard-coded canonical request: 1 sha256 + 1 HMAC with a precomputed key' },
  ];
  return compare('S3 GET, cached key', contenders, {
    baseline: 'ours',
    description: `GET ${S3_URL}, no body, signed: ${signedHeaders}`,
    targets: [
      { peer: 'aws4', min: 1.5 },
      { peer: 'smithy', min: 3 },
      { peer: 'floor', min: 0.9 },
    ],
  });
}

/**
 * The S3 GET again over 4,096 distinct object keys and version ids, in turn, so that no canonical path or
 * query is ever the one signed just before (the signer remembers the last of each).
 */
async function s3GetDistinctKeys(ours: Signer): Promise<ScenarioResult> {
  const options = { credentials: CREDENTIALS, region: REGION, service: 's3', date: DATE } as const;
  const paths = Array.from({ length: 4096 }, (_, i) => `/logs/2026/11/23/part-${String(i).padStart(5, '0')}.json.gz`);
  const urls = paths.map((path, i) => `https://${S3_HOST}${path}?versionId=v${i}`);
  let next = 0;
  const signOurs = (): string => {
    next = (next + 1) & 4095;
    return ours.signRequest({ method: 'GET', url: urls[next] as string }, options).authorization;
  };
  const signAws4 = (): string => {
    next = (next + 1) & 4095;
    return aws4.sign({ host: S3_HOST, path: `${paths[next]}?versionId=v${next}`, method: 'GET', service: 's3', region: REGION, headers: { 'X-Amz-Date': AMZ_DATE } }, CREDENTIALS)
      .headers?.Authorization as string;
  };
  const key = floorKey('s3');
  const scope = `${SHORT_DATE}/${REGION}/s3/aws4_request`;
  const signedHeaders = 'host;x-amz-content-sha256;x-amz-date';
  const signFloor = (): string => {
    next = (next + 1) & 4095;
    const canonical = `GET\n${paths[next]}\nversionId=v${next}\nhost:${S3_HOST}\nx-amz-content-sha256:${EMPTY_SHA256}\nx-amz-date:${AMZ_DATE}\n\n${signedHeaders}\n${EMPTY_SHA256}`;
    const toSign = `AWS4-HMAC-SHA256\n${AMZ_DATE}\n${scope}\n${createHash('sha256').update(canonical, 'utf8').digest('hex')}`;
    const signature = createHmac('sha256', key).update(toSign, 'utf8').digest('hex');
    return `AWS4-HMAC-SHA256 Credential=${CREDENTIALS.accessKeyId}/${scope}, SignedHeaders=${signedHeaders}, Signature=${signature}`;
  };
  next = 4095;
  const oursFirst = signOurs();
  next = 4095;
  const aws4First = signAws4();
  next = 4095;
  assertSameSignature('S3 GET, distinct keys', oursFirst, { aws4: aws4First, floor: signFloor() });
  return compare('S3 GET, 4,096 distinct keys in turn', [
    { name: 'ours', run: signOurs, note: 'signRequest() from dist/signer, a different key and version id each call' },
    { name: 'aws4', run: signAws4, note: 'aws4.sign(), the same keys' },
    { name: 'floor', run: signFloor, note: 'the template with the key and version id interpolated' },
  ], {
    baseline: 'ours',
    description: `GET https://${S3_HOST}/logs/2026/11/23/part-NNNNN.json.gz?versionId=vN over 4,096 keys`,
    targets: [
      { peer: 'aws4', min: 1.5 },
      { peer: 'floor', min: 0.9 },
    ],
  });
}

async function esPost(ours: Signer): Promise<ScenarioResult> {
  const headers = { 'content-type': 'application/json', 'content-length': ES_LENGTH } as const;
  const options = { credentials: CREDENTIALS, region: REGION, service: 'es', date: DATE } as const;
  const signOurs = (): string => ours.signRequest({ method: 'POST', url: ES_URL, headers, body: ES_BODY }, options).authorization;

  const signAws4 = (): string =>
    aws4.sign(
      { host: ES_HOST, path: ES_PATH, method: 'POST', service: 'es', region: REGION, body: ES_BODY, headers: { 'Content-Type': 'application/json', 'Content-Length': ES_LENGTH, 'X-Amz-Date': AMZ_DATE } },
      CREDENTIALS,
    ).headers?.Authorization as string;

  const smithy = new SignatureV4({ credentials: CREDENTIALS, region: REGION, service: 'es', sha256: Hash.bind(null, 'sha256'), applyChecksum: false });
  const signSmithy = async (): Promise<string> => {
    const request = new HttpRequest({ method: 'POST', protocol: 'https:', hostname: ES_HOST, path: ES_PATH, headers: { host: ES_HOST, ...headers }, body: ES_BODY });
    const signed = (await smithy.sign(request, { signingDate: DATE })) as HttpRequest;
    return signed.headers.authorization as string;
  };

  const aws4fetchCache = new Map<string, ArrayBuffer>();
  const signAws4fetch = async (): Promise<string | null> => {
    const signer = new AwsV4Signer({
      url: ES_URL,
      method: 'POST',
      headers,
      body: ES_BODY,
      ...CREDENTIALS,
      service: 'es',
      region: REGION,
      datetime: AMZ_DATE,
      cache: aws4fetchCache,
      allHeaders: true,
    });
    return (await signer.sign()).headers.get('authorization');
  };

  const key = floorKey('es');
  const scope = `${SHORT_DATE}/${REGION}/es/aws4_request`;
  const signedHeaders = 'content-length;content-type;host;x-amz-date';
  // The path has no characters to encode and no dot segments, so double encoding and normalising are no-ops.
  const signFloor = (): string => {
    const bodyHash = createHash('sha256').update(ES_BODY, 'utf8').digest('hex');
    const canonical = `POST\n${ES_PATH}\n\ncontent-length:${ES_LENGTH}\ncontent-type:application/json\nhost:${ES_HOST}\nx-amz-date:${AMZ_DATE}\n\n${signedHeaders}\n${bodyHash}`;
    const toSign = `AWS4-HMAC-SHA256\n${AMZ_DATE}\n${scope}\n${createHash('sha256').update(canonical, 'utf8').digest('hex')}`;
    const signature = createHmac('sha256', key).update(toSign, 'utf8').digest('hex');
    return `AWS4-HMAC-SHA256 Credential=${CREDENTIALS.accessKeyId}/${scope}, SignedHeaders=${signedHeaders}, Signature=${signature}`;
  };

  assertSameSignature('es POST', signOurs(), {
    aws4: signAws4(),
    '@smithy/signature-v4': await signSmithy(),
    aws4fetch: await signAws4fetch(),
    floor: signFloor(),
  });

  const contenders: Contender[] = [
    { name: 'ours', run: signOurs },
    { name: 'aws4', run: signAws4 },
    { name: 'smithy', run: signSmithy, async: true, note: 'applyChecksum false (no x-amz-content-sha256, like ours for es)' },
    { name: 'aws4fetch', run: signAws4fetch, async: true, note: 'allHeaders true, so content-type/content-length are signed like the others' },
    { name: 'floor', run: signFloor, note: 'sha256(body) + sha256(canonical request) + 1 HMAC' },
  ];
  return compare('es POST with JSON body, cached key', contenders, {
    baseline: 'ours',
    description: `POST ${ES_URL}, ${ES_LENGTH}-byte JSON body, signed: ${signedHeaders}`,
    targets: [{ peer: 'floor', min: 0.9 }],
  });
}

/** The first n letter-case spellings of `name`, flipping the case of its letters like a binary counter. */
function caseSpellings(name: string, n: number): string[] {
  const letters = [...name].flatMap((c, i) => (/[a-z]/.test(c) ? [i] : []));
  return Array.from({ length: n }, (_, k) => [...name].map((c, i) => ((k >> letters.indexOf(i)) & 1 && letters.includes(i) ? c.toUpperCase() : c)).join(''));
}

/**
 * Header canonicalisation must be O(n log n) in the number of headers whatever their letter case: 5,000
 * spellings of one name (which become one header of 5,000 values) against 5,000 distinct names. Quadratic
 * joining made the first 20x slower than the second at this size.
 */
async function headerSpellings(ours: Signer): Promise<ScenarioResult> {
  const options = { credentials: CREDENTIALS, region: REGION, service: 'es', date: DATE } as const;
  const n = 5_000;
  const spelled = Object.fromEntries(caseSpellings('x-amz-meta-some-header-name', n).map((name) => [name, 'v']));
  const distinct = Object.fromEntries(Array.from({ length: n }, (_, i) => [`x-amz-meta-h${i}`, 'v']));
  return compare('headers: 5,000 letter-case spellings of one name', [
    { name: 'ours', run: () => ours.signRequest({ method: 'GET', url: ES_URL, headers: spelled }, options).authorization, note: 'one name in 5,000 spellings: one header, 5,000 values joined' },
    { name: 'distinct', run: () => ours.signRequest({ method: 'GET', url: ES_URL, headers: distinct }, options).authorization, note: 'ours on 5,000 distinct names (sorted)' },
  ], {
    baseline: 'ours',
    description: `GET ${ES_URL} with ${n} headers`,
    targets: [{ peer: 'distinct', min: 0.5 }],
    config: { minRounds: 5 },
  });
}

/**
 * `includeHeaders` globs are matched without backtracking: `x*x*x*x*x*x*x*y` against a 1 KiB header name
 * (a backtracking RegExp took about 1 s at 64 characters and over 8 s at 128), against the same request
 * signed with an exact-name list.
 */
async function globHeaders(ours: Signer): Promise<ScenarioResult> {
  const options = { credentials: CREDENTIALS, region: REGION, service: 'es', date: DATE } as const;
  const headers = { [`x-${'x'.repeat(1022)}`]: 'v', 'x-amz-meta-a': 'b' };
  const request = { method: 'GET', url: ES_URL, headers };
  const globs = { ...options, includeHeaders: ['x*x*x*x*x*x*x*y', '*x*x*x*x*x*x*x*z*', 'x-amz-*'] };
  const exact = { ...options, includeHeaders: ['x-amz-meta-a'] };
  return compare('includeHeaders globs against a 1 KiB header name', [
    { name: 'ours', run: () => ours.signRequest(request, globs).authorization, note: "includeHeaders ['x*x*x*x*x*x*x*y', '*x*x*x*x*x*x*x*z*', 'x-amz-*']" },
    { name: 'exact', run: () => ours.signRequest(request, exact).authorization, note: "includeHeaders ['x-amz-meta-a'] (no glob)" },
  ], {
    baseline: 'ours',
    description: `GET ${ES_URL} with a 1,024-character header name`,
    targets: [{ peer: 'exact', min: 0.8 }],
  });
}

async function payloadHashing(ours: Signer, size: number, label: string, config: BenchConfig): Promise<ScenarioResult> {
  const body = randomFillSync(Buffer.allocUnsafe(size));
  const raw = (): string => createHash('sha256').update(body).digest('hex');
  if (ours.hashPayload(body) !== raw()) throw new Error(`hashPayload(${label}) differs from createHash`);
  return compare(
    `payload hashing, ${label}`,
    [
      { name: 'ours', run: () => ours.hashPayload(body), note: 'hashPayload(buffer)' },
      { name: 'createHash', run: raw, note: "createHash('sha256').update(buffer).digest('hex')" },
    ],
    {
      baseline: 'ours',
      unit: 'MB/s',
      bytesPerOp: size,
      description: `${label} Buffer of random bytes`,
      targets: [{ peer: 'createHash', min: 0.95 }],
      // A 64 MiB hash takes tens of milliseconds: a batch is one call, and a few rounds suffice.
      config: size >= 16 * 1024 * 1024 ? { minRounds: config.quick ? 3 : 15 } : {},
    },
  );
}

export default defineSuite({
  name: 'signing',
  async run(config) {
    const ours = await loadOurs();
    const results: ScenarioResult[] = [];
    results.push(await s3Get(ours));
    results.push(await s3GetDistinctKeys(ours));
    results.push(await esPost(ours));
    results.push(await headerSpellings(ours));
    results.push(await globHeaders(ours));
    results.push(await payloadHashing(ours, 1024 * 1024, '1 MiB', config));
    results.push(await payloadHashing(ours, 64 * 1024 * 1024, '64 MiB', config));
    return results;
  },
});
