/**
 * Debian's AWS CLI v2 (`/usr/bin/aws`, installed by test/servers/awscli.sh when missing; a pip v1 may come
 * first on PATH, so it is called by full path) pointed at the proxy with `--endpoint-url`, holding only the
 * proxy's client key. The proxy verifies every request (header auth, and each chunk of the CLI's
 * uploads) and re-signs for RGW with assume-role credentials.
 */
import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, mkdirSync, mkdtempSync, openSync, closeSync, rmSync, writeFileSync, writeSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { uniqueBucketName, type RgwServer } from '../helpers/rgw.js';
import { CLIENT_KEY, OTHER_KEY, startRgwProxy, type RunningProxy } from './support.js';

const rgw: RgwServer = inject('rgw');
const run = promisify(execFile);
const AWS = '/usr/bin/aws';
const INSTALL = fileURLToPath(new URL('../servers/awscli.sh', import.meta.url));
const MiB = 1024 * 1024;

async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const piece of createReadStream(path)) hash.update(piece as Buffer);
  return hash.digest('hex');
}

/** A file of `size` random bytes, written 1 MiB at a time. */
function randomFile(path: string, size: number): void {
  const fd = openSync(path, 'w');
  try {
    for (let written = 0; written < size; written += MiB) writeSync(fd, randomBytes(Math.min(MiB, size - written)));
  } finally {
    closeSync(fd);
  }
}

describe('the AWS CLI v2 through the proxy (client keys required) to RGW', () => {
  let proxy: RunningProxy;
  let dir: string;
  const bucket = uniqueBucketName('proxy-awscli');

  function aws(key: { accessKeyId: string; secretAccessKey: string }, ...args: string[]): Promise<{ stdout: string; stderr: string }> {
    const env = {
      PATH: process.env.PATH,
      HOME: dir,
      AWS_ACCESS_KEY_ID: key.accessKeyId,
      AWS_SECRET_ACCESS_KEY: key.secretAccessKey,
      AWS_DEFAULT_REGION: rgw.region,
      AWS_CONFIG_FILE: join(dir, 'no-config'),
      AWS_SHARED_CREDENTIALS_FILE: join(dir, 'no-credentials'),
      AWS_PAGER: '',
    };
    return run(AWS, ['--endpoint-url', proxy.url, ...args], { env, maxBuffer: 16 * MiB, timeout: 180_000 });
  }

  beforeAll(async () => {
    await run('bash', [INSTALL], { timeout: 600_000 });
    proxy = await startRgwProxy(rgw, { clientKeys: [CLIENT_KEY] });
    dir = mkdtempSync(join(tmpdir(), 'proxy-awscli-'));
    await aws(CLIENT_KEY, 's3', 'mb', `s3://${bucket}`);
  }, 600_000);

  afterAll(async () => {
    await aws(CLIENT_KEY, 's3', 'rb', '--force', `s3://${bucket}`).catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
    await proxy.close();
  });

  it('cp uploads a 100 MiB file in multiple parts, ls lists it, cp downloads it byte for byte', async () => {
    const big = join(dir, 'big.bin');
    randomFile(big, 100 * MiB);
    await aws(CLIENT_KEY, 's3', 'cp', big, `s3://${bucket}/big.bin`);
    const parts = proxy.log.filter((e) => e.method === 'PUT' && e.path === `/${bucket}/big.bin` && e.status === 200);
    expect(parts.length).toBeGreaterThan(1);
    const { stdout } = await aws(CLIENT_KEY, 's3', 'ls', `s3://${bucket}/`);
    expect(stdout).toMatch(new RegExp(`${100 * MiB} big\\.bin`));
    const back = join(dir, 'big.back');
    await aws(CLIENT_KEY, 's3', 'cp', `s3://${bucket}/big.bin`, back);
    expect(await sha256File(back)).toBe(await sha256File(big));
  }, 300_000);

  it('sync uploads a folder, rm removes objects', async () => {
    const folder = join(dir, 'tree');
    mkdirSync(join(folder, 'sub'), { recursive: true });
    const files: Record<string, Buffer> = { 'a.txt': Buffer.from('alpha\n'), 'sub/b.bin': randomBytes(70_000), 'sub/empty': Buffer.alloc(0) };
    for (const [name, data] of Object.entries(files)) writeFileSync(join(folder, name), data);
    await aws(CLIENT_KEY, 's3', 'sync', folder, `s3://${bucket}/tree/`);
    const back = join(dir, 'tree-back');
    await aws(CLIENT_KEY, 's3', 'sync', `s3://${bucket}/tree/`, back);
    for (const [name, data] of Object.entries(files)) expect(readFileSync(join(back, name)).equals(data)).toBe(true);
    await aws(CLIENT_KEY, 's3', 'rm', '--recursive', `s3://${bucket}/tree/`);
    const { stdout } = await aws(CLIENT_KEY, 's3', 'ls', '--recursive', `s3://${bucket}/tree/`).catch((error: { stdout: string }) => error);
    expect(stdout.trim()).toBe('');
  }, 120_000);

  it('a key the proxy does not know is refused with 403 and nothing is stored', async () => {
    writeFileSync(join(dir, 'intruder.txt'), 'should not arrive');
    await expect(aws(OTHER_KEY, 's3', 'cp', join(dir, 'intruder.txt'), `s3://${bucket}/intruder.txt`)).rejects.toThrow(/InvalidAccessKeyId|403|Forbidden/);
    const { stdout } = await aws(CLIENT_KEY, 's3', 'ls', `s3://${bucket}/`);
    expect(stdout).not.toContain('intruder.txt');
  }, 60_000);
});
