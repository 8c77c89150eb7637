/**
 * The inbound aws-chunked body decoded by the signer's verifying decoder.
 *
 * @module
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { Transform } from 'node:stream';
import type { ChunkedVerification } from './client-auth.js';
import { ProxyRefusal } from './refusal.js';

/** A Transform from the aws-chunked wire bytes to the decoded body. */
export function chunkedDecoder(marker: string, headers: IncomingHttpHeaders, length: number | undefined, verification: ChunkedVerification | undefined): Transform {
  void marker; void headers; void length; void verification;
  throw new ProxyRefusal(501, 'NotImplemented', 'aws-chunked bodies are not available yet.');
}
