/**
 * One date policy for every signing path. The table: policy (regenerate, strict, passive) x body kind
 * (string, Buffer, typed array, json, stream as signed chunks, unsigned stream, buffered stream) x algorithm
 * (SigV4; SigV4a, which allows only regenerate) x caller date (none, today, another day, unreadable), each
 * cell sent through the got plugin to a verifying server, and each cell the outcome docs/migrating.md states:
 *
 * - no caller date, or an unreadable one (removed): signed now, today's scope, under every policy;
 * - a caller date today: signed at that time, today's scope, under every policy;
 * - a caller date on another day: `regenerate` signs with that day's scope (the server accepts it),
 *   `strict` refuses with DateMismatchError before sending, `passive` signs at the caller's time with
 *   today's scope (a signature AWS refuses; every chunk signature is chained under the same scope).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Readable } from 'node:stream';
import got, { type RequestError } from 'got';
import { createAws4Hooks, DateMismatchError, type Aws4HooksOptions } from '../../src/index.js';
import { startVerifyingServer, type ReceivedRequest, type VerifyingServer } from '../helpers/verifying-server.js';
import { decodeAwsChunked } from '../helpers/aws-chunked.js';
import { signingKeyOf } from '../helpers/secrets.js';

const credentials = { accessKeyId: 'AKIDPLUGINTEST', secretAccessKey: 'plugin/test/secret/key/0123456789abcdefgh' };
const NOW = Date.UTC(2026, 2, 10, 12, 0, 0);
const TODAY = '20260310';
const CONTENT = 'hello, chunked world';

type Policy = NonNullable<Aws4HooksOptions['datePolicy']>;
type CallerDate = 'none' | 'today' | 'another day' | 'unreadable';
const CALLER_DATE: Record<CallerDate, string | undefined> = { none: undefined, today: '20260310T110000Z', 'another day': '20260305T110000Z', unreadable: 'not a date' };

const stream = (streamingPayload?: string) => () => ({
  body: Readable.from([Buffer.from(CONTENT)]),
  headers: { 'content-length': String(CONTENT.length) },
  ...(streamingPayload === undefined ? {} : { context: { aws4: { streamingPayload } } }),
});
const BODIES: Record<string, () => Record<string, unknown>> = {
  string: () => ({ body: CONTENT }),
  Buffer: () => ({ body: Buffer.from(CONTENT) }),
  'typed array': () => ({ body: new Uint16Array([1, 2, 3]) }),
  json: () => ({ json: { content: CONTENT } }),
  'stream as signed chunks': stream(),
  'unsigned stream': stream('unsigned'),
  'buffered stream': stream('buffer'),
};

let server: VerifyingServer;
beforeAll(async () => {
  server = await startVerifyingServer({ [credentials.accessKeyId]: credentials.secretAccessKey });
});
afterAll(() => server.close());

async function send(policy: Policy, algorithm: 'sigv4' | 'sigv4a', bodyKind: string, callerDate: CallerDate): Promise<{ error?: unknown; received?: ReceivedRequest }> {
  server.requests.length = 0;
  const plugin = createAws4Hooks({ region: 'us-east-1', service: 's3', credentials, clock: () => NOW, datePolicy: policy, algorithm });
  const date = CALLER_DATE[callerDate];
  const options = BODIES[bodyKind]!() as { headers?: Record<string, string> };
  const headers = { ...options.headers, ...(date === undefined ? {} : { 'x-amz-date': date }) };
  try {
    await got.extend({ retry: { limit: 0 }, throwHttpErrors: false }, plugin).put(`${server.origin}/bucket/key`, { ...options, headers } as never);
  } catch (error) {
    return { error };
  }
  return { received: server.requests[0] };
}

function scopeDateOf(received: ReceivedRequest): string | undefined {
  return /Credential=[^/]+\/(\d{8})\//.exec(String(received.headers.authorization))?.[1];
}

/** The chunk signatures chain under the seed's own scope and date. */
function expectChunksChained(received: ReceivedRequest): void {
  const authorization = String(received.headers.authorization);
  const scope = /Credential=[^/]+\/([^,]+),/.exec(authorization)![1]!;
  const seedSignature = /Signature=([0-9a-f]{64})/.exec(authorization)![1]!;
  const verify = { signingKey: signingKeyOf(credentials.secretAccessKey, scope), amzDate: String(received.headers['x-amz-date']), credentialScope: scope, seedSignature };
  expect(decodeAwsChunked(received.body, verify).data.toString()).toBe(CONTENT);
}

const cells: Array<[Policy, 'sigv4' | 'sigv4a', string, CallerDate]> = [];
for (const policy of ['regenerate', 'strict', 'passive'] as const) {
  for (const algorithm of policy === 'regenerate' ? (['sigv4', 'sigv4a'] as const) : (['sigv4'] as const)) {
    for (const bodyKind of Object.keys(BODIES)) for (const callerDate of Object.keys(CALLER_DATE) as CallerDate[]) cells.push([policy, algorithm, bodyKind, callerDate]);
  }
}

describe('the date policy: one outcome per cell, whatever the body and algorithm', () => {
  it.each(cells)('%s, %s, %s body, caller date %s', async (policy, algorithm, bodyKind, callerDate) => {
    const { error, received } = await send(policy, algorithm, bodyKind, callerDate);
    const otherDay = callerDate === 'another day';
    if (policy === 'strict' && otherDay) {
      expect((error as RequestError).cause).toBeInstanceOf(DateMismatchError);
      expect(server.requests).toHaveLength(0);
      return;
    }
    expect(error).toBeUndefined();
    const amzDate = String(received!.headers['x-amz-date']);
    const expectedTime = callerDate === 'today' || otherDay ? CALLER_DATE[callerDate]! : '20260310T120000Z';
    expect(amzDate).toBe(expectedTime);
    const expectedScope = otherDay && policy === 'regenerate' ? '20260305' : TODAY;
    expect(scopeDateOf(received!)).toBe(expectedScope);
    if (algorithm === 'sigv4') expect(received!.verified).toBe(!(otherDay && policy === 'passive'));
    if (received!.headers['content-encoding'] === 'aws-chunked' && String(received!.headers['x-amz-content-sha256']).startsWith('STREAMING-AWS4-HMAC')) expectChunksChained(received!);
  });

  it('covers every body kind with signed chunks where the algorithm allows them', async () => {
    const { received } = await send('passive', 'sigv4', 'stream as signed chunks', 'another day');
    expect(received!.headers['x-amz-content-sha256']).toBe('STREAMING-AWS4-HMAC-SHA256-PAYLOAD');
    expect(scopeDateOf(received!)).toBe(TODAY);
    expectChunksChained(received!);
  });
});
