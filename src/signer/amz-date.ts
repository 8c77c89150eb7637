/**
 * The two forms of the signing time SigV4 uses: `YYYYMMDDTHHMMSSZ` (the `x-amz-date`) and `YYYYMMDD`
 * (the credential scope date). The date is always an input; nothing here reads the clock.
 *
 * @module
 */
import { types } from 'node:util';
import { InvalidDateError, describeValue } from './errors.js';
import { LastMemo } from './memo.js';

const dateTime = Date.prototype.getTime;
const lastAmzDate = new LastMemo<string>('amz-date: last formatted second');

/**
 * Formats a `Date` as `YYYYMMDDTHHMMSSZ` (UTC, seconds precision).
 *
 * @example
 * ```ts
 * import { toAmzDate } from 'got-aws4auth/signer';
 * toAmzDate(new Date('2015-08-30T12:36:00Z')); // '20150830T123600Z'
 * ```
 * @category Signer
 */
export function toAmzDate(date: Date, field = 'options.date'): string {
  // The time is read from the Date's own slot, so a Proxy or a subclass overriding getTime cannot answer
  // one thing when checked and another when formatted.
  if (!types.isDate(date)) throw new InvalidDateError(field, `must be a Date, got ${describeValue(date)}`);
  const time = dateTime.call(date);
  if (!Number.isFinite(time)) throw new InvalidDateError(field, 'is an invalid Date (its time is NaN); pass a valid Date or omit it for now');
  // Requests signed in the same second share the string; formatting dominates otherwise.
  const second = Math.floor(time / 1000);
  if (lastAmzDate.hit(second)) return lastAmzDate.value as string;
  const iso = new Date(time).toISOString();
  if (iso.length !== 24) throw new InvalidDateError(field, `must lie in the years 0000 to 9999, got ${iso}`);
  const amzDate = `${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}T${iso.slice(11, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}Z`;
  return lastAmzDate.remember(amzDate, second);
}

/**
 * Parses a `YYYYMMDDTHHMMSSZ` string back to a `Date`, or returns `undefined` if it is not one.
 *
 * @example
 * ```ts
 * import { parseAmzDate } from 'got-aws4auth/signer';
 * parseAmzDate('20150830T123600Z')?.toISOString(); // '2015-08-30T12:36:00.000Z'
 * ```
 * @category Signer
 */
export function parseAmzDate(value: string): Date | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  if (m === null) return undefined;
  const [, y, mo, d, h, mi, s] = m.map(Number) as [number, number, number, number, number, number, number];
  const date = new Date(Date.UTC(y, mo - 1, d, h, mi, s));
  date.setUTCFullYear(y);
  if (date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d || h > 23 || mi > 59 || s > 59) return undefined;
  return date;
}
