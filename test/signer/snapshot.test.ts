import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ownOnly, snapshotOwn } from '../../src/signer/snapshot.js';
import { AWS4AuthError, InvalidCredentialsError } from '../../src/signer/errors.js';

const KEYS = ['a', 'b'] as const;

describe('snapshotOwn reads untrusted objects once, own properties only', () => {
  it('copies own data fields, enumerable or not, into a frozen null-prototype record', () => {
    const value = { a: 1 };
    Object.defineProperty(value, 'b', { value: 'two', enumerable: false });
    const snap = snapshotOwn(value, KEYS, 'options');
    expect({ ...snap }).toEqual({ a: 1, b: 'two' });
    expect(Object.getPrototypeOf(snap)).toBeNull();
    expect(Object.isFrozen(snap)).toBe(true);
  });

  it('never reads an inherited field, from a class prototype or a polluted Object.prototype', () => {
    const proto = Object.prototype as Record<string, unknown>;
    proto.b = 'polluted';
    try {
      class Options {
        a = 1;
        get b(): string {
          return 'from the class';
        }
      }
      expect({ ...snapshotOwn(new Options(), KEYS, 'options') }).toEqual({ a: 1 });
      expect('b' in snapshotOwn({}, KEYS, 'options')).toBe(false);
    } finally {
      delete proto.b;
    }
  });

  it('calls an own getter exactly once and keeps what it returned', () => {
    let calls = 0;
    const value = Object.defineProperty({}, 'a', { get: () => ++calls, enumerable: true });
    const snap = snapshotOwn(value, KEYS, 'options');
    expect(snap.a).toBe(1);
    expect(snap.a).toBe(1);
    expect(calls).toBe(1);
  });

  it('turns a throwing getter, a throwing Proxy or a revoked Proxy into the typed error, naming the field', () => {
    const throwing = Object.defineProperty({}, 'a', { get: () => { throw new Error('secret inside'); }, enumerable: true });
    expect(() => snapshotOwn(throwing, KEYS, 'options')).toThrow(/options\.a could not be read/);
    const { proxy, revoke } = Proxy.revocable({ a: 1 }, {});
    revoke();
    expect(() => snapshotOwn(proxy, KEYS, 'credentials', (f, p) => new InvalidCredentialsError(f, p))).toThrow(InvalidCredentialsError);
    const hostile = new Proxy({ a: 1 }, { get: () => { throw new Error('x'); } });
    expect(() => snapshotOwn(hostile, KEYS, 'options')).toThrow(AWS4AuthError);
  });

  it('refuses non-objects with the typed error', () => {
    for (const value of [undefined, null, 1, 'a', true]) {
      expect(() => snapshotOwn(value, KEYS, 'options')).toThrow(/options must be an object/);
    }
  });

  it('for any plain record, the snapshot equals its own fields', () => {
    fc.assert(
      fc.property(fc.record({ a: fc.anything(), b: fc.anything() }, { requiredKeys: [] }), (value) => {
        const snap = snapshotOwn(value, KEYS, 'options');
        for (const key of KEYS) {
          expect(key in snap).toBe(Object.hasOwn(value, key));
          if (Object.hasOwn(value, key)) expect(Object.is(snap[key], value[key])).toBe(true);
        }
      }),
    );
  });
});

describe('ownOnly keeps a value read by constant name only if the field is the object\'s own', () => {
  it('drops an inherited value, from a class prototype or a polluted Object.prototype, and keeps own ones, non-enumerable included', () => {
    class Options {
      get b(): string {
        return 'from the class';
      }
    }
    const proto = Object.prototype as Record<string, unknown>;
    proto['a'] = 'polluted';
    try {
      const plain: Record<string, unknown> = {};
      expect(ownOnly(plain, 'a', plain['a'])).toBeUndefined();
      const instance = new Options() as unknown as Record<string, unknown>;
      expect(ownOnly(instance, 'b', instance['b'])).toBeUndefined();
      const hidden = Object.defineProperty({}, 'a', { value: 'own', enumerable: false }) as Record<string, unknown>;
      expect(ownOnly(hidden, 'a', hidden['a'])).toBe('own');
      const shadowed: Record<string, unknown> = { a: undefined };
      expect(ownOnly(shadowed, 'a', shadowed['a'])).toBeUndefined();
    } finally {
      delete proto['a'];
    }
  });
});
