/**
 * Where the plugin's credentials come from: the `credentials` option (an identity, a provider or a shared
 * {@link CredentialCache}), else the SDK's default chain, loaded only when first needed; always through a
 * cache, through its public API only. Fresh cached credentials are taken without an await.
 *
 * @internal
 * @module
 */
import type { AwsCredentialIdentity } from '@smithy/types';
import { CredentialCache, CredentialsTimeoutError, defaultCredentialProvider } from '../credentials/index.js';
import { isInstanceOf } from '../signer/snapshot.js';
import type { PluginConfig } from './config.js';
import type { GotRequestOptions } from './types.js';

/** The plugin's credential cache, created on first use. @internal */
export class CredentialSource {
  readonly #config: PluginConfig;
  #cache: CredentialCache | undefined;

  constructor(config: PluginConfig) {
    this.#config = config;
    if (isInstanceOf(config.credentials, CredentialCache, 'aws4Hooks options.credentials')) this.#cache = config.credentials as CredentialCache;
  }

  /** The cache, once one exists (responses can only invalidate credentials that were used). */
  get cache(): CredentialCache | undefined {
    return this.#cache;
  }

  /** Credentials for one attempt: cached ones at once, else a wait bounded by the request's signal and timeout. */
  identityFor(options: GotRequestOptions): AwsCredentialIdentity | Promise<AwsCredentialIdentity> {
    // Each await lets other work run before the request goes out: none when the cache has fresh ones.
    const fresh = options.signal?.aborted !== true ? this.#cache?.peekCredentials() : undefined;
    return fresh ?? this.#fetch(options);
  }

  async #fetch(options: GotRequestOptions): Promise<AwsCredentialIdentity> {
    return credentialsFor(this.#cache ?? this.#create(), options);
  }

  /** Synchronous, so concurrent first requests share one cache and one default chain (imported at its first call). */
  #create(): CredentialCache {
    const config = this.#config;
    const source = config.credentials ?? defaultCredentialProvider();
    this.#cache ??= new CredentialCache(source as ConstructorParameters<typeof CredentialCache>[0], { clock: config.clock, ...config.credentialCache });
    return this.#cache;
  }
}

/**
 * got starts its request timer after the hooks, so the wait for credentials is bounded here by the
 * request's own signal and got's `timeout.request`, whichever ends first; the timeout fails with a typed
 * {@link CredentialsTimeoutError}.
 */
async function credentialsFor(cache: CredentialCache, options: GotRequestOptions): Promise<AwsCredentialIdentity> {
  const timeoutMs = options.timeout?.request;
  if (typeof timeoutMs !== 'number' || !Number.isFinite(timeoutMs) || timeoutMs <= 0) return cache.getCredentials({ signal: options.signal });
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new CredentialsTimeoutError(timeoutMs)), timeoutMs);
  const forward = () => controller.abort(options.signal?.reason);
  options.signal?.addEventListener('abort', forward, { once: true });
  try {
    return await cache.getCredentials({ signal: controller.signal });
  } finally {
    clearTimeout(timer);
    options.signal?.removeEventListener('abort', forward);
  }
}
