/**
 * Credentials for signing: a cache in front of a fixed identity or any AWS SDK v3 credential provider,
 * with refresh ahead of expiry, a single provider call per refresh, bounded waiting and typed errors.
 * Knows `@smithy/types` identities and providers; knows nothing of got or SigV4.
 *
 * @module
 */
export {
  CredentialCache,
  MIN_FORCED_REFRESH_INTERVAL_MS,
  type CredentialCacheOptions,
  type CredentialCacheSummary,
  type GetCredentialsOptions,
  type RefreshErrorInfo,
  type RefreshInfo,
} from './credential-cache.js';
export { isCredentialProvider, normalizeCredentialSource, type CredentialSource } from './credential-source.js';
export { defaultCredentialProvider } from './default-chain.js';
export { CredentialsError, CredentialsTimeoutError } from './errors.js';
export { checkIdentity, redactIdentity, type RedactedIdentity } from './identity.js';
