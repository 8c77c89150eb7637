/**
 * Percent-encoding as SigV4 defines it: every byte of the UTF-8 form except the unreserved characters
 * `A-Z a-z 0-9 - . _ ~` becomes `%XY` with upper-case hex. `encodeURIComponent` leaves `! ' ( ) *`
 * alone, which SigV4 encodes, so those five are patched afterwards.
 *
 * "Recoding" first decodes valid `%XY` escapes to bytes and then encodes, so a value that arrives
 * already encoded is not encoded twice, and `+` stays a literal plus (`%2B`), never a space.
 *
 * @module
 */
import { InvalidInputError } from './errors.js';

const UNRESERVED_ONLY = /^[A-Za-z0-9\-._~]*$/;
const UNRESERVED_OR_SLASH = /^[A-Za-z0-9\-._~/]*$/;
const SUB_DELIMS_LEFT_BY_ENCODE_URI_COMPONENT = /[!'()*]/g;
const HEX = '0123456789ABCDEF';

function patchSubDelims(char: string): string {
  return `%${char.charCodeAt(0).toString(16).toUpperCase()}`;
}

/**
 * Encodes a string per SigV4. With `keepSlash`, `/` is left as it is (for paths).
 *
 * @internal
 */
export function uriEncode(value: string, keepSlash: boolean, field: string): string {
  if ((keepSlash ? UNRESERVED_OR_SLASH : UNRESERVED_ONLY).test(value)) return value;
  let encoded: string;
  try {
    encoded = encodeURIComponent(value);
  } catch {
    throw new InvalidInputError(field, 'contains a lone UTF-16 surrogate, which has no UTF-8 form; pass well-formed Unicode text');
  }
  encoded = encoded.replace(SUB_DELIMS_LEFT_BY_ENCODE_URI_COMPONENT, patchSubDelims);
  return keepSlash ? encoded.replace(/%2F/g, '/') : encoded;
}

function isHexDigit(code: number): boolean {
  return (code >= 48 && code <= 57) || (code >= 65 && code <= 70) || (code >= 97 && code <= 102);
}

function encodeByte(byte: number): string {
  return `%${HEX[byte >> 4]}${HEX[byte & 15]}`;
}

function isUnreservedByte(byte: number): boolean {
  return (
    (byte >= 65 && byte <= 90) || (byte >= 97 && byte <= 122) || (byte >= 48 && byte <= 57) ||
    byte === 45 || byte === 46 || byte === 95 || byte === 126
  );
}

/**
 * Decodes valid `%XY` escapes (leaving a `%` that starts no valid escape as a literal `%`) and encodes the
 * resulting bytes per SigV4. Works on bytes, so escapes that do not form valid UTF-8 survive unchanged.
 *
 * @internal
 */
export function uriRecode(value: string, keepSlash: boolean, field: string): string {
  if (!value.includes('%')) return uriEncode(value, keepSlash, field);
  let bytes: Buffer;
  try {
    bytes = Buffer.from(encodeURIComponent(value).replace(/%25([0-9A-Fa-f]{2})/g, '%$1'), 'latin1');
  } catch {
    throw new InvalidInputError(field, 'contains a lone UTF-16 surrogate, which has no UTF-8 form; pass well-formed Unicode text');
  }
  // `bytes` now holds ASCII text in which every escape is valid; decode the escapes to raw bytes.
  const raw: number[] = [];
  for (let i = 0; i < bytes.length; i++) {
    const byte = bytes[i] as number;
    if (byte === 37 && i + 2 < bytes.length && isHexDigit(bytes[i + 1] as number) && isHexDigit(bytes[i + 2] as number)) {
      raw.push(parseInt(String.fromCharCode(bytes[i + 1] as number, bytes[i + 2] as number), 16));
      i += 2;
    } else {
      raw.push(byte);
    }
  }
  let out = '';
  for (const byte of raw) {
    out += isUnreservedByte(byte) || (keepSlash && byte === 47) ? String.fromCharCode(byte) : encodeByte(byte);
  }
  return out;
}
