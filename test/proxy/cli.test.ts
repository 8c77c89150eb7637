/**
 * `got-aws4auth proxy`: the command line, in-process (runProxyCommand through run()) with the real
 * credentials from the environment, as the rest of the CLI takes them; and the built executable stopped
 * with SIGTERM. curl is the client.
 */
import { execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable, Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { run, type CliIo } from '../../src/cli/run.js';
import { runProxyCommand } from '../../src/cli/proxy-command.js';
import { HEALTH_PATH } from '../../src/index.js';
import { uniqueBucketName, type RgwServer } from '../helpers/rgw.js';
import { CLIENT_KEY } from './support.js';

const rgw: RgwServer = inject('rgw');
const exec = promisify(execFile);
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const MAIN = join(ROOT, 'dist', 'cli', 'main.js');
const ENV_KEYS = ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_PROFILE', 'AWS_CONFIG_FILE', 'AWS_SHARED_CREDENTIALS_FILE'] as const;

function io(): { io: CliIo; out: () => string; err: () => string } {
  let out = '';
  let err = '';
  const sink = (append: (text: string) => void) => new Writable({ write(chunk: Buffer, _e, done) { append(chunk.toString()); done(); } });
  return {
    io: { stdin: Readable.from([]), stdout: sink((t) => (out += t)), stderr: sink((t) => (err += t)), env: process.env, isTTY: false },
    out: () => out,
    err: () => err,
  };
}

async function curl(...args: string[]): Promise<{ status: number; body: string }> {
  const { stdout } = await exec('curl', ['-sS', '-w', '\n%{http_code}', ...args]);
  const cut = stdout.lastIndexOf('\n');
  return { status: Number(stdout.slice(cut + 1)), body: stdout.slice(0, cut) };
}

describe('got-aws4auth proxy', () => {
  const saved: Partial<Record<(typeof ENV_KEYS)[number], string>> = {};
  beforeAll(() => {
    for (const key of ENV_KEYS) saved[key] = process.env[key];
    process.env.AWS_ACCESS_KEY_ID = rgw.accessKeyId;
    process.env.AWS_SECRET_ACCESS_KEY = rgw.secretAccessKey;
    delete process.env.AWS_SESSION_TOKEN;
    delete process.env.AWS_PROFILE;
    process.env.AWS_CONFIG_FILE = join(ROOT, '.tmp', 'no-such-aws-config');
    process.env.AWS_SHARED_CREDENTIALS_FILE = join(ROOT, '.tmp', 'no-such-aws-credentials');
  });
  afterAll(() => {
    for (const key of ENV_KEYS) {
      if (saved[key] === undefined) delete process.env[key];
      else process.env[key] = saved[key];
    }
  });

  it('prints its help', async () => {
    const t = io();
    expect(await run(['proxy', '--help'], t.io)).toBe(0);
    expect(t.out()).toContain('--upstream URL');
    expect(t.out()).toContain('--client-key AKID:SECRET');
  });

  it.each([
    ['no upstream', [], 'at least one --upstream'],
    ['a non-loopback listen without client keys', ['--upstream', 'http://127.0.0.1:9', '--listen', '0.0.0.0:0'], 'not a loopback address'],
    ['a client key without a colon', ['--upstream', 'http://127.0.0.1:9', '--client-key', 'AKIDONLYNOSECRET'], 'ACCESS_KEY_ID:SECRET'],
    ['a bad streaming mode', ['--upstream', 'http://127.0.0.1:9', '--upstream-streaming', 'chunky'], 'signed, unsigned or buffered'],
  ])('refuses %s with exit code 2', async (_name, args, message) => {
    const t = io();
    expect(await run(['proxy', ...args], t.io)).toBe(2);
    expect(t.err()).toContain(message);
  });

  it('reads client keys from --client-key-file (comments and blank lines skipped) and refuses an empty one or a bad line without echoing it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'proxy-cli-keys-'));
    try {
      const good = join(dir, 'keys.txt');
      writeFileSync(good, `# sandbox keys\n\n${CLIENT_KEY.accessKeyId}:${CLIENT_KEY.secretAccessKey}\n`);
      const t = io();
      const stop = new AbortController();
      let listening: () => void = () => undefined;
      const started = new Promise<void>((resolve) => (listening = resolve));
      const done = runProxyCommand(['--listen', '127.0.0.1:0', '--upstream', rgw.endpoint, '--service', 's3', '--region', rgw.region, '--client-key-file', good], t.io, { signal: stop.signal, onListening: () => listening() });
      await started;
      stop.abort();
      expect(await done).toBe(0);
      expect(t.err()).toContain(`client keys: ${CLIENT_KEY.accessKeyId}`);
      const empty = join(dir, 'empty.txt');
      writeFileSync(empty, '# nothing\n');
      const e = io();
      expect(await run(['proxy', '--upstream', rgw.endpoint, '--client-key-file', empty], e.io)).toBe(2);
      expect(e.err()).toContain('holds no ACCESS_KEY_ID:SECRET line');
      const bad = join(dir, 'bad.txt');
      writeFileSync(bad, 'AKIDNOSECRETHERE-but-a-secret-looking-value\n');
      const b = io();
      expect(await run(['proxy', '--upstream', rgw.endpoint, '--client-key-file', bad], b.io)).toBe(2);
      expect(b.err()).toContain(`${bad} line 1 takes ACCESS_KEY_ID:SECRET`);
      expect(b.err()).not.toContain('secret-looking-value');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('signs curl\'s requests for RGW, logs one line per request without a secret, and stops on request', async () => {
    const t = io();
    const stop = new AbortController();
    let listening: (url: string) => void = () => undefined;
    const url = new Promise<string>((resolve) => (listening = resolve));
    const done = runProxyCommand(['--listen', '127.0.0.1:0', '--upstream', rgw.endpoint, '--service', 's3', '--region', rgw.region], t.io, { signal: stop.signal, onListening: listening });
    const proxy = await url;
    const bucket = uniqueBucketName('proxy-cli');
    const data = randomBytes(1000).toString('hex');
    try {
      expect((await curl('-X', 'PUT', `${proxy}/${bucket}`)).status).toBe(200);
      expect((await curl('-X', 'PUT', '--data-binary', data, `${proxy}/${bucket}/key.txt`)).status).toBe(200);
      expect((await curl(`${proxy}/${bucket}/key.txt`)).body).toBe(data);
      expect((await curl('-X', 'DELETE', `${proxy}/${bucket}/key.txt`)).status).toBe(204);
      expect((await curl('-X', 'DELETE', `${proxy}/${bucket}`)).status).toBe(204);
    } finally {
      stop.abort();
    }
    expect(await done).toBe(0);
    expect(t.err()).toContain(`proxy listening on ${proxy}`);
    expect(t.err()).toContain(`signing as ${rgw.accessKeyId}`);
    expect(t.err()).toContain('loopback only');
    const lines = t.out().trim().split('\n');
    expect(lines).toHaveLength(5);
    expect(lines[2]).toMatch(new RegExp(`GET /${bucket}/key.txt 200 2000B [\\d.]+ms s3$`));
    expect(t.out() + t.err()).not.toContain(rgw.secretAccessKey);
  });

  it('--allow-host and --allow-origin widen who may address the proxy; other Hosts and web pages are refused', async () => {
    const t = io();
    const stop = new AbortController();
    let listening: (url: string) => void = () => undefined;
    const url = new Promise<string>((resolve) => (listening = resolve));
    const args = ['--listen', '127.0.0.1:0', '--upstream', rgw.endpoint, '--service', 's3', '--region', rgw.region, '--allow-host', 'proxy.internal', '--allow-origin', 'http://localhost:3000'];
    const done = runProxyCommand(args, t.io, { signal: stop.signal, onListening: listening });
    const proxy = await url;
    try {
      expect((await curl('-H', 'Host: proxy.internal', `${proxy}/`)).status).toBe(200);
      expect((await curl('-H', 'Host: rebound.example', `${proxy}/`)).status).toBe(403);
      expect((await curl('-H', 'Origin: http://localhost:3000', `${proxy}/`)).status).toBe(200);
      expect((await curl('-H', 'Origin: http://evil.example', `${proxy}/`)).status).toBe(403);
    } finally {
      stop.abort();
    }
    expect(await done).toBe(0);
    expect(t.err()).toContain('answers requests addressed to 127.0.0.1, localhost, proxy.internal');
    expect(t.err()).toContain('web pages allowed from http://localhost:3000');
  });

  it('the built executable shuts down gracefully on SIGTERM', async () => {
    if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: run npm run build first (npm test does)`);
    const child = spawn(process.execPath, [MAIN, 'proxy', '--listen', '127.0.0.1:0', '--upstream', rgw.endpoint, '--service', 's3', '--region', rgw.region], { env: process.env });
    let stderr = '';
    const url = await new Promise<string>((resolve, reject) => {
      child.stderr.on('data', (piece: Buffer) => {
        stderr += piece.toString();
        const match = /listening on (http:\/\/\S+)/.exec(stderr);
        if (match !== null) resolve(match[1]!);
      });
      child.once('exit', (code) => reject(new Error(`exited with ${code}: ${stderr}`)));
    });
    expect((await curl(`${url}${HEALTH_PATH}`)).status).toBe(200);
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(stderr).toContain('shutting down');
  });
});
