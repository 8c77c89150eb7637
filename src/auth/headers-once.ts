/**
 * A request's headers, read once for {@link AWS4Auth.sign}: the date policy reads the date headers and the
 * signer reads every header, so each must see the same values or a getter (or Proxy) that answers
 * differently could date a request by one `Date` and sign another. The common case, a plain object, is
 * copied by its own enumerable names (what Node sends); anything else goes through the signer's own header
 * collection, which refuses Maps, arrays and `Headers` objects with a typed error, as signing would.
 *
 * @internal
 * @module
 */
import { collectHeaders } from '../signer/canonical-headers.js';
import { InvalidHeaderError } from '../signer/errors.js';
import type { HeaderValue } from '../signer/types.js';

type HeaderCopy = Record<string, HeaderValue | undefined>;

/**
 * The headers as a plain object read once, each array value copied; `undefined` and non-objects are returned
 * as they are, for the signer to accept or refuse.
 *
 * @throws {@link InvalidHeaderError} when the object cannot be listed or a value cannot be read
 * @internal
 */
export function headersOnce(headers: unknown): unknown {
  if (headers === null || typeof headers !== 'object') return headers;
  let prototype: unknown;
  try {
    prototype = Object.getPrototypeOf(headers);
  } catch {
    throw new InvalidHeaderError('request.headers', 'could not be listed (a revoked Proxy or a trap that threw); pass a plain object of header names to values');
  }
  return prototype === Object.prototype || prototype === null ? copyOwn(headers) : collectHeaders(headers);
}

function copyOwn(headers: object): HeaderCopy {
  const copy: HeaderCopy = {};
  let names: string[];
  try {
    names = Object.keys(headers);
  } catch {
    throw new InvalidHeaderError('request.headers', 'could not be listed (a revoked Proxy or a trap that threw); pass a plain object of header names to values');
  }
  for (const name of names) {
    let value: unknown;
    try {
      value = (headers as Readonly<Record<string, unknown>>)[name];
      if (Array.isArray(value)) value = Array.from(value as unknown[]);
    } catch {
      throw new InvalidHeaderError('request.headers', 'has a value that could not be read (a getter or Proxy that threw); pass plain values');
    }
    // A header literally named __proto__ stays a header, not the copy's prototype.
    if (name === '__proto__') Object.defineProperty(copy, name, { value, enumerable: true, writable: true, configurable: true });
    else copy[name] = value as HeaderValue | undefined;
  }
  return copy;
}
