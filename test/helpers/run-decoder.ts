/**
 * Drives the verifying aws-chunked decoder (createChunkedDecoder) over a body given in pieces and keeps what
 * it let through before it finished or refused, so a test can check both the bytes and the refusal.
 *
 * @module
 */
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createChunkedDecoder, type ChunkedDecoderOptions } from '../../src/signer/index.js';

/** What the decoder wrote out, the error that stopped it (if any) and the trailers it read. */
export interface DecoderRun<E = unknown> {
  readonly out: Buffer;
  readonly error?: E;
  readonly trailers: readonly (readonly [string, string])[];
}

/** Pipes `pieces` through a new decoder with `options`; never throws, the pipeline's error is returned. */
export async function runDecoder(pieces: Iterable<Buffer>, options: ChunkedDecoderOptions): Promise<DecoderRun> {
  const decoder = createChunkedDecoder(options);
  const parts: Buffer[] = [];
  const sink = new Writable({
    write(piece: Buffer, _encoding, callback) {
      parts.push(piece);
      callback();
    },
  });
  try {
    await pipeline(Readable.from(pieces), decoder, sink);
    return { out: Buffer.concat(parts), trailers: decoder.trailers };
  } catch (error) {
    return { out: Buffer.concat(parts), error, trailers: decoder.trailers };
  }
}
