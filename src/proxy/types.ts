/**
 * The signing proxy's public types: its options and the access-log entry it reports per request.
 *
 * @module
 */
import type { AwsCredentialIdentity } from '@smithy/types';
import type { CredentialsOption } from '../got/types.js';

/**
 * One upstream the proxy signs for: its URL, and the signing service and region when the host name does
 * not say them (a custom endpoint such as Ceph RGW or MinIO).
 *
 * @example
 * ```ts
 * import type { UpstreamOptions } from 'got-aws4auth';
 * const rgw: UpstreamOptions = { url: 'http://127.0.0.1:7480', service: 's3', region: 'us-east-1' };
 * const bucket: UpstreamOptions = { url: 'https://my-bucket.s3.eu-west-1.amazonaws.com' }; // both inferred
 * ```
 * @category Proxy
 */
export interface UpstreamOptions {
  /** `http(s)://host[:port][/base-path]`: no query, fragment or user info. */
  readonly url: string | URL;
  /** The signing name, e.g. `s3`, `es`. Default: from the host name, else from a signed request's scope. */
  readonly service?: string | undefined;
  /** The region. Default: from the host name, else from a signed request's scope. */
  readonly region?: string | undefined;
}

/**
 * How a streamed request body goes to the upstream.
 *
 * - `signed` (default): S3 bodies as a signed `aws-chunked` upload (`STREAMING-AWS4-HMAC-SHA256-PAYLOAD`),
 *   every chunk signed with the real credentials; other services buffered and hashed.
 * - `unsigned`: S3 bodies as they are, with `UNSIGNED-PAYLOAD` and their decoded length.
 * - `buffered`: every body read into memory (up to `maxBufferedBodyBytes`) and signed with its hash.
 *
 * @example
 * ```ts
 * import type { UpstreamStreaming } from 'got-aws4auth';
 * const mode: UpstreamStreaming = 'unsigned'; // for an S3-compatible server without aws-chunked support
 * ```
 * @category Proxy
 */
export type UpstreamStreaming = 'signed' | 'unsigned' | 'buffered';

/**
 * A key clients must sign with when the proxy is given client keys. It authenticates clients to the proxy
 * only: the proxy re-signs with its own credentials.
 *
 * @example
 * ```ts
 * import type { ClientKey } from 'got-aws4auth';
 * const sandbox: ClientKey = { accessKeyId: 'AKIDSANDBOX', secretAccessKey: 'placeholder-secret-for-the-sandbox' };
 * ```
 * @category Proxy
 */
export type ClientKey = Pick<AwsCredentialIdentity, 'accessKeyId' | 'secretAccessKey'>;

/**
 * What the proxy reports once per request, when the response is finished or the request failed. It never
 * holds a secret: the path is without its query (a presigned URL carries a signature and token there).
 *
 * @example
 * ```ts
 * import type { AccessLogEntry } from 'got-aws4auth';
 * const line = (e: AccessLogEntry): string => `${e.method} ${e.path} ${e.status} ${e.bytes}B ${e.ms.toFixed(1)}ms ${e.service ?? '-'}`;
 * ```
 * @category Proxy
 */
export interface AccessLogEntry {
  /** The inbound method. */
  readonly method: string;
  /** The inbound path, without the query string. */
  readonly path: string;
  /** The status sent to the client (0 when the connection closed before a status was sent). */
  readonly status: number;
  /** Response body bytes sent to the client. */
  readonly bytes: number;
  /** Milliseconds from the request's arrival to the end of the response. */
  readonly ms: number;
  /** The service signed for, when the request got that far. */
  readonly service: string | undefined;
  /** The AWS-style error code of the proxy's own refusal (`AccessDenied`, `InvalidRequest`, …), if any. */
  readonly error: string | undefined;
}

/**
 * Options of {@link createSigningProxy}.
 *
 * @example
 * ```ts
 * import { fromNodeProviderChain } from '@aws-sdk/credential-providers';
 * import { createSigningProxy, type SigningProxyOptions } from 'got-aws4auth';
 * const options: SigningProxyOptions = {
 *   upstreams: ['https://my-bucket.s3.eu-west-1.amazonaws.com'],
 *   credentials: fromNodeProviderChain(),
 *   accessLog: (e) => console.log(e.method, e.path, e.status),
 * };
 * createSigningProxy(options).listen(8080, '127.0.0.1');
 * ```
 * @category Proxy
 */
export interface SigningProxyOptions {
  /** The upstreams to sign for, at least one: URLs, or {@link UpstreamOptions}. Requests go to the first unless their Host header or signed scope names another. Give this or `upstream`. */
  readonly upstreams?: readonly (string | URL | UpstreamOptions)[] | undefined;
  /** A single upstream: the same as `upstreams: [upstream]`. Give this or `upstreams`. */
  readonly upstream?: string | URL | UpstreamOptions | undefined;
  /** The real credentials. Default: `fromNodeProviderChain()`, cached and refreshed ahead of expiry. */
  readonly credentials?: CredentialsOption | undefined;
  /** When given, every inbound request must be signed (header, presigned query, every chunk) by one of these keys, else 403. */
  readonly clientKeys?: readonly ClientKey[] | undefined;
  /** Sign only for these services (default: any the upstreams resolve to). */
  readonly allowServices?: readonly string[] | undefined;
  /** Sign only for these regions (default: any the upstreams resolve to). */
  readonly allowRegions?: readonly string[] | undefined;
  /** How streamed bodies go upstream; see {@link UpstreamStreaming}. Default `signed`. */
  readonly upstreamStreaming?: UpstreamStreaming | undefined;
  /** Allow listening on a non-loopback address without client keys. Default false: anyone who can reach the port would sign with your credentials. */
  readonly allowRemote?: boolean | undefined;
  /**
   * More Host names that address the proxy (`name` for any port, or `name:port`). Always accepted: the
   * loopback names and the listen address at the proxy's port, and the upstreams' hosts. Any other Host is
   * refused with 403, which stops web pages that reach the proxy through DNS rebinding.
   */
  readonly allowHosts?: readonly string[] | undefined;
  /**
   * Web page origins (such as `http://localhost:3000`) allowed to send requests through the proxy. Default
   * none: a request with an `Origin` header, or a `Sec-Fetch-Site` of another site, is refused with 403.
   */
  readonly allowOrigins?: readonly string[] | undefined;
  /** Called once per request with what happened; never given a secret. */
  readonly accessLog?: ((entry: AccessLogEntry) => void) | undefined;
  /** The most a body is buffered in memory (non-S3 bodies without a client hash, unknown lengths, `buffered`), in bytes. Default 16 MiB. */
  readonly maxBufferedBodyBytes?: number | undefined;
  /**
   * The most bytes of request bodies held at once, over all requests, before their signatures are checked
   * (client keys and a body the signature covers by a hash no header states: header auth outside S3). A
   * request that would pass it is refused with 503 `SlowDown` (AWS SDKs retry that with backoff), so
   * clients that know only an access key id cannot make the proxy hold more. One client address (an IPv6
   * client's /64) may hold at most a quarter of it, so no single peer can fill it: keep it at least 4 ×
   * `maxBufferedBodyBytes` for one client to send a full-size body. Default 4 × `maxBufferedBodyBytes` (64 MiB).
   */
  readonly maxUnverifiedBytes?: number | undefined;
  /**
   * A body the proxy reads into memory (to verify it, or to sign its hash) that sends nothing for this many
   * milliseconds is refused with 400 `RequestTimeout`, as S3 does, and its connection closed. 0 turns it
   * off. Default 20 seconds (S3's own).
   */
  readonly bodyIdleTimeoutMs?: number | undefined;
  /**
   * The whole read of a body held before its client-key signature is checked (the bodies
   * `maxUnverifiedBytes` counts), in milliseconds: past it the request is refused with 400 `RequestTimeout`
   * and its connection closed, however steadily bytes arrive, so a peer that trickles a byte at a time just
   * inside `bodyIdleTimeoutMs` cannot hold its bytes for ever. Bodies verified as they stream (signed S3
   * uploads) are not bounded by it. 0 turns it off; at most 2147483647 (what a timer can wait). Default 60
   * seconds: 16 MiB (the default `maxBufferedBodyBytes`) at about 280 KB/s.
   */
  readonly unverifiedBodyTimeoutMs?: number | undefined;
  /**
   * How long the upstream may take to answer (its response headers) once the whole request was sent, in
   * milliseconds; past it the upstream request is cancelled and the client gets 504 `GatewayTimeout`.
   * 0 waits for ever. Default 16 minutes: longer than the longest synchronous AWS call (a Lambda Invoke
   * may run 15 minutes before it answers).
   */
  readonly upstreamResponseTimeoutMs?: number | undefined;
  /** Bytes per chunk of the signed upstream upload, at least 8 KiB. Default 64 KiB. */
  readonly chunkSize?: number | undefined;
  /** How far a client's signing time may be from the proxy's clock, in milliseconds. Default 15 minutes, as AWS. */
  readonly clockToleranceMs?: number | undefined;
  /** The local clock, milliseconds since the epoch. Default `Date.now`. */
  readonly clock?: (() => number) | undefined;
}
