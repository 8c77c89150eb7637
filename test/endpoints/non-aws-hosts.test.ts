/**
 * A host that is not AWS's (a custom domain, an AWS-looking name under someone else's domain) is never
 * signed on a guess: the plugin fails before anything is sent, naming the options to pass, and the CLI
 * names `--service`; given the service and region, the same host signs.
 */
import type { LookupAddress, LookupOptions } from 'node:dns';
import got, { RequestError } from 'got';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { aws4Hooks, CannotInferError } from '../../src/index.js';
import { resolveScope } from '../../src/cli/scope.js';
import { CliError } from '../../src/cli/cli-error.js';
import { startVerifyingServer, type VerifyingServer } from '../helpers/verifying-server.js';

const credentials = { accessKeyId: 'AKIDENDPOINTTEST', secretAccessKey: 'endpoint/test/secret/0123456789abcdefghij' };

const FOREIGN_HOSTS = ['api.example.com', 'search.mycompany.internal', 's3.us-east-1.amazonaws.com.evil.example', 'amazonaws.com', 'example.amazonaws.com', 'xamazonaws.com'];

let server: VerifyingServer;
beforeAll(async () => {
  server = await startVerifyingServer({ [credentials.accessKeyId]: credentials.secretAccessKey });
});
afterAll(async () => server.close());
beforeEach(() => {
  server.requests.length = 0;
  server.respond((_request, response) => void response.end('ok'));
});

/** Every name resolves to the local server, so a request that were sent would arrive there. */
function toLocalServer(_host: string, options: LookupOptions, callback: (error: Error | null, address: string | LookupAddress[], family?: number) => void): void {
  if (options.all === true) callback(null, [{ address: '127.0.0.1', family: 4 }]);
  else callback(null, '127.0.0.1', 4);
}

describe('a host that is not AWS', () => {
  it.each(FOREIGN_HOSTS)('%s: the plugin fails before sending, naming what to pass', async (host) => {
    const port = new URL(server.origin).port;
    const client = got.extend({ retry: { limit: 0 }, dnsLookup: toLocalServer as never }, aws4Hooks({ credentials }));
    const error = await client.get(`http://${host}:${port}/x`).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RequestError);
    expect((error as RequestError).cause).toBeInstanceOf(CannotInferError);
    expect((error as RequestError).message).toContain("aws4Hooks({ service: 's3', region: 'us-east-1' })");
    expect(server.requests).toHaveLength(0);
  });

  it('signs once the service and region are given', async () => {
    const port = new URL(server.origin).port;
    const client = got.extend({ retry: { limit: 0 }, dnsLookup: toLocalServer as never }, aws4Hooks({ credentials, service: 'execute-api', region: 'eu-west-1' }));
    await client.get(`http://api.example.com:${port}/x`);
    expect(server.requests).toHaveLength(1);
    expect(server.requests[0]?.headers.authorization).toContain('/eu-west-1/execute-api/aws4_request');
  });

  it.each(FOREIGN_HOSTS)('%s: the CLI names --service and --region', async (host) => {
    const error = await resolveScope(new URL(`https://${host}/`), { service: undefined, region: undefined, profile: undefined }, {}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CliError);
    expect((error as CliError).message).toMatch(/pass --service NAME .* and --region REGION/);
  });
});
