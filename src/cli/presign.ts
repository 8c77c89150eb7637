/**
 * `--presign`: a URL that anyone can use, without credentials, until it expires, made with the signer's
 * `presignRequest` from the credentials the default chain gives. Nothing is sent. A Multi-Region Access
 * Point URL is presigned with SigV4a for its region set (`X-Amz-Region-Set`), the only kind AWS accepts there.
 *
 * The URL is a bearer credential: it carries the session token of temporary credentials, as it must for the
 * server to accept it. `--verbose` shows the canonical request with that token, and any secret header it signs (an SSE-C key), redacted.
 *
 * @module
 */
import type { Writable } from 'node:stream';
import type { AwsCredentialIdentity } from '@smithy/types';
import { presignRequest } from '../signer/presign.js';
import { UNSIGNED_PAYLOAD } from '../signer/payload-hash.js';
import type { CliRequest } from './args.js';
import { algorithmChoice, type SigningScope } from './scope.js';
import { formatSigning } from './verbose.js';

/**
 * Presigns the request and prints the URL on `stdout`.
 *
 * @param request - the method, URL, headers and expiry from the command line
 * @param scope - the service and region to sign for
 * @param identity - the credentials to sign with
 * @param io - stdout for the URL, stderr for `--verbose`
 * @category CLI
 */
export function presign(request: CliRequest, scope: SigningScope, identity: AwsCredentialIdentity, io: { readonly stdout: Writable; readonly stderr: Writable }): void {
  const headers: Record<string, string[]> = {};
  for (const [name, value] of request.headers) if (value !== undefined) (headers[name.toLowerCase()] ??= []).push(value);
  const presigned = presignRequest(
    { method: request.method, url: request.url, headers },
    {
      credentials: identity,
      service: scope.service,
      ...algorithmChoice(scope),
      expiresIn: request.presignExpires ?? 3600,
      payloadHash: request.unsignedPayload ? UNSIGNED_PAYLOAD : undefined,
    },
  );
  if (request.verbose) io.stderr.write(formatSigning(presigned, identity.accessKeyId, identity.sessionToken));
  io.stdout.write(`${presigned.url}\n`);
}
