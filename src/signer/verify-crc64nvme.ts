/**
 * CRC-64/NVME, the checksum S3 names `x-amz-checksum-crc64nvme` (and the AWS SDKs offer as `CRC64NVME`),
 * so the verifying decoder can check that trailer too. Reflected, polynomial 0xad93d23594c93659, initial
 * value and final XOR all ones; the check value of `123456789` is 0xae8b14860a799888.
 *
 * JavaScript has no 64-bit integer fast enough per byte, so the CRC is kept as two 32-bit halves and updated
 * eight bytes per step (slicing-by-8) through eight 256-entry tables, built once with BigInt.
 *
 * @internal
 * @module
 */

/** [lo, hi] of table k, entry n, at index (k * 256 + n) * 2. */
let tables: Uint32Array | undefined;

function buildTables(): Uint32Array {
  const poly = 0x9a6c9329ac4bc9b5n; // 0xad93d23594c93659 reflected
  const base: bigint[] = [];
  for (let n = 0; n < 256; n++) {
    let c = BigInt(n);
    for (let k = 0; k < 8; k++) c = c & 1n ? (c >> 1n) ^ poly : c >> 1n;
    base.push(c);
  }
  const out = new Uint32Array(8 * 256 * 2);
  for (let n = 0; n < 256; n++) {
    let c = base[n] as bigint;
    for (let k = 0; k < 8; k++) {
      out[(k * 256 + n) * 2] = Number(c & 0xffffffffn);
      out[(k * 256 + n) * 2 + 1] = Number(c >> 32n);
      c = (c >> 8n) ^ (base[Number(c & 0xffn)] as bigint);
    }
  }
  return out;
}

/**
 * A CRC-64/NVME fed piece by piece: `update` any number of times, then `digestBase64` once.
 *
 * @internal
 */
export class Crc64Nvme {
  readonly algorithm = 'crc64nvme';
  #lo = 0xffffffff;
  #hi = 0xffffffff;

  update(data: Uint8Array): void {
    const t = (tables ??= buildTables());
    let lo = this.#lo;
    let hi = this.#hi;
    let i = 0;
    const end8 = data.length - (data.length % 8);
    while (i < end8) {
      const a = (lo ^ ((data[i] as number) | ((data[i + 1] as number) << 8) | ((data[i + 2] as number) << 16) | ((data[i + 3] as number) << 24))) >>> 0;
      const b = (hi ^ ((data[i + 4] as number) | ((data[i + 5] as number) << 8) | ((data[i + 6] as number) << 16) | ((data[i + 7] as number) << 24))) >>> 0;
      const i7 = (7 * 256 + (a & 0xff)) * 2;
      const i6 = (6 * 256 + ((a >>> 8) & 0xff)) * 2;
      const i5 = (5 * 256 + ((a >>> 16) & 0xff)) * 2;
      const i4 = (4 * 256 + (a >>> 24)) * 2;
      const i3 = (3 * 256 + (b & 0xff)) * 2;
      const i2 = (2 * 256 + ((b >>> 8) & 0xff)) * 2;
      const i1 = (256 + ((b >>> 16) & 0xff)) * 2;
      const i0 = (b >>> 24) * 2;
      lo = ((t[i7] as number) ^ (t[i6] as number) ^ (t[i5] as number) ^ (t[i4] as number) ^ (t[i3] as number) ^ (t[i2] as number) ^ (t[i1] as number) ^ (t[i0] as number)) >>> 0;
      hi = ((t[i7 + 1] as number) ^ (t[i6 + 1] as number) ^ (t[i5 + 1] as number) ^ (t[i4 + 1] as number) ^ (t[i3 + 1] as number) ^ (t[i2 + 1] as number) ^ (t[i1 + 1] as number) ^ (t[i0 + 1] as number)) >>> 0;
      i += 8;
    }
    while (i < data.length) {
      const index = ((lo ^ (data[i++] as number)) & 0xff) * 2;
      lo = (((lo >>> 8) | (hi << 24)) ^ (t[index] as number)) >>> 0;
      hi = ((hi >>> 8) ^ (t[index + 1] as number)) >>> 0;
    }
    this.#lo = lo;
    this.#hi = hi;
  }

  /** The base64 of the 8 big-endian digest bytes, as S3 expects it. */
  digestBase64(): string {
    const bytes = Buffer.allocUnsafe(8);
    bytes.writeUInt32BE((this.#hi ^ 0xffffffff) >>> 0, 0);
    bytes.writeUInt32BE((this.#lo ^ 0xffffffff) >>> 0, 4);
    return bytes.toString('base64');
  }
}
