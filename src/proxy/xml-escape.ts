/**
 * Text for the proxy's XML error bodies. Everything put into one (codes, messages that may quote a
 * client-sent header name, the request path) goes through {@link xmlEscape}: markup characters become
 * entities, and what XML 1.0 does not allow at all (control characters other than tab, line feed and
 * carriage return; lone surrogates; U+FFFE and U+FFFF) is dropped, so the body is always well-formed and
 * a client cannot inject elements into it.
 *
 * @module
 */

const XML_ESCAPES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

// eslint-disable-next-line no-control-regex
const NOT_XML = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/**
 * `text` as XML character data or attribute value: markup escaped, characters XML cannot hold dropped.
 * @category Proxy
 */
export function xmlEscape(text: string): string {
  return text.replace(NOT_XML, '').replace(/[&<>"']/g, (c) => XML_ESCAPES[c]!);
}
