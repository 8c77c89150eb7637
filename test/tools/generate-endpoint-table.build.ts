/**
 * Builds the endpoint table from botocore's data and renders it as the TypeScript module the library ships.
 * Where sources disagree on a prefix's signing name, a rule set's own `authSchemes` wins over endpoints.json's
 * `credentialScope`, which wins over the service model's `signingName`; each disagreement is reported.
 *
 * @module
 */
import { canonicalPrefix, parseHostTemplate, type BotocoreData, type LegacyEndpoint, type ServiceModel } from './generate-endpoint-table.data.js';

/** What the generated module holds. */
export interface Table {
  /** Endpoint prefix (labels before the region, `-fips` taken off) -> signing name. */
  readonly signingNames: Map<string, string>;
  /** Endpoint prefix -> the region it always signs for, whatever region its host names. */
  readonly fixedRegions: Map<string, string>;
  /** Exact host -> [signing name, credential-scope region], for hosts the generic reading gets wrong. */
  readonly globalHosts: Map<string, readonly [string, string]>;
  /** SigV4a shapes: the labels after the id, the signing name, the region set. */
  readonly sigv4a: Array<readonly [string, string, string]>;
  /** Disagreements between sources, for the generator's output. */
  readonly notes: string[];
}

/** Rule sets of these models are built from bucket and ARN parts; the hand-written S3 shapes cover them. */
export const HAND_WRITTEN_MODELS: ReadonlySet<string> = new Set(['s3', 's3control']);

/** The signing name of each endpoint prefix per the service models (the first SigV4 model wins). */
export function modelSigningNames(data: BotocoreData): Map<string, string> {
  const names = new Map<string, string>();
  for (const model of data.services) {
    if (model.sigv4 && !names.has(model.endpointPrefix)) names.set(model.endpointPrefix, model.signingName);
  }
  return names;
}

function adder(table: Table) {
  const rank = new Map<string, number>();
  return (prefix: string, name: string, priority: number, from: string): void => {
    const existing = table.signingNames.get(prefix);
    const existingRank = rank.get(prefix) ?? 0;
    if (existing !== undefined && existing !== name) table.notes.push(`${prefix}: ${priority > existingRank ? name : existing} chosen over ${priority > existingRank ? existing : name} (${from})`);
    if (existing === undefined || priority > existingRank) {
      table.signingNames.set(prefix, name);
      rank.set(prefix, priority);
    }
  };
}

/** `iam.global` and `iam.us-gov` name the partition's global region: inferEndpoint reads that label itself. */
function withoutScopeLabel(prefix: readonly string[], region: string | undefined, data: BotocoreData): readonly string[] {
  const last = prefix[prefix.length - 1] as string;
  const scoped = last === 'global' || data.partitions.some((p) => p.id === `aws-${last}`);
  return region === undefined && prefix.length > 1 && scoped ? prefix.slice(0, -1) : prefix;
}

function addRuleSet(model: ServiceModel, data: BotocoreData, table: Table, add: ReturnType<typeof adder>): void {
  for (const endpoint of model.endpoints) {
    const template = parseHostTemplate(endpoint.host, data.partitions);
    if (template === undefined) continue;
    const name = endpoint.signingName ?? model.signingName;
    const prefix = canonicalPrefix(withoutScopeLabel(template.prefix, template.region, data));
    if (endpoint.regionSet !== undefined && template.ids > 0) {
      const shape = [canonicalPrefix(template.prefix), name, endpoint.regionSet.join(',')] as const;
      if (!table.sigv4a.some((s) => s[0] === shape[0])) table.sigv4a.push(shape);
    } else if (endpoint.regionSet === undefined) {
      add(prefix, name, 3, `rule set of ${model.name}`);
      const region = endpoint.signingRegion;
      if (template.region === '{Region}' && region !== undefined && !region.includes('{')) table.fixedRegions.set(prefix, region);
    }
  }
}

function addLegacy(data: BotocoreData, models: Map<string, string>, excluded: ReadonlySet<string>, add: ReturnType<typeof adder>): void {
  for (const partition of data.legacy) {
    for (const [key, service] of Object.entries(partition.services)) {
      // A key no model uses and no credential scope names (docdb, neptune: hosts under rds) tells no signing name.
      if (excluded.has(key) || (!models.has(key) && service.defaults?.credentialScope?.service === undefined)) continue;
      const fallback = service.defaults?.credentialScope?.service ?? models.get(key) ?? key;
      const endpoints = Object.values(service.endpoints ?? {}) as LegacyEndpoint[];
      if (endpoints.some((e) => e.hostname === undefined)) add(key, fallback, 2, `endpoints.json ${partition.partition}`);
      for (const endpoint of endpoints) {
        const template = endpoint.hostname === undefined || endpoint.deprecated ? undefined : parseHostTemplate(endpoint.hostname, data.partitions);
        if (template === undefined) continue;
        add(canonicalPrefix(withoutScopeLabel(template.prefix, template.region, data)), endpoint.credentialScope?.service ?? fallback, 2, `endpoints.json ${endpoint.hostname}`);
      }
    }
  }
}

/** Prefixes that only non-SigV4 services use (SigV2 SimpleDB's twin excepted, which signs with SigV4). */
export function excludedPrefixes(data: BotocoreData): Set<string> {
  const sigv4 = new Set(data.services.filter((s) => s.sigv4).map((s) => s.endpointPrefix));
  return new Set(data.services.filter((s) => !s.sigv4 && !sigv4.has(s.endpointPrefix)).map((s) => s.endpointPrefix));
}

/** Builds the table (without explicit hosts: the generator adds those after checking). */
export function buildTable(data: BotocoreData): Table {
  const table: Table = { signingNames: new Map(), fixedRegions: new Map(), globalHosts: new Map(), sigv4a: [], notes: [] };
  const add = adder(table);
  const models = modelSigningNames(data);
  for (const model of data.services) {
    if (model.sigv4 && !HAND_WRITTEN_MODELS.has(model.name)) addRuleSet(model, data, table, add);
  }
  addLegacy(data, models, excludedPrefixes(data), add);
  for (const [prefix, name] of models) add(prefix, name, 1, 'service model');
  return table;
}

function lines(entries: Iterable<readonly string[]>): string {
  return [...entries]
    .map((e) => e.join(' '))
    .sort()
    .join('\n');
}

function signingLines(table: Table): string {
  return lines(
    [...table.signingNames].map(([prefix, name]) => {
      const region = table.fixedRegions.get(prefix);
      return region !== undefined ? [prefix, name, region] : prefix === name ? [prefix] : [prefix, name];
    }),
  );
}

/** The generated module's text. */
export function renderTable(table: Table, data: BotocoreData): string {
  const models = data.services.filter((s) => s.sigv4).length;
  const partitions = data.partitions.map((p) => `  [${[p.id, p.dnsSuffix, p.dualStackDnsSuffix, p.regionPattern, p.implicitGlobalRegion].map((v) => JSON.stringify(v)).join(', ')}],`);
  return `/**
 * GENERATED by test/tools/generate-endpoint-table.ts: do not edit; run \`npm run generate:endpoints\`.
 *
 * Source: botocore ${data.version} data files (${models} SigV4 service models: service-2.json metadata and
 * endpoint-rule-set-1.json; endpoints.json version ${data.endpointsVersion}; partitions.json version ${data.partitionsVersion}).
 * Each table is one entry a line, parsed once when first used (see endpoint-table.ts).
 *
 * @internal
 * @module
 */

/** The data this table was generated from. */
export const ENDPOINT_TABLE_SOURCE = ${JSON.stringify(`botocore ${data.version}`)};

/** Partitions: id, DNS suffix, dual-stack DNS suffix, region pattern, region of a host that names none. */
export const PARTITIONS: readonly (readonly [string, string, string, string, string])[] = [
${partitions.join('\n')}
];

/**
 * Endpoint prefixes (labels before the region, without \`-fips\`): \`prefix\`, \`prefix signing-name\` where they
 * differ, \`prefix signing-name region\` where every region's host signs for one region.
 */
export const SIGNING_NAMES = \`
${signingLines(table)}
\`;

/** Hosts whose credential scope the generic reading would get wrong (mostly region-less global endpoints): \`host signing-name region\`. */
export const EXPLICIT_HOSTS = \`
${lines([...table.globalHosts].map(([host, [name, region]]) => [host, name, region]))}
\`;

/** SigV4a hosts \`<id>.<labels>.<partition suffix>\`: \`labels signing-name region,set\`. */
export const SIGV4A_SHAPES = \`
${lines(table.sigv4a)}
\`;
`;
}
