import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { deriveSigningKey } from '../../src/signer/index.js';
import { decodeAwsChunked } from '../helpers/aws-chunked.js';
import type { ReceivedRequest } from '../helpers/verifying-server.js';
import { LONG_TERM, openFilesUnder, runCli, useCliFixture } from './support.js';

// Uploads from stdin to S3 (whose chunked uploads sign the length) are spooled to a temporary file first.
const fixture = useCliFixture();
const S3 = ['--service', 's3', '--region', 'us-east-1'];
const BODY = randomBytes(300_000);

let spoolDir: string;
let savedTmpdir: string | undefined;
beforeEach(async () => {
  // os.tmpdir() reads TMPDIR on every call: a folder of its own shows what the CLI leaves behind.
  spoolDir = await mkdtemp(join(tmpdir(), 'got-aws4auth-cli-spool-'));
  savedTmpdir = process.env.TMPDIR;
  process.env.TMPDIR = spoolDir;
});
afterEach(async () => {
  if (savedTmpdir === undefined) delete process.env.TMPDIR;
  else process.env.TMPDIR = savedTmpdir;
  await rm(spoolDir, { recursive: true, force: true });
});

/** The data of a signed chunked upload by LONG_TERM, every chunk signature checked. */
function uploadedData(received: ReceivedRequest): Buffer {
  const amzDate = String(received.headers['x-amz-date']);
  const day = amzDate.slice(0, 8);
  return decodeAwsChunked(received.body, {
    signingKey: deriveSigningKey(LONG_TERM.secretAccessKey, day, 'us-east-1', 's3'),
    amzDate,
    credentialScope: `${day}/us-east-1/s3/aws4_request`,
    seedSignature: /Signature=([0-9a-f]{64})$/.exec(received.headers.authorization ?? '')?.[1] ?? '',
  }).data;
}

/** A stdin that yields `head` and then fails, as a broken pipe would. */
function failingStdin(head: Buffer): Readable {
  return Readable.from(
    (async function* () {
      yield head;
      throw Object.assign(new Error('read EIO'), { code: 'EIO' });
    })(),
  );
}

describe('got-aws4auth: uploads from stdin', () => {
  it('sends stdin to S3 as a signed chunked upload with its length, with no Content-Length given', async () => {
    const result = await runCli([...S3, '-T', '-', `${fixture.server.origin}/bucket/from-stdin.bin`], { stdin: BODY });
    expect([result.code, result.stderr]).toEqual([0, '']);
    expect(fixture.server.requests).toHaveLength(1);
    const received = fixture.server.requests[0]!;
    expect(received.verified).toBe(true);
    expect(received.headers['x-amz-content-sha256']).toBe('STREAMING-AWS4-HMAC-SHA256-PAYLOAD');
    expect(received.headers['x-amz-decoded-content-length']).toBe(String(BODY.length));
    expect(uploadedData(received).equals(BODY)).toBe(true);
  });

  it.runIf(process.platform === 'linux')('spools stdin to a file of mode 0600 in the temporary folder, unlinked while open and closed afterwards', async () => {
    let whileSpooling: { open: Array<{ path: string; mode: number }>; names: string[] } | undefined;
    const stdin = Readable.from(
      (async function* () {
        yield BODY.subarray(0, 100_000);
        whileSpooling = { open: openFilesUnder(spoolDir), names: readdirSync(spoolDir) };
        yield BODY.subarray(100_000);
      })(),
    );
    const result = await runCli([...S3, '--data-binary', '@-', `${fixture.server.origin}/bucket/key`], { stdin });
    expect(result.code).toBe(0);
    expect(whileSpooling).toEqual({ open: [{ path: expect.stringMatching(/\/got-aws4auth-body-[0-9a-f]{16} \(deleted\)$/), mode: 0o600 }], names: [] });
    expect(openFilesUnder(spoolDir)).toEqual([]);
    expect(uploadedData(fixture.server.requests[0]!).equals(BODY)).toBe(true);
  });

  it.runIf(process.platform === 'linux')('spools a named pipe given with -T (as -T /dev/stdin would be) the same way', async () => {
    const fifo = join(fixture.dir, 'pipe');
    execFileSync('mkfifo', [fifo]);
    try {
      // Opening a pipe's write end waits for its reader: the CLI.
      const writer = writeFile(fifo, BODY);
      const result = await runCli([...S3, '-T', fifo, `${fixture.server.origin}/bucket/piped.bin`]);
      await writer;
      expect([result.code, result.stderr]).toEqual([0, '']);
      expect(uploadedData(fixture.server.requests[0]!).equals(BODY)).toBe(true);
      expect(await readdir(spoolDir)).toEqual([]);
    } finally {
      await rm(fifo, { force: true });
    }
  });

  it('exits 26 when stdin fails while being spooled, sending nothing and leaving no file', async () => {
    const result = await runCli([...S3, '-T', '-', `${fixture.server.origin}/bucket/key`], { stdin: failingStdin(BODY) });
    expect(result.code).toBe(26);
    expect(result.stderr).toContain('reading stdin failed: EIO');
    expect(fixture.server.requests).toHaveLength(0);
    expect(await readdir(spoolDir)).toEqual([]);
    if (process.platform === 'linux') expect(openFilesUnder(spoolDir)).toEqual([]);
  });

  it('leaves no file when the upload of spooled stdin fails', async () => {
    fixture.server.respond((_request, response) => void response.destroy());
    const result = await runCli([...S3, '-T', '-', `${fixture.server.origin}/bucket/key`], { stdin: BODY });
    expect(result.code).toBe(56);
    expect(await readdir(spoolDir)).toEqual([]);
    if (process.platform === 'linux') expect(openFilesUnder(spoolDir)).toEqual([]);
  });

  it('streams stdin without spooling when -H gives its Content-Length, or the service is not S3', async () => {
    const spooledDuringUpload: number[] = [];
    fixture.server.respond((_request, response) => {
      spooledDuringUpload.push(readdirSync(spoolDir).length + (process.platform === 'linux' ? openFilesUnder(spoolDir).length : 0));
      response.end('ok');
    });
    const toS3 = await runCli([...S3, '-T', '-', '-H', `Content-Length: ${BODY.length}`, `${fixture.server.origin}/bucket/key`], { stdin: BODY });
    const toSearch = await runCli(['--service', 'es', '--region', 'eu-west-1', '-d', '@-', `${fixture.server.origin}/index/_doc`], { stdin: '{"a":1}' });
    expect([toS3.code, toSearch.code]).toEqual([0, 0]);
    expect(fixture.server.requests.map((r) => r.verified)).toEqual([true, true]);
    expect(spooledDuringUpload).toEqual([0, 0]);
  });
});
