/**
 * Reads what the endpoint table needs from botocore's data folder into plain typed records, and parses a host
 * template (`data.jobs.iot-fips.{Region}.{PartitionResult#dnsSuffix}`) into its parts. Only the generator
 * uses this; nothing here runs in the library.
 *
 * @module
 */
import { join } from 'node:path';

/** An endpoint a rule set can produce, with the auth scheme it states (if any). */
export interface RuleEndpoint {
  readonly host: string;
  readonly signingName: string | undefined;
  readonly signingRegion: string | undefined;
  readonly regionSet: readonly string[] | undefined;
}

/** One service model (its newest API version). */
export interface ServiceModel {
  readonly name: string;
  /** Whether it signs with SigV4 (SigV2-only and bearer-only services do not). */
  readonly sigv4: boolean;
  readonly endpointPrefix: string;
  readonly signingName: string;
  readonly endpoints: readonly RuleEndpoint[];
}

/** A partition from partitions.json. */
export interface Partition {
  readonly id: string;
  readonly dnsSuffix: string;
  readonly dualStackDnsSuffix: string;
  /** The region pattern without anchors, groups made non-capturing. */
  readonly regionPattern: string;
  readonly implicitGlobalRegion: string;
  readonly regions: readonly string[];
}

/** An endpoints.json partition, kept as botocore's loosely typed JSON. */
export interface LegacyPartition {
  readonly partition: string;
  readonly dnsSuffix: string;
  readonly defaults: LegacyEndpoint;
  readonly services: Readonly<Record<string, { readonly defaults?: LegacyEndpoint; readonly endpoints?: Readonly<Record<string, LegacyEndpoint>> }>>;
}

/** An endpoints.json endpoint or defaults block. */
export interface LegacyEndpoint {
  readonly hostname?: string;
  readonly dnsSuffix?: string;
  readonly deprecated?: boolean;
  readonly tags?: readonly string[];
  readonly credentialScope?: { readonly service?: string; readonly region?: string };
  readonly variants?: readonly LegacyEndpoint[];
}

/** Everything the generator reads. */
export interface BotocoreData {
  readonly version: string;
  readonly endpointsVersion: string;
  readonly partitionsVersion: string;
  readonly services: readonly ServiceModel[];
  readonly partitions: readonly Partition[];
  readonly legacy: readonly LegacyPartition[];
}

type ReadText = (path: string) => string;
type ListDir = (path: string) => string[];

function readJson(dir: string, name: string, readText: ReadText, list: ListDir): unknown {
  const files = list(dir);
  if (files.includes(name)) return JSON.parse(readText(join(dir, name)));
  if (files.includes(`${name}.gz`)) return JSON.parse(readText(join(dir, `${name}.gz`)));
  return undefined;
}

function ruleEndpoints(rules: unknown): RuleEndpoint[] {
  const found: RuleEndpoint[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (node === null || typeof node !== 'object') return;
    const endpoint = (node as { endpoint?: { url?: unknown; properties?: { authSchemes?: Array<Record<string, unknown>> } } }).endpoint;
    if (endpoint !== undefined && typeof endpoint.url === 'string') {
      // SigV4 where the endpoint accepts it (SigV4a offered first is optional there); SigV4a where it is the only one.
      const schemes = endpoint.properties?.authSchemes ?? [];
      const auth = schemes.find((s) => s.name === 'sigv4') ?? schemes[0];
      found.push({
        host: endpoint.url.replace(/^[a-z]+:\/\//, '').replace(/[/:].*$/, ''),
        signingName: auth?.signingName as string | undefined,
        signingRegion: auth?.signingRegion as string | undefined,
        regionSet: auth?.name === 'sigv4a' ? (auth.signingRegionSet as string[] | undefined) ?? ['*'] : undefined,
      });
    }
    Object.values(node).forEach(walk);
  };
  walk(rules);
  return found;
}

function readService(dataDir: string, name: string, readText: ReadText, list: ListDir): ServiceModel | undefined {
  const versionDir = join(dataDir, name, list(join(dataDir, name)).sort().at(-1) as string);
  const model = readJson(versionDir, 'service-2.json', readText, list) as { metadata: Record<string, unknown> } | undefined;
  if (model === undefined) return undefined;
  const { endpointPrefix, signingName, signatureVersion, auth } = model.metadata as {
    endpointPrefix: string;
    signingName?: string;
    signatureVersion?: string;
    auth?: string[];
  };
  const sigv4 = auth !== undefined ? auth.includes('aws.auth#sigv4') : ['v4', 's3', 's3v4'].includes(signatureVersion ?? '');
  const rules = readJson(versionDir, 'endpoint-rule-set-1.json', readText, list) as { rules?: unknown } | undefined;
  return { name, sigv4, endpointPrefix, signingName: signingName ?? endpointPrefix, endpoints: ruleEndpoints(rules?.rules) };
}

function readPartitions(json: { partitions: Array<{ id: string; regionRegex: string; regions: Record<string, unknown>; outputs: Record<string, string> }> }): Partition[] {
  return json.partitions.map((p) => ({
    id: p.id,
    dnsSuffix: p.outputs.dnsSuffix as string,
    dualStackDnsSuffix: p.outputs.dualStackDnsSuffix as string,
    regionPattern: p.regionRegex.replace(/^\^|\$$/g, '').replace(/\\-/g, '-').replace(/\((?!\?)/g, '(?:'),
    implicitGlobalRegion: p.outputs.implicitGlobalRegion as string,
    regions: Object.keys(p.regions).filter((r) => new RegExp(p.regionRegex).test(r)),
  }));
}

/**
 * Reads botocore's data folder.
 *
 * @param dataDir - `.../botocore/data`
 * @param readText - reads a file as text (gunzipping `.gz` files)
 * @param list - lists a folder
 */
export function readBotocore(dataDir: string, readText: ReadText, list: ListDir): BotocoreData {
  const init = readText(join(dataDir, '..', '__init__.py'));
  const version = /__version__ = '([^']+)'/.exec(init)?.[1] ?? 'unknown';
  const endpoints = JSON.parse(readText(join(dataDir, 'endpoints.json'))) as { version: number; partitions: LegacyPartition[] };
  const partitions = JSON.parse(readText(join(dataDir, 'partitions.json'))) as Parameters<typeof readPartitions>[0] & { version: string };
  const names = list(dataDir).filter((name) => !name.includes('.') && !name.startsWith('_'));
  const services = names.map((name) => readService(dataDir, name, readText, list)).filter((s): s is ServiceModel => s !== undefined);
  return {
    version,
    endpointsVersion: String(endpoints.version),
    partitionsVersion: partitions.version,
    services,
    partitions: readPartitions(partitions),
    legacy: endpoints.partitions,
  };
}

/** A host template taken apart. */
export interface HostTemplate {
  /** The labels before the region (or before the suffix), leading id placeholders dropped, `-fips` kept. */
  readonly prefix: readonly string[];
  /** How many leading placeholder labels (ids such as an account or endpoint id) were dropped. */
  readonly ids: number;
  /** `{Region}`, `{implicitGlobalRegion}`, a literal region, or undefined for a host without one. */
  readonly region: string | undefined;
  /** `{dnsSuffix}`, `{dualStackDnsSuffix}`, or the literal suffix. */
  readonly suffix: string;
}

/**
 * Splits a template host into prefix, region and suffix; `undefined` for shapes the table does not describe
 * (placeholders inside a label, a custom endpoint).
 */
export function parseHostTemplate(host: string, partitions: readonly Partition[]): HostTemplate | undefined {
  let labels = host.split('.');
  const last = labels.at(-1) as string;
  let suffix: string;
  if (/^\{[A-Za-z]+#dnsSuffix\}$/.test(last)) suffix = '{dnsSuffix}';
  else if (/^\{[A-Za-z]+#dualStackDnsSuffix\}$/.test(last)) suffix = '{dualStackDnsSuffix}';
  else {
    const literal = partitions.flatMap((p) => [p.dnsSuffix, p.dualStackDnsSuffix]).filter((s) => host.endsWith(`.${s}`)).sort((a, b) => b.length - a.length)[0];
    if (literal === undefined) return undefined;
    suffix = literal;
  }
  labels = labels.slice(0, suffix.startsWith('{') ? -1 : -suffix.split('.').length);
  const regionRe = new RegExp(`^(?:${partitions.map((p) => p.regionPattern).join('|')})$`);
  const regionAt = labels.findLastIndex((l) => l === '{Region}' || /#implicitGlobalRegion\}$/.test(l) || regionRe.test(l));
  const region = regionAt === -1 ? undefined : (labels[regionAt] as string).replace(/^\{[A-Za-z]+#implicitGlobalRegion\}$/, '{implicitGlobalRegion}');
  if (regionAt !== -1 && regionAt !== labels.length - 1) return undefined;
  let before = regionAt === -1 ? labels : labels.slice(0, regionAt);
  if (before.at(-1) === 'dualstack') before = before.slice(0, -1);
  let ids = 0;
  while (ids < before.length && /^\{[^}]+\}$/.test(before[ids] as string)) ids += 1;
  const prefix = before.slice(ids);
  if (prefix.length === 0 || prefix.some((l) => l.includes('{'))) return undefined;
  return { prefix, ids, region, suffix };
}

/** The endpoint prefix a template's labels sign under: `-fips` taken off every label. */
export function canonicalPrefix(labels: readonly string[]): string {
  return labels.map((l) => l.replace(/-fips$/, '')).join('.');
}
