/**
 * The SigV4a KDF's retry and boundary behaviour. A candidate is out of range with probability about
 * 2^-32, so no real credential exercises the retry: here node:crypto's HMAC is replaced, for the KDF's
 * key only, by one that returns chosen candidates, and the results are checked against P-256's
 * generator G (d = 1 gives G, d = n − 1 gives −G).
 */
import { describe, expect, it, vi } from 'vitest';

const queue: Buffer[] = [];
const inputs: Buffer[] = [];

vi.mock('node:crypto', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:crypto')>();
  const createHmac = ((algorithm: string, key: Buffer | string) => {
    if (queue.length > 0 && Buffer.isBuffer(key) && key.subarray(0, 5).toString() === 'AWS4A') {
      const chunks: Buffer[] = [];
      return {
        update(data: Buffer) {
          chunks.push(Buffer.from(data));
          return this;
        },
        digest() {
          inputs.push(Buffer.concat(chunks));
          return queue.shift() as Buffer;
        },
      };
    }
    return real.createHmac(algorithm, key);
  }) as typeof real.createHmac;
  return { ...real, default: { ...real, createHmac }, createHmac };
});

const { deriveSigV4aPublicKey, AWS4AuthError } = await import('../../src/signer/index.js');

const N = 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n;
const P = 0xffffffff00000001000000000000000000000000ffffffffffffffffffffffffn;
const GX = '6b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296';
const GY = '4fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51f5';

const bytes32 = (value: bigint) => Buffer.from(value.toString(16).padStart(64, '0'), 'hex');

function coordinates(accessKeyId: string): { x: string; y: string } {
  const { x, y } = deriveSigV4aPublicKey(accessKeyId, 'secret').export({ format: 'jwk' });
  return { x: Buffer.from(x as string, 'base64url').toString('hex'), y: Buffer.from(y as string, 'base64url').toString('hex') };
}

describe('SigV4a key derivation, counter mode', () => {
  it('retries past n − 1 and accepts n − 2 as the largest candidate, giving d = n − 1', () => {
    inputs.length = 0;
    queue.push(bytes32(N - 1n), bytes32(N - 2n));
    expect(coordinates('AKIDRETRY')).toEqual({ x: GX, y: (P - BigInt(`0x${GY}`)).toString(16).padStart(64, '0') });
    expect(queue).toHaveLength(0);
    // 0x00000001 || label || 0x00 || access key id || counter || 0x00000100, the counter 1 then 2.
    const layout = (counter: number) =>
      Buffer.concat([Buffer.from([0, 0, 0, 1]), Buffer.from('AWS4-ECDSA-P256-SHA256'), Buffer.from([0]), Buffer.from('AKIDRETRY'), Buffer.from([counter]), Buffer.from([0, 0, 1, 0])]);
    expect(inputs).toEqual([layout(1), layout(2)]);
  });

  it('accepts 0 as a candidate, giving d = 1 and the generator itself', () => {
    queue.push(Buffer.alloc(32, 0xff), bytes32(0n));
    expect(coordinates('AKIDZERO')).toEqual({ x: GX, y: GY });
  });

  it('gives up after 254 candidates out of range, with a typed error', () => {
    for (let i = 0; i < 254; i++) queue.push(Buffer.alloc(32, 0xff));
    let thrown: unknown;
    try {
      deriveSigV4aPublicKey('AKIDNEVER', 'secret');
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(AWS4AuthError);
    expect((thrown as InstanceType<typeof AWS4AuthError>).code).toBe('ERR_AWS4_INVALID_CREDENTIALS');
    expect(queue).toHaveLength(0);
  });
});
