/**
 * `got-aws4auth proxy --max-unverified BYTES --body-idle-timeout SECONDS --unverified-timeout SECONDS
 * --upstream-timeout SECONDS`: the
 * proxy's limits (docs/proxy.md "Limits and timeouts") from the command line. Values are read as
 * `--max-buffer` (bytes) and curl's `--max-time` (seconds, decimals allowed) are; a bad value is a usage
 * error (exit 2) naming the flag. End to end, each flag changes what the running proxy answers.
 */
import { PassThrough, Readable } from 'node:stream';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CliError } from '../../src/cli/cli-error.js';
import { parseProxyCommandLine } from '../../src/cli/proxy-args.js';
import { runProxyCommand } from '../../src/cli/proxy-command.js';
import { signRequest } from '../../src/index.js';
import { CLIENT_KEY, rawRequest, requestHead, stalledClient } from '../proxy/support.js';
import { runCli, useCliFixture } from './support.js';

/** Runs of the properties below; CLI_PROXY_LIMIT_RUNS raises them. */
const RUNS = Number(process.env.CLI_PROXY_LIMIT_RUNS ?? 200);
const UPSTREAM = ['--upstream', 'http://127.0.0.1:9'];
const MAX_SECONDS = 2147483;

function parse(...args: string[]) {
  return parseProxyCommandLine([...UPSTREAM, ...args]);
}

function usageError(args: readonly string[]): CliError {
  try {
    parseProxyCommandLine([...UPSTREAM, ...args]);
  } catch (error) {
    if (error instanceof CliError) return error;
    throw error;
  }
  throw new Error(`${args.join(' ')} was accepted`);
}

describe('proxy limit flags: parsing', () => {
  it('without the flags, the library defaults stand (nothing is passed)', () => {
    const line = parse();
    expect([line.maxUnverifiedBytes, line.bodyIdleTimeoutMs, line.unverifiedBodyTimeoutMs, line.upstreamResponseTimeoutMs]).toEqual([undefined, undefined, undefined, undefined]);
  });

  it.each([
    [['--max-unverified', '0'], 'maxUnverifiedBytes', 0],
    [['--max-unverified', '67108864'], 'maxUnverifiedBytes', 67_108_864],
    [['--body-idle-timeout', '20'], 'bodyIdleTimeoutMs', 20_000],
    [['--body-idle-timeout', '0.25'], 'bodyIdleTimeoutMs', 250],
    [['--body-idle-timeout', '.5'], 'bodyIdleTimeoutMs', 500],
    [['--body-idle-timeout', '3.'], 'bodyIdleTimeoutMs', 3000],
    [['--body-idle-timeout', '0'], 'bodyIdleTimeoutMs', 0],
    [['--body-idle-timeout', '0.0001'], 'bodyIdleTimeoutMs', 1],
    [['--unverified-timeout', '60'], 'unverifiedBodyTimeoutMs', 60_000],
    [['--unverified-timeout', '0'], 'unverifiedBodyTimeoutMs', 0],
    [['--unverified-timeout=2.5'], 'unverifiedBodyTimeoutMs', 2500],
    [['--unverified-timeout', String(MAX_SECONDS)], 'unverifiedBodyTimeoutMs', MAX_SECONDS * 1000],
    [['--upstream-timeout', '960'], 'upstreamResponseTimeoutMs', 960_000],
    [['--upstream-timeout', '0'], 'upstreamResponseTimeoutMs', 0],
    [['--upstream-timeout', String(MAX_SECONDS)], 'upstreamResponseTimeoutMs', MAX_SECONDS * 1000],
    [['--upstream-timeout=1.5'], 'upstreamResponseTimeoutMs', 1500],
  ] as const)('%j gives %s %d', (args, field, expected) => {
    expect(parse(...args)[field]).toBe(expected);
  });

  it.each([
    ['--max-unverified', '-1', 'whole number of bytes'],
    ['--max-unverified', '1.5', 'whole number of bytes'],
    ['--max-unverified', '64M', 'whole number of bytes'],
    ['--max-unverified', '', 'whole number of bytes'],
    ['--max-unverified', '1e6', 'whole number of bytes'],
    ['--body-idle-timeout', '-1', 'seconds from 0 (no limit)'],
    ['--body-idle-timeout', '20s', 'seconds from 0 (no limit)'],
    ['--body-idle-timeout', '', 'seconds from 0 (no limit)'],
    ['--body-idle-timeout', '.', 'seconds from 0 (no limit)'],
    ['--body-idle-timeout', '1e3', 'seconds from 0 (no limit)'],
    ['--body-idle-timeout', '0x10', 'seconds from 0 (no limit)'],
    ['--body-idle-timeout', 'Infinity', 'seconds from 0 (no limit)'],
    ['--body-idle-timeout', ' 5', 'seconds from 0 (no limit)'],
    ['--upstream-timeout', 'NaN', 'seconds from 0 (no limit)'],
    ['--upstream-timeout', String(MAX_SECONDS + 1), `to ${MAX_SECONDS}`],
    ['--upstream-timeout', '2147483.648', `to ${MAX_SECONDS}`],
    ['--upstream-timeout', '99999999999999999999', `to ${MAX_SECONDS}`],
  ])('%s %j is a usage error naming the flag', (flag, value, message) => {
    const error = usageError([`${flag}=${value}`]);
    expect(error.exitCode).toBe(2);
    expect(error.message).toContain(`${flag} takes`);
    expect(error.message).toContain(message);
    expect(error.message).toContain(JSON.stringify(value));
  });

  it('a flag given without its value is a usage error naming the flag', () => {
    for (const flag of ['--max-unverified', '--body-idle-timeout', '--unverified-timeout', '--upstream-timeout']) {
      const error = usageError([flag]);
      expect(error.exitCode).toBe(2);
      expect(error.message).toContain(flag);
    }
  });

  it('any decimal number of seconds in range becomes its milliseconds rounded up, so only 0 means no limit', () => {
    const decimal = fc.tuple(fc.integer({ min: 0, max: MAX_SECONDS - 1 }), fc.stringMatching(/^\d{0,6}$/)).map(([whole, fraction]) => (fraction === '' ? String(whole) : `${whole}.${fraction}`));
    fc.assert(
      fc.property(decimal, fc.constantFrom('--body-idle-timeout', '--unverified-timeout', '--upstream-timeout'), (text, flag) => {
        const line = parse(flag, text);
        const ms = flag === '--body-idle-timeout' ? line.bodyIdleTimeoutMs! : flag === '--unverified-timeout' ? line.unverifiedBodyTimeoutMs! : line.upstreamResponseTimeoutMs!;
        expect(Number.isSafeInteger(ms)).toBe(true);
        expect(ms).toBeGreaterThanOrEqual(Number(text) * 1000);
        expect(ms - Number(text) * 1000).toBeLessThan(1);
        expect(ms === 0).toBe(Number(text) === 0);
      }),
      { numRuns: RUNS },
    );
  });

  it('any other text is refused with exit 2 and the flag named, never taken as some limit', () => {
    const notDecimal = fc.string({ maxLength: 12 }).filter((text) => !/^(?:\d+(?:\.\d*)?|\.\d+)$/.test(text));
    fc.assert(
      fc.property(notDecimal, fc.constantFrom('--max-unverified', '--body-idle-timeout', '--unverified-timeout', '--upstream-timeout'), (text, flag) => {
        const error = usageError([`${flag}=${text}`]);
        expect(error.exitCode).toBe(2);
        expect(error.message).toContain(`${flag} takes`);
      }),
      { numRuns: RUNS },
    );
  });

  it('run() reports a bad value on stderr with exit 2 and points to --help', async () => {
    const { code, stderr } = await runCli(['proxy', ...UPSTREAM, '--body-idle-timeout', 'soon']);
    expect(code).toBe(2);
    expect(stderr).toContain('--body-idle-timeout takes a number of seconds from 0 (no limit) to 2147483, got "soon"');
    expect(stderr).toContain("Try 'got-aws4auth proxy --help'");
  });

  it('the help lists the four flags with their units and defaults', async () => {
    const { code, stdout } = await runCli(['proxy', '--help']);
    expect(code).toBe(0);
    const help = stdout.toString();
    expect(help).toMatch(/--max-unverified BYTES +Most bytes of bodies held before .*default 4 x --max-buffer/);
    expect(help).toMatch(/--body-idle-timeout SECONDS +.*400 RequestTimeout \(default 20; 0: no limit\)/);
    expect(help).toMatch(/--unverified-timeout SECONDS +.*400 RequestTimeout \(default 60; 0: no limit\)/);
    expect(help).toMatch(/--upstream-timeout SECONDS +.*504 GatewayTimeout \(default 960; 0: no limit\)/);
  });
});

describe('proxy limit flags reach the running proxy', () => {
  // A hermetic AWS home with LONG_TERM for each test; the fixture's verifying server (it knows LONG_TERM) is the es upstream.
  const fixture = useCliFixture();
  /** Paths the upstream never answers. */
  const hung = new Set<string>();

  /** Runs the command against the local es upstream until `use` is done; its stdout is the access log. */
  async function withProxy(args: readonly string[], use: (url: string, port: number) => Promise<void>): Promise<string> {
    const stdout = new PassThrough();
    const stderr = new PassThrough();
    let log = '';
    let err = '';
    stdout.on('data', (piece: Buffer) => (log += piece.toString()));
    stderr.on('data', (piece: Buffer) => (err += piece.toString()));
    fixture.server.respond((request, response) => {
      if (!hung.has(request.target)) response.end('{}');
    });
    const stop = new AbortController();
    let listening: (url: string) => void = () => undefined;
    const url = new Promise<string>((resolve) => (listening = resolve));
    const io = { stdin: Readable.from([]), stdout, stderr, env: process.env, isTTY: false };
    const done = runProxyCommand(['--listen', '127.0.0.1:0', '--upstream', fixture.server.origin, '--service', 'es', '--region', 'eu-west-1', ...args], io, { signal: stop.signal, onListening: listening });
    const proxy = await Promise.race([url, done.then((code) => Promise.reject(new Error(`exited ${code}: ${err}`)))]);
    try {
      await use(proxy, Number(new URL(proxy).port));
    } finally {
      stop.abort();
    }
    expect(await done).toBe(0);
    return log;
  }

  it('--body-idle-timeout 0.3: a body that stops arriving gets 400 RequestTimeout and its connection closed', async () => {
    const log = await withProxy(['--body-idle-timeout', '0.3'], async (_url, port) => {
      const head = requestHead('POST', '/logs/_doc', { host: `127.0.0.1:${port}`, 'content-type': 'application/json', 'content-length': '10000' });
      const started = Date.now();
      const client = await stalledClient(port, head, Buffer.alloc(5_000, 0x61));
      expect(await client.statusLine).toBe('HTTP/1.1 400 Bad Request');
      await client.closed;
      // Well under the 20 s default, so the flag, not the default, ended it.
      expect(Date.now() - started).toBeGreaterThanOrEqual(250);
      expect(Date.now() - started).toBeLessThan(10_000);
    });
    expect(log).toMatch(/ POST \/logs\/_doc 400 \d+B [\d.]+ms es RequestTimeout\n$/);
  });

  it('--upstream-timeout 0.3: an upstream that sends no response head is cancelled and the client gets 504 GatewayTimeout', async () => {
    hung.add('/slow/_search');
    const log = await withProxy(['--upstream-timeout', '0.3'], async (url) => {
      const answer = await rawRequest(`${url}/slow/_search`, 'GET', {}, Buffer.alloc(0), 'length');
      expect(answer.status).toBe(504);
      expect(answer.body).toContain('<Code>GatewayTimeout</Code>');
    });
    expect(log).toMatch(/ GET \/slow\/_search 504 \d+B [\d.]+ms es GatewayTimeout\n$/);
  });

  it('--max-unverified 0: a client-signed body that must be read before its signature is checked gets 503 SlowDown; without the flag it goes through', async () => {
    const keys = ['--client-key', `${CLIENT_KEY.accessKeyId}:${CLIENT_KEY.secretAccessKey}`];
    const body = Buffer.from('{"title":"limits"}');
    const send = async (url: string) => {
      const target = `${url}/logs/_doc`;
      const signed = signRequest({ method: 'POST', url: target, headers: { 'content-type': 'application/json' }, body }, { credentials: CLIENT_KEY, service: 'es', region: 'eu-west-1' });
      return rawRequest(target, 'POST', signed.headers as Record<string, string>, body, 'length');
    };
    const refused = await withProxy([...keys, '--max-unverified', '0'], async (url) => {
      const answer = await send(url);
      expect(answer.status).toBe(503);
      expect(answer.body).toContain('<Code>SlowDown</Code>');
    });
    expect(refused).toMatch(/ POST \/logs\/_doc 503 \d+B [\d.]+ms es SlowDown\n$/);
    await withProxy(keys, async (url) => {
      expect((await send(url)).status).toBe(200);
    });
  });

  it('--unverified-timeout 0.8: a forged client-key body that trickles inside the idle timeout gets 400 RequestTimeout and its connection closed', async () => {
    const keys = ['--client-key', `${CLIENT_KEY.accessKeyId}:${CLIENT_KEY.secretAccessKey}`];
    const log = await withProxy([...keys, '--body-idle-timeout', '0.4', '--unverified-timeout', '0.8'], async (url, port) => {
      const body = Buffer.alloc(10_000, 0x61);
      const signed = signRequest({ method: 'POST', url: `${url}/logs/_doc`, headers: { 'content-type': 'application/json' }, body }, { credentials: CLIENT_KEY, service: 'es', region: 'eu-west-1' });
      const headers: Record<string, string> = { ...(signed.headers as Record<string, string>), host: `127.0.0.1:${port}`, 'content-length': '10000' };
      headers.authorization = headers.authorization!.replace(/Signature=[0-9a-f]{64}/, `Signature=${'0'.repeat(64)}`);
      const client = await stalledClient(port, requestHead('POST', '/logs/_doc', headers), body.subarray(0, 5_000));
      const trickle = setInterval(() => client.write('a'), 100);
      try {
        expect(await client.statusLine).toBe('HTTP/1.1 400 Bad Request');
        await client.closed;
      } finally {
        clearInterval(trickle);
      }
    });
    expect(log).toMatch(/ POST \/logs\/_doc 400 \d+B [\d.]+ms es RequestTimeout\n$/);
  });
});
