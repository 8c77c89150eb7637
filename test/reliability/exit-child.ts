/**
 * Run by faults.test.ts as a child process: the scenarios most likely to leave a timer or socket behind
 * (hung provider with a cache timeout, hung provider with a request signal, hung STS behind the real SDK
 * provider, a throwing provider, a reset connection, a server that stalls past got's timeout, and a plain
 * signed request over keep-alive), each through `got.extend(aws4Hooks(…))`. It prints `RESULTS {json}` and
 * `WORK-ENDED`, closes the servers it started and then simply returns: it never calls `process.exit`, so
 * the parent can measure how long the process lingers.
 */
import got from 'got';
import { fromTemporaryCredentials } from '@aws-sdk/credential-providers';
import type { AwsCredentialIdentityProvider } from '@smithy/types';
import { aws4Hooks, type Aws4HooksOptions } from '../../src/index.js';
import { startFakeSts } from '../helpers/fake-aws.js';
import { startFaultProxy } from '../helpers/fault-proxy.js';
import { startVerifyingServer } from '../helpers/verifying-server.js';

const key = { accessKeyId: 'AKIDEXITCHILD', secretAccessKey: 'exit-child-secret' };
const server = await startVerifyingServer({ [key.accessKeyId]: key.secretAccessKey });
const stalling = await startVerifyingServer({ [key.accessKeyId]: key.secretAccessKey });
stalling.respond(() => {}); // never answers
const proxy = await startFaultProxy(server.origin);
const sts = await startFakeSts();
sts.fail('hang');

const hang: AwsCredentialIdentityProvider = () => new Promise(() => {});
const client = (credentials: Aws4HooksOptions['credentials'], cache: Aws4HooksOptions['credentialCache'] = {}) =>
  got.extend({ retry: { limit: 0 } }, aws4Hooks({ region: 'us-east-1', service: 's3', credentials, credentialCache: cache }));
const outcome = async (request: Promise<{ statusCode: number }>): Promise<string> => {
  try {
    return String((await request).statusCode);
  } catch (error) {
    const { code, name } = error as { code?: unknown; name?: string };
    return typeof code === 'string' ? code : String(name);
  }
};

const results: Record<string, string> = {};
results['hung provider, cache timeoutMs 200'] = await outcome(client(hang, { timeoutMs: 200 }).get(server.origin));
results['hung provider, request signal 200 ms'] = await outcome(client(hang, { timeoutMs: Number.POSITIVE_INFINITY }).get(server.origin, { signal: AbortSignal.timeout(200) }));
const assumeRole = fromTemporaryCredentials({
  params: { RoleArn: 'arn:aws:iam::123456789012:role/exit', RoleSessionName: 'exit', DurationSeconds: 900 },
  masterCredentials: key,
  clientConfig: { region: 'us-east-1', endpoint: sts.endpoint, maxAttempts: 1 },
});
results['hung STS, cache timeoutMs 200'] = await outcome(client(assumeRole, { timeoutMs: 200 }).get(server.origin));
results['throwing provider'] = await outcome(
  client(async () => {
    throw new Error('no credentials here');
  }).get(server.origin),
);
proxy.reset();
results['connection reset'] = await outcome(client(key).get(proxy.origin));
results['server stall, got timeout 200 ms'] = await outcome(client(key).get(stalling.origin, { timeout: { request: 200 } }));
results['signed request'] = await outcome(client(key).get(server.origin));

await proxy.close();
await sts.close();
await stalling.close();
await server.close();
console.log(`RESULTS ${JSON.stringify(results)}`);
console.log('WORK-ENDED');
