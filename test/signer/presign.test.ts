import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { SignatureV4 } from '@smithy/signature-v4';
import { HttpRequest } from '@smithy/protocol-http';
import { Hash } from '@smithy/hash-node';
import { presignUrl, presignRequest, InvalidExpiryError, type PresignOptions } from '../../src/signer/index.js';
import { randomRequest, encodedPath, CREDENTIALS } from '../helpers/differential.js';

// The worked example of the Amazon S3 API reference ("Authenticating Requests: Using Query Parameters").
const S3_DOC_EXAMPLE: PresignOptions = {
  credentials: { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' },
  region: 'us-east-1',
  service: 's3',
  date: new Date('2013-05-24T00:00:00Z'),
  expiresIn: 86400,
};

describe('presignUrl', () => {
  it('reproduces the S3 documentation example byte for byte', () => {
    const url = presignUrl({ method: 'GET', url: 'https://examplebucket.s3.amazonaws.com/test.txt' }, S3_DOC_EXAMPLE);
    expect(url).toBe(
      'https://examplebucket.s3.amazonaws.com/test.txt?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host&X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404',
    );
  });

  it('signs UNSIGNED-PAYLOAD for S3 so a presigned PUT accepts any body', () => {
    const { canonicalRequest } = presignRequest({ method: 'PUT', url: 'https://b.s3.amazonaws.com/k' }, S3_DOC_EXAMPLE);
    expect(canonicalRequest.endsWith('\nUNSIGNED-PAYLOAD')).toBe(true);
  });

  it('signs the session token by default and appends it after signing when asked', () => {
    const credentials = { ...S3_DOC_EXAMPLE.credentials, sessionToken: 'TOKEN+/=' };
    const signedToken = presignRequest({ method: 'GET', url: 'https://b.s3.amazonaws.com/k' }, { ...S3_DOC_EXAMPLE, credentials });
    expect(signedToken.canonicalRequest).toContain('X-Amz-Security-Token=TOKEN%2B%2F%3D');
    const appended = presignRequest({ method: 'GET', url: 'https://b.s3.amazonaws.com/k' }, { ...S3_DOC_EXAMPLE, credentials, signSessionToken: false });
    expect(appended.canonicalRequest).not.toContain('X-Amz-Security-Token');
    expect(appended.url).toMatch(/&X-Amz-Security-Token=TOKEN%2B%2F%3D&X-Amz-Signature=[0-9a-f]{64}$/);
  });

  it('keeps the existing query and replaces a previous presignature', () => {
    const first = presignUrl({ method: 'GET', url: 'https://b.s3.amazonaws.com/k?versionId=3&a=b c' }, S3_DOC_EXAMPLE);
    expect(first).toContain('a=b%20c');
    expect(first).toContain('versionId=3');
    const again = presignUrl({ method: 'GET', url: first }, S3_DOC_EXAMPLE);
    expect(again).toBe(first);
  });

  it('signs extra headers the user of the URL must send', () => {
    const { signedHeaders } = presignRequest({ method: 'PUT', url: 'https://b.s3.amazonaws.com/k', headers: { 'Content-Type': 'text/plain' } }, S3_DOC_EXAMPLE);
    expect(signedHeaders).toBe('content-type;host');
  });

  it.each([0, -1, 604801, 1.5, Number.NaN, '60' as never, undefined as never])('rejects expiresIn %s with a typed error', (expiresIn) => {
    expect(() => presignUrl({ method: 'GET', url: 'https://b.s3.amazonaws.com/k' }, { ...S3_DOC_EXAMPLE, expiresIn })).toThrow(InvalidExpiryError);
  });

  it('accepts the bounds 1 and 604800 seconds', () => {
    expect(presignUrl({ method: 'GET', url: 'https://b.s3.amazonaws.com/k' }, { ...S3_DOC_EXAMPLE, expiresIn: 1 })).toContain('X-Amz-Expires=1&');
    expect(presignUrl({ method: 'GET', url: 'https://b.s3.amazonaws.com/k' }, { ...S3_DOC_EXAMPLE, expiresIn: 604800 })).toContain('X-Amz-Expires=604800&');
  });

  it('matches @smithy/signature-v4 presign for random S3 requests', async () => {
    await fc.assert(
      fc.asyncProperty(randomRequest(true), fc.integer({ min: 1, max: 604800 }), async (request, expiresIn) => {
        const path = encodedPath(request);
        const query: Record<string, string | string[]> = {};
        for (const [k, v] of request.query) {
          const existing = query[k];
          query[k] = existing === undefined ? v : Array.isArray(existing) ? [...existing, v] : [existing, v];
        }
        const signer = new SignatureV4({ credentials: { ...CREDENTIALS, sessionToken: request.sessionToken }, region: request.region, service: 's3', sha256: Hash.bind(null, 'sha256'), uriEscapePath: false });
        const [hostname, port] = request.host.split(':');
        const theirs = await signer.presign(
          new HttpRequest({ method: request.method, protocol: 'http:', hostname, port: port === undefined ? undefined : Number(port), path, query, headers: { host: request.host, 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' } }),
          // As the SDK's S3 presigner does: the payload hash travels in a header that is neither hoisted nor signed.
          { signingDate: request.date, expiresIn, unsignableHeaders: new Set(['x-amz-content-sha256']), unhoistableHeaders: new Set(['x-amz-content-sha256']) },
        );
        const queryString = request.query.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&');
        const ours = new URL(
          presignUrl(
            { method: request.method, url: `http://${request.host}${path}${queryString ? `?${queryString}` : ''}` },
            { credentials: { ...CREDENTIALS, sessionToken: request.sessionToken }, region: request.region, service: 's3', date: request.date, expiresIn },
          ),
        );
        expect(ours.searchParams.get('X-Amz-Signature')).toBe(theirs.query?.['X-Amz-Signature']);
      }),
      { numRuns: 500 },
    );
  });
});

describe('presignUrl: S3 keys with dot segments', () => {
  it('keeps an encoded slash encoded in the URL it returns, so no URL parser resolves "..%2F" as a dot segment', () => {
    const url = presignUrl({ method: 'GET', url: 'https://b.s3.amazonaws.com/dir/..%2Fkey' }, S3_DOC_EXAMPLE);
    expect(url.startsWith('https://b.s3.amazonaws.com/dir/..%2Fkey?')).toBe(true);
    expect(new URL(url).pathname).toBe('/dir/..%2Fkey');
  });
});
