/**
 * The re-signing SigV4 proxy: an HTTP server that signs requests for configured upstreams with real
 * credentials, for clients that cannot sign or must not hold the keys. See docs/proxy.md.
 *
 * @module
 */
export { createSigningProxy } from './create-proxy.js';
export { closeSigningProxy } from './shutdown.js';
export { HEALTH_PATH } from './health.js';
export type { SigningProxyOptions, UpstreamOptions, UpstreamStreaming, ClientKey, AccessLogEntry } from './types.js';
