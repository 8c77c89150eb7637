/**
 * Signing name and region from an AWS host name. AWS endpoints follow a handful of shapes
 * (`service.region.amazonaws.com`, `id.service.region.amazonaws.com`, S3's many virtual-host forms,
 * `*.on.aws`, the China and GovCloud partitions); the signing name is not always the first label
 * (`search-x.eu-west-1.es.amazonaws.com` signs as `es`, `*.lambda-url.*.on.aws` as `lambda`,
 * Neptune as `neptune-db`), so each shape is matched explicitly and unknown hosts give `undefined`
 * rather than a guess.
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
 */
export interface InferredEndpoint {
  /** The signing name, e.g. `s3`, `es`, `execute-api`. */
  readonly service: string;
  /** The region, when the host names one (global endpoints give their signing region, e.g. `us-east-1`). */
  readonly region: string | undefined;
  /** `sigv4a` for hosts that only accept SigV4a (S3 Multi-Region Access Points). */
  readonly algorithm?: 'sigv4a' | undefined;
  /** With `algorithm: 'sigv4a'`: the regions the signature must be valid in. */
  readonly regionSet?: readonly string[] | undefined;
}

const REGION = '(?:us|eu|ap|sa|ca|me|af|il|mx|cn|us-gov|us-iso|us-isob|us-isof|eu-isoe|eusc)-[a-z]+-\\d+';
const AWS_SUFFIX = '(?:amazonaws\\.com(?:\\.cn)?|api\\.aws|on\\.aws|c2s\\.ic\\.gov|sc2s\\.sgov\\.gov)';
const REGION_RE = new RegExp(`^${REGION}$`);

// Endpoint prefixes whose signing name differs from the prefix.
const SIGNING_NAMES: Readonly<Record<string, string>> = {
  'runtime.sagemaker': 'sagemaker',
  'runtime-v2-lex': 'lex',
  'runtime.lex': 'lex',
  'models.lex': 'lex',
  'bedrock-runtime': 'bedrock',
  'bedrock-agent-runtime': 'bedrock',
  'bedrock-agent': 'bedrock',
  'streams.dynamodb': 'dynamodb',
  'data.iot': 'iotdata',
  'data-ats.iot': 'iotdata',
  'api.ecr': 'ecr',
  'api.sagemaker': 'sagemaker',
  'api.pricing': 'pricing',
  'email': 'ses',
  'appsync-api': 'appsync',
  'appsync-realtime-api': 'appsync',
  'lambda-url': 'lambda',
  'neptune': 'neptune-db',
  'cluster-ro': 'neptune-db',
  'execute-api': 'execute-api',
  'states': 'states',
  'monitoring': 'monitoring',
  'queue': 'sqs',
  'aoss': 'aoss',
  'es': 'es',
};

// Global endpoints that sign with a fixed region.
const GLOBAL: Readonly<Record<string, InferredEndpoint>> = {
  's3.amazonaws.com': { service: 's3', region: 'us-east-1' },
  's3-external-1.amazonaws.com': { service: 's3', region: 'us-east-1' },
  'iam.amazonaws.com': { service: 'iam', region: 'us-east-1' },
  'iam.us-gov.amazonaws.com': { service: 'iam', region: 'us-gov-west-1' },
  'sts.amazonaws.com': { service: 'sts', region: 'us-east-1' },
  'cloudfront.amazonaws.com': { service: 'cloudfront', region: 'us-east-1' },
  'route53.amazonaws.com': { service: 'route53', region: 'us-east-1' },
  'organizations.us-east-1.amazonaws.com': { service: 'organizations', region: 'us-east-1' },
  'queue.amazonaws.com': { service: 'sqs', region: 'us-east-1' },
  'sdb.amazonaws.com': { service: 'sdb', region: 'us-east-1' },
  'globalaccelerator.amazonaws.com': { service: 'globalaccelerator', region: 'us-west-2' },
  'waf.amazonaws.com': { service: 'waf', region: 'us-east-1' },
  'shield.us-east-1.amazonaws.com': { service: 'shield', region: 'us-east-1' },
};

const S3_SUFFIX = new RegExp(
  // [bucket.]s3[-fips|-external-1][.dualstack][.region] | s3-region (legacy) | s3-accesspoint[-fips][.dualstack].region | s3-object-lambda[-fips].region | s3-outposts.region | s3express[-control|-zone].region
  `^(?:.+\\.)?(s3(?:-fips)?|s3-accesspoint(?:-fips)?|s3-object-lambda(?:-fips)?|s3-outposts|s3express(?:-control)?(?:-[a-z0-9-]+?)?|s3-control(?:-fips)?)(?:\\.dualstack)?(?:[.-](${REGION}))?\\.${AWS_SUFFIX}$`,
);
const MULTI_REGION_ACCESS_POINT = /^[a-z0-9]+\.mrap\.accesspoint\.s3-global\.amazonaws\.com$/;
const S3_ACCELERATE = new RegExp(`^(?:.+\\.)?s3-accelerate(?:\\.dualstack)?\\.amazonaws\\.com$`);
const ACCOUNT_CONTROL = /^\d{12}\.s3-control/;

function s3Service(label: string): string {
  if (label.startsWith('s3-object-lambda')) return 's3-object-lambda';
  if (label.startsWith('s3-outposts')) return 's3-outposts';
  if (label.startsWith('s3express')) return 's3express';
  return 's3';
}

/**
 * Infers the signing name and region from an AWS host name, or returns `undefined` for a host that is
 * not a recognisable AWS endpoint (a custom domain, localhost).
 *
 * @param host - a host name, with or without a port
 *
 * @example
 * ```ts
 * import { inferEndpoint } from 'got-aws4auth';
 * inferEndpoint('search-logs-abc.eu-west-1.es.amazonaws.com'); // { service: 'es', region: 'eu-west-1' }
 * inferEndpoint('my-bucket.s3.us-west-2.amazonaws.com');      // { service: 's3', region: 'us-west-2' }
 * inferEndpoint('xyz.lambda-url.us-east-1.on.aws');            // { service: 'lambda', region: 'us-east-1' }
 * inferEndpoint('my-bucket.s3-accelerate.amazonaws.com');      // { service: 's3', region: undefined }
 * inferEndpoint('mfzwi23gnjvgw.mrap.accesspoint.s3-global.amazonaws.com'); // { service: 's3', region: undefined, algorithm: 'sigv4a', regionSet: ['*'] }
 * inferEndpoint('localhost:9000');                             // undefined
 * ```
 */
export function inferEndpoint(host: string): InferredEndpoint | undefined {
  let name = host.toLowerCase();
  if (name.startsWith('[')) return undefined;
  const colon = name.lastIndexOf(':');
  if (colon !== -1) name = name.slice(0, colon);
  if (name.endsWith('.')) name = name.slice(0, -1);

  const global = GLOBAL[name];
  if (global !== undefined) return global;
  // S3 Multi-Region Access Points route to any region, so their requests are signed with SigV4a for all.
  if (MULTI_REGION_ACCESS_POINT.test(name)) return { service: 's3', region: undefined, algorithm: 'sigv4a', regionSet: ['*'] };

  if (S3_ACCELERATE.test(name)) return { service: 's3', region: undefined };
  if (ACCOUNT_CONTROL.test(name) || name.startsWith('s3-control')) {
    const region = new RegExp(`\\.(${REGION})\\.`).exec(name)?.[1];
    return { service: 's3', region };
  }
  const s3 = S3_SUFFIX.exec(name);
  if (s3 !== null) return { service: s3Service(s3[1] as string), region: s3[2] ?? 'us-east-1' };

  const labels = name.split('.');
  const suffix = new RegExp(`\\.${AWS_SUFFIX}$`).exec(name);
  if (suffix === null) return undefined;
  const suffixLabels = suffix[0].split('.').length - 1;
  const inner = labels.slice(0, labels.length - suffixLabels);
  // VPC interface endpoints: vpce-123-abc.sqs.us-east-1.vpce.amazonaws.com
  if (inner[inner.length - 1] === 'vpce') inner.pop();
  const regionIndex = inner.findLastIndex((label) => REGION_RE.test(label));
  if (regionIndex === -1) {
    // region.service or service with no region: GovCloud IAM and friends are handled above.
    return undefined;
  }
  const region = inner[regionIndex] as string;
  const after = inner.slice(regionIndex + 1);
  const before = inner.slice(0, regionIndex);
  let prefix: string | undefined;
  if (after.length > 0) {
    // id.region.service.amazonaws.com (OpenSearch, OpenSearch Serverless, Neptune) and
    // legacy region.queue.amazonaws.com
    prefix = after.join('.');
  } else if (before.length > 0) {
    // service.region.amazonaws.com, id.service.region.amazonaws.com, id.lambda-url.region.on.aws
    const last = before[before.length - 1] as string;
    const lastTwo = before.slice(-2).join('.');
    prefix = SIGNING_NAMES[lastTwo] !== undefined ? lastTwo : last;
    // account-specific-prefix(-ats).iot.region is the IoT data plane; iot.region is the control plane.
    if (prefix === 'iot' && before.length > 1) prefix = 'data.iot';
  }
  if (prefix === undefined || prefix === '') return undefined;
  prefix = prefix.replace(/-fips$/, '');
  const service = SIGNING_NAMES[prefix] ?? prefix;
  if (!/^[a-z0-9][a-z0-9.-]*$/.test(service)) return undefined;
  return { service, region };
}
