/**
 * The checksums S3 accepts in an `x-amz-checksum-<algorithm>` header or trailer, computed incrementally
 * while a body streams past: CRC32, CRC32C, SHA-1 and SHA-256, each sent as the base64 of its big-endian
 * digest bytes.
 *
 * CRC32 uses `zlib.crc32` where Node has it (20.15+, 22.2+) and a table implementation otherwise; CRC32C
 * always uses the table implementation here, with the Castagnoli polynomial. Both are slicing-by-8: eight
 * bytes per step through eight 256-entry tables, several times faster than a byte at a time. This keeps
 * the signer core free of dependencies (`got-aws4auth/signer` must import with nothing else installed);
 * the tests check both against `zlib.crc32` and `@aws-crypto/crc32c`.
 *
 * @module
 */
import { createHash, type Hash } from 'node:crypto';
import * as zlib from 'node:zlib';
import { InvalidInputError, describeValue } from './errors.js';

/**
 * A checksum S3 can verify on upload, named as in `x-amz-checksum-<algorithm>` and `x-amz-sdk-checksum-algorithm`
 * (lower case here).
 *
 * @example
 * ```ts
 * import type { ChecksumAlgorithm } from 'got-aws4auth/signer';
 * const algorithm: ChecksumAlgorithm = 'crc32c';
 * ```
 * @category Streaming
 */
export type ChecksumAlgorithm = 'crc32' | 'crc32c' | 'sha1' | 'sha256';

/**
 * Every {@link ChecksumAlgorithm}, in a fixed order.
 *
 * @example
 * ```ts
 * import { CHECKSUM_ALGORITHMS } from 'got-aws4auth/signer';
 * console.log(CHECKSUM_ALGORITHMS.join(', ')); // crc32, crc32c, sha1, sha256
 * ```
 * @category Streaming
 */
export const CHECKSUM_ALGORITHMS: readonly ChecksumAlgorithm[] = Object.freeze(['crc32', 'crc32c', 'sha1', 'sha256']);

/** Digest length in bytes, per algorithm. */
const DIGEST_BYTES: Readonly<Record<ChecksumAlgorithm, number>> = { crc32: 4, crc32c: 4, sha1: 20, sha256: 32 };

/**
 * A checksum computed over data given piece by piece.
 *
 * @example
 * ```ts
 * import { createChecksum, type StreamingChecksum } from 'got-aws4auth/signer';
 * const checksum: StreamingChecksum = createChecksum('sha256');
 * checksum.update(Buffer.from('abc'));
 * console.log(checksum.digestBase64()); // ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0=
 * ```
 * @category Streaming
 */
export interface StreamingChecksum {
  /** The algorithm. */
  readonly algorithm: ChecksumAlgorithm;
  /** Adds the next bytes. */
  update(data: Uint8Array): void;
  /** The base64 of the digest of everything added, as S3 expects it. Call once, after the last `update`. */
  digestBase64(): string;
}

/**
 * Checks that `value` is a {@link ChecksumAlgorithm}.
 *
 * @internal
 */
export function checkedChecksumAlgorithm(value: unknown, field: string): ChecksumAlgorithm {
  if (typeof value !== 'string' || !(CHECKSUM_ALGORITHMS as readonly string[]).includes(value)) {
    throw new InvalidInputError(field, `must be one of ${CHECKSUM_ALGORITHMS.map((a) => `"${a}"`).join(', ')}, got ${describeValue(value)}`);
  }
  return value as ChecksumAlgorithm;
}

/**
 * The header (or trailer) that carries a checksum: `x-amz-checksum-<algorithm>`.
 *
 * @example
 * ```ts
 * import { checksumHeaderName } from 'got-aws4auth/signer';
 * checksumHeaderName('crc32c'); // 'x-amz-checksum-crc32c'
 * ```
 * @category Streaming
 */
export function checksumHeaderName(algorithm: ChecksumAlgorithm): `x-amz-checksum-${ChecksumAlgorithm}` {
  return `x-amz-checksum-${checkedChecksumAlgorithm(algorithm, 'algorithm')}`;
}

/**
 * How many characters the base64 value of a checksum has (8 for the CRCs, 28 for SHA-1, 44 for SHA-256):
 * what the encoded length of a body with a checksum trailer needs before the checksum is known.
 *
 * @example
 * ```ts
 * import { checksumBase64Length } from 'got-aws4auth/signer';
 * checksumBase64Length('sha256'); // 44
 * ```
 * @category Streaming
 */
export function checksumBase64Length(algorithm: ChecksumAlgorithm): number {
  return 4 * Math.ceil(DIGEST_BYTES[checkedChecksumAlgorithm(algorithm, 'algorithm')] / 3);
}

/** Eight 256-entry tables for slicing-by-8 over a reflected polynomial. */
function crcTables(reflectedPolynomial: number): Uint32Array {
  const tables = new Uint32Array(8 * 256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ reflectedPolynomial : c >>> 1;
    tables[n] = c >>> 0;
  }
  for (let n = 0; n < 256; n++) {
    let c = tables[n] as number;
    for (let t = 1; t < 8; t++) {
      c = (tables[c & 0xff] as number) ^ (c >>> 8);
      tables[t * 256 + n] = c >>> 0;
    }
  }
  return tables;
}

let crc32Tables: Uint32Array | undefined;
let crc32cTables: Uint32Array | undefined;

/** Continues a reflected CRC (initial value 0, final XOR included in `crc`'s convention like zlib's). */
function crcUpdate(tables: Uint32Array, crc: number, data: Uint8Array): number {
  let c = ~crc >>> 0;
  let i = 0;
  const end8 = data.length - (data.length % 8);
  while (i < end8) {
    const lo = (c ^ ((data[i] as number) | ((data[i + 1] as number) << 8) | ((data[i + 2] as number) << 16) | ((data[i + 3] as number) << 24))) >>> 0;
    c =
      (tables[7 * 256 + (lo & 0xff)] as number) ^
      (tables[6 * 256 + ((lo >>> 8) & 0xff)] as number) ^
      (tables[5 * 256 + ((lo >>> 16) & 0xff)] as number) ^
      (tables[4 * 256 + (lo >>> 24)] as number) ^
      (tables[3 * 256 + (data[i + 4] as number)] as number) ^
      (tables[2 * 256 + (data[i + 5] as number)] as number) ^
      (tables[256 + (data[i + 6] as number)] as number) ^
      (tables[data[i + 7] as number] as number);
    i += 8;
  }
  while (i < data.length) c = (tables[(c ^ (data[i++] as number)) & 0xff] as number) ^ (c >>> 8);
  return ~c >>> 0;
}

/**
 * CRC-32 (ISO-HDLC, zlib's) by table: `crc32Table(data, previous)` continues a CRC like `zlib.crc32`.
 *
 * @internal
 */
export function crc32Table(data: Uint8Array, previous = 0): number {
  crc32Tables ??= crcTables(0xedb88320);
  return crcUpdate(crc32Tables, previous, data);
}

/**
 * CRC-32C (Castagnoli, iSCSI) by table: `crc32cTable(data, previous)` continues a CRC.
 *
 * @internal
 */
export function crc32cTable(data: Uint8Array, previous = 0): number {
  crc32cTables ??= crcTables(0x82f63b78);
  return crcUpdate(crc32cTables, previous, data);
}

// `zlib.crc32` exists from Node 20.15 / 22.2; read it through the namespace so older Nodes get undefined.
const nativeCrc32 = (zlib as { crc32?: (data: Uint8Array, value?: number) => number }).crc32;

/**
 * The CRC-32 implementation in use: `zlib.crc32` when Node has it, {@link crc32Table} otherwise.
 *
 * @internal
 */
export const crc32: (data: Uint8Array, previous?: number) => number = typeof nativeCrc32 === 'function' ? nativeCrc32 : crc32Table;

class CrcChecksum implements StreamingChecksum {
  #crc = 0;
  constructor(
    readonly algorithm: ChecksumAlgorithm,
    private readonly step: (data: Uint8Array, previous: number) => number,
  ) {}

  update(data: Uint8Array): void {
    this.#crc = this.step(data, this.#crc);
  }

  digestBase64(): string {
    const bytes = Buffer.allocUnsafe(4);
    bytes.writeUInt32BE(this.#crc >>> 0, 0);
    return bytes.toString('base64');
  }
}

class HashChecksum implements StreamingChecksum {
  readonly #hash: Hash;
  constructor(readonly algorithm: ChecksumAlgorithm) {
    this.#hash = createHash(algorithm);
  }

  update(data: Uint8Array): void {
    this.#hash.update(data);
  }

  digestBase64(): string {
    return this.#hash.digest('base64');
  }
}

/**
 * Starts a checksum to feed piece by piece.
 *
 * @param algorithm - `crc32`, `crc32c`, `sha1` or `sha256`
 * @throws {@link InvalidInputError} for any other algorithm
 *
 * @example
 * ```ts
 * import { createChecksum } from 'got-aws4auth/signer';
 * const checksum = createChecksum('crc32c');
 * checksum.update(Buffer.from('hello '));
 * checksum.update(Buffer.from('world'));
 * console.log(checksum.digestBase64()); // yZRlqg==
 * ```
 * @category Streaming
 */
export function createChecksum(algorithm: ChecksumAlgorithm): StreamingChecksum {
  switch (checkedChecksumAlgorithm(algorithm, 'checksum')) {
    case 'crc32':
      return new CrcChecksum('crc32', crc32);
    case 'crc32c':
      return new CrcChecksum('crc32c', crc32cTable);
    default:
      return new HashChecksum(algorithm);
  }
}
