/**
 * The canonical request: method, canonical URI, canonical query, canonical headers, signed headers and
 * payload hash, one per line.
 *
 * @module
 */

/**
 * Joins the parts of a canonical request. `canonicalHeaders` is the `name:value\n` block.
 *
 * @internal
 */
export function canonicalRequest(
  method: string,
  canonicalUri: string,
  canonicalQueryString: string,
  canonicalHeaders: string,
  signedHeaders: string,
  payloadHash: string,
): string {
  return `${method}\n${canonicalUri}\n${canonicalQueryString}\n${canonicalHeaders}\n${signedHeaders}\n${payloadHash}`;
}
