import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { presignRequest } from '../../src/signer/presign.js';
import type { AwsHome } from '../helpers/fake-aws.js';
import { awsHome, LONG_TERM, runCli, TEMPORARY } from './support.js';

let home: AwsHome | undefined;
beforeEach(async () => {
  home = await awsHome(LONG_TERM);
});
afterEach(async () => {
  await home?.restore();
  home = undefined;
});

function presignedUrl(stdout: Buffer): URL {
  const text = stdout.toString();
  expect(text.endsWith('\n')).toBe(true);
  expect(text.trim().split('\n')).toHaveLength(1);
  return new URL(text.trim());
}

function signingDate(url: URL): Date {
  const amzDate = url.searchParams.get('X-Amz-Date') ?? '';
  return new Date(`${amzDate.slice(0, 4)}-${amzDate.slice(4, 6)}-${amzDate.slice(6, 8)}T${amzDate.slice(9, 11)}:${amzDate.slice(11, 13)}:${amzDate.slice(13, 15)}Z`);
}

describe('got-aws4auth --presign', () => {
  it('prints a URL carrying the X-Amz-* parameters, which re-signing with presignRequest reproduces', async () => {
    const target = 'http://127.0.0.1:9200/logs/_search?q=a b';
    const result = await runCli(['--presign', '--service', 'es', '--region', 'eu-west-1', target]);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    const url = presignedUrl(result.stdout);
    expect(url.searchParams.get('X-Amz-Algorithm')).toBe('AWS4-HMAC-SHA256');
    expect(url.searchParams.get('X-Amz-Credential')).toMatch(/^AKIDCLITEST\/\d{8}\/eu-west-1\/es\/aws4_request$/);
    expect(url.searchParams.get('X-Amz-Expires')).toBe('3600');
    expect(url.searchParams.get('X-Amz-SignedHeaders')).toBe('host');
    expect(url.searchParams.get('X-Amz-Signature')).toMatch(/^[0-9a-f]{64}$/);
    expect(url.searchParams.get('q')).toBe('a b');
    const again = presignRequest(
      { method: 'GET', url: new URL(target) },
      { credentials: LONG_TERM, region: 'eu-west-1', service: 'es', expiresIn: 3600, date: signingDate(url) },
    );
    expect(again.url).toBe(url.href);
  });

  it('presigns the -X method, the -H headers and the --expires validity', async () => {
    const target = 'https://my-bucket.s3.eu-west-1.amazonaws.com/upload.bin';
    const result = await runCli(['--presign', '-X', 'PUT', '-H', 'Content-Type: application/octet-stream', '--expires', '900', target]);
    expect(result.code).toBe(0);
    const url = presignedUrl(result.stdout);
    expect(url.searchParams.get('X-Amz-Expires')).toBe('900');
    expect(url.searchParams.get('X-Amz-SignedHeaders')).toBe('content-type;host');
    const again = presignRequest(
      { method: 'PUT', url: target, headers: { 'content-type': 'application/octet-stream' } },
      { credentials: LONG_TERM, region: 'eu-west-1', service: 's3', expiresIn: 900, date: signingDate(url) },
    );
    expect(again.url).toBe(url.href);
  });

  it('infers the service and region of an S3 virtual-host URL for its credential scope', async () => {
    const result = await runCli(['--presign', 'https://my-bucket.s3.us-west-2.amazonaws.com/key']);
    expect(result.code).toBe(0);
    const url = presignedUrl(result.stdout);
    expect(url.host).toBe('my-bucket.s3.us-west-2.amazonaws.com');
    expect(url.searchParams.get('X-Amz-Credential')).toMatch(/^AKIDCLITEST\/\d{8}\/us-west-2\/s3\/aws4_request$/);
  });

  it('includes the session token of temporary credentials in the URL, and --verbose shows it redacted', async () => {
    await home?.restore();
    home = await awsHome(TEMPORARY);
    const result = await runCli(['--presign', '-v', 'https://my-bucket.s3.us-west-2.amazonaws.com/key']);
    expect(result.code).toBe(0);
    const url = presignedUrl(result.stdout);
    expect(url.searchParams.get('X-Amz-Security-Token')).toBe(TEMPORARY.sessionToken);
    expect(result.stderr).toContain('* Canonical request:');
    expect(result.stderr).toContain('X-Amz-Security-Token=[redacted]'); // the URL rule (printable.ts) marks query values so
    expect(result.stderr).toMatch(/\* {3}\d{8}\/us-west-2\/s3\/aws4_request\n/);
    for (const secret of [TEMPORARY.secretAccessKey, TEMPORARY.sessionToken, encodeURIComponent(TEMPORARY.sessionToken), 'fake-token']) expect(result.stderr).not.toContain(secret);
  });

  it.each([['0'], ['604801'], ['1.5'], ['soon']])('rejects --expires %s as a usage error', async (expires) => {
    const result = await runCli(['--presign', '--expires', expires, 'https://my-bucket.s3.us-west-2.amazonaws.com/key']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--expires takes a whole number from 1 to 604800');
    expect(result.stdout.length).toBe(0);
  });
});
