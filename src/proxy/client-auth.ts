/**
 * Client authentication with client keys: every inbound request must carry a valid SigV4 signature (in
 * the Authorization header or a presigned query) by one of the configured keys, checked by the signer's
 * own verifier; a signed aws-chunked body is then checked chunk by chunk against the same key (the
 * verified result is the decoder's seed).
 *
 * @module
 */
import type { IncomingMessage } from 'node:http';
import { createSigV4Verifier } from '../signer/verify.js';
import type { VerifiableRequest } from '../signer/verify-input.js';
import type { VerifiedSigV4, VerifyFailure, VerifyResult } from '../signer/verify-result.js';
import type { ResolvedProxyOptions } from './options.js';
import { ProxyRefusal } from './refusal.js';
import type { InboundScope } from './inbound-request.js';
import { rulesFor } from '../signer/service-rules.js';

/**
 * What the chunk decoder needs to check a signed body's chunk signatures: the verified request.
 * @category Proxy
 */
export type ChunkedVerification = VerifiedSigV4;

/**
 * A verifier bound to the proxy's client keys and clock.
 * @category Proxy
 */
export type ClientVerifier = (req: IncomingMessage, body?: Uint8Array) => ChunkedVerification;

/**
 * Checks all a signature says before its body is read: the key is known, the date within tolerance, the
 * scope well formed, the signed headers present. Only the signature itself (which covers the body's hash)
 * is left for the body.
 * @category Proxy
 */
export type ClientPrecheck = (req: IncomingMessage) => void;

const NO_BODY = new Uint8Array(0);

function refusal(result: VerifyFailure): ProxyRefusal {
  return new ProxyRefusal(result.status, result.awsCode, `${result.message} (this proxy accepts only requests signed with one of its client keys)`);
}

/**
 * Creates the verifier for the configured client keys, and its check before the body.
 * @category Proxy
 */
export function createClientVerifier(options: ResolvedProxyOptions): { verify: ClientVerifier; precheck: ClientPrecheck } | undefined {
  if (options.clientKeys === undefined) return undefined;
  const verifier = createSigV4Verifier({ clientKeys: options.clientKeys, now: options.clock, clockToleranceMs: options.clockToleranceMs });
  const check = (req: IncomingMessage, body: Uint8Array | undefined): VerifyResult => {
    const request: VerifiableRequest = { method: req.method ?? 'GET', url: req.url ?? '/', headers: req.headersDistinct, body };
    return verifier(request);
  };
  const verify: ClientVerifier = (req, body) => {
    const result = check(req, body);
    if (!result.ok) throw refusal(result);
    return result;
  };
  // The verifier checks everything else before the signature: with an empty body in place of the real
  // one, any failure but the signature's is the request's own and refuses it before a byte is read.
  const precheck: ClientPrecheck = (req) => {
    const result = check(req, NO_BODY);
    if (!result.ok && result.reason !== 'signature-mismatch') throw refusal(result);
  };
  return { verify, precheck };
}

/**
 * Whether the signature covers the body's hash without saying it in `x-amz-content-sha256`: header auth
 * outside S3, and a presigned URL outside S3 (botocore and the presigner sign the body's hash there; S3's
 * presigned URLs sign `UNSIGNED-PAYLOAD`). The body must then be read before the request can be verified.
 * @category Proxy
 */
export function needsBodyToVerify(req: IncomingMessage, inbound: InboundScope | undefined): boolean {
  if (req.headers['x-amz-content-sha256'] !== undefined) return false;
  if (inbound?.kind === 'query' && rulesFor(inbound.service).presignPayload === 'unsigned') return false;
  if (req.headers.authorization === undefined && inbound?.kind !== 'query') return false;
  return req.headers['transfer-encoding'] !== undefined || (req.headers['content-length'] !== undefined && req.headers['content-length'] !== '0');
}
