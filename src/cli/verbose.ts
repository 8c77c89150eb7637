/**
 * What `--verbose` prints on stderr, curl-style: `*` lines for the signing (canonical request, string to
 * sign, signed header names, scope), `>` for the request head as sent, `<` for the response head.
 *
 * Nothing secret is printed. The secret key and signing key never reach this module. Header values, in
 * the canonical request, the `>` head and the `<` head alike, follow one rule (`printable-headers.ts`, the
 * plugin's own list of credential headers): the session token, S3 Express session tokens, SSE-C customer
 * keys, a proxy's password (`proxy-authorization`) and the `Signature=` of the `authorization` header show
 * as `<redacted>` (with the signature, anyone reading a pasted log could replay the request until it
 * expires), and so does the session token or any of those values wherever else it appears. Secrets in a
 * URL (an `X-Amz-Security-Token=` or `X-Amz-Signature=` in the query, user info) are redacted from the
 * request line, the canonical request's path and query, and any header value such as a redirect's
 * `Location` by the CLI's one rule for URLs (`printable.ts`). The canonical request and string to sign are
 * what comparing with a server's `SignatureDoesNotMatch` answer needs.
 *
 * @module
 */
import type { Aws4HooksOptions } from '../got/types.js';
import { printableTarget } from './printable.js';
import { blockPrinter } from './printable-headers.js';

/**
 * What the plugin reports after signing (see `Aws4HooksOptions.onSigned`).
 * @category CLI
 */
export type SigningInfo = Parameters<NonNullable<Aws4HooksOptions['onSigned']>>[0];

function prefixed(prefix: string, text: string): string[] {
  return text.split('\n').map((line) => `${prefix}${line}`.trimEnd());
}

/**
 * The canonical request as `--verbose` may print it: the path and query by the rule for URLs, each header
 * line by the rule for header values.
 */
function printableCanonicalRequest(text: string, known: readonly (string | undefined)[]): string {
  const lines = text.split('\n');
  // Lines 0 to 2 are the method, path and query; the headers run to the first empty line after them.
  const blank = lines.indexOf('', 3);
  const end = blank === -1 ? lines.length : blank;
  const headerLines = lines.slice(3, end).map((line): [string, string] => {
    const colon = line.indexOf(':');
    return colon === -1 ? [line, ''] : [line.slice(0, colon), line.slice(colon + 1)];
  });
  const printer = blockPrinter(headerLines, known);
  const printed = headerLines.map(([name, value]) => `${name}:${printer.header(name, value)}`);
  return [...lines.slice(0, 3).map((line, i) => (i === 0 ? line : printableTarget(printer.text(line)))), ...printed, ...lines.slice(end)].join('\n');
}

/**
 * The signing block: who signed, for which scope, and the two intermediate strings.
 *
 * @param info - what the signer reported
 * @param accessKeyId - the access key id that signed (an identifier, not a secret)
 * @param sessionToken - the session token signed with, hidden wherever it appears; undefined for long-term keys
 * @category CLI
 */
export function formatSigning(
  info: Pick<SigningInfo, 'canonicalRequest' | 'stringToSign' | 'signedHeaders'> & { readonly credentialScope?: string },
  accessKeyId: string,
  sessionToken: string | undefined,
): string {
  const scope = info.credentialScope ?? info.stringToSign.split('\n')[2] ?? '';
  return [
    `* Signing with ${accessKeyId}${sessionToken !== undefined ? ' (temporary credentials, session token redacted)' : ''} for ${scope}`,
    `* Signed headers: ${info.signedHeaders}`,
    '* Canonical request:',
    ...prefixed('*   ', printableCanonicalRequest(info.canonicalRequest, [sessionToken])),
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
 * @param sessionToken - the session token signed with, hidden wherever it appears
 * @category CLI
 */
export function formatRequestHead(method: string, path: string, headers: Readonly<Record<string, unknown>>, sessionToken?: string): string {
  const pairs = Object.entries(headers).flatMap(([name, value]) => (Array.isArray(value) ? value : [value]).map((one): [string, string] => [name, String(one)]));
  const printer = blockPrinter(pairs, [sessionToken]);
  const lines = [`> ${method} ${printableTarget(printer.text(path))} HTTP/1.1`, ...pairs.map(([name, value]) => `> ${name}: ${printer.header(name, value)}`)];
  return `${lines.join('\n')}\n>\n`;
}

/**
 * The response status line and headers in wire order, as `-i` writes them (CRLF line ends, every header as
 * received: the response is the output asked for) or as `--verbose` writes them (`< ` prefixes, LF, header
 * values by the rule for headers, e.g. a presigned `Location` without its signature).
 *
 * @param response - the response's version, status and raw headers
 * @param style - `include` for `-i`, `verbose` for `-v`
 * @param sessionToken - with `verbose`: the session token signed with, hidden wherever it appears
 * @category CLI
 */
export function formatResponseHead(
  response: { readonly httpVersion: string; readonly statusCode: number; readonly statusMessage?: string | undefined; readonly rawHeaders: readonly string[] },
  style: 'include' | 'verbose',
  sessionToken?: string,
): string {
  const pairs: [string, string][] = [];
  for (let i = 0; i + 1 < response.rawHeaders.length; i += 2) pairs.push([response.rawHeaders[i] as string, response.rawHeaders[i + 1] as string]);
  const printer = style === 'verbose' ? blockPrinter(pairs, [sessionToken]) : undefined;
  const lines = [`HTTP/${response.httpVersion} ${response.statusCode}${response.statusMessage ? ` ${response.statusMessage}` : ''}`];
  for (const [name, value] of pairs) lines.push(`${name}: ${printer === undefined ? value : printer.header(name, value)}`);
  lines.push('');
  return style === 'include' ? `${lines.join('\r\n')}\r\n` : `${lines.map((line) => `< ${line}`.trimEnd()).join('\n')}\n`;
}
