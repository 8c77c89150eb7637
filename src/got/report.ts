/**
 * What the plugin tells about a signed attempt: the caller's `onSigned` callback (a session token's value
 * reads `<redacted>` in the canonical request) and the `got-aws4auth:sign` diagnostics event, built only
 * when someone observes the channel. Neither ever holds a secret, a signature or a header value.
 *
 * @internal
 * @module
 */
import type { AwsCredentialIdentity } from '@smithy/types';
import { isObserved, publishSigning, SIGNING_CHANNEL } from '../diagnostics/channels.js';
import type { SignedRequest } from '../signer/types.js';
import type { BodyMode } from './body-plan.js';
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

function callOnSigned(onSigned: NonNullable<Aws4HooksOptions['onSigned']>, { identity, signed }: SignedReport): void {
  const token = identity.sessionToken;
  const canonicalRequest = token ? signed.canonicalRequest.replaceAll(token, '<redacted>').replaceAll(encodeURIComponent(token), '<redacted>') : signed.canonicalRequest;
  onSigned({ canonicalRequest, stringToSign: signed.stringToSign, signedHeaders: signed.signedHeaders, credentialScope: signed.credentialScope });
}
