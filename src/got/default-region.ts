/**
 * The region when neither the options nor the host name give one: `AWS_REGION`, then
 * `AWS_DEFAULT_REGION`, then the `region` of the active profile in the shared config file, as the AWS
 * SDKs and CLI resolve it. Read per request (cheap) so a changed environment is honoured.
 *
 * The config-file reader is imported only when the environment names no region: with its part of
 * `@smithy/core` it is about a third of the package's cold import time, which most services never need.
 *
 * @module
 */
/** @internal */
export async function defaultRegion(): Promise<string | undefined> {
  const fromEnv = process.env.AWS_REGION || process.env.AWS_DEFAULT_REGION;
  if (fromEnv) return fromEnv;
  try {
    const { loadSharedConfigFiles, getProfileName } = await import('@smithy/shared-ini-file-loader');
    const { configFile } = await loadSharedConfigFiles({ ignoreCache: false });
    const region = configFile[getProfileName({})]?.region;
    return typeof region === 'string' && region !== '' ? region : undefined;
  } catch {
    return undefined;
  }
}
