/**
 * The proxy's options and safety rules, without an upstream: typed errors naming the field for bad
 * options (never a secret), options read once from own properties only, the loopback-only rule, and the
 * query and header rules that keep a client's signature away from the upstream (property-based; set
 * PROXY_FC_RUNS to run them at scale).
 */
import { once } from 'node:events';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { AWS4AuthError, createSigningProxy, InvalidInputError, type SigningProxyOptions } from '../../src/index.js';
import { forwardHeaders, forwardQuery } from '../../src/proxy/inbound-request.js';
import { isLoopbackAddress } from '../../src/proxy/listen-guard.js';
import { CLIENT_KEY } from './support.js';

const RUNS = Number(process.env.PROXY_FC_RUNS ?? 200);
const UPSTREAM = { url: 'http://127.0.0.1:9', service: 's3', region: 'us-east-1' };
const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' };

function refusal(options: unknown): AWS4AuthError {
  try {
    createSigningProxy(options as SigningProxyOptions);
  } catch (error) {
    expect(error).toBeInstanceOf(AWS4AuthError);
    return error as AWS4AuthError;
  }
  throw new Error('createSigningProxy accepted the options');
}

describe('createSigningProxy options', () => {
  it.each([
    ['no upstreams', { credentials }, 'upstreams'],
    ['an empty upstream list', { upstreams: [], credentials }, 'upstreams'],
    ['a relative upstream URL', { upstreams: ['bucket.example.com'] }, 'upstreams[0]'],
    ['an ftp upstream', { upstreams: ['ftp://127.0.0.1/'] }, 'upstreams[0]'],
    ['an upstream with a query', { upstreams: ['http://127.0.0.1:9/?x=1'] }, 'upstreams[0]'],
    ['an upstream with user info', { upstreams: ['http://user:pw@127.0.0.1:9/'] }, 'upstreams[0]'],
    ['a SigV4a-only upstream (Multi-Region Access Point)', { upstreams: ['https://mfzwi23gnjvgw.mrap.accesspoint.s3-global.amazonaws.com'] }, 'upstreams[0]'],
    ['a bad service', { upstreams: [{ ...UPSTREAM, service: 's3 ' }] }, 'upstreams[0].service'],
    ['an unknown option', { upstreams: [UPSTREAM], allowRemotely: true }, 'allowRemotely'],
    ['an empty client key list', { upstreams: [UPSTREAM], clientKeys: [] }, 'clientKeys'],
    ['a repeated client key id', { upstreams: [UPSTREAM], clientKeys: [CLIENT_KEY, CLIENT_KEY] }, 'clientKeys[1].accessKeyId'],
    ['both upstream and upstreams', { upstream: UPSTREAM, upstreams: [UPSTREAM] }, 'upstream'],
    ['a single bad upstream', { upstream: 'ftp://127.0.0.1/' }, 'upstream'],
    ['an unknown streaming mode', { upstreams: [UPSTREAM], upstreamStreaming: 'chunked' }, 'upstreamStreaming'],
    ['a chunk size under 8 KiB', { upstreams: [UPSTREAM], chunkSize: 1024 }, 'chunkSize'],
    ['an empty allowServices', { upstreams: [UPSTREAM], allowServices: [] }, 'allowServices'],
    ['a non-function accessLog', { upstreams: [UPSTREAM], accessLog: 'stdout' }, 'accessLog'],
    ['a negative maxUnverifiedBytes', { upstreams: [UPSTREAM], maxUnverifiedBytes: -1 }, 'maxUnverifiedBytes'],
    ['a fractional bodyIdleTimeoutMs', { upstreams: [UPSTREAM], bodyIdleTimeoutMs: 1.5 }, 'bodyIdleTimeoutMs'],
    ['a string upstreamResponseTimeoutMs', { upstreams: [UPSTREAM], upstreamResponseTimeoutMs: '60000' }, 'upstreamResponseTimeoutMs'],
    // Node fires a timer of more than 2^31 - 1 ms after 1 ms: such a limit would act at once.
    ['a bodyIdleTimeoutMs past what a timer can wait', { upstreams: [UPSTREAM], bodyIdleTimeoutMs: 2 ** 31 }, 'bodyIdleTimeoutMs'],
    ['an upstreamResponseTimeoutMs past what a timer can wait', { upstreams: [UPSTREAM], upstreamResponseTimeoutMs: 3e9 }, 'upstreamResponseTimeoutMs'],
    ['an unverifiedBodyTimeoutMs past what a timer can wait', { upstreams: [UPSTREAM], unverifiedBodyTimeoutMs: 2 ** 31 }, 'unverifiedBodyTimeoutMs'],
    ['a negative unverifiedBodyTimeoutMs', { upstreams: [UPSTREAM], unverifiedBodyTimeoutMs: -1 }, 'unverifiedBodyTimeoutMs'],
    ['a NaN unverifiedBodyTimeoutMs', { upstreams: [UPSTREAM], unverifiedBodyTimeoutMs: Number.NaN }, 'unverifiedBodyTimeoutMs'],
  ])('%s is a typed error naming the field', (_name, options, field) => {
    const error = refusal(options);
    expect((error as InvalidInputError).field).toBe(`createSigningProxy options.${field}`);
  });

  it('a client key without a secret is refused without repeating any secret', () => {
    const error = refusal({ upstreams: [UPSTREAM], clientKeys: [CLIENT_KEY, { accessKeyId: 'AKIDOTHER', secretAccessKey: '' }] });
    expect(error.code).toBe('ERR_AWS4_INVALID_CREDENTIALS');
    expect(error.message).not.toContain(CLIENT_KEY.secretAccessKey);
  });

  it('reads each option once, own properties only (a getter cannot change what was checked)', () => {
    let reads = 0;
    const options = {
      get upstreams() {
        reads++;
        return reads === 1 ? [UPSTREAM] : ['ftp://evil.example/'];
      },
      credentials,
    };
    createSigningProxy(options).close();
    expect(reads).toBe(1);
  });

  it('a throwing getter or a revoked Proxy is a typed error, not whatever was thrown', () => {
    const throwing = { upstreams: [UPSTREAM], get credentials(): never { throw new Error('boom with a secret inside'); } };
    expect(refusal(throwing).message).not.toContain('boom');
    const { proxy, revoke } = Proxy.revocable({ upstreams: [UPSTREAM] }, {});
    revoke();
    expect(refusal(proxy)).toBeInstanceOf(InvalidInputError);
  });

  it('infers service and region from an AWS host name; one upstream may be given as upstream', () => {
    expect(() => createSigningProxy({ upstreams: ['https://my-bucket.s3.eu-west-1.amazonaws.com'], credentials }).close()).not.toThrow();
    expect(() => createSigningProxy({ upstream: 'https://search-logs-abc.eu-west-1.es.amazonaws.com', credentials }).close()).not.toThrow();
  });
});

describe('the loopback-only rule', () => {
  const polluted = Object.prototype as Record<string, unknown>;
  afterEach(() => {
    delete polluted.allowRemote;
    delete polluted.clientKeys;
  });

  it('without client keys a listen on a non-loopback address fails with a typed error and serves nothing', async () => {
    // A polluted prototype must not switch the rule off.
    polluted.allowRemote = true;
    polluted.clientKeys = [CLIENT_KEY];
    const server = createSigningProxy({ upstreams: [UPSTREAM], credentials });
    server.listen(0, '0.0.0.0');
    const [error] = (await once(server, 'error')) as [InvalidInputError];
    expect(error).toBeInstanceOf(InvalidInputError);
    expect(error.message).toContain('not loopback');
    expect(server.listening).toBe(false);
  });

  it('with allowRemote (or client keys) it listens anywhere', async () => {
    for (const extra of [{ allowRemote: true }, { clientKeys: [CLIENT_KEY] }]) {
      const server = createSigningProxy({ upstreams: [UPSTREAM], credentials, ...extra });
      server.listen(0, '0.0.0.0');
      await once(server, 'listening');
      expect(server.listening).toBe(true);
      await new Promise((done) => server.close(done));
    }
  });

  it('knows loopback addresses: every 127.x.y.z, ::1 and their mapped forms, nothing else', () => {
    const octet = fc.integer({ min: 0, max: 255 });
    fc.assert(fc.property(octet, octet, octet, (a, b, c) => isLoopbackAddress(`127.${a}.${b}.${c}`) && isLoopbackAddress(`::ffff:127.${a}.${b}.${c}`)), { numRuns: RUNS });
    fc.assert(fc.property(fc.ipV4().filter((ip) => !ip.startsWith('127.')), (ip) => !isLoopbackAddress(ip)), { numRuns: RUNS });
    expect(isLoopbackAddress('::1')).toBe(true);
    for (const other of ['::', '0.0.0.0', '10.0.0.1', 'fe80::1', '::ffff:10.0.0.1']) expect(isLoopbackAddress(other)).toBe(false);
  });
});

describe('what is forwarded of a client\'s request', () => {
  const presignNames = ['X-Amz-Algorithm', 'X-Amz-Credential', 'X-Amz-Date', 'X-Amz-Expires', 'X-Amz-SignedHeaders', 'X-Amz-Signature', 'X-Amz-Security-Token'];
  const pairText = fc.string({ unit: fc.constantFrom('a', 'b', 'Z', '0', '-', '%20', '%2B', '+', '~', '/') , maxLength: 8 });

  it('the query keeps every other parameter in order and drops every presigned-URL parameter, in any letter case', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.tuple(pairText.filter((n) => n !== '' && !n.toLowerCase().startsWith('x-amz-')), pairText).map(([n, v]) => `${n}=${v}`),
          fc.tuple(fc.constantFrom(...presignNames), fc.boolean(), pairText).map(([n, upper, v]) => `${upper ? n.toUpperCase() : n}=${v}`)), { maxLength: 10 }),
        (pairs) => {
          const forwarded = forwardQuery(pairs.join('&'));
          const kept = pairs.filter((p) => !presignNames.some((n) => p.toLowerCase().startsWith(`${n.toLowerCase()}=`))).filter((p) => p !== '');
          expect(forwarded).toBe(kept.join('&').replace(/\+/g, '%20'));
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('headers lose the client signature, hop-by-hop headers, those named in Connection and the aws-chunked coding', () => {
    const headers = forwardHeaders({
      host: 'localhost:8080',
      authorization: 'AWS4-HMAC-SHA256 Credential=AKIDPROXYCLIENT/20250101/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=00',
      'x-amz-date': '20250101T000000Z',
      'x-amz-security-token': 'placeholder',
      'x-amz-content-sha256': 'STREAMING-UNSIGNED-PAYLOAD-TRAILER',
      'x-amz-decoded-content-length': '5',
      'x-amz-trailer': 'x-amz-checksum-crc32',
      'content-encoding': 'aws-chunked, gzip',
      connection: 'keep-alive, x-private',
      'x-private': 'hop',
      'transfer-encoding': 'chunked',
      expect: '100-continue',
      'content-type': 'text/plain',
      'x-amz-meta-owner': 'alice',
    });
    expect(headers).toEqual({ 'content-encoding': 'gzip', 'content-type': 'text/plain', 'x-amz-meta-owner': 'alice' });
  });
});

describe('closeSigningProxy', () => {
  it.each([-1, 1.5, Number.NaN, 2 ** 31, '1000'])('a timeout of %j is a typed error naming timeoutMs, and the server stays open', async (timeoutMs) => {
    const { createServer } = await import('node:http');
    const { closeSigningProxy } = await import('../../src/index.js');
    const server = createServer();
    expect(() => closeSigningProxy(server, timeoutMs as number)).toThrow(expect.objectContaining({ code: 'ERR_AWS4_INVALID_INPUT', field: 'timeoutMs' }));
    expect(server.listening).toBe(false);
  });
});
