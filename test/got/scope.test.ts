/**
 * The scope resolver the plugin and the CLI share: the options first, then the host name, then (region only)
 * AWS_REGION, AWS_DEFAULT_REGION or the profile; SigV4a for a Multi-Region Access Point host needs no region.
 */
import { describe, expect, it } from 'vitest';
import { resolveScope, type ScopeChoices } from '../../src/got/scope.js';
import { resolveScope as cliResolveScope } from '../../src/cli/scope.js';
import { CannotInferError } from '../../src/index.js';

const none: ScopeChoices = { region: undefined, service: undefined, algorithm: undefined, regionSet: undefined };
const noFallback = async () => undefined;
const HOSTS = ['my-bucket.s3.eu-west-1.amazonaws.com', 'search-logs-abc.us-west-2.es.amazonaws.com', 'mfzwi23gnjvgw.mrap.accesspoint.s3-global.amazonaws.com', 'sqs.ap-south-1.amazonaws.com', 'localhost:9000'];

describe('resolveScope', () => {
  it('takes the service and region from the host name', () => {
    expect(resolveScope(none, 'my-bucket.s3.eu-west-1.amazonaws.com', noFallback)).toEqual({ service: 's3', region: 'eu-west-1', sigV4a: false, regionSet: undefined, regionFrom: 'host' });
  });

  it('prefers the options, and signs a Multi-Region Access Point with SigV4a for every region without a region', () => {
    expect(resolveScope({ ...none, region: 'us-east-1' }, 'my-bucket.s3.eu-west-1.amazonaws.com', noFallback)).toMatchObject({ region: 'us-east-1', regionFrom: 'choice' });
    expect(resolveScope(none, 'mfzwi23gnjvgw.mrap.accesspoint.s3-global.amazonaws.com', noFallback)).toMatchObject({ service: 's3', region: undefined, sigV4a: true, regionSet: ['*'] });
  });

  it('falls back to the configured region, and names what is missing', async () => {
    await expect(resolveScope({ ...none, service: 'execute-api' }, 'api.example.com', async () => ({ region: 'eu-north-1', from: 'AWS_REGION' }))).resolves.toMatchObject({ region: 'eu-north-1', regionFrom: 'AWS_REGION' });
    await expect(resolveScope({ ...none, service: 'execute-api' }, 'api.example.com', noFallback)).rejects.toMatchObject({ missing: 'region' });
    expect(() => resolveScope(none, 'localhost:9000', noFallback)).toThrow(CannotInferError);
  });

  it('gives the CLI the same scope as the plugin for the same choices and host', async () => {
    const env = { AWS_REGION: 'ca-central-1' };
    for (const host of HOSTS) {
      for (const service of [undefined, 'execute-api']) {
        const plugin = await (async () => resolveScope({ ...none, service }, host, async () => ({ region: 'ca-central-1', from: 'AWS_REGION' })))().catch((e: unknown) => e);
        const cli = await cliResolveScope(new URL(`https://${host}/`), { service, region: undefined, profile: undefined }, env).catch((e: unknown) => e);
        if (plugin instanceof Error) {
          expect(cli).toBeInstanceOf(Error);
          continue;
        }
        expect(cli).toMatchObject({ service: (plugin as { service: string }).service, region: (plugin as { region?: string }).region });
      }
    }
  });
});
