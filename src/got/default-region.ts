/**
 * The region when neither the options nor the host name give one: `AWS_REGION`, then
 * `AWS_DEFAULT_REGION`, then the `region` of the active profile in the shared config file, as the AWS
 * SDKs and CLI resolve it. Read per request (cheap) so a changed environment is honoured. The plugin and
 * the CLI both resolve it here.
 *
 * The config-file reader is imported only when the environment names no region: with its part of
 * `@smithy/core` it was about a third of the package's cold import time, which most services never need.
 *
 * @module
 */
/** A region and where it was found, as the user knows the place (`AWS_REGION`, `the region of profile "x"`). @internal */
export interface ConfiguredRegion {
  readonly region: string;
  readonly from: string;
}

/**
 * @param env - the environment to read `AWS_REGION`, `AWS_DEFAULT_REGION` and `AWS_PROFILE` from
 * @param profile - the profile to read, instead of `AWS_PROFILE` (or `default`)
 * @internal
 */
export async function defaultRegion(env: Readonly<Record<string, string | undefined>> = process.env, profile?: string): Promise<ConfiguredRegion | undefined> {
  if (env.AWS_REGION) return { region: env.AWS_REGION, from: 'AWS_REGION' };
  if (env.AWS_DEFAULT_REGION) return { region: env.AWS_DEFAULT_REGION, from: 'AWS_DEFAULT_REGION' };
  const name = profile ?? (env.AWS_PROFILE || 'default');
  try {
    const { loadSharedConfigFiles } = await import('@smithy/shared-ini-file-loader');
    const { configFile } = await loadSharedConfigFiles({ ignoreCache: false });
    const region = configFile[name]?.region;
    return typeof region === 'string' && region !== '' ? { region, from: `the region of profile "${name}"` } : undefined;
  } catch {
    return undefined;
  }
}
