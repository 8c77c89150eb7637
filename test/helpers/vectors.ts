/**
 * Reads the AWS SigV4 reference suites in test/vectors as raw bytes and turns each `.req` into a
 * request the signer accepts. The suite files are data; nothing here normalises their line endings.
 */
import { readdirSync, readFileSync, statSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const VECTORS_DIR = fileURLToPath(new URL('../vectors/', import.meta.url));

/** The credentials every suite uses. */
export const SUITE_CREDENTIALS = Object.freeze({
  accessKeyId: 'AKIDEXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
});

export interface ParsedRequest {
  method: string;
  /** The request target as written (path and query). */
  target: string;
  /** Header names as written, repeated headers and continuation lines as arrays in order. */
  headers: Record<string, string | string[]>;
  body: Buffer;
}

export interface SuiteCase {
  /** Path of the case relative to the suite folder, e.g. `normalize-path/get-space`. */
  name: string;
  request: ParsedRequest;
  creq: string;
  sts: string;
  authz: string;
  /** The signed request, when the suite has one. */
  sreq?: string;
}

/**
 * Parses a raw HTTP request file. `targetEndsAtFirstSpace` follows the 2011 edition, whose targets end
 * at the first space; the 2015 edition's targets may contain spaces (`/example space/`).
 */
export function parseRequestFile(raw: Buffer, targetEndsAtFirstSpace: boolean): ParsedRequest {
  const text = raw.toString('utf8');
  const lineBreak = text.includes('\r\n') ? '\r\n' : '\n';
  const headerEnd = text.indexOf(`${lineBreak}${lineBreak}`);
  const head = headerEnd === -1 ? text : text.slice(0, headerEnd);
  const bodyText = headerEnd === -1 ? '' : text.slice(headerEnd + lineBreak.length * 2);
  const [requestLine = '', ...headerLines] = head.split(lineBreak);
  const firstSpace = requestLine.indexOf(' ');
  const method = requestLine.slice(0, firstSpace);
  const rest = requestLine.slice(firstSpace + 1);
  const target = targetEndsAtFirstSpace ? rest.slice(0, rest.indexOf(' ')) : rest.slice(0, rest.lastIndexOf(' '));
  const headers: Record<string, string | string[]> = {};
  let lastName: string | undefined;
  const add = (name: string, value: string) => {
    const existing = Object.keys(headers).find((n) => n.toLowerCase() === name.toLowerCase()) ?? name;
    const current = headers[existing];
    headers[existing] = current === undefined ? value : Array.isArray(current) ? [...current, value] : [current, value];
  };
  for (const line of headerLines) {
    if (line === '') continue;
    if ((line.startsWith(' ') || line.startsWith('\t')) && lastName !== undefined) {
      // A continuation line is another value of the same header (the 2015 suite's reading).
      add(lastName, line.trim());
      continue;
    }
    const colon = line.indexOf(':');
    lastName = line.slice(0, colon);
    add(lastName, line.slice(colon + 1));
  }
  return { method, target, headers, body: Buffer.from(bodyText, 'utf8') };
}

function findCaseDirs(dir: string, prefix = ''): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(dir).sort()) {
    const full = join(dir, entry);
    if (!statSync(full).isDirectory()) continue;
    if (existsSync(join(full, `${entry}.req`))) found.push(`${prefix}${entry}`);
    found.push(...findCaseDirs(full, `${prefix}${entry}/`));
  }
  return found;
}

function readText(path: string): string {
  return readFileSync(path).toString('utf8');
}

/** Every case of the 2015 suite (one folder per case, nested). */
export function loadSuite2015(): SuiteCase[] {
  const root = join(VECTORS_DIR, 'aws-sig-v4-test-suite');
  return findCaseDirs(root).map((name) => {
    const base = join(root, name, name.split('/').pop() as string);
    return {
      name,
      request: parseRequestFile(readFileSync(`${base}.req`), false),
      creq: readText(`${base}.creq`),
      sts: readText(`${base}.sts`),
      authz: readText(`${base}.authz`),
      sreq: existsSync(`${base}.sreq`) ? readText(`${base}.sreq`) : undefined,
    };
  });
}

/** Every case of the 2011 suite (flat files, CRLF line endings kept as they are). */
export function loadSuite2011(): SuiteCase[] {
  const root = join(VECTORS_DIR, 'aws4_testsuite-2011');
  const names = [...new Set(readdirSync(root).filter((f) => f.endsWith('.req')).map((f) => f.slice(0, -4)))].sort();
  return names.map((name) => {
    const base = join(root, name);
    return {
      name,
      request: parseRequestFile(readFileSync(`${base}.req`), true),
      creq: readText(`${base}.creq`),
      sts: readText(`${base}.sts`),
      authz: readText(`${base}.authz`),
      sreq: existsSync(`${base}.sreq`) ? readText(`${base}.sreq`) : undefined,
    };
  });
}

/** Looks a header up by name in any letter case. */
export function headerValue(headers: Record<string, string | string[]>, name: string): string | undefined {
  const key = Object.keys(headers).find((n) => n.toLowerCase() === name.toLowerCase());
  const value = key === undefined ? undefined : headers[key];
  return Array.isArray(value) ? value[0] : value;
}
