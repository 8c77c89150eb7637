/**
 * The zero-config credential source: the AWS SDK's default chain (`fromNodeProviderChain()` of
 * `@aws-sdk/credential-providers`), loaded only when first asked for credentials. Importing the SDK's
 * providers costs tens of milliseconds at start-up, which an application that passes its own credentials
 * (or only presigns, or only uses the signer) never needs to pay; and one chain is built however many
 * requests ask at the same moment, so its own memo and single flight are shared by all of them.
 *
 * @module
 */
import type { AwsCredentialIdentityProvider } from '@smithy/types';

/**
 * Returns a credential provider that, on its first call, imports `@aws-sdk/credential-providers` and builds
 * `fromNodeProviderChain()` once; every call (concurrent first calls included) then goes to that one chain.
 * If the import fails (the package is not installed), the call fails and the next call tries again.
 *
 * @example
 * ```ts
 * import { CredentialCache, defaultCredentialProvider } from 'got-aws4auth';
 * const cache = new CredentialCache(defaultCredentialProvider());
 * const identity = await cache.getCredentials();
 * console.log(identity.accessKeyId);
 * ```
 * @category Credentials
 */
export function defaultCredentialProvider(): AwsCredentialIdentityProvider {
  let chain: Promise<AwsCredentialIdentityProvider> | undefined;
  const load = (): Promise<AwsCredentialIdentityProvider> =>
    import('@aws-sdk/credential-providers').then(
      ({ fromNodeProviderChain }) => fromNodeProviderChain(),
      (error: unknown) => {
        chain = undefined;
        throw error;
      },
    );
  return async (properties) => {
    chain ??= load();
    return (await chain)(properties);
  };
}
