/**
 * Parsing of the timestamps found in `Date` and `X-Amz-Date` headers, in the five formats
 * requests-aws4auth accepts:
 *
 * | format | example |
 * |---|---|
 * | RFC 7231 IMF-fixdate (RFC 1123) | `Mon, 09 Sep 2011 23:36:00 GMT` |
 * | RFC 850 (obsolete, two-digit year) | `Sunday, 06-Nov-94 08:49:37 GMT` |
 * | ANSI C `asctime()` | `Wed Dec  4 00:00:00 2002` |
 * | SigV4 amz-date (ISO 8601 basic) | `20090325T010101Z` |
 * | ISO 8601 / RFC 3339 extended | `2009-03-25T10:11:12.13-01:00` |
 *
 * Unlike requests-aws4auth, which keeps only the calendar date, the whole timestamp is read: a request is
 * signed at the time its header states, so the signing time and the header always agree. A value without a
 * time of day (`2009-03-25`) therefore does not parse. Names of days and months and the zone are matched
 * in any letter case; the day name, when present, is not checked against the date. The HTTP formats are
 * in GMT (`GMT`, `UT`, `UTC`, `Z` or a numeric `±hhmm` offset are accepted); `asctime()` and an ISO 8601
 * value without an offset are read as UTC, since HTTP dates are never local times. Leap seconds (`:60`)
 * cannot be represented and do not parse.
 *
 * @module
 */
import { InvalidInputError, describeValue } from './errors.js';

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const DAY = '(?:mon|tue|wed|thu|fri|sat|sun)';
const LONG_DAY = '(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)';
const MONTH = '(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)';
const TIME = '(\\d{2}):(\\d{2}):(\\d{2})';
const ZONE = '(gmt|ut|utc|z|[+-]\\d{4})';

// `Mon, 09 Sep 2011 23:36:00 GMT`; the day name is optional (RFC 5322 allows leaving it out).
const IMF_FIXDATE = new RegExp(`^(?:${DAY}, ?)?(\\d{1,2}) ${MONTH} (\\d{4}) ${TIME} ${ZONE}$`, 'i');
// `Sunday, 06-Nov-94 08:49:37 GMT`
const RFC_850 = new RegExp(`^${LONG_DAY}, (\\d{2})-${MONTH}-(\\d{2}) ${TIME} ${ZONE}$`, 'i');
// `Sun Nov  6 08:49:37 1994` (day padded with a space) or `Sun Nov 6 …`
const ASCTIME = new RegExp(`^${DAY} ${MONTH} {1,2}(\\d{1,2}) ${TIME} (\\d{4})$`, 'i');
// `20150830T123600Z`
const AMZ_DATE = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/i;
// `2009-03-25T10:11:12.13-01:00`, `2009-03-25 10:11Z`, `2009-03-25T10:11:12`
const ISO_8601 = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?(z|[+-]\d{2}:?\d{2})?$/i;

const MINUTE_MS = 60_000;

/**
 * Builds the instant for UTC calendar fields, or `undefined` when a field is out of range (30 February,
 * hour 24, second 60, …). `offsetMinutes` is the zone's offset east of UTC.
 */
function utcInstant(
  year: number,
  month: number,
  day: number,
  hour: number,
  minute: number,
  second: number,
  millisecond = 0,
  offsetMinutes = 0,
): Date | undefined {
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 59) return undefined;
  const date = new Date(Date.UTC(2000, month - 1, day, hour, minute, second, millisecond));
  date.setUTCFullYear(year); // Date.UTC reads years 0-99 as 1900-1999
  if (date.getUTCDate() !== day || date.getUTCMonth() !== month - 1) return undefined; // 30 February
  if (offsetMinutes !== 0) date.setTime(date.getTime() - offsetMinutes * MINUTE_MS);
  return date;
}

/** Minutes east of UTC for a zone of {@link ZONE} or ISO 8601, or `undefined` when out of range. */
function zoneOffset(zone: string | undefined): number | undefined {
  if (zone === undefined) return 0;
  const sign = zone[0];
  if (sign !== '+' && sign !== '-') return 0; // GMT, UT, UTC, Z
  const digits = zone.slice(1).replace(':', '');
  const hours = Number(digits.slice(0, 2));
  const minutes = Number(digits.slice(2));
  if (hours > 23 || minutes > 59) return undefined;
  return (sign === '-' ? -1 : 1) * (hours * 60 + minutes);
}

function monthNumber(name: string): number {
  return MONTHS.indexOf(name.toLowerCase()) + 1;
}

/**
 * RFC 7231 section 7.1.1.1: a two-digit year that appears to be more than 50 years in the future is the
 * most recent past year with those digits. Of the years ending in `yy`, this picks the latest whose
 * timestamp is a real date not more than 50 years after `now`.
 */
function rfc850Instant(yy: number, fields: (year: number) => Date | undefined, now: number): Date | undefined {
  const nowDate = new Date(now);
  const limit = new Date(now);
  limit.setUTCFullYear(nowDate.getUTCFullYear() + 50);
  const centuryStart = nowDate.getUTCFullYear() - (nowDate.getUTCFullYear() % 100);
  for (const year of [centuryStart + 100 + yy, centuryStart + yy, centuryStart - 100 + yy]) {
    const candidate = fields(year); // undefined for 29 February outside leap years
    if (candidate !== undefined && candidate.getTime() <= limit.getTime()) return candidate;
  }
  return undefined;
}

/**
 * Parses a `Date` or `X-Amz-Date` header value in any of the five formats requests-aws4auth accepts: RFC 7231
 * (`Mon, 09 Sep 2011 23:36:00 GMT`), RFC 850 (`Sunday, 06-Nov-94 08:49:37 GMT`), `asctime()`
 * (`Wed Dec  4 00:00:00 2002`), amz-date (`20090325T010101Z`) and ISO 8601 / RFC 3339
 * (`2009-03-25T10:11:12.13-01:00`). The whole timestamp is read, not only the date; surrounding spaces are
 * ignored.
 *
 * RFC 850's two-digit years follow RFC 7231: a year that would be more than 50 years in the future is taken
 * from the century before, so in 2025 `94` is 1994 and `70` is 2070. (requests-aws4auth puts every
 * two-digit year in the current century, so it reads `94` as 2094.) Only this format reads the clock.
 *
 * @param value - the header value
 * @param clock - what "now" is for RFC 850's two-digit years, in milliseconds since the epoch; default `Date.now`
 * @returns the instant the value names, or `undefined` when it is in none of the formats or names no real
 *   time (30 February, hour 24, a leap second, a date without a time)
 * @throws {@link InvalidInputError} when `value` is not a string or `clock` is not a function returning a finite number
 *
 * @example
 * ```ts
 * import { parseHttpDate } from 'got-aws4auth';
 * parseHttpDate('Mon, 09 Sep 2011 23:36:00 GMT')?.toISOString(); // '2011-09-09T23:36:00.000Z'
 * parseHttpDate('2009-03-25T10:11:12.13-01:00')?.toISOString(); // '2009-03-25T11:11:12.130Z'
 * parseHttpDate('Sunday, 06-Nov-94 08:49:37 GMT', () => Date.UTC(2025, 0, 1))?.getUTCFullYear(); // 1994
 * parseHttpDate('yesterday'); // undefined
 * ```
 * @category Signer
 */
export function parseHttpDate(value: string, clock: () => number = Date.now): Date | undefined {
  if (typeof value !== 'string') throw new InvalidInputError('value', `must be a string holding a date, got ${describeValue(value)}`);
  if (typeof clock !== 'function') throw new InvalidInputError('clock', `must be a function returning milliseconds since the epoch, such as Date.now, got ${describeValue(clock)}`);
  const text = value.trim();
  let m: RegExpExecArray | null;

  if ((m = AMZ_DATE.exec(text)) !== null) {
    const [, y, mo, d, h, mi, s] = m.map(Number) as number[];
    return utcInstant(y!, mo!, d!, h!, mi!, s!);
  }
  if ((m = IMF_FIXDATE.exec(text)) !== null) {
    const offset = zoneOffset(m[7]);
    if (offset === undefined) return undefined;
    return utcInstant(Number(m[3]), monthNumber(m[2]!), Number(m[1]), Number(m[4]), Number(m[5]), Number(m[6]), 0, offset);
  }
  if ((m = ISO_8601.exec(text)) !== null) {
    const offset = zoneOffset(m[8]);
    if (offset === undefined) return undefined;
    const ms = m[7] === undefined ? 0 : Number(m[7].padEnd(3, '0').slice(0, 3)); // truncated to milliseconds
    return utcInstant(Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6] ?? 0), ms, offset);
  }
  if ((m = ASCTIME.exec(text)) !== null) {
    return utcInstant(Number(m[6]), monthNumber(m[1]!), Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5]));
  }
  if ((m = RFC_850.exec(text)) !== null) {
    const offset = zoneOffset(m[7]);
    if (offset === undefined) return undefined;
    const match = m;
    const now = clock();
    if (typeof now !== 'number' || !Number.isFinite(now)) {
      throw new InvalidInputError('clock', `must return a finite number of milliseconds since the epoch, returned ${describeValue(now)}`);
    }
    return rfc850Instant(
      Number(match[3]),
      (year) => utcInstant(year, monthNumber(match[2]!), Number(match[1]), Number(match[4]), Number(match[5]), Number(match[6]), 0, offset),
      now,
    );
  }
  return undefined;
}
