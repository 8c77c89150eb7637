/**
 * Service and region inference from AWS host names, shared by the got plugin and the CLI.
 *
 * @module
 */
export { inferEndpoint, type InferredEndpoint } from './infer-endpoint.js';
