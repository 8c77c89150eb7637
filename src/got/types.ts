/**
 * The plugin's options and the structural types it shares with got. got is an optional peer, so the
 * plugin describes the parts of got's options and responses it uses instead of importing got's types;
 * got 14, 15 and 16 all accept these hooks (checked by a type test against each).
 *
 * @module
 */
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';
import type { CredentialCache, CredentialCacheOptions } from '../credentials/index.js';
import type { ChecksumAlgorithm } from '../signer/checksums.js';
import type { SignerChoices } from '../signer/types.js';

/**
 * The parts of got's normalised options that the plugin reads and writes.
 *
 * @example
 * ```ts
 * import got from 'got';
 * import { randomUUID } from 'node:crypto';
 * import { aws4Hooks, type GotRequestOptions } from 'got-aws4auth';
 * // A hook of your own, installed before the plugin's, so the header it adds is signed too
 * const addRequestId = (options: GotRequestOptions): void => {
 *   options.headers['x-request-id'] = randomUUID();
 * };
 * const api = got.extend({ hooks: { beforeRequest: [addRequestId] } }, aws4Hooks({ region: 'us-east-1', service: 'execute-api' }));
 * ```
 * @category Plugin
 */
export interface GotRequestOptions {
  /** Upper-case at hook time. */
  method: string;
  /** A `URL` at hook time. */
  url: URL | string | undefined;
  /** Lower-case header names; values may be numbers in got 14 and 15. */
  headers: Record<string, string | string[] | number | undefined>;
  /** The serialised body: string, typed array, stream, async iterable, or undefined. */
  body?: unknown;
  /** Per-request user context, merged through `extend` chains. */
  context: Record<string, unknown>;
  /** The request's abort signal, if any. */
  signal?: AbortSignal | undefined;
  /** True for `got.stream()` requests. */
  isStream?: boolean | undefined;
  /** got's timeouts; `request` also bounds the wait for credentials, which happens before got's timers start. */
  timeout?:
    | {
        /** Milliseconds for the whole request. */
        request?: number | undefined;
      }
    | undefined;
}

/**
 * The parts of a got response the plugin reads.
 *
 * @example
 * ```ts
 * import got from 'got';
 * import { aws4Hooks, type GotResponseLike } from 'got-aws4auth';
 * // AWS's error type from any got response, e.g. 'AccessDeniedException'
 * function awsErrorType(response: GotResponseLike): string | undefined {
 *   const type = response.headers['x-amzn-errortype'];
 *   return typeof type === 'string' ? type.split(':')[0] : undefined;
 * }
 * const lambda = got.extend(aws4Hooks);
 * const response = await lambda('https://lambda.eu-west-1.amazonaws.com/2015-03-31/functions', { throwHttpErrors: false });
 * console.log(response.statusCode, awsErrorType(response));
 * ```
 * @category Plugin
 */
export interface GotResponseLike {
  /** HTTP status. */
  statusCode: number;
  /** Response headers, lower-case names. */
  headers: Record<string, string | string[] | undefined>;
  /** The response body, when got buffered it. */
  body?: unknown;
  /** The request that produced it. */
  request: {
    /** The options of the attempt that got this response. */
    options: GotRequestOptions;
  };
}

/**
 * got's `beforeRequest` hook as the plugin implements it.
 *
 * @example
 * ```ts
 * import got from 'got';
 * import { createAws4Hooks, type SigningHook } from 'got-aws4auth';
 * const plugin = createAws4Hooks({ region: 'eu-west-1', service: 'es' });
 * const signing: SigningHook[] = plugin.hooks.beforeRequest;
 * // The plugin's signing hooks, wrapped to time the credential wait and the signing
 * const timedSigning: SigningHook = async (options, context) => {
 *   const started = performance.now();
 *   for (const hook of signing) await hook(options, context);
 *   console.debug(`signed ${options.method} ${String(options.url)} in ${(performance.now() - started).toFixed(1)} ms`);
 * };
 * const search = got.extend({ hooks: { ...plugin.hooks, beforeRequest: [timedSigning] } });
 * ```
 * @category Plugin
 */
export type SigningHook = (options: GotRequestOptions, context?: { retryCount: number }) => Promise<void>;
/**
 * got's `beforeRedirect` hook as the plugin implements it.
 *
 * @example
 * ```ts
 * import got from 'got';
 * import { aws4Hooks, type RedirectHook } from 'got-aws4auth';
 * // Runs after the plugin's own beforeRedirect hook, which strips the signature when the origin changes
 * const logRedirect: RedirectHook = (options, response) => {
 *   console.debug(`${response.statusCode} from ${response.url}: following to ${String(options.url)}`);
 * };
 * const s3 = got.extend(aws4Hooks({ region: 'eu-west-1', service: 's3' }), { hooks: { beforeRedirect: [logRedirect] } });
 * ```
 * @category Plugin
 */
export type RedirectHook = (options: GotRequestOptions, response: { statusCode: number; url: string }) => void;
/**
 * got's `afterResponse` hook as the plugin implements it.
 *
 * @example
 * ```ts
 * import got from 'got';
 * import { aws4Hooks, type ResponseHook } from 'got-aws4auth';
 * // Runs after the plugin's own afterResponse hook (clock-skew correction); returns the response unchanged
 * const logRejections: ResponseHook = (response) => {
 *   if (response.statusCode === 403) console.warn('AWS refused the request:', response.headers['x-amzn-errortype']);
 *   return response;
 * };
 * const search = got.extend(aws4Hooks({ region: 'eu-west-1', service: 'es' }), { hooks: { afterResponse: [logRejections] } });
 * ```
 * @category Plugin
 */
export type ResponseHook = <T extends GotResponseLike>(response: T, retryWithMergedOptions: (options: Record<string, unknown>) => never) => T;

/**
 * got's `beforeError` hook as the plugin implements it: it returns the error it was given, with the
 * secrets of a signed request masked in `err.options`, `err.request` and `err.response.request`.
 *
 * @example
 * ```ts
 * import got from 'got';
 * import { aws4Hooks, type ErrorHook } from 'got-aws4auth';
 * // Runs after the plugin's own beforeError hook: what it logs is already free of the token and signature
 * const logFailure: ErrorHook = (error) => {
 *   console.error(error);
 *   return error;
 * };
 * const s3 = got.extend(aws4Hooks({ region: 'eu-west-1', service: 's3' }), { hooks: { beforeError: [logFailure] } });
 * ```
 * @category Plugin
 */
export type ErrorHook = <T extends Error>(error: T) => T;

/**
 * got's `beforeRetry` hook as the plugin implements it: it takes the plugin's credentials (the Authorization
 * header and the session token) out of the failed attempt's error before anything else sees it.
 *
 * @example
 * ```ts
 * import got from 'got';
 * import { aws4Hooks, type RetryHook } from 'got-aws4auth';
 * // Runs after the plugin's own beforeRetry hook: the error it logs holds neither the token nor the signature
 * const logRetry: RetryHook = (error, retryCount) => {
 *   console.warn(`retry ${retryCount} after`, error.message);
 * };
 * const s3 = got.extend(aws4Hooks({ region: 'eu-west-1', service: 's3' }), { hooks: { beforeRetry: [logRetry] } });
 * ```
 * @category Plugin
 */
export type RetryHook = (error: Error, retryCount: number) => void;

/**
 * A got `init` hook, as the plugin installs one: it sees the options got is merging (`init`) and the
 * options object they are merged into (`self`).
 *
 * @example
 * ```ts
 * import type { InitHook } from 'got-aws4auth';
 * const logMerges: InitHook = (init) => {
 *   console.log('merging options with keys', Object.keys(init));
 * };
 * ```
 * @category Plugin
 */
export type InitHook = (init: object, self: unknown) => void;

/**
 * The object got's `extend` accepts: its only own enumerable key is `hooks` (got rejects others), and
 * the hook lists are mutable arrays because got's types say so.
 *
 * @example
 * ```ts
 * import got from 'got';
 * import { createAws4Hooks, type Aws4GotPlugin } from 'got-aws4auth';
 * const plugin: Aws4GotPlugin = createAws4Hooks({ region: 'eu-west-1', service: 'es' });
 * // Extend an instance with it, or pass it as the options of a single request
 * const search = got.extend({ prefixUrl: 'https://search-logs-abc.eu-west-1.es.amazonaws.com' }, plugin);
 * const health = await got('https://search-logs-abc.eu-west-1.es.amazonaws.com/_cluster/health', plugin).json();
 * ```
 * @category Plugin
 */
export interface Aws4GotPlugin {
  /** The hooks to install. */
  hooks: {
    /** Signs every attempt: first try, retries, redirects, pages. */
    beforeRequest: SigningHook[];
    /** Removes every auth header before a redirect leaves the signed origin. */
    beforeRedirect: RedirectHook[];
    /**
     * Learns the server clock and retries once, re-signed, when the signing time was off or the session
     * token expired; only a response to an attempt the plugin signed changes anything.
     */
    afterResponse: ResponseHook[];
    /**
     * Takes the plugin's credentials out of a failed attempt's error before got retries it (later hooks, the
     * `retry` event and got's diagnostics see the error): the next attempt is signed afresh.
     */
    beforeRetry: RetryHook[];
    /** Masks the `authorization` header and the session token in every view of a failed signed request's error. */
    beforeError: ErrorHook[];
    /** Makes every page of `got.paginate` keep the first page's origin as the only signed one. */
    init: InitHook[];
  };
}

/**
 * Where credentials come from: a fixed identity, any AWS SDK v3 provider, or a shared cache.
 *
 * @example
 * ```ts
 * import got from 'got';
 * import { fromNodeProviderChain } from '@aws-sdk/credential-providers';
 * import { CredentialCache, aws4Hooks, type CredentialsOption } from 'got-aws4auth';
 * const fixed: CredentialsOption = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' };
 * const provider: CredentialsOption = fromNodeProviderChain();
 * // One cache shared by several clients: one refresh for all of them
 * const shared: CredentialsOption = new CredentialCache(fromNodeProviderChain());
 * const s3 = got.extend(aws4Hooks({ region: 'eu-west-1', service: 's3', credentials: shared }));
 * const sqs = got.extend(aws4Hooks({ region: 'eu-west-1', service: 'sqs', credentials: shared }));
 * ```
 * @category Plugin
 */
export type CredentialsOption = AwsCredentialIdentity | AwsCredentialIdentityProvider | CredentialCache;

/**
 * How the plugin treats a `Date` or `X-Amz-Date` header the caller set (requests-aws4auth's classes).
 *
 * @example
 * ```ts
 * import got from 'got';
 * import { aws4Hooks, type DatePolicy } from 'got-aws4auth';
 * // Refuse (DateMismatchError) a caller's X-Amz-Date from another UTC day instead of signing at it
 * const datePolicy: DatePolicy = 'strict';
 * const api = got.extend(aws4Hooks({ region: 'us-east-1', service: 'execute-api', datePolicy }));
 * ```
 * @category Plugin
 */
export type DatePolicy = 'regenerate' | 'strict' | 'passive';

/**
 * How streamed bodies are signed.
 *
 * @example
 * ```ts
 * import got from 'got';
 * import { createReadStream } from 'node:fs';
 * import { aws4Hooks, type StreamingPayload } from 'got-aws4auth';
 * // Send streams as UNSIGNED-PAYLOAD (over HTTPS) instead of a signed aws-chunked upload
 * const streamingPayload: StreamingPayload = 'unsigned';
 * const s3 = got.extend(aws4Hooks({ region: 'eu-west-1', service: 's3', streamingPayload }));
 * await s3.put('https://my-bucket.s3.eu-west-1.amazonaws.com/backup.tar', { body: createReadStream('backup.tar') });
 * ```
 * @category Plugin
 */
export type StreamingPayload = 'chunked' | 'unsigned' | 'buffer';

/**
 * Per-request choices, passed in got's `context` under `aws4`; they override the plugin's options.
 *
 * @example
 * ```ts
 * import got from 'got';
 * import { createReadStream } from 'node:fs';
 * import { aws4Hooks, type Aws4RequestContext } from 'got-aws4auth';
 *
 * const s3 = got.extend(aws4Hooks({ region: 'eu-west-1', service: 's3' }));
 * const aws4: Aws4RequestContext = { chunkSize: 1024 * 1024, checksum: 'crc32c' };
 * await s3.put('https://my-bucket.s3.eu-west-1.amazonaws.com/backup.tar', { body: createReadStream('backup.tar'), context: { aws4 } });
 * ```
 * @category Plugin
 */
export interface Aws4RequestContext {
  /** See {@link Aws4HooksOptions.streamingPayload}. */
  readonly streamingPayload?: StreamingPayload | undefined;
  /** See {@link Aws4HooksOptions.chunkSize}. */
  readonly chunkSize?: number | undefined;
  /** See {@link Aws4HooksOptions.checksum}. */
  readonly checksum?: ChecksumAlgorithm | undefined;
}

/**
 * Options of {@link aws4Hooks}. Everything is optional: service and region are inferred from AWS host
 * names, credentials come from the SDK's default provider chain.
 *
 * @example
 * ```ts
 * import got from 'got';
 * import { fromIni } from '@aws-sdk/credential-providers';
 * import { aws4Hooks, type Aws4HooksOptions } from 'got-aws4auth';
 * const options: Aws4HooksOptions = {
 *   region: 'eu-west-1',
 *   service: 'es',
 *   credentials: fromIni({ profile: 'search-admin' }),
 *   credentialCache: { refreshWindowMs: 10 * 60_000 },
 *   allowedRedirectOrigins: ['https://search-logs-replica.eu-west-1.es.amazonaws.com'],
 *   onSigned: ({ canonicalRequest }) => console.debug(canonicalRequest),
 * };
 * const search = got.extend(aws4Hooks(options));
 * ```
 * @category Plugin
 */
export interface Aws4HooksOptions extends SignerChoices {
  /** The region, e.g. `eu-west-1`. Default: from the host name, else `AWS_REGION`, `AWS_DEFAULT_REGION` or the profile. */
  readonly region?: string | undefined;
  /** The signing name, e.g. `s3`, `es`. Default: from the host name. */
  readonly service?: string | undefined;
  /** Default: `fromNodeProviderChain()` from `@aws-sdk/credential-providers`, cached. */
  readonly credentials?: CredentialsOption | undefined;
  /** Refresh window, timeout, backoff and callbacks of the credential cache the plugin creates. */
  readonly credentialCache?: CredentialCacheOptions | undefined;
  /** The payload hash to sign for every request instead of hashing, e.g. `UNSIGNED-PAYLOAD`. */
  readonly payloadHash?: string | undefined;
  /**
   * A `Date`/`X-Amz-Date` header the caller set: `regenerate` (default) signs at that time with a key for
   * its day; `strict` throws `DateMismatchError` when its UTC day is not the current one (by the plugin's
   * clock, corrected for skew); `passive` keeps the header and signs with the current UTC day's key anyway.
   * The same for every body, streams sent as signed chunks included. The plugin keeps a key per current UTC
   * day, so requests without such a header are signed correctly past midnight under every policy.
   */
  readonly datePolicy?: DatePolicy | undefined;
  /**
   * The signing algorithm: `sigv4` (default), or `sigv4a` for S3 Multi-Region Access Points, CloudFront
   * KeyValueStore and EventBridge global endpoints. A SigV4a key has no date, so `datePolicy` must then be
   * `regenerate` (or omitted): every request is signed at its own date.
   */
  readonly algorithm?: 'sigv4' | 'sigv4a' | undefined;
  /**
   * With `algorithm: 'sigv4a'`: the regions the signature is valid in, e.g. `['*']` for a Multi-Region
   * Access Point. Default: `[region]`; with a region set, the region is not needed.
   */
  readonly regionSet?: readonly string[] | undefined;
  /** Throw `DateFormatError` for an unparseable caller date instead of replacing it with now. Default false. */
  readonly raiseInvalidDate?: boolean | undefined;
  /**
   * Streams and async iterables: `chunked` (S3-family default) sends them as a signed `aws-chunked` upload
   * in constant memory, each chunk signed, which needs their length (the `content-length` header, or a
   * `fs.createReadStream` of a file); `unsigned` sends them as `UNSIGNED-PAYLOAD`; `buffer` (default
   * elsewhere) reads them into memory up to `maxBufferedBodyBytes` and signs the hash. A body piped into
   * `got.stream()` is written after signing and is always sent `UNSIGNED-PAYLOAD` (S3) or refused. A
   * request whose stream was sent cannot be retried or redirected: that fails with `StreamRetryError`.
   * Per request: `context: { aws4: { streamingPayload } }`.
   */
  readonly streamingPayload?: StreamingPayload | undefined;
  /** Bytes per chunk of a signed chunked upload, at least 8 KiB. Default 64 KiB. */
  readonly chunkSize?: number | undefined;
  /** Send this checksum of a chunked upload's body as a signed trailer (`x-amz-checksum-…`). Default: none. */
  readonly checksum?: ChecksumAlgorithm | undefined;
  /** The most a streamed body may be buffered for hashing, in bytes. Default 16 MiB. */
  readonly maxBufferedBodyBytes?: number | undefined;
  /**
   * Origins (`https://host[:port]`) a redirect may lead to and still be signed, besides the request's own.
   * Any other origin receives no `authorization`, session token or `x-amz-*` signing header. Trust covers a
   * whole origin: a URL with a path, query, fragment or user info is refused (`InvalidInputError`).
   */
  readonly allowedRedirectOrigins?: readonly string[] | undefined;
  /** Learn the server clock from responses and retry once on a clock-skew rejection. Default true. */
  readonly correctClockSkew?: boolean | undefined;
  /** The local clock, milliseconds since the epoch. Default `Date.now`. */
  readonly clock?: (() => number) | undefined;
  /**
   * Called right after each attempt is signed, for debugging (the CLI's `--verbose` prints it). It is never
   * given the secret access key, the signing key or the session token: the session token's value, and the
   * value of every header that carries a credential (SSE-C customer keys, any `*token*` or `*secret*`
   * header), read `<redacted>` in `canonicalRequest`. An exception it throws fails the request.
   */
  readonly onSigned?:
    | ((info: {
        /** The canonical request that was signed. */
        readonly canonicalRequest: string;
        /** The string to sign. */
        readonly stringToSign: string;
        /** The `;`-joined signed header names. */
        readonly signedHeaders: string;
        /** `YYYYMMDD/region/service/aws4_request`; with SigV4a `YYYYMMDD/service/aws4_request`. */
        readonly credentialScope: string;
      }) => void)
    | undefined;
}
