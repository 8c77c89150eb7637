/**
 * Checksum trailers the proxy accepts are the decoder's: a STREAMING-UNSIGNED-PAYLOAD-TRAILER body with a
 * CRC-64/NVME trailer (an AWS SDK option the signer's encoder does not offer) goes through, and a wrong one
 * is refused with S3's BadDigest before the upstream request completes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Crc64Nvme } from '../../src/signer/verify-crc64nvme.js';
import { startVerifyingServer, type VerifyingServer } from '../helpers/verifying-server.js';
import { rawRequest, startProxy, REAL, type RunningProxy } from './support.js';


function unsignedTrailerBody(data: Buffer, checksum: string): Buffer {
  return Buffer.concat([Buffer.from(`${data.length.toString(16)}\r\n`), data, Buffer.from(`\r\n0\r\nx-amz-checksum-crc64nvme:${checksum}\r\n\r\n`)]);
}

function crc64(data: Buffer): string {
  const crc = new Crc64Nvme();
  crc.update(data);
  return crc.digestBase64();
}

describe('checksum trailers through the proxy', () => {
  let upstream: VerifyingServer;
  let proxy: RunningProxy;
  const headers = (length: number): Record<string, string> => ({
    'x-amz-content-sha256': 'STREAMING-UNSIGNED-PAYLOAD-TRAILER',
    'content-encoding': 'aws-chunked',
    'x-amz-trailer': 'x-amz-checksum-crc64nvme',
    'x-amz-decoded-content-length': String(length),
  });

  beforeAll(async () => {
    upstream = await startVerifyingServer({ [REAL.accessKeyId]: REAL.secretAccessKey });
    proxy = await startProxy({ upstreams: [{ url: upstream.origin, service: 's3', region: 'eu-west-1' }], credentials: REAL });
  });

  afterAll(async () => {
    await Promise.all([proxy.close(), upstream.close()]);
  });

  it('a CRC-64/NVME trailer that matches is accepted and the decoded body reaches the upstream', async () => {
    const data = Buffer.from('crc64nvme through the proxy');
    const answer = await rawRequest(`${proxy.url}/bucket/crc64`, 'PUT', headers(data.length), unsignedTrailerBody(data, crc64(data)), 'length');
    expect(answer.status, answer.body).toBe(200);
    expect(upstream.requests.at(-1)!.body.equals(data)).toBe(true);
  });

  it('a CRC-64/NVME trailer that does not match is refused with BadDigest and nothing completes upstream', async () => {
    const data = Buffer.alloc(100_000, 0x61);
    const before = upstream.requests.length;
    const answer = await rawRequest(`${proxy.url}/bucket/crc64-bad`, 'PUT', headers(data.length), unsignedTrailerBody(data, crc64(Buffer.from('other'))), 'length');
    expect(answer.status).toBe(400);
    expect(answer.body).toContain('<Code>BadDigest</Code>');
    expect(upstream.requests.length).toBe(before);
  });
});
