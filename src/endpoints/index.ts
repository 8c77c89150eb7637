/**
 * Service and region inference from AWS host names, shared by the got plugin and the CLI.
 *
 * @module
 */
export { inferEndpoint } from './infer-endpoint.js';
export type { InferredEndpoint } from './inferred-endpoint.js';
