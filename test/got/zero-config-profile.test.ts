import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import got from 'got';
import { aws4Hooks } from '../../src/index.js';
import { startVerifyingServer, type VerifyingServer } from '../helpers/verifying-server.js';
import { createAwsHome, type AwsHome } from '../helpers/fake-aws.js';
import { resolveToLoopback } from '../helpers/aws-host-client.js';

const profile = { accessKeyId: 'AKIDZEROCONFIGPROFILE', secretAccessKey: 'zero/config/profile/secret/0123456789abcd' };

let server: VerifyingServer;
let home: AwsHome;

beforeAll(async () => {
  server = await startVerifyingServer({ [profile.accessKeyId]: profile.secretAccessKey });
  home = await createAwsHome({
    config: '[profile reports]\nregion = eu-north-1\n',
    credentials: `[reports]\naws_access_key_id = ${profile.accessKeyId}\naws_secret_access_key = ${profile.secretAccessKey}\n`,
    env: { AWS_PROFILE: 'reports' },
  });
});
afterAll(async () => {
  await server.close();
  await home.restore();
});

describe('got.extend(aws4Hooks): zero configuration with a named profile', () => {
  it("signs with the profile's credentials and takes its region when the host names none", async () => {
    const aws = got.extend({ dnsLookup: resolveToLoopback, retry: { limit: 0 } }, aws4Hooks);
    await aws.get(`http://my-bucket.s3-accelerate.amazonaws.com:${server.port}/k`);
    await aws.get(`http://sqs.us-east-2.amazonaws.com:${server.port}/?Action=ListQueues`);
    expect(server.requests.map((r) => [r.verified, r.accessKeyId, r.service, r.region])).toEqual([
      [true, profile.accessKeyId, 's3', 'eu-north-1'],
      [true, profile.accessKeyId, 'sqs', 'us-east-2'],
    ]);
    expect(server.requests[0]?.headers['x-amz-security-token']).toBeUndefined();
  });
});
