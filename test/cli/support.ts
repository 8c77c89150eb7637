/**
 * What the CLI tests share: fake io for running `run()` in-process, a hermetic AWS home with credentials in
 * the environment, and the built executable for the few end-to-end runs.
 */
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import { execFile, spawn } from 'node:child_process';
import { existsSync, statSync, readdirSync, readlinkSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { Readable, Writable } from 'node:stream';
import { run, type CliIo } from '../../src/cli/run.js';
import { createAwsHome, type AwsHome, type AwsHomeOptions } from '../helpers/fake-aws.js';
import { startVerifyingServer, type VerifyingServer } from '../helpers/verifying-server.js';

/** The files under `dir` this process holds open, deleted or not, with their permission bits (Linux's /proc). */
export function openFilesUnder(dir: string): Array<{ path: string; mode: number }> {
  const found: Array<{ path: string; mode: number }> = [];
  for (const fd of readdirSync('/proc/self/fd')) {
    try {
      const path = readlinkSync(`/proc/self/fd/${fd}`);
      if (path.startsWith(`${dir}/`)) found.push({ path, mode: statSync(`/proc/self/fd/${fd}`).mode & 0o777 });
    } catch {
      // closed meanwhile
    }
  }
  return found;
}

/** Long-term test credentials. */
export const LONG_TERM = { accessKeyId: 'AKIDCLITEST', secretAccessKey: 'cli/test/secret/0123456789abcdefghijklmn' } as const;
/** Temporary test credentials; the token has characters that percent-encoding changes. */
export const TEMPORARY = { accessKeyId: 'ASIACLITEST', secretAccessKey: 'cli/temporary/secret/0123456789abcdefghij', sessionToken: 'CLI+SESSION/TOKEN=fake-token' } as const;

/** Long-term credentials the tests put in a `cli` profile. */
export const PROFILE = { accessKeyId: 'AKIDCLIPROFILE', secretAccessKey: 'profile/secret/0123456789abcdefghijklmnop' } as const;

/** The outcome of one in-process run. */
export interface RunResult {
  readonly code: number;
  readonly stdout: Buffer;
  readonly stderr: string;
}

function collector(): { stream: Writable; bytes: () => Buffer } {
  const chunks: Buffer[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      chunks.push(Buffer.from(chunk));
      callback();
    },
  });
  return { stream, bytes: () => Buffer.concat(chunks) };
}

/** Options of {@link runCli}. */
export interface RunOptions {
  /** What stdin holds: bytes, or a stream of them (one that fails, say). */
  readonly stdin?: string | Buffer | Readable | undefined;
  readonly isTTY?: boolean | undefined;
  readonly env?: Readonly<Record<string, string | undefined>> | undefined;
}

/** Runs the CLI in-process with fake streams; `env` defaults to `process.env` (set up by {@link awsHome}). */
export async function runCli(argv: readonly string[], options: RunOptions = {}): Promise<RunResult> {
  const stdout = collector();
  const stderr = collector();
  const io: CliIo = {
    stdin: options.stdin instanceof Readable ? options.stdin : Readable.from(options.stdin === undefined ? [] : [Buffer.from(options.stdin)]),
    stdout: stdout.stream,
    stderr: stderr.stream,
    env: options.env ?? process.env,
    isTTY: options.isTTY ?? false,
  };
  const code = await run(argv, io);
  return { code, stdout: stdout.bytes(), stderr: stderr.bytes().toString('utf8') };
}

/**
 * Writes what the command printed through the console, so the suite-wide secret scan reads it too; but not
 * the credential scope lines, which end like some registered X-Amz-Credential values (`…/es/aws4_request`)
 * and would be false findings.
 */
export function logForSecretScan(text: string): void {
  console.log(text.split('\n').filter((line) => !line.includes('/aws4_request')).join('\n'));
}

/** A hermetic AWS home (see `createAwsHome`) with these credentials in `AWS_ACCESS_KEY_ID` and friends. */
export function awsHome(credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string } | undefined, options: AwsHomeOptions = {}): Promise<AwsHome> {
  const env =
    credentials === undefined
      ? {}
      : { AWS_ACCESS_KEY_ID: credentials.accessKeyId, AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey, AWS_SESSION_TOKEN: credentials.sessionToken };
  return createAwsHome({ ...options, env: { ...env, ...options.env } });
}

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
/** The built executable. */
export const MAIN_JS = join(ROOT, 'dist/cli/main.js');

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile() && entry.name.endsWith('.ts')) newest = Math.max(newest, statSync(join(entry.parentPath, entry.name)).mtimeMs);
  }
  return newest;
}

/**
 * Builds `dist/` with `npm run build` when `dist/cli/main.js` is missing or older than `src/`. tsc emits
 * even when some file elsewhere in `src/` has a type error, so only a missing executable fails the build.
 */
export async function ensureBuilt(): Promise<void> {
  const newestSource = newestMtime(join(ROOT, 'src'));
  if (existsSync(MAIN_JS) && statSync(MAIN_JS).mtimeMs >= newestSource) return;
  const output = await new Promise<string>((resolve) => {
    execFile('npm', ['run', 'build'], { cwd: ROOT, timeout: 120_000 }, (_error, stdout, stderr) => resolve(`${stdout}\n${stderr}`));
  });
  if (!existsSync(MAIN_JS) || statSync(MAIN_JS).mtimeMs < newestSource) throw new Error(`npm run build did not produce ${MAIN_JS}:\n${output}`);
}

/** The outcome of one run of the built executable. */
export interface MainResult extends RunResult {
  /** The signal that ended the child, e.g. `SIGKILL` when it outlived `killAfterMs`. */
  readonly signal: NodeJS.Signals | null;
  /** Milliseconds from the spawn to the child's exit (Node's start-up included). */
  readonly elapsedMs: number;
  /** Milliseconds from the first stderr chunk containing `text` to the child's exit; undefined if none did. */
  exitAfter(text: string): number | undefined;
}

/** Options of {@link runMain}. */
export interface MainOptions {
  /** Sends SIGKILL if the child has not exited after this many milliseconds, so a hung child fails a test instead of hanging it. */
  readonly killAfterMs?: number | undefined;
  /** Closes the child's stdout once this many bytes came, as `| head -c N` does. */
  readonly closeStdoutAfter?: number | undefined;
  /** Writes `stdin` but leaves the pipe open until the child exits, as a producer that hangs would. */
  readonly keepStdinOpen?: boolean | undefined;
}

/** Runs `node dist/cli/main.js` with exactly `env` (plus PATH), feeding `stdin`. */
export function runMain(argv: readonly string[], env: Readonly<Record<string, string>>, stdin?: Buffer, options: MainOptions = {}): Promise<MainResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [MAIN_JS, ...argv], { env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
    const spawnedAt = performance.now();
    const out: Buffer[] = [];
    const err: Array<{ at: number; chunk: Buffer }> = [];
    const killer = options.killAfterMs === undefined ? undefined : setTimeout(() => child.kill('SIGKILL'), options.killAfterMs);
    let exitedAt = 0;
    let received = 0;
    child.stdout.on('data', (chunk: Buffer) => {
      out.push(chunk);
      received += chunk.length;
      if (options.closeStdoutAfter !== undefined && received >= options.closeStdoutAfter) child.stdout.destroy();
    });
    child.stderr.on('data', (chunk: Buffer) => err.push({ at: performance.now(), chunk }));
    child.on('error', reject);
    child.on('exit', () => {
      exitedAt = performance.now();
      if (options.keepStdinOpen === true) child.stdin.destroy();
    });
    child.on('close', (code, signal) => {
      clearTimeout(killer);
      const stderr = Buffer.concat(err.map((e) => e.chunk)).toString('utf8');
      const exitAfter = (text: string): number | undefined => {
        let seen = '';
        for (const { at, chunk } of err) if ((seen += chunk.toString('utf8')).includes(text)) return exitedAt - at;
        return undefined;
      };
      resolve({ code: code ?? -1, signal, elapsedMs: exitedAt - spawnedAt, stdout: Buffer.concat(out), stderr, exitAfter });
    });
    // A child that exits without reading everything closes the pipe under us: that is not the test's failure.
    child.stdin.on('error', () => {});
    if (options.keepStdinOpen === true) {
      if (stdin !== undefined) child.stdin.write(stdin);
    } else child.stdin.end(stdin);
  });
}

/** The `AWS_*` variables and `HOME` of this process (as an {@link awsHome} set them), for a child's environment. */
export function hermeticEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(process.env)) if (value !== undefined && (name.startsWith('AWS_') || name === 'HOME')) env[name] = value;
  return env;
}

/** What {@link useCliFixture} sets up. */
export interface CliFixture {
  /** A verifying server that knows {@link LONG_TERM}, {@link TEMPORARY} and {@link PROFILE}; answers `ok` unless told otherwise. */
  readonly server: VerifyingServer;
  /** A temporary directory for the file's tests. */
  readonly dir: string;
  /** Replaces this test's AWS home (by default one with {@link LONG_TERM} in the environment). */
  useHome(credentials: Parameters<typeof awsHome>[0], options?: AwsHomeOptions): Promise<void>;
}

/**
 * Registers the hooks most CLI test files need: a verifying server and a temporary directory for the file,
 * and for each test a fresh request log, the default `ok` answer and a hermetic AWS home with {@link LONG_TERM}.
 */
export function useCliFixture(): CliFixture {
  let server: VerifyingServer | undefined;
  let dir: string | undefined;
  let home: AwsHome | undefined;
  beforeAll(async () => {
    server = await startVerifyingServer(Object.fromEntries([LONG_TERM, TEMPORARY, PROFILE].map((c) => [c.accessKeyId, c.secretAccessKey])));
    dir = await mkdtemp(join(tmpdir(), 'got-aws4auth-cli-'));
  });
  afterAll(async () => {
    await server?.close();
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  });
  beforeEach(async () => {
    server!.requests.length = 0;
    server!.respond((_request, response) => void response.end('ok'));
    home = await awsHome(LONG_TERM);
  });
  afterEach(async () => {
    await home?.restore();
    home = undefined;
  });
  return {
    get server() {
      return server!;
    },
    get dir() {
      return dir!;
    },
    async useHome(credentials, options) {
      await home?.restore();
      home = await awsHome(credentials, options);
    },
  };
}
