/**
 * Who may address the proxy and where a request may go: a Host header that does not name the proxy (DNS
 * rebinding) and a request from a web page of a foreign origin are refused, with or without client keys;
 * a path can never leave the upstream's base path (dot segments, also percent-encoded, refused); the
 * health endpoint cannot shadow an S3 key and reveals nothing with client keys.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HEALTH_PATH, signRequest } from '../../src/index.js';
import { hasDotSegment } from '../../src/proxy/path-guard.js';
import { startVerifyingServer, type VerifyingServer } from '../helpers/verifying-server.js';
import { CLIENT_KEY, rawRequest, startProxy, REAL, type RunningProxy } from './support.js';

const RUNS = Number(process.env.PROXY_PROPERTY_RUNS ?? 200);
const NONE = Buffer.alloc(0);

describe('the proxy answers only requests addressed to it, inside its upstream', () => {
  let storage: VerifyingServer;
  let api: VerifyingServer;
  let open: RunningProxy;
  let keyed: RunningProxy;
  let based: RunningProxy;

  beforeAll(async () => {
    storage = await startVerifyingServer({ [REAL.accessKeyId]: REAL.secretAccessKey });
    api = await startVerifyingServer({ [REAL.accessKeyId]: REAL.secretAccessKey });
    const upstreams = [{ url: storage.origin, service: 's3', region: 'eu-west-1' }];
    open = await startProxy({ upstreams, credentials: REAL, allowHosts: ['proxy.internal'], allowOrigins: ['http://localhost:3000'] });
    keyed = await startProxy({ upstreams, credentials: REAL, clientKeys: [CLIENT_KEY] });
    based = await startProxy({
      upstreams: [
        { url: `${api.origin}/prod`, service: 'execute-api', region: 'eu-west-1' },
        { url: `${storage.origin}/bucket`, service: 's3', region: 'eu-west-1' },
      ],
      credentials: REAL,
    });
  });

  afterAll(async () => {
    await Promise.all([open.close(), keyed.close(), based.close(), storage.close(), api.close()]);
  });

  it('a Host that is not the proxy (a rebound attacker name) is refused 403 and nothing is signed', async () => {
    const before = storage.requests.length;
    for (const host of [`attacker.example:${open.port}`, 'attacker.example', `127.0.0.2:${open.port}`, `localhost:${open.port + 1}`]) {
      const answer = await rawRequest(`${open.url}/secret-bucket/key`, 'GET', { host }, NONE, 'length');
      expect(answer.status, host).toBe(403);
      expect(answer.body).toContain('<Code>AccessDenied</Code>');
      expect(answer.body).toContain('--allow-host');
    }
    expect(storage.requests.length).toBe(before);
  });

  it('the loopback names and listen address at its port, an upstream host and an allowed name are accepted', async () => {
    for (const host of [`127.0.0.1:${open.port}`, `LOCALHOST:${open.port}`, `[::1]:${open.port}`, new URL(storage.origin).host, `proxy.internal:${open.port}`, 'Proxy.Internal']) {
      const answer = await rawRequest(`${open.url}/bucket/key`, 'GET', { host }, NONE, 'length');
      expect(answer.status, host).toBe(200);
    }
  });

  it('with client keys, a validly signed request for another Host is refused too', async () => {
    const url = `http://attacker.example:${keyed.port}/bucket/key`;
    const signed = signRequest({ method: 'GET', url }, { credentials: CLIENT_KEY, region: 'eu-west-1', service: 's3' });
    const answer = await rawRequest(`${keyed.url}/bucket/key`, 'GET', signed.headers as Record<string, string>, NONE, 'length');
    expect(answer.status).toBe(403);
    expect(answer.body).toContain('Host header');
  });

  it('a request from a web page of a foreign origin is refused; an allowed origin is served', async () => {
    const before = storage.requests.length;
    expect((await rawRequest(`${open.url}/bucket/key`, 'PUT', { origin: 'http://evil.example' }, Buffer.from('x'), 'length')).status).toBe(403);
    expect((await rawRequest(`${open.url}/bucket/key`, 'GET', { 'sec-fetch-site': 'cross-site' }, NONE, 'length')).status).toBe(403);
    expect((await rawRequest(`${open.url}/bucket/key`, 'GET', { 'sec-fetch-site': ' Cross-Site' }, NONE, 'length')).status).toBe(403);
    expect((await rawRequest(`${keyed.url}/bucket/key`, 'GET', { origin: 'null' }, NONE, 'length')).status).toBe(403);
    expect(storage.requests.length).toBe(before);
    expect((await rawRequest(`${open.url}/bucket/key`, 'GET', { origin: 'http://localhost:3000' }, NONE, 'length')).status).toBe(200);
    expect((await rawRequest(`${open.url}/bucket/key`, 'GET', { 'sec-fetch-site': 'none' }, NONE, 'length')).status).toBe(200);
  });

  it('a path with dot segments (plain, %2e, double-encoded, backslash) never leaves the upstream base path', async () => {
    const before = api.requests.length + storage.requests.length;
    for (const path of ['/../admin/users', '/%2e%2e/admin', '/%2E%2E%2Fadmin', '/a/%252e%252e/%252e%252e/admin', '/a/..\\..\\admin', '/./x', '/x/.']) {
      const answer = await rawRequest(`${based.url}${path}`, 'GET', {}, NONE, 'length');
      expect(answer.status, path).toBe(400);
      expect(answer.body).toContain('<Code>InvalidURI</Code>');
    }
    expect(api.requests.length + storage.requests.length).toBe(before);
    expect((await rawRequest(`${based.url}/users/..data`, 'GET', {}, NONE, 'length')).status).toBe(200);
    expect(api.requests.at(-1)!.target).toBe('/prod/users/..data');
  });

  it('S3 at a bucket root keeps keys with dot segments (S3 does not resolve them and there is no base to leave)', async () => {
    expect((await rawRequest(`${open.url}/bucket/a/../b`, 'GET', {}, NONE, 'length')).status).toBe(200);
    expect(storage.requests.at(-1)!.target).toBe('/bucket/a/../b');
  });

  it('any path holding a dot segment in any encoding is recognised; dotted names that are not segments are not', () => {
    const dot = fc.constantFrom('.', '%2e', '%2E', '%252e');
    const dots = fc.tuple(dot, fc.option(dot, { nil: '' })).map(([a, b]) => a + b);
    const name = fc.stringMatching(/^[a-z0-9._-]{0,8}$/).filter((s) => s !== '.' && s !== '..');
    const separator = fc.constantFrom('/', '\\', '%2f', '%5C');
    fc.assert(
      fc.property(fc.array(name, { maxLength: 4 }), dots, fc.array(name, { maxLength: 4 }), separator, (head, dotted, tail, sep) => {
        expect(hasDotSegment(['', ...head, dotted, ...tail].join(sep === '/' ? '/' : sep))).toBe(true);
        expect(hasDotSegment(['', ...head, ...tail].join('/'))).toBe(false);
      }),
      { numRuns: RUNS },
    );
  });

  it('the health endpoint answers at a path no S3 key or index can have; the old path reaches the upstream', async () => {
    const health = await rawRequest(`${open.url}${HEALTH_PATH}`, 'GET', {}, NONE, 'length');
    expect(health.status).toBe(200);
    expect(JSON.parse(health.body)).toMatchObject({ status: 'ok', upstreams: [storage.origin] });
    expect((await rawRequest(`${open.url}${HEALTH_PATH.toLowerCase()}`, 'GET', {}, NONE, 'length')).status).toBe(200);
    const before = storage.requests.length;
    expect((await rawRequest(`${open.url}/.got-aws4auth/health`, 'GET', {}, NONE, 'length')).status).toBe(200);
    expect(storage.requests.length).toBe(before + 1);
  });

  it('with client keys the health endpoint says only that the proxy runs', async () => {
    const health = await rawRequest(`${keyed.url}${HEALTH_PATH}`, 'GET', {}, NONE, 'length');
    expect(health.status).toBe(200);
    expect(JSON.parse(health.body)).toEqual({ status: 'ok' });
    expect(health.body).not.toContain('127.0.0.1');
  });
});
