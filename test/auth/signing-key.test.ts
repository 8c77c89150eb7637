import { describe, expect, it } from 'vitest';
import { AWS4SigningKey } from '../../src/auth/index.js';
import { deriveSigningKey } from '../../src/signer/signing-key.js';
import { InvalidCredentialsError, InvalidDateError, InvalidInputError } from '../../src/signer/errors.js';
import { SECRET } from './support.js';

describe('AWS4SigningKey', () => {
  it('derives the key of the SigV4 documentation example and exposes its scope', () => {
    const key = new AWS4SigningKey(SECRET, 'us-east-1', 'iam', '20150830');
    expect(key.key.toString('hex')).toBe('c4afb1cc5771d871763a393e44b703571b55cc28424d1a5e86da6ed3c154a4b9');
    expect(key.key.equals(deriveSigningKey(SECRET, '20150830', 'us-east-1', 'iam'))).toBe(true);
    expect(key).toMatchObject({ region: 'us-east-1', service: 'iam', date: '20150830', scope: '20150830/us-east-1/iam/aws4_request', storeSecretKey: true });
  });

  it('stores the secret by default and exposes it through a non-enumerable getter', () => {
    const key = new AWS4SigningKey(SECRET, 'us-east-1', 'iam', '20150830');
    expect(key.secretAccessKey).toBe(SECRET);
    expect(Object.keys(key)).not.toContain('secretAccessKey');
    expect(Object.getOwnPropertyNames(key)).not.toContain('secretAccessKey');
  });

  it('keeps no secret with storeSecretKey: false, and still signs with the same key', () => {
    const key = new AWS4SigningKey(SECRET, 'us-east-1', 'iam', '20150830', { storeSecretKey: false });
    expect(key.secretAccessKey).toBeUndefined();
    expect(key.storeSecretKey).toBe(false);
    expect(key.key.toString('hex')).toBe('c4afb1cc5771d871763a393e44b703571b55cc28424d1a5e86da6ed3c154a4b9');
  });

  it("uses today's UTC date from the clock when no date is given", () => {
    const key = new AWS4SigningKey(SECRET, 'eu-west-1', 's3', undefined, { clock: () => Date.UTC(2024, 1, 29, 23, 59, 59) });
    expect(key.date).toBe('20240229');
    expect(key.key.equals(deriveSigningKey(SECRET, '20240229', 'eu-west-1', 's3'))).toBe(true);
  });

  it('hands out a copy of the key bytes, so changing them changes nothing', () => {
    const key = new AWS4SigningKey(SECRET, 'us-east-1', 'iam', '20150830');
    const bytes = key.key;
    bytes.fill(0);
    expect(key.key.toString('hex')).toBe('c4afb1cc5771d871763a393e44b703571b55cc28424d1a5e86da6ed3c154a4b9');
  });

  it('is frozen, so its scope cannot drift from its key', () => {
    const key = new AWS4SigningKey(SECRET, 'us-east-1', 'iam', '20150830');
    expect(Object.isFrozen(key)).toBe(true);
    expect(() => {
      (key as { date: string }).date = '20150831';
    }).toThrow(TypeError);
  });

  describe('refuses bad arguments with a typed error naming the field', () => {
    it.each([
      ['an empty secret', () => new AWS4SigningKey('', 'us-east-1', 'iam'), InvalidCredentialsError, 'secretAccessKey'],
      ['a secret that is not a string', () => new AWS4SigningKey(42 as unknown as string, 'us-east-1', 'iam'), InvalidCredentialsError, 'secretAccessKey'],
      ['a region that is not a string', () => new AWS4SigningKey(SECRET, 1 as unknown as string, 'iam'), InvalidInputError, 'region'],
      ['an empty region', () => new AWS4SigningKey(SECRET, '', 'iam'), InvalidInputError, 'region'],
      ['a region with a slash', () => new AWS4SigningKey(SECRET, 'us/east', 'iam'), InvalidInputError, 'region'],
      ['a service that is not a string', () => new AWS4SigningKey(SECRET, 'us-east-1', null as unknown as string), InvalidInputError, 'service'],
      ['a date in another format', () => new AWS4SigningKey(SECRET, 'us-east-1', 'iam', '2015-08-30'), InvalidDateError, 'date'],
      ['a date that is no day', () => new AWS4SigningKey(SECRET, 'us-east-1', 'iam', '20150231'), InvalidDateError, 'date'],
      ['a Date object as date', () => new AWS4SigningKey(SECRET, 'us-east-1', 'iam', new Date() as unknown as string), InvalidDateError, 'date'],
      ['storeSecretKey that is not a boolean', () => new AWS4SigningKey(SECRET, 'us-east-1', 'iam', '20150830', { storeSecretKey: 'no' as unknown as boolean }), InvalidInputError, 'options.storeSecretKey'],
      ['a clock that returns no finite number', () => new AWS4SigningKey(SECRET, 'us-east-1', 'iam', undefined, { clock: () => Number.NaN }), InvalidDateError, 'options.clock'],
      ['a clock beyond year 9999', () => new AWS4SigningKey(SECRET, 'us-east-1', 'iam', undefined, { clock: () => 8.64e15 }), InvalidDateError, 'options.clock'],
      ['options that are not an object', () => new AWS4SigningKey(SECRET, 'us-east-1', 'iam', '20150830', 'x' as unknown as object), InvalidInputError, 'options'],
    ])('%s', (_what, create, type, field) => {
      expect(create).toThrow(type);
      expect(create).toThrow(expect.objectContaining({ field }));
    });

    it('never puts the secret in the error', () => {
      try {
        new AWS4SigningKey(SECRET, 'not a region', 'iam');
        expect.unreachable();
      } catch (error) {
        expect(String(error)).not.toContain(SECRET);
        expect(JSON.stringify(error)).not.toContain(SECRET);
      }
    });
  });
});
