/**
 * What the plugin can know about a got request body at `beforeRequest` time. got has already serialised
 * `json` and `form` into a string by then; strings and typed arrays are hashed as they are; streams,
 * async iterables and web streams are either buffered (so they can be hashed, and replayed on retries and
 * 307 redirects) or sent with a payload marker, as the service allows.
 *
 * @module
 */
import { stat } from 'node:fs/promises';
import { ReadStream } from 'node:fs';
import { BodyTooLargeError } from './errors.js';
import { InvalidInputError, describeValue } from '../signer/errors.js';
import { checkedChunkSize } from '../signer/chunked-length.js';
import { piecesOf } from '../signer/stream-pieces.js';
import { checkedChecksumAlgorithm } from '../signer/checksums.js';
import { snapshotOwn } from '../signer/snapshot.js';
import type { Aws4RequestContext } from './types.js';

/**
 * How a body can be signed.
 * @category Plugin
 */
export type BodyKind =
  | { readonly kind: 'bytes'; readonly body: string | Uint8Array | undefined }
  | { readonly kind: 'stream'; readonly source: AsyncIterable<unknown> }
  | { readonly kind: 'unknown' };

const NO_BODY: BodyKind = Object.freeze({ kind: 'bytes', body: undefined });
const UNKNOWN_BODY: BodyKind = Object.freeze({ kind: 'unknown' });

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
  if (body === undefined || body === null) return pipedStream ? UNKNOWN_BODY : NO_BODY;
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
  throw new InvalidInputError('request.body', `is a stream that yielded ${describeValue(chunk)}; streams must yield strings, Buffers or typed arrays`);
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
  for await (const chunk of piecesOf(source)) {
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

/**
 * The decoded length of a stream body: the caller's `content-length` (or `x-amz-decoded-content-length`),
 * or, for a `fs.createReadStream` of a whole file (or a byte range of one), the file's size.
 *
 * @internal
 */
export async function streamLength(headers: Record<string, unknown>, source: AsyncIterable<unknown>): Promise<number | undefined> {
  for (const name of ['x-amz-decoded-content-length', 'content-length']) {
    const key = Object.keys(headers).find((k) => k.toLowerCase() === name);
    const value = key === undefined ? undefined : headers[key];
    if (value !== undefined) {
      const length = Number(Array.isArray(value) ? value[0] : value);
      if (!Number.isSafeInteger(length) || length < 0) throw new InvalidInputError(`request.headers["${name}"]`, `must be a whole number of bytes, got ${describeValue(value)}`);
      return length;
    }
  }
  if (source instanceof ReadStream && (typeof source.path === 'string' || Buffer.isBuffer(source.path))) {
    const { size } = await stat(source.path);
    const range = source as unknown as { start?: number; end?: number };
    const start = range.start ?? 0;
    const end = range.end === undefined || range.end === Number.POSITIVE_INFINITY ? size - 1 : Math.min(range.end, size - 1);
    return Math.max(0, end - start + 1);
  }
  return undefined;
}

/**
 * The plugin's per-request choices from got's `context.aws4`, own properties only (an `aws4` or a choice
 * inherited from a polluted `Object.prototype` is not seen), validated.
 *
 * @internal
 */
export function requestContext(context: Record<string, unknown>): Aws4RequestContext {
  if (!Object.hasOwn(context, 'aws4')) return NO_CHOICES;
  const value = context.aws4;
  if (value === undefined) return NO_CHOICES;
  if (value === null || typeof value !== 'object') throw new InvalidInputError('context.aws4', `must be an object, got ${describeValue(value)}`);
  const choices = snapshotOwn(value, CHOICES, 'context.aws4') as Aws4RequestContext;
  if (choices.streamingPayload !== undefined && !['chunked', 'unsigned', 'buffer'].includes(choices.streamingPayload)) {
    throw new InvalidInputError('context.aws4.streamingPayload', `must be "chunked", "unsigned" or "buffer", got ${describeValue(choices.streamingPayload)}`);
  }
  if (choices.chunkSize !== undefined) checkedChunkSize(choices.chunkSize);
  if (choices.checksum !== undefined) checkedChecksumAlgorithm(choices.checksum, 'context.aws4.checksum');
  return choices;
}

const CHOICES = ['streamingPayload', 'chunkSize', 'checksum'] as const;
// No prototype: a choice read from it must not reach a polluted Object.prototype.
const NO_CHOICES: Aws4RequestContext = Object.freeze(Object.create(null) as Aws4RequestContext);
