/**
 * How the CLI picks a proxy from the environment (`env-proxy.ts`) and which hosts `NO_PROXY` exempts
 * (`no-proxy.ts`): curl's documented rules, the one deliberate difference (HTTP_PROXY under CGI), and a
 * proxy password that reaches the proxy and nothing else. `curl-conventions.test.ts` compares the same
 * rules with curl itself on live requests. Property runs: NO_PROXY_RUNS.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { isIP } from 'node:net';
import { bypassesProxy } from '../../src/cli/no-proxy.js';
import { describeProxy, proxyFor } from '../../src/cli/env-proxy.js';
import { CliError } from '../../src/cli/cli-error.js';
import { startForwardProxy, type ForwardProxy } from '../helpers/forward-proxy.js';
import { startTlsServer } from '../helpers/tls-server.js';
import { runCli, useCliFixture } from './support.js';

const RUNS = Number(process.env.NO_PROXY_RUNS ?? 300);

describe('NO_PROXY exempts hosts by curl\'s rules', () => {
  it.each([
    ['example.com', 'example.com', true],
    ['www.example.com', 'example.com', true],
    ['www.example.com', '.example.com', true],
    ['example.com', '.example.com', true],
    ['badexample.com', 'example.com', false],
    ['example.com.', 'example.com', true],
    ['EXAMPLE.com', 'example.COM', true],
    ['example.com', 'a.example.com', false],
    ['s3.amazonaws.com', 'localhost,  amazonaws.com', true],
    ['anything', '*', true],
    ['anything', ' * ', true],
    ['anything', 'other, *', false],
    ['10.1.2.3', '10.0.0.0/8', true],
    ['11.1.2.3', '10.0.0.0/8', false],
    ['10.1.2.3', '10.1.2.3', true],
    ['10.1.2.3', '1.2.3', false],
    ['10.1.2.3', '10.1.2.3/0', true],
    ['10.1.2.4', '10.1.2.3/0', false],
    ['[::1]', '::1', true],
    ['[::1]', '::/64', true],
    ['[fd00::1]', 'fd00::/8', true],
    ['[fe80::1]', 'fd00::/8', false],
    ['[::1]', '127.0.0.1', false],
    ['127.0.0.1', '::1', false],
    ['127.0.0.1', 'localhost', false],
    ['example.com', '', false],
    ['example.com', '.', false],
    ['10.1.2.3', '10.0.0.0/33', false],
    // An IP address is matched as an address only, never by a domain suffix (curl's noproxy.c).
    ['0.0.0.8', '8', false],
    ['10.1.2.3', '2.3', false],
    ['10.1.2.3', '.3', false],
  ] as const)('%s with NO_PROXY=%j: exempt %s', (host, list, exempt) => {
    expect(bypassesProxy(host, list)).toBe(exempt);
  });

  it('a host name is exempt exactly when an entry is the host or a parent domain of it', () => {
    const label = fc.stringMatching(/^[a-z0-9]([a-z0-9-]{0,6}[a-z0-9])?$/);
    const name = fc.array(label, { minLength: 1, maxLength: 4 }).map((labels) => labels.join('.'));
    // Digit-only labels can spell an IPv4 address (0.0.0.8), which the rule above does not cover.
    const hostName = name.filter((host) => isIP(host) === 0);
    fc.assert(
      fc.property(hostName, fc.array(name, { maxLength: 4 }), (host, entries) => {
        const expected = entries.some((entry) => host === entry || host.endsWith(`.${entry}`));
        expect(bypassesProxy(host, entries.join(','))).toBe(expected);
      }),
      { numRuns: RUNS },
    );
  });

  it('an IPv4 address is exempt exactly when it lies in a listed network', () => {
    const octets = fc.tuple(fc.nat(255), fc.nat(255), fc.nat(255), fc.nat(255));
    fc.assert(
      fc.property(octets, octets, fc.integer({ min: 1, max: 32 }), (host, network, bits) => {
        const value = (o: readonly number[]): number => ((o[0]! << 24) | (o[1]! << 16) | (o[2]! << 8) | o[3]!) >>> 0;
        const mask = bits === 32 ? 0xffffffff : ~(0xffffffff >>> bits) >>> 0;
        const inside = ((value(host) & mask) >>> 0) === ((value(network) & mask) >>> 0);
        expect(bypassesProxy(host.join('.'), `${network.join('.')}/${bits}`)).toBe(inside);
      }),
      { numRuns: RUNS },
    );
  });
});

describe('the proxy variables', () => {
  const https = new URL('https://bucket.s3.amazonaws.com/key');
  const http = new URL('http://127.0.0.1:9000/key');

  it.each([
    ['https_proxy before HTTPS_PROXY', https, { https_proxy: 'http://a:1', HTTPS_PROXY: 'http://b:1' }, 'https_proxy', 'http://a:1/'],
    ['HTTPS_PROXY', https, { HTTPS_PROXY: 'http://b:1' }, 'HTTPS_PROXY', 'http://b:1/'],
    ['ALL_PROXY when no scheme variable is set', https, { ALL_PROXY: 'http://c:1', HTTP_PROXY: 'http://d:1' }, 'ALL_PROXY', 'http://c:1/'],
    ['an empty value counts as unset', https, { https_proxy: '', HTTPS_PROXY: 'http://b:1' }, 'HTTPS_PROXY', 'http://b:1/'],
    ['http_proxy for http:', http, { http_proxy: 'http://a:1', HTTPS_PROXY: 'http://b:1' }, 'http_proxy', 'http://a:1/'],
    ['HTTP_PROXY for http: (curl reads only the lower case)', http, { HTTP_PROXY: 'http://d:1' }, 'HTTP_PROXY', 'http://d:1/'],
    ['HTTP_PROXY ignored under CGI, where a request header sets it', http, { HTTP_PROXY: 'http://d:1', REQUEST_METHOD: 'GET', ALL_PROXY: 'http://c:1' }, 'ALL_PROXY', 'http://c:1/'],
    ['a value without a scheme is http://', http, { http_proxy: 'proxy.internal:3128' }, 'http_proxy', 'http://proxy.internal:3128/'],
    ['an https: proxy', https, { https_proxy: 'https://proxy.internal:443' }, 'https_proxy', 'https://proxy.internal/'],
    ['a SOCKS proxy', https, { ALL_PROXY: 'socks5h://proxy.internal:1080' }, 'ALL_PROXY', 'socks5h://proxy.internal:1080'],
  ] as const)('%s', (_name, url, env, variable, href) => {
    const choice = proxyFor(url, env);
    expect([choice?.variable, choice?.url.href]).toEqual([variable, href]);
  });

  it.each([
    ['no variable', https, {}],
    ['only the other scheme\'s variable', https, { http_proxy: 'http://a:1' }],
    ['HTTP_PROXY under CGI and nothing else', http, { HTTP_PROXY: 'http://d:1', REQUEST_METHOD: 'POST' }],
    ['a host NO_PROXY exempts', https, { https_proxy: 'http://a:1', NO_PROXY: 'amazonaws.com' }],
    ['no_proxy before NO_PROXY', https, { https_proxy: 'http://a:1', no_proxy: 'amazonaws.com', NO_PROXY: 'example.com' }],
  ] as const)('none for %s', (_name, url, env) => {
    expect(proxyFor(url, env)).toBeUndefined();
  });

  it.each([
    ['an ftp proxy', 'ftp://user:hunter2@proxy.internal:21', 'https_proxy names a ftp proxy'],
    ['an unparseable value', 'http://user:hunter2@[bad', 'https_proxy is not a proxy URL'],
  ])('refuses %s, naming the variable and not the value', (_name, value, says) => {
    let error: unknown;
    try {
      proxyFor(https, { https_proxy: value });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(CliError);
    expect((error as CliError).message).toContain(says);
    expect((error as CliError).message).not.toContain('hunter2');
  });

  it('describes a proxy by its origin and variable, never its password', () => {
    const choice = proxyFor(https, { HTTPS_PROXY: 'http://alice:hunter2@proxy.internal:3128' })!;
    expect(describeProxy(choice)).toBe('http://proxy.internal:3128 (from HTTPS_PROXY)');
  });
});

describe('a proxy password goes to the proxy and nowhere else', () => {
  const fixture = useCliFixture();
  let proxy: ForwardProxy;
  beforeAll(async () => {
    proxy = await startForwardProxy();
  });
  afterAll(() => proxy.close());

  it('is sent as Proxy-Authorization, and neither -v nor a failure prints it', async () => {
    const withPassword = proxy.url.replace('http://', 'http://alice:hunter2@');
    const sent = await runCli(['--service', 'es', '--region', 'eu-west-1', '-v', `${fixture.server.origin}/x`], { env: { http_proxy: withPassword } });
    expect(sent.code).toBe(0);
    expect(proxy.seen.map((seen) => seen.proxyAuthorization)).toEqual([`Basic ${Buffer.from('alice:hunter2').toString('base64')}`]);
    expect(fixture.server.requests.map((request) => [request.verified, request.headers['proxy-authorization']])).toEqual([[true, undefined]]);
    expect(sent.stderr).toContain(`* Using proxy ${proxy.url} (from http_proxy)`);
    const refused = await runCli(['--service', 'es', '--region', 'eu-west-1', `${fixture.server.origin}/x`], { env: { http_proxy: 'http://alice:hunter2@127.0.0.1:1' } });
    expect(refused.code).toBe(7);
    expect(refused.stderr).toContain('through the proxy http://127.0.0.1:1 (from http_proxy)');
    for (const output of [sent.stderr, refused.stderr]) expect(output).not.toMatch(/hunter2|YWxpY2U6aHVudGVyMg/);
  });

  it('is sent on the CONNECT of an https: tunnel, and not to the server', async () => {
    const server = await startTlsServer((request, response) => response.end(request.headers['proxy-authorization'] === undefined ? 'clean' : 'leaked'));
    try {
      proxy.seen.length = 0;
      const withPassword = proxy.url.replace('http://', 'http://alice:hunter2@');
      const result = await runCli(['--service', 'es', '--region', 'eu-west-1', '-k', '-v', `${server.origin}/x`], { env: { HTTPS_PROXY: withPassword } });
      expect([result.code, result.stdout.toString()]).toEqual([0, 'clean']);
      expect(proxy.seen.map((seen) => [seen.kind, seen.proxyAuthorization])).toEqual([['connect', `Basic ${Buffer.from('alice:hunter2').toString('base64')}`]]);
      expect(result.stderr).not.toMatch(/hunter2|YWxpY2U6aHVudGVyMg/);
    } finally {
      await server.close();
    }
  });
});
