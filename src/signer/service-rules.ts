/**
 * Per-service signing rules. The S3 family signs the object key as addressed (no normalisation, single
 * encoding) and carries the payload hash in `x-amz-content-sha256`; every other service normalises and
 * double-encodes the path.
 *
 * @module
 */

const S3_FAMILY = new Set(['s3', 's3-object-lambda', 's3express', 's3-outposts']);

/**
 * Whether a signing name belongs to the S3 family (`s3`, `s3-object-lambda`, `s3express`, `s3-outposts`).
 *
 * @example
 * ```ts
 * import { isS3Service } from 'got-aws4auth/signer';
 * isS3Service('s3'); // true
 * isS3Service('es'); // false
 * ```
 */
export function isS3Service(service: string): boolean {
  return S3_FAMILY.has(service);
}
