import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { AWS4Auth, StrictAWS4Auth } from '../../src/auth/index.js';
import { signRequest } from '../../src/signer/sign-headers.js';
import { toAmzDate } from '../../src/signer/amz-date.js';
import type { SignableRequest, SignedRequest } from '../../src/signer/types.js';
import { createFakeClock } from '../helpers/fake-clock.js';
import { ACCESS_KEY_ID, SECRET, SESSION_TOKEN, dayOf, verifiesForOwnDate } from './support.js';

const MIDNIGHT = Date.UTC(2024, 1, 29, 0, 0, 0); // 28 Feb → 29 Feb 2024
const REGION = 'eu-west-1';
const SERVICE = 'es';

/** How one request states its time. */
type Spec = { readonly offsetMs: number; readonly via: 'x-amz-date' | 'date' | 'now' | 'clock' };

const specArb: fc.Arbitrary<Spec> = fc.record({
  offsetMs: fc.integer({ min: -3000, max: 3000 }),
  via: fc.constantFrom<Spec['via']>('x-amz-date', 'date', 'now', 'clock'),
});

function requestFor(spec: Spec, i: number): { request: SignableRequest; now: number | undefined } {
  const at = MIDNIGHT + spec.offsetMs;
  const headers: Record<string, string> = { 'x-request': String(i) };
  if (spec.via === 'x-amz-date') headers['X-Amz-Date'] = toAmzDate(new Date(at));
  if (spec.via === 'date') headers.Date = new Date(at).toUTCString();
  return { request: { method: 'POST', url: `https://search.example.com/idx/_doc/${i}`, headers, body: `{"i":${i}}` }, now: spec.via === 'now' ? at : undefined };
}

describe('one AWS4Auth shared by concurrent requests', () => {
  it('signs requests interleaved in any order across midnight each with a key for its own date', async () => {
    await fc.assert(
      fc.asyncProperty(fc.scheduler(), fc.array(specArb, { minLength: 2, maxLength: 40 }), async (s, specs) => {
        const clock = createFakeClock(MIDNIGHT - 1500);
        const auth = new AWS4Auth({ accessKeyId: ACCESS_KEY_ID, secretAccessKey: SECRET, region: REGION, service: SERVICE, sessionToken: SESSION_TOKEN, clock: clock.now });
        const results: Array<{ spec: Spec; request: SignableRequest; signed: SignedRequest; clockAt: number }> = [];
        const tasks = specs.map(async (spec, i) => {
          const { request, now } = requestFor(spec, i);
          await s.schedule(Promise.resolve(), `request ${i} before signing`);
          if (i % 5 === 0) clock.advance(400); // the clock moves while requests are in flight
          const clockAt = clock.now();
          const signed = auth.sign(request, { now });
          await s.schedule(Promise.resolve(), `request ${i} after signing`);
          results.push({ spec, request, signed, clockAt });
        });
        await s.waitAll();
        await Promise.all(tasks);

        for (const { spec, request, signed, clockAt } of results) {
          const expectedTime = spec.via === 'clock' ? clockAt : MIDNIGHT + spec.offsetMs;
          if (signed.amzDate !== toAmzDate(new Date(expectedTime))) return false;
          if (!verifiesForOwnDate(signed, SECRET, REGION, SERVICE)) return false;
          if (signed.credentialScope.slice(0, 8) !== dayOf(expectedTime)) return false;
          // A fresh, independent signature of the same request at the same time agrees.
          const fresh = signRequest(
            { ...request, headers: { ...request.headers } },
            {
              credentials: { accessKeyId: ACCESS_KEY_ID, secretAccessKey: SECRET, sessionToken: SESSION_TOKEN },
              region: REGION,
              service: SERVICE,
              date: new Date(expectedTime),
              dateHeader: spec.via === 'date' ? 'date' : 'x-amz-date',
            },
          );
          if (fresh.authorization !== signed.authorization) return false;
        }
        // Whatever the order, the instance ends with a whole key: scope, bytes and date agree.
        const key = auth.signingKey;
        return key.scope === `${key.date}/${REGION}/${SERVICE}/aws4_request` && verifiesForOwnDate(auth.sign({ method: 'GET', url: 'https://search.example.com/' }, { now: MIDNIGHT }), SECRET, REGION, SERVICE);
      }),
      { numRuns: 150 },
    );
  });

  it('gives each request its own day even when the two days alternate request by request', () => {
    const auth = new AWS4Auth({ accessKeyId: ACCESS_KEY_ID, secretAccessKey: SECRET, region: REGION, service: SERVICE, date: '20240228' });
    for (let i = 0; i < 200; i++) {
      const at = MIDNIGHT + (i % 2 === 0 ? -1 : 0);
      const signed = auth.sign({ method: 'GET', url: 'https://search.example.com/' }, { now: at });
      expect(signed.credentialScope.slice(0, 8)).toBe(dayOf(at));
      expect(verifiesForOwnDate(signed, SECRET, REGION, SERVICE)).toBe(true);
    }
  });

  it('keeps nothing between instances: tokens, header lists and keys stay with their own instance', () => {
    const a = new AWS4Auth({ accessKeyId: ACCESS_KEY_ID, secretAccessKey: SECRET, region: REGION, service: SERVICE, sessionToken: SESSION_TOKEN, includeHeaders: ['host', 'x-amz-*'], date: '20240228' });
    const b = new AWS4Auth({ accessKeyId: ACCESS_KEY_ID, secretAccessKey: SECRET, region: REGION, service: SERVICE, date: '20240228' });
    a.sign({ method: 'GET', url: 'https://search.example.com/' }, { now: MIDNIGHT });
    const signed = b.sign({ method: 'GET', url: 'https://search.example.com/', headers: { 'x-custom': '1' } }, { now: MIDNIGHT - 1 });
    expect(a.date).toBe('20240229');
    expect(b.date).toBe('20240228');
    expect(signed.headers['x-amz-security-token']).toBeUndefined();
    expect(signed.signedHeaders).toBe('host;x-amz-date;x-custom');
  });

  it('a shared StrictAWS4Auth refuses requests from the other side of midnight without disturbing the others', async () => {
    const auth = new StrictAWS4Auth({ accessKeyId: ACCESS_KEY_ID, secretAccessKey: SECRET, region: REGION, service: SERVICE, date: '20240228' });
    const outcomes = await Promise.all(
      Array.from({ length: 50 }, async (_, i) => {
        await new Promise((resolve) => setImmediate(resolve));
        try {
          return auth.sign({ method: 'GET', url: 'https://search.example.com/' }, { now: MIDNIGHT + (i % 2 === 0 ? -1000 : 1000) });
        } catch (error) {
          return error as Error;
        }
      }),
    );
    outcomes.forEach((outcome, i) => {
      if (i % 2 === 0) expect(verifiesForOwnDate(outcome as SignedRequest, SECRET, REGION, SERVICE)).toBe(true);
      else expect(outcome).toMatchObject({ code: 'ERR_AWS4_DATE_MISMATCH', requestDate: '20240229', keyDate: '20240228' });
    });
    expect(auth.date).toBe('20240228');
  });
});
