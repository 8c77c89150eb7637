/**
 * The proxy in front of services other than S3, and its routing and relaying rules, checked by a local
 * server that verifies every signature with an independent implementation (@smithy/signature-v4): bodies
 * hashed for OpenSearch, a client-signed request whose signature covers an unstated body hash, several
 * upstreams, responses relayed unchanged less hop-by-hop headers, an unreachable upstream.
 */
import got from 'got';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aws4Hooks, signRequest } from '../../src/index.js';
import { startVerifyingServer, type VerifyingServer } from '../helpers/verifying-server.js';
import { CLIENT_KEY, OTHER_KEY, continueRequest, startProxy, REAL, type RunningProxy } from './support.js';

const plain = got.extend({ throwHttpErrors: false, retry: { limit: 0 } });

describe('the proxy in front of OpenSearch-like and S3-like upstreams', () => {
  let search: VerifyingServer;
  let storage: VerifyingServer;
  let proxy: RunningProxy;
  let keyed: RunningProxy;

  beforeAll(async () => {
    search = await startVerifyingServer({ [REAL.accessKeyId]: REAL.secretAccessKey });
    storage = await startVerifyingServer({ [REAL.accessKeyId]: REAL.secretAccessKey });
    const upstreams = [
      { url: search.origin, service: 'es', region: 'eu-west-1' },
      { url: storage.origin, service: 's3', region: 'eu-west-1' },
    ];
    proxy = await startProxy({ upstreams, credentials: REAL });
    keyed = await startProxy({ upstreams, credentials: REAL, clientKeys: [CLIENT_KEY] });
  });

  afterAll(async () => {
    await Promise.all([proxy.close(), keyed.close(), search.close(), storage.close()]);
  });

  it('an unsigned JSON POST reaches the first upstream signed for es with its body hashed, byte for byte', async () => {
    const body = JSON.stringify({ query: { match: { title: 'ünïcode + plus' } } });
    const res = await plain.post(`${proxy.url}/logs/_search`, { body, headers: { 'content-type': 'application/json' } });
    expect(res.statusCode).toBe(200);
    const seen = search.requests.at(-1)!;
    expect(seen.verified, seen.problem).toBe(true);
    expect(seen.service).toBe('es');
    expect(seen.accessKeyId).toBe(REAL.accessKeyId);
    expect(seen.body.toString()).toBe(body);
  });

  it('a request with another Authorization scheme (Basic, from a dashboard) counts as unsigned: the header is dropped and the request signed', async () => {
    const res = await plain.get(`${proxy.url}/_cluster/health`, { headers: { authorization: 'Basic ZGFzaGJvYXJkOnBhc3N3b3Jk' } });
    expect(res.statusCode).toBe(200);
    const seen = search.requests.at(-1)!;
    expect(seen.verified, seen.problem).toBe(true);
    expect(seen.headers.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\//);
    const refused = await plain.get(`${keyed.url}/_cluster/health`, { headers: { authorization: 'Basic ZGFzaGJvYXJkOnBhc3N3b3Jk' } });
    // With client keys it is refused: the verifier answers a non-SigV4 scheme as S3 does (400 InvalidArgument).
    expect([400, 403]).toContain(refused.statusCode);
    expect(refused.body).toMatch(/<Code>\w+<\/Code>/);
  });

  it('a PUT or POST without a body goes upstream with content-length: 0, not chunked', async () => {
    for (const method of ['PUT', 'POST'] as const) {
      expect((await plain(`${proxy.url}/bucket/empty`, { method, headers: { host: new URL(storage.origin).host } })).statusCode).toBe(200);
      const seen = storage.requests.at(-1)!;
      expect(seen.method).toBe(method);
      expect(seen.headers['content-length']).toBe('0');
      expect(seen.headers['transfer-encoding']).toBeUndefined();
      expect(seen.verified, seen.problem).toBe(true);
    }
  });

  it('a + in the query is sent as %20, as servers read it, and signed that way', async () => {
    await plain.get(`${proxy.url}/logs/_search?q=a+b&size=1`);
    const seen = search.requests.at(-1)!;
    expect(seen.target).toBe('/logs/_search?q=a%20b&size=1');
    expect(seen.verified, seen.problem).toBe(true);
  });

  it('with client keys, a client-signed es POST (its body hash covered but not stated) is verified and re-signed', async () => {
    const client = got.extend({ throwHttpErrors: false, retry: { limit: 0 } }, aws4Hooks({ region: 'eu-west-1', service: 'es', credentials: CLIENT_KEY }));
    const body = JSON.stringify({ size: 0 });
    const res = await client.post(`${keyed.url}/logs/_search`, { body, headers: { 'content-type': 'application/json' } });
    expect(res.statusCode, res.body).toBe(200);
    const seen = search.requests.at(-1)!;
    expect(seen.verified, seen.problem).toBe(true);
    expect(seen.accessKeyId).toBe(REAL.accessKeyId);
    expect(seen.body.toString()).toBe(body);
    // The same request with its body changed in transit is refused before it reaches the upstream.
    const count = search.requests.length;
    const tampered = await client.post(`${keyed.url}/logs/_search`, {
      body,
      hooks: { beforeRequest: [(options) => void (options.body = JSON.stringify({ size: 9 }))] },
    });
    expect(tampered.statusCode).toBe(403);
    expect(search.requests.length).toBe(count);
  });

  it('with client keys, an es POST by an unknown key is refused before its body is read (no 100 Continue)', async () => {
    const body = Buffer.alloc(500_000, 0x61);
    const signed = signRequest({ method: 'POST', url: `${keyed.url}/logs/_bulk`, body }, { credentials: OTHER_KEY, region: 'eu-west-1', service: 'es' });
    const count = search.requests.length;
    const answer = await continueRequest(`${keyed.url}/logs/_bulk`, 'POST', signed.headers, body);
    expect(answer).toEqual({ status: 403, continued: false });
    expect(search.requests.length).toBe(count);
  });

  it('a request signed for s3 goes to the s3 upstream, one whose Host names an upstream goes there', async () => {
    const s3Client = got.extend({ throwHttpErrors: false, retry: { limit: 0 } }, aws4Hooks({ region: 'eu-west-1', service: 's3', credentials: CLIENT_KEY }));
    const before = storage.requests.length;
    expect((await s3Client.get(`${keyed.url}/bucket/key`)).statusCode).toBe(200);
    expect(storage.requests.length).toBe(before + 1);
    expect(storage.requests.at(-1)!.verified).toBe(true);
    expect((await plain.get(`${proxy.url}/bucket/other`, { headers: { host: new URL(storage.origin).host } })).statusCode).toBe(200);
    expect(storage.requests.length).toBe(before + 2);
    expect(storage.requests.at(-1)!.service).toBe('s3');
  });

  it('relays the upstream\'s status, headers and body unchanged, less hop-by-hop headers', async () => {
    search.respond((_request, response) => {
      response.writeHead(418, 'I Am A Teapot', { 'content-type': 'text/plain', 'x-amzn-requestid': 'req-1', connection: 'x-hop', 'x-hop': 'private', 'keep-alive': 'timeout=5' });
      response.end('short and stout');
    });
    try {
      const res = await plain.get(`${proxy.url}/teapot`);
      expect(res.statusCode).toBe(418);
      expect(res.statusMessage).toBe('I Am A Teapot');
      expect(res.headers['x-amzn-requestid']).toBe('req-1');
      expect(res.headers['x-hop']).toBeUndefined();
      expect(res.body).toBe('short and stout');
    } finally {
      search.respond((_request, response) => void response.end('ok'));
    }
  });

  it('an ExpiredToken answer makes the proxy fetch credentials again and resend once; other errors pass through as they were', async () => {
    const server = await startVerifyingServer({ AKIDFIRST: 'first/secret/0123456789abcdefghijklmnopqrstu', AKIDSECOND: 'second/secret/0123456789abcdefghijklmnopqrs' });
    const identities = [
      { accessKeyId: 'AKIDFIRST', secretAccessKey: 'first/secret/0123456789abcdefghijklmnopqrstu' },
      { accessKeyId: 'AKIDSECOND', secretAccessKey: 'second/secret/0123456789abcdefghijklmnopqrs' },
    ];
    let calls = 0;
    const provider = async () => identities[Math.min(calls++, 1)]!;
    const expiredXml = '<?xml version="1.0" encoding="UTF-8"?><Error><Code>ExpiredToken</Code><Message>The provided token has expired.</Message></Error>';
    server.respond((request, response) => {
      if (request.accessKeyId === 'AKIDFIRST') response.writeHead(400, { 'content-type': 'application/xml', 'content-length': Buffer.byteLength(expiredXml) }).end(expiredXml);
      else response.end('fresh');
    });
    const refreshing = await startProxy({ upstreams: [{ url: server.origin, service: 's3', region: 'us-east-1' }], credentials: provider });
    try {
      const res = await plain.get(`${refreshing.url}/bucket/key`);
      expect(res.body).toBe('fresh');
      expect(calls).toBe(2);
      expect(server.requests.map((r) => r.accessKeyId)).toEqual(['AKIDFIRST', 'AKIDSECOND']);
      const denied = '<?xml version="1.0" encoding="UTF-8"?><Error><Code>AccessDenied</Code><Message>no</Message></Error>';
      server.respond((_request, response) => void response.writeHead(403, { 'content-type': 'application/xml', 'content-length': Buffer.byteLength(denied) }).end(denied));
      const refused = await plain.get(`${refreshing.url}/bucket/key`);
      expect(refused.statusCode).toBe(403);
      expect(refused.body).toBe(denied);
      expect(server.requests).toHaveLength(3);
    } finally {
      await refreshing.close();
      await server.close();
    }
  });

  it('an unreachable upstream is a 502 BadGateway in AWS-style XML', async () => {
    const dead = await startProxy({ upstreams: [{ url: 'http://127.0.0.1:9', service: 's3', region: 'us-east-1' }], credentials: REAL });
    try {
      const res = await plain.get(`${dead.url}/bucket/key`);
      expect(res.statusCode).toBe(502);
      expect(res.body).toContain('<Code>BadGateway</Code>');
      expect(dead.log.at(-1)).toMatchObject({ status: 502, error: 'BadGateway', path: '/bucket/key' });
    } finally {
      await dead.close();
    }
  });
});
