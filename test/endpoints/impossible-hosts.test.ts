/**
 * Hosts that cannot exist give `undefined` (red-team 2 finding 3), so the plugin fails before sending instead
 * of signing for a scope no endpoint has: a region of one partition under another partition's suffix, extra
 * labels that would make a signing name contain dots, and a port that is not one.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { inferEndpoint } from '../../src/index.js';
import { PARTITIONS } from '../../src/endpoints/endpoint-table.generated.js';

const RUNS = Number(process.env.IMPOSSIBLE_HOSTS_RUNS ?? 200);
// One real region of each partition (its global region), and every suffix each partition uses.
const REGIONS = PARTITIONS.map(([name, , , , region]) => ({ name, region }));
const SUFFIXES = PARTITIONS.flatMap(([name, dns, dualStack]) => [dns, dualStack].map((suffix) => ({ name, suffix })));
const partitionsOf = (suffix: string) => new Set(SUFFIXES.filter((s) => s.suffix === suffix).map((s) => s.name));

describe('inferEndpoint: hosts that cannot exist', () => {
  it.each([
    'sqs.us-east-1.amazonaws.com.cn',
    'sqs.cn-north-1.amazonaws.com',
    'sqs.us-gov-west-1.amazonaws.com.cn',
    'sqs.cn-north-1.api.aws',
    'sts.us-iso-east-1.amazonaws.com',
    'bucket.s3.cn-north-1.amazonaws.com',
    'bucket.s3.us-west-2.amazonaws.com.cn',
    'search-x.cn-north-1.es.amazonaws.com',
    'sqs.us-east-1.amazonaws.com.evil.amazonaws.com',
    'abc.us-east-1.amazonaws.com.evil.amazonaws.com',
    'sqs.us-east-1.amazonaws.com:notaport',
    'sqs.us-east-1.amazonaws.com:99999',
    'sqs.us-east-1.amazonaws.com:65536',
    'sqs.us-east-1.amazonaws.com:-1',
    'sqs.us-east-1.amazonaws.com:',
    'sqs.us-east-1.amazonaws.com:4 43',
  ])('%s names no endpoint', (host) => {
    expect(inferEndpoint(host)).toBeUndefined();
  });

  it.each([
    ['sqs.us-east-1.amazonaws.com:443', 'sqs', 'us-east-1'],
    ['sqs.us-east-1.amazonaws.com:65535', 'sqs', 'us-east-1'],
    ['sqs.cn-north-1.amazonaws.com.cn', 'sqs', 'cn-north-1'],
    ['sqs.us-gov-west-1.amazonaws.com', 'sqs', 'us-gov-west-1'],
    ['sqs.us-gov-west-1.api.aws', 'sqs', 'us-gov-west-1'],
    ['bucket.s3.cn-north-1.amazonaws.com.cn', 's3', 'cn-north-1'],
    ['search-x.eu-west-1.es.amazonaws.com', 'es', 'eu-west-1'],
  ])('%s still signs as %s in %s', (host, service, region) => {
    expect(inferEndpoint(host)).toMatchObject({ service, region });
  });

  it('a region under a suffix its partition does not use is never inferred, for any service label (property)', () => {
    const mismatch = fc
      .tuple(fc.constantFrom(...REGIONS), fc.constantFrom(...SUFFIXES))
      .filter(([region, suffix]) => !partitionsOf(suffix.suffix).has(region.name));
    const label = fc.stringMatching(/^[a-z][a-z0-9-]{0,20}$/);
    fc.assert(
      fc.property(mismatch, label, fc.boolean(), ([region, suffix], service, ids) => {
        const host = `${ids ? 'abc123.' : ''}${service}.${region.region}.${suffix.suffix}`;
        expect(inferEndpoint(host), host).toBeUndefined();
      }),
      { numRuns: RUNS },
    );
  });

  it('whatever a host holds, an inferred signing name is one label (property)', () => {
    const labels = fc.array(fc.oneof(fc.stringMatching(/^[a-z0-9-]{1,12}$/), fc.constantFrom('amazonaws', 'com', 'cn', 'api', 'aws', 'us-east-1', 'cn-north-1', 'es', 's3', 'vpce')), { minLength: 1, maxLength: 8 });
    fc.assert(
      fc.property(labels, fc.constantFrom(...SUFFIXES), (parts, suffix) => {
        const inferred = inferEndpoint(`${parts.join('.')}.${suffix.suffix}`);
        if (inferred !== undefined) expect(inferred.service).toMatch(/^[A-Za-z0-9][A-Za-z0-9-]*$/);
      }),
      { numRuns: RUNS },
    );
  });
});
