/**
 * `onSigned` hands the caller the canonical request of every signed attempt (to debug a signature a server
 * refused). It holds header values, so the values that carry a credential are redacted there by the same
 * rule as errors: the session token, the SSE-C customer keys and any `*token*` or `*secret*` header, in any
 * letter case; every other line is as signed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import got from 'got';
import { createAws4Hooks, type Aws4HooksOptions } from '../../src/index.js';

type SigningDetails = Parameters<NonNullable<Aws4HooksOptions['onSigned']>>[0];
import { startVerifyingServer, type VerifyingServer } from '../helpers/verifying-server.js';

const session = { accessKeyId: 'ASIAPLUGINTEST', secretAccessKey: 'session/secret/0123456789abcdefghijklmno', sessionToken: 'SESSION+TOKEN/VALUE==' };
const SSE_C_SECRET = 'c3NlLWMgY3VzdG9tZXIga2V5IDAxMjM0NTY3ODk=';
const COPY_SSE_C_SECRET = 'Y29weSBzb3VyY2Ugc3NlLWMga2V5IDAxMjM0NTY=';
const RUNS = Number(process.env.ON_SIGNED_RUNS ?? 25);

let server: VerifyingServer;
beforeAll(async () => {
  server = await startVerifyingServer({ [session.accessKeyId]: session.secretAccessKey });
});
afterAll(() => server.close());

const spelling = (text: string) => fc.array(fc.boolean(), { minLength: text.length, maxLength: text.length }).map((upper) => [...text].map((c, i) => (upper[i] ? c.toUpperCase() : c)).join(''));

describe('onSigned: the canonical request holds no credential', () => {
  it('credential headers read <redacted> in any letter case; the other headers and lines are as signed', async () => {
    const names = fc.record({ sse: spelling('x-amz-server-side-encryption-customer-key'), copy: spelling('x-amz-copy-source-server-side-encryption-customer-key') });
    await fc.assert(
      fc.asyncProperty(names, async ({ sse, copy }) => {
        const seen: SigningDetails[] = [];
        const client = got.extend({ retry: { limit: 0 } }, createAws4Hooks({ region: 'eu-west-1', service: 's3', credentials: session, onSigned: (details) => void seen.push(details) }));
        await client.put(`${server.origin}/bucket/key`, { body: 'x', headers: { [sse]: SSE_C_SECRET, [copy]: COPY_SSE_C_SECRET, 'x-amz-meta-note': 'kept' } });
        const [details] = seen;
        expect(server.requests.at(-1)?.verified).toBe(true);
        for (const secret of [SSE_C_SECRET, COPY_SSE_C_SECRET, session.sessionToken, encodeURIComponent(session.sessionToken)]) expect(details?.canonicalRequest).not.toContain(secret);
        expect(details?.canonicalRequest).toContain('x-amz-server-side-encryption-customer-key:<redacted>');
        expect(details?.canonicalRequest).toContain('x-amz-security-token:<redacted>');
        expect(details?.canonicalRequest).toContain('x-amz-meta-note:kept');
        expect(details?.canonicalRequest.split('\n').slice(0, 3)).toEqual(['PUT', '/bucket/key', '']);
      }),
      { numRuns: RUNS },
    );
  });
});
