/**
 * How one attempt's body is signed, with every change to got's body and headers that needs:
 *
 * - `hashed`: a string or typed array (got has serialised `json` and `form` by then), hashed as it is;
 * - `given-hash`: the payload hash of the options or the caller's `x-amz-content-sha256`, signed as given;
 * - `buffered`: a stream read into a Buffer (up to `maxBufferedBodyBytes`), which got then sends, with its
 *   length, so retries and 307 redirects can replay it;
 * - `signed-chunks`: a stream of known length sent as a signed `aws-chunked` upload (S3-family default);
 * - `unsigned-stream`: a stream sent as `UNSIGNED-PAYLOAD` (asked for, or a body piped into `got.stream()`).
 *
 * A stream that is sent as it is read cannot be sent again: the plan marks the request not replayable.
 *
 * @internal
 * @module
 */
import { rulesFor } from '../signer/service-rules.js';
import { UNSIGNED_PAYLOAD } from '../signer/payload-hash.js';
import type { ChecksumAlgorithm } from '../signer/checksums.js';
import { StreamLengthRequiredError, UnsignableBodyError } from './errors.js';
import { bufferBody, classifyBody, requestContext, streamLength } from './request-body.js';
import type { GotHeaderScan } from './got-headers.js';
import type { PluginConfig } from './config.js';
import type { RequestState } from './request-state.js';
import type { Scope } from './scope.js';
import type { GotRequestOptions } from './types.js';

/** How a body is signed (also the `bodyMode` of the signing diagnostics event). @internal */
export type BodyMode = 'hashed' | 'given-hash' | 'buffered' | 'signed-chunks' | 'unsigned-stream';

/** A stream to send as a signed chunked upload. @internal */
export interface ChunkedSource {
  readonly source: AsyncIterable<Uint8Array | string>;
  readonly decodedLength: number;
  readonly chunkSize: number | undefined;
  readonly checksum: ChecksumAlgorithm | undefined;
}

/** The plan for one attempt's body. @internal */
export interface BodyPlan {
  readonly mode: BodyMode;
  /** The bytes to hash (`hashed`, `buffered`). */
  readonly body: string | Uint8Array | undefined;
  /** The payload hash to sign instead of hashing (`given-hash`, `unsigned-stream`). */
  readonly payloadHash: string | undefined;
  /** The stream to encode (`signed-chunks`). */
  readonly chunked: ChunkedSource | undefined;
}

const BODYLESS_METHODS = new Set(['GET', 'HEAD', 'OPTIONS', 'DELETE', 'TRACE']);
const NO_BODY: BodyPlan = Object.freeze({ mode: 'hashed', body: undefined, payloadHash: undefined, chunked: undefined });

/**
 * Plans the body of one attempt; synchronous unless a stream must be read or measured.
 *
 * @internal
 */
export function planBody(got: GotRequestOptions, scan: GotHeaderScan, state: RequestState, config: PluginConfig, scope: Scope, method: string): BodyPlan | Promise<BodyPlan> {
  // A got.stream() request of a method with a body gets its bytes piped after the hooks, unless the caller
  // declared there are none (content-length: 0).
  const pipedStream = got.isStream === true && !BODYLESS_METHODS.has(method) && scan.contentLength !== '0';
  const kind = classifyBody(got.body, pipedStream);
  const given = config.payloadHash ?? state.callerPayloadHash;
  if (given !== undefined) {
    if (kind.kind !== 'bytes') state.replayable = false;
    return { mode: 'given-hash', body: undefined, payloadHash: given, chunked: undefined };
  }
  if (kind.kind === 'bytes') return kind.body === undefined ? NO_BODY : { mode: 'hashed', body: kind.body, payloadHash: undefined, chunked: undefined };
  const rules = rulesFor(scope.service);
  const perRequest = requestContext(got.context);
  const streaming = perRequest.streamingPayload ?? config.streamingPayload ?? rules.streamingPayload;
  if (kind.kind === 'stream' && streaming === 'buffer') return bufferedPlan(got, scan, kind.source, config.maxBufferedBodyBytes);
  if (kind.kind === 'stream' && streaming === 'chunked' && !scope.sigV4a) {
    const chunk = { chunkSize: perRequest.chunkSize ?? config.chunkSize, checksum: perRequest.checksum ?? config.checksum };
    return chunkedPlan(got, kind.source as AsyncIterable<Uint8Array | string>, state, chunk);
  }
  if (streaming === 'unsigned' || (rules.s3 && (kind.kind === 'unknown' || scope.sigV4a))) {
    // A body piped into got.stream() is written after the hooks run, so it cannot go through an encoder.
    state.replayable = false;
    return { mode: 'unsigned-stream', body: undefined, payloadHash: UNSIGNED_PAYLOAD, chunked: undefined };
  }
  throw new UnsignableBodyError(kind.kind === 'unknown' && got.isStream === true ? 'a body piped into got.stream()' : 'this request body');
}

/** Reads the stream whole; got then sends the Buffer, with its length instead of a transfer-encoding. */
async function bufferedPlan(got: GotRequestOptions, scan: GotHeaderScan, source: AsyncIterable<unknown>, limit: number): Promise<BodyPlan> {
  const buffered = await bufferBody(source, limit, got.signal);
  // Replaying a Buffer makes retries and 307 redirects possible; got 14 and 15 need the new length.
  got.body = buffered;
  for (const name of Object.keys(got.headers)) if (name.toLowerCase() === 'transfer-encoding') delete got.headers[name];
  got.headers['content-length'] = String(buffered.byteLength);
  delete scan.headers['transfer-encoding'];
  scan.headers['content-length'] = String(buffered.byteLength);
  scan.hasTransferEncoding = false;
  return { mode: 'buffered', body: buffered, payloadHash: undefined, chunked: undefined };
}

async function chunkedPlan(
  got: GotRequestOptions,
  source: AsyncIterable<Uint8Array | string>,
  state: RequestState,
  chunk: Pick<ChunkedSource, 'chunkSize' | 'checksum'>,
): Promise<BodyPlan> {
  const decodedLength = await streamLength(got.headers, source);
  if (decodedLength === undefined) throw new StreamLengthRequiredError();
  state.replayable = false;
  return { mode: 'signed-chunks', body: undefined, payloadHash: undefined, chunked: { source, decodedLength, ...chunk } };
}
