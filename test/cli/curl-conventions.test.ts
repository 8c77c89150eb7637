/**
 * curl's conventions, checked against curl itself: for each row, /usr/bin/curl and got-aws4auth run with the
 * same flags and environment against the same local servers (HTTP, HTTPS with a self-signed certificate made
 * for the run, a forward proxy and a SOCKS5 proxy that count what they are asked), and must agree on the exit
 * code, the bytes on stdout, whether anything is printed on stderr, and how many requests went through a proxy.
 *
 * curl runs with `-q` (no ~/.curlrc) and, where the row is not silent, `--no-progress-meter` (the CLI draws a
 * progress bar only on a terminal, so stderr then holds error messages alone on both sides).
 *
 * Left out on purpose: `no_proxy` with an IPv6 network (`::/64`), which this curl (7.88) does not apply to
 * `[::1]` though its manual says it should; `no-proxy.test.ts` checks the documented rule.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startForwardProxy, type ForwardProxy } from '../helpers/forward-proxy.js';
import { startSocksServer, type SocksServer } from '../helpers/socks-server.js';
import { startTlsServer, type TlsServer } from '../helpers/tls-server.js';
import { LONG_TERM, runCli, runMain, ensureBuilt, useCliFixture } from './support.js';

const CURL = '/usr/bin/curl';
const SCOPE = ['--service', 'es', '--region', 'eu-west-1'];

const fixture = useCliFixture();

function answer(request: IncomingMessage, response: ServerResponse): void {
  // No Date header: the two clients' responses must be byte-identical.
  response.sendDate = false;
  const port = request.socket.localPort;
  if (request.url === '/redirect-to-localhost' || request.url === '/redirect-to-loopback') {
    const host = request.url.endsWith('localhost') ? 'localhost' : '127.0.0.1';
    response.writeHead(302, { location: `http://${host}:${port}/ok` }).end();
    return;
  }
  if (request.url?.startsWith('/missing')) {
    response.writeHead(404, { 'content-type': 'text/plain' }).end('not here\n');
    return;
  }
  response.writeHead(200, { 'content-type': 'text/plain', 'x-test': 'yes' }).end(request.method === 'HEAD' ? undefined : 'hello\n');
}

let http: Server;
let tls: TlsServer;
let proxy: ForwardProxy;
let socks: SocksServer;
let port: number;
beforeAll(async () => {
  // Both loopback addresses, so that [::1] and 127.0.0.1 reach the same server.
  http = createServer(answer);
  await new Promise<void>((resolve) => http.listen({ port: 0, host: '::', ipv6Only: false }, resolve));
  port = (http.address() as AddressInfo).port;
  tls = await startTlsServer(answer);
  proxy = await startForwardProxy();
  socks = await startSocksServer();
});
afterAll(async () => {
  await new Promise<void>((resolve) => http.close(() => resolve()));
  http.closeAllConnections();
  await tls.close();
  await proxy.close();
  await socks.close();
});

/** What both programs must agree on. */
interface Outcome {
  readonly code: number;
  readonly stdout: string;
  readonly printsOnStderr: boolean;
  readonly proxied: number;
}

function expand(text: string): string {
  return text
    .replaceAll('HTTP/', `http://127.0.0.1:${port}/`)
    .replaceAll('LOCALHOST/', `http://localhost:${port}/`)
    .replaceAll('V6/', `http://[::1]:${port}/`)
    .replaceAll('TLS/', `${tls.origin}/`)
    .replaceAll('SOCKS5H', socks.url.replace('socks5:', 'socks5h:'))
    .replaceAll('SOCKS5', socks.url)
    .replaceAll('PROXY_HOST_PORT', proxy.url.replace('http://', ''))
    .replaceAll('PROXY', proxy.url);
}

function expandEnv(env: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(env).map(([name, value]) => [name, expand(value)]));
}

async function curl(args: readonly string[], env: Readonly<Record<string, string>>): Promise<Outcome> {
  const silent = args.some((arg) => /^-[a-zA-Z]*s/.test(arg));
  const argv = ['-q', ...(silent ? [] : ['--no-progress-meter']), ...args.map(expand)];
  proxy.seen.length = 0;
  socks.seen.length = 0;
  const result = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    const child = execFile(CURL, argv, { env: { PATH: process.env.PATH ?? '', ...expandEnv(env) }, encoding: 'latin1' }, (_error, stdout, stderr) =>
      resolve({ code: child.exitCode ?? -1, stdout, stderr }),
    );
  });
  return { code: result.code, stdout: result.stdout, printsOnStderr: result.stderr !== '', proxied: proxy.seen.length + socks.seen.length };
}

async function ours(args: readonly string[], env: Readonly<Record<string, string>>): Promise<Outcome> {
  proxy.seen.length = 0;
  socks.seen.length = 0;
  const result = await runCli([...SCOPE, ...args.map(expand)], { env: expandEnv(env) });
  return { code: result.code, stdout: result.stdout.toString('latin1'), printsOnStderr: result.stderr !== '', proxied: proxy.seen.length + socks.seen.length };
}

type Row = readonly [name: string, args: readonly string[], env?: Readonly<Record<string, string>>];

function compareWithCurl(rows: readonly Row[]): void {
  it.runIf(existsSync(CURL)).each(rows.map(([name, args, env]) => ({ name, args, env: env ?? {} })))('$name: $args', async ({ args, env }) => {
    const expected = await curl(args, env);
    const actual = await ours(args, env);
    expect(actual).toEqual(expected);
  });
}

describe('-I/--head, -f/--fail and --fail-with-body behave as in curl', () => {
  compareWithCurl([
    ['a plain GET', ['HTTP/ok']],
    ['-I prints the status line and headers only', ['-I', 'HTTP/ok']],
    ['-I of a 404 still exits 0', ['-I', 'HTTP/missing']],
    ['-I -f of a 404 prints the head, then exits 22', ['-I', '-f', 'HTTP/missing']],
    ['-I with -X POST prints the head only', ['-I', '-X', 'POST', 'HTTP/ok']],
    ['-I with a body is a usage error', ['-I', '-d', 'x', 'HTTP/ok']],
    ['-f of a 404 prints nothing on stdout and exits 22', ['-f', 'HTTP/missing']],
    ['-i -f of a 404 prints the head only', ['-i', '-f', 'HTTP/missing']],
    ['--fail-with-body of a 404 prints the body and exits 22', ['--fail-with-body', 'HTTP/missing']],
    ['-i --fail-with-body of a 404 prints head and body', ['-i', '--fail-with-body', 'HTTP/missing']],
    ['--fail-with-body of a 200 is a plain GET', ['--fail-with-body', 'HTTP/ok']],
    ['-f with --fail-with-body is a usage error', ['-f', '--fail-with-body', 'HTTP/missing']],
  ]);
});

describe('-s hides error messages unless -S, and changes no exit code', () => {
  compareWithCurl([
    ['-s prints the body', ['-s', 'HTTP/ok']],
    ['-sf of a 404', ['-sf', 'HTTP/missing']],
    ['-sSf of a 404', ['-sSf', 'HTTP/missing']],
    ['-s -S -f of a 404', ['-s', '-S', '-f', 'HTTP/missing']],
    ['-s --fail-with-body of a 404', ['-s', '--fail-with-body', 'HTTP/missing']],
    ['-s of a refused connection', ['-s', 'http://127.0.0.1:1/']],
    ['-sS of a refused connection', ['-sS', 'http://127.0.0.1:1/']],
    ['-S alone of a refused connection', ['-S', 'http://127.0.0.1:1/']],
    ['-s of a malformed URL', ['-s', 'http://[::1/']],
    ['-s of a usage error found after reading the options', ['-s', '-I', '-d', 'x', 'HTTP/ok']],
    ['-s -o into a missing folder', ['-s', '-o', '/nonexistent/folder/out', 'HTTP/ok']],
  ]);
});

describe('-k/--insecure skips the certificate check, and only then', () => {
  compareWithCurl([
    ['a self-signed certificate is refused with exit 60', ['TLS/ok']],
    ['-s hides that failure', ['-s', 'TLS/ok']],
    ['-sS shows it', ['-sS', 'TLS/ok']],
    ['-k accepts it', ['-k', 'TLS/ok']],
    ['--insecure accepts it', ['--insecure', '-s', 'TLS/ok']],
    ['-k on http: changes nothing', ['-k', 'HTTP/ok']],
  ]);
});

describe('the proxy variables choose the proxy as in curl', () => {
  compareWithCurl([
    ['http_proxy for an http: URL', ['-s', 'HTTP/ok'], { http_proxy: 'PROXY' }],
    ['ALL_PROXY for an http: URL', ['-s', 'HTTP/ok'], { ALL_PROXY: 'PROXY' }],
    ['all_proxy after an empty http_proxy', ['-s', 'HTTP/ok'], { http_proxy: '', all_proxy: 'PROXY' }],
    ['HTTPS_PROXY for an https: URL (a CONNECT tunnel), with -k', ['-sk', 'TLS/ok'], { HTTPS_PROXY: 'PROXY' }],
    ['https_proxy for an https: URL, with -k', ['-sk', 'TLS/ok'], { https_proxy: 'PROXY' }],
    ['https_proxy without -k: the certificate is still checked through the tunnel', ['-s', 'TLS/ok'], { https_proxy: 'PROXY' }],
    ['HTTPS_PROXY is not used for an http: URL', ['-s', 'HTTP/ok'], { HTTPS_PROXY: 'PROXY' }],
    ['HTTP_PROXY in upper case is ignored under CGI (httpoxy)', ['-s', 'HTTP/ok'], { HTTP_PROXY: 'PROXY', REQUEST_METHOD: 'GET' }],
    ['a proxy without a scheme is http://', ['-s', 'HTTP/ok'], { http_proxy: 'PROXY_HOST_PORT' }],
    ['a proxy that refuses connections: exit 7', ['-s', 'HTTP/ok'], { http_proxy: 'http://127.0.0.1:1' }],
    ['a proxy that will not open the tunnel: exit 56', ['-s', 'https://bucket.s3.amazonaws.com/key'], { HTTPS_PROXY: 'PROXY' }],
    ['a proxy that will not open the tunnel, with -S', ['-sS', 'https://bucket.s3.amazonaws.com/key'], { HTTPS_PROXY: 'PROXY' }],
    ['NO_PROXY naming the host', ['-sk', 'TLS/ok'], { HTTPS_PROXY: 'PROXY', NO_PROXY: '127.0.0.1' }],
    ['no_proxy=*', ['-s', 'HTTP/ok'], { http_proxy: 'PROXY', no_proxy: '*' }],
    ['no_proxy with a network', ['-s', 'HTTP/ok'], { http_proxy: 'PROXY', no_proxy: '10.0.0.0/8, 127.0.0.0/8' }],
    ['no_proxy with another address', ['-s', 'HTTP/ok'], { http_proxy: 'PROXY', no_proxy: '127.0.0.2' }],
    ['no_proxy with a piece of the address', ['-s', 'HTTP/ok'], { http_proxy: 'PROXY', no_proxy: '0.0.1' }],
    ['an empty no_proxy leaves NO_PROXY in force', ['-s', 'HTTP/ok'], { http_proxy: 'PROXY', no_proxy: '', NO_PROXY: '127.0.0.1' }],
    ['no_proxy naming localhost, any case', ['-s', 'LOCALHOST/ok'], { http_proxy: 'PROXY', no_proxy: 'example.com, LOCALHOST' }],
    ['no_proxy with a leading dot', ['-s', 'LOCALHOST/ok'], { http_proxy: 'PROXY', no_proxy: '.localhost' }],
    ['no_proxy with a trailing dot', ['-s', 'LOCALHOST/ok'], { http_proxy: 'PROXY', no_proxy: 'localhost.' }],
    ['no_proxy with the end of the name only', ['-s', 'LOCALHOST/ok'], { http_proxy: 'PROXY', no_proxy: 'calhost' }],
    ['no_proxy with an IPv6 address', ['-s', 'V6/ok'], { http_proxy: 'PROXY', no_proxy: '::1' }],
    ['ALL_PROXY with a socks5 proxy, for http:', ['-s', 'HTTP/ok'], { ALL_PROXY: 'SOCKS5' }],
    ['ALL_PROXY with a socks5h proxy (names resolved by the proxy), for http:', ['-s', 'LOCALHOST/ok'], { ALL_PROXY: 'SOCKS5H' }],
    ['HTTPS_PROXY with a socks5h proxy, for https: with -k', ['-sk', 'TLS/ok'], { HTTPS_PROXY: 'SOCKS5H' }],
    ['a socks5 proxy, without -k: the certificate is still checked', ['-s', 'TLS/ok'], { https_proxy: 'SOCKS5' }],
    ['a socks5 proxy that refuses the target', ['-s', 'https://bucket.s3.amazonaws.com/key'], { https_proxy: 'SOCKS5H' }],
    ['a socks5 proxy that refuses the target, with -S', ['-sS', 'https://bucket.s3.amazonaws.com/key'], { https_proxy: 'SOCKS5H' }],
    ['a socks5 proxy that cannot be reached: exit 7', ['-sS', 'HTTP/ok'], { ALL_PROXY: 'socks5://127.0.0.1:1' }],
    ['-L chooses again at each hop: direct, then through the proxy', ['-sL', 'HTTP/redirect-to-localhost'], { http_proxy: 'PROXY', no_proxy: '127.0.0.1' }],
    ['-L chooses again at each hop: through the proxy, then direct', ['-sL', 'LOCALHOST/redirect-to-loopback'], { http_proxy: 'PROXY', no_proxy: '127.0.0.1' }],
  ]);
});

describe('-o receives what stdout would, and -f creates no file', () => {
  it.runIf(existsSync(CURL)).each([
    ['-I', 'HTTP/ok'],
    ['-f', 'HTTP/missing'],
    ['-i -f', 'HTTP/missing'],
    ['--fail-with-body', 'HTTP/missing'],
    ['-i --fail-with-body', 'HTTP/missing'],
  ])('%s %s', async (flags, url) => {
    const args = [...flags.split(' '), '-s'];
    const [curlFile, ourFile] = [join(fixture.dir, `curl-${randomUUID()}`), join(fixture.dir, `ours-${randomUUID()}`)];
    const expected = await curl([...args, '-o', curlFile, url], {});
    const actual = await ours([...args, '-o', ourFile, url], {});
    expect(actual).toEqual(expected);
    const contents = async (file: string): Promise<string | undefined> => (existsSync(file) ? await readFile(file, 'latin1') : undefined);
    expect(await contents(ourFile)).toEqual(await contents(curlFile));
  });
});

describe('the built executable', () => {
  beforeAll(() => ensureBuilt(), 180_000);

  it('goes through HTTPS_PROXY from its own environment, as curl does, with a CONNECT tunnel', async () => {
    const env = { AWS_ACCESS_KEY_ID: LONG_TERM.accessKeyId, AWS_SECRET_ACCESS_KEY: LONG_TERM.secretAccessKey, HTTPS_PROXY: proxy.url, AWS_CONFIG_FILE: '/nonexistent', AWS_SHARED_CREDENTIALS_FILE: '/nonexistent' };
    proxy.seen.length = 0;
    const result = await runMain([...SCOPE, '-k', '-s', `${tls.origin}/ok`], env);
    expect([result.code, result.stdout.toString(), result.stderr]).toEqual([0, 'hello\n', '']);
    expect(proxy.seen.map((seen) => seen.kind)).toEqual(['connect']);
  });
});
