import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parseHttpDate } from '../../src/auth/index.js';
import { toAmzDate } from '../../src/signer/amz-date.js';
import { InvalidInputError } from '../../src/signer/errors.js';

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const LONG_DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const pad = (n: number, width = 2) => String(n).padStart(width, '0');
const time = (d: Date) => `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;

/** The five formats, written the way a sender would write them. */
const format = {
  rfc7231: (d: Date) => `${DAYS[d.getUTCDay()]}, ${pad(d.getUTCDate())} ${MONTHS[d.getUTCMonth()]} ${pad(d.getUTCFullYear(), 4)} ${time(d)} GMT`,
  rfc850: (d: Date) => `${LONG_DAYS[d.getUTCDay()]}, ${pad(d.getUTCDate())}-${MONTHS[d.getUTCMonth()]}-${pad(d.getUTCFullYear() % 100)} ${time(d)} GMT`,
  asctime: (d: Date) => `${DAYS[d.getUTCDay()]} ${MONTHS[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2, ' ')} ${time(d)} ${pad(d.getUTCFullYear(), 4)}`,
  amzDate: (d: Date) => toAmzDate(d),
  /** ISO 8601 / RFC 3339 in the zone `offsetMinutes` east of UTC, with milliseconds. */
  iso8601: (d: Date, offsetMinutes: number) => {
    const local = new Date(d.getTime() + offsetMinutes * 60_000);
    const sign = offsetMinutes < 0 ? '-' : '+';
    const abs = Math.abs(offsetMinutes);
    const zone = offsetMinutes === 0 ? 'Z' : `${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
    return `${local.toISOString().slice(0, 23)}${zone}`;
  },
};

const YEAR_MS = 365.2425 * 24 * 3600 * 1000;
const anyInstant = (minYear = 0, maxYear = 9999) =>
  fc
    .integer({ min: Date.UTC(2000, 0, 1) - (2000 - minYear) * YEAR_MS + 2 * 86_400_000, max: Date.UTC(maxYear, 11, 31) - 2 * 86_400_000 })
    .map((ms) => new Date(ms));
const toSeconds = (d: Date) => new Date(Math.floor(d.getTime() / 1000) * 1000);

describe('parseHttpDate', () => {
  describe('reads the examples requests-aws4auth documents, with their time of day', () => {
    it.each([
      ['RFC 7231', 'Mon, 09 Sep 2011 23:36:00 GMT', '2011-09-09T23:36:00.000Z'],
      ['RFC 850', 'Sunday, 06-Nov-94 08:49:37 GMT', '1994-11-06T08:49:37.000Z'],
      ['asctime', 'Wed Dec 4 00:00:00 2002', '2002-12-04T00:00:00.000Z'],
      ['asctime, day padded with a space', 'Wed Dec  4 00:00:00 2002', '2002-12-04T00:00:00.000Z'],
      ['amz-date', '20090325T010101Z', '2009-03-25T01:01:01.000Z'],
      ['ISO 8601 / RFC 3339', '2009-03-25T10:11:12.13-01:00', '2009-03-25T11:11:12.130Z'],
    ])('%s: %s', (_format, value, iso) => {
      expect(parseHttpDate(value, () => Date.UTC(2025, 0, 1))?.toISOString()).toBe(iso);
    });
  });

  describe('round-trips a random instant written in each format', () => {
    it('RFC 7231 (IMF-fixdate)', () => {
      fc.assert(fc.property(anyInstant(), (d) => parseHttpDate(format.rfc7231(d))?.getTime() === toSeconds(d).getTime()));
    });

    it('asctime', () => {
      fc.assert(fc.property(anyInstant(), (d) => parseHttpDate(format.asctime(d))?.getTime() === toSeconds(d).getTime()));
    });

    it('amz-date', () => {
      fc.assert(fc.property(anyInstant(), (d) => parseHttpDate(format.amzDate(d))?.getTime() === toSeconds(d).getTime()));
    });

    it('ISO 8601 / RFC 3339 with any zone offset and milliseconds', () => {
      fc.assert(
        fc.property(anyInstant(1), fc.integer({ min: -(23 * 60 + 59), max: 23 * 60 + 59 }), (d, offset) => parseHttpDate(format.iso8601(d, offset))?.getTime() === d.getTime()),
      );
    });

    it('RFC 850, for instants within 49 years of the clock on either side', () => {
      fc.assert(
        fc.property(anyInstant(1900, 9900), fc.integer({ min: Math.round(-49 * YEAR_MS), max: Math.round(49 * YEAR_MS) }), (now, delta) => {
          const d = toSeconds(new Date(now.getTime() + delta));
          return parseHttpDate(format.rfc850(d), () => now.getTime())?.getTime() === d.getTime();
        }),
      );
    });
  });

  describe('RFC 850 two-digit years follow RFC 7231, not the current century as requests-aws4auth assumes', () => {
    const in2025 = () => Date.UTC(2025, 0, 1);

    it('reads a year in the past within the century as that year', () => {
      expect(parseHttpDate('Sunday, 06-Nov-94 08:49:37 GMT', in2025)?.getUTCFullYear()).toBe(1994); // requests-aws4auth: 2094
      expect(parseHttpDate('Friday, 06-Nov-20 08:49:37 GMT', in2025)?.getUTCFullYear()).toBe(2020);
    });

    it('reads a year up to 50 years ahead as the future', () => {
      expect(parseHttpDate('Wednesday, 06-Nov-70 08:49:37 GMT', in2025)?.getUTCFullYear()).toBe(2070);
    });

    it('reads a year more than 50 years ahead as the previous century', () => {
      expect(parseHttpDate('Thursday, 06-Nov-75 08:49:37 GMT', in2025)?.getUTCFullYear()).toBe(1975);
      expect(parseHttpDate('Friday, 01-Jan-75 00:00:00 GMT', in2025)?.getUTCFullYear()).toBe(2075); // exactly 50 years ahead
      expect(parseHttpDate('Friday, 01-Jan-75 00:00:01 GMT', in2025)?.getUTCFullYear()).toBe(1975);
    });

    it('crosses into the next century near its end', () => {
      expect(parseHttpDate('Monday, 06-Nov-01 08:49:37 GMT', () => Date.UTC(2095, 0, 1))?.getUTCFullYear()).toBe(2101);
    });

    it('takes 29 February from a year that has one', () => {
      expect(parseHttpDate('Tuesday, 29-Feb-00 12:00:00 GMT', () => Date.UTC(2060, 0, 1))?.toISOString()).toBe('2000-02-29T12:00:00.000Z');
    });

    it('reads the clock only for this format', () => {
      let reads = 0;
      const clock = () => {
        reads += 1;
        return Date.UTC(2025, 0, 1);
      };
      parseHttpDate('Mon, 09 Sep 2011 23:36:00 GMT', clock);
      parseHttpDate('20110909T233600Z', clock);
      expect(reads).toBe(0);
      parseHttpDate('Friday, 09-Sep-11 23:36:00 GMT', clock);
      expect(reads).toBe(1);
    });
  });

  describe('accepts the variations senders produce', () => {
    it.each([
      ['lower-case names', 'mon, 09 sep 2011 23:36:00 gmt', '2011-09-09T23:36:00.000Z'],
      ['no day name', '09 Sep 2011 23:36:00 GMT', '2011-09-09T23:36:00.000Z'],
      ['a one-digit day', 'Fri, 9 Sep 2011 23:36:00 GMT', '2011-09-09T23:36:00.000Z'],
      ['UTC instead of GMT', 'Fri, 09 Sep 2011 23:36:00 UTC', '2011-09-09T23:36:00.000Z'],
      ['a numeric offset', 'Fri, 09 Sep 2011 23:36:00 +0200', '2011-09-09T21:36:00.000Z'],
      ['surrounding spaces', '  Fri, 09 Sep 2011 23:36:00 GMT ', '2011-09-09T23:36:00.000Z'],
      ['ISO 8601 with a space and no seconds', '2011-09-09 23:36Z', '2011-09-09T23:36:00.000Z'],
      ['ISO 8601 without a zone, read as UTC', '2011-09-09T23:36:00', '2011-09-09T23:36:00.000Z'],
      ['ISO 8601 with a compact offset', '2011-09-09T23:36:00+0530', '2011-09-09T18:06:00.000Z'],
      ['ISO 8601 with nanoseconds, truncated to milliseconds', '2011-09-09T23:36:00.123456789Z', '2011-09-09T23:36:00.123Z'],
      ['ISO 8601 with a comma before the fraction', '2011-09-09T23:36:00,5Z', '2011-09-09T23:36:00.500Z'],
      ['lower-case t and z', '2011-09-09t23:36:00z', '2011-09-09T23:36:00.000Z'],
      ['a year before 100', '20000101T000000Z'.replace('2000', '0099'), '0099-01-01T00:00:00.000Z'],
    ])('%s: %j', (_what, value, iso) => {
      expect(parseHttpDate(value)?.toISOString()).toBe(iso);
    });
  });

  describe('returns undefined for values that name no instant', () => {
    it.each([
      ['an empty string', ''],
      ['words', 'yesterday'],
      ['a date without a time (the time would be a guess)', '2009-03-25'],
      ['an HTTP date without a time', 'Mon, 09 Sep 2011'],
      ['30 February', 'Wed, 30 Feb 2011 10:00:00 GMT'],
      ['29 February outside a leap year', '20110229T000000Z'],
      ['hour 24', '20110909T240000Z'],
      ['minute 60', '2011-09-09T23:60:00Z'],
      ['a leap second', 'Fri, 09 Sep 2011 23:59:60 GMT'],
      ['month 13', '20111309T000000Z'],
      ['an unknown month', 'Fri, 09 Sec 2011 23:36:00 GMT'],
      ['an offset hour of 24', '2011-09-09T23:36:00+24:00'],
      ['a local zone name', 'Fri, 09 Sep 2011 23:36:00 PST'],
      ['a Unix timestamp', '1315611360'],
      ['an amz-date without its Z', '20110909T233600'],
      ['an RFC 850 date with a short day name', 'Fri, 09-Sep-11 23:36:00 GMT'],
      ['trailing text', 'Fri, 09 Sep 2011 23:36:00 GMT garbage'],
    ])('%s', (_what, value) => {
      expect(parseHttpDate(value, () => Date.UTC(2025, 0, 1))).toBeUndefined();
    });
  });

  describe('refuses arguments of the wrong type with a typed error naming them', () => {
    it('a value that is not a string', () => {
      expect(() => parseHttpDate(1315611360 as unknown as string)).toThrow(InvalidInputError);
      expect(() => parseHttpDate(new Date() as unknown as string)).toThrow(expect.objectContaining({ field: 'value', code: 'ERR_AWS4_INVALID_INPUT' }));
    });

    it('a clock that is not a function, or returns no finite number', () => {
      expect(() => parseHttpDate('20110909T233600Z', 5 as unknown as () => number)).toThrow(expect.objectContaining({ field: 'clock' }));
      expect(() => parseHttpDate('Friday, 09-Sep-11 23:36:00 GMT', () => Number.NaN)).toThrow(expect.objectContaining({ field: 'clock' }));
    });
  });
});
