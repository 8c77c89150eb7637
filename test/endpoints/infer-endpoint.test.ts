import { describe, expect, it } from 'vitest';
import { inferEndpoint } from '../../src/endpoints/index.js';

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
