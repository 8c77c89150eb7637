/**
 * The endpoint-table generator's pure parts (test/tools/generate-endpoint-table.*), on hand-made data so
 * they run without botocore: host templates taken apart, prefixes canonicalised, sources ranked.
 */
import { describe, expect, it } from 'vitest';
import { canonicalPrefix, parseHostTemplate, type BotocoreData, type Partition } from '../../test/tools/generate-endpoint-table.data.js';
import { buildTable, renderTable } from '../../test/tools/generate-endpoint-table.build.js';

const PARTITIONS: Partition[] = [
  { id: 'aws', dnsSuffix: 'amazonaws.com', dualStackDnsSuffix: 'api.aws', regionPattern: '(?:us|eu)-\\w+-\\d+', implicitGlobalRegion: 'us-east-1', regions: ['us-east-1', 'eu-west-1'] },
  { id: 'aws-us-gov', dnsSuffix: 'amazonaws.com', dualStackDnsSuffix: 'api.aws', regionPattern: 'us-gov-\\w+-\\d+', implicitGlobalRegion: 'us-gov-west-1', regions: ['us-gov-west-1'] },
];

describe('parseHostTemplate', () => {
  it.each([
    ['data.jobs.iot-fips.{Region}.{PartitionResult#dnsSuffix}', { prefix: ['data', 'jobs', 'iot-fips'], ids: 0, region: '{Region}', suffix: '{dnsSuffix}' }],
    ['{AccountId}.ddb.{Region}.{PartitionResult#dualStackDnsSuffix}', { prefix: ['ddb'], ids: 1, region: '{Region}', suffix: '{dualStackDnsSuffix}' }],
    ['account.{PartitionResult#implicitGlobalRegion}.{PartitionResult#dnsSuffix}', { prefix: ['account'], ids: 0, region: '{implicitGlobalRegion}', suffix: '{dnsSuffix}' }],
    ['iam.us-gov.amazonaws.com', { prefix: ['iam', 'us-gov'], ids: 0, region: undefined, suffix: 'amazonaws.com' }],
    ['sts.us-east-1.amazonaws.com', { prefix: ['sts'], ids: 0, region: 'us-east-1', suffix: 'amazonaws.com' }],
    ['s3.dualstack.{Region}.{PartitionResult#dnsSuffix}', { prefix: ['s3'], ids: 0, region: '{Region}', suffix: '{dnsSuffix}' }],
  ])('takes %s apart', (host, expected) => {
    expect(parseHostTemplate(host, PARTITIONS)).toEqual(expected);
  });

  it.each(['{Endpoint}', 'localhost:8000', '{x}.{OperationType}-kinesis.{Region}.{PartitionResult#dnsSuffix}', 'foo.{Region}.bar.{PartitionResult#dnsSuffix}'])(
    'leaves %s out (no prefix the table can hold)',
    (host) => {
      expect(parseHostTemplate(host, PARTITIONS)).toBeUndefined();
    },
  );

  it('canonicalises FIPS labels wherever they are', () => {
    expect(canonicalPrefix(['models-fips', 'lex'])).toBe('models.lex');
    expect(canonicalPrefix(['entitlement', 'marketplace-fips'])).toBe('entitlement.marketplace');
  });
});

describe('buildTable', () => {
  const endpoint = (host: string, signingName?: string, signingRegion?: string) => ({ host, signingName, signingRegion, regionSet: undefined });
  const data: BotocoreData = {
    version: '0.0.0',
    endpointsVersion: '3',
    partitionsVersion: '1.1',
    partitions: PARTITIONS,
    services: [
      { name: 'pinpoint', sigv4: true, endpointPrefix: 'pinpoint', signingName: 'mobiletargeting', endpoints: [endpoint('pinpoint-fips.{Region}.{PartitionResult#dnsSuffix}')] },
      { name: 'iam', sigv4: true, endpointPrefix: 'iam', signingName: 'iam', endpoints: [endpoint('iam.us-gov.amazonaws.com', undefined, 'us-gov-west-1')] },
      { name: 'sust', sigv4: true, endpointPrefix: 'sust', signingName: 'sust', endpoints: [endpoint('api.sust.{Region}.{PartitionResult#dnsSuffix}', undefined, 'us-east-1')] },
      { name: 'old', sigv4: false, endpointPrefix: 'old', signingName: 'old', endpoints: [] },
      { name: 'events', sigv4: true, endpointPrefix: 'events', signingName: 'events', endpoints: [{ host: '{EndpointId}.endpoint.events.{PartitionResult#dnsSuffix}', signingName: 'events', signingRegion: undefined, regionSet: ['*'] }] },
    ],
    legacy: [
      {
        partition: 'aws',
        dnsSuffix: 'amazonaws.com',
        defaults: {},
        services: {
          'data.iot': { defaults: { credentialScope: { service: 'iotdata' } }, endpoints: { 'us-east-1': {} } },
          docdb: { endpoints: { 'us-east-1': { hostname: 'rds.us-east-1.amazonaws.com' } } },
          old: { endpoints: { 'us-east-1': {} } },
        },
      },
    ],
  };
  const table = buildTable(data);

  it('maps each endpoint prefix to its signing name, from rule sets, endpoints.json and service models', () => {
    expect(Object.fromEntries(table.signingNames)).toEqual({ pinpoint: 'mobiletargeting', iam: 'iam', 'api.sust': 'sust', sust: 'sust', events: 'events', 'data.iot': 'iotdata' });
  });

  it('keeps a region fixed where every region host signs for one, and SigV4a shapes apart', () => {
    expect(Object.fromEntries(table.fixedRegions)).toEqual({ 'api.sust': 'us-east-1' });
    expect(table.sigv4a).toEqual([['endpoint.events', 'events', '*']]);
  });

  it('ranks a rule set over endpoints.json over the service model, and reports the disagreement', () => {
    const disagreeing: BotocoreData = {
      ...data,
      services: [{ name: 'x', sigv4: true, endpointPrefix: 'x', signingName: 'from-model', endpoints: [endpoint('x.{Region}.{PartitionResult#dnsSuffix}', 'from-rule-set')] }],
      legacy: [{ partition: 'aws', dnsSuffix: 'amazonaws.com', defaults: {}, services: { x: { defaults: { credentialScope: { service: 'from-endpoints-json' } }, endpoints: { 'us-east-1': {} } } } }],
    };
    const ranked = buildTable(disagreeing);
    expect(ranked.signingNames.get('x')).toBe('from-rule-set');
    expect(ranked.notes).toHaveLength(2);
  });

  it('renders a module that records its source', () => {
    const text = renderTable(table, data);
    expect(text).toContain('export const ENDPOINT_TABLE_SOURCE = "botocore 0.0.0";');
    expect(text).toContain('\napi.sust sust us-east-1\n');
    expect(text).toContain('\npinpoint mobiletargeting\n');
  });
});
