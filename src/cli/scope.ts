/**
 * The service and region to sign for: `--service`/`--region`, else what `inferEndpoint` reads from the
 * host name, else (region only) `AWS_REGION`, `AWS_DEFAULT_REGION` or the `region` of the profile in the
 * shared config file, as the AWS CLI resolves it. The CLI resolves both before anything is sent, so the
 * plugin gets them explicitly and a missing one is reported in terms of the command line.
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
  readonly region: string;
}

/** The command-line choices the scope depends on. */
export interface ScopeChoices {
  readonly service: string | undefined;
  readonly region: string | undefined;
  readonly profile: string | undefined;
}

async function configuredRegion(profile: string | undefined, env: Readonly<Record<string, string | undefined>>): Promise<string | undefined> {
  const fromEnv = env.AWS_REGION || env.AWS_DEFAULT_REGION;
  if (fromEnv) return fromEnv;
  try {
    const { configFile } = await loadSharedConfigFiles();
    const region = configFile[profile ?? (env.AWS_PROFILE || 'default')]?.region;
    return typeof region === 'string' && region !== '' ? region : undefined;
  } catch {
    return undefined;
  }
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
  const inferred = choices.service === undefined || choices.region === undefined ? inferEndpoint(url.host) : undefined;
  const service = choices.service ?? inferred?.service;
  if (service === undefined) {
    throw new CliError(
      ExitCode.CANNOT_INFER,
      `cannot tell which AWS service to sign for from the host "${url.host}": pass --service NAME (the signing name, e.g. s3, es, ` +
        `execute-api, lambda)${choices.region === undefined ? ' and --region REGION' : ''}`,
    );
  }
  const region = choices.region ?? inferred?.region ?? (await configuredRegion(choices.profile, env));
  if (region === undefined) {
    throw new CliError(
      ExitCode.CANNOT_INFER,
      `cannot tell which AWS region to sign for: the host "${url.host}" names none, and neither AWS_REGION, AWS_DEFAULT_REGION nor ` +
        `the profile's region is set; pass --region REGION (e.g. eu-west-1)`,
    );
  }
  return { service, region };
}
