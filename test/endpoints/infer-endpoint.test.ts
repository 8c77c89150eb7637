import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { inferEndpoint } from '../../src/endpoints/index.js';
import { endpointTable } from '../../src/endpoints/endpoint-table.js';
import { PARTITIONS } from '../../src/endpoints/endpoint-table.generated.js';

// Property runs: bounded for CI; ENDPOINT_RUNS=100000 for a long run.
const RUNS = Number(process.env.ENDPOINT_RUNS ?? 300);

const HOSTS: Array<[host: string, service: string, region: string | undefined]> = [
  // S3: virtual-hosted, path-style, legacy, dualstack, accelerate, FIPS, access points, partitions
  ['my-bucket.s3.us-west-2.amazonaws.com', 's3', 'us-west-2'],
  ['my.dotted.bucket.s3.eu-central-1.amazonaws.com', 's3', 'eu-central-1'],
  ['s3.us-west-2.amazonaws.com', 's3', 'us-west-2'],
  ['s3.amazonaws.com', 's3', 'us-east-1'],
  ['my-bucket.s3.amazonaws.com', 's3', 'us-east-1'],
  ['my-bucket.s3-us-west-2.amazonaws.com', 's3', 'us-west-2'],
  ['s3-eu-west-1.amazonaws.com', 's3', 'eu-west-1'],
  ['my-bucket.s3.dualstack.ap-southeast-2.amazonaws.com', 's3', 'ap-southeast-2'],
  ['s3.dualstack.us-east-1.amazonaws.com', 's3', 'us-east-1'],
  ['my-bucket.s3-accelerate.amazonaws.com', 's3', undefined],
  ['my-bucket.s3-accelerate.dualstack.amazonaws.com', 's3', undefined],
  ['my-bucket.s3-fips.us-gov-west-1.amazonaws.com', 's3', 'us-gov-west-1'],
  ['s3-fips.dualstack.us-east-2.amazonaws.com', 's3', 'us-east-2'],
  ['reports-123456789012.s3-accesspoint.us-west-2.amazonaws.com', 's3', 'us-west-2'],
  ['reports-123456789012.s3-accesspoint.dualstack.eu-west-1.amazonaws.com', 's3', 'eu-west-1'],
  ['reports-123456789012.s3-accesspoint-fips.us-east-1.amazonaws.com', 's3', 'us-east-1'],
  ['transform-123456789012.s3-object-lambda.us-east-1.amazonaws.com', 's3-object-lambda', 'us-east-1'],
  ['op-01ac5d28a6a232904.s3-outposts.us-west-2.amazonaws.com', 's3-outposts', 'us-west-2'],
  ['bucket--usw2-az1--x-s3.s3express-usw2-az1.us-west-2.amazonaws.com', 's3express', 'us-west-2'],
  ['my-bucket.s3.cn-north-1.amazonaws.com.cn', 's3', 'cn-north-1'],
  ['123456789012.s3-control.us-east-1.amazonaws.com', 's3', 'us-east-1'],
  // OpenSearch, OpenSearch Serverless
  ['search-logs-abc123.eu-west-1.es.amazonaws.com', 'es', 'eu-west-1'],
  ['vpc-logs-abc123.us-east-1.es.amazonaws.com', 'es', 'us-east-1'],
  ['es.us-east-1.amazonaws.com', 'es', 'us-east-1'],
  ['abc123xyz.us-east-1.aoss.amazonaws.com', 'aoss', 'us-east-1'],
  // API Gateway, Lambda, AppSync
  ['a1b2c3d4e5.execute-api.us-east-1.amazonaws.com', 'execute-api', 'us-east-1'],
  ['a1b2c3d4e5.execute-api.cn-northwest-1.amazonaws.com.cn', 'execute-api', 'cn-northwest-1'],
  ['abcdefghijklmnop.lambda-url.us-east-1.on.aws', 'lambda', 'us-east-1'],
  ['lambda.eu-west-1.amazonaws.com', 'lambda', 'eu-west-1'],
  ['abcdefghijk.appsync-api.us-east-1.amazonaws.com', 'appsync', 'us-east-1'],
  // Neptune, DynamoDB, SQS, SNS
  ['my-graph.cluster-abcdefgh.us-east-1.neptune.amazonaws.com:8182', 'neptune-db', 'us-east-1'],
  ['my-graph.cluster-ro-abcdefgh.eu-west-2.neptune.amazonaws.com', 'neptune-db', 'eu-west-2'],
  ['dynamodb.us-east-1.amazonaws.com', 'dynamodb', 'us-east-1'],
  ['streams.dynamodb.ap-northeast-1.amazonaws.com', 'dynamodb', 'ap-northeast-1'],
  ['sqs.us-east-2.amazonaws.com', 'sqs', 'us-east-2'],
  ['queue.amazonaws.com', 'sqs', 'us-east-1'],
  ['eu-west-1.queue.amazonaws.com', 'sqs', 'eu-west-1'],
  ['sqs.us-east-1.api.aws', 'sqs', 'us-east-1'],
  ['sns.sa-east-1.amazonaws.com', 'sns', 'sa-east-1'],
  // STS, IAM, CloudFront, global endpoints and partitions
  ['sts.amazonaws.com', 'sts', 'us-east-1'],
  ['sts.eu-west-1.amazonaws.com', 'sts', 'eu-west-1'],
  ['sts-fips.us-east-1.amazonaws.com', 'sts', 'us-east-1'],
  ['iam.amazonaws.com', 'iam', 'us-east-1'],
  ['iam.us-gov.amazonaws.com', 'iam', 'us-gov-west-1'],
  ['iam.cn-north-1.amazonaws.com.cn', 'iam', 'cn-north-1'],
  ['cloudfront.amazonaws.com', 'cloudfront', 'us-east-1'],
  ['dynamodb.us-gov-east-1.amazonaws.com', 'dynamodb', 'us-gov-east-1'],
  // Other shapes
  ['vpce-0123456789abcdef-abcdefgh.sqs.us-east-1.vpce.amazonaws.com', 'sqs', 'us-east-1'],
  ['runtime.sagemaker.us-west-2.amazonaws.com', 'sagemaker', 'us-west-2'],
  ['bedrock-runtime.us-east-1.amazonaws.com', 'bedrock', 'us-east-1'],
  ['email.eu-west-1.amazonaws.com', 'ses', 'eu-west-1'],
  ['a1b2c3-ats.iot.us-east-1.amazonaws.com', 'iotdata', 'us-east-1'],
  ['monitoring.us-east-1.amazonaws.com', 'monitoring', 'us-east-1'],
  ['SQS.US-EAST-1.AMAZONAWS.COM', 'sqs', 'us-east-1'],
  ['sqs.us-east-1.amazonaws.com.', 'sqs', 'us-east-1'],
];

describe('inferEndpoint: service and region from real-world AWS host names', () => {
  it('covers at least 40 host names', () => {
    expect(HOSTS.length).toBeGreaterThanOrEqual(40);
  });

  it.each(HOSTS)('%s signs as %s in %s', (host, service, region) => {
    expect(inferEndpoint(host)).toEqual({ service, region });
  });

  it('marks S3 Multi-Region Access Point hosts as SigV4a for every region', () => {
    expect(inferEndpoint('mfzwi23gnjvgw.mrap.accesspoint.s3-global.amazonaws.com')).toEqual({ service: 's3', region: undefined, algorithm: 'sigv4a', regionSet: ['*'] });
  });

  it.each(['localhost', 'localhost:9000', '127.0.0.1:8080', '[::1]:8080', 'api.example.com', 'search.mycompany.internal', 'amazonaws.com', 'example.amazonaws.com'])(
    'does not guess for %s',
    (host) => {
      expect(inferEndpoint(host)).toBeUndefined();
    },
  );
});

describe('inferEndpoint: the hosts of issue 15 sign as botocore says', () => {
  // Global hosts sign for the region of their credential scope; every partition suffix is read.
  it.each([
    ['issue 15', 'appstream2.us-west-2.amazonaws.com', 'appstream', 'us-west-2'],
    ['issue 15', 'cloudhsmv2.us-west-2.amazonaws.com', 'cloudhsm', 'us-west-2'],
    ['issue 15', 'pinpoint.us-east-1.amazonaws.com', 'mobiletargeting', 'us-east-1'],
    ['issue 15', 'entitlement.marketplace.us-east-1.amazonaws.com', 'aws-marketplace', 'us-east-1'],
    ['issue 15', 'metering.marketplace.us-east-1.amazonaws.com', 'aws-marketplace', 'us-east-1'],
    ['issue 15', 'personalize-runtime.us-east-1.amazonaws.com', 'personalize', 'us-east-1'],
    ['issue 15', 'mturk-requester-sandbox.us-east-1.amazonaws.com', 'mturk-requester', 'us-east-1'],
    ['issue 15', 'data.jobs.iot.us-east-1.amazonaws.com', 'iot-jobs-data', 'us-east-1'],
    ['issue 15', 'data.jobs.iot-fips.us-gov-west-1.amazonaws.com', 'iot-jobs-data', 'us-gov-west-1'],
    ['issue 15', 'entitlement.marketplace-fips.us-east-1.api.aws', 'aws-marketplace', 'us-east-1'],
    ['issue 15', 'appstream2.cn-north-1.amazonaws.com.cn', 'appstream', 'cn-north-1'],
    ['issue 15', 'vpce-0123456789abcdef0-abcdefgh.pinpoint.eu-west-1.vpce.amazonaws.com', 'mobiletargeting', 'eu-west-1'],
    ['region-less global host', 'iam.amazonaws.com', 'iam', 'us-east-1'],
    ['region-less global host', 'ec2.amazonaws.com', 'ec2', 'us-east-1'],
    ['region-less global host', 'sts.amazonaws.com', 'sts', 'us-east-1'],
    ['region-less global host', 'route53.amazonaws.com', 'route53', 'us-east-1'],
    ['region-less global host', 'cloudfront.amazonaws.com', 'cloudfront', 'us-east-1'],
    ['region-less global host', 'budgets.amazonaws.com', 'budgets', 'us-east-1'],
    ['region-less global host', 'iam-fips.amazonaws.com', 'iam', 'us-east-1'],
    ['region-less global host', 'iam.global.api.aws', 'iam', 'us-east-1'],
    ['region-less global host', 'iam.us-gov.amazonaws.com', 'iam', 'us-gov-west-1'],
    ['region-less global host', 'route53.us-gov.amazonaws.com', 'route53', 'us-gov-west-1'],
    ['region-less global host', 'iam.global.api.amazonwebservices.com.cn', 'iam', 'cn-north-1'],
    ['region-less global host', 'route53.amazonaws.com.cn', 'route53', 'cn-northwest-1'],
    ['region-less global host', 'globalaccelerator.amazonaws.com', 'globalaccelerator', 'us-west-2'],
    ['region-less global host', 's3-external-1.amazonaws.com', 's3', 'us-east-1'],
    ['partition suffix', 'ec2.us-isob-east-1.sc2s.sgov.gov', 'ec2', 'us-isob-east-1'],
    ['partition suffix', 'ec2.us-iso-east-1.c2s.ic.gov', 'ec2', 'us-iso-east-1'],
    ['partition suffix', 'ec2.eu-isoe-west-1.cloud.adc-e.uk', 'ec2', 'eu-isoe-west-1'],
    ['partition suffix', 'ec2.us-isof-south-1.csp.hci.ic.gov', 'ec2', 'us-isof-south-1'],
    ['partition suffix', 'ec2.eusc-de-east-1.amazonaws.eu', 'ec2', 'eusc-de-east-1'],
    ['partition suffix', 'ec2.cn-north-1.api.amazonwebservices.com.cn', 'ec2', 'cn-north-1'],
    ['partition suffix', 'ec2.us-gov-east-1.api.aws', 'ec2', 'us-gov-east-1'],
  ])('%s: %s signs as %s in %s', (_kind, host, service, region) => {
    expect(inferEndpoint(host)).toEqual({ service, region });
  });

  it('reads EventBridge global endpoints and SES multi-region endpoints as SigV4a for every region', () => {
    expect(inferEndpoint('abcde.xyz.endpoint.events.amazonaws.com')).toEqual({ service: 'events', region: undefined, algorithm: 'sigv4a', regionSet: ['*'] });
    expect(inferEndpoint('abcde.endpoints.email.amazonaws.com')).toEqual({ service: 'ses', region: undefined, algorithm: 'sigv4a', regionSet: ['*'] });
  });
});

describe('inferEndpoint: hand-written shapes win over the generated table where both match', () => {
  const table = endpointTable();

  it.each([
    // The table reads `<id>.iot.<region>` as the IoT control plane; an account-specific prefix means the data plane.
    ['a1b2c3d4e5f6g7-ats.iot.us-east-1.amazonaws.com', 'iot', { service: 'iotdata', region: 'us-east-1' }],
    // S3 shapes: the table knows `s3`, `s3-control` and `s3-outposts` as prefixes, the S3 shapes decide.
    ['123456789012.s3-control.us-east-1.amazonaws.com', 's3-control', { service: 's3', region: 'us-east-1' }],
    ['op-01ac5d28a6a232904.s3-outposts.us-west-2.amazonaws.com', 's3-outposts', { service: 's3-outposts', region: 'us-west-2' }],
    ['my-bucket.s3.dualstack.ap-southeast-2.amazonaws.com', 's3', { service: 's3', region: 'ap-southeast-2' }],
    ['s3.amazonaws.com', 's3', { service: 's3', region: 'us-east-1' }],
  ])('%s (table prefix %s)', (host, prefix, expected) => {
    expect(table.signingNames.has(prefix)).toBe(true);
    expect(inferEndpoint(host)).toEqual(expected);
  });

  it.each([
    ['my-bucket.s3-us-west-2.amazonaws.com', { service: 's3', region: 'us-west-2' }],
    ['reports-123456789012.s3-accesspoint.us-west-2.amazonaws.com', { service: 's3', region: 'us-west-2' }],
    ['bucket--usw2-az1--x-s3.s3express-usw2-az1.us-west-2.amazonaws.com', { service: 's3express', region: 'us-west-2' }],
    ['mfzwi23gnjvgw.mrap.accesspoint.s3-global.amazonaws.com', { service: 's3', region: undefined, algorithm: 'sigv4a', regionSet: ['*'] }],
    ['abcdefghijklmnop.lambda-url.us-east-1.on.aws', { service: 'lambda', region: 'us-east-1' }],
    ['abcdefghijk.appsync-api.us-east-1.amazonaws.com', { service: 'appsync', region: 'us-east-1' }],
    ['search-logs-abc123.eu-west-1.es.amazonaws.com', { service: 'es', region: 'eu-west-1' }],
    ['abc123xyz.us-east-1.aoss.amazonaws.com', { service: 'aoss', region: 'us-east-1' }],
    ['my-graph.cluster-abcdefgh.us-east-1.neptune.amazonaws.com', { service: 'neptune-db', region: 'us-east-1' }],
    ['eu-west-1.queue.amazonaws.com', { service: 'sqs', region: 'eu-west-1' }],
    ['a1b2c3d4e5.execute-api.us-east-1.amazonaws.com', { service: 'execute-api', region: 'us-east-1' }],
    ['transcribestreaming.us-east-1.amazonaws.com', { service: 'transcribe', region: 'us-east-1' }],
  ])('%s: the hand-written shape', (host, expected) => {
    expect(inferEndpoint(host)).toEqual(expected);
  });
});

describe('inferEndpoint: properties', () => {
  const suffixes = [...new Set(PARTITIONS.flatMap((p) => [p[1], p[2]])), 'on.aws'];
  const underAws = (host: string) => suffixes.some((s) => host === s || host.endsWith(`.${s}`));
  const regionPattern = new RegExp(`^(?:${endpointTable().regionPattern})$`);
  const prefixes = [...endpointTable().signingNames.keys()];

  it('never guesses for a host outside AWS suffixes', () => {
    fc.assert(
      fc.property(fc.domain(), fc.option(fc.integer({ min: 1, max: 65535 })), (domain, port) => {
        fc.pre(!underAws(domain));
        expect(inferEndpoint(port === null ? domain : `${domain}:${port}`)).toBeUndefined();
      }),
      { numRuns: RUNS },
    );
  });

  it('never throws, and names a plain service and a real region when it answers', () => {
    const label = fc.stringMatching(/^[a-z0-9-]{1,20}$/);
    const awsHost = fc.tuple(fc.array(fc.oneof(label, fc.constantFrom('us-east-1', 'dualstack', 'vpce', 'fips', 'iot', 's3')), { maxLength: 6 }), fc.constantFrom(...suffixes));
    fc.assert(
      fc.property(fc.oneof(fc.string(), awsHost.map(([labels, suffix]) => [...labels, suffix].join('.'))), (host) => {
        const inferred = inferEndpoint(host);
        if (inferred === undefined) return;
        expect(inferred.service).toMatch(/^[A-Za-z0-9][A-Za-z0-9.-]*$/);
        if (inferred.region !== undefined) expect(inferred.region).toMatch(regionPattern);
      }),
      { numRuns: RUNS },
    );
  });

  it('ignores case, a port and a trailing dot, and an id label before a known prefix', () => {
    const partition = fc.constantFrom(...PARTITIONS);
    const id = fc.stringMatching(/^[a-z0-9]{6,16}$/);
    fc.assert(
      fc.property(fc.constantFrom(...prefixes.filter((p) => p !== 'iot' && !p.startsWith('s3'))), partition, id, (prefix, [, dns, , , region], resource) => {
        const host = `${prefix}.${region}.${dns}`;
        const expected = inferEndpoint(host);
        expect(inferEndpoint(`${host.toUpperCase()}.:8443`)).toEqual(expected);
        fc.pre(!endpointTable().signingNames.has(`${resource}.${prefix}`));
        expect(inferEndpoint(`${resource}.${host}`)).toEqual(expected);
      }),
      { numRuns: RUNS },
    );
  });

  it('gives up on host names longer than DNS allows, in time linear in the input', () => {
    expect(inferEndpoint(`${'a'.repeat(240)}.s3.us-east-1.amazonaws.com`)).toBeUndefined();
    expect(inferEndpoint(`${'s3.'.repeat(10_000)}amazonaws.com`)).toBeUndefined();
  });
});
