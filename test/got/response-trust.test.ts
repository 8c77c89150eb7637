/**
 * What responses may change: only a response to an attempt the plugin signed (the request's first origin, or
 * an allowed redirect origin) moves the clock, invalidates credentials or uses up a one-time retry, and a
 * clock offset is learned only from a readable `Date` in 1970-9999 within 24 hours. Whatever any origin
 * answers, a later request to a well-behaved server still succeeds.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import got from 'got';
import { ClockSkew, createAws4Hooks, MAX_CLOCK_OFFSET_MS, type Aws4HooksOptions } from '../../src/index.js';
import { startVerifyingServer, type VerifyingServer } from '../helpers/verifying-server.js';

const session = { accessKeyId: 'ASIAPLUGINTEST', secretAccessKey: 'session/secret/0123456789abcdefghijklmno', sessionToken: 'SESSION+TOKEN/VALUE==' };
const RUNS = Number(process.env.RESPONSE_TRUST_RUNS ?? 12);
const HOUR = 3_600_000;
const BROKEN_DATES = ['Sat, 01 Jan 10000 00:00:00 GMT', '10000', '-000001-01-01T00:00:00Z', '+275760-09-13T00:00:00Z', 'Thu, 01 Jan 1970 00:00:00 GMT', 'garbage'];

let signed: VerifyingServer;
let foreign: VerifyingServer;
let wellBehaved: VerifyingServer;

/** AWS's rule: a signing time more than 15 minutes off is refused, with the server's Date. */
function skewCheckingResponder(server: VerifyingServer): void {
  server.respond((request, response) => {
    const amzDate = String(request.headers['x-amz-date']);
    const time = Date.parse(`${amzDate.slice(0, 4)}-${amzDate.slice(4, 6)}-${amzDate.slice(6, 8)}T${amzDate.slice(9, 11)}:${amzDate.slice(11, 13)}:${amzDate.slice(13, 15)}Z`);
    response.setHeader('date', new Date().toUTCString());
    if (!(Math.abs(time - Date.now()) <= 15 * 60_000)) {
      response.statusCode = 403;
      response.end('<Error><Code>RequestTimeTooSkewed</Code></Error>');
      return;
    }
    response.statusCode = request.verified ? 200 : 403;
    response.end(request.verified ? 'ok' : '<Error><Code>SignatureDoesNotMatch</Code></Error>');
  });
}

beforeAll(async () => {
  const secrets = { [session.accessKeyId]: session.secretAccessKey };
  [signed, foreign, wellBehaved] = await Promise.all([startVerifyingServer(secrets), startVerifyingServer(secrets), startVerifyingServer(secrets)]);
});
afterAll(() => Promise.all([signed.close(), foreign.close(), wellBehaved.close()]));
beforeEach(() => {
  for (const server of [signed, foreign, wellBehaved]) server.requests.length = 0;
  skewCheckingResponder(wellBehaved);
});

function counted(options: Partial<Aws4HooksOptions> = {}) {
  const calls: boolean[] = [];
  const provider = async (forced?: { forceRefresh?: boolean }) => {
    calls.push(forced?.forceRefresh === true);
    return { ...session, expiration: new Date(Date.now() + 6 * HOUR) };
  };
  const client = got.extend({ retry: { limit: 0 }, throwHttpErrors: false }, createAws4Hooks({ region: 'eu-west-1', service: 's3', credentials: provider, ...options }));
  return { client, calls };
}

/** The signed origin redirects to the foreign one, which answers as given. */
function foreignAnswers(status: number, headers: Record<string, string>, body: string): void {
  signed.respond((_request, response) => {
    response.statusCode = 302;
    response.setHeader('location', `${foreign.origin}/elsewhere`);
    response.end();
  });
  foreign.respond((_request, response) => {
    response.statusCode = status;
    for (const [name, value] of Object.entries(headers)) response.setHeader(name, value);
    response.end(body);
  });
}

describe('ClockSkew: bounded learning', () => {
  it.each(BROKEN_DATES)('ignores the Date %j and keeps a clock it can sign with', (date) => {
    const skew = new ClockSkew();
    const observation = skew.learn(date);
    expect(observation.outcome).not.toBe('learned');
    expect(skew.offsetMs).toBe(0);
  });

  it('learns offsets up to 24 hours and ignores larger ones', () => {
    const now = Date.UTC(2026, 2, 10);
    const skew = new ClockSkew(() => now);
    expect(skew.learn(new Date(now + MAX_CLOCK_OFFSET_MS).toUTCString())).toEqual({ outcome: 'learned', offsetMs: MAX_CLOCK_OFFSET_MS });
    expect(skew.learn(new Date(now + MAX_CLOCK_OFFSET_MS + 1000).toUTCString())).toMatchObject({ outcome: 'ignored', reason: 'out-of-bounds' });
    expect(skew.offsetMs).toBe(MAX_CLOCK_OFFSET_MS);
  });
});

describe('responses from the signed origin', () => {
  it.each(BROKEN_DATES)('a Date of %j breaks no later request', async (date) => {
    const { client } = counted();
    signed.respond((_request, response) => {
      response.setHeader('date', date);
      response.end('ok');
    });
    expect((await client.get(`${signed.origin}/a`)).statusCode).toBe(200);
    expect((await client.get(`${wellBehaved.origin}/b`)).statusCode).toBe(200);
    expect(wellBehaved.requests).toHaveLength(1);
  });
});

// got drops the afterResponse hook that asked for a retry from the retried attempt: the plugin puts its own back.
describe('one retry of each kind per request, whatever order they are needed in', () => {
  const SKEWED = '<Error><Code>RequestTimeTooSkewed</Code></Error>';
  const EXPIRED = '<Error><Code>ExpiredToken</Code></Error>';
  /** The signed origin answers the scripted bodies in turn (a skewed one with a Date 20 minutes ahead), then 200. */
  function answers(...bodies: string[]): void {
    let index = 0;
    signed.respond((_request, response) => {
      const body = bodies[index++];
      if (body === undefined) return void response.end('ok');
      response.statusCode = 403;
      if (body === SKEWED) response.setHeader('date', new Date(Date.now() + 20 * 60_000).toUTCString());
      response.end(body);
    });
  }

  it.each([
    ['clock skew, then an expired token', [SKEWED, EXPIRED]],
    ['an expired token, then clock skew', [EXPIRED, SKEWED]],
  ])('%s: both retried, the third attempt succeeds with fresh credentials', async (_order, bodies) => {
    const { client, calls } = counted();
    answers(...bodies);
    const response = await client.get(`${signed.origin}/k`);
    expect(response.statusCode).toBe(200);
    expect(signed.requests).toHaveLength(3);
    expect(calls).toEqual([false, true]);
  });

  it('a second answer of the same kind is returned, not retried again', async () => {
    const { client, calls } = counted();
    answers(SKEWED, EXPIRED, SKEWED, EXPIRED);
    const response = await client.get(`${signed.origin}/k`);
    expect(response.statusCode).toBe(403);
    expect(signed.requests).toHaveLength(3);
    expect(calls).toEqual([false, true]);
  });

  // Which hooks run on a retried attempt is got's choice (got 14 keeps those before the retrying one, got 16
  // none); putting the plugin's back must not make any run twice for one answer.
  it("a caller's afterResponse hook before the plugin's runs at most once per answer", async () => {
    const seen: number[] = [];
    const provider = async () => ({ ...session, expiration: new Date(Date.now() + 6 * HOUR) });
    const client = got.extend(
      { retry: { limit: 0 }, throwHttpErrors: false, hooks: { afterResponse: [(response) => (seen.push(response.statusCode), response)] } },
      createAws4Hooks({ region: 'eu-west-1', service: 's3', credentials: provider }),
    );
    answers(SKEWED, EXPIRED);
    expect((await client.get(`${signed.origin}/k`)).statusCode).toBe(200);
    expect(seen[0]).toBe(403);
    expect(seen.length).toBeLessThanOrEqual(signed.requests.length);
  });
});

describe('responses from an origin reached by a redirect and never signed', () => {
  it('cannot invalidate the shared credentials with 403 ExpiredToken', async () => {
    const { client, calls } = counted();
    foreignAnswers(403, {}, '<Error><Code>ExpiredToken</Code></Error>');
    for (let i = 0; i < 20; i++) await client.get(`${signed.origin}/go`);
    expect(calls).toEqual([false]);
    expect(foreign.requests.every((r) => r.headers.authorization === undefined && r.headers['x-amz-security-token'] === undefined)).toBe(true);
  });

  it('cannot move the clock with its Date', async () => {
    const { client } = counted();
    foreignAnswers(200, { date: new Date(Date.now() + 10 * HOUR).toUTCString() }, 'ok');
    await client.get(`${signed.origin}/go`);
    skewCheckingResponder(wellBehaved);
    const response = await client.get(`${wellBehaved.origin}/after`);
    expect(response.statusCode).toBe(200);
    // Signed right the first time: no skew rejection and retry.
    expect(wellBehaved.requests).toHaveLength(1);
  });

  it('cannot break the next streamed S3 upload, which no retry could rescue', async () => {
    const { client } = counted();
    foreignAnswers(200, { date: new Date(Date.now() + 10 * HOUR).toUTCString() }, 'ok');
    await client.get(`${signed.origin}/go`);
    const { Readable } = await import('node:stream');
    const response = await client.put(`${wellBehaved.origin}/bucket/key`, { body: Readable.from([Buffer.from('streamed')]), headers: { 'content-length': '8' } });
    expect(response.statusCode).toBe(200);
    expect(wellBehaved.requests).toHaveLength(1);
    expect(wellBehaved.requests[0]?.headers['x-amz-content-sha256']).toBe('STREAMING-AWS4-HMAC-SHA256-PAYLOAD');
  });

  it('cannot trigger the one-time skew retry', async () => {
    const { client } = counted();
    foreignAnswers(403, { date: new Date(Date.now() + HOUR).toUTCString() }, '<Error><Code>RequestTimeTooSkewed</Code></Error>');
    await client.get(`${signed.origin}/go`);
    expect(signed.requests).toHaveLength(1);
    expect(foreign.requests).toHaveLength(1);
  });
});

const answer = fc.record({
  foreign: fc.boolean(),
  status: fc.constantFrom(200, 400, 401, 403, 500),
  date: fc.oneof(
    fc.constantFrom(...BROKEN_DATES),
    fc.integer({ min: -48, max: 48 }).map((hours) => new Date(Date.now() + hours * HOUR).toUTCString()),
    fc.integer().map(String),
    fc.string({ maxLength: 30 }).filter((s) => /^[\x20-\x7e]*$/.test(s.trim()) && s.trim() !== ''),
  ),
  body: fc.constantFrom('ok', '<Error><Code>RequestTimeTooSkewed</Code></Error>', '<Error><Code>ExpiredToken</Code></Error>', '{"__type":"InvalidSignatureException"}', ''),
});

describe('property: after any sequence of answers, a well-behaved server is still reached', () => {
  it('signs an accepted request after any Dates, statuses and bodies from any origin', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(answer, { maxLength: 5 }), async (answers) => {
        const { client } = counted();
        for (const a of answers) {
          const respond = (_request: unknown, response: import('node:http').ServerResponse) => {
            response.statusCode = a.status;
            response.setHeader('date', a.date.trim());
            response.end(a.body);
          };
          if (a.foreign) foreignAnswers(a.status, { date: a.date.trim() }, a.body);
          else signed.respond(respond);
          await client.get(`${signed.origin}/any`);
        }
        wellBehaved.requests.length = 0;
        const response = await client.get(`${wellBehaved.origin}/final`);
        expect(response.statusCode).toBe(200);
        expect(wellBehaved.requests.at(-1)?.verified).toBe(true);
      }),
      { numRuns: RUNS },
    );
  });
});
