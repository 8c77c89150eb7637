/**
 * Reads the published SigV4a suite (test/vectors/sigv4a-test-suite, from awslabs/aws-c-auth) as raw bytes
 * and turns each case's context.json into signer options. Requests are parsed with the SigV4 suites'
 * parseRequestFile; nothing here normalises line endings.
 *
 * One difference in reading: this suite treats a folded header line (`get-header-value-multiline`) as
 * HTTP/1.1 obs-fold, one value whose line break and indentation become a space (RFC 9112 §5.2), where
 * the 2015 SigV4 suite reads each continuation line as another value. So folds are unfolded here before
 * parsing.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { VECTORS_DIR, headerValue, parseRequestFile, type ParsedRequest } from './vectors.js';
import type { SignableRequest, SigV4aSignOptions } from '../../src/signer/index.js';

export const SIGV4A_SUITE_DIR = join(VECTORS_DIR, 'sigv4a-test-suite');

/** The fields of a case's context.json. */
export interface SigV4aContext {
  credentials: { access_key_id: string; secret_access_key: string; token?: string };
  expiration_in_seconds: number;
  normalize: boolean;
  region: string;
  service: string;
  sign_body: boolean;
  timestamp: string;
  omit_session_token?: boolean;
}

/** One form (header or query) of a case: what the suite expects, when it has the files. */
export interface SigV4aExpected {
  canonicalRequest: string;
  stringToSign: string;
  /** A valid signature of `stringToSign` (one of infinitely many: verify, don't compare). */
  signature: string;
  /** The signed request the suite shows, whose signature is valid for `stringToSign` too. */
  signedRequest: string;
}

export interface SigV4aCase {
  name: string;
  context: SigV4aContext;
  request: ParsedRequest;
  /** The published public key, hex coordinates. */
  publicKey: { x: string; y: string } | undefined;
  /** Absent for the cases the suite ships without expectations (get-vanilla-query-order-key/-value). */
  header: SigV4aExpected | undefined;
  query: SigV4aExpected | undefined;
}

/** Replaces each obs-fold (line break followed by spaces or tabs) in the header section with one space. */
export function unfoldHeaders(raw: Buffer): Buffer {
  const text = raw.toString('utf8');
  const lineBreak = text.includes('\r\n') ? '\r\n' : '\n';
  const headerEnd = text.indexOf(`${lineBreak}${lineBreak}`);
  const head = headerEnd === -1 ? text : text.slice(0, headerEnd);
  const unfolded = head.replace(/\r?\n[ \t]+/g, ' ');
  return Buffer.from(unfolded + (headerEnd === -1 ? '' : text.slice(headerEnd)), 'utf8');
}

function readText(path: string): string {
  return readFileSync(path).toString('utf8');
}

function expected(dir: string, form: 'header' | 'query'): SigV4aExpected | undefined {
  const file = (part: string) => join(dir, `${form}-${part}.txt`);
  if (!existsSync(file('canonical-request'))) return undefined;
  return {
    canonicalRequest: readText(file('canonical-request')),
    stringToSign: readText(file('string-to-sign')),
    signature: readText(file('signature')),
    signedRequest: readText(file('signed-request')),
  };
}

/** Every case of the suite, sorted by name. */
export function loadSigV4aSuite(): SigV4aCase[] {
  return readdirSync(SIGV4A_SUITE_DIR)
    .sort()
    .filter((name) => statSync(join(SIGV4A_SUITE_DIR, name)).isDirectory())
    .map((name) => {
      const dir = join(SIGV4A_SUITE_DIR, name);
      const keyFile = join(dir, 'public-key.json');
      const key = existsSync(keyFile) ? (JSON.parse(readText(keyFile)) as { X: string; Y: string }) : undefined;
      return {
        name,
        context: JSON.parse(readText(join(dir, 'context.json'))) as SigV4aContext,
        request: parseRequestFile(unfoldHeaders(readFileSync(join(dir, 'request.txt'))), false),
        publicKey: key === undefined ? undefined : { x: key.X, y: key.Y },
        header: expected(dir, 'header'),
        query: expected(dir, 'query'),
      };
    });
}

/** The case's request, as the signer takes it. */
export function suiteRequest(testCase: SigV4aCase): SignableRequest {
  const { method, target, headers, body } = testCase.request;
  return { method, url: `https://${headerValue(headers, 'host') as string}${target}`, headers, body: body.length > 0 ? body : undefined };
}

/** The case's context.json as signer options: normalize, sign_body and omit_session_token honoured. */
export function suiteOptions(testCase: SigV4aCase): SigV4aSignOptions {
  const { credentials, region, service, timestamp, normalize, sign_body, omit_session_token } = testCase.context;
  return {
    algorithm: 'sigv4a',
    credentials: { accessKeyId: credentials.access_key_id, secretAccessKey: credentials.secret_access_key, sessionToken: credentials.token },
    region,
    service,
    date: new Date(timestamp),
    normalizePath: normalize,
    contentSha256Header: sign_body,
    signSessionToken: omit_session_token !== true,
  };
}

/** The `Signature=` of a signed request file: from the Authorization header, or the X-Amz-Signature parameter. */
export function signatureInSignedRequest(signedRequest: string): string {
  const match = /Signature=([0-9a-f]+)/.exec(signedRequest);
  if (match === null) throw new Error('no signature in the signed request');
  return match[1] as string;
}
