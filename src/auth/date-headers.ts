/**
 * Where a request's signing time comes from. `X-Amz-Date` is read first, then `Date`, each in any of the
 * formats {@link parseHttpDate} reads. A parseable `X-Amz-Date` is used (and rewritten by the signer in its
 * canonical `YYYYMMDDTHHMMSSZ` form, same instant); failing that, a parseable `Date` is signed as it is, with
 * no `x-amz-date` added, and an unparseable `X-Amz-Date` beside it is removed. When date headers are present
 * but none parses, they are all removed and the request is signed now, or {@link DateFormatError} is thrown.
 *
 * @internal
 * @module
 */
import type { HeaderValue } from '../signer/types.js';
import { parseHttpDate } from '../signer/request-date.js';
import { DateFormatError } from './errors.js';

/** The outcome: the headers to sign, the signing time and the header that carries it. @internal */
export interface RequestTime {
  readonly headers: Readonly<Record<string, HeaderValue | undefined>> | undefined;
  readonly time: Date;
  readonly dateHeader: 'x-amz-date' | 'date';
  /** Where `time` came from: a header, or the caller's "now". */
  readonly source: 'x-amz-date' | 'date' | 'now';
}

type Headers = Readonly<Record<string, HeaderValue | undefined>>;

interface Found {
  /** The header names as written (a name may appear in several letter cases). */
  readonly keys: string[];
  /** Every value, in order. */
  readonly values: unknown[];
}

function find(headers: Headers, lowerName: string): Found | undefined {
  let found: Found | undefined;
  for (const key of Object.keys(headers)) {
    if (key.length !== lowerName.length || key.toLowerCase() !== lowerName) continue;
    const value: unknown = headers[key];
    if (value === undefined) continue;
    found ??= { keys: [], values: [] };
    found.keys.push(key);
    if (Array.isArray(value)) found.values.push(...(value as unknown[]));
    else found.values.push(value);
  }
  return found;
}

/** The instant a header states, or `undefined`; a header sent several times states none. */
function parse(found: Found | undefined, clock: () => number): Date | undefined {
  if (found === undefined || found.values.length !== 1) return undefined;
  const value = found.values[0];
  if (typeof value !== 'string') return undefined;
  return parseHttpDate(value, clock);
}

function without(headers: Headers, keys: readonly string[]): Record<string, HeaderValue | undefined> {
  const copy: Record<string, HeaderValue | undefined> = {};
  for (const key of Object.keys(headers)) if (!keys.includes(key)) copy[key] = headers[key];
  return copy;
}

/**
 * Decides the signing time of a request from its date headers; never modifies `headers`.
 *
 * @internal
 */
export function requestTime(headers: unknown, now: () => Date, clock: () => number, raiseInvalidDate: boolean): RequestTime {
  // Anything but an object is left for the signer to refuse with its own error.
  if (headers === undefined || headers === null || typeof headers !== 'object') {
    return { headers: headers as RequestTime['headers'], time: now(), dateHeader: 'x-amz-date', source: 'now' };
  }
  const record = headers as Headers;
  const amzDate = find(record, 'x-amz-date');
  const amzTime = parse(amzDate, clock);
  if (amzTime !== undefined) return { headers: record, time: amzTime, dateHeader: 'x-amz-date', source: 'x-amz-date' };

  const date = find(record, 'date');
  const dateTime = parse(date, clock);
  if (dateTime !== undefined) {
    return { headers: amzDate === undefined ? record : without(record, amzDate.keys), time: dateTime, dateHeader: 'date', source: 'date' };
  }

  if (amzDate === undefined && date === undefined) return { headers: record, time: now(), dateHeader: 'x-amz-date', source: 'now' };
  if (raiseInvalidDate) {
    const bad: Array<{ name: string; value: unknown }> = [];
    if (amzDate !== undefined) bad.push({ name: 'x-amz-date', value: amzDate.values.length === 1 ? amzDate.values[0] : amzDate.values });
    if (date !== undefined) bad.push({ name: 'date', value: date.values.length === 1 ? date.values[0] : date.values });
    throw new DateFormatError(bad);
  }
  return { headers: without(record, [...(amzDate?.keys ?? []), ...(date?.keys ?? [])]), time: now(), dateHeader: 'x-amz-date', source: 'now' };
}
