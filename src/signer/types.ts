/**
 * The shapes that flow through the signer: what goes in ({@link SignableRequest}, {@link SignOptions})
 * and what comes out ({@link SignedRequest}).
 *
 * @module
 */

/**
 * AWS credentials, in the shape of `AwsCredentialIdentity` from `@smithy/types`, so identities from any
 * AWS SDK v3 credential provider can be passed as they are.
 *
 * @example
 * ```ts
 * import { signRequest, type SigningCredentials } from 'got-aws4auth/signer';
 * const credentials: SigningCredentials = {
 *   accessKeyId: 'AKIDEXAMPLE',
 *   secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
 *   sessionToken: process.env.AWS_SESSION_TOKEN, // only for temporary credentials
 * };
 * signRequest({ method: 'GET', url: 'https://sqs.eu-west-1.amazonaws.com/' }, { credentials, region: 'eu-west-1', service: 'sqs' });
 * ```
 * @category Signer
 */
export interface SigningCredentials {
  /** The access key id, e.g. `AKIDEXAMPLE`. */
  readonly accessKeyId: string;
  /** The secret access key. Never printed, logged or included in an error. */
  readonly secretAccessKey: string;
  /** The session token of temporary credentials (STS, SSO, IMDS, containers). */
  readonly sessionToken?: string | undefined;
  /** When temporary credentials stop working; the signer ignores it, the credential cache uses it. */
  readonly expiration?: Date | undefined;
}

/**
 * A header value: a string, a number, or an array of strings for a header repeated in that order.
 *
 * @example
 * ```ts
 * import { signRequest, type HeaderValue, type SigningCredentials } from 'got-aws4auth/signer';
 * declare const credentials: SigningCredentials;
 * const headers: Record<string, HeaderValue> = {
 *   'content-type': 'application/x-amz-json-1.0',
 *   'content-length': 17,
 *   'x-amz-meta-tag': ['a', 'b'], // a repeated header: signed as `x-amz-meta-tag:a,b`
 * };
 * signRequest({ method: 'POST', url: 'https://dynamodb.eu-west-1.amazonaws.com/', headers }, { credentials, region: 'eu-west-1', service: 'dynamodb' });
 * ```
 * @category Signer
 */
export type HeaderValue = string | number | readonly string[];

/**
 * A request body whose bytes are known up front. Strings are encoded as UTF-8.
 *
 * @example
 * ```ts
 * import { signRequest, type SignableBody, type SigningCredentials } from 'got-aws4auth/signer';
 * declare const credentials: SigningCredentials;
 * const body: SignableBody = JSON.stringify({ TableName: 'orders' }); // or a Uint8Array / ArrayBuffer
 * const signed = signRequest(
 *   { method: 'POST', url: 'https://dynamodb.eu-west-1.amazonaws.com/', headers: { 'x-amz-target': 'DynamoDB_20120810.DescribeTable' }, body },
 *   { credentials, region: 'eu-west-1', service: 'dynamodb' },
 * );
 * // send exactly `body`: its SHA-256 is in the signature (signed.payloadHash)
 * ```
 * @category Signer
 */
export type SignableBody = string | Uint8Array | ArrayBuffer;

/**
 * The request to sign. Nothing is sent; the signer only reads it.
 *
 * @example
 * ```ts
 * import { signRequest, type SignableRequest, type SigningCredentials } from 'got-aws4auth/signer';
 * declare const credentials: SigningCredentials;
 * const request: SignableRequest = {
 *   method: 'POST',
 *   url: 'https://search-logs.eu-west-1.es.amazonaws.com/logs/_search',
 *   headers: { 'content-type': 'application/json' },
 *   body: JSON.stringify({ query: { match_all: {} } }),
 * };
 * const { headers } = signRequest(request, { credentials, region: 'eu-west-1', service: 'es' });
 * ```
 * @category Signer
 */
export interface SignableRequest {
  /** The HTTP method, e.g. `GET`. Upper-cased for signing. */
  readonly method: string;
  /**
   * The absolute http(s) URL. A string's path and query are signed exactly as written (no URL-parser
   * normalisation or re-encoding), so send the same string you sign. A `URL` object is signed as its
   * `href` reads.
   */
  readonly url: string | URL;
  /** Request headers; names in any letter case. Arrays are repeated headers, kept in order. */
  readonly headers?: Readonly<Record<string, HeaderValue | undefined>> | undefined;
  /** The exact body that will be sent, when known. Absent means an empty body unless `payloadHash` says otherwise. */
  readonly body?: SignableBody | undefined;
}

/**
 * How to sign, with either algorithm: {@link SigV4SignOptions} (the default) or {@link SigV4aSignOptions}.
 *
 * @example
 * ```ts
 * import { signRequest, type SignOptions, type SigningCredentials } from 'got-aws4auth/signer';
 * declare const credentials: SigningCredentials;
 * const sigv4: SignOptions = { credentials, region: 'eu-west-1', service: 'es' };
 * const sigv4a: SignOptions = { algorithm: 'sigv4a', credentials, service: 's3', regionSet: ['*'] };
 * signRequest({ method: 'GET', url: 'https://search-logs.eu-west-1.es.amazonaws.com/_cluster/health' }, sigv4);
 * signRequest({ method: 'GET', url: 'https://mfzwi23gnjvgw.mrap.accesspoint.s3-global.amazonaws.com/report.csv' }, sigv4a);
 * ```
 * @category Signer
 */
export type SignOptions = SigV4SignOptions | SigV4aSignOptions;

/**
 * The options {@link SigV4SignOptions} and {@link SigV4aSignOptions} share.
 *
 * @example
 * ```ts
 * import type { BaseSignOptions, SigV4SignOptions, SigV4aSignOptions, SigningCredentials } from 'got-aws4auth/signer';
 * declare const credentials: SigningCredentials;
 * // What both algorithms share, completed with a region or a region set
 * const common: BaseSignOptions = { credentials, service: 'execute-api', includeHeaders: ['host', 'content-type', 'x-amz-*'] };
 * const regional: SigV4SignOptions = { ...common, region: 'us-east-1' };
 * const multiRegion: SigV4aSignOptions = { ...common, algorithm: 'sigv4a', regionSet: ['us-east-1', 'eu-west-1'] };
 * ```
 * @category Signer
 */
export interface BaseSignOptions {
  /** The credentials to sign with. */
  readonly credentials: SigningCredentials;
  /** The signing name of the service, e.g. `s3`, `es`, `execute-api`, `lambda`. */
  readonly service: string;
  /** The signing time. Default: now. */
  readonly date?: Date | undefined;
  /**
   * Remove `.` and `..` segments and repeated slashes from the path before signing. Default: true,
   * false for S3-family services (`s3`, `s3-object-lambda`, `s3express`, `s3-outposts`).
   */
  readonly normalizePath?: boolean | undefined;
  /**
   * Percent-encode the already-encoded path a second time, as every service but S3 expects.
   * Default: true, false for S3-family services.
   */
  readonly doubleEncodePath?: boolean | undefined;
  /**
   * Add and sign the `x-amz-content-sha256` header carrying the payload hash. Default: true for
   * S3-family services and OpenSearch Serverless (`aoss`), which require it; false otherwise.
   */
  readonly contentSha256Header?: boolean | undefined;
  /**
   * The payload hash to sign instead of hashing `body`: a lower-case hex SHA-256, `UNSIGNED-PAYLOAD`,
   * or one of the `STREAMING-…` markers for chunked uploads.
   */
  readonly payloadHash?: string | undefined;
  /**
   * Sign `x-amz-security-token` (default true). False adds it after signing, as AWS IoT requires.
   */
  readonly signSessionToken?: boolean | undefined;
  /**
   * Which headers to sign, as names or patterns with `*` wildcards (requests-aws4auth's `include_hdrs`),
   * e.g. `['host', 'content-type', 'x-amz-*']`. `host`, `x-amz-date` and `x-amz-content-sha256` are always
   * signed. Default: every header except those that proxies or the HTTP stack may change
   * ({@link DEFAULT_UNSIGNED_HEADERS}).
   */
  readonly includeHeaders?: readonly string[] | undefined;
  /**
   * Where the signing time is carried. `x-amz-date` (default) sets that header from `date`. `date`
   * signs the request's own `Date` header as it is and adds no `x-amz-date`; `date` must then be the
   * time that header states (AWS4Auth does this for requests that carry only a `Date` header).
   */
  readonly dateHeader?: 'x-amz-date' | 'date' | undefined;
}

/**
 * How to sign with SigV4 (`AWS4-HMAC-SHA256`), the default.
 *
 * @example
 * ```ts
 * import { deriveSigningKey, signRequest, type SigV4SignOptions } from 'got-aws4auth/signer';
 * declare const secretAccessKey: string;
 * // Reuse one derived key for every request of the day (the signer also caches keys itself)
 * const options: SigV4SignOptions = {
 *   credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey },
 *   region: 'eu-west-1',
 *   service: 's3',
 *   date: new Date('2024-01-15T12:00:00Z'),
 *   signingKey: deriveSigningKey(secretAccessKey, '20240115', 'eu-west-1', 's3'),
 * };
 * signRequest({ method: 'GET', url: 'https://my-bucket.s3.eu-west-1.amazonaws.com/report.csv' }, options);
 * ```
 * @category Signer
 */
export interface SigV4SignOptions extends BaseSignOptions {
  /** `sigv4` (the default). */
  readonly algorithm?: 'sigv4' | undefined;
  /** The AWS region, e.g. `eu-west-1`. */
  readonly region: string;
  /**
   * A signing key already derived for the same date, region and service (see `deriveSigningKey`).
   * When given, `credentials.secretAccessKey` is not used.
   */
  readonly signingKey?: Uint8Array | undefined;
  /** SigV4a only. */
  readonly regionSet?: undefined;
}

/**
 * How to sign with SigV4a (`AWS4-ECDSA-P256-SHA256`): an ECDSA signature valid in a set of regions, with a
 * key pair derived from the credentials (see {@link deriveSigV4aPublicKey}). The credential scope has no
 * region; the regions are signed in `x-amz-region-set` (`X-Amz-Region-Set` when presigning).
 *
 * @example
 * ```ts
 * import { signRequest, type SigV4aSignOptions, type SigningCredentials } from 'got-aws4auth/signer';
 * declare const credentials: SigningCredentials;
 * // An S3 Multi-Region Access Point: the signature is valid in every region
 * const options: SigV4aSignOptions = { algorithm: 'sigv4a', credentials, service: 's3', regionSet: ['*'] };
 * const signed = signRequest({ method: 'GET', url: 'https://mfzwi23gnjvgw.mrap.accesspoint.s3-global.amazonaws.com/report.csv' }, options);
 * signed.headers['x-amz-region-set']; // '*'
 * ```
 * @category Signer
 */
export interface SigV4aSignOptions extends BaseSignOptions {
  /** `sigv4a`. */
  readonly algorithm: 'sigv4a';
  /**
   * The regions the signature is valid in, e.g. `['us-east-1', 'eu-west-1']`, patterns such as `['eu-*']`,
   * or `['*']` for every region (S3 Multi-Region Access Points). Default: `[region]`.
   */
  readonly regionSet?: readonly string[] | undefined;
  /** The region, used only as the default `regionSet`; may be omitted when `regionSet` is given. */
  readonly region?: string | undefined;
  /** SigV4 only: SigV4a derives its key from `credentials.secretAccessKey`. */
  readonly signingKey?: undefined;
}

/**
 * Options for {@link presignUrl}: the signing options, and how long the URL stays valid.
 *
 * @example
 * ```ts
 * import { presignUrl, type PresignOptions, type SigningCredentials } from 'got-aws4auth/signer';
 * declare const credentials: SigningCredentials;
 * const options: PresignOptions = { credentials, region: 'eu-west-1', service: 's3', expiresIn: 15 * 60 };
 * const uploadUrl = presignUrl({ method: 'PUT', url: 'https://my-bucket.s3.eu-west-1.amazonaws.com/uploads/photo.jpg' }, options);
 * ```
 * @category Signer
 */
export type PresignOptions = SignOptions & {
  /** Seconds the URL stays valid, 1 to 604800 (7 days). */
  readonly expiresIn: number;
};

/**
 * The result of signing: the complete header set to send, and every intermediate for debugging.
 *
 * @example
 * ```ts
 * import got from 'got';
 * import { signRequest, type SignedRequest, type SigningCredentials } from 'got-aws4auth/signer';
 * declare const credentials: SigningCredentials;
 * const url = 'https://sts.amazonaws.com/?Action=GetCallerIdentity&Version=2011-06-15';
 * const signed: SignedRequest = signRequest({ method: 'GET', url }, { credentials, region: 'us-east-1', service: 'sts' });
 * const response = await got(url, { headers: signed.headers, throwHttpErrors: false });
 * // On a 403 SignatureDoesNotMatch, compare with the canonical request the service reports:
 * if (response.statusCode === 403) console.error(signed.canonicalRequest);
 * ```
 * @category Signer
 */
export interface SignedRequest {
  /**
   * Every header to send, with lower-case names: the request's own headers plus `host`, `x-amz-date`,
   * `x-amz-content-sha256` and `x-amz-security-token` as configured, `x-amz-region-set` for SigV4a, and
   * `authorization`.
   */
  readonly headers: Record<string, string | string[]>;
  /** The `Authorization` header value. */
  readonly authorization: string;
  /** The hex signature: an HMAC for SigV4, a DER-encoded ECDSA signature for SigV4a. */
  readonly signature: string;
  /** The `;`-joined signed header names. */
  readonly signedHeaders: string;
  /** `YYYYMMDD/region/service/aws4_request`; for SigV4a `YYYYMMDD/service/aws4_request`. */
  readonly credentialScope: string;
  /** The canonical request that was signed. */
  readonly canonicalRequest: string;
  /** The string to sign. */
  readonly stringToSign: string;
  /** The payload hash that was signed. */
  readonly payloadHash: string;
  /** The `YYYYMMDDTHHMMSSZ` signing time. */
  readonly amzDate: string;
}

/**
 * The signer's per-client choices that AWS4Auth and the got plugin pass through as they are
 * (requests-aws4auth's default for `includeHeaders` is `REQUESTS_AWS4AUTH_INCLUDE_HEADERS`).
 *
 * @example
 * ```ts
 * import type { SignerChoices } from 'got-aws4auth/signer';
 * const iot: SignerChoices = { signSessionToken: false, includeHeaders: ['host', 'x-amz-*'] };
 * ```
 * @category Signer
 */
export type SignerChoices = Pick<BaseSignOptions, 'normalizePath' | 'doubleEncodePath' | 'contentSha256Header' | 'signSessionToken' | 'includeHeaders'>;
