import { format, inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { AWS4Auth, AWS4SigningKey, NoSecretKeyError, PassiveAWS4Auth, StrictAWS4Auth } from '../../src/auth/index.js';
import { ACCESS_KEY_ID, SECRET, SESSION_TOKEN } from './support.js';

const key = new AWS4SigningKey(SECRET, 'us-east-1', 'iam', '20150830');
const keyBytes = key.key;

/** Every form of a secret that must never show: the secret, the token, and the key bytes in any encoding. */
const FORBIDDEN = [SECRET, SESSION_TOKEN, keyBytes.toString('hex'), keyBytes.toString('base64'), keyBytes.toString('latin1'), JSON.stringify(keyBytes.toJSON().data).slice(1, 30)];

function expectNoSecret(text: string): void {
  for (const secret of FORBIDDEN) expect(text).not.toContain(secret);
}

/** Every way an object is commonly turned into text. */
function renderings(value: object): Record<string, string> {
  return {
    'String()': String(value),
    template: `${value as { toString(): string }}`,
    'toString()': value.toString(),
    'toJSON()': JSON.stringify((value as { toJSON(): unknown }).toJSON()),
    'JSON.stringify': JSON.stringify(value),
    'JSON.stringify nested': JSON.stringify({ nested: [value] }),
    'util.inspect': inspect(value),
    'util.inspect showHidden, depth Infinity': inspect(value, { showHidden: true, depth: Number.POSITIVE_INFINITY, getters: true }),
    // Without our custom inspect, only the accessors that exist to return the key and secret could show them,
    // and only if asked to run them (getters: true); nothing else on the object holds a secret.
    'util.inspect customInspect false': inspect(value, { customInspect: false, showHidden: true, depth: Number.POSITIVE_INFINITY }),
    'util.inspect nested': inspect({ a: { b: value } }, { depth: Number.POSITIVE_INFINITY }),
    'util.format %o': format('%o', value),
    'util.format %O': format('%O', value),
    'util.format %j': format('%j', value),
    'util.format %s': format('%s', value),
  };
}

const subjects: Array<[string, object]> = [
  ['AWS4SigningKey', key],
  ['AWS4SigningKey without a stored secret', new AWS4SigningKey(SECRET, 'us-east-1', 'iam', '20150830', { storeSecretKey: false })],
  ['AWS4Auth with a secret and a session token', new AWS4Auth({ accessKeyId: ACCESS_KEY_ID, secretAccessKey: SECRET, region: 'us-east-1', service: 'iam', date: '20150830', sessionToken: SESSION_TOKEN })],
  ['AWS4Auth with a signing key', new AWS4Auth({ accessKeyId: ACCESS_KEY_ID, signingKey: key, sessionToken: SESSION_TOKEN })],
  ['StrictAWS4Auth', new StrictAWS4Auth({ accessKeyId: ACCESS_KEY_ID, signingKey: key, sessionToken: SESSION_TOKEN })],
  ['PassiveAWS4Auth', new PassiveAWS4Auth({ accessKeyId: ACCESS_KEY_ID, signingKey: key, sessionToken: SESSION_TOKEN })],
];

describe('objects holding a secret never show it', () => {
  describe.each(subjects)('%s', (_name, subject) => {
    it.each(Object.entries(renderings(subject)))('in %s', (_how, text) => {
      expectNoSecret(text);
    });

    it('has no own property holding a secret', () => {
      for (const name of Reflect.ownKeys(subject)) {
        const value = (subject as Record<PropertyKey, unknown>)[name];
        expectNoSecret(typeof value === 'string' ? value : inspect(value, { customInspect: false, depth: Number.POSITIVE_INFINITY }));
      }
    });
  });

  it('still shows what is useful: the class, the access key id and the scope', () => {
    const auth = subjects[2]![1] as AWS4Auth;
    expect(String(auth)).toBe('AWS4Auth(AKIDEXAMPLE, 20150830/us-east-1/iam/aws4_request)');
    expect(auth.toJSON()).toEqual({
      accessKeyId: ACCESS_KEY_ID,
      scope: '20150830/us-east-1/iam/aws4_request',
      storeSecretKey: true,
      hasSessionToken: true,
      raiseInvalidDate: false,
      includeHeaders: undefined,
    });
    expect(inspect(auth)).toMatch(/^AWS4Auth \{[\s\S]*accessKeyId: 'AKIDEXAMPLE'[\s\S]*scope: '20150830\/us-east-1\/iam\/aws4_request'/);
    expect(inspect(subjects[4]![1])).toMatch(/^StrictAWS4Auth \{/);
    expect(String(key)).toBe('AWS4SigningKey(20150830/us-east-1/iam/aws4_request)');
    expect(JSON.parse(JSON.stringify(key))).toEqual({ scope: '20150830/us-east-1/iam/aws4_request', date: '20150830', region: 'us-east-1', service: 'iam', storeSecretKey: true });
    expect(inspect(key)).toMatch(/^AWS4SigningKey \{[\s\S]*scope: '20150830\/us-east-1\/iam\/aws4_request'/);
  });

  it('renders an instance with the inspect options it is given', () => {
    expect(inspect(key, { compact: true, breakLength: Number.POSITIVE_INFINITY })).toBe(
      "AWS4SigningKey { scope: '20150830/us-east-1/iam/aws4_request', date: '20150830', region: 'us-east-1', service: 'iam', storeSecretKey: true }",
    );
  });

  it('errors about keys and credentials never carry the secret', () => {
    const withoutSecret = new AWS4Auth({ accessKeyId: ACCESS_KEY_ID, signingKey: new AWS4SigningKey(SECRET, 'us-east-1', 'iam', '20150830', { storeSecretKey: false }) });
    const errors: unknown[] = [];
    for (const attempt of [
      () => withoutSecret.regenerateSigningKey({ date: '20150831' }),
      () => withoutSecret.sign({ method: 'GET', url: 'https://iam.amazonaws.com/' }, { now: Date.UTC(2015, 7, 31) }),
      () => new AWS4Auth({ accessKeyId: ACCESS_KEY_ID, secretAccessKey: SECRET, region: 'us east', service: 'iam' }),
      () => new AWS4Auth({ accessKeyId: `${ACCESS_KEY_ID} `, secretAccessKey: SECRET, region: 'us-east-1', service: 'iam', sessionToken: SESSION_TOKEN }),
      () => new AWS4Auth({ accessKeyId: ACCESS_KEY_ID, secretAccessKey: SECRET, region: 'us-east-1', service: 'iam', sessionToken: `${SESSION_TOKEN}\n` }),
      () => new AWS4Auth({ accessKeyId: ACCESS_KEY_ID, secretAccessKey: SECRET, signingKey: key }),
    ]) {
      try {
        attempt();
      } catch (error) {
        errors.push(error);
      }
    }
    expect(errors).toHaveLength(6);
    expect(errors[0]).toBeInstanceOf(NoSecretKeyError);
    for (const error of errors) {
      expectNoSecret(String(error));
      expectNoSecret(inspect(error, { showHidden: true, depth: Number.POSITIVE_INFINITY }));
      expectNoSecret(JSON.stringify(error));
    }
  });
});
