/**
 * Hosts from botocore's own endpoint data that a naive reading (first label as the service, the region label
 * as the region) gets wrong, with what botocore signs them as: one per host shape, written by the generator
 * (test/tools/generate-endpoint-table.ts) beside the table, so CI checks them without botocore installed.
 * The generator itself checks every host botocore can produce (tens of thousands) before writing either.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { inferEndpoint } from '../../src/endpoints/index.js';

const FIXTURE = new URL('./fixtures/botocore-hosts.txt', import.meta.url);

const rows = readFileSync(FIXTURE, 'utf8')
  .split('\n')
  .filter((line) => line !== '' && !line.startsWith('#'))
  .map((line) => line.split(' ') as [host: string, service: string, region: string, algorithm?: string]);

describe('botocore hosts whose signing name or region is not what the host name says', () => {
  it('the fixture holds the shapes named in issue 15', () => {
    const hosts = rows.map(([host]) => host);
    expect(hosts.length).toBeGreaterThan(150);
    for (const shape of ['appstream2.', 'cloudhsmv2.', 'pinpoint.', 'entitlement.marketplace.', 'data.jobs.iot.', 'personalize-runtime.', 'iam.us-gov.']) {
      expect(hosts.some((host) => host.startsWith(shape)), shape).toBe(true);
    }
  });

  it.each(rows)('%s signs as %s in %s', (host, service, region, algorithm) => {
    const inferred = inferEndpoint(host);
    expect(inferred?.service).toBe(service);
    if (region !== '-') expect(inferred?.region).toBe(region);
    expect(inferred?.algorithm).toBe(algorithm);
  });
});
