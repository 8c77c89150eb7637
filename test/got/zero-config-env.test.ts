import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import got, { RequestError } from 'got';
import { aws4Hooks, CannotInferError } from '../../src/index.js';
import { startVerifyingServer, type VerifyingServer } from '../helpers/verifying-server.js';
import { createAwsHome, type AwsHome } from '../helpers/fake-aws.js';
import { resolveToLoopback } from '../helpers/aws-host-client.js';

// The zero-configuration plugin is one module-level object whose credential cache lives as long as the
// process; this file gives it credentials from the environment, zero-config-profile.test.ts from a profile.
const env = { AWS_ACCESS_KEY_ID: 'AKIDZEROCONFIGENV', AWS_SECRET_ACCESS_KEY: 'zero/config/env/secret/0123456789abcdefgh', AWS_SESSION_TOKEN: 'ENV+SESSION/TOKEN=' };

let server: VerifyingServer;
let home: AwsHome;

beforeAll(async () => {
  server = await startVerifyingServer({ [env.AWS_ACCESS_KEY_ID]: env.AWS_SECRET_ACCESS_KEY });
  home = await createAwsHome({ env: { ...env, AWS_REGION: 'ap-south-1' } });
});
afterAll(async () => {
  await server.close();
  await home.restore();
});

const aws = () => got.extend({ dnsLookup: resolveToLoopback, retry: { limit: 0 } }, aws4Hooks);

describe('got.extend(aws4Hooks): zero configuration with credentials from the environment', () => {
  it.each([
    ['search-logs-abc.eu-west-1.es.amazonaws.com', 'es', 'eu-west-1'],
    ['my-bucket.s3.us-west-2.amazonaws.com', 's3', 'us-west-2'],
    ['abc123.execute-api.us-east-1.amazonaws.com', 'execute-api', 'us-east-1'],
    ['xyz.lambda-url.ca-central-1.on.aws', 'lambda', 'ca-central-1'],
  ])('signs a request to %s as %s in %s', async (host, service, region) => {
    server.requests.length = 0;
    await aws().get(`http://${host}:${server.port}/path`);
    const [received] = server.requests;
    expect(received?.verified).toBe(true);
    expect([received?.service, received?.region]).toEqual([service, region]);
    expect(received?.headers['x-amz-security-token']).toBe(env.AWS_SESSION_TOKEN);
  });

  it('takes the region from AWS_REGION when the host names none', async () => {
    server.requests.length = 0;
    await aws().put(`http://my-bucket.s3-accelerate.amazonaws.com:${server.port}/report.csv`, { body: 'a,b\n' });
    expect(server.requests[0]?.verified).toBe(true);
    expect(server.requests[0]?.region).toBe('ap-south-1');
  });

  it('fails before sending, naming what to pass, for a host it cannot read', async () => {
    server.requests.length = 0;
    const error = await aws().get(`${server.origin}/local`).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RequestError);
    expect((error as RequestError).cause).toBeInstanceOf(CannotInferError);
    expect((error as RequestError).message).toContain("aws4Hooks({ service:");
    expect(server.requests).toHaveLength(0);
  });
});
