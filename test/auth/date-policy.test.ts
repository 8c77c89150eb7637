/**
 * The date policy module on its own: the scope date each policy chooses, and the signing time, date header
 * and scope date it decides from a request's headers and the clock.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { decideSigningDate, scopeDateFor, type DatePolicyName } from '../../src/auth/date-policy.js';
import { DateFormatError, DateMismatchError } from '../../src/index.js';

const NOW = new Date(Date.UTC(2026, 2, 10, 12, 0, 0));
const inputs = (policy: DatePolicyName, keyDate?: string, raiseInvalidDate = false) => ({
  policy,
  keyDate,
  now: () => NOW,
  clock: () => NOW.getTime(),
  raiseInvalidDate,
  nowField: 'options.clock',
});
const RUNS = Number(process.env.DATE_POLICY_RUNS ?? 200);

describe('scopeDateFor', () => {
  it('signs with the request day under regenerate, refuses under strict, keeps the key day under passive', () => {
    expect(scopeDateFor('regenerate', '20260310', '20260305')).toBe('20260305');
    expect(() => scopeDateFor('strict', '20260310', '20260305')).toThrow(DateMismatchError);
    expect(scopeDateFor('passive', '20260310', '20260305')).toBe('20260310');
  });

  it('is the request day under every policy when the days agree', () => {
    fc.assert(
      fc.property(fc.constantFrom<DatePolicyName>('regenerate', 'strict', 'passive'), fc.date({ min: new Date(0), max: new Date(Date.UTC(9999, 0, 1)), noInvalidDate: true }), (policy, date) => {
        const day = date.toISOString().slice(0, 10).replaceAll('-', '');
        expect(scopeDateFor(policy, day, day)).toBe(day);
      }),
      { numRuns: RUNS },
    );
  });
});

describe('decideSigningDate', () => {
  it('dates a request without date headers now, on the key day under every policy', () => {
    for (const policy of ['regenerate', 'strict', 'passive'] as const) {
      const decided = decideSigningDate({ host: 'example.com' }, inputs(policy));
      expect(decided).toMatchObject({ time: NOW, dateHeader: 'x-amz-date', source: 'now', requestDate: '20260310', scopeDate: '20260310' });
    }
  });

  it("compares a caller's date with today when no key date is given (the plugin's keys are today's)", () => {
    const headers = { 'X-Amz-Date': '20260305T110000Z' };
    expect(decideSigningDate(headers, inputs('regenerate')).scopeDate).toBe('20260305');
    expect(() => decideSigningDate(headers, inputs('strict'))).toThrow(DateMismatchError);
    expect(decideSigningDate(headers, inputs('passive'))).toMatchObject({ requestDate: '20260305', scopeDate: '20260310' });
  });

  it("compares a caller's date with the key's when one is given (AWS4Auth)", () => {
    const headers = { date: 'Thu, 05 Mar 2026 11:00:00 GMT' };
    expect(decideSigningDate(headers, inputs('strict', '20260305'))).toMatchObject({ dateHeader: 'date', requestDate: '20260305', scopeDate: '20260305' });
    expect(() => decideSigningDate(headers, inputs('strict', '20260310'))).toThrow(DateMismatchError);
  });

  it('drops unreadable date headers and signs now, or refuses them with raiseInvalidDate', () => {
    const decided = decideSigningDate({ 'x-amz-date': 'not a date', host: 'h' }, inputs('strict'));
    expect(decided).toMatchObject({ source: 'now', scopeDate: '20260310' });
    expect(decided.headers).toEqual({ host: 'h' });
    expect(() => decideSigningDate({ 'x-amz-date': 'not a date' }, inputs('strict', undefined, true))).toThrow(DateFormatError);
  });
});

describe('decideSigningDate with lower-case headers (the plugin)', () => {
  it('decides as for any headers: the same outcome with or without the hint', () => {
    fc.assert(
      fc.property(
        fc.constantFrom<DatePolicyName>('regenerate', 'strict', 'passive'),
        fc.option(fc.constantFrom('20260310T110000Z', '20260305T110000Z', 'not a date', 'Thu, 05 Mar 2026 11:00:00 GMT'), { nil: undefined }),
        fc.constantFrom('x-amz-date', 'date'),
        (policy, value, name) => {
          const headers = value === undefined ? { host: 'h' } : { host: 'h', [name]: value };
          const plain = (() => { try { return decideSigningDate(headers, inputs(policy)); } catch (e) { return (e as Error).constructor; } })();
          const hinted = (() => { try { return decideSigningDate(headers, { ...inputs(policy), lowerCaseHeaders: true }); } catch (e) { return (e as Error).constructor; } })();
          expect(hinted).toEqual(plain);
        },
      ),
      { numRuns: RUNS },
    );
  });
});
