/**
 * The S3 path as the client itself signed it. For S3, botocore (`S3SigV4Auth`) and `@smithy/signature-v4`
 * (`uriEscapePath: false`, as `@aws-sdk/client-s3` uses it) put the request path into the canonical request
 * exactly as it is sent; this signer decodes it and encodes it exactly once. For every path an SDK builds
 * (each key segment percent-encoded, `/` kept) the two are the same string. They differ only for a path
 * written by hand in another form: `%2F` for a slash, a raw `+`, `%41` for `A`, lower-case hex. Ceph RGW
 * verifies the signer's form and refuses the raw one (test/integration/s3-key-paths-rgw.test.ts), while
 * botocore and the SDK sign the raw one: the verifier accepts either, each of which commits to the path
 * that was sent.
 *
 * @internal
 * @module
 */
import { rulesFor } from './service-rules.js';
import { signature, stringToSign } from './string-to-sign.js';

/**
 * The path of a request target exactly as received (`/path?query`, or an absolute URL), without query or
 * fragment; `/` when an absolute URL has none.
 *
 * @internal
 */
export function rawPathOf(target: string): string {
  let start = 0;
  if (!target.startsWith('/')) {
    const scheme = target.indexOf('://');
    start = scheme === -1 ? 0 : target.indexOf('/', scheme + 3);
    if (start === -1) return '/';
  }
  let end = target.length;
  for (let i = start; i < target.length; i++) {
    const code = target.charCodeAt(i);
    if (code === 63 /* ? */ || code === 35 /* # */) {
      end = i;
      break;
    }
  }
  return end === start ? '/' : target.slice(start, end);
}

/**
 * The signature the client would have made by signing `rawPath` as is, when the service signs paths
 * unnormalised and encoded once (the S3 family) and that differs from the signer's canonical path;
 * otherwise `undefined` (nothing else to try).
 *
 * @param canonicalRequest - the canonical request the signer built for the request
 * @internal
 */
export function rawPathSignature(
  canonicalRequest: string,
  rawPath: string,
  service: string,
  amzDate: string,
  credentialScope: string,
  signingKey: Uint8Array,
): string | undefined {
  const { normalize, doubleEncode } = rulesFor(service).pathRules;
  if (normalize || doubleEncode) return undefined;
  const methodEnd = canonicalRequest.indexOf('\n');
  const pathEnd = canonicalRequest.indexOf('\n', methodEnd + 1);
  if (canonicalRequest.slice(methodEnd + 1, pathEnd) === rawPath) return undefined;
  const rawCanonical = `${canonicalRequest.slice(0, methodEnd + 1)}${rawPath}${canonicalRequest.slice(pathEnd)}`;
  return signature(signingKey, stringToSign(amzDate, credentialScope, rawCanonical));
}
