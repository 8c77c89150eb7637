/**
 * `--max-time` bounds the whole command, reading the request body included (red-team pass 4 finding F4):
 * a body from a producer that hangs (stdin, or a pipe named as a file) must end the command with exit 28
 * once the time is up, sending nothing, as curl does. Before the fix the body was read (spooled for S3,
 * buffered by the plugin's hook to hash it for other services) before got's request timeout started, so
 * the command waited for the producer however long it took.
 *
 * `CLI_MAX_TIME_RUNS` sets how many generated cases the property runs (default 6; each takes `-m`).
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { execFileSync } from 'node:child_process';
import { closeSync, constants, openSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { ensureBuilt, hermeticEnv, openFilesUnder, runCli, runMain, useCliFixture } from './support.js';

const fixture = useCliFixture();
const RUNS = Number(process.env.CLI_MAX_TIME_RUNS ?? 6);
/** How long past `-m` the built executable may take to exit, Node's start-up on a busy machine included (it took until the producer ended before). */
const EXIT_BOUND_MS = 4_000;
const SERVICES = ['s3', 'execute-api', 'es'] as const;
const BODY_FLAGS = [['-T', '-'], ['--data-binary', '@-'], ['-d', '@-'], ['--json', '@-']] as const;

/** A stdin that gives `head` and then stays open, never ending. */
function hangingStdin(head: Buffer): Readable {
  const stdin = new Readable({ read() {} });
  stdin.push(head);
  return stdin;
}

describe('the built executable with a stdin that never ends', () => {
  it.each([
    ['s3', ['-T', '-']],
    ['s3', ['--data-binary', '@-']],
    ['execute-api', ['-T', '-']],
    ['execute-api', ['--data-binary', '@-']],
  ])('--service %s %j with -m 1: exit 28 soon after 1 s, nothing sent', { timeout: 30_000 }, async (service, flags) => {
    await ensureBuilt();
    const argv = ['--service', service, '--region', 'us-east-1', '-m', '1', ...flags, `${fixture.server.origin}/b/k`];
    const result = await runMain(argv, hermeticEnv(), Buffer.from('some bytes, then the producer hangs'), { keepStdinOpen: true, killAfterMs: 15_000 });
    expect(result.signal).toBeNull();
    expect(result.code).toBe(28);
    expect(result.stderr).toBe('got-aws4auth: timed out after 1000 ms (--max-time) reading the request body from stdin; nothing was sent\n');
    expect(result.elapsedMs).toBeLessThan(1_000 + EXIT_BOUND_MS);
    expect(fixture.server.requests).toHaveLength(0);
  });
});

describe('the built executable with a named pipe whose producer hangs', () => {
  it.each(['s3', 'execute-api'])('--service %s -T FIFO with -m 1: exit 28 soon after 1 s, not when the producer writes', { timeout: 30_000 }, async (service) => {
    await ensureBuilt();
    const fifo = join(fixture.dir, `hanging-${service}.fifo`);
    execFileSync('mkfifo', [fifo]);
    // Held open for writing (O_RDWR does not block) and never written: the producer that hangs.
    const producer = openSync(fifo, constants.O_RDWR);
    try {
      const argv = ['--service', service, '--region', 'us-east-1', '-m', '1', '-T', fifo, `${fixture.server.origin}/b/k`];
      const result = await runMain(argv, hermeticEnv(), undefined, { killAfterMs: 15_000 });
      expect([result.signal, result.code]).toEqual([null, 28]);
      expect(result.stderr).toBe(`got-aws4auth: timed out after 1000 ms (--max-time) reading the request body from ${JSON.stringify(fifo)}; nothing was sent\n`);
      expect(result.elapsedMs).toBeLessThan(1_000 + EXIT_BOUND_MS);
      expect(fixture.server.requests).toHaveLength(0);
    } finally {
      closeSync(producer);
    }
  });
});

describe('run() with a body that never ends', () => {
  it('exits 28 for every service and body flag, sending nothing, however much of the body came', { timeout: 60_000 }, async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...SERVICES), fc.constantFrom(...BODY_FLAGS), fc.uint8Array({ maxLength: 70_000 }), async (service, flags, head) => {
        fixture.server.requests.length = 0;
        const argv = ['--service', service, '--region', 'us-east-1', '-m', '0.2', ...flags, `${fixture.server.origin}/b/k`];
        const result = await runCli(argv, { stdin: hangingStdin(Buffer.from(head)) });
        expect([result.code, result.stderr]).toEqual([28, 'got-aws4auth: timed out after 200 ms (--max-time) reading the request body from stdin; nothing was sent\n']);
        expect(fixture.server.requests).toHaveLength(0);
      }),
      { numRuns: RUNS },
    );
  });

  it('leaves no spooled copy open once it has given up', async () => {
    const spoolDir = await mkdtemp(join(tmpdir(), 'got-aws4auth-cli-maxtime-'));
    const saved = process.env.TMPDIR;
    process.env.TMPDIR = spoolDir;
    try {
      const result = await runCli(['--service', 's3', '--region', 'us-east-1', '-m', '0.2', '-T', '-', `${fixture.server.origin}/b/k`], { stdin: hangingStdin(Buffer.alloc(100_000, 1)) });
      expect(result.code).toBe(28);
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(openFilesUnder(spoolDir)).toEqual([]);
    } finally {
      if (saved === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = saved;
      await rm(spoolDir, { recursive: true, force: true });
    }
  });

  it('a body that arrives within the time is sent whole, as before', async () => {
    const result = await runCli(['--service', 'execute-api', '--region', 'us-east-1', '-m', '5', '--data-binary', '@-', `${fixture.server.origin}/b/k`], { stdin: 'the whole body' });
    expect(result.code).toBe(0);
    expect(fixture.server.requests.map((r) => [r.body.toString(), r.verified])).toEqual([['the whole body', true]]);
  });

  it('a --max-time longer than a Node timer can wait is no limit, not an immediate timeout', async () => {
    const result = await runCli(['--service', 'execute-api', '--region', 'us-east-1', '-m', '2200000', `${fixture.server.origin}/b/k`]);
    expect([result.code, result.stderr]).toEqual([0, '']);
  });
});
