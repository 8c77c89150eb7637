/**
 * The shapes that flow through the signer: what goes in ({@link SignableRequest}, {@link SignOptions})
 * and what comes out ({@link SignedRequest}).
 *
 * @module
 */

/**
 * AWS credentials, in the shape of `AwsCredentialIdentity` from `@smithy/types`, so identities from any
 * AWS SDK v3 credential provider can be passed as they are.
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

/** A header value: a string, a number, or an array of strings for a header repeated in that order. */
export type HeaderValue = string | number | readonly string[];

/** A request body whose bytes are known up front. Strings are encoded as UTF-8. */
export type SignableBody = string | Uint8Array | ArrayBuffer;

/**
 * The request to sign. Nothing is sent; the signer only reads it.
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
 */
export type SignOptions = SigV4SignOptions | SigV4aSignOptions;

/**
 * The options {@link SigV4SignOptions} and {@link SigV4aSignOptions} share.
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

/** Options for {@link presignUrl}: the signing options, and how long the URL stays valid. */
export type PresignOptions = SignOptions & {
  /** Seconds the URL stays valid, 1 to 604800 (7 days). */
  readonly expiresIn: number;
};

/**
 * The result of signing: the complete header set to send, and every intermediate for debugging.
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
