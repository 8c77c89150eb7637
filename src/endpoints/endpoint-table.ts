/**
 * The generated endpoint data (endpoint-table.generated.ts, from botocore), turned into lookups the first time
 * a host is read: the table ships as text, one entry a line, because that is several times smaller than the
 * same data as object literals, and parsing it takes well under a millisecond, once.
 *
 * @internal
 * @module
 */
import { EXPLICIT_HOSTS, PARTITIONS, SIGNING_NAMES, SIGV4A_SHAPES } from './endpoint-table.generated.js';

/**
 * A partition's DNS suffix as it ends a host name.
 * @category Plugin
 */
export interface PartitionSuffix {
  /** The suffix, e.g. `amazonaws.com`, `api.aws`, `amazonaws.com.cn`. */
  readonly suffix: string;
  /** The region a host under this suffix that names none signs for (`us-east-1` in `aws`). */
  readonly globalRegion: string;
}

/**
 * A SigV4a host shape: `<id>.<labels>.<suffix>`.
 * @category Plugin
 */
export interface SigV4aShape {
  readonly service: string;
  readonly regionSet: readonly string[];
}

/**
 * The parsed table.
 * @category Plugin
 */
export interface EndpointTable {
  /** Endpoint prefix -> signing name. */
  readonly signingNames: ReadonlyMap<string, string>;
  /** Endpoint prefix -> the region it signs for whatever region its host names (rare). */
  readonly fixedRegions: ReadonlyMap<string, string>;
  /** Exact host -> [signing name, region]. */
  readonly explicitHosts: ReadonlyMap<string, readonly [string, string]>;
  /** Labels after the id -> SigV4a shape. */
  readonly sigv4aShapes: ReadonlyMap<string, SigV4aShape>;
  /** Suffixes by their last label, longest first (one `endsWith` or two per host, not one per partition). */
  readonly suffixesByLastLabel: ReadonlyMap<string, readonly PartitionSuffix[]>;
  /** A partition's name as a label (`us-gov` in `iam.us-gov.amazonaws.com`) -> the region it signs for. */
  readonly partitionLabels: ReadonlyMap<string, string>;
  /** The most labels any prefix or SigV4a shape has: labels further left are resource ids. */
  readonly maxPrefixLabels: number;
  /** Every partition's region pattern, as one alternation without anchors. */
  readonly regionPattern: string;
  /**
   * A partition suffix -> the regions hosts under it can name (anchored): only the partitions that use the
   * suffix (`amazonaws.com`: aws and GovCloud; `amazonaws.com.cn`: China). A region of another partition
   * under a suffix names a host that cannot exist.
   */
  readonly regionsBySuffix: ReadonlyMap<string, RegExp>;
}

function entries(text: string): string[][] {
  return text
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => line.split(' '));
}

function suffixIndex(extra: readonly PartitionSuffix[]): Map<string, PartitionSuffix[]> {
  const all: PartitionSuffix[] = [];
  // The first partition to claim a suffix keeps it: `amazonaws.com` is `aws` (us-east-1), not GovCloud.
  for (const [, dns, dualStack, , globalRegion] of PARTITIONS) {
    for (const suffix of [dns, dualStack]) if (!all.some((s) => s.suffix === suffix)) all.push({ suffix, globalRegion });
  }
  const index = new Map<string, PartitionSuffix[]>();
  for (const entry of [...all, ...extra].sort((a, b) => b.suffix.length - a.suffix.length)) {
    const last = entry.suffix.slice(entry.suffix.lastIndexOf('.') + 1);
    index.set(last, [...(index.get(last) ?? []), entry]);
  }
  return index;
}

function regionsBySuffix(): Map<string, RegExp> {
  const patterns = new Map<string, string[]>();
  for (const [, dns, dualStack, region] of PARTITIONS) {
    for (const suffix of [dns, dualStack]) patterns.set(suffix, [...(patterns.get(suffix) ?? []), region]);
  }
  return new Map([...patterns].map(([suffix, regions]) => [suffix, new RegExp(`^(?:${regions.join('|')})$`)]));
}

function parse(): EndpointTable {
  const signing = entries(SIGNING_NAMES);
  const signingNames = new Map(signing.map(([prefix, name]) => [prefix as string, name ?? (prefix as string)]));
  const fixedRegions = new Map(signing.filter((e) => e.length === 3).map(([prefix, , region]) => [prefix as string, region as string]));
  const explicitHosts = new Map(entries(EXPLICIT_HOSTS).map(([host, name, region]) => [host as string, [name as string, region as string] as const]));
  const sigv4aShapes = new Map(entries(SIGV4A_SHAPES).map(([labels, service, set]) => [labels as string, { service: service as string, regionSet: (set as string).split(',') }]));
  return {
    signingNames,
    fixedRegions,
    explicitHosts,
    sigv4aShapes,
    // Lambda function URLs live under `on.aws`, which is no partition's suffix.
    suffixesByLastLabel: suffixIndex([{ suffix: 'on.aws', globalRegion: 'us-east-1' }]),
    maxPrefixLabels: Math.max(...[...signingNames.keys(), ...sigv4aShapes.keys()].map((key) => key.split('.').length)),
    partitionLabels: new Map(PARTITIONS.filter((p) => p[0].startsWith('aws-')).map((p) => [p[0].slice(4), p[4]])),
    regionPattern: PARTITIONS.map((p) => p[3]).join('|'),
    regionsBySuffix: regionsBySuffix(),
  };
}

let parsed: EndpointTable | undefined;

/**
 * The endpoint table, parsed on first use.
 * @category Plugin
 */
export function endpointTable(): EndpointTable {
  parsed ??= parse();
  return parsed;
}

/**
 * The partition suffix a host name ends with (longest match), or `undefined` for a host outside AWS.
 * @category Plugin
 */
export function partitionSuffixOf(name: string): PartitionSuffix | undefined {
  const candidates = endpointTable().suffixesByLastLabel.get(name.slice(name.lastIndexOf('.') + 1));
  if (candidates === undefined) return undefined;
  for (const candidate of candidates) {
    if (name.length > candidate.suffix.length + 1 && name.endsWith(candidate.suffix) && name.charCodeAt(name.length - candidate.suffix.length - 1) === 46) return candidate;
  }
  return undefined;
}
