/**
 * Every host botocore can produce, with the signing name and region botocore signs it with: each rule-set
 * template instantiated in every partition it fits, and every endpoints.json host with its FIPS and dual-stack
 * variants. The generator runs them all through `inferEndpoint`; the expectations are worked out from each
 * endpoint's own data, independently of the prefix table.
 *
 * @module
 */
import { parseHostTemplate, type BotocoreData, type HostTemplate, type LegacyEndpoint, type LegacyPartition, type Partition, type RuleEndpoint, type ServiceModel } from './generate-endpoint-table.data.js';
import { HAND_WRITTEN_MODELS, excludedPrefixes, modelSigningNames } from './generate-endpoint-table.build.js';

/** A host and what botocore signs it as. */
export interface Expectation {
  readonly host: string;
  readonly service: string;
  /** Undefined where botocore leaves the signing region to the caller's configuration. */
  readonly region: string | undefined;
  readonly algorithm?: 'sigv4a';
  /** Where the expectation came from, for the generator's report. */
  readonly from: string;
}

const ID = 'abc123example';

function regionOf(ref: string | undefined, partition: Partition): string | undefined {
  if (ref === undefined) return undefined;
  if (ref === '{Region}') return partition.regions[0];
  if (ref.includes('implicitGlobalRegion')) return partition.implicitGlobalRegion;
  return ref;
}

function fits(template: NonNullable<ReturnType<typeof parseHostTemplate>>, partition: Partition): boolean {
  const literalSuffix = !template.suffix.startsWith('{');
  if (literalSuffix && template.suffix !== partition.dnsSuffix && template.suffix !== partition.dualStackDnsSuffix) return false;
  if (template.region !== undefined && !template.region.startsWith('{')) return new RegExp(`^(?:${partition.regionPattern})$`).test(template.region);
  return true;
}

function fromRuleEndpoint(model: ServiceModel, endpoint: RuleEndpoint, data: BotocoreData): Expectation[] {
  const template = parseHostTemplate(endpoint.host, data.partitions);
  if (template === undefined) return [];
  const out: Expectation[] = [];
  // A host that names a region but signs for a fixed one is checked (and so pinned) in every region.
  const fixed = template.region === '{Region}' && endpoint.signingRegion !== undefined && !endpoint.signingRegion.includes('{');
  for (const partition of data.partitions.filter((p) => fits(template, p))) {
    for (const region of fixed ? partition.regions : [regionOf(template.region, partition)]) out.push(instance(model, endpoint, template, partition, region));
    // A literal host belongs to one partition.
    if (!template.suffix.startsWith('{') && template.region === undefined) break;
  }
  return out;
}

function instance(model: ServiceModel, endpoint: RuleEndpoint, template: HostTemplate, partition: Partition, region: string | undefined): Expectation {
  {
    const suffix = template.suffix === '{dnsSuffix}' ? partition.dnsSuffix : template.suffix === '{dualStackDnsSuffix}' ? partition.dualStackDnsSuffix : template.suffix;
    const dualstack = endpoint.host.includes('.dualstack.') ? ['dualstack'] : [];
    const host = [...Array<string>(template.ids).fill(ID), ...template.prefix, ...dualstack, ...(region === undefined ? [] : [region]), suffix].join('.');
    const service = endpoint.signingName ?? model.signingName;
    const from = `rule set of ${model.name}: ${endpoint.host}`;
    if (endpoint.regionSet !== undefined) return { host, service, region: undefined, algorithm: 'sigv4a', from };
    return { host, service, region: endpoint.signingRegion === '{Region}' ? region : (regionOf(endpoint.signingRegion, partition) ?? region), from };
  }
}

type Variant = { readonly hostname: string; readonly dnsSuffix: string };

/** The variants botocore would build for an endpoint: its own, then the service's, then the partition's. */
function variantsOf(endpoint: LegacyEndpoint, serviceDefaults: LegacyEndpoint | undefined, partition: LegacyPartition): Variant[] {
  const byTags = new Map<string, Variant>();
  for (const source of [endpoint.variants, serviceDefaults?.variants, partition.defaults.variants]) {
    for (const v of source ?? []) {
      const key = [...(v.tags ?? [])].sort().join(',');
      const known = byTags.get(key);
      byTags.set(key, { hostname: known?.hostname ?? v.hostname ?? '', dnsSuffix: known?.dnsSuffix ?? v.dnsSuffix ?? '' });
    }
  }
  return [...byTags.values()].filter((v) => v.hostname !== '');
}

function fromLegacyService(partition: LegacyPartition, key: string, models: Map<string, string>, data: BotocoreData): Expectation[] {
  const service = partition.services[key];
  const out: Expectation[] = [];
  const regionRe = new RegExp(`^(?:${data.partitions.map((p) => p.regionPattern).join('|')})$`);
  for (const [name, endpoint] of Object.entries(service?.endpoints ?? {})) {
    if (endpoint.deprecated) continue;
    const scope = { ...service?.defaults?.credentialScope, ...endpoint.credentialScope };
    const signing = scope.service ?? models.get(key) ?? key;
    const region = scope.region ?? (regionRe.test(name) ? name : undefined);
    const fill = (template: string, dnsSuffix: string) => template.replace('{service}', key).replace('{region}', name).replace('{dnsSuffix}', dnsSuffix);
    const base = endpoint.hostname ?? (regionRe.test(name) ? fill(service?.defaults?.hostname ?? partition.defaults.hostname ?? '', partition.dnsSuffix) : undefined);
    if (base === undefined) continue;
    out.push({ host: base, service: signing, region, from: `endpoints.json ${partition.partition} ${key} ${name}` });
    if (endpoint.hostname !== undefined && !regionRe.test(name)) continue;
    for (const v of variantsOf(endpoint, service?.defaults, partition)) {
      out.push({ host: fill(v.hostname, v.dnsSuffix || partition.dnsSuffix), service: signing, region, from: `endpoints.json ${partition.partition} ${key} ${name} variant` });
    }
  }
  return out;
}

/** Every host botocore's data describes, with what it signs as. */
export function collectExpectations(data: BotocoreData): Expectation[] {
  const out: Expectation[] = [];
  for (const model of data.services) {
    if (!model.sigv4 || HAND_WRITTEN_MODELS.has(model.name)) continue;
    for (const endpoint of model.endpoints) out.push(...fromRuleEndpoint(model, endpoint, data));
  }
  const models = modelSigningNames(data);
  const excluded = excludedPrefixes(data);
  for (const partition of data.legacy) {
    for (const key of Object.keys(partition.services)) {
      const known = models.has(key) || partition.services[key]?.defaults?.credentialScope?.service !== undefined;
      if (known && !excluded.has(key)) out.push(...fromLegacyService(partition, key, models, data));
    }
  }
  const seen = new Set<string>();
  const suffixes = data.partitions.flatMap((p) => [p.dnsSuffix, p.dualStackDnsSuffix]);
  // Hosts outside AWS's suffixes (DynamoDB Local's localhost:8000) are not inferred, by design.
  return out.filter((e) => suffixes.some((s) => e.host.endsWith(`.${s}`)) && !seen.has(e.host) && seen.add(e.host) !== undefined);
}

/**
 * The expectations a naive reading gets wrong (signing name other than the first label, or a region other
 * than the one the host names), one per host shape (region and partition suffix set aside): the committed
 * fixture test/endpoints/fixtures/botocore-hosts.txt, checked in CI without botocore.
 */
export function fixtureLines(expectations: readonly Expectation[], data: BotocoreData): string[] {
  const regionRe = new RegExp(`^(?:${data.partitions.map((p) => p.regionPattern).join('|')})$`);
  const suffixes = data.partitions.flatMap((p) => [p.dnsSuffix, p.dualStackDnsSuffix]).sort((a, b) => b.length - a.length);
  const shapes = new Map<string, Expectation>();
  for (const e of expectations) {
    const labels = e.host.split('.');
    if ((labels[0] as string).replace(/-fips$/, '') === e.service && labels.find((l) => regionRe.test(l)) === e.region) continue;
    const suffix = suffixes.find((s) => e.host.endsWith(`.${s}`)) as string;
    const shape = `${labels.map((l) => (regionRe.test(l) ? 'R' : l)).join('.').slice(0, -suffix.length)}S`;
    if (!shapes.has(shape)) shapes.set(shape, e);
  }
  return [...shapes.values()].map((e) => [e.host, e.service, e.region ?? '-', ...(e.algorithm === undefined ? [] : [e.algorithm])].join(' ')).sort();
}
