/**
 * AWS4Auth, StrictAWS4Auth and PassiveAWS4Auth with their inputs (constructor options, the request and its
 * headers, sign options, regenerateSigningKey options) in every shape a caller may hand over, with
 * `Object.prototype` polluted or not: each input behaves exactly as its plain-object equivalent (same key
 * scope, byte-identical signed request) or fails with a typed `AWS4AuthError`; an inherited value is never
 * used, and every field is read at most once.
 *
 * Bounded for CI; `AUTH_SHAPES_RUNS=20000` runs it at scale.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AWS4Auth, AWS4SigningKey, PassiveAWS4Auth, StrictAWS4Auth } from '../../src/auth/index.js';
import { AWS4AuthError } from '../../src/signer/errors.js';
import type { SignableRequest } from '../../src/signer/types.js';
import { ENUMERABLE_SHAPES, SHAPES, THROWING_SHAPES, shaped, withPollutedPrototype, type Shape } from '../helpers/object-shapes.js';
import { ACCESS_KEY_ID, SECRET, SESSION_TOKEN } from './support.js';

const RUNS = Number(process.env['AUTH_SHAPES_RUNS'] ?? 200);
const AUG_30 = Date.UTC(2015, 7, 30, 12, 36, 0);
const clock = (): number => AUG_30;

/** Values an attacker could plant on Object.prototype, each one that would change the outcome if read. */
const POLLUTION: Readonly<Record<string, unknown>> = {
  sessionToken: 'POLLUTED+SESSION/TOKEN=from-the-prototype',
  signSessionToken: false,
  includeHeaders: ['x-polluted'],
  normalizePath: false,
  doubleEncodePath: false,
  contentSha256Header: true,
  raiseInvalidDate: true,
  storeSecretKey: false,
  signingKey: new AWS4SigningKey(SECRET, 'eu-central-1', 'es', '20200101'),
  secretAccessKey: 'polluted/secret/from/the/prototype/00000',
  region: 'eu-central-1',
  service: 'es',
  date: '20200101',
  clock: () => Date.UTC(2020, 0, 1),
  now: Date.UTC(2020, 0, 1),
  payloadHash: 'UNSIGNED-PAYLOAD',
  headers: { 'x-polluted': 'polluted' },
  body: 'polluted body',
  'x-polluted': 'polluted',
};

type Kind = 'AWS4Auth' | 'StrictAWS4Auth' | 'PassiveAWS4Auth';
const CLASSES: Readonly<Record<Kind, typeof AWS4Auth>> = { AWS4Auth, StrictAWS4Auth, PassiveAWS4Auth };
type Input = 'options' | 'request' | 'headers' | 'signOptions' | 'regenerate';

interface Case {
  readonly kind: Kind;
  readonly withKey: boolean;
  readonly options: Record<string, unknown>;
  readonly request: { method: string; url: string; body?: string };
  readonly headers: Record<string, string>;
  readonly signOptions: Record<string, unknown>;
  readonly regenerate: Record<string, unknown> | undefined;
  readonly shapes: Readonly<Record<Input, Shape>>;
  readonly polluted: boolean;
}

/** What a getter that changes answers on a second read: a value that would be refused, or signed differently. */
const LATER: Readonly<Record<Input, unknown>> = {
  options: 'AKID\r\nx-injected: 1',
  request: 'DELETE',
  headers: 'Mon, 31 Aug 2015 00:00:01 GMT',
  signOptions: Date.UTC(2015, 7, 31, 9),
  regenerate: 'ap-south-1',
};

const choices = fc.record(
  {
    sessionToken: fc.constant(SESSION_TOKEN),
    signSessionToken: fc.boolean(),
    includeHeaders: fc.constantFrom(['host', 'x-amz-*', 'content-type'], ['*'], ['x-c*m', 'date']),
    normalizePath: fc.boolean(),
    doubleEncodePath: fc.boolean(),
    contentSha256Header: fc.boolean(),
    raiseInvalidDate: fc.boolean(),
  },
  { requiredKeys: [] },
);

// Dates on the key's day, the next day (a regenerated key, or a strict refusal) and one no format reads.
const dateHeader = fc.constantFrom(
  ['X-Amz-Date', '20150830T123600Z'],
  ['x-amz-date', '20150831T000001Z'],
  ['Date', 'Sun, 30 Aug 2015 12:36:00 GMT'],
  ['date', 'Mon, 31 Aug 2015 00:00:01 GMT'],
  ['X-Amz-Date', 'yesterday'],
);
const otherHeaders = fc.dictionary(fc.constantFrom('x-amz-meta-a', 'Content-Type', 'x-custom', 'X-CUSTOM', 'range'), fc.stringMatching(/^[ -~]{0,12}$/), { maxKeys: 3 });

const caseArbitrary: fc.Arbitrary<Case> = fc.record({
  kind: fc.constantFrom<Kind>('AWS4Auth', 'StrictAWS4Auth', 'PassiveAWS4Auth'),
  withKey: fc.boolean(),
  options: choices,
  request: fc.record(
    {
      method: fc.constantFrom('GET', 'PUT', 'post'),
      url: fc.constantFrom('https://examplebucket.s3.amazonaws.com/photos/a b.jpg?versionId=1', 'https://iam.amazonaws.com/a/../b//c?x=1&y'),
      body: fc.string({ maxLength: 20 }),
    },
    { requiredKeys: ['method', 'url'] },
  ),
  // The date header first, when there is one: a changing or throwing getter then sits on it.
  headers: fc.tuple(fc.option(dateHeader, { nil: undefined }), otherHeaders).map(([date, rest]) => ({ ...(date === undefined ? {} : { [date[0]]: date[1] }), ...rest })),
  signOptions: fc.record({ now: fc.constantFrom(AUG_30, Date.UTC(2015, 7, 31, 1)), payloadHash: fc.constantFrom('UNSIGNED-PAYLOAD', 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855') }, { requiredKeys: ['now'] }),
  regenerate: fc.option(fc.record({ region: fc.constantFrom('us-west-2', 'eu-west-1'), date: fc.constant('20150831') }, { requiredKeys: ['region'] }), { nil: undefined }),
  shapes: fc.record({
    options: fc.constantFrom(...SHAPES),
    request: fc.constantFrom(...SHAPES),
    headers: fc.constantFrom(...ENUMERABLE_SHAPES),
    signOptions: fc.constantFrom(...SHAPES),
    regenerate: fc.constantFrom(...SHAPES),
  }),
  polluted: fc.boolean(),
});

function plainOptions(c: Case): Record<string, unknown> {
  const scope = c.withKey
    ? { signingKey: new AWS4SigningKey(SECRET, 'us-east-1', 'iam', '20150830') }
    : { secretAccessKey: SECRET, region: 'us-east-1', service: 'iam', date: '20150830', clock };
  return { accessKeyId: ACCESS_KEY_ID, ...scope, ...c.options };
}

interface Inputs {
  readonly options: unknown;
  readonly request: unknown;
  readonly signOptions: unknown;
  readonly regenerate: unknown;
}

/** The plain inputs as the rule sees them: only own fields count, so a class whose fields sit on its prototype gives none. */
function ownEquivalents(c: Case): Inputs {
  const own = <T extends object>(plain: T, input: Input): T | Record<string, never> => (c.shapes[input] === 'class with prototype getters' ? {} : plain);
  const request = own({ ...c.request, headers: c.headers }, 'request');
  return { options: own(plainOptions(c), 'options'), request, signOptions: own(c.signOptions, 'signOptions'), regenerate: c.regenerate && own(c.regenerate, 'regenerate') };
}

function shapedInputs(c: Case, reads: { count: number }): Inputs {
  const options = shaped(plainOptions(c), c.shapes.options, { key: 'accessKeyId', later: LATER.options, reads });
  const headers = shaped(c.headers, c.shapes.headers, { later: LATER.headers, reads });
  const request = shaped({ ...c.request, headers }, c.shapes.request, { key: 'method', later: LATER.request, reads });
  const signOptions = shaped(c.signOptions, c.shapes.signOptions, { key: 'now', later: LATER.signOptions, reads });
  const regenerate = c.regenerate && shaped(c.regenerate, c.shapes.regenerate, { key: 'region', later: LATER.regenerate, reads });
  return { options, request, signOptions, regenerate };
}

/** Builds the auth, regenerates its key if asked, signs once: everything a caller can observe, or the error. */
function run(kind: Kind, inputs: Inputs): { value: unknown } | { error: unknown } {
  try {
    const auth = new CLASSES[kind](inputs.options as ConstructorParameters<typeof AWS4Auth>[0]);
    const built = auth.toJSON();
    if (inputs.regenerate !== undefined) auth.regenerateSigningKey(inputs.regenerate as object);
    const signed = auth.sign(inputs.request as SignableRequest, inputs.signOptions as object);
    return { value: { built, signed, after: auth.toJSON(), key: auth.signingKey.key.toString('hex') } };
  } catch (error) {
    return { error };
  }
}

function fieldCount(c: Case): number {
  return Object.keys(plainOptions(c)).length + Object.keys(c.request).length + 1 + Object.keys(c.headers).length + Object.keys(c.signOptions).length + Object.keys(c.regenerate ?? {}).length;
}

describe('AWS4Auth inputs of every shape, Object.prototype polluted or not', () => {
  it('behave exactly as their own-property plain equivalents or fail with a typed AWS4AuthError, reading each field at most once', () => {
    fc.assert(
      fc.property(caseArbitrary, (c) => {
        const expected = run(c.kind, ownEquivalents(c));
        const reads = { count: 0 };
        const inputs = shapedInputs(c, reads);
        const actual = c.polluted ? withPollutedPrototype(POLLUTION, () => run(c.kind, inputs)) : run(c.kind, inputs);
        const used = (input: Input): boolean => input !== 'regenerate' || c.regenerate !== undefined;
        const throws = (Object.keys(c.shapes) as Input[]).some((input) => used(input) && THROWING_SHAPES.has(c.shapes[input]));
        if ('error' in actual) expect(actual.error).toBeInstanceOf(AWS4AuthError);
        if (throws || 'error' in expected) {
          expect('error' in actual).toBe(true);
          if ('error' in expected && !throws) expect((actual as { error: AWS4AuthError }).error.code).toBe((expected.error as AWS4AuthError).code);
          return;
        }
        if ('error' in actual) throw actual.error;
        expect(actual.value).toEqual(expected.value);
        expect(reads.count).toBeLessThanOrEqual(fieldCount(c));
      }),
      { numRuns: RUNS },
    );
  }, 30_000 + RUNS * 25);

  it('a Date header whose getter changes after its first read dates and signs the request by that first value', () => {
    const auth = new AWS4Auth({ accessKeyId: ACCESS_KEY_ID, secretAccessKey: SECRET, region: 'us-east-1', service: 'iam', date: '20150830', clock });
    const headers = shaped({ Date: 'Sun, 30 Aug 2015 12:36:00 GMT' }, 'getter that changes between reads', { later: 'Mon, 31 Aug 2015 00:00:01 GMT' });
    const signed = auth.sign({ method: 'GET', url: 'https://iam.amazonaws.com/', headers });
    expect(signed.headers['date']).toBe('Sun, 30 Aug 2015 12:36:00 GMT');
    expect(signed.credentialScope).toBe('20150830/us-east-1/iam/aws4_request');
    expect(auth.date).toBe('20150830');
  });

  it('refuses a Proxy of an AWS4SigningKey, which passes instanceof but holds no key, with a typed error naming options.signingKey', () => {
    const key = new AWS4SigningKey(SECRET, 'us-east-1', 'iam', '20150830');
    const fake = Object.create(AWS4SigningKey.prototype) as AWS4SigningKey;
    for (const signingKey of [new Proxy(key, {}), fake]) {
      expect(() => new AWS4Auth({ accessKeyId: ACCESS_KEY_ID, signingKey })).toThrow(expect.objectContaining({ code: 'ERR_AWS4_INVALID_INPUT', field: 'options.signingKey' }));
    }
  });

  it('refuses an includeHeaders array that cannot be read (a revoked Proxy, a trap that throws) with a typed error naming it', () => {
    const { proxy: revoked, revoke } = Proxy.revocable(['host'], {});
    revoke();
    const throwing = new Proxy(['host'], {
      get(target, key) {
        if (key === 'length') throw new Error('trap broke');
        return Reflect.get(target, key) as unknown;
      },
    });
    for (const includeHeaders of [revoked, throwing]) {
      expect(() => new AWS4Auth({ accessKeyId: ACCESS_KEY_ID, secretAccessKey: SECRET, region: 'us-east-1', service: 'iam', includeHeaders })).toThrow(
        expect.objectContaining({ code: 'ERR_AWS4_INVALID_INPUT', field: 'options.includeHeaders' }),
      );
    }
  });

  it('never uses an inherited signingKey, sessionToken, includeHeaders, payloadHash or now', () => {
    const options = { accessKeyId: ACCESS_KEY_ID, secretAccessKey: SECRET, region: 'us-east-1', service: 'iam', date: '20150830', clock };
    const request = { method: 'PUT', url: 'https://iam.amazonaws.com/', headers: { 'x-amz-meta-b': 'b' }, body: 'hello' };
    const expected = new AWS4Auth(options).sign(request, {});
    const polluted = withPollutedPrototype(POLLUTION, () => new AWS4Auth(options).sign(request, {}));
    expect(polluted).toEqual(expected);
    expect(polluted.headers['x-amz-security-token']).toBeUndefined();
    expect(polluted.payloadHash).not.toBe('UNSIGNED-PAYLOAD');
    expect(polluted.amzDate).toBe('20150830T123600Z');
  });
});
