import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import got from 'got';
import { uniqueBucketName } from '../helpers/rgw.js';
import type { AwsHome } from '../helpers/fake-aws.js';
import { awsHome, runCli } from './support.js';

// Against Ceph RGW, a real S3 server that verifies every signature and payload hash.
const rgw = inject('rgw');
const SCOPE = ['--service', 's3', '--region', rgw.region];
const bucket = uniqueBucketName('cli');
// Larger than one read-stream chunk and than the progress threshold, and not a multiple of either.
const CONTENT = randomBytes(5 * 1024 * 1024 + 123);

let home: AwsHome;
let dir: string;

beforeAll(async () => {
  home = await awsHome({ accessKeyId: rgw.accessKeyId, secretAccessKey: rgw.secretAccessKey });
  dir = await mkdtemp(join(tmpdir(), 'got-aws4auth-cli-rgw-'));
  await writeFile(join(dir, 'upload.bin'), CONTENT);
});
afterAll(async () => {
  await home.restore();
  await rm(dir, { recursive: true, force: true });
});

describe('got-aws4auth against Ceph RGW', () => {
  it('creates a bucket, PUTs a file with -T streamed, and GETs it back byte-identical', async () => {
    const created = await runCli([...SCOPE, '--fail', '-X', 'PUT', `${rgw.endpoint}/${bucket}`]);
    expect([created.code, created.stderr]).toEqual([0, '']);

    const put = await runCli([...SCOPE, '--fail', '-i', '-T', join(dir, 'upload.bin'), `${rgw.endpoint}/${bucket}/`]);
    expect(put.stderr).toBe('');
    expect(put.code).toBe(0);
    expect(put.stdout.toString()).toMatch(/^HTTP\/1\.1 200 OK\r\n/);

    const out = join(dir, 'download.bin');
    const get = await runCli([...SCOPE, '--fail', '-o', out, `${rgw.endpoint}/${bucket}/upload.bin`]);
    expect([get.code, get.stderr]).toEqual([0, '']);
    const downloaded = await readFile(out);
    expect(downloaded.length).toBe(CONTENT.length);
    expect(downloaded.equals(CONTENT)).toBe(true);
  });

  it('PUTs several MiB piped through stdin, with no Content-Length, as a signed chunked upload, and GETs them back byte-identical', async () => {
    // As a pipe delivers it: 64 KiB at a time.
    const stdin = Readable.from(
      (function* () {
        for (let offset = 0; offset < CONTENT.length; offset += 65_536) yield CONTENT.subarray(offset, offset + 65_536);
      })(),
    );
    const put = await runCli([...SCOPE, '--fail', '-v', '-T', '-', `${rgw.endpoint}/${bucket}/from-stdin.bin`], { stdin });
    expect(put.code).toBe(0);
    expect(put.stderr).toContain('> x-amz-content-sha256: STREAMING-AWS4-HMAC-SHA256-PAYLOAD');
    expect(put.stderr).toContain(`> x-amz-decoded-content-length: ${CONTENT.length}`);
    expect(put.stderr).toContain('< HTTP/1.1 200 OK');

    const get = await runCli([...SCOPE, '--fail', `${rgw.endpoint}/${bucket}/from-stdin.bin`]);
    expect([get.code, get.stderr]).toEqual([0, '']);
    expect(get.stdout.length).toBe(CONTENT.length);
    expect(get.stdout.equals(CONTENT)).toBe(true);
  });

  it('prints a presigned GET URL that RGW accepts without credentials', async () => {
    const presigned = await runCli([...SCOPE, '--presign', '--expires', '300', `${rgw.endpoint}/${bucket}/upload.bin`]);
    expect(presigned.code).toBe(0);
    const body = await got(presigned.stdout.toString().trim(), { retry: { limit: 0 } }).buffer();
    expect(Buffer.from(body).equals(CONTENT)).toBe(true);
  });

  it('exits 22 with --fail when RGW rejects the request', async () => {
    const result = await runCli([...SCOPE, '--fail', `${rgw.endpoint}/${bucket}/no-such-key`]);
    expect(result.code).toBe(22);
    expect(result.stderr).toContain('404');
  });
});
