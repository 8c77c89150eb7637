/**
 * The trailing checksums: the table CRCs against the published check values and against independent
 * implementations (zlib.crc32 on this Node, @aws-crypto/crc32c), incremental use, and the base64 forms S3
 * expects.
 */
import { createHash, randomBytes } from 'node:crypto';
import * as zlib from 'node:zlib';
import { crc32c as awsCrc32c } from '@aws-crypto/crc32c';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { CHECKSUM_ALGORITHMS, InvalidInputError, checksumBase64Length, checksumHeaderName, createChecksum } from '../../src/signer/index.js';
import { crc32, crc32Table, crc32cTable } from '../../src/signer/checksums.js';

const zlibCrc32 = (zlib as unknown as { crc32?: (data: Uint8Array, value?: number) => number }).crc32;

function be32(n: number): string {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n >>> 0);
  return b.toString('base64');
}

describe('CRC implementations', () => {
  it('give the catalogued check values for "123456789"', () => {
    const check = Buffer.from('123456789');
    expect(crc32Table(check)).toBe(0xcbf43926);
    expect(crc32cTable(check)).toBe(0xe3069283);
    expect(crc32(check)).toBe(0xcbf43926);
    expect(crc32Table(new Uint8Array())).toBe(0);
    expect(crc32cTable(new Uint8Array())).toBe(0);
  });

  it('this Node (v20.20) has zlib.crc32, which is the one in use; the table fallback agrees with it', () => {
    expect(typeof zlibCrc32).toBe('function');
    expect(crc32).toBe(zlibCrc32);
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 5000 }), fc.nat(), (data, previous) => {
        expect(crc32Table(data)).toBe(zlibCrc32?.(data));
        expect(crc32Table(data, previous >>> 0)).toBe(zlibCrc32?.(data, previous >>> 0));
      }),
      { numRuns: 500 },
    );
  });

  it('the CRC32C table agrees with @aws-crypto/crc32c', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 5000 }), (data) => {
        expect(crc32cTable(data)).toBe(awsCrc32c(data));
      }),
      { numRuns: 500 },
    );
  });

  it('continues across pieces cut anywhere (slicing-by-8 alignment does not matter)', () => {
    const data = randomBytes(10_007);
    for (const cut of [0, 1, 3, 7, 8, 9, 4096, 10_006, 10_007]) {
      expect(crc32Table(data.subarray(cut), crc32Table(data.subarray(0, cut)))).toBe(crc32Table(data));
      expect(crc32cTable(data.subarray(cut), crc32cTable(data.subarray(0, cut)))).toBe(crc32cTable(data));
    }
  });
});

describe('createChecksum', () => {
  it('gives the S3 base64 forms for every algorithm, fed in pieces', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 3000 }), fc.nat({ max: 3000 }), (bytes, at) => {
        const data = Buffer.from(bytes);
        const cut = at % (data.length + 1);
        const expected: Record<string, string> = {
          crc32: be32(zlibCrc32?.(data) ?? 0),
          crc32c: be32(awsCrc32c(data)),
          sha1: createHash('sha1').update(data).digest('base64'),
          sha256: createHash('sha256').update(data).digest('base64'),
        };
        for (const algorithm of CHECKSUM_ALGORITHMS) {
          const checksum = createChecksum(algorithm);
          checksum.update(data.subarray(0, cut));
          checksum.update(data.subarray(cut));
          const value = checksum.digestBase64();
          expect(value).toBe(expected[algorithm]);
          expect(value.length).toBe(checksumBase64Length(algorithm));
        }
      }),
      { numRuns: 300 },
    );
  });

  it('matches the S3 documentation example: crc32c of 66,560 "a" bytes is sOO8/Q==', () => {
    const checksum = createChecksum('crc32c');
    checksum.update(Buffer.alloc(66_560, 'a'));
    expect(checksum.digestBase64()).toBe('sOO8/Q==');
  });

  it('names the headers and refuses unknown algorithms with a typed error', () => {
    expect(CHECKSUM_ALGORITHMS.map(checksumHeaderName)).toEqual(['x-amz-checksum-crc32', 'x-amz-checksum-crc32c', 'x-amz-checksum-sha1', 'x-amz-checksum-sha256']);
    expect(CHECKSUM_ALGORITHMS.map(checksumBase64Length)).toEqual([8, 8, 28, 44]);
    expect(() => createChecksum('md5' as 'crc32')).toThrow(InvalidInputError);
    expect(() => checksumHeaderName('CRC32' as 'crc32')).toThrow(/must be one of/);
  });
});
