/**
 * What the plugin tells about a signed attempt: the caller's `onSigned` callback (the session token's and
 * every credential header's value read `<redacted>` in the canonical request) and the `got-aws4auth:sign` diagnostics event, built only
 * when someone observes the channel. Neither ever holds a secret, a signature or a header value.
 *
 * @internal
 * @module
 */
import type { AwsCredentialIdentity } from '@smithy/types';
import { isObserved, publishSigning, SIGNING_CHANNEL } from '../diagnostics/channels.js';
import type { SignedRequest } from '../signer/types.js';
import type { BodyMode } from './body-plan.js';
import { isSecretHeaderName } from './redact-error.js';
import type { Scope } from './scope.js';
import type { Aws4HooksOptions } from './types.js';

/** The attempt a report is about. @internal */
export interface SignedReport {
  readonly method: string;
  readonly origin: string;
  readonly scope: Scope;
  readonly bodyMode: BodyMode;
  readonly identity: AwsCredentialIdentity;
  readonly signed: SignedRequest;
}

/** Whether a report is wanted at all: without `onSigned` or an observer, none is built. @internal */
export function reportWanted(onSigned: Aws4HooksOptions['onSigned']): boolean {
  return onSigned !== undefined || isObserved(SIGNING_CHANNEL);
}

/** Calls `onSigned` and publishes the signing event. @internal */
export function reportSigned(onSigned: Aws4HooksOptions['onSigned'], report: SignedReport): void {
  if (onSigned !== undefined) callOnSigned(onSigned, report);
  publishSigning(() => ({
    method: report.method,
    origin: report.origin,
    service: report.scope.service,
    region: report.scope.sigV4a ? (report.scope.regionSet ?? [report.scope.region]).join(',') : (report.scope.region as string),
    algorithm: report.scope.sigV4a ? 'AWS4-ECDSA-P256-SHA256' : 'AWS4-HMAC-SHA256',
    signedHeaders: report.signed.signedHeaders.split(';'),
    bodyMode: report.bodyMode,
  }));
}

// A canonical header line: only header lines hold a raw colon (the path and query are percent-encoded).
const CANONICAL_HEADER_LINE = /^([^:\n]+):[^\n]*$/gm;

/**
 * The canonical request as `onSigned` sees it: the values of headers that carry a credential (the same rule
 * as error redaction: the session token, SSE-C customer keys, any `*token*` or `*secret*` header) and the
 * session token wherever else it appears read `<redacted>`.
 */
function printableCanonicalRequest(canonicalRequest: string, token: string | undefined): string {
  let text = canonicalRequest.replace(CANONICAL_HEADER_LINE, (line, name: string) => (isSecretHeaderName(name) ? `${name}:<redacted>` : line));
  if (token) text = text.replaceAll(token, '<redacted>').replaceAll(encodeURIComponent(token), '<redacted>');
  return text;
}

function callOnSigned(onSigned: NonNullable<Aws4HooksOptions['onSigned']>, { identity, signed }: SignedReport): void {
  const canonicalRequest = printableCanonicalRequest(signed.canonicalRequest, identity.sessionToken);
  onSigned({ canonicalRequest, stringToSign: signed.stringToSign, signedHeaders: signed.signedHeaders, credentialScope: signed.credentialScope });
}
