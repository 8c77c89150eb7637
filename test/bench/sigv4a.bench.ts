/**
 * SigV4a signing throughput against @smithy/signature-v4a, in the same run.
 *
 * Ours is imported from the BUILT `dist/signer/index.js` (what users get), so run `npm run build` first
 * (`npm run bench` does). ECDSA signatures are randomised, so before anything is timed each contender's
 * signature is VERIFIED (not compared) against our string to sign with the public key derived from the
 * credentials: a peer that signed another canonical request, or with another key, aborts the run.
 *
 * Scenarios:
 * - S3 Multi-Region Access Point GET, region set `*`, no body: the request SigV4a exists for.
 * - EventBridge global endpoint PutEvents POST, region set of two, small JSON body.
 *
 * Contenders and how they are made comparable:
 * - `ours`: `signRequest({ algorithm: 'sigv4a', regionSet })`; the key pair is derived once per credential
 *   and cached (node:crypto KeyObject), each call signs with OpenSSL's P-256.
 * - `smithy`: one `SignatureV4a` instance (as an SDK client holds one), a fresh `HttpRequest` per call with
 *   the `host` header, awaited. It runs without the CRT, on its bundled pure-JavaScript elliptic curve
 *   code, and derives the private key again on every call (its key cache is never consulted): that is its
 *   real per-request cost. For S3 `uriEscapePath: false` and `applyChecksum` (x-amz-content-sha256, as
 *   ours adds for S3); for EventBridge `applyChecksum: false`, as ours signs no payload header there.
 * - `ours (sigv4)`: the same request signed with SigV4 by us, for the cost of the asymmetric signature.
 * - `floor`: node:crypto alone: one sha256 of a fixed canonical request and one ECDSA P-256 sign with a
 *   ready KeyObject (a generated key: the cost does not depend on which). The minimum for SigV4a here.
 *
 * @module
 */
import { createHash, generateKeyPairSync, sign, verify } from 'node:crypto';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { SignatureV4a } from '@smithy/signature-v4a';
import { Hash } from '@smithy/hash-node';
import { HttpRequest } from '@smithy/protocol-http';
import { compare, defineSuite, loadBuilt, type Contender, type ScenarioResult } from './harness.js';

type Signer = typeof import('../../src/signer/index.js');
const loadOurs = () => loadBuilt<Signer>('signer/index.js');

const CREDENTIALS = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' } as const;
const DATE = new Date('2024-05-01T12:34:56Z');

const MRAP_HOST = 'mfzwi23gnjvgw.mrap.accesspoint.s3-global.amazonaws.com';
const MRAP_PATH = '/path/to/object.txt';

const EVENTS_HOST = 'abcde.fghi.global-endpoint.events.amazonaws.com';
const EVENTS_BODY = JSON.stringify({ Entries: [{ Source: 'bench', DetailType: 'sigv4a', Detail: JSON.stringify({ n: 1, text: 'benchmark event' }), EventBusName: 'default' }] });
const EVENTS_HEADERS = { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'AWSEvents.PutEvents', 'content-length': String(Buffer.byteLength(EVENTS_BODY)) } as const;

interface Scenario {
  readonly name: string;
  readonly method: string;
  readonly host: string;
  readonly path: string;
  readonly service: string;
  readonly regionSet: readonly string[];
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string | undefined;
  readonly s3: boolean;
}

const SCENARIOS: readonly Scenario[] = [
  { name: 'S3 Multi-Region Access Point GET, region set *', method: 'GET', host: MRAP_HOST, path: MRAP_PATH, service: 's3', regionSet: ['*'], headers: {}, body: undefined, s3: true },
  {
    name: 'EventBridge global endpoint PutEvents, 2 regions',
    method: 'POST',
    host: EVENTS_HOST,
    path: '/',
    service: 'events',
    regionSet: ['us-east-1', 'us-west-2'],
    headers: EVENTS_HEADERS,
    body: EVENTS_BODY,
    s3: false,
  },
];

function signatureOf(authorization: string | undefined, who: string): string {
  const match = /^AWS4-ECDSA-P256-SHA256 Credential=[^,]+, SignedHeaders=[^,]+, Signature=([0-9a-f]+)$/.exec(authorization ?? '');
  if (match === null) throw new Error(`${who}: unexpected Authorization ${JSON.stringify(authorization)}`);
  return match[1] as string;
}

async function scenario(ours: Signer, s: Scenario): Promise<ScenarioResult> {
  const url = `https://${s.host}${s.path}`;
  const options = { algorithm: 'sigv4a', credentials: CREDENTIALS, regionSet: s.regionSet, service: s.service, date: DATE } as const;
  const signOurs = (): string => ours.signRequest({ method: s.method, url, headers: s.headers, body: s.body }, options).authorization;
  const signOursV4 = (): string => ours.signRequest({ method: s.method, url, headers: s.headers, body: s.body }, { credentials: CREDENTIALS, region: 'us-east-1', service: s.service, date: DATE }).authorization;

  const smithy = new SignatureV4a({
    credentials: CREDENTIALS,
    region: s.regionSet.join(','),
    service: s.service,
    sha256: Hash.bind(null, 'sha256'),
    uriEscapePath: !s.s3,
    applyChecksum: s.s3,
  });
  const signSmithy = async (): Promise<string> => {
    const request = new HttpRequest({ method: s.method, protocol: 'https:', hostname: s.host, path: s.path, headers: { host: s.host, ...s.headers }, body: s.body });
    const signed = (await smithy.sign(request, { signingDate: DATE })) as HttpRequest;
    return signed.headers.authorization as string;
  };

  const reference = ours.signRequest({ method: s.method, url, headers: s.headers, body: s.body }, options);
  const floorPair = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const canonical = reference.canonicalRequest;
  const prefix = `AWS4-ECDSA-P256-SHA256\n${reference.amzDate}\n${reference.credentialScope}\n`;
  const signFloor = (): string => sign('sha256', Buffer.from(prefix + createHash('sha256').update(canonical, 'utf8').digest('hex')), floorPair.privateKey).toString('hex');
  if (!verify('sha256', Buffer.from(reference.stringToSign), floorPair.publicKey, Buffer.from(signFloor(), 'hex'))) throw new Error(`${s.name}: the floor signs another string`);

  // Randomised signatures: verify each against our string to sign and public key instead of comparing.
  const publicKey = ours.deriveSigV4aPublicKey(CREDENTIALS.accessKeyId, CREDENTIALS.secretAccessKey);
  const checks: Record<string, string> = { ours: signatureOf(signOurs(), 'ours'), smithy: signatureOf(await signSmithy(), 'smithy') };
  for (const [who, signature] of Object.entries(checks)) {
    if (!ours.verifySigV4a(reference.stringToSign, signature, publicKey)) {
      throw new Error(`${s.name}: ${who}'s signature does not verify for our string to sign, so timing it beside ours would be meaningless`);
    }
  }
  process.stdout.write(`  ✓ ${s.name}: ours' and smithy's signatures both verify for our string to sign and key (SignedHeaders=${reference.signedHeaders})\n`);

  const contenders: Contender[] = [
    { name: 'ours', run: signOurs, note: "signRequest({ algorithm: 'sigv4a' }) from dist/signer, cached key pair" },
    { name: 'smithy', run: signSmithy, async: true, note: '@smithy/signature-v4a sign(), awaited, pure-JS elliptic (no CRT), new HttpRequest per call' },
    { name: 'ours-sigv4', run: signOursV4, note: 'the same request signed with SigV4 by us, for scale' },
    { name: 'floor', run: signFloor, note: 'sha256 of a fixed canonical request + node:crypto ECDSA sign with a ready key' },
  ];
  return compare(`SigV4a: ${s.name}`, contenders, {
    baseline: 'ours',
    description: `${s.method} ${url}, region set ${s.regionSet.join(',')}, signed: ${reference.signedHeaders}`,
    targets: [{ peer: 'smithy', min: 1 }],
  });
}

export default defineSuite({
  name: 'sigv4a',
  async run() {
    const ours = await loadOurs();
    const results: ScenarioResult[] = [];
    for (const s of SCENARIOS) results.push(await scenario(ours, s));
    return results;
  },
});
