/**
 * Client authentication with client keys: every inbound request must carry a valid SigV4 signature (in
 * the Authorization header or a presigned query) by one of the configured keys; a signed aws-chunked body
 * is then checked chunk by chunk against the same key.
 *
 * @module
 */
import type { IncomingMessage } from 'node:http';
import type { ResolvedProxyOptions } from './options.js';
import type { InboundScope } from './inbound-request.js';
import { ProxyRefusal } from './refusal.js';

/** What the chunk decoder needs to check a signed body's chunk signatures. */
export interface ChunkedVerification {
  readonly signingKey: Uint8Array;
  readonly amzDate: string;
  readonly credentialScope: string;
  readonly seedSignature: string;
}

/**
 * Verifies the client's signature.
 *
 * @returns what the chunk decoder needs, for a signed aws-chunked body
 * @throws {@link ProxyRefusal} 403 for an unsigned request, an unknown key or a wrong signature
 */
export function verifyClient(req: IncomingMessage, inbound: InboundScope | undefined, options: ResolvedProxyOptions): ChunkedVerification | undefined {
  if (inbound === undefined) throw new ProxyRefusal(403, 'AccessDenied', 'This proxy requires requests signed with one of its client keys (SigV4).');
  if (options.clientKeys?.has(inbound.accessKeyId) !== true) throw new ProxyRefusal(403, 'InvalidAccessKeyId', 'The access key id is not one of this proxy\'s client keys.');
  void req;
  throw new ProxyRefusal(501, 'NotImplemented', 'Client key verification is not available yet.');
}
