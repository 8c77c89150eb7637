/**
 * The service and region to sign for: `--service`/`--region`, else what `inferEndpoint` reads from the
 * host name, else (region only) `AWS_REGION`, `AWS_DEFAULT_REGION` or the `region` of the profile in the
 * shared config file, as the AWS CLI resolves it. The resolution is the plugin's own (`src/got/scope.ts`);
 * the CLI resolves before anything is sent, so the plugin gets the scope explicitly and a missing part is
 * reported in terms of the command line.
 *
 * A host that only accepts SigV4a (an S3 Multi-Region Access Point) is signed as the plugin signs it,
 * with SigV4a for the region set the host name implies (`*`), so it needs no region.
 *
 * @module
 */
import { resolveScope as resolveSharedScope } from '../got/scope.js';
import { defaultRegion } from '../got/default-region.js';
import { CannotInferError } from '../got/errors.js';
import { CliError } from './cli-error.js';
import { ExitCode } from './exit-codes.js';

/**
 * What to sign for.
 * @category CLI
 */
export interface SigningScope {
  readonly service: string;
  /** The region; undefined only with a {@link SigningScope.regionSet}, which says where the signature is valid. */
  readonly region: string | undefined;
  /** Set for SigV4a: the regions the signature is valid in (`['*']` for a Multi-Region Access Point). */
  readonly regionSet: readonly string[] | undefined;
  /** Where the region came from, as the user knows it (`--region`, `AWS_REGION`, …), for messages about it. */
  readonly regionFrom: string | undefined;
}

/**
 * The command-line choices the scope depends on.
 * @category CLI
 */
export interface ScopeChoices {
  readonly service: string | undefined;
  readonly region: string | undefined;
  readonly profile: string | undefined;
}

/**
 * The algorithm part of the signer's and the plugin's options: SigV4 for a region, or SigV4a for a region set.
 * @category CLI
 */
export type AlgorithmChoice = { readonly region: string } | { readonly algorithm: 'sigv4a'; readonly regionSet: readonly string[] };

/**
 * The signer's algorithm options for a scope.
 *
 * @param scope - a resolved scope
 * @category CLI
 */
export function algorithmChoice(scope: SigningScope): AlgorithmChoice {
  // SigV4a scopes its signature with the region set alone: a region given beside it would change nothing.
  if (scope.regionSet !== undefined) return { algorithm: 'sigv4a', regionSet: scope.regionSet };
  return { region: scope.region as string };
}

function cannotInfer(error: CannotInferError, choices: ScopeChoices): CliError {
  if (error.missing === 'service') {
    return new CliError(
      ExitCode.CANNOT_INFER,
      `cannot tell which AWS service to sign for from the host "${error.host}": pass --service NAME (the signing name, e.g. s3, es, ` +
        `execute-api, lambda)${choices.region === undefined ? ' and --region REGION' : ''}`,
    );
  }
  return new CliError(
    ExitCode.CANNOT_INFER,
    `cannot tell which AWS region to sign for: the host "${error.host}" names none, and neither AWS_REGION, AWS_DEFAULT_REGION nor ` +
      `the profile's region is set; pass --region REGION (e.g. eu-west-1)`,
  );
}

/**
 * Resolves the service and region, as the plugin does.
 *
 * @param url - the request URL
 * @param choices - `--service`, `--region`, `--profile`
 * @param env - the environment to read `AWS_REGION`, `AWS_DEFAULT_REGION` and `AWS_PROFILE` from
 * @throws {@link CliError} with {@link ExitCode.CANNOT_INFER} naming the option to pass
 * @category CLI
 */
export async function resolveScope(url: URL, choices: ScopeChoices, env: Readonly<Record<string, string | undefined>>): Promise<SigningScope> {
  try {
    const scope = await resolveSharedScope(
      { service: choices.service, region: choices.region, algorithm: undefined, regionSet: undefined },
      url.host,
      () => defaultRegion(env, choices.profile),
    );
    const regionFrom = scope.regionFrom === 'choice' ? '--region' : scope.regionFrom === 'host' ? 'the host name' : scope.regionFrom;
    return { service: scope.service, region: scope.region, regionSet: scope.sigV4a ? scope.regionSet : undefined, regionFrom };
  } catch (error) {
    if (error instanceof CannotInferError) throw cannotInfer(error, choices);
    throw error;
  }
}
