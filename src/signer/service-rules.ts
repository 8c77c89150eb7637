/**
 * Per-service signing rules, in one table. The S3 family signs the object key as addressed (no
 * normalisation, single encoding), carries the payload hash in `x-amz-content-sha256`, presigns with
 * `UNSIGNED-PAYLOAD` and streams bodies as aws-chunked uploads; OpenSearch Serverless (`aoss`) also
 * requires `x-amz-content-sha256`; every other service normalises and double-encodes the path, signs the
 * hash of the body and buffers a streamed body to hash it.
 *
 * Everything that chooses a default by service (the signer's options, presigning, the got plugin and the CLI)
 * asks {@link rulesFor}; nothing else compares service names.
 *
 * @module
 */
import type { PathRules } from './canonical-path.js';

/**
 * The defaults a service's signing name implies.
 *
 * @example
 * ```ts
 * import { rulesFor, type ServiceRules } from 'got-aws4auth/signer';
 * const rules: ServiceRules = rulesFor('s3');
 * rules.pathRules; // { normalize: false, doubleEncode: false }
 * rules.presignPayload; // 'unsigned'
 * ```
 * @category Signer
 */
export interface ServiceRules {
  /** Whether the service belongs to the S3 family (`s3`, `s3-object-lambda`, `s3express`, `s3-outposts`). */
  readonly s3: boolean;
  /** How the path is canonicalised unless `normalizePath`/`doubleEncodePath` say otherwise. */
  readonly pathRules: PathRules;
  /** Whether `x-amz-content-sha256` is added and signed unless `contentSha256Header` says otherwise. */
  readonly contentSha256Header: boolean;
  /** What a presigned URL signs as its payload: `UNSIGNED-PAYLOAD`, or the hash of the request body. */
  readonly presignPayload: 'unsigned' | 'hash';
  /** How the got plugin sends a stream body by default: as an aws-chunked upload, or buffered and hashed. */
  readonly streamingPayload: 'chunked' | 'buffer';
}

const S3_FAMILY = new Set(['s3', 's3-object-lambda', 's3express', 's3-outposts']);

const S3_RULES: ServiceRules = Object.freeze({
  s3: true,
  pathRules: Object.freeze({ normalize: false, doubleEncode: false }),
  contentSha256Header: true,
  presignPayload: 'unsigned',
  streamingPayload: 'chunked',
});
const DEFAULT_RULES: ServiceRules = Object.freeze({
  s3: false,
  pathRules: Object.freeze({ normalize: true, doubleEncode: true }),
  contentSha256Header: false,
  presignPayload: 'hash',
  streamingPayload: 'buffer',
});
// OpenSearch Serverless, like S3, requires the payload hash in x-amz-content-sha256.
const AOSS_RULES: ServiceRules = Object.freeze({ ...DEFAULT_RULES, contentSha256Header: true });

/**
 * The signing defaults for a service's signing name (case-sensitive, as in the credential scope).
 *
 * @param service - the signing name, e.g. `s3`, `es`, `aoss`, `execute-api`
 * @returns a frozen rules object, shared by every caller
 *
 * @example
 * ```ts
 * import { rulesFor } from 'got-aws4auth/signer';
 * rulesFor('es').pathRules; // { normalize: true, doubleEncode: true }
 * rulesFor('aoss').contentSha256Header; // true
 * rulesFor('s3').streamingPayload; // 'chunked'
 * ```
 * @category Signer
 */
export function rulesFor(service: string): ServiceRules {
  if (S3_FAMILY.has(service)) return S3_RULES;
  return service === 'aoss' ? AOSS_RULES : DEFAULT_RULES;
}

/**
 * Whether a signing name belongs to the S3 family (`s3`, `s3-object-lambda`, `s3express`, `s3-outposts`);
 * the same as `rulesFor(service).s3`.
 *
 * @example
 * ```ts
 * import { isS3Service } from 'got-aws4auth/signer';
 * isS3Service('s3'); // true
 * isS3Service('es'); // false
 * ```
 * @category Signer
 */
export function isS3Service(service: string): boolean {
  return S3_FAMILY.has(service);
}
