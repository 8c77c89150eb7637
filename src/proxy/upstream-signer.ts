/**
 * Signing for the upstream with the real credentials: the project's credential cache (refresh ahead of
 * expiry, one refresh in flight) and the signer core. The proxy signs through the signer rather than
 * through got: it streams bodies between two sockets and must be able to destroy the upstream request
 * mid-body, which is plain `node:http`; the got plugin would add a second HTTP client to the hot path
 * (measured in test/bench/proxy.bench.ts).
 *
 * @module
 */
import type { AwsCredentialIdentity } from '@smithy/types';
import { CredentialCache, type CredentialSource } from '../credentials/index.js';
import { OriginClocks } from '../got/origin-clocks.js';
import { signChunkedUpload, type ChunkedUpload } from '../signer/chunked.js';
import { signRequest } from '../signer/sign-headers.js';
import type { SignedRequest } from '../signer/types.js';
import type { CredentialsOption } from '../got/types.js';
import { ProxyRefusal } from './refusal.js';

/**
 * What to sign: the upstream URL (exactly as it will be sent), method, headers and scope.
 * @category Proxy
 */
export interface UpstreamTarget {
  /** The upstream's origin: whose clock the signing time follows. */
  readonly origin: string;
  readonly method: string;
  readonly url: string;
  readonly headers: Record<string, string | string[]>;
  readonly region: string;
  readonly service: string;
}

/**
 * Credentials for the proxy, with the fast path of a fresh cached identity taken without an await, and each
 * upstream's clock learned from its own responses' `Date` (one offset per origin in an {@link OriginClocks},
 * as the got plugin keeps them), so a local clock that is off does not make every request fail with
 * RequestTimeTooSkewed, and a skewed upstream never moves the signing time of another.
 * @category Proxy
 */
export class UpstreamSigner {
  readonly #source: CredentialsOption | undefined;
  readonly #clock: () => number;
  readonly #clocks: OriginClocks;
  #cache: CredentialCache | undefined;

  /** @param origins - how many upstream origins there are: each keeps its offset for the proxy's lifetime */
  constructor(source: CredentialsOption | undefined, clock: () => number, origins = 1) {
    this.#source = source;
    this.#clock = clock;
    this.#clocks = new OriginClocks(clock, Math.max(1, origins));
    if (source instanceof CredentialCache) this.#cache = source;
    else if (source !== undefined) this.#cache = new CredentialCache(source, { clock });
  }

  /** The current identity: cached, or fetched (the SDK's default chain when none was configured). */
  identity(): AwsCredentialIdentity | Promise<AwsCredentialIdentity> {
    return this.#cache?.peekCredentials() ?? this.#fetch();
  }

  async #fetch(): Promise<AwsCredentialIdentity> {
    if (this.#cache === undefined) {
      const { fromNodeProviderChain } = await import('@aws-sdk/credential-providers');
      this.#cache ??= new CredentialCache((this.#source ?? fromNodeProviderChain()) as CredentialSource, { clock: this.#clock });
    }
    try {
      return await this.#cache.getCredentials();
    } catch (error) {
      // The cache's errors name the source and what to do, never a secret.
      throw new ProxyRefusal(503, 'ServiceUnavailable', `The proxy has no usable AWS credentials: ${(error as Error).message}`, { cause: error });
    }
  }

  /** Forgets `identity` when it is still the cached one (the upstream said it expired), so the next request fetches anew. */
  invalidate(identity: AwsCredentialIdentity): void {
    this.#cache?.invalidate(identity);
  }

  /**
   * Learns one upstream's clock from a response's `Date` header (only responses to requests signed for
   * that origin reach here; the bounds are ClockSkew's); true when its offset changed.
   */
  observeDate(origin: string, date: string | undefined): boolean {
    return this.#clocks.for(origin).observe(date);
  }

  /** Signs a request whose body is in memory (or empty), or whose hash is given. */
  sign(target: UpstreamTarget, identity: AwsCredentialIdentity, body: Buffer | undefined, payloadHash?: string): SignedRequest {
    return signRequest(
      { method: target.method, url: target.url, headers: target.headers, body },
      { credentials: identity, region: target.region, service: target.service, date: new Date(this.#clocks.for(target.origin).now()), payloadHash },
    );
  }

  /** Signs a signed-chunk upload of `length` decoded bytes. */
  signChunked(target: UpstreamTarget, identity: AwsCredentialIdentity, length: number, chunkSize: number | undefined): ChunkedUpload {
    return signChunkedUpload(
      { method: target.method, url: target.url, headers: target.headers },
      { credentials: identity, region: target.region, service: target.service, date: new Date(this.#clocks.for(target.origin).now()) },
      { decodedLength: length, chunkSize },
    );
  }
}
