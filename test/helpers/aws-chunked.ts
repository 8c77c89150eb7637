/**
 * A test-side `aws-chunked` decoder that checks everything it can: the framing byte by byte, every chunk
 * signature and the trailer signature, recomputed here with plain node:crypto (not the project's signer),
 * and the checksum trailer against the decoded data. Strict on purpose: lower-case hex sizes without
 * leading zeros, exactly one trailer, nothing after the closing CRLF.
 *
 * Also: deterministic test data of any length as a stream (never held in memory whole).
 */
import { createHash, createHmac } from 'node:crypto';
import { Readable } from 'node:stream';
import * as zlib from 'node:zlib';
import { crc32c } from '@aws-crypto/crc32c';

const EMPTY_SHA256 = createHash('sha256').digest('hex');

/** What the decoder needs to verify signatures; absent for unsigned chunks. */
export interface VerifyContext {
  signingKey: Uint8Array;
  amzDate: string;
  credentialScope: string;
  seedSignature: string;
}

export interface DecodedChunk {
  size: number;
  /** The `chunk-signature` as sent (signed encodings). */
  signature?: string;
}

export interface Decoded {
  data: Buffer;
  /** Every chunk including the final empty one. */
  chunks: DecodedChunk[];
  /** The trailer line, if any, as `[name, value]`. */
  trailer?: [string, string];
  trailerSignature?: string;
}

function hmacHex(key: Uint8Array, text: string): string {
  return createHmac('sha256', key).update(text, 'utf8').digest('hex');
}

/** The checksum of `data` as S3 wants it, computed with oracles independent of src/signer/checksums.ts. */
export function oracleChecksum(name: string, data: Uint8Array): string {
  const be32 = (n: number): string => {
    const b = Buffer.alloc(4);
    b.writeUInt32BE(n >>> 0);
    return b.toString('base64');
  };
  switch (name) {
    case 'x-amz-checksum-crc32':
      return be32((zlib as unknown as { crc32: (d: Uint8Array) => number }).crc32(data));
    case 'x-amz-checksum-crc32c':
      return be32(crc32c(data));
    case 'x-amz-checksum-sha1':
      return createHash('sha1').update(data).digest('base64');
    case 'x-amz-checksum-sha256':
      return createHash('sha256').update(data).digest('base64');
    default:
      throw new Error(`unknown checksum trailer ${name}`);
  }
}

/**
 * Decodes an `aws-chunked` body and verifies it. `verify` given: every chunk must carry a signature and
 * every signature must match; absent: no chunk may carry one (unsigned encoding). Throws on anything off.
 */
export function decodeAwsChunked(body: Buffer, verify?: VerifyContext): Decoded {
  let pos = 0;
  const readLine = (): string => {
    const end = body.indexOf('\r\n', pos, 'latin1');
    if (end === -1) throw new Error(`no CRLF after offset ${pos}`);
    const line = body.toString('latin1', pos, end);
    pos = end + 2;
    return line;
  };
  const parts: Buffer[] = [];
  const chunks: DecodedChunk[] = [];
  let previous = verify?.seedSignature;
  for (;;) {
    const line = readLine();
    const match = verify ? /^(0|[1-9a-f][0-9a-f]*);chunk-signature=([0-9a-f]{64})$/.exec(line) : /^(0|[1-9a-f][0-9a-f]*)$/.exec(line);
    if (!match) throw new Error(`bad chunk header ${JSON.stringify(line)} at chunk ${chunks.length}`);
    const size = parseInt(match[1] as string, 16);
    if (pos + size > body.length) throw new Error(`chunk ${chunks.length} runs past the end`);
    const data = body.subarray(pos, pos + size);
    pos += size;
    if (verify) {
      const sts = `AWS4-HMAC-SHA256-PAYLOAD\n${verify.amzDate}\n${verify.credentialScope}\n${previous}\n${EMPTY_SHA256}\n${createHash('sha256').update(data).digest('hex')}`;
      const expected = hmacHex(verify.signingKey, sts);
      if (match[2] !== expected) throw new Error(`chunk ${chunks.length} signature ${match[2]} != ${expected}`);
      previous = expected;
      chunks.push({ size, signature: match[2] });
    } else {
      chunks.push({ size });
    }
    if (size === 0) break;
    parts.push(data);
    if (body.toString('latin1', pos, pos + 2) !== '\r\n') throw new Error(`no CRLF after chunk ${chunks.length - 1}'s data`);
    pos += 2;
  }
  const data = Buffer.concat(parts);
  const result: Decoded = { data, chunks };
  // After the final chunk header: either the closing CRLF, or one trailer line (+ its signature) then CRLF.
  const next = readLine();
  if (next !== '') {
    const colon = next.indexOf(':');
    if (colon <= 0) throw new Error(`bad trailer ${JSON.stringify(next)}`);
    const trailer: [string, string] = [next.slice(0, colon), next.slice(colon + 1)];
    if (trailer[1] !== oracleChecksum(trailer[0], data)) throw new Error(`trailer ${next} does not match the data`);
    result.trailer = trailer;
    if (verify) {
      const sigLine = readLine();
      const m = /^x-amz-trailer-signature:([0-9a-f]{64})$/.exec(sigLine);
      if (!m) throw new Error(`bad trailer signature line ${JSON.stringify(sigLine)}`);
      const canonical = `${trailer[0]}:${trailer[1]}\n`;
      const sts = `AWS4-HMAC-SHA256-TRAILER\n${verify.amzDate}\n${verify.credentialScope}\n${previous}\n${createHash('sha256').update(canonical).digest('hex')}`;
      const expected = hmacHex(verify.signingKey, sts);
      if (m[1] !== expected) throw new Error(`trailer signature ${m[1]} != ${expected}`);
      result.trailerSignature = m[1];
    }
    if (readLine() !== '') throw new Error('no closing CRLF after the trailer');
  }
  if (pos !== body.length) throw new Error(`${body.length - pos} bytes after the end of the encoding`);
  return result;
}

/** Cuts `data` into pieces at the given points (each taken modulo `data.length + 1`; a cut at 0 or at the end gives an empty piece). */
export function cutAt(data: Buffer, cuts: readonly number[]): Buffer[] {
  const points = [...new Set(cuts.map((c) => c % (data.length + 1)))].sort((a, b) => a - b);
  const pieces: Buffer[] = [];
  let from = 0;
  for (const point of [...points, data.length]) {
    pieces.push(data.subarray(from, point));
    from = point;
  }
  return pieces;
}

/** Collects a stream or (async) iterable of buffers into one Buffer. */
export async function collect(source: AsyncIterable<Uint8Array> | Iterable<Uint8Array>): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const part of source) parts.push(Buffer.from(part));
  return Buffer.concat(parts);
}

/**
 * `length` bytes of deterministic pseudo-random data as a Readable of `pieceSize`-byte pieces: one 1 MiB
 * base block (SHA-256 in counter mode over `seed`), each piece a copy with its index stamped in, so no
 * two pieces are equal. Memory: the base block plus the pieces in flight.
 */
export function deterministicStream(length: number, options: { seed?: string; pieceSize?: number } = {}): Readable {
  const pieceSize = options.pieceSize ?? 1024 * 1024 + 7;
  const base = Buffer.alloc(1024 * 1024);
  for (let offset = 0, counter = 0; offset < base.length; counter++) {
    offset += createHash('sha256').update(`${options.seed ?? 'got-aws4auth'}:${counter}`).digest().copy(base, offset);
  }
  let produced = 0;
  let index = 0;
  return new Readable({
    highWaterMark: 2 * pieceSize,
    read() {
      if (produced >= length) {
        this.push(null);
        return;
      }
      const size = Math.min(pieceSize, length - produced);
      const piece = Buffer.allocUnsafe(size);
      // Fill from the base block, cycling, starting at a piece-dependent offset.
      let filled = 0;
      let from = (index * 4099) % base.length;
      while (filled < size) {
        const n = base.copy(piece, filled, from, Math.min(base.length, from + (size - filled)));
        filled += n;
        from = 0;
      }
      if (size >= 8) piece.writeUInt32BE(index >>> 0, 0);
      produced += size;
      index++;
      this.push(piece);
    },
  });
}
