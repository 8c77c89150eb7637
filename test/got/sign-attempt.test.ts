/**
 * The one signing step: every body kind and algorithm goes through the shared date policy, and the passive
 * policy's scope reaches the headers and every chunk signature alike.
 */
import { describe, expect, it } from 'vitest';
import { attemptSettings, signAttempt, type Attempt } from '../../src/got/sign-attempt.js';
import type { BodyPlan } from '../../src/got/body-plan.js';
import { InvalidInputError, DateMismatchError } from '../../src/index.js';
import { collect, decodeAwsChunked } from '../helpers/aws-chunked.js';
import { signingKeyOf } from '../helpers/secrets.js';

const identity = { accessKeyId: 'AKIDPLUGINTEST', secretAccessKey: 'plugin/test/secret/key/0123456789abcdefgh' };
const NOW = Date.UTC(2026, 2, 10, 12, 0, 0);
const fixed = { includeHeaders: undefined, signSessionToken: undefined, normalizePath: undefined, doubleEncodePath: undefined, contentSha256Header: undefined };
const hashed: BodyPlan = { mode: 'hashed', body: 'x', payloadHash: undefined, chunked: undefined };
const attempt = (plan: BodyPlan, sigV4a = false, date = '20260305T110000Z'): Attempt => ({
  method: 'PUT',
  url: 'https://bucket.s3.us-east-1.amazonaws.com/key',
  headers: { 'x-amz-date': date },
  identity,
  scope: { service: 's3', region: 'us-east-1', sigV4a, regionSet: sigV4a ? ['*'] : undefined, regionFrom: 'choice' },
  plan,
});
const chunks = (decodedLength: number): BodyPlan => ({
  mode: 'signed-chunks',
  body: undefined,
  payloadHash: undefined,
  chunked: { source: (async function* () { if (decodedLength > 0) yield Buffer.alloc(decodedLength, 'a'); })(), decodedLength, chunkSize: 8192, checksum: undefined },
});

describe('signAttempt', () => {
  it('refuses a passive rescoping SigV4a cannot do, naming the option', () => {
    const settings = attemptSettings(fixed, 'passive', false, () => NOW);
    expect(() => signAttempt(settings, attempt(hashed, true))).toThrow(InvalidInputError);
    expect(() => signAttempt(settings, attempt(hashed, true))).toThrow(/datePolicy/);
    expect(signAttempt(settings, attempt(hashed, true, '20260310T110000Z')).signed.credentialScope).toBe('20260310/s3/aws4_request');
  });

  it('applies strict to SigV4a and chunked uploads as to any body', () => {
    const settings = attemptSettings(fixed, 'strict', false, () => NOW);
    expect(() => signAttempt(settings, attempt(hashed, true))).toThrow(DateMismatchError);
    expect(() => signAttempt(settings, attempt(chunks(100)))).toThrow(DateMismatchError);
  });

  it.each([0, 20_000])('passive: a chunked upload of %i bytes is scoped to the key day, its chunks chained under that scope', async (length) => {
    const settings = attemptSettings(fixed, 'passive', false, () => NOW);
    const { signed, body } = signAttempt(settings, attempt(chunks(length)));
    expect(signed.credentialScope).toBe('20260310/us-east-1/s3/aws4_request');
    expect(signed.amzDate).toBe('20260305T110000Z');
    const encoded = await collect(body!);
    if (length === 0) {
      expect(encoded.length).toBe(0);
      return;
    }
    const verify = { signingKey: signingKeyOf(identity.secretAccessKey, '20260310/us-east-1/s3'), amzDate: signed.amzDate, credentialScope: signed.credentialScope, seedSignature: signed.signature };
    expect(decodeAwsChunked(encoded, verify).data.length).toBe(length);
  });
});
