/**
 * AWS's 2011 SigV4 test suite (the one requests-aws4auth's own tests use) through AWS4Auth: every request
 * carries only a `Date` header, so this is the suite of the date-header path.
 *
 * The suite's .creq and .sts files are stored with CRLF line ends, but the text that was hashed and signed
 * used LF: each .sts holds the SHA-256 of its .creq read with LF (checked below for every case). Our LF
 * text is therefore compared with the raw file bytes after writing each LF as CRLF, byte for byte.
 *
 * A few cases encode rules that the 2015 suite, which is authoritative (test/vectors/SOURCES.md), later
 * changed; each of those gets a test stating the superseded rule and exactly what differs.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AWS4Auth, StrictAWS4Auth, type AWS4AuthOptions } from '../../src/auth/index.js';
import type { SignedRequest } from '../../src/signer/types.js';
import { SUITE_CREDENTIALS, VECTORS_DIR, loadSuite2015, parseRequestFile } from '../helpers/vectors.js';

const SUITE_DIR = join(VECTORS_DIR, 'aws4_testsuite-2011');
const CASES = readdirSync(SUITE_DIR).filter((f) => f.endsWith('.req')).map((f) => f.slice(0, -4)).sort();

/** Cases whose rule the 2015 suite or today's SigV4 changed: never expected to match. */
const SUPERSEDED = new Set(['get-header-key-duplicate', 'get-header-value-order', 'post-vanilla-query-nonunreserved']);
/**
 * Cases whose paths arrive percent-encoded. The 2011 suite encodes the path once for its `host` service
 * (requests-aws4auth special-cases `host` like S3 to pass them); SigV4 for every service but S3 encodes the
 * path a second time, which is our default. They match exactly with `doubleEncodePath: false`.
 */
const ENCODED_ONCE = new Set(['get-space', 'get-utf8']);

function raw(name: string, extension: 'req' | 'creq' | 'sts' | 'authz' | 'sreq'): Buffer {
  return readFileSync(join(SUITE_DIR, `${name}.${extension}`));
}

/** Our LF text as the suite stores it: CRLF line ends. */
function asStored(text: string): Buffer {
  return Buffer.from(text.replace(/\n/g, '\r\n'), 'utf8');
}

const SUITE_OPTIONS = { ...SUITE_CREDENTIALS, region: 'us-east-1', service: 'host', date: '20110909' } as const;

function signCase(name: string, options: Partial<AWS4AuthOptions> = {}, Auth: typeof AWS4Auth = AWS4Auth): SignedRequest {
  const { method, target, headers, body } = parseRequestFile(raw(name, 'req'), true);
  const auth = new Auth({ ...SUITE_OPTIONS, ...options } as AWS4AuthOptions);
  // A raw `#` cannot be sent in a request target (it would start the fragment); the suite means the
  // character itself, which `%23` carries.
  const url = `http://host.foo.com${target.replace(/#/g, '%23')}`;
  return auth.sign({ method, url, headers, body: body.length > 0 ? body : undefined }, { now: Date.UTC(2024, 0, 1) });
}

/** The canonical request lines of a stored .creq, LF-separated. */
function storedLines(name: string): string[] {
  return raw(name, 'creq').toString('utf8').split('\r\n');
}

describe('the 2011 suite on disk', () => {
  it('holds 30 cases, each either expected to match or listed as superseded', () => {
    expect(CASES).toHaveLength(30);
    for (const name of [...SUPERSEDED, ...ENCODED_ONCE]) expect(CASES).toContain(name);
  });

  it.each(CASES)('%s: the .sts hashes the .creq read with LF line ends, and every request carries a Date header only', (name) => {
    const creq = raw(name, 'creq');
    expect(creq.includes('\r\n')).toBe(true);
    const lf = creq.toString('utf8').replace(/\r\n/g, '\n');
    const sts = raw(name, 'sts').toString('utf8').split('\r\n');
    expect(sts[3]).toBe(createHash('sha256').update(lf, 'utf8').digest('hex'));
    const request = raw(name, 'req').toString('utf8').toLowerCase();
    expect(request).toContain('\r\ndate:');
    expect(request).not.toContain('x-amz-date');
  });
});

describe('AWS4Auth reproduces the 2011 suite', () => {
  describe.each(CASES.filter((name) => !SUPERSEDED.has(name)))('%s', (name) => {
    const options = ENCODED_ONCE.has(name) ? { doubleEncodePath: false } : {};
    const signed = signCase(name, options);

    it(`builds the canonical request byte for byte${ENCODED_ONCE.has(name) ? ' (path encoded once)' : ''}`, () => {
      expect(asStored(signed.canonicalRequest).equals(raw(name, 'creq'))).toBe(true);
    });

    it('builds the string to sign byte for byte, at the time of the Date header', () => {
      expect(asStored(signed.stringToSign).equals(raw(name, 'sts'))).toBe(true);
      expect(signed.amzDate).toBe('20110909T233600Z');
    });

    it('produces the Authorization header byte for byte', () => {
      expect(Buffer.from(signed.authorization, 'utf8').equals(raw(name, 'authz'))).toBe(true);
      expect(signed.headers.authorization).toBe(signed.authorization);
    });

    it('sends the headers of the signed request: the Date header as it was, and no x-amz-date', () => {
      const lines = raw(name, 'sreq').toString('utf8').split('\r\n');
      const headerLines = lines.slice(1, lines.indexOf(''));
      const expected: Record<string, string[]> = {};
      for (const line of headerLines) {
        const colon = line.indexOf(':');
        (expected[line.slice(0, colon).toLowerCase()] ??= []).push(line.slice(colon + 1).trim());
      }
      const sent = Object.fromEntries(Object.entries(signed.headers).map(([n, v]) => [n, (Array.isArray(v) ? v : [v]).map((x) => x.trim())]));
      expect(sent).toEqual(expected);
      expect(signed.headers['x-amz-date']).toBeUndefined();
    });
  });

  it('regenerates a key made for another day to the Date header’s day, giving the same signature', () => {
    const signed = signCase('get-vanilla', { date: undefined, clock: () => Date.UTC(2024, 5, 1) });
    expect(Buffer.from(signed.authorization).equals(raw('get-vanilla', 'authz'))).toBe(true);
  });

  it('passes with StrictAWS4Auth when the key is for the suite’s day, and is refused otherwise', () => {
    expect(Buffer.from(signCase('post-vanilla', {}, StrictAWS4Auth).authorization).equals(raw('post-vanilla', 'authz'))).toBe(true);
    expect(() => signCase('post-vanilla', { date: '20110910' }, StrictAWS4Auth)).toThrow(expect.objectContaining({ code: 'ERR_AWS4_DATE_MISMATCH' }));
  });
});

describe('2011 cases whose rule was superseded', () => {
  /** The stored canonical request with line `index` replaced, as LF text. */
  function storedWith(name: string, index: number, line: string): string {
    const lines = storedLines(name);
    lines[index] = line;
    return lines.join('\n');
  }

  it('get-header-key-duplicate: 2011 sorted the values of a repeated header; the 2015 suite keeps them in the order sent', () => {
    // Request: ZOO:zoobar, zoo:foobar, zoo:zoobar. 2011 canonical: zoo:foobar,zoobar,zoobar.
    const signed = signCase('get-header-key-duplicate');
    const lines = storedLines('get-header-key-duplicate');
    expect(lines[5]).toBe('zoo:foobar,zoobar,zoobar');
    expect(signed.canonicalRequest).toBe(storedWith('get-header-key-duplicate', 5, 'zoo:zoobar,foobar,zoobar'));
    expect(Buffer.from(signed.authorization).equals(raw('get-header-key-duplicate', 'authz'))).toBe(false);
  });

  it('get-header-value-order: 2011 sorted the values of a repeated header; the 2015 suite keeps them in the order sent', () => {
    // Request: p:z, p:a, p:p, p:a. 2011 canonical: p:a,a,p,z.
    const signed = signCase('get-header-value-order');
    expect(storedLines('get-header-value-order')[5]).toBe('p:a,a,p,z');
    expect(signed.canonicalRequest).toBe(storedWith('get-header-value-order', 5, 'p:z,a,p,a'));
    expect(Buffer.from(signed.authorization).equals(raw('get-header-value-order', 'authz'))).toBe(false);
  });

  it('the 2015 suite’s own duplicate-header cases keep the values in request order, unsorted', () => {
    const cases = loadSuite2015().filter((c) => c.name === 'get-header-key-duplicate' || c.name === 'get-header-value-order');
    expect(cases).toHaveLength(2);
    for (const testCase of cases) {
      const sent = testCase.request.headers['My-Header1'] as string[];
      const canonical = /\nmy-header1:(.*)\n/.exec(testCase.creq)?.[1];
      expect(canonical).toBe(sent.join(','));
      expect(canonical).not.toBe([...sent].sort().join(','));
    }
  });

  it('post-vanilla-query-nonunreserved: 2011 read "+" in the query as a space (%20); SigV4 reads it as a literal plus (%2B)', () => {
    // Query as sent: @#$%^&+=/,?><`";:\|][{}  (the suite ends the target at the first space)
    const signed = signCase('post-vanilla-query-nonunreserved');
    const stored = storedLines('post-vanilla-query-nonunreserved')[2] as string;
    expect(stored).toBe('%20=%2F%2C%3F%3E%3C%60%22%3B%3A%5C%7C%5D%5B%7B%7D&%40%23%24%25%5E=');
    const ours = stored.replace(/^%20=/, '%2B=');
    expect(signed.canonicalRequest).toBe(storedWith('post-vanilla-query-nonunreserved', 2, ours));
    expect(Buffer.from(signed.authorization).equals(raw('post-vanilla-query-nonunreserved', 'authz'))).toBe(false);
  });

  it.each([
    ['get-space', '/%20/foo', '/%2520/foo'],
    ['get-utf8', '/%E1%88%B4', '/%25E1%2588%25B4'],
  ])('%s: 2011 encoded the path of its "host" service once; by default every non-S3 path is encoded twice', (name, once, twice) => {
    expect(storedLines(name)[1]).toBe(once);
    expect(signCase(name).canonicalRequest).toBe(storedWith(name, 1, twice));
    expect(asStored(signCase(name, { doubleEncodePath: false }).canonicalRequest).equals(raw(name, 'creq'))).toBe(true);
  });
});
