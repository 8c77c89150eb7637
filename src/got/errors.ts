/**
 * Failures the got plugin reports before a request is sent. got wraps each in a `RequestError` whose
 * `cause` is this error and whose `code` is copied from it, so `error.code` reads the same through got.
 *
 * @module
 */
import { AWS4AuthError } from '../signer/errors.js';

/**
 * A streamed body to a service that needs its payload hashed (everything but S3) was larger than the
 * plugin may buffer. Nothing was sent.
 *
 * @example
 * ```ts
 * import { BodyTooLargeError } from 'got-aws4auth';
 * const error = new BodyTooLargeError(10 * 1024 * 1024);
 * console.log(error.code, error.limitBytes); // 'ERR_AWS4_BODY_TOO_LARGE' 10485760
 * ```
 * @category Errors
 */
export class BodyTooLargeError extends AWS4AuthError {
  /** The buffering limit that was exceeded, in bytes. */
  readonly limitBytes: number;

  constructor(limitBytes: number) {
    super(
      'ERR_AWS4_BODY_TOO_LARGE',
      `The streamed request body is larger than maxBufferedBodyBytes (${limitBytes} bytes), and this service needs the ` +
        'payload hashed before sending. Pass the body as a Buffer or string, raise maxBufferedBodyBytes, or, where the service ' +
        'accepts it, pass payloadHash: "UNSIGNED-PAYLOAD".',
    );
    this.limitBytes = limitBytes;
  }
}

/**
 * The request body is of a kind whose bytes cannot be known before sending (a stream piped into
 * `got.stream.put()`, for instance) and the service needs them hashed.
 *
 * @example
 * ```ts
 * import { UnsignableBodyError } from 'got-aws4auth';
 * console.log(new UnsignableBodyError('a body piped into got.stream()').code); // 'ERR_AWS4_UNSIGNABLE_BODY'
 * ```
 * @category Errors
 */
export class UnsignableBodyError extends AWS4AuthError {
  constructor(what: string) {
    super(
      'ERR_AWS4_UNSIGNABLE_BODY',
      `Cannot sign ${what}: its bytes are not known before sending and this service needs the payload hashed. ` +
        'Pass the body through the `body` option (a Buffer, string, stream or async iterable), or, where the service accepts it, ' +
        'pass payloadHash: "UNSIGNED-PAYLOAD".',
    );
  }
}

/**
 * The plugin was not told the service or region and could not infer it from the host name (a custom
 * domain or localhost). Nothing was sent.
 *
 * @example
 * ```ts
 * import { CannotInferError } from 'got-aws4auth';
 * const error = new CannotInferError('service', 'localhost:9000');
 * console.log(error.code, error.missing); // 'ERR_AWS4_CANNOT_INFER' 'service'
 * ```
 * @category Errors
 */
export class CannotInferError extends AWS4AuthError {
  /** What could not be inferred. */
  readonly missing: 'service' | 'region';
  /** The host it was inferred from. */
  readonly host: string;

  constructor(missing: 'service' | 'region', host: string) {
    super(
      'ERR_AWS4_CANNOT_INFER',
      missing === 'service'
        ? `Cannot infer the AWS service to sign for from the host "${host}". Pass it: aws4Hooks({ service: 's3', region: 'us-east-1' }) ` +
            `(the service's signing name, e.g. s3, es, execute-api, lambda).`
        : `Cannot infer the AWS region to sign for from the host "${host}", and neither AWS_REGION, AWS_DEFAULT_REGION nor the ` +
            `profile's region is set. Pass it: aws4Hooks({ region: 'eu-west-1' }), or set AWS_REGION.`,
    );
    this.missing = missing;
    this.host = host;
  }
}

/**
 * A stream body for a signed chunked upload (the default for S3) whose length is unknown: the length is
 * signed in `x-amz-decoded-content-length` and S3 needs the encoded length up front. Nothing was sent.
 *
 * @example
 * ```ts
 * import { StreamLengthRequiredError } from 'got-aws4auth';
 * console.log(new StreamLengthRequiredError().code); // 'ERR_AWS4_UNSIGNABLE_BODY'
 * ```
 * @category Errors
 */
export class StreamLengthRequiredError extends AWS4AuthError {
  constructor() {
    super(
      'ERR_AWS4_UNSIGNABLE_BODY',
      'Cannot sign a chunked upload of a stream whose length is unknown. Set the content-length header to the stream\'s ' +
        'length (a fs.createReadStream of a whole file is measured for you), or send it unsigned with ' +
        'streamingPayload: "unsigned" (S3 still needs the length), or pass a Buffer.',
    );
  }
}
