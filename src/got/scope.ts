/**
 * What a request is signed for: the service, the region and the algorithm. The options come first, then the
 * host name (`inferEndpoint`: a Multi-Region Access Point host means SigV4a for every region), then, for the
 * region only, `AWS_REGION`, `AWS_DEFAULT_REGION` or the profile ({@link defaultRegion}). The region may stay
 * unknown only for SigV4a with a region set. The plugin and the CLI both resolve scopes here.
 *
 * @internal
 * @module
 */
import { inferEndpoint, type InferredEndpoint } from '../endpoints/index.js';
import { CannotInferError } from './errors.js';
import { defaultRegion, type ConfiguredRegion } from './default-region.js';

/** The choices a scope depends on: each may be left to inference. @internal */
export interface ScopeChoices {
  readonly region: string | undefined;
  readonly service: string | undefined;
  readonly algorithm: 'sigv4' | 'sigv4a' | undefined;
  readonly regionSet: readonly string[] | undefined;
}

/** A resolved scope. @internal */
export interface Scope {
  readonly service: string;
  /** Undefined only for SigV4a with a region set. */
  readonly region: string | undefined;
  readonly sigV4a: boolean;
  readonly regionSet: readonly string[] | undefined;
  /** Where the region came from: the choices, the host name, or the configured fallback's own label. */
  readonly regionFrom: 'choice' | 'host' | string | undefined;
}

/** Where a region missing from the choices and the host may be found. @internal */
export type RegionFallback = () => Promise<ConfiguredRegion | undefined>;

/**
 * Resolves a scope; synchronous unless the region needs the fallback (which may read a file).
 *
 * @throws {@link CannotInferError} naming the missing service or region
 * @internal
 */
export function resolveScope(choices: ScopeChoices, host: string, fallback: RegionFallback = defaultRegion, infer = inferEndpoint): Scope | Promise<Scope> {
  const configured = choices.algorithm === 'sigv4a';
  if (choices.region !== undefined && choices.service !== undefined && choices.algorithm !== undefined) {
    return { region: choices.region, service: choices.service, sigV4a: configured, regionSet: choices.regionSet, regionFrom: 'choice' };
  }
  // Read even when region and service are given: the host alone says whether it needs SigV4a.
  const inferred = infer(host);
  const service = choices.service ?? inferred?.service;
  if (service === undefined) throw new CannotInferError('service', host);
  const sigV4a = choices.algorithm === undefined ? inferred?.algorithm === 'sigv4a' : configured;
  const regionSet = choices.regionSet ?? (sigV4a && choices.algorithm === undefined ? inferred?.regionSet : undefined);
  if (choices.region !== undefined) return { region: choices.region, service, sigV4a, regionSet, regionFrom: 'choice' };
  if (inferred?.region !== undefined) return { region: inferred.region, service, sigV4a, regionSet, regionFrom: 'host' };
  if (sigV4a && regionSet !== undefined) return { region: undefined, service, sigV4a, regionSet, regionFrom: undefined };
  return fallback().then((found) => {
    if (found === undefined) throw new CannotInferError('region', host);
    return { region: found.region, service, sigV4a, regionSet, regionFrom: found.from };
  });
}

/**
 * The plugin's resolver: its options are fixed, so a scope depends on the host alone; the last one worked
 * out is remembered, and host inference is cached for up to 256 hosts.
 *
 * @internal
 */
export class ScopeResolver {
  readonly #choices: ScopeChoices;
  readonly #inferred = new Map<string, InferredEndpoint | undefined>();
  #lastHost = '';
  #lastScope: Scope | undefined;

  constructor(choices: ScopeChoices) {
    this.#choices = choices;
  }

  /** The scope for a host, as {@link resolveScope}. */
  scopeFor(host: string): Scope | Promise<Scope> {
    if (host === this.#lastHost && this.#lastScope !== undefined) return this.#lastScope;
    const scope = resolveScope(this.#choices, host, defaultRegion, (h) => this.#infer(h));
    // A scope from the fallback is not remembered: the environment may change between requests.
    if (!(scope instanceof Promise)) {
      this.#lastHost = host;
      this.#lastScope = scope;
    }
    return scope;
  }

  #infer(host: string): InferredEndpoint | undefined {
    if (this.#inferred.has(host)) return this.#inferred.get(host);
    const inferred = inferEndpoint(host);
    if (this.#inferred.size >= 256) this.#inferred.clear();
    this.#inferred.set(host, inferred);
    return inferred;
  }
}
