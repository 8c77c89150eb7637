/**
 * The service and region to sign for: `--service`/`--region`, else what `inferEndpoint` reads from the
 * host name, else (region only) `AWS_REGION`, `AWS_DEFAULT_REGION` or the `region` of the profile in the
 * shared config file, as the AWS CLI resolves it. The CLI resolves both before anything is sent, so the
 * plugin gets them explicitly and a missing one is reported in terms of the command line.
 *
 * A host that only accepts SigV4a (an S3 Multi-Region Access Point) is signed as the plugin signs it,
 * with SigV4a for the region set the host name implies (`*`), so it needs no region.
 *
 * @module
 */
import { loadSharedConfigFiles } from '@smithy/shared-ini-file-loader';
import { inferEndpoint } from '../endpoints/index.js';
import { CliError } from './cli-error.js';
import { ExitCode } from './exit-codes.js';

/** What to sign for. */
export interface SigningScope {
  readonly service: string;
  /** The region; undefined only with a {@link SigningScope.regionSet}, which says where the signature is valid. */
  readonly region: string | undefined;
  /** Set for SigV4a: the regions the signature is valid in (`['*']` for a Multi-Region Access Point). */
  readonly regionSet: readonly string[] | undefined;
  /** Where the region came from, as the user knows it (`--region`, `AWS_REGION`, …), for messages about it. */
  readonly regionFrom: string | undefined;
}

/** The command-line choices the scope depends on. */
export interface ScopeChoices {
  readonly service: string | undefined;
  readonly region: string | undefined;
  readonly profile: string | undefined;
}

/** The algorithm part of the signer's and the plugin's options: SigV4 for a region, or SigV4a for a region set. */
export type AlgorithmChoice = { readonly region: string } | { readonly algorithm: 'sigv4a'; readonly regionSet: readonly string[] };

interface ConfiguredRegion {
  readonly region: string;
  readonly from: string;
}

async function configuredRegion(profile: string | undefined, env: Readonly<Record<string, string | undefined>>): Promise<ConfiguredRegion | undefined> {
  if (env.AWS_REGION) return { region: env.AWS_REGION, from: 'AWS_REGION' };
  if (env.AWS_DEFAULT_REGION) return { region: env.AWS_DEFAULT_REGION, from: 'AWS_DEFAULT_REGION' };
  const name = profile ?? (env.AWS_PROFILE || 'default');
  try {
    const { configFile } = await loadSharedConfigFiles();
    const region = configFile[name]?.region;
    return typeof region === 'string' && region !== '' ? { region, from: `the region of profile "${name}"` } : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The signer's algorithm options for a scope.
 *
 * @param scope - a resolved scope
 */
export function algorithmChoice(scope: SigningScope): AlgorithmChoice {
  // SigV4a scopes its signature with the region set alone: a region given beside it would change nothing.
  if (scope.regionSet !== undefined) return { algorithm: 'sigv4a', regionSet: scope.regionSet };
  return { region: scope.region as string };
}

/**
 * Resolves the service and region.
 *
 * @param url - the request URL
 * @param choices - `--service`, `--region`, `--profile`
 * @param env - the environment to read `AWS_REGION`, `AWS_DEFAULT_REGION` and `AWS_PROFILE` from
 * @throws {@link CliError} with {@link ExitCode.CANNOT_INFER} naming the option to pass
 */
export async function resolveScope(url: URL, choices: ScopeChoices, env: Readonly<Record<string, string | undefined>>): Promise<SigningScope> {
  // Read even when both are given: the host alone says whether it needs SigV4a, as it does for the plugin.
  const inferred = inferEndpoint(url.host);
  const service = choices.service ?? inferred?.service;
  if (service === undefined) {
    throw new CliError(
      ExitCode.CANNOT_INFER,
      `cannot tell which AWS service to sign for from the host "${url.host}": pass --service NAME (the signing name, e.g. s3, es, ` +
        `execute-api, lambda)${choices.region === undefined ? ' and --region REGION' : ''}`,
    );
  }
  const regionSet = inferred?.algorithm === 'sigv4a' ? inferred.regionSet : undefined;
  if (choices.region !== undefined) return { service, region: choices.region, regionSet, regionFrom: '--region' };
  if (inferred?.region !== undefined) return { service, region: inferred.region, regionSet, regionFrom: 'the host name' };
  if (regionSet !== undefined) return { service, region: undefined, regionSet, regionFrom: undefined };
  const configured = await configuredRegion(choices.profile, env);
  if (configured === undefined) {
    throw new CliError(
      ExitCode.CANNOT_INFER,
      `cannot tell which AWS region to sign for: the host "${url.host}" names none, and neither AWS_REGION, AWS_DEFAULT_REGION nor ` +
        `the profile's region is set; pass --region REGION (e.g. eu-west-1)`,
    );
  }
  return { service, region: configured.region, regionSet, regionFrom: configured.from };
}
