import { describe, expect, it } from 'vitest';
import dns from 'node:dns';
import { deriveSigV4aPublicKey, parseAmzDate, presignRequest, signRequest, verifySigV4a } from '../../src/signer/index.js';
import { resolveToLoopback } from '../helpers/aws-host-client.js';
import type { ReceivedRequest } from '../helpers/verifying-server.js';
import { LONG_TERM, runCli, useCliFixture, type RunResult } from './support.js';

// S3 Multi-Region Access Points accept SigV4a only; the fixture's environment names no region.
const fixture = useCliFixture();
const MRAP_HOST = 'mfzwi23gnjvgw.mrap.accesspoint.s3-global.amazonaws.com';
const publicKey = deriveSigV4aPublicKey(LONG_TERM.accessKeyId, LONG_TERM.secretAccessKey);
const SIGV4A_AUTHORIZATION = /^AWS4-ECDSA-P256-SHA256 Credential=AKIDCLITEST\/\d{8}\/s3\/aws4_request, SignedHeaders=([^,]+), Signature=([0-9a-f]+)$/;

/** Runs the CLI with every host name resolving to 127.0.0.1, so a request to the MRAP host reaches the fixture's server. */
async function runAgainstLoopback(argv: readonly string[]): Promise<RunResult> {
  const lookup = dns.lookup;
  dns.lookup = resolveToLoopback as typeof dns.lookup;
  try {
    return await runCli(argv);
  } finally {
    dns.lookup = lookup;
  }
}

/** Whether the request, as the server received it, carries a valid SigV4a signature by LONG_TERM: the string to sign rebuilt from what arrived. */
function validSigV4a(received: ReceivedRequest): boolean {
  const [, signedHeaders = '', signature = ''] = SIGV4A_AUTHORIZATION.exec(received.headers.authorization ?? '') ?? [];
  const names = signedHeaders.split(';');
  const header = (name: string) => String(received.headers[name]);
  const rebuilt = signRequest(
    { method: received.method, url: `http://${header('host')}${received.target}`, headers: Object.fromEntries(names.map((name) => [name, header(name)])) },
    {
      algorithm: 'sigv4a',
      credentials: LONG_TERM,
      service: 's3',
      regionSet: header('x-amz-region-set').split(','),
      date: parseAmzDate(header('x-amz-date')),
      includeHeaders: names,
      payloadHash: header('x-amz-content-sha256'),
    },
  );
  return rebuilt.signedHeaders === signedHeaders && verifySigV4a(rebuilt.stringToSign, signature, publicKey);
}

describe('got-aws4auth and S3 Multi-Region Access Points', () => {
  it('sends a request to a Multi-Region Access Point signed with SigV4a for every region, asking for no region', async () => {
    const result = await runAgainstLoopback([`http://${MRAP_HOST}:${fixture.server.port}/reports/2026 11.csv`]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(fixture.server.requests).toHaveLength(1);
    const received = fixture.server.requests[0]!;
    expect(received.headers.authorization).toMatch(SIGV4A_AUTHORIZATION);
    expect(received.headers['x-amz-region-set']).toBe('*');
    expect(validSigV4a(received)).toBe(true);
  });

  it('presigns a Multi-Region Access Point URL with SigV4a for every region, which verifies against the credentials', async () => {
    const target = `https://${MRAP_HOST}/reports/2026-11.csv`;
    const result = await runCli(['--presign', '--expires', '900', target]);
    expect([result.code, result.stderr]).toEqual([0, '']);
    const url = new URL(result.stdout.toString().trim());
    expect(url.searchParams.get('X-Amz-Algorithm')).toBe('AWS4-ECDSA-P256-SHA256');
    expect(url.searchParams.get('X-Amz-Region-Set')).toBe('*');
    expect(url.searchParams.get('X-Amz-Credential')).toMatch(/^AKIDCLITEST\/\d{8}\/s3\/aws4_request$/);
    expect(url.searchParams.get('X-Amz-Expires')).toBe('900');

    // ECDSA signatures differ each time: presign again at the URL's date, compare all but the signature, and verify it.
    const again = presignRequest(
      { method: 'GET', url: target },
      { algorithm: 'sigv4a', regionSet: ['*'], credentials: LONG_TERM, service: 's3', expiresIn: 900, date: parseAmzDate(url.searchParams.get('X-Amz-Date') ?? '') },
    );
    const signature = url.searchParams.get('X-Amz-Signature') ?? '';
    expect(url.href.replace(/&X-Amz-Signature=[0-9a-f]+$/, '')).toBe(again.url.replace(/&X-Amz-Signature=[0-9a-f]+$/, ''));
    expect(verifySigV4a(again.stringToSign, signature, publicKey)).toBe(true);
  });

  it('signs a Multi-Region Access Point with SigV4a even when --region is given', async () => {
    const result = await runCli(['--presign', '--region', 'eu-west-1', `https://${MRAP_HOST}/key`]);
    expect(result.code).toBe(0);
    const url = new URL(result.stdout.toString().trim());
    expect([url.searchParams.get('X-Amz-Algorithm'), url.searchParams.get('X-Amz-Region-Set')]).toEqual(['AWS4-ECDSA-P256-SHA256', '*']);
  });
});
