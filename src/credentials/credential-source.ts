/**
 * Where credentials come from: either a fixed identity or any AWS SDK v3 credential provider (a function
 * returning a promise of an identity, such as those of `@aws-sdk/credential-providers`). Normalising the
 * first into the second lets everything downstream handle one shape.
 *
 * @module
 */
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';
import { InvalidInputError } from '../signer/errors.js';
import { snapshotOwn } from '../signer/snapshot.js';

const IDENTITY_SOURCE_FIELDS = ['accessKeyId', 'secretAccessKey', 'sessionToken', 'expiration', 'credentialScope', 'accountId'] as const;

/**
 * Credentials as a caller may give them: a fixed identity, or a provider that is asked again whenever
 * the credentials need refreshing.
 *
 * @example
 * ```ts
 * import type { CredentialSource } from 'got-aws4auth';
 * import { fromNodeProviderChain } from '@aws-sdk/credential-providers';
 * const fixed: CredentialSource = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' };
 * const refreshing: CredentialSource = fromNodeProviderChain();
 * ```
 * @category Credentials
 */
export type CredentialSource = AwsCredentialIdentity | AwsCredentialIdentityProvider;

/**
 * Tells a credential provider (a function) from a fixed identity.
 *
 * @example
 * ```ts
 * import { isCredentialProvider, type CredentialSource } from 'got-aws4auth';
 * declare const source: CredentialSource;
 * if (isCredentialProvider(source)) {
 *   const identity = await source();
 *   console.log(identity.accessKeyId);
 * }
 * ```
 * @category Credentials
 */
export function isCredentialProvider(source: unknown): source is AwsCredentialIdentityProvider {
  return typeof source === 'function';
}

/**
 * Turns either kind of {@link CredentialSource} into a provider. A fixed identity becomes a provider
 * that always resolves with a snapshot of it, read once, own properties only (checking it is the job of
 * whoever calls the provider).
 *
 * @throws {@link InvalidInputError} when `source` is neither a function nor an object, or cannot be read
 * (a throwing getter, a revoked Proxy).
 *
 * @example
 * ```ts
 * import { normalizeCredentialSource } from 'got-aws4auth';
 * const provider = normalizeCredentialSource({ accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' });
 * console.log((await provider()).accessKeyId); // 'AKIDEXAMPLE'
 * ```
 * @category Credentials
 */
export function normalizeCredentialSource(source: CredentialSource): AwsCredentialIdentityProvider {
  if (isCredentialProvider(source)) return source;
  if (typeof source !== 'object' || source === null) {
    throw new InvalidInputError(
      'options.credentials',
      'must be an AWS credential identity ({ accessKeyId, secretAccessKey, sessionToken? }) or an AWS SDK v3 ' +
        `credential provider function such as fromNodeProviderChain(), got ${source === null ? 'null' : typeof source}`,
    );
  }
  // Read once, own fields only: later changes to (or getters on) the caller's object are not seen.
  const identity = snapshotOwn(source, IDENTITY_SOURCE_FIELDS, 'options.credentials');
  return () => Promise.resolve(identity as unknown as AwsCredentialIdentity);
}
