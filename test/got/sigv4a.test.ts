/**
 * SigV4a through the got plugin (`algorithm: 'sigv4a'`), end to end against a local server: the server
 * rebuilds the string to sign from the request as it arrived (its signed headers only, the date and
 * region set it carries) and checks the ECDSA signature with the credentials' derived public key.
 *
 * (This belongs in test/got/ by the tree's mirroring rule; it sits here because the SigV4a task's files
 * are test/signer/sigv4a*.)
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import got from 'got';
import { createAws4Hooks, InvalidInputError } from '../../src/index.js';
import { deriveSigV4aPublicKey, parseAmzDate, signRequest, verifySigV4a } from '../../src/signer/index.js';
import { startVerifyingServer, type ReceivedRequest, type VerifyingServer } from '../helpers/verifying-server.js';
import { resolveToLoopback } from '../helpers/aws-host-client.js';

const credentials = { accessKeyId: 'AKIDSIGV4ATEST', secretAccessKey: 'sigv4a/test/secret/key/0123456789abcdefgh' };
const session = { ...credentials, sessionToken: 'SESSION+TOKEN/VALUE==' };
const publicKey = deriveSigV4aPublicKey(credentials.accessKeyId, credentials.secretAccessKey);
const AUTHORIZATION = /^AWS4-ECDSA-P256-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/aws4_request, SignedHeaders=([^,]+), Signature=([0-9a-f]+)$/;

let server: VerifyingServer;

beforeAll(async () => {
  server = await startVerifyingServer({});
});
afterAll(async () => {
  await server.close();
});
beforeEach(() => {
  server.requests.length = 0;
});

/** What the server sees: the scope, and whether the signature is valid for the request as received. */
function check(received: ReceivedRequest | undefined): { service: string; regionSet: string; signedHeaders: string; valid: boolean } {
  if (received === undefined) throw new Error('no request arrived');
  const match = AUTHORIZATION.exec(String(received.headers.authorization));
  if (match === null) throw new Error(`not a SigV4a Authorization header: ${String(received.headers.authorization)}`);
  const [, accessKeyId, , service, signedHeaders, signature] = match as unknown as [string, string, string, string, string, string];
  const names = signedHeaders.split(';');
  const header = (name: string) => received.headers[name] as string | undefined;
  const regionSet = header('x-amz-region-set') as string;
  const rebuilt = signRequest(
    {
      method: received.method,
      url: `http://${header('host') as string}${received.target}`,
      headers: Object.fromEntries(names.map((name) => [name, received.headers[name] as string])),
      body: received.body,
    },
    {
      algorithm: 'sigv4a',
      credentials: { accessKeyId, secretAccessKey: credentials.secretAccessKey, sessionToken: header('x-amz-security-token') },
      service,
      regionSet: regionSet.split(','),
      date: parseAmzDate(header('x-amz-date') as string),
      includeHeaders: names,
      signSessionToken: names.includes('x-amz-security-token'),
      payloadHash: header('x-amz-content-sha256'),
    },
  );
  return { service, regionSet, signedHeaders: rebuilt.signedHeaders, valid: rebuilt.signedHeaders === signedHeaders && verifySigV4a(rebuilt.stringToSign, signature, publicKey) };
}

describe('aws4Hooks with algorithm "sigv4a"', () => {
  it('signs a Multi-Region Access Point request valid in every region, with a session token, needing no region', async () => {
    const client = got.extend({ retry: { limit: 0 } }, createAws4Hooks({ algorithm: 'sigv4a', regionSet: ['*'], service: 's3', credentials: session }));
    await client.get(`${server.origin}/my key/é.txt?list-type=2&prefix=a b`);
    const seen = check(server.requests[0]);
    expect(seen).toMatchObject({ service: 's3', regionSet: '*', valid: true });
    expect(seen.signedHeaders.split(';')).toEqual(expect.arrayContaining(['host', 'x-amz-content-sha256', 'x-amz-date', 'x-amz-region-set', 'x-amz-security-token']));
  });

  it('defaults the region set to the region, and hashes a body as sent', async () => {
    const client = got.extend({ retry: { limit: 0 } }, createAws4Hooks({ algorithm: 'sigv4a', region: 'eu-west-1', service: 'events', credentials }));
    await client.post(`${server.origin}/`, { json: { Entries: [{ Detail: '{"ü":1}' }] } });
    expect(check(server.requests[0])).toMatchObject({ service: 'events', regionSet: 'eu-west-1', valid: true });
  });

  it("signs at the caller's own X-Amz-Date, and reports the SigV4a intermediates to onSigned", async () => {
    const reported: string[] = [];
    const client = got.extend(
      { retry: { limit: 0 } },
      createAws4Hooks({ algorithm: 'sigv4a', regionSet: ['us-east-1', 'us-west-2'], service: 'cloudfront-keyvaluestore', credentials, onSigned: (info) => reported.push(info.credentialScope, info.stringToSign) }),
    );
    await client.get(`${server.origin}/key-value-stores/arn`, { headers: { 'X-Amz-Date': '20240229T235959Z' } });
    const received = server.requests[0];
    expect(received?.headers['x-amz-date']).toBe('20240229T235959Z');
    expect(check(received)).toMatchObject({ regionSet: 'us-east-1,us-west-2', valid: true });
    expect(reported[0]).toBe('20240229/cloudfront-keyvaluestore/aws4_request');
    expect(reported[1]?.startsWith('AWS4-ECDSA-P256-SHA256\n20240229T235959Z\n20240229/cloudfront-keyvaluestore/aws4_request\n')).toBe(true);
  });

  it.each([
    ['an unknown algorithm', { algorithm: 'sigv5' }, 'aws4Hooks options.algorithm'],
    ['a region set without sigv4a', { regionSet: ['*'] }, 'aws4Hooks options.regionSet'],
    ['an invalid region set', { algorithm: 'sigv4a', regionSet: ['us-east-1,eu-west-1'] }, 'aws4Hooks options.regionSet'],
    ['a dated-key policy with sigv4a', { algorithm: 'sigv4a', datePolicy: 'strict' }, 'aws4Hooks options.datePolicy'],
  ])('refuses %s when the plugin is made', (_what, options, field) => {
    let thrown: unknown;
    try {
      createAws4Hooks({ credentials, ...(options as object) });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(InvalidInputError);
    expect((thrown as InvalidInputError).field).toBe(field);
  });
});

describe('aws4Hooks: Multi-Region Access Point hosts sign with SigV4a by themselves', () => {
  it('signs a request to an MRAP host with SigV4a for every region (x-amz-region-set: *), no region needed', async () => {
    const client = got.extend({ dnsLookup: resolveToLoopback, retry: { limit: 0 } }, createAws4Hooks({ credentials }));
    await client.get(`http://mfzwi23gnjvgw.mrap.accesspoint.s3-global.amazonaws.com:${server.port}/report.csv`);
    const result = check(server.requests[0]);
    expect(result).toMatchObject({ service: 's3', regionSet: '*', valid: true });
  });

  it('keeps SigV4 for the same host when the caller asks for it', async () => {
    const client = got.extend({ dnsLookup: resolveToLoopback, retry: { limit: 0 } }, createAws4Hooks({ credentials, algorithm: 'sigv4', region: 'us-east-1' }));
    await client.get(`http://mfzwi23gnjvgw.mrap.accesspoint.s3-global.amazonaws.com:${server.port}/report.csv`);
    expect(String(server.requests[0]?.headers.authorization)).toMatch(/^AWS4-HMAC-SHA256 /);
    expect(server.requests[0]?.headers['x-amz-region-set']).toBeUndefined();
  });
});
