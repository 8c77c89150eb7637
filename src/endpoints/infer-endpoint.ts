/**
 * Signing name and region from an AWS host name. Three sources, most specific first:
 *
 * 1. exact hosts from AWS's data whose credential scope the host's shape does not tell (global endpoints:
 *    `iam.amazonaws.com` signs for `us-east-1`, `iam.us-gov.amazonaws.com` for `us-gov-west-1`);
 * 2. hand-written shapes: S3 in all its forms (s3-hosts.ts), and the prefixes below that no SDK endpoint
 *    lists (Lambda function URLs, AppSync, OpenSearch and OpenSearch Serverless, Neptune, legacy SQS);
 * 3. the generated table (endpoint-table.generated.ts): every endpoint prefix in botocore's data and the
 *    service it signs as (`appstream2` as `appstream`, `data.jobs.iot` as `iot-jobs-data`), every partition's
 *    DNS suffixes (regional, dual-stack, China, GovCloud, ISO) and region pattern, and SigV4a shapes.
 *
 * A host is `<ids>.<prefix>[-fips][.dualstack].<region>.<suffix>`, `vpce-<id>.<prefix>.<region>.vpce.<suffix>`,
 * `<ids>.<region>.<prefix>.<suffix>` (OpenSearch, Neptune) or, with no region, `<prefix>.<suffix>` (the
 * partition's global region). The prefix is the longest run of labels before the region that the table knows;
 * a prefix it does not know is taken as the signing name (a service newer than the table). A host outside
 * AWS's suffixes gives `undefined`, never a guess.
 *
 * @module
 */
import { endpointTable, partitionSuffixOf, type EndpointTable, type PartitionSuffix } from './endpoint-table.js';
import type { InferredEndpoint } from './inferred-endpoint.js';
import { inferS3Endpoint } from './s3-hosts.js';
import { InvalidInputError, describeValue } from '../signer/errors.js';

export type { InferredEndpoint } from './inferred-endpoint.js';

// Prefixes whose signing name no SDK endpoint data lists (hosts made per resource, or older than the SDKs).
const HAND_WRITTEN: ReadonlyMap<string, string> = new Map([
  ['lambda-url', 'lambda'],
  ['appsync-api', 'appsync'],
  ['appsync-realtime-api', 'appsync'],
  ['neptune', 'neptune-db'],
  ['queue', 'sqs'],
  ['es', 'es'],
  ['aoss', 'aoss'],
  ['control-kinesis', 'kinesis'],
  ['data-kinesis', 'kinesis'],
  ['transcribestreaming', 'transcribe'],
]);

// Global hosts AWS documents but no SDK endpoint data lists.
const HAND_WRITTEN_HOSTS: ReadonlyMap<string, InferredEndpoint> = new Map([
  // Global Accelerator's API lives in us-west-2 only.
  ['globalaccelerator.amazonaws.com', Object.freeze({ service: 'globalaccelerator', region: 'us-west-2' })],
]);

// A signing name is one label: a dotted "name" is resource labels or a host under a host, never a service.
const PLAIN_NAME = /^[a-z0-9][a-z0-9-]*$/;
const PORT = /^\d{1,5}$/;
const SIGNING_NAME = /^[a-z0-9][a-z0-9-]*$/i;

let regionLabel: RegExp | undefined;

function isRegion(label: string): boolean {
  regionLabel ??= new RegExp(`^(?:${endpointTable().regionPattern})$`);
  return regionLabel.test(label);
}

function withoutFips(label: string): string {
  return label.endsWith('-fips') ? label.slice(0, -5) : label;
}

function signingNameOf(prefix: string, table: EndpointTable): string | undefined {
  return HAND_WRITTEN.get(prefix) ?? table.signingNames.get(prefix);
}

interface Prefix {
  readonly prefix: string;
  readonly service: string;
}

/** The prefix among the labels before the region: the longest known run of trailing labels. */
function prefixBefore(labels: readonly string[], table: EndpointTable): Prefix | undefined {
  let prefix = '';
  let found: Prefix | undefined;
  for (let i = labels.length - 1; i >= Math.max(0, labels.length - table.maxPrefixLabels); i -= 1) {
    prefix = prefix === '' ? withoutFips(labels[i] as string) : `${withoutFips(labels[i] as string)}.${prefix}`;
    const service = signingNameOf(prefix, table);
    if (service !== undefined) found = { prefix, service };
  }
  const last = withoutFips(labels[labels.length - 1] as string);
  // `<account-specific-prefix>(-ats).iot.<region>` is the IoT data plane; `iot.<region>` is the control plane.
  if (found?.prefix === 'iot' && labels.length > 1) return { prefix: 'data-ats.iot', service: signingNameOf('data-ats.iot', table) ?? 'iotdata' };
  if (found !== undefined) return found;
  return PLAIN_NAME.test(last) ? { prefix: last, service: last } : undefined;
}

/**
 * A host that names no region: a SigV4a shape, or `<prefix>[.global|.<partition>].<suffix>` for a known
 * prefix, signed for the partition's global region (`iam.amazonaws.com`, `iam.us-gov.amazonaws.com`).
 */
function regionless(inner: string[], partition: PartitionSuffix, table: EndpointTable): InferredEndpoint | undefined {
  for (let i = Math.max(1, inner.length - table.maxPrefixLabels); i < inner.length; i += 1) {
    const shape = table.sigv4aShapes.get(inner.slice(i).join('.'));
    if (shape !== undefined) return { service: shape.service, region: undefined, algorithm: 'sigv4a', regionSet: shape.regionSet };
  }
  let region = partition.globalRegion;
  const last = inner[inner.length - 1] as string;
  const named = table.partitionLabels.get(last);
  if (inner.length > 1 && (last === 'global' || named !== undefined)) {
    inner.pop();
    region = named ?? region;
  }
  const service = signingNameOf(inner.map(withoutFips).join('.'), table);
  return service === undefined ? undefined : { service, region };
}

function inferFromTable(name: string, table: EndpointTable): InferredEndpoint | undefined {
  const partition = partitionSuffixOf(name);
  if (partition === undefined) return undefined;
  const inner = name.slice(0, name.length - partition.suffix.length - 1).split('.');
  // VPC interface endpoints: vpce-0123-abcd[-us-east-1a].sqs.us-east-1.vpce.amazonaws.com (the id is no prefix label)
  if (inner[inner.length - 1] === 'vpce') {
    inner.pop();
    if (inner.length > 1 && (inner[0] as string).startsWith('vpce-')) inner.shift();
  }
  const regionAt = inner.findLastIndex(isRegion);
  if (regionAt === -1) return regionless(inner, partition, table);
  const region = inner[regionAt] as string;
  if (!regionFits(partition, region, table)) return undefined;
  if (regionAt < inner.length - 1) {
    // <ids>.<region>.<prefix>: OpenSearch, OpenSearch Serverless, Neptune, CloudSearch, legacy <region>.queue
    const prefix = inner.slice(regionAt + 1).join('.');
    const service = signingNameOf(prefix, table) ?? (PLAIN_NAME.test(prefix) ? prefix : undefined);
    return service === undefined ? undefined : { service, region };
  }
  const before = inner.slice(0, inner[regionAt - 1] === 'dualstack' ? regionAt - 1 : regionAt);
  if (before.length === 0) return undefined;
  const found = prefixBefore(before, table);
  return found === undefined ? undefined : { service: found.service, region: table.fixedRegions.get(found.prefix) ?? region };
}

// DNS names have at most 253 characters: a longer "host" is no endpoint, and the bound keeps every pattern cheap.
const MAX_HOST_NAME = 253;

function hostName(host: string): string | undefined {
  let name = host.toLowerCase();
  if (name.startsWith('[')) return undefined;
  const colon = name.lastIndexOf(':');
  if (colon !== -1) {
    const port = name.slice(colon + 1);
    if (!PORT.test(port) || Number(port) > 65535) return undefined;
    name = name.slice(0, colon);
  }
  if (name.endsWith('.')) name = name.slice(0, -1);
  return name.length > MAX_HOST_NAME ? undefined : name;
}

/**
 * Infers the signing name and region from an AWS host name, or returns `undefined` for a host that is
 * not an AWS endpoint (a custom domain, localhost): then pass `service` and `region` yourself.
 *
 * Every service in AWS's endpoint metadata is understood, in every partition (`amazonaws.com`, `api.aws`,
 * `amazonaws.com.cn`, GovCloud, the ISO partitions), with FIPS, dual-stack and VPC endpoint (`vpce-...`)
 * forms; region-less global hosts give the region their credential scope uses.
 *
 * @param host - a host name, with or without a port
 * @throws {@link InvalidInputError} when `host` is not a string
 *
 * @example
 * ```ts
 * import { inferEndpoint } from 'got-aws4auth';
 * inferEndpoint('search-logs-abc.eu-west-1.es.amazonaws.com'); // { service: 'es', region: 'eu-west-1' }
 * inferEndpoint('my-bucket.s3.us-west-2.amazonaws.com');      // { service: 's3', region: 'us-west-2' }
 * inferEndpoint('pinpoint.us-east-1.amazonaws.com');           // { service: 'mobiletargeting', region: 'us-east-1' }
 * inferEndpoint('iam.amazonaws.com');                          // { service: 'iam', region: 'us-east-1' }
 * inferEndpoint('xyz.lambda-url.us-east-1.on.aws');            // { service: 'lambda', region: 'us-east-1' }
 * inferEndpoint('mfzwi23gnjvgw.mrap.accesspoint.s3-global.amazonaws.com'); // { service: 's3', region: undefined, algorithm: 'sigv4a', regionSet: ['*'] }
 * inferEndpoint('localhost:9000');                             // undefined
 * ```
 * @category Plugin
 */
export function inferEndpoint(host: string): InferredEndpoint | undefined {
  if (typeof host !== 'string') throw new InvalidInputError('host', `must be a host name such as "bucket.s3.eu-west-1.amazonaws.com", got ${describeValue(host)}`);
  const name = hostName(host);
  if (name === undefined) return undefined;
  const table = endpointTable();
  const explicit = table.explicitHosts.get(name);
  if (explicit !== undefined) return { service: explicit[0], region: explicit[1] };
  const hand = HAND_WRITTEN_HOSTS.get(name);
  if (hand !== undefined) return hand;
  const s3 = inferS3Endpoint(name);
  if (s3 !== undefined) return regionFits(partitionSuffixOf(name), s3.region, table) ? s3 : undefined;
  const inferred = inferFromTable(name, table);
  // The last guard on every shape's answer: a signing name is one label (AWS's own names are single labels).
  return inferred !== undefined && SIGNING_NAME.test(inferred.service) ? inferred : undefined;
}

/**
 * Whether a region a host names belongs to a partition that uses the host's suffix: `sqs.us-east-1.amazonaws.com.cn`
 * and `sqs.cn-north-1.amazonaws.com` name no endpoint. `on.aws` (Lambda function URLs) is no partition's
 * suffix: any partition's region may sit under it.
 */
function regionFits(partition: PartitionSuffix | undefined, region: string | undefined, table: EndpointTable): boolean {
  if (region === undefined || partition === undefined) return true;
  const regions = table.regionsBySuffix.get(partition.suffix);
  return regions === undefined || regions.test(region);
}
