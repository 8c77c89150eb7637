/**
 * Framing-only decoding of a *signed* aws-chunked body, for a proxy without client keys: the client signed
 * its chunks with a key the proxy does not know, so the chunk signatures cannot be checked (they are
 * dropped: the upstream gets chunks signed with the real key). Everything else is checked as strictly as
 * the signer's verifying decoder does (`createChunkedDecoder`, used whenever a seed exists): lower-case hex
 * sizes, CRLF line ends, the announced length, the announced checksum trailer against the decoded bytes,
 * nothing after the end. The last byte is held back until the whole body checked out, so an upstream
 * request with a plain length cannot complete on a body that later proves bad.
 *
 * @module
 */
import { Transform, type TransformCallback } from 'node:stream';
import { createChecksum, type ChecksumAlgorithm, type StreamingChecksum } from '../signer/checksums.js';
import { ChunkedBodyError, type ChunkedBodyReason } from '../signer/verify-chunked-error.js';

const MAX_LINE = 256;
const CHUNK_LINE = /^(0|[1-9a-f][0-9a-f]{0,7});chunk-signature=[0-9a-f]{64}$/;
const TRAILER_LINE = /^(x-amz-checksum-[a-z0-9]+):([A-Za-z0-9+/]+={0,2})$/;
const TRAILER_SIGNATURE_LINE = /^x-amz-trailer-signature:[0-9a-f]{64}$/;

/** The announced trailer, if any. */
export interface UnverifiedTrailer {
  readonly name: string;
  readonly algorithm: ChecksumAlgorithm;
}

class SignedFraming {
  #state: 'header' | 'data' | 'crlf' | 'trailer' | 'done' = 'header';
  #line = '';
  #remaining = 0;
  #crlf = 0;
  #total = 0;
  #held: Buffer | undefined;
  #trailerSeen = false;
  readonly #checksum: StreamingChecksum | undefined;

  constructor(
    readonly trailer: UnverifiedTrailer | undefined,
    readonly maxChunkSize: number,
    readonly decodedLength: number | undefined,
  ) {
    this.#checksum = trailer === undefined ? undefined : createChecksum(trailer.algorithm);
  }

  fail(reason: ChunkedBodyReason, problem: string): never {
    throw new ChunkedBodyError(reason, problem);
  }

  write(input: Buffer, emit: (b: Buffer) => void): void {
    let pos = 0;
    while (pos < input.length) {
      if (this.#state === 'header' || this.#state === 'trailer') pos = this.#readLine(input, pos);
      else if (this.#state === 'data') pos = this.#readData(input, pos, emit);
      else if (this.#state === 'crlf') pos = this.#readCrlf(input, pos);
      else this.fail('extra-bytes', 'has bytes after the end of the aws-chunked encoding');
    }
  }

  end(emit: (b: Buffer) => void): void {
    if (this.#state !== 'done') this.fail('incomplete-body', 'ended before its final zero-length chunk and trailer');
    if (this.#held !== undefined) emit(this.#held);
  }

  #readLine(input: Buffer, pos: number): number {
    const lf = input.indexOf(10, pos);
    const end = lf === -1 ? input.length : lf;
    if (this.#line.length + end - pos > MAX_LINE) this.fail('malformed-chunk', 'has a line too long for a chunk or trailer line');
    this.#line += input.toString('latin1', pos, end);
    if (lf === -1) return input.length;
    const line = this.#line;
    this.#line = '';
    if (!line.endsWith('\r')) this.fail('malformed-chunk', 'has a line that ends in LF without CR');
    if (this.#state === 'header') this.#onChunkLine(line.slice(0, -1));
    else this.#onTrailerLine(line.slice(0, -1));
    return lf + 1;
  }

  #onChunkLine(line: string): void {
    const match = CHUNK_LINE.exec(line);
    if (match === null) this.fail('malformed-chunk', 'has a chunk line that is not "<hex size>;chunk-signature=<64 hex>"');
    const size = parseInt(match[1]!, 16);
    if (size > this.maxChunkSize) this.fail('chunk-too-large', `has a chunk of ${size} bytes, over the ${this.maxChunkSize} accepted`);
    this.#total += size;
    const expected = this.decodedLength;
    if (expected !== undefined && (size === 0 ? this.#total !== expected : this.#total > expected)) {
      this.fail('length-mismatch', `does not decode to the ${expected} bytes announced in x-amz-decoded-content-length`);
    }
    this.#remaining = size;
    this.#state = size === 0 ? 'trailer' : 'data';
  }

  #readData(input: Buffer, pos: number, emit: (b: Buffer) => void): number {
    const n = Math.min(this.#remaining, input.length - pos);
    const data = input.subarray(pos, pos + n);
    this.#checksum?.update(data);
    if (this.#held !== undefined) emit(this.#held);
    if (n > 1) emit(data.subarray(0, n - 1));
    this.#held = data.subarray(n - 1);
    this.#remaining -= n;
    if (this.#remaining === 0) this.#state = 'crlf';
    return pos + n;
  }

  #readCrlf(input: Buffer, pos: number): number {
    while (this.#crlf < 2 && pos < input.length) {
      if (input[pos] !== (this.#crlf === 0 ? 13 : 10)) this.fail('malformed-chunk', 'has chunk data longer than its size, or not followed by CRLF');
      this.#crlf++;
      pos++;
    }
    if (this.#crlf === 2) {
      this.#crlf = 0;
      this.#state = 'header';
    }
    return pos;
  }

  #onTrailerLine(line: string): void {
    const trailer = this.trailer;
    if (line === '') {
      if (trailer !== undefined && !this.#trailerSeen) this.fail('missing-trailer', `ended without the announced ${trailer.name} trailer`);
      this.#state = 'done';
      return;
    }
    if (trailer === undefined) this.fail('malformed-trailer', 'has a trailer after its final chunk, but no trailer was announced');
    if (this.#trailerSeen && TRAILER_SIGNATURE_LINE.test(line)) return;
    const match = TRAILER_LINE.exec(line);
    if (match === null || match[1] !== trailer.name || this.#trailerSeen) this.fail('malformed-trailer', `has a trailer line that is not "${trailer.name}:<base64 checksum>" given once`);
    if (match[2] !== this.#checksum!.digestBase64()) this.fail('checksum-mismatch', `has a ${trailer.name} trailer that is not the checksum of the decoded bytes`);
    this.#trailerSeen = true;
  }
}

/**
 * A Transform decoding a signed aws-chunked body without checking its chunk signatures (see the top of
 * this module); errors are {@link ChunkedBodyError}s.
 */
export function createUnverifiedChunkDecoder(trailer: UnverifiedTrailer | undefined, decodedLength: number | undefined, maxChunkSize = 16 * 1024 * 1024): Transform {
  const framing = new SignedFraming(trailer, maxChunkSize, decodedLength);
  return new Transform({
    transform(chunk: Buffer, _encoding, callback: TransformCallback) {
      try {
        framing.write(chunk, (bytes) => this.push(bytes));
        callback();
      } catch (error) {
        callback(error as Error);
      }
    },
    flush(callback: TransformCallback) {
      try {
        framing.end((bytes) => this.push(bytes));
        callback();
      } catch (error) {
        callback(error as Error);
      }
    },
  });
}
