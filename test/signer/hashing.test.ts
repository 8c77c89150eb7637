import { createHash, createHmac, randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hmacSha256Hex, sha256Hex } from '../../src/signer/sha256.js';
import { hashPayload } from '../../src/signer/payload-hash.js';
import type { SignableBody } from '../../src/signer/types.js';

// The hot path reuses scratch buffers and views between calls; these properties pin that reuse never
// lets one call's bytes leak into the next, whatever the order of lengths and keys.
describe('hashing on the signing hot path', () => {
  it('sha256Hex equals createHash for any string, including non-ASCII text', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (text) => {
      expect(sha256Hex(text)).toBe(createHash('sha256').update(text, 'utf8').digest('hex'));
    }), { numRuns: 500 });
  });

  it('hmacSha256Hex equals createHmac for any sequence of ASCII messages, short and long, under any keys', () => {
    const keys = [randomBytes(32), randomBytes(32), randomBytes(100)];
    const message = fc.oneof(fc.string({ unit: 'grapheme-ascii', maxLength: 200 }), fc.string({ unit: 'grapheme-ascii', minLength: 900, maxLength: 5000 }));
    fc.assert(fc.property(fc.array(fc.tuple(fc.nat(2), message), { minLength: 1, maxLength: 12 }), (calls) => {
      for (const [keyIndex, text] of calls) {
        const key = keys[keyIndex] as Buffer;
        expect(hmacSha256Hex(key, text)).toBe(createHmac('sha256', key).update(text, 'latin1').digest('hex'));
      }
    }), { numRuns: 300 });
  });

  it('hashPayload equals createHash over exactly the bytes a body view covers, on both sides of the one-shot limit', () => {
    const length = fc.oneof(fc.nat(300), fc.integer({ min: 64 * 1024 - 2, max: 64 * 1024 + 2 }), fc.integer({ min: 64 * 1024, max: 200_000 }));
    fc.assert(fc.property(length, fc.nat(16), fc.nat(16), fc.constantFrom('Buffer', 'Uint8Array', 'ArrayBuffer', 'DataView', 'Uint16Array'), (size, before, after, kind) => {
      const backing = randomBytes(before + size + after + 2);
      const bytes = backing.subarray(before, before + size - (kind === 'Uint16Array' ? size % 2 : 0));
      const expected = createHash('sha256').update(bytes).digest('hex');
      const body =
        kind === 'Buffer' ? bytes
        : kind === 'Uint8Array' ? new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength)
        : kind === 'ArrayBuffer' ? bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength)
        : kind === 'DataView' ? new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
        : new Uint16Array(new Uint8Array(bytes).buffer);
      // The type says Uint8Array or ArrayBuffer; JavaScript callers pass any view, and it is hashed as bytes.
      expect(hashPayload(body as SignableBody)).toBe(expected);
    }), { numRuns: 300 });
  });
});
