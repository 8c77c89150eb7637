/**
 * Host-name inference: `inferEndpoint` over thousands of distinct hosts, so no per-host memory helps.
 *
 * Ours is imported from the BUILT `dist/endpoints/index.js` (what users get), so run `npm run build` first
 * (`npm run bench` does). The hosts: every endpoint prefix of the generated table in every partition, in
 * its regional, FIPS, dual-stack and VPC endpoint forms, plus S3 and global hosts; each call takes the next.
 *
 * Contenders:
 * - `ours`: `inferEndpoint(host)` (the first call, which parses the table, happens before timing; its cost
 *   is printed once beside the table's size, built and gzipped).
 * - `aws4`: aws4's `RequestSigner#matchHost`, the peer that also reads service and region from the host:
 *   one regular expression, `amazonaws.com` hosts only, the first label as the service (wrong for hosts such
 *   as `appstream2` or `pinpoint`, and no region for global hosts). Speed for scale, not for correctness.
 * - `cached`: a `Map` lookup of the same hosts, what the plugin's per-host cache costs on a repeat.
 *
 * @module
 */
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import aws4 from 'aws4';
import { compare, defineSuite, loadBuilt, type ScenarioResult } from './harness.js';

type Endpoints = typeof import('../../src/endpoints/index.js');
type Table = typeof import('../../src/endpoints/endpoint-table.generated.js');

function hostsFrom(table: Table): string[] {
  const prefixes = table.SIGNING_NAMES.split('\n')
    .filter((line) => line !== '')
    .map((line) => line.split(' ')[0] as string);
  const hosts: string[] = [];
  for (const [, dns, dualStack, , region] of table.PARTITIONS) {
    for (const prefix of prefixes) {
      hosts.push(`${prefix}.${region}.${dns}`, `${prefix}-fips.${region}.${dns}`, `${prefix}.${region}.${dualStack}`, `vpce-0a1b2c3d-abcd.${prefix}.${region}.vpce.${dns}`);
    }
  }
  hosts.push('my-bucket.s3.us-west-2.amazonaws.com', 'my-bucket.s3.dualstack.eu-west-1.amazonaws.com', 'iam.amazonaws.com', 'sts.amazonaws.com', 'search-logs-abc.eu-west-1.es.amazonaws.com');
  return hosts;
}

async function run(): Promise<ScenarioResult[]> {
  const table = await loadBuilt<Table>('endpoints/endpoint-table.generated.js');
  const generated = readFileSync(new URL('../../dist/endpoints/endpoint-table.generated.js', import.meta.url));
  const { inferEndpoint } = await loadBuilt<Endpoints>('endpoints/index.js');
  const started = performance.now();
  inferEndpoint('appstream2.us-west-2.amazonaws.com');
  const firstUseMs = performance.now() - started;
  process.stdout.write(
    `\n  table: ${generated.length} bytes built (${gzipSync(generated, { level: 9 }).length} gzipped), ${table.ENDPOINT_TABLE_SOURCE}; ` +
      `first lookup (parses the table): ${firstUseMs.toFixed(2)} ms\n`,
  );
  const hosts = hostsFrom(table);
  const cache = new Map(hosts.map((host) => [host, inferEndpoint(host)]));
  const signer = new aws4.RequestSigner({ host: 'sqs.us-east-1.amazonaws.com', service: 'sqs', region: 'us-east-1' }, { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' }) as unknown as {
    matchHost(host: string): string[];
  };
  let i = 0;
  const next = (): string => hosts[(i = (i + 1) % hosts.length)] as string;
  return [
    await compare(
      `inferEndpoint over ${hosts.length} distinct hosts`,
      [
        { name: 'ours', run: () => inferEndpoint(next()), note: 'inferEndpoint from dist/endpoints, a different host each call' },
        { name: 'aws4', run: () => signer.matchHost(next()), note: 'aws4 RequestSigner#matchHost: one regex, first label as service' },
        { name: 'cached', run: () => cache.get(next()), note: 'Map.get of the same hosts: the plugin per-host cache on a repeat' },
      ],
      { baseline: 'ours', description: 'service and region from a host name; ns/op is the lookup time' },
    ),
  ];
}

export default defineSuite({ name: 'endpoints', run });
