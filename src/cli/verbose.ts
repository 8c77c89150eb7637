/**
 * What `--verbose` prints on stderr, curl-style: `*` lines for the signing (canonical request, string to
 * sign, signed header names, scope), `>` for the request head as sent, `<` for the response head.
 *
 * Nothing secret is printed. The secret key and signing key never reach this module; a session token is
 * shown as `<redacted>` wherever it would appear (the `x-amz-security-token` header, the canonical request,
 * a presigned query), and so is the `Signature=` of the `authorization` header: with it, anyone reading
 * a pasted log could replay the request until the signature expires. Secrets the user put in the URL itself
 * (an `X-Amz-Security-Token=` or `X-Amz-Signature=` in the query) are redacted from the request line and the
 * canonical request's path and query by the CLI's one rule for URLs (`printable.ts`). A proxy's password, which the proxy
 * agent sends as `proxy-authorization` on an `http:` request, is redacted too. The canonical request and
 * string to sign are what comparing with a server's `SignatureDoesNotMatch` answer needs.
 *
 * @module
 */
import type { Aws4HooksOptions } from '../got/types.js';
import { printableTarget } from './printable.js';

/**
 * What the plugin reports after signing (see `Aws4HooksOptions.onSigned`).
 * @category CLI
 */
export type SigningInfo = Parameters<NonNullable<Aws4HooksOptions['onSigned']>>[0];

/**
 * The value printed in place of a secret.
 * @category CLI
 */
export const REDACTED = '<redacted>';

/**
 * Replaces every occurrence of `secret` in `text`, raw and percent-encoded, with {@link REDACTED}.
 *
 * @param text - text that may contain the secret
 * @param secret - the value to hide; nothing is replaced when it is undefined or empty
 * @category CLI
 */
export function redact(text: string, secret: string | undefined): string {
  if (secret === undefined || secret === '') return text;
  return text.replaceAll(secret, REDACTED).replaceAll(encodeURIComponent(secret), REDACTED);
}

/**
 * The value of a request header as `--verbose` may print it.
 *
 * @param name - the header name, any case
 * @param value - its value
 * @category CLI
 */
function printableHeaderValue(name: string, value: string): string {
  const lower = name.toLowerCase();
  // The proxy's password, which the proxy agent adds to an http: request sent through it.
  if (lower === 'x-amz-security-token' || lower === 'proxy-authorization') return REDACTED;
  if (lower === 'authorization') return value.replace(/Signature=[0-9a-fA-F]+/, `Signature=${REDACTED}`);
  return value;
}

function prefixed(prefix: string, text: string): string[] {
  return text.split('\n').map((line) => `${prefix}${line}`.trimEnd());
}

/**
 * The signing block: who signed, for which scope, and the two intermediate strings.
 *
 * @param info - what the signer reported (already free of the session token)
 * @param accessKeyId - the access key id that signed (an identifier, not a secret)
 * @param temporary - whether the credentials carry a session token
 * @category CLI
 */
export function formatSigning(info: Pick<SigningInfo, 'canonicalRequest' | 'stringToSign' | 'signedHeaders'> & { readonly credentialScope?: string }, accessKeyId: string, temporary: boolean): string {
  const scope = info.credentialScope ?? info.stringToSign.split('\n')[2] ?? '';
  // Lines 1 and 2 of a canonical request are its path and query, which hold whatever the URL held.
  const canonicalRequest = info.canonicalRequest
    .split('\n')
    .map((line, i) => (i === 1 || i === 2 ? printableTarget(line) : line))
    .join('\n');
  return [
    `* Signing with ${accessKeyId}${temporary ? ' (temporary credentials, session token redacted)' : ''} for ${scope}`,
    `* Signed headers: ${info.signedHeaders}`,
    '* Canonical request:',
    ...prefixed('*   ', canonicalRequest),
    '* String to sign:',
    ...prefixed('*   ', info.stringToSign),
    '',
  ].join('\n');
}

/**
 * The request head as sent, secrets redacted.
 *
 * @param method - the HTTP method
 * @param path - the request target (path and query)
 * @param headers - the headers sent
 * @category CLI
 */
export function formatRequestHead(method: string, path: string, headers: Readonly<Record<string, unknown>>): string {
  const lines = [`> ${method} ${printableTarget(path)} HTTP/1.1`];
  for (const [name, value] of Object.entries(headers)) {
    for (const one of Array.isArray(value) ? value : [value]) lines.push(`> ${name}: ${printableHeaderValue(name, String(one))}`);
  }
  return `${lines.join('\n')}\n>\n`;
}

/**
 * The response status line and headers in wire order, as `-i` writes them (CRLF line ends) or as
 * `--verbose` writes them (`< ` prefixes, LF).
 *
 * @param response - the response's version, status and raw headers
 * @param style - `include` for `-i`, `verbose` for `-v`
 * @category CLI
 */
export function formatResponseHead(
  response: { readonly httpVersion: string; readonly statusCode: number; readonly statusMessage?: string | undefined; readonly rawHeaders: readonly string[] },
  style: 'include' | 'verbose',
): string {
  const lines = [`HTTP/${response.httpVersion} ${response.statusCode}${response.statusMessage ? ` ${response.statusMessage}` : ''}`];
  for (let i = 0; i + 1 < response.rawHeaders.length; i += 2) lines.push(`${response.rawHeaders[i]}: ${response.rawHeaders[i + 1]}`);
  lines.push('');
  return style === 'include' ? `${lines.join('\r\n')}\r\n` : `${lines.map((line) => `< ${line}`.trimEnd()).join('\n')}\n`;
}
