import { describe, expect, it } from 'vitest';
import {
  AWS4Auth,
  AWS4SigningKey,
  DateFormatError,
  DateMismatchError,
  NoSecretKeyError,
  PassiveAWS4Auth,
  REQUESTS_AWS4AUTH_INCLUDE_HEADERS,
  StrictAWS4Auth,
  type AWS4AuthOptions,
} from '../../src/auth/index.js';
import { signRequest } from '../../src/signer/sign-headers.js';
import { AWS4AuthError, InvalidCredentialsError, InvalidDateError, InvalidInputError } from '../../src/signer/errors.js';
import type { SignableRequest } from '../../src/signer/types.js';
import { createFakeClock } from '../helpers/fake-clock.js';
import { ACCESS_KEY_ID, SECRET, SESSION_TOKEN, recompute, verifiesForOwnDate } from './support.js';

const BASE = { accessKeyId: ACCESS_KEY_ID, secretAccessKey: SECRET, region: 'us-east-1', service: 'iam' } as const;
const URL_ = 'https://iam.amazonaws.com/?Action=ListUsers&Version=2010-05-08';
const AUG_30 = Date.UTC(2015, 7, 30, 12, 36, 0);
const AUG_31 = Date.UTC(2015, 7, 31, 0, 0, 1);

function auth(options: Partial<AWS4AuthOptions> = {}): AWS4Auth {
  return new AWS4Auth({ ...BASE, date: '20150830', clock: () => AUG_30, ...options } as AWS4AuthOptions);
}

function get(headers?: SignableRequest['headers']): SignableRequest {
  return { method: 'GET', url: URL_, headers };
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object') {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

describe('AWS4Auth construction', () => {
  it('derives its first key from the secret, region, service and date', () => {
    const a = auth();
    expect(a.signingKey).toBeInstanceOf(AWS4SigningKey);
    expect(a.signingKey.scope).toBe('20150830/us-east-1/iam/aws4_request');
    expect([a.accessKeyId, a.region, a.service, a.date]).toEqual([ACCESS_KEY_ID, 'us-east-1', 'iam', '20150830']);
    expect(a.signingKey.key.toString('hex')).toBe('c4afb1cc5771d871763a393e44b703571b55cc28424d1a5e86da6ed3c154a4b9');
  });

  it("dates its first key today (UTC) by its clock when no date is given", () => {
    expect(new AWS4Auth({ ...BASE, clock: () => Date.UTC(2023, 11, 31, 23, 59, 59) }).date).toBe('20231231');
  });

  it('takes a ready signing key and its scope', () => {
    const key = new AWS4SigningKey(SECRET, 'eu-west-1', 'es', '20150830', { storeSecretKey: false });
    const a = new AWS4Auth({ accessKeyId: ACCESS_KEY_ID, signingKey: key, region: 'eu-west-1' });
    expect(a.signingKey).toBe(key);
    expect([a.region, a.service, a.date]).toEqual(['eu-west-1', 'es', '20150830']);
  });

  describe('refuses bad options with a typed error naming the field', () => {
    const key = new AWS4SigningKey(SECRET, 'us-east-1', 'iam', '20150830');
    it.each<[string, () => unknown, new (...args: never[]) => Error, string]>([
      ['options that are not an object', () => new AWS4Auth(undefined as unknown as AWS4AuthOptions), InvalidInputError, 'options'],
      ['an empty access key id', () => auth({ accessKeyId: '' }), InvalidCredentialsError, 'options.accessKeyId'],
      ['an access key id that is not a string', () => auth({ accessKeyId: 7 as unknown as string }), InvalidCredentialsError, 'options.accessKeyId'],
      ['an access key id with a space', () => auth({ accessKeyId: 'AKID EXAMPLE' }), InvalidCredentialsError, 'options.accessKeyId'],
      ['neither secret nor signing key', () => auth({ secretAccessKey: undefined }), InvalidCredentialsError, 'options.secretAccessKey'],
      ['an empty secret', () => auth({ secretAccessKey: '' }), InvalidCredentialsError, 'options.secretAccessKey'],
      ['a secret and a signing key', () => new AWS4Auth({ accessKeyId: ACCESS_KEY_ID, secretAccessKey: SECRET, signingKey: key }), InvalidInputError, 'options.secretAccessKey'],
      ['a signing key that is not an AWS4SigningKey', () => new AWS4Auth({ accessKeyId: ACCESS_KEY_ID, signingKey: key.key as unknown as AWS4SigningKey }), InvalidInputError, 'options.signingKey'],
      ['a region other than the signing key’s', () => new AWS4Auth({ accessKeyId: ACCESS_KEY_ID, signingKey: key, region: 'eu-west-1' }), InvalidInputError, 'options.region'],
      ['a date other than the signing key’s', () => new AWS4Auth({ accessKeyId: ACCESS_KEY_ID, signingKey: key, date: '20150831' }), InvalidInputError, 'options.date'],
      ['storeSecretKey with a signing key', () => new AWS4Auth({ accessKeyId: ACCESS_KEY_ID, signingKey: key, storeSecretKey: false }), InvalidInputError, 'options.storeSecretKey'],
      ['a region that is not a string', () => auth({ region: 1 as unknown as string }), InvalidInputError, 'options.region'],
      ['no service', () => auth({ service: undefined }), InvalidInputError, 'options.service'],
      ['a date in another format', () => auth({ date: '2015-08-30' }), InvalidDateError, 'options.date'],
      ['raiseInvalidDate that is not a boolean', () => auth({ raiseInvalidDate: 'yes' as unknown as boolean }), InvalidInputError, 'options.raiseInvalidDate'],
      ['includeHeaders that is not an array', () => auth({ includeHeaders: 'host' as unknown as string[] }), InvalidInputError, 'options.includeHeaders'],
      ['includeHeaders with a colon', () => auth({ includeHeaders: ['host:'] }), InvalidInputError, 'options.includeHeaders'],
      ['a session token that is not a string', () => auth({ sessionToken: 5 as unknown as string }), InvalidCredentialsError, 'options.sessionToken'],
      ['a session token with a line break', () => auth({ sessionToken: 'a\r\nx-evil: 1' }), InvalidCredentialsError, 'options.sessionToken'],
      ['a clock that is not a function', () => auth({ clock: 5 as unknown as () => number }), InvalidInputError, 'options.clock'],
      ['a clock that returns NaN', () => auth({ date: undefined, clock: () => Number.NaN }), InvalidDateError, 'options.clock'],
      ['doubleEncodePath that is not a boolean', () => auth({ doubleEncodePath: 1 as unknown as boolean }), InvalidInputError, 'options.doubleEncodePath'],
    ])('%s', (_what, create, type, field) => {
      expect(create).toThrow(type);
      expect(create).toThrow(expect.objectContaining({ field }));
    });
  });
});

describe('AWS4Auth signing time', () => {
  it('adds an x-amz-date of options.now to a request without date headers', () => {
    const signed = auth().sign(get(), { now: new Date(AUG_30) });
    expect(signed.headers['x-amz-date']).toBe('20150830T123600Z');
    expect(signed.signedHeaders).toBe('host;x-amz-date');
  });

  it('takes now from its clock when options.now is not given, as a Date or as milliseconds', () => {
    const clock = createFakeClock(AUG_30);
    const a = auth({ clock: clock.now });
    expect(a.sign(get()).amzDate).toBe('20150830T123600Z');
    clock.advance(61_000);
    expect(a.sign(get()).amzDate).toBe('20150830T123701Z');
    expect(a.sign(get(), { now: AUG_30 + 1000 }).amzDate).toBe('20150830T123601Z');
  });

  it('signs the same as the signer core given the same time, credentials and scope', () => {
    const request = { method: 'POST', url: URL_, headers: { 'Content-Type': 'application/json', 'X-Custom': 'a  b' }, body: '{"a":1}' };
    const ours = auth().sign(request, { now: AUG_30 });
    const core = signRequest(request, { credentials: { accessKeyId: ACCESS_KEY_ID, secretAccessKey: SECRET }, region: 'us-east-1', service: 'iam', date: new Date(AUG_30) });
    expect(ours).toEqual(core);
  });

  it.each<[string, string, string]>([
    ['RFC 7231', 'Sun, 30 Aug 2015 12:36:00 GMT', '20150830T123600Z'],
    ['RFC 850', 'Sunday, 30-Aug-15 12:36:00 GMT', '20150830T123600Z'],
    ['asctime', 'Sun Aug 30 12:36:00 2015', '20150830T123600Z'],
    ['amz-date', '20150830T123600Z', '20150830T123600Z'],
    ['ISO 8601', '2015-08-30T13:36:00.250+01:00', '20150830T123600Z'],
  ])('reads an X-Amz-Date in %s format, signs at its time and sends it as YYYYMMDDTHHMMSSZ', (_format, value, amzDate) => {
    const signed = auth().sign(get({ 'X-Amz-Date': value }), { now: Date.UTC(2020, 0, 1) });
    expect(signed.amzDate).toBe(amzDate);
    expect(signed.headers['x-amz-date']).toBe(amzDate);
    expect(Object.keys(signed.headers).filter((n) => n.toLowerCase() === 'x-amz-date')).toEqual(['x-amz-date']);
    expect(verifiesForOwnDate(signed, SECRET, 'us-east-1', 'iam')).toBe(true);
  });

  it.each<[string, string, string]>([
    ['RFC 7231', 'Sun, 30 Aug 2015 12:36:00 GMT', '20150830T123600Z'],
    ['RFC 850', 'Sunday, 30-Aug-15 12:36:00 GMT', '20150830T123600Z'],
    ['asctime', 'Sun Aug 30 12:36:00 2015', '20150830T123600Z'],
    ['amz-date', '20150830T123600Z', '20150830T123600Z'],
    ['ISO 8601', '2015-08-30T13:36:00+01:00', '20150830T123600Z'],
  ])('signs a request with only a Date header in %s format at that time, signing the header as it is and adding no x-amz-date', (_format, value, amzDate) => {
    const signed = auth().sign(get({ Date: value }), { now: Date.UTC(2020, 0, 1) });
    expect(signed.amzDate).toBe(amzDate);
    expect(signed.stringToSign.split('\n')[1]).toBe(amzDate);
    expect(signed.headers['x-amz-date']).toBeUndefined();
    expect(signed.headers.date).toBe(value);
    expect(signed.signedHeaders).toBe('date;host');
    expect(signed.canonicalRequest).toContain(`\ndate:${value}\n`);
    expect(verifiesForOwnDate(signed, SECRET, 'us-east-1', 'iam')).toBe(true);
  });

  it('prefers X-Amz-Date over Date, and signs the Date header as an ordinary header', () => {
    const signed = auth().sign(get({ 'x-amz-date': '20150830T123600Z', date: 'Mon, 31 Aug 2015 09:00:00 GMT' }));
    expect(signed.amzDate).toBe('20150830T123600Z');
    expect(signed.signedHeaders).toBe('date;host;x-amz-date');
  });

  it('uses a readable Date when X-Amz-Date is unreadable, and drops the unreadable X-Amz-Date', () => {
    const signed = auth().sign(get({ 'X-Amz-Date': 'soon', Date: 'Sun, 30 Aug 2015 12:36:00 GMT' }), { now: Date.UTC(2020, 0, 1) });
    expect(signed.amzDate).toBe('20150830T123600Z');
    expect(signed.headers['x-amz-date']).toBeUndefined();
    expect(signed.headers['X-Amz-Date']).toBeUndefined();
    expect(signed.signedHeaders).toBe('date;host');
  });

  it('leaves an unreadable Date alone when X-Amz-Date is readable', () => {
    const signed = auth().sign(get({ 'X-Amz-Date': '20150830T123600Z', Date: 'soon' }));
    expect(signed.amzDate).toBe('20150830T123600Z');
    expect(signed.headers.date).toBe('soon');
  });

  it('replaces unreadable date headers with an x-amz-date of now', () => {
    const signed = auth().sign(get({ 'X-Amz-Date': 'soon', DATE: 'later', 'x-other': '1' }), { now: AUG_30 });
    expect(signed.amzDate).toBe('20150830T123600Z');
    expect(signed.headers['x-amz-date']).toBe('20150830T123600Z');
    expect(signed.headers.date).toBeUndefined();
    expect(signed.headers.DATE).toBeUndefined();
    expect(signed.signedHeaders).toBe('host;x-amz-date;x-other');
  });

  it('treats a date header sent more than once as unreadable', () => {
    const signed = auth().sign(get({ Date: ['Sun, 30 Aug 2015 12:36:00 GMT', 'Mon, 31 Aug 2015 12:36:00 GMT'] }), { now: AUG_30 + 5000 });
    expect(signed.amzDate).toBe('20150830T123605Z');
    expect(signed.headers.date).toBeUndefined();
  });

  describe('with raiseInvalidDate', () => {
    it('throws DateFormatError naming the unreadable headers instead of replacing them', () => {
      const a = auth({ raiseInvalidDate: true });
      const attempt = () => a.sign(get({ 'X-Amz-Date': 'soon', Date: 'later' }));
      expect(attempt).toThrow(DateFormatError);
      expect(attempt).toThrow(expect.objectContaining({ code: 'ERR_AWS4_DATE_FORMAT', headers: ['x-amz-date', 'date'] }));
      expect(attempt).toThrow(/x-amz-date: "soon"; date: "later"/);
      expect(attempt).toThrow(AWS4AuthError);
    });

    it('still signs a request without date headers at now, and one with a readable header', () => {
      const a = auth({ raiseInvalidDate: true });
      expect(a.sign(get(), { now: AUG_30 }).amzDate).toBe('20150830T123600Z');
      expect(a.sign(get({ 'x-amz-date': 'soon', date: 'Sun, 30 Aug 2015 12:36:00 GMT' })).amzDate).toBe('20150830T123600Z');
    });
  });

  it('never modifies the request it signs', () => {
    const request = deepFreeze({ method: 'GET', url: URL_, headers: { 'X-Amz-Date': 'soon', Date: 'later', 'X-A': ['1', '2'] } });
    const before = JSON.stringify(request);
    const signed = auth().sign(request, { now: AUG_30 });
    expect(JSON.stringify(request)).toBe(before);
    expect(signed.headers['x-a']).toEqual(['1', '2']);
  });

  it('refuses a bad now, request or options with a typed error naming the field', () => {
    const a = auth();
    expect(() => a.sign(get(), { now: new Date('nope') })).toThrow(expect.objectContaining({ field: 'options.now', code: 'ERR_AWS4_INVALID_DATE' }));
    expect(() => a.sign(get(), { now: Number.POSITIVE_INFINITY })).toThrow(expect.objectContaining({ field: 'options.now' }));
    expect(() => a.sign(get(), { now: '2015-08-30' as unknown as number })).toThrow(expect.objectContaining({ field: 'options.now' }));
    expect(() => a.sign(get(), { now: 8.64e15 })).toThrow(expect.objectContaining({ field: 'options.now' }));
    expect(() => auth({ clock: () => Number.NaN }).sign(get())).toThrow(expect.objectContaining({ field: 'options.clock' }));
    expect(() => a.sign(null as unknown as SignableRequest)).toThrow(expect.objectContaining({ field: 'request' }));
    expect(() => a.sign(get(), 'now' as unknown as object)).toThrow(expect.objectContaining({ field: 'options' }));
    expect(() => a.sign({ method: 'GET', url: 'iam.amazonaws.com' })).toThrow(expect.objectContaining({ code: 'ERR_AWS4_INVALID_URL' }));
  });
});

describe('date policies', () => {
  describe('AWS4Auth regenerates its key for a request dated on another day', () => {
    it('signs with a key for the request date and keeps that key', () => {
      const a = auth();
      const before = a.signingKey;
      const signed = a.sign(get(), { now: AUG_31 });
      expect(signed.credentialScope).toBe('20150831/us-east-1/iam/aws4_request');
      expect(verifiesForOwnDate(signed, SECRET, 'us-east-1', 'iam')).toBe(true);
      expect(a.date).toBe('20150831');
      expect(a.signingKey).not.toBe(before);
      expect(before.date).toBe('20150830'); // the old key object is untouched
      expect(a.signingKey.storeSecretKey).toBe(true);
    });

    it('regenerates for a Date or X-Amz-Date header from another day', () => {
      const a = auth();
      expect(a.sign(get({ Date: 'Tue, 01 Sep 2015 00:00:00 GMT' })).credentialScope).toBe('20150901/us-east-1/iam/aws4_request');
      expect(a.sign(get({ 'X-Amz-Date': '20150829T235959Z' })).credentialScope).toBe('20150829/us-east-1/iam/aws4_request');
      expect(a.date).toBe('20150829');
    });

    it('throws NoSecretKeyError when its key does not store the secret, and keeps the key', () => {
      const key = new AWS4SigningKey(SECRET, 'us-east-1', 'iam', '20150830', { storeSecretKey: false });
      const a = new AWS4Auth({ accessKeyId: ACCESS_KEY_ID, signingKey: key });
      const attempt = () => a.sign(get(), { now: AUG_31 });
      expect(attempt).toThrow(NoSecretKeyError);
      expect(attempt).toThrow(expect.objectContaining({ code: 'ERR_AWS4_NO_SECRET_KEY', scope: '20150831/us-east-1/iam/aws4_request' }));
      expect(a.signingKey).toBe(key);
      expect(verifiesForOwnDate(a.sign(get(), { now: AUG_30 }), SECRET, 'us-east-1', 'iam')).toBe(true);
    });
  });

  describe('StrictAWS4Auth', () => {
    it('throws DateMismatchError for a request dated on another day, and keeps its key', () => {
      const a = new StrictAWS4Auth({ ...BASE, date: '20150830' });
      const key = a.signingKey;
      const attempt = () => a.sign(get({ 'X-Amz-Date': '20150831T000001Z' }));
      expect(attempt).toThrow(DateMismatchError);
      expect(attempt).toThrow(expect.objectContaining({ code: 'ERR_AWS4_DATE_MISMATCH', requestDate: '20150831', keyDate: '20150830' }));
      expect(a.signingKey).toBe(key);
    });

    it('signs requests of its own day, and of a new day once its key is regenerated', () => {
      const a = new StrictAWS4Auth({ ...BASE, date: '20150830' });
      expect(verifiesForOwnDate(a.sign(get(), { now: AUG_30 }), SECRET, 'us-east-1', 'iam')).toBe(true);
      try {
        a.sign(get(), { now: AUG_31 });
        expect.unreachable();
      } catch (error) {
        a.regenerateSigningKey({ date: (error as DateMismatchError).requestDate });
      }
      expect(verifiesForOwnDate(a.sign(get(), { now: AUG_31 }), SECRET, 'us-east-1', 'iam')).toBe(true);
    });
  });

  describe('PassiveAWS4Auth', () => {
    it("signs a request dated on another day with its key's scope as it is", () => {
      const a = new PassiveAWS4Auth({ ...BASE, date: '20150830' });
      const signed = a.sign(get(), { now: AUG_31 });
      expect(signed.amzDate).toBe('20150831T000001Z');
      expect(signed.headers['x-amz-date']).toBe('20150831T000001Z');
      expect(signed.credentialScope).toBe('20150830/us-east-1/iam/aws4_request');
      expect(signed.authorization).toContain(`Credential=${ACCESS_KEY_ID}/20150830/us-east-1/iam/aws4_request,`);
      const expected = recompute(signed, SECRET, '20150830', 'us-east-1', 'iam');
      expect(signed.stringToSign).toBe(expected.stringToSign);
      expect(signed.signature).toBe(expected.signature);
      expect(signed.headers.authorization).toBe(signed.authorization);
      expect(signed.authorization.endsWith(`Signature=${expected.signature}`)).toBe(true);
      expect(a.date).toBe('20150830');
    });

    it('signs requests of its own day exactly as AWS4Auth does', () => {
      const request = get({ 'X-Amz-Date': '20150830T123600Z' });
      expect(new PassiveAWS4Auth({ ...BASE, date: '20150830' }).sign(request)).toEqual(auth().sign(request));
    });
  });

  describe('a subclass overriding keyForRequestDate (the override point of requests-aws4auth)', () => {
    it('is asked for the key of a request on another day, and its key is used', () => {
      const asked: string[] = [];
      class Logging extends AWS4Auth {
        protected override keyForRequestDate(key: AWS4SigningKey, requestDate: string): AWS4SigningKey {
          asked.push(`${key.date}->${requestDate}`);
          return super.keyForRequestDate(key, requestDate);
        }
      }
      const a = new Logging({ ...BASE, date: '20150830' });
      expect(a.sign(get(), { now: AUG_31 }).credentialScope).toBe('20150831/us-east-1/iam/aws4_request');
      a.sign(get(), { now: AUG_31 });
      expect(asked).toEqual(['20150830->20150831']);
    });
  });
});

describe('regenerateSigningKey', () => {
  it('replaces the key with one for the given parts, keeping the others', () => {
    const a = auth();
    const old = a.signingKey;
    const next = a.regenerateSigningKey({ region: 'eu-west-1', date: '20150901' });
    expect(next).toBe(a.signingKey);
    expect(next.scope).toBe('20150901/eu-west-1/iam/aws4_request');
    expect(old.scope).toBe('20150830/us-east-1/iam/aws4_request');
    expect(a.regenerateSigningKey().scope).toBe('20150901/eu-west-1/iam/aws4_request');
    expect(a.regenerateSigningKey({ service: 'sts' }).scope).toBe('20150901/eu-west-1/sts/aws4_request');
  });

  it('throws NoSecretKeyError without a stored or given secret, and accepts the secret given again', () => {
    const key = new AWS4SigningKey(SECRET, 'us-east-1', 'iam', '20150830', { storeSecretKey: false });
    const a = new StrictAWS4Auth({ accessKeyId: ACCESS_KEY_ID, signingKey: key });
    expect(() => a.regenerateSigningKey({ date: '20150831' })).toThrow(NoSecretKeyError);
    expect(a.signingKey).toBe(key);
    const next = a.regenerateSigningKey({ date: '20150831', secretAccessKey: SECRET });
    expect(next.date).toBe('20150831');
    expect(next.storeSecretKey).toBe(false);
    expect(next.secretAccessKey).toBeUndefined();
  });

  it('refuses bad parts with a typed error naming the field', () => {
    const a = auth();
    expect(() => a.regenerateSigningKey({ date: '31/08/2015' })).toThrow(expect.objectContaining({ field: 'options.date' }));
    expect(() => a.regenerateSigningKey({ region: '' })).toThrow(expect.objectContaining({ field: 'options.region' }));
    expect(() => a.regenerateSigningKey({ secretAccessKey: '' })).toThrow(expect.objectContaining({ field: 'options.secretAccessKey' }));
    expect(() => a.regenerateSigningKey(7 as unknown as object)).toThrow(expect.objectContaining({ field: 'options' }));
    expect(a.date).toBe('20150830');
  });
});

describe('session tokens', () => {
  it('sends and signs the token as x-amz-security-token', () => {
    const signed = auth({ sessionToken: SESSION_TOKEN }).sign(get(), { now: AUG_30 });
    expect(signed.headers['x-amz-security-token']).toBe(SESSION_TOKEN);
    expect(signed.signedHeaders).toBe('host;x-amz-date;x-amz-security-token');
  });

  it('adds the token after signing with signSessionToken: false', () => {
    const signed = auth({ sessionToken: SESSION_TOKEN, signSessionToken: false }).sign(get(), { now: AUG_30 });
    expect(signed.headers['x-amz-security-token']).toBe(SESSION_TOKEN);
    expect(signed.signedHeaders).toBe('host;x-amz-date');
  });

  it('signs the token with the requests-aws4auth header list too, without changing that list or other instances', () => {
    const list = [...REQUESTS_AWS4AUTH_INCLUDE_HEADERS];
    const withToken = auth({ sessionToken: SESSION_TOKEN, includeHeaders: REQUESTS_AWS4AUTH_INCLUDE_HEADERS });
    const without = auth({ includeHeaders: REQUESTS_AWS4AUTH_INCLUDE_HEADERS });
    expect(withToken.sign(get(), { now: AUG_30 }).signedHeaders).toBe('host;x-amz-date;x-amz-security-token');
    const other = without.sign(get(), { now: AUG_30 });
    expect(other.signedHeaders).toBe('host;x-amz-date');
    expect(other.headers['x-amz-security-token']).toBeUndefined();
    expect(REQUESTS_AWS4AUTH_INCLUDE_HEADERS).toEqual(list);
    expect(Object.isFrozen(REQUESTS_AWS4AUTH_INCLUDE_HEADERS)).toBe(true);
  });

  it('treats an empty token as none', () => {
    expect(auth({ sessionToken: '' }).sign(get(), { now: AUG_30 }).headers['x-amz-security-token']).toBeUndefined();
  });
});

describe('which headers are signed', () => {
  const headers = { 'Content-Type': 'text/plain', 'User-Agent': 'test', 'X-Custom': '1', 'X-Amz-Meta-A': '2', Date: 'Sun, 30 Aug 2015 12:36:00 GMT', 'X-Amz-Date': '20150830T123600Z' };

  it('by default, every header except those proxies may change', () => {
    expect(auth().sign(get(headers)).signedHeaders).toBe('content-type;date;host;x-amz-date;x-amz-meta-a;x-custom');
  });

  it("with REQUESTS_AWS4AUTH_INCLUDE_HEADERS, requests-aws4auth's choice: host, content-type, date and x-amz-*", () => {
    expect(REQUESTS_AWS4AUTH_INCLUDE_HEADERS).toEqual(['host', 'content-type', 'date', 'x-amz-*']);
    expect(auth({ includeHeaders: REQUESTS_AWS4AUTH_INCLUDE_HEADERS }).sign(get(headers)).signedHeaders).toBe('content-type;date;host;x-amz-date;x-amz-meta-a');
  });

  it('keeps its own copy of includeHeaders', () => {
    const include = ['host', 'x-custom'];
    const a = auth({ includeHeaders: include });
    include.push('content-type');
    expect(a.includeHeaders).toEqual(['host', 'x-custom']);
    expect(a.sign(get(headers)).signedHeaders).toBe('host;x-amz-date;x-custom');
  });
});

describe('signer options passed through', () => {
  it('signs a given payload hash instead of hashing the body', () => {
    const signed = auth().sign({ method: 'PUT', url: URL_, body: 'ignored' }, { now: AUG_30, payloadHash: 'UNSIGNED-PAYLOAD' });
    expect(signed.payloadHash).toBe('UNSIGNED-PAYLOAD');
    expect(signed.canonicalRequest.endsWith('\nUNSIGNED-PAYLOAD')).toBe(true);
  });

  it('applies the path and content-sha256 choices', () => {
    const request = { method: 'GET', url: 'https://iam.amazonaws.com/a%20b/../c' };
    expect(auth().sign(request, { now: AUG_30 }).canonicalRequest.split('\n')[1]).toBe('/c');
    const s3like = auth({ normalizePath: false, doubleEncodePath: false, contentSha256Header: true }).sign(request, { now: AUG_30 });
    expect(s3like.canonicalRequest.split('\n')[1]).toBe('/a%20b/../c');
    expect(s3like.headers['x-amz-content-sha256']).toBe(s3like.payloadHash);
  });
});
