/**
 * The test server itself is trustworthy: Ceph RGW really checks SigV4 signatures, payload hashes,
 * presigned URLs and session tokens. Signed here with the `aws4` package (not this project's
 * signer) and sent with plain node:http, so that what RGW sees is exactly what was signed.
 */
import { createHash, randomBytes } from 'node:crypto';
import http from 'node:http';
import aws4 from 'aws4';
import { fromTemporaryCredentials } from '@aws-sdk/credential-providers';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { uniqueBucketName, type RgwServer } from '../helpers/rgw.js';

interface Creds {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
  text: string;
}

const rgw: RgwServer = inject('rgw');
const userCreds: Creds = { accessKeyId: rgw.accessKeyId, secretAccessKey: rgw.secretAccessKey };

/** Sends exactly these bytes to RGW: no header or path rewriting. */
function send(method: string, path: string, headers: http.OutgoingHttpHeaders, body?: Buffer | string): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { hostname: rgw.hostname, port: rgw.port, method, path, headers, timeout: 20_000 },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const buf = Buffer.concat(chunks);
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: buf, text: buf.toString('utf8') });
        });
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`${method} ${path} timed out`)));
    req.on('error', reject);
    req.end(body);
  });
}

interface SignInput {
  method: string;
  path: string;
  service?: 's3' | 'sts' | 'iam';
  headers?: Record<string, string>;
  body?: Buffer | string;
  signQuery?: boolean;
}

/** Signs with aws4 and returns the path and headers to send. */
function sign(input: SignInput, creds: Creds = userCreds): { path: string; headers: Record<string, string> } {
  const signed = aws4.sign(
    {
      host: rgw.host,
      method: input.method,
      path: input.path,
      service: input.service ?? 's3',
      region: rgw.region,
      headers: { ...input.headers },
      ...(input.body === undefined ? {} : { body: input.body }),
      ...(input.signQuery ? { signQuery: true } : {}),
    },
    creds,
  );
  return { path: signed.path ?? input.path, headers: signed.headers as Record<string, string> };
}

async function signedSend(input: SignInput, creds: Creds = userCreds): Promise<Reply> {
  const { path, headers } = sign(input, creds);
  return send(input.method, path, headers, input.body);
}

/** Encodes an S3 key for a request path, segment by segment. */
function keyPath(bucket: string, key: string): string {
  return `/${bucket}/${key.split('/').map(encodeURIComponent).join('/')}`;
}

/** Replaces the last hex digit of a signature with a different one. */
function flipLastHex(sig: string): string {
  const last = sig.at(-1);
  return sig.slice(0, -1) + (last === '0' ? '1' : '0');
}

function xmlField(xml: string, name: string): string {
  const m = new RegExp(`<${name}>([^<]*)</${name}>`).exec(xml);
  if (!m?.[1]) throw new Error(`no <${name}> in:\n${xml}`);
  return m[1].replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

async function createBucket(bucket: string, creds: Creds = userCreds): Promise<void> {
  const res = await signedSend({ method: 'PUT', path: `/${bucket}` }, creds);
  expect(res.status, res.text).toBe(200);
}

describe('Ceph RGW as a verifying S3 server', () => {
  const bucket = uniqueBucketName('rgw-server');
  const key = 'dir/hello wörld+1.bin';
  const content = randomBytes(64 * 1024 + 7);

  beforeAll(async () => {
    await createBucket(bucket);
  });

  it('answers an anonymous request to write with 403', async () => {
    const res = await send('PUT', keyPath(bucket, 'anonymous.txt'), { 'content-length': 2 }, 'hi');
    expect(res.status).toBe(403);
  });

  it('stores an aws4-signed PUT and reads it back byte-identical with a signed GET', async () => {
    const put = await signedSend({ method: 'PUT', path: keyPath(bucket, key), body: content });
    expect(put.status, put.text).toBe(200);
    expect(put.headers.etag).toBe(`"${createHash('md5').update(content).digest('hex')}"`);

    const get = await signedSend({ method: 'GET', path: keyPath(bucket, key) });
    expect(get.status, get.text).toBe(200);
    expect(get.body.equals(content)).toBe(true);
  });

  it('rejects a request whose signature was tampered with (403)', async () => {
    const { path, headers } = sign({ method: 'GET', path: keyPath(bucket, key) });
    headers.Authorization = headers.Authorization!.replace(/Signature=([0-9a-f]{64})/, (_, s: string) => `Signature=${flipLastHex(s)}`);
    const res = await send('GET', path, headers);
    expect(res.status).toBe(403);
    expect(res.text).toContain('AccessDenied');
  });

  it('rejects a signed request sent with a header changed after signing (403)', async () => {
    const { path, headers } = sign({ method: 'GET', path: keyPath(bucket, key), headers: { 'x-amz-meta-color': 'blue' } });
    headers['x-amz-meta-color'] = 'red';
    const res = await send('GET', path, headers);
    expect(res.status).toBe(403);
  });

  it('rejects a request signed with the wrong secret key (403)', async () => {
    const res = await signedSend(
      { method: 'GET', path: keyPath(bucket, key) },
      { accessKeyId: rgw.accessKeyId, secretAccessKey: rgw.secretAccessKey.replace(/.$/, 'X') },
    );
    expect(res.status).toBe(403);
  });

  it('rejects a request signed 15+ minutes ago (403 RequestTimeTooSkewed)', async () => {
    const res = await signedSend({ method: 'GET', path: keyPath(bucket, key), headers: { 'X-Amz-Date': '20200101T000000Z' } });
    expect(res.status).toBe(403);
    expect(res.text).toContain('RequestTimeTooSkewed');
  });

  it('does NOT check the region in the credential scope (region bugs need other tests)', async () => {
    const { path, headers } = sign({ method: 'GET', path: keyPath(bucket, key) });
    expect(headers.Authorization).toContain('/us-east-1/s3/aws4_request');
    const signed = aws4.sign(
      { host: rgw.host, method: 'GET', path: keyPath(bucket, key), service: 's3', region: 'eu-west-9', headers: {} },
      userCreds,
    );
    expect((signed.headers as Record<string, string>).Authorization).toContain('/eu-west-9/s3/aws4_request');
    expect((await send('GET', signed.path!, signed.headers ?? {})).status).toBe(200);
    expect((await send('GET', path, headers)).status).toBe(200);
  });

  it('rejects a body that does not match x-amz-content-sha256, and stores nothing', async () => {
    const target = keyPath(bucket, 'mismatch.bin');
    const signedBody = Buffer.from('the body that was signed');
    const sentBody = Buffer.from('the body that was SENT!!');
    expect(sentBody.length).toBe(signedBody.length);
    const { path, headers } = sign({ method: 'PUT', path: target, body: signedBody });
    expect(headers['X-Amz-Content-Sha256']).toBe(createHash('sha256').update(signedBody).digest('hex'));

    const res = await send('PUT', path, headers, sentBody);
    expect([400, 403]).toContain(res.status);
    expect(res.text).toContain('XAmzContentSHA256Mismatch');

    const head = await signedSend({ method: 'HEAD', path: target });
    expect(head.status).toBe(404);
  });

  it('serves a presigned GET without any auth header', async () => {
    const { path, headers } = sign({ method: 'GET', path: keyPath(bucket, key), signQuery: true });
    expect(path).toContain('X-Amz-Signature=');
    expect(headers.Authorization).toBeUndefined();
    const res = await send('GET', path, { Host: rgw.host });
    expect(res.status, res.text).toBe(200);
    expect(res.body.equals(content)).toBe(true);
  });

  it('rejects a presigned URL whose signature, key or expiry was altered (403)', async () => {
    const { path } = sign({ method: 'GET', path: keyPath(bucket, key), signQuery: true });

    const badSignature = path.replace(/X-Amz-Signature=([0-9a-f]{64})/, (_, s: string) => `X-Amz-Signature=${flipLastHex(s)}`);
    expect(badSignature).not.toBe(path);
    expect((await send('GET', badSignature, { Host: rgw.host })).status).toBe(403);

    const otherKey = path.replace(encodeURIComponent('hello wörld+1.bin'), 'mismatch.bin');
    expect(otherKey).not.toBe(path);
    expect((await send('GET', otherKey, { Host: rgw.host })).status).toBe(403);

    const longerExpiry = path.replace(/X-Amz-Expires=\d+/, 'X-Amz-Expires=604800');
    expect(longerExpiry).not.toBe(path);
    expect((await send('GET', longerExpiry, { Host: rgw.host })).status).toBe(403);
  });

  it('rejects an expired presigned URL (403)', async () => {
    const { path } = sign({
      method: 'GET',
      // aws4 signs with an X-Amz-Date already in the query instead of the current time.
      path: `${keyPath(bucket, key)}?X-Amz-Expires=60&X-Amz-Date=20200101T000000Z`,
      signQuery: true,
    });
    expect(path).toContain('X-Amz-Date=20200101T000000Z');
    const res = await send('GET', path, { Host: rgw.host });
    expect(res.status).toBe(403);
  });
});

describe('Ceph RGW as a verifying STS server', () => {
  const bucket = uniqueBucketName('rgw-sts');

  async function getSessionToken(): Promise<Required<Creds> & { expiration: Date }> {
    const body = new URLSearchParams({ Action: 'GetSessionToken', Version: '2011-06-15', DurationSeconds: '900' }).toString();
    const res = await signedSend({
      method: 'POST',
      path: '/',
      service: 'sts',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body,
    });
    expect(res.status, res.text).toBe(200);
    return {
      accessKeyId: xmlField(res.text, 'AccessKeyId'),
      secretAccessKey: xmlField(res.text, 'SecretAccessKey'),
      sessionToken: xmlField(res.text, 'SessionToken'),
      expiration: new Date(xmlField(res.text, 'Expiration')),
    };
  }

  beforeAll(async () => {
    await createBucket(bucket);
  });

  it('issues session credentials from a signed GetSessionToken form POST (service sts)', async () => {
    const creds = await getSessionToken();
    expect(creds.accessKeyId).not.toBe(rgw.accessKeyId);
    expect(creds.sessionToken.length).toBeGreaterThan(20);
    expect(creds.expiration.getTime()).toBeGreaterThan(Date.now());
  });

  it('rejects a GetSessionToken call with a tampered signature (403)', async () => {
    const body = 'Action=GetSessionToken&Version=2011-06-15';
    const { path, headers } = sign({
      method: 'POST',
      path: '/',
      service: 'sts',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body,
    });
    headers.Authorization = headers.Authorization!.replace(/Signature=([0-9a-f]{64})/, (_, s: string) => `Signature=${flipLastHex(s)}`);
    expect((await send('POST', path, headers, body)).status).toBe(403);
  });

  it('accepts session credentials for S3 with x-amz-security-token, and rejects a tampered or missing token', async () => {
    const creds = await getSessionToken();
    const target = keyPath(bucket, 'session.txt');
    const data = Buffer.from('written with a session token');

    const put = await signedSend({ method: 'PUT', path: target, body: data }, creds);
    expect(put.status, put.text).toBe(200);
    const get = await signedSend({ method: 'GET', path: target }, creds);
    expect(get.status, get.text).toBe(200);
    expect(get.body.equals(data)).toBe(true);

    // The token is part of the signed headers: sign with a changed one, then with none at all.
    const tampered = { ...creds, sessionToken: `${creds.sessionToken.slice(0, -4)}AAAA` };
    expect(tampered.sessionToken).not.toBe(creds.sessionToken);
    expect((await signedSend({ method: 'GET', path: target }, tampered)).status).toBe(403);
    const noToken = { accessKeyId: creds.accessKeyId, secretAccessKey: creds.secretAccessKey };
    expect((await signedSend({ method: 'GET', path: target }, noToken)).status).toBe(403);
  });

  it('accepts a presigned GET carrying X-Amz-Security-Token', async () => {
    const creds = await getSessionToken();
    const target = keyPath(bucket, 'session.txt');
    const { path } = sign({ method: 'GET', path: target, signQuery: true }, creds);
    expect(path).toContain('X-Amz-Security-Token=');
    const res = await send('GET', path, { Host: rgw.host });
    expect(res.status, res.text).toBe(200);
  });

  it('gives AssumeRole credentials through fromTemporaryCredentials that work for S3', async () => {
    const provider = fromTemporaryCredentials({
      params: { RoleArn: rgw.roleArn, RoleSessionName: 'rgw-server-test', DurationSeconds: 900 },
      masterCredentials: userCreds,
      clientConfig: { region: rgw.region, endpoint: rgw.endpoint, maxAttempts: 1 },
    });
    const creds = await provider();
    expect(creds.sessionToken).toBeTruthy();
    expect(creds.accessKeyId).not.toBe(rgw.accessKeyId);
    expect(creds.expiration?.getTime()).toBeGreaterThan(Date.now());

    const roleBucket = uniqueBucketName('rgw-role');
    const roleCreds: Creds = {
      accessKeyId: creds.accessKeyId,
      secretAccessKey: creds.secretAccessKey,
      sessionToken: creds.sessionToken!,
    };
    await createBucket(roleBucket, roleCreds);
    const data = randomBytes(1000);
    const put = await signedSend({ method: 'PUT', path: keyPath(roleBucket, 'role.bin'), body: data }, roleCreds);
    expect(put.status, put.text).toBe(200);
    const get = await signedSend({ method: 'GET', path: keyPath(roleBucket, 'role.bin') }, roleCreds);
    expect(get.status, get.text).toBe(200);
    expect(get.body.equals(data)).toBe(true);

    const tampered = { ...roleCreds, sessionToken: `${roleCreds.sessionToken!.slice(0, -4)}AAAA` };
    expect((await signedSend({ method: 'GET', path: keyPath(roleBucket, 'role.bin') }, tampered)).status).toBe(403);
  });

  it('refuses AssumeRole of a role that does not exist', async () => {
    const provider = fromTemporaryCredentials({
      params: { RoleArn: 'arn:aws:iam:::role/no-such-role', RoleSessionName: 'x', DurationSeconds: 900 },
      masterCredentials: userCreds,
      clientConfig: { region: rgw.region, endpoint: rgw.endpoint, maxAttempts: 1 },
    });
    await expect(provider()).rejects.toThrow();
  });
});
