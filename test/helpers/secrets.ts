/**
 * The secret registry and the pure scanner behind the suite-wide secret scan
 * (`test/helpers/secret-scan-setup.ts`).
 *
 * The registry holds every secret access key, session token and bearer token the test tree uses: the
 * explicit list below (each with a label saying where it comes from), plus whatever {@link discoverSecrets}
 * finds in the test tree (string literals assigned to a secret- or token-named key, INI and shell
 * assignments, and any 40-character literal that looks like an AWS secret access key), plus patterns for
 * the secrets test helpers generate at run time (`fake-aws.ts`, `credential-cache.test.ts`). Derived
 * signing keys are checked too: every 64-hex, base64 or `<Buffer …>` rendering of 32 bytes in the scanned
 * text is compared with the SigV4 keys of every registered secret for the scopes in {@link SIGNING_SCOPES},
 * today ±1 day, and every credential scope that appears in the scanned text itself.
 *
 * Deliberately not registered: one-word or very short values (`secret`, `wrong`, `B`) that would match
 * ordinary prose, and credentials issued at run time by the local RGW's STS (random, never known to the
 * test tree).
 *
 * Findings name the secret by label, kind and where it was found; never by value.
 */
import { createHmac } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { inspect } from 'node:util';
import * as diagnostics from '../../src/diagnostics/channels.js';

/** What kind of secret a registry entry is. */
export type SecretKind = 'secret access key' | 'session token' | 'bearer token' | 'signing key' | 'server key';

/** One secret the scan looks for. */
export interface RegisteredSecret {
  /** Where the secret comes from, e.g. `test/got/plugin.test.ts credentials`. Printed; the value never is. */
  readonly label: string;
  readonly kind: SecretKind;
  readonly value: string;
}

/** A family of secrets generated at run time. */
export interface SecretPattern {
  readonly label: string;
  readonly kind: SecretKind;
  readonly pattern: RegExp;
}

/** A text to scan and where it came from, e.g. `error #3 (InvalidInputError) util.inspect`. */
export interface ScanSource {
  readonly where: string;
  readonly text: string;
}

/** A secret found in a scanned text. */
export interface Finding {
  readonly label: string;
  readonly kind: SecretKind;
  /** The {@link ScanSource.where} of the text. */
  readonly where: string;
  /** How the secret was written: `as is`, `URL-encoded`, `hex`, `its first 20 characters`, … */
  readonly form: string;
  /** The text around the finding with every registered secret masked, for locating it. */
  readonly context: string;
}

/** The registry the scanner uses. */
export interface SecretRegistry {
  readonly secrets: readonly RegisteredSecret[];
  readonly patterns: readonly SecretPattern[];
}

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** The secrets the test tree uses, by hand, each labelled with where it is used. */
export const KNOWN_SECRETS: readonly RegisteredSecret[] = Object.freeze([
  { label: 'AWS documentation example secret (suite credentials: vectors, differential, auth, bench, README)', kind: 'secret access key', value: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' },
  { label: 'AWS S3 documentation example secret (presign.test.ts, chunked example)', kind: 'secret access key', value: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' },
  { label: 'RGW test user secret (test/servers/rgw.sh SECRET_KEY)', kind: 'secret access key', value: 'gotaws4authTestSecretKey0123456789abcdef' },
  { label: 'RGW STS signing key (test/servers/rgw.sh STS_KEY)', kind: 'server key', value: 'gotaws4authstsk1' },
  { label: 'test/got/plugin.test.ts credentials', kind: 'secret access key', value: 'plugin/test/secret/key/0123456789abcdefgh' },
  { label: 'test/got/plugin.test.ts session credentials', kind: 'secret access key', value: 'session/secret/0123456789abcdefghijklmno' },
  { label: 'test/got/plugin.test.ts and sigv4a-got.test.ts session token', kind: 'session token', value: 'SESSION+TOKEN/VALUE==' },
  { label: 'test/signer/sigv4a-got.test.ts credentials', kind: 'secret access key', value: 'sigv4a/test/secret/key/0123456789abcdefgh' },
  { label: 'test/signer/presign.test.ts session token', kind: 'session token', value: 'TOKEN+/=' },
  { label: 'test/cli/support.ts LONG_TERM', kind: 'secret access key', value: 'cli/test/secret/0123456789abcdefghijklmn' },
  { label: 'test/cli/support.ts TEMPORARY', kind: 'secret access key', value: 'cli/temporary/secret/0123456789abcdefghij' },
  { label: 'test/cli/support.ts TEMPORARY session token', kind: 'session token', value: 'CLI+SESSION/TOKEN=fake-token' },
  { label: 'test/cli/requests.test.ts profile "cli"', kind: 'secret access key', value: 'profile/secret/0123456789abcdefghijklmnop' },
  { label: 'test/got/zero-config-env.test.ts AWS_SECRET_ACCESS_KEY', kind: 'secret access key', value: 'zero/config/env/secret/0123456789abcdefgh' },
  { label: 'test/got/zero-config-env.test.ts AWS_SESSION_TOKEN', kind: 'session token', value: 'ENV+SESSION/TOKEN=' },
  { label: 'test/got/zero-config-profile.test.ts profile', kind: 'secret access key', value: 'zero/config/profile/secret/0123456789abcd' },
  { label: 'test/auth/support.ts SESSION_TOKEN', kind: 'session token', value: 'FQoGZXIvYXdzEXAMPLE-SESSION-TOKEN/with+chars==' },
  { label: 'test/security/bad-input.test.ts SECRET', kind: 'secret access key', value: 'bad/input/secret/0123456789abcdefghijklm' },
  { label: 'test/security/cross-origin.test.ts session credentials', kind: 'secret access key', value: 'cross/origin/secret/0123456789abcdefghijk' },
  { label: 'test/security/cross-origin.test.ts session token', kind: 'session token', value: 'CROSS+ORIGIN/SESSION=token' },
  { label: 'test/credentials/credential-cache.test.ts SECRET_MARK', kind: 'secret access key', value: 'SECRETwJalrXUtnFEMI' },
  { label: 'test/credentials/credential-cache.test.ts TOKEN_MARK', kind: 'session token', value: 'TOKENFwoGZXIvYXdzE' },
  { label: 'test/credentials/providers.test.ts MASTER', kind: 'secret access key', value: 'MASTERSECRETKEY' },
  { label: 'test/credentials/providers.test.ts profile "default"', kind: 'secret access key', value: 'DEFAULTSECRETKEY' },
  { label: 'test/credentials/providers.test.ts profile "dev"', kind: 'secret access key', value: 'DEVSECRETKEY' },
  { label: 'test/credentials/providers.test.ts profile "dev" session token', kind: 'session token', value: 'DEVTOKEN' },
  { label: 'test/credentials/providers.test.ts profile "base"', kind: 'secret access key', value: 'BASESECRETKEY' },
  { label: 'test/credentials/providers.test.ts profile "work"', kind: 'secret access key', value: 'WORKSECRETKEY' },
  { label: 'test/credentials/providers.test.ts environment secret', kind: 'secret access key', value: 'ENVSECRETKEY' },
  { label: 'test/credentials/providers.test.ts environment session token', kind: 'session token', value: 'ENVTOKEN' },
  { label: 'test/credentials/providers.test.ts web identity token', kind: 'bearer token', value: 'eyJ.fake.jwt' },
  { label: 'test/credentials/providers.test.ts web identity token file', kind: 'bearer token', value: 'eyJ.file.jwt' },
  { label: 'test/credentials/providers.test.ts IRSA token', kind: 'bearer token', value: 'eyJ.irsa.jwt' },
  { label: 'test/credentials/providers.test.ts SSO access token', kind: 'bearer token', value: 'fake-sso-access-token' },
  { label: 'test/credentials/providers.test.ts legacy SSO access token', kind: 'bearer token', value: 'legacy-token' },
  { label: 'test/credentials/providers.test.ts container authorization token', kind: 'bearer token', value: 'fake-pod-identity' },
  {
    label: 'AWS SigV4 test suite post-sts-token session token (test/vectors)',
    kind: 'session token',
    value:
      'AQoDYXdzEPT//////////wEXAMPLEtc764bNrC9SAPBSM22wDOk4x4HIZ8j4FZTwdQWLWsKWHGBuFqwAeMicRXmxfpSPfIeoIYRqTflfKD8YUuwthAx7mSEI/qkPpKPi/kMcGdQrmGdeehM4IC1NtBmUpp2wUE8phUZampKsburEDy0KPkyQDYwT7WZ0wq5VSXDvp75YU9HFvlRd8Tx6q6fE8YQcHNVXAkiY9q6d+xo0rKwT38xVqr7ZD0u0iPPkUL64lIZbqBAz+scqKmlzm8FDrypNC9Yjc8fPOLn9FX9KSYvKTr4rvx3iSIlTJabIQwj2ICCR/oLxBA==',
  },
  { label: 'AWS SigV4a test suite session token (test/vectors)', kind: 'session token', value: '6e86291e8372ff2a2260956d9b8aae1d763fbf315fa00fa31553b73ebf194267' },
  { label: 'test/signer/url-redaction.test.ts secret key in URL user info', kind: 'secret access key', value: 'url/userinfo/secret/0123456789abcdefghij' },
  { label: 'test/signer/url-redaction.test.ts X-Amz-Signature value', kind: 'bearer token', value: 'f0e1d2c3b4a5968778695a4b3c2d1e0ff0e1d2c3b4a5968778695a4b3c2d1e0f' },
  { label: 'test/signer/url-redaction.test.ts X-Amz-Security-Token value', kind: 'session token', value: 'URL+REDACTION/SESSION=token' },
  { label: 'test/signer/url-redaction.test.ts X-Amz-Credential value', kind: 'bearer token', value: 'AKIDURLREDACTION/20150830/us-east-1/s3/aws4_request' },
]);

/** Secrets test helpers generate at run time. */
export const SECRET_PATTERNS: readonly SecretPattern[] = Object.freeze([
  { label: 'test/helpers/fake-aws.ts issued secret access key', kind: 'secret access key', pattern: /fake-secret-[a-z]+-\d+-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/ },
  { label: 'test/helpers/fake-aws.ts issued session token', kind: 'session token', pattern: /fake-token-[a-z]+-\d+-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/ },
  { label: 'test/helpers/fake-aws.ts IMDSv2 session token', kind: 'session token', pattern: /fake-imds-session-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/ },
]);

/**
 * Scopes (`date/region/service`) whose derived signing keys are looked for, besides today ±1 day and every
 * scope written in the scanned text: the dates, regions and services the test tree signs with.
 */
export const SIGNING_SCOPES: readonly string[] = Object.freeze(
  (() => {
    const dates = ['20150830', '20150831', '20110909', '20130524', '20240228', '20240229', '20240101', '20250101', '20200101', '20260601'];
    const regions = ['us-east-1', 'eu-west-1'];
    const services = ['s3', 'es', 'iam', 'host', 'service', 'sts', 'execute-api', 'lambda', 'events'];
    return dates.flatMap((date) => regions.flatMap((region) => services.map((service) => `${date}/${region}/${service}`)));
  })(),
);

/** Values that look like secrets to {@link discoverSecrets} but are not. */
const NOT_SECRETS = new Set(['[redacted]', '<redacted>', 'secretAccessKey', 'sessionToken', 'SecretAccessKey', 'SessionToken']);
const MIN_SECRET_LENGTH = 8;

const ASSIGNMENT =
  /(?:secretAccessKey|sessionToken|secret_access_key|session_token|SECRET_ACCESS_KEY|SESSION_TOKEN|SECRET_KEY|STS_KEY|SECRET_MARK|TOKEN_MARK|SECRET|webIdentityToken|accessToken|authorizationToken|awsContainerAuthorizationToken|"token")\s*["']?\s*[:=]\s*["'`]([^"'`$\\\s]+)["'`]/g;
const INI_ASSIGNMENT = /aws_(?:secret_access_key|session_token)\s*=\s*([^\s'"`\\$]+)/g;
const AWS_SECRET_LIKE = /["'`]([A-Za-z0-9/+]{40})["'`]/g;

function* filesUnder(dir: string): Generator<string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* filesUnder(path);
    else if (/\.(?:ts|mjs|sh|json)$/.test(entry.name)) yield path;
  }
}

function looksLikeAwsSecret(value: string): boolean {
  return /[a-z]/.test(value) && /[A-Z]/.test(value) && /[0-9]/.test(value) && !/^[0-9a-fA-F]+$/.test(value);
}

/**
 * Finds the secrets written in the test tree (`test/`): literals assigned to secret- or token-named keys
 * (TypeScript, JSON, shell), INI `aws_secret_access_key =` lines, and 40-character literals that look like
 * AWS secret access keys. Each is labelled `path:line`.
 */
export function discoverSecrets(root: string = ROOT): RegisteredSecret[] {
  const found: RegisteredSecret[] = [];
  for (const path of filesUnder(join(root, 'test'))) {
    const text = readFileSync(path, 'utf8');
    const where = (index: number): string => `${relative(root, path)}:${text.slice(0, index).split('\n').length}`;
    const add = (value: string, index: number, kind: SecretKind): void => {
      if (value.length < MIN_SECRET_LENGTH || NOT_SECRETS.has(value) || /^(?:options|request|credentials)\./.test(value)) return;
      found.push({ label: `${where(index)} (found in the test tree)`, kind, value });
    };
    for (const match of text.matchAll(ASSIGNMENT)) {
      add(match[1] as string, match.index, /token|TOKEN/.test(match[0]) ? 'session token' : 'secret access key');
    }
    for (const match of text.matchAll(INI_ASSIGNMENT)) add(match[1] as string, match.index, /token/.test(match[0]) ? 'session token' : 'secret access key');
    for (const match of text.matchAll(AWS_SECRET_LIKE)) if (looksLikeAwsSecret(match[1] as string)) add(match[1] as string, match.index, 'secret access key');
  }
  return found;
}

let cachedRegistry: SecretRegistry | undefined;

/** {@link KNOWN_SECRETS} and {@link discoverSecrets}, one entry per value (the hand-written label wins), and the patterns. */
export function secretRegistry(): SecretRegistry {
  if (cachedRegistry !== undefined) return cachedRegistry;
  const byValue = new Map<string, RegisteredSecret>();
  for (const secret of [...KNOWN_SECRETS, ...discoverSecrets()]) if (!byValue.has(secret.value)) byValue.set(secret.value, secret);
  cachedRegistry = { secrets: [...byValue.values()], patterns: SECRET_PATTERNS };
  return cachedRegistry;
}

function hmac(key: Buffer | string, data: string): Buffer {
  return createHmac('sha256', key).update(data, 'utf8').digest();
}

/** The SigV4 signing key of `secret` for `scope` (`date/region/service`), computed here with plain node:crypto. */
export function signingKeyOf(secret: string, scope: string): Buffer {
  const [date = '', region = '', service = ''] = scope.split('/');
  return hmac(hmac(hmac(hmac(`AWS4${secret}`, date), region), service), 'aws4_request');
}

function utcDay(offsetDays: number): string {
  return new Date(Date.now() + offsetDays * 86_400_000).toISOString().slice(0, 10).replace(/-/g, '');
}

const SCOPE_IN_TEXT = /\b(\d{8})\/([A-Za-z0-9._-]+)\/([A-Za-z0-9._-]+)\/aws4_request/g;
const HEX_32_BYTES = /(?<![0-9a-fA-F])[0-9a-fA-F]{64}(?![0-9a-fA-F])/g;
const BASE64_32_BYTES = /(?<![A-Za-z0-9+/])[A-Za-z0-9+/]{43}=/g;
const BUFFER_32_BYTES = /<Buffer((?: [0-9a-f]{2}){32})>/g;

/** Every 32-byte value written in `text` (hex, base64, `<Buffer …>`), as lower-case hex with its form. */
function byteCandidates(text: string): Array<{ hex: string; form: string; index: number }> {
  const candidates: Array<{ hex: string; form: string; index: number }> = [];
  for (const m of text.matchAll(HEX_32_BYTES)) candidates.push({ hex: m[0].toLowerCase(), form: 'hex', index: m.index });
  for (const m of text.matchAll(BASE64_32_BYTES)) candidates.push({ hex: Buffer.from(m[0], 'base64').toString('hex'), form: 'base64', index: m.index });
  for (const m of text.matchAll(BUFFER_32_BYTES)) candidates.push({ hex: (m[1] as string).replace(/ /g, ''), form: 'a <Buffer> rendering', index: m.index });
  return candidates;
}

/** Whether `text` holds `length` characters in a row that count up by one (`456789`, `cdefgh`). */
function hasCounterRun(text: string, length: number): boolean {
  let run = 1;
  for (let i = 1; i < text.length; i++) {
    run = text.charCodeAt(i) === text.charCodeAt(i - 1) + 1 ? run + 1 : 1;
    if (run >= length) return true;
  }
  return false;
}

interface Needle {
  readonly secret: RegisteredSecret;
  readonly text: string;
  readonly form: string;
}

const needleCache = new WeakMap<SecretRegistry, Needle[]>();

/** Each secret as it may be written: as is, URL-encoded, JSON-escaped, and (long ones) its first and last 20 characters when distinctive. */
function needlesOf(registry: SecretRegistry): Needle[] {
  const cached = needleCache.get(registry);
  if (cached !== undefined) return cached;
  const needles: Needle[] = [];
  const parts = (value: string): string[] => (value.length >= 32 ? [value.slice(0, 20), value.slice(-20)] : []);
  // A part is evidence of one secret only if no other registered secret contains it and it is not mostly
  // filler such as "0123456789abcdef" (which several test secrets share).
  const distinctive = (part: string, owner: string): boolean =>
    !registry.secrets.some(({ value }) => value !== owner && value.includes(part)) && !/^[0-9a-f]+$/.test(part) && !hasCounterRun(part, 6);
  for (const secret of registry.secrets) {
    const forms = new Map<string, string>([[secret.value, 'as is']]);
    const encoded = encodeURIComponent(secret.value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
    if (!forms.has(encoded)) forms.set(encoded, 'URL-encoded');
    const escaped = JSON.stringify(secret.value).slice(1, -1);
    if (!forms.has(escaped)) forms.set(escaped, 'JSON-escaped');
    const [first, last] = parts(secret.value);
    if (first !== undefined && distinctive(first, secret.value)) forms.set(first, 'its first 20 characters');
    if (last !== undefined && distinctive(last, secret.value)) forms.set(last, 'its last 20 characters');
    for (const [text, form] of forms) if (!needles.some((n) => n.text === text && n.secret === secret)) needles.push({ secret, text, form });
  }
  // Longest first, so masking replaces a whole secret before a part of it.
  needles.sort((a, b) => b.text.length - a.text.length);
  needleCache.set(registry, needles);
  return needles;
}

/** `text` around `index` with every registered secret (in every form) and pattern match masked. */
function maskedContext(text: string, index: number, length: number, registry: SecretRegistry, needles: readonly Needle[]): string {
  let around = text.slice(Math.max(0, index - 60), index + length + 60);
  for (const needle of needles) around = around.split(needle.text).join('[SECRET]');
  for (const { pattern } of registry.patterns) around = around.replace(new RegExp(pattern.source, 'g'), '[SECRET]');
  around = around.replace(HEX_32_BYTES, '[32 BYTES]').replace(BASE64_32_BYTES, '[32 BYTES]').replace(BUFFER_32_BYTES, '[32 BYTES]');
  return JSON.stringify(around);
}

/**
 * Scans texts for registered secrets (in every form), pattern secrets, and derived signing keys. Pure apart
 * from reading the clock for today's signing-key scopes.
 *
 * @returns one finding per secret, form and source
 */
export function scanTexts(sources: readonly ScanSource[], registry: SecretRegistry = secretRegistry()): Finding[] {
  const findings: Finding[] = [];
  const needles = needlesOf(registry);
  const byteValues: Array<{ source: ScanSource; hex: string; form: string; index: number }> = [];
  const scopes = new Set<string>();
  for (const source of sources) {
    const { text } = source;
    for (const needle of needles) {
      const index = text.indexOf(needle.text);
      if (index === -1) continue;
      // A part of a secret found inside the whole secret is already reported.
      if (needle.form.startsWith('its ') && findings.some((f) => f.where === source.where && f.label === needle.secret.label)) continue;
      findings.push({ label: needle.secret.label, kind: needle.secret.kind, where: source.where, form: needle.form, context: maskedContext(text, index, needle.text.length, registry, needles) });
    }
    for (const { label, kind, pattern } of registry.patterns) {
      const match = new RegExp(pattern.source).exec(text);
      if (match !== null) findings.push({ label, kind, where: source.where, form: 'as is', context: maskedContext(text, match.index, match[0].length, registry, needles) });
    }
    for (const candidate of byteCandidates(text)) byteValues.push({ source, ...candidate });
    for (const m of text.matchAll(SCOPE_IN_TEXT)) scopes.add(`${m[1]}/${m[2]}/${m[3]}`);
  }
  if (byteValues.length > 0) {
    for (const scope of SIGNING_SCOPES) scopes.add(scope);
    for (const offset of [-1, 0, 1]) for (const region of ['us-east-1', 'eu-west-1']) for (const service of ['s3', 'es', 'sts', 'service']) scopes.add(`${utcDay(offset)}/${region}/${service}`);
    const keys = signingKeyIndex(registry, scopes);
    for (const value of byteValues) {
      const owner = keys.get(value.hex);
      if (owner === undefined) continue;
      findings.push({
        label: `signing key of ${owner.secret.label} for ${owner.scope}`,
        kind: 'signing key',
        where: value.source.where,
        form: value.form,
        context: maskedContext(value.source.text, value.index, 64, registry, needles),
      });
    }
  }
  return findings;
}

const keyIndexCache = new Map<string, { secret: RegisteredSecret; scope: string }>();
const indexedScopes = new Set<string>();

function signingKeyIndex(registry: SecretRegistry, scopes: ReadonlySet<string>): Map<string, { secret: RegisteredSecret; scope: string }> {
  for (const scope of scopes) {
    if (indexedScopes.has(scope)) continue;
    indexedScopes.add(scope);
    for (const secret of registry.secrets) {
      if (secret.kind !== 'secret access key') continue;
      keyIndexCache.set(signingKeyOf(secret.value, scope).toString('hex'), { secret, scope });
    }
  }
  return keyIndexCache;
}

function safely(render: () => string): string {
  try {
    return render();
  } catch (error) {
    return `<rendering threw ${typeof error}>`;
  }
}

/**
 * Every way an error is commonly printed, for it and each error in its `cause` chain (and an
 * `AggregateError`'s `errors`): `message`, `String(error)`, `util.inspect(error, { depth: 5 })`,
 * `JSON.stringify(error)`, and the stack.
 */
export function errorRenderings(error: unknown, where: string): ScanSource[] {
  const sources: ScanSource[] = [];
  const seen = new Set<unknown>();
  const visit = (value: unknown, path: string, depth: number): void => {
    if (depth > 8 || seen.has(value)) return;
    seen.add(value);
    // The value may be hostile (a throwing `name` getter, a revoked Proxy): every read is guarded.
    const isError = (() => {
      try {
        return value instanceof Error;
      } catch {
        return false;
      }
    })();
    const name = isError ? safely(() => String((value as Error).name)) : typeof value;
    const at = `${where}${path} (${name})`;
    if (isError) {
      sources.push({ where: `${at} message`, text: safely(() => String((value as Error).message)) });
      sources.push({ where: `${at} stack`, text: safely(() => String((value as Error).stack)) });
    }
    sources.push({ where: `${at} String()`, text: safely(() => String(value)) });
    sources.push({ where: `${at} util.inspect`, text: safely(() => inspect(value, { depth: 5 })) });
    sources.push({ where: `${at} JSON.stringify`, text: safely(() => String(JSON.stringify(value))) });
    if (value !== null && typeof value === 'object') {
      const read = (key: 'cause' | 'errors'): unknown => {
        try {
          return (value as Record<string, unknown>)[key];
        } catch {
          return undefined;
        }
      };
      const cause = read('cause');
      if (cause !== undefined) visit(cause, `${path}.cause`, depth + 1);
      const errors = read('errors');
      if (Array.isArray(errors)) errors.forEach((inner, i) => visit(inner, `${path}.errors[${i}]`, depth + 1));
    }
  };
  visit(error, '', 0);
  return sources;
}

/** The failure message for a test file's findings: labels, kinds, places and masked context; never a secret. */
export function describeFindings(file: string, findings: readonly Finding[]): string {
  const lines = findings.map((f) => `  - ${f.kind} "${f.label}" in ${f.where}, written ${f.form}; context (secrets masked): ${f.context}`);
  return `secret scan: ${findings.length} secret${findings.length === 1 ? '' : 's'} found in what ${file} produced:\n${lines.join('\n')}`;
}

/**
 * Every diagnostics channel the library declares: each `*_CHANNEL` constant `src/diagnostics/channels.ts`
 * exports, so a channel added there is scanned without a change here.
 */
export function diagnosticsChannels(): string[] {
  return Object.entries(diagnostics)
    .filter(([name, value]) => name.endsWith('_CHANNEL') && typeof value === 'string' && value.startsWith('got-aws4auth:'))
    .map(([, value]) => value as string);
}
