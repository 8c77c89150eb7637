/**
 * The generated endpoint table, entry by entry: every endpoint prefix in it, in every partition, in each host
 * form AWS uses (regional, FIPS, dual-stack in both spellings, FIPS + dual-stack, VPC interface endpoint),
 * infers its signing name and region; every region-less host signs for its partition's global region;
 * every SigV4a shape and explicit host reads as listed. Not samples: the whole table.
 */
import { describe, expect, it } from 'vitest';
import { inferEndpoint } from '../../src/endpoints/index.js';
import { endpointTable } from '../../src/endpoints/endpoint-table.js';
import { ENDPOINT_TABLE_SOURCE, PARTITIONS } from '../../src/endpoints/endpoint-table.generated.js';

const table = endpointTable();
const prefixes = [...table.signingNames.keys()].sort();

// Each partition's own global region is one of its regions; a second region where the partition has several.
const EXTRA_REGIONS: Readonly<Record<string, string>> = { aws: 'eu-central-1', 'aws-cn': 'cn-north-1', 'aws-us-gov': 'us-gov-east-1' };

interface HostForm {
  readonly form: string;
  readonly host: string;
  readonly region: string;
}

/** `-fips` on the last label (what the SDK rule sets build) and on the first (endpoints.json's `models-fips.lex`). */
function fipsPrefixes(prefix: string): string[] {
  const labels = prefix.split('.');
  const last = [...labels.slice(0, -1), `${labels.at(-1)}-fips`].join('.');
  const first = [`${labels[0]}-fips`, ...labels.slice(1)].join('.');
  return [...new Set([last, first])];
}

function hostForms(prefix: string): HostForm[] {
  const forms: HostForm[] = [];
  for (const [id, dns, dualStack, , globalRegion] of PARTITIONS) {
    for (const region of [globalRegion, EXTRA_REGIONS[id]].filter((r): r is string => r !== undefined)) {
      const add = (form: string, host: string) => forms.push({ form: `${id} ${form}`, host, region });
      add('regional', `${prefix}.${region}.${dns}`);
      add('dual-stack', `${prefix}.${region}.${dualStack}`);
      add('legacy dual-stack', `${prefix}.dualstack.${region}.${dns}`);
      add('VPC endpoint', `vpce-0a1b2c3d4e5f67890-abcdefgh.${prefix}.${region}.vpce.${dns}`);
      add('zonal VPC endpoint', `vpce-0a1b2c3d4e5f67890-abcdefgh-${region}a.${prefix}.${region}.vpce.${dns}`);
      for (const fips of fipsPrefixes(prefix)) {
        add('FIPS', `${fips}.${region}.${dns}`);
        add('FIPS dual-stack', `${fips}.${region}.${dualStack}`);
      }
    }
  }
  return forms;
}

describe('the generated endpoint table', () => {
  it('records its source and covers every AWS partition', () => {
    expect(ENDPOINT_TABLE_SOURCE).toMatch(/^botocore \d+\.\d+\.\d+$/);
    expect(PARTITIONS.map((p) => p[0])).toEqual(expect.arrayContaining(['aws', 'aws-cn', 'aws-us-gov', 'aws-iso', 'aws-iso-b', 'aws-iso-e', 'aws-iso-f']));
    expect(prefixes.length).toBeGreaterThan(400);
  });

  it.each(prefixes)('%s: every partition and host form infers its signing name and region', (prefix) => {
    const service = table.signingNames.get(prefix);
    const fixed = table.fixedRegions.get(prefix);
    const wrong = hostForms(prefix)
      .map(({ form, host, region }) => ({ form, host, expected: { service, region: fixed ?? region }, got: inferEndpoint(host) }))
      .filter(({ expected, got }) => got?.service !== expected.service || got?.region !== expected.region || got?.algorithm !== undefined);
    expect(wrong).toEqual([]);
  });

  it.each(prefixes.filter((p) => !p.startsWith('s3')))('%s: the region-less host signs for the partition global region', (prefix) => {
    const suffixes = new Map<string, string>();
    for (const [, dns, , , globalRegion] of PARTITIONS) if (!suffixes.has(dns)) suffixes.set(dns, globalRegion);
    for (const [suffix, globalRegion] of suffixes) {
      const host = `${prefix}.${suffix}`;
      const explicit = table.explicitHosts.get(host);
      const expected = explicit !== undefined ? { service: explicit[0], region: explicit[1] } : { service: table.signingNames.get(prefix), region: globalRegion };
      if (host === 'globalaccelerator.amazonaws.com') continue; // hand-written, tested in infer-endpoint.test.ts
      expect(inferEndpoint(host), host).toEqual(expected);
    }
  });

  it.each([...table.sigv4aShapes])('SigV4a shape <id>.%s signs with SigV4a for its region set', (labels, shape) => {
    for (const [, dns, dualStack] of PARTITIONS) {
      for (const suffix of [dns, dualStack]) {
        expect(inferEndpoint(`abcde.fghij.${labels}.${suffix}`)).toEqual({ service: shape.service, region: undefined, algorithm: 'sigv4a', regionSet: shape.regionSet });
      }
    }
  });

  it.each([...table.explicitHosts])('explicit host %s reads as listed', (host, [service, region]) => {
    expect(inferEndpoint(host)).toEqual({ service, region });
    expect(inferEndpoint(`${host.toUpperCase()}.:443`)).toEqual({ service, region });
  });
});
