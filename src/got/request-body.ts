/**
 * What the plugin can know about a got request body at `beforeRequest` time. got has already serialised
 * `json` and `form` into a string by then; strings and typed arrays are hashed as they are; streams,
 * async iterables and web streams are either buffered (so they can be hashed, and replayed on retries and
 * 307 redirects) or sent with a payload marker, as the service allows.
 *
 * @module
 */
import { BodyTooLargeError } from './errors.js';

/** How a body can be signed. */
export type BodyKind =
  | { readonly kind: 'bytes'; readonly body: string | Uint8Array | undefined }
  | { readonly kind: 'stream'; readonly source: AsyncIterable<unknown> }
  | { readonly kind: 'unknown' };

function isAsyncIterable(value: unknown): value is AsyncIterable<unknown> {
  return value !== null && typeof value === 'object' && typeof (value as { [Symbol.asyncIterator]?: unknown })[Symbol.asyncIterator] === 'function';
}

function isIterable(value: unknown): value is Iterable<unknown> {
  return value !== null && typeof value === 'object' && typeof (value as { [Symbol.iterator]?: unknown })[Symbol.iterator] === 'function';
}

/**
 * Classifies a got body. `pipedStream` is true for `got.stream()` requests of methods that carry a body,
 * whose bytes are written after the hooks run.
 *
 * @internal
 */
export function classifyBody(body: unknown, pipedStream: boolean): BodyKind {
  if (body === undefined || body === null) return pipedStream ? { kind: 'unknown' } : { kind: 'bytes', body: undefined };
  if (typeof body === 'string' || body instanceof Uint8Array) return { kind: 'bytes', body };
  if (ArrayBuffer.isView(body)) return { kind: 'bytes', body: new Uint8Array(body.buffer, body.byteOffset, body.byteLength) };
  if (isAsyncIterable(body)) return { kind: 'stream', source: body };
  if (typeof ReadableStream !== 'undefined' && body instanceof ReadableStream) return { kind: 'stream', source: body as unknown as AsyncIterable<unknown> };
  if (isIterable(body)) {
    const items = body;
    return { kind: 'stream', source: (async function* () { yield* items; })() };
  }
  return { kind: 'unknown' };
}

function chunkBytes(chunk: unknown): Uint8Array {
  if (chunk instanceof Uint8Array) return chunk;
  if (typeof chunk === 'string') return Buffer.from(chunk, 'utf8');
  if (ArrayBuffer.isView(chunk)) return new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  if (chunk instanceof ArrayBuffer) return new Uint8Array(chunk);
  throw new TypeError(`A request body stream yielded ${typeof chunk}; streams must yield strings, Buffers or typed arrays`);
}

/**
 * Reads a stream or async iterable whole, failing once it exceeds `limitBytes` (then the stream is
 * destroyed if it can be).
 *
 * @internal
 */
export async function bufferBody(source: AsyncIterable<unknown>, limitBytes: number, signal: AbortSignal | undefined): Promise<Buffer> {
  const chunks: Uint8Array[] = [];
  let total = 0;
  for await (const chunk of source) {
    signal?.throwIfAborted();
    const bytes = chunkBytes(chunk);
    total += bytes.byteLength;
    if (total > limitBytes) {
      (source as { destroy?: (error?: Error) => void }).destroy?.();
      throw new BodyTooLargeError(limitBytes);
    }
    chunks.push(bytes);
  }
  return Buffer.concat(chunks, total);
}
