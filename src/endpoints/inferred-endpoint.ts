/**
 * What host-name inference produces.
 *
 * @module
 */

/**
 * What {@link inferEndpoint} found in a host name.
 *
 * @example
 * ```ts
 * import { inferEndpoint, type InferredEndpoint } from 'got-aws4auth';
 * const endpoint: InferredEndpoint | undefined = inferEndpoint('search-logs-abc.eu-west-1.es.amazonaws.com');
 * if (endpoint === undefined) throw new Error('not an AWS host name: give service and region explicitly');
 * console.log(endpoint.service, endpoint.region); // 'es' 'eu-west-1'
 * ```
 * @category Plugin
 */
export interface InferredEndpoint {
  /** The signing name, e.g. `s3`, `es`, `execute-api`, `mobiletargeting` (for `pinpoint.*` hosts). */
  readonly service: string;
  /** The region, when the host names one (global endpoints give their signing region, e.g. `us-east-1`). */
  readonly region: string | undefined;
  /** `sigv4a` for hosts that only accept SigV4a (S3 Multi-Region Access Points, EventBridge global endpoints). */
  readonly algorithm?: 'sigv4a' | undefined;
  /** With `algorithm: 'sigv4a'`: the regions the signature must be valid in. */
  readonly regionSet?: readonly string[] | undefined;
}
