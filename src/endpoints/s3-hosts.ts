/**
 * S3's host shapes, written by hand because botocore builds them from bucket, access point and ARN parts
 * rather than listing them: virtual-hosted and path-style, the legacy `s3-<region>` and `s3-external-1`
 * forms, dual-stack, FIPS, Transfer Acceleration, access points, Object Lambda, Outposts, S3 Express, S3
 * Control and Multi-Region Access Points (SigV4a for every region). These shapes are more specific than
 * the generated table, so they are tried first.
 *
 * @internal
 * @module
 */
import { endpointTable } from './endpoint-table.js';
import { PARTITIONS } from './endpoint-table.generated.js';
import type { InferredEndpoint } from './inferred-endpoint.js';

interface S3Patterns {
  readonly suffix: RegExp;
  readonly regionLabel: RegExp;
}

const MULTI_REGION_ACCESS_POINT = /^[a-z0-9]+\.mrap\.accesspoint\.s3-global\.amazonaws\.com$/;
const S3_ACCELERATE = /^s3-accelerate(?:\.dualstack)?\.amazonaws\.com$/;
// The S3 part of a host is its last few labels (s3 label, dualstack, region, suffix of up to four labels):
// matching anchored at each of the last label starts, right to left, is linear where `^(?:.+\.)?` was not.
const MAX_TAIL_LABELS = 9;
const ACCOUNT_CONTROL = /^\d{12}\.s3-control/;

let patterns: S3Patterns | undefined;

function s3Patterns(): S3Patterns {
  if (patterns !== undefined) return patterns;
  const region = endpointTable().regionPattern;
  const suffixes = [...new Set(PARTITIONS.flatMap((p) => [p[1], p[2]]))].map((s) => s.replaceAll('.', '\\.')).join('|');
  patterns = {
    // [bucket.]s3[-fips|-external-1][.dualstack][.region] | s3-region (legacy) | s3-accesspoint[-fips][.dualstack].region |
    // s3-object-lambda[-fips].region | s3-outposts.region | s3express[-control|-zone].region
    suffix: new RegExp(
      `^(s3(?:-fips)?|s3-accesspoint(?:-fips)?|s3-object-lambda(?:-fips)?|s3-outposts(?:-fips)?|s3express(?:-control)?(?:-[a-z0-9-]+?)?|s3-control(?:-fips)?)(?:\\.dualstack)?(?:[.-](${region}))?\\.(?:${suffixes})$`,
    ),
    regionLabel: new RegExp(`\\.(${region})\\.`),
  };
  return patterns;
}

/** Runs `pattern` (anchored at `^`) on the tails of `name` that start at one of its last labels, rightmost first. */
function matchTail(name: string, pattern: RegExp): RegExpExecArray | null {
  let start = name.length;
  for (let labels = 0; labels < MAX_TAIL_LABELS && start > 0; labels += 1) {
    start = name.lastIndexOf('.', start - 1);
    const match = pattern.exec(name.slice(start + 1));
    if (match !== null) return match;
    if (start === -1) break;
  }
  return null;
}

function s3Service(label: string): string {
  if (label.startsWith('s3-object-lambda')) return 's3-object-lambda';
  if (label.startsWith('s3-outposts')) return 's3-outposts';
  if (label.startsWith('s3express')) return 's3express';
  return 's3';
}

/**
 * Reads an S3 host name (lower case, no port, no trailing dot), or `undefined` when it is not one.
 *
 * @internal
 */
export function inferS3Endpoint(name: string): InferredEndpoint | undefined {
  if (!name.includes('s3')) return undefined;
  // S3 Multi-Region Access Points route to any region, so their requests are signed with SigV4a for all.
  if (MULTI_REGION_ACCESS_POINT.test(name)) return { service: 's3', region: undefined, algorithm: 'sigv4a', regionSet: ['*'] };
  if (matchTail(name, S3_ACCELERATE) !== null) return { service: 's3', region: undefined };
  const { suffix, regionLabel } = s3Patterns();
  if (ACCOUNT_CONTROL.test(name) || name.startsWith('s3-control')) return { service: 's3', region: regionLabel.exec(name)?.[1] };
  const s3 = matchTail(name, suffix);
  if (s3 !== null) return { service: s3Service(s3[1] as string), region: s3[2] ?? 'us-east-1' };
  return undefined;
}
