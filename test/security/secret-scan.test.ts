/**
 * The secret scan itself (test/helpers/secrets.ts and secret-scan-setup.ts) must be able to fail.
 *
 * The pure scanner is run on crafted errors: made without the AWS4AuthError constructor (an Error given
 * the subclass's prototype), so they are never published on the diagnostics channel and cannot fail this
 * file's own scan. The whole mechanism (channel, output capture, afterAll) is run end to end in a child
 * vitest on `fixtures/leaky.fixture.ts`, which leaks on purpose.
 */
import { describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { inspect } from 'node:util';
import { AWS4AUTH_ERROR_CHANNEL, InvalidHeaderError, InvalidInputError, onAWS4AuthError, type AWS4AuthError } from '../../src/signer/errors.js';
import { CredentialsError } from '../../src/credentials/errors.js';
import {
  KNOWN_SECRETS,
  SIGNING_SCOPES,
  describeFindings,
  diagnosticsChannels,
  discoverSecrets,
  errorRenderings,
  scanTexts,
  secretRegistry,
  signingKeyOf,
  type Finding,
} from '../helpers/secrets.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const DOCS_SECRET = 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY';
const PLUGIN_TOKEN = 'SESSION+TOKEN/VALUE==';
const RGW_SECRET = 'gotaws4authTestSecretKey0123456789abcdef';

/** An error of `Class` with `message`, made without running its constructor (so nothing is published). */
function crafted<T extends Error>(Class: abstract new (...args: never[]) => T, message: string, extra: Record<string, unknown> = {}): T {
  const error = Object.setPrototypeOf(new Error(message), Class.prototype) as T;
  Object.defineProperty(error, 'name', { value: Class.name, enumerable: false });
  return Object.assign(error, extra);
}

function scanError(error: unknown): Finding[] {
  return scanTexts(errorRenderings(error, 'error #1'));
}

describe('the secret registry', () => {
  it('holds the suite credentials, the RGW test user and what the test tree writes', () => {
    const values = new Set(secretRegistry().secrets.map((s) => s.value));
    for (const value of [DOCS_SECRET, 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', RGW_SECRET, PLUGIN_TOKEN, 'cli/temporary/secret/0123456789abcdefghij']) expect(values.has(value)).toBe(true);
  });

  it('finds secrets in the test tree by itself: rgw.sh, the plugin tests, the vector contexts', () => {
    const discovered = discoverSecrets();
    const where = (value: string) => discovered.filter((s) => s.value === value).map((s) => s.label.split(':')[0]);
    expect(where(RGW_SECRET)).toContain('test/servers/rgw.sh');
    expect(where('plugin/test/secret/key/0123456789abcdefgh')).toContain('test/got/plugin.test.ts');
    expect(where('6e86291e8372ff2a2260956d9b8aae1d763fbf315fa00fa31553b73ebf194267').some((path) => path?.startsWith('test/vectors/sigv4a-test-suite/'))).toBe(true);
  });

  it('registers nothing short or ordinary enough to match prose', () => {
    for (const { value } of secretRegistry().secrets) {
      expect(value.length).toBeGreaterThanOrEqual(8);
      expect(['secret', 'password', 'undefined', '[redacted]']).not.toContain(value.toLowerCase());
    }
    expect(KNOWN_SECRETS.every((s) => s.label.length > 0)).toBe(true);
  });
});

describe('scanTexts on crafted errors', () => {
  it('finds a registered secret in an error message, and reports its label, never its value', () => {
    const findings = scanError(crafted(InvalidInputError, `options.region must be a region, got ${DOCS_SECRET}`, { field: 'options.region', code: 'ERR_AWS4_INVALID_INPUT' }));
    expect(findings.map((f) => [f.kind, f.where, f.form])).toContainEqual(['secret access key', 'error #1 (InvalidInputError) message', 'as is']);
    expect(findings.map((f) => f.where)).toEqual(expect.arrayContaining(['error #1 (InvalidInputError) String()', 'error #1 (InvalidInputError) util.inspect', 'error #1 (InvalidInputError) stack']));
    const report = describeFindings('test/x.test.ts', findings);
    expect(report).toContain('test/x.test.ts');
    expect(report).toContain('AWS documentation example secret');
    expect(report).toContain('[SECRET]');
    expect(report.includes(DOCS_SECRET)).toBe(false);
    expect(report.includes(DOCS_SECRET.slice(0, 20))).toBe(false);
  });

  it('finds a session token URL-encoded, JSON-escaped, or cut to its first 20 characters', () => {
    const encoded = scanTexts([{ where: 'url', text: `https://x/?X-Amz-Security-Token=${encodeURIComponent(PLUGIN_TOKEN)}` }]);
    expect(encoded.map((f) => [f.label, f.form])).toContainEqual([expect.stringContaining('session token'), 'URL-encoded']);
    const long = KNOWN_SECRETS.find((s) => s.label.startsWith('AWS SigV4 test suite post-sts-token'))!.value;
    expect(scanTexts([{ where: 'log', text: `token starts ${long.slice(0, 24)}…` }]).map((f) => f.form)).toContain('its first 20 characters');
    expect(scanTexts([{ where: 'json', text: JSON.stringify({ t: 'FQoGZXIvYXdzEXAMPLE-SESSION-TOKEN/with+chars==' }) }])).toHaveLength(1);
  });

  it('finds a secret in the cause chain and in an AggregateError', () => {
    const error = crafted(CredentialsError, 'The credential provider failed (Error; see `cause`).', { cause: new Error(`STS said: bad key ${RGW_SECRET}`) });
    expect(scanError(error).map((f) => f.where)).toContain('error #1.cause (Error) message');
    const aggregate = new AggregateError([new Error(`first ${PLUGIN_TOKEN}`)], 'several');
    expect(scanError(aggregate).map((f) => f.where)).toContain('error #1.errors[0] (Error) message');
  });

  it('finds a secret only JSON.stringify or util.inspect would show', () => {
    const json = crafted(InvalidHeaderError, 'harmless', { toJSON: () => ({ token: PLUGIN_TOKEN }) });
    expect(scanError(json).map((f) => f.where)).toEqual(['error #1 (InvalidHeaderError) JSON.stringify']);
    const hidden = crafted(InvalidHeaderError, 'harmless', { [inspect.custom]: () => `secret: ${DOCS_SECRET}` });
    expect(scanError(hidden).map((f) => f.where)).toEqual(['error #1 (InvalidHeaderError) util.inspect']);
  });

  it('finds a derived signing key as hex, base64 or a <Buffer> rendering, for a known scope or one written beside it', () => {
    const key = signingKeyOf(DOCS_SECRET, SIGNING_SCOPES[0]!);
    for (const text of [`key ${key.toString('hex')}`, `key ${key.toString('base64')}`]) {
      expect(scanTexts([{ where: 'log', text }]).map((f) => f.kind)).toEqual(['signing key']);
    }
    expect(scanError(crafted(InvalidInputError, 'harmless', { key })).map((f) => [f.kind, f.form])).toContainEqual(['signing key', 'a <Buffer> rendering']);
    const unusual = signingKeyOf(RGW_SECRET, '20301231/ap-south-2/kinesis');
    expect(scanTexts([{ where: 'log', text: `${unusual.toString('hex')}` }])).toEqual([]);
    expect(scanTexts([{ where: 'log', text: `scope 20301231/ap-south-2/kinesis/aws4_request key ${unusual.toString('hex')}` }]).map((f) => f.label)).toEqual([
      expect.stringContaining('for 20301231/ap-south-2/kinesis'),
    ]);
  });

  it('finds the secrets fake-aws.ts issues at run time', () => {
    const text = 'fake-secret-sts-3-0f8fad5b-d9cb-469f-a165-70867728950e and fake-token-imds-1-7c9e6679-7425-40de-944b-e07fc1f90ae7';
    expect(scanTexts([{ where: 'log', text }]).map((f) => f.kind).sort()).toEqual(['secret access key', 'session token']);
  });

  it('passes what the library really says about bad input (a clean scan is possible)', () => {
    const clean = [
      crafted(InvalidHeaderError, 'request.headers["x-a"] contains a line break (CR or LF), which would inject a header'),
      crafted(CredentialsError, 'The credential provider returned malformed credentials: `secretAccessKey` is empty.'),
    ];
    expect(clean.flatMap(scanError)).toEqual([]);
    // Signatures and payload hashes are 64 hex digits too, and are not keys.
    expect(scanTexts([{ where: 'log', text: 'Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31 e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855' }])).toEqual([]);
  });
});

describe('diagnostics events', () => {
  it('every channel src/diagnostics/channels.ts declares is scanned', () => {
    expect(diagnosticsChannels().sort()).toEqual(['got-aws4auth:clock', 'got-aws4auth:credentials', 'got-aws4auth:retry', 'got-aws4auth:sign']);
  });
});

describe('rendering hostile errors', () => {
  it('survives a throwing name getter, a revoked Proxy as the cause, and still renders what it can', () => {
    const { proxy, revoke } = Proxy.revocable({}, {});
    revoke();
    const error = new Error('outer');
    Object.defineProperty(error, 'name', {
      get() {
        throw new Error('no name');
      },
    });
    Object.defineProperty(error, 'cause', { value: proxy });
    const sources = errorRenderings(error, 'error #1');
    expect(sources.some((s) => s.text.includes('outer'))).toBe(true);
    expect(sources.some((s) => s.where.startsWith('error #1.cause'))).toBe(true);
  });
});

describe('the error channel', () => {
  it(`publishes every AWS4AuthError on "${AWS4AUTH_ERROR_CHANNEL}" while subscribed`, () => {
    expect(AWS4AUTH_ERROR_CHANNEL).toBe('got-aws4auth:error');
    const seen: AWS4AuthError[] = [];
    const stop = onAWS4AuthError((error) => seen.push(error));
    const first = new InvalidInputError('options.region', 'is missing');
    stop();
    void new InvalidInputError('options.service', 'is missing');
    expect(seen).toEqual([first]);
    expect((seen[0] as InvalidInputError | undefined)?.field).toBe('options.region');
  });
});

describe('the setup file, end to end', () => {
  it(
    'fails a test file that leaks, naming the file, each secret by label and where it was found, and never printing a secret',
    async () => {
      const dir = mkdtempSync(join(tmpdir(), 'got-aws4auth-scan-'));
      try {
        const config = join(dir, 'vitest.config.mjs');
        const summary = join(dir, 'summary.jsonl');
        writeFileSync(
          config,
          `export default { test: { root: ${JSON.stringify(ROOT)}, include: ['test/security/fixtures/leaky*.fixture.ts'], setupFiles: ['./test/helpers/secret-scan-setup.ts'], reporters: ['default'] } };\n`,
        );
        const result = await new Promise<{ code: number | null; output: string }>((resolve) => {
          execFile(
            process.execPath,
            [join(ROOT, 'node_modules/vitest/vitest.mjs'), 'run', '--config', config, '--silent'],
            { cwd: ROOT, env: { ...process.env, SECRET_SCAN_SUMMARY: summary, NO_COLOR: '1', FORCE_COLOR: '0' }, timeout: 120_000, maxBuffer: 16 * 1024 * 1024 },
            (error, stdout, stderr) => resolve({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : null, output: `${stdout}\n${stderr}` }),
          );
        });
        expect(result.code).not.toBe(0);
        type Line = { file: string; errors: number; events: number; findings: Array<Omit<Finding, 'context'>> };
        const lines = readFileSync(summary, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Line);
        const line = lines.find((l) => l.file === 'test/security/fixtures/leaky.fixture.ts');
        const events = lines.find((l) => l.file === 'test/security/fixtures/leaky-events.fixture.ts');
        expect(events?.events).toBe(2);
        expect(new Set(events?.findings.map((f) => `${f.where} | ${f.kind} | ${f.form}`))).toEqual(
          new Set([
            'diagnostics event on got-aws4auth:credentials (JSON) | secret access key | as is',
            'diagnostics event on got-aws4auth:credentials (util.inspect) | secret access key | as is',
            'diagnostics event on got-aws4auth:retry (JSON) | session token | as is',
            'diagnostics event on got-aws4auth:retry (util.inspect) | session token | as is',
          ]),
        );
        expect(line?.errors).toBe(3);
        const found = new Set(line?.findings.map((f) => `${f.where} | ${f.kind} | ${f.form}`));
        for (const expected of [
          'console.log | session token | as is',
          'process.stderr | session token | URL-encoded',
          'error #1 (InvalidInputError) message | secret access key | as is',
          'error #2.cause (Error) message | secret access key | as is',
          'error #3 (AWS4AuthError) util.inspect | signing key | a <Buffer> rendering',
          'process warning | secret access key | as is',
        ]) {
          expect(found.has(expected), `finding "${expected}"`).toBe(true);
        }
        // The failure the child printed names the file and the labels, and holds no secret.
        const report = result.output.slice(result.output.indexOf('secret scan:'));
        expect(report).toContain('test/security/fixtures/leaky.fixture.ts');
        expect(report).toContain('test/got/plugin.test.ts and sigv4a-got.test.ts session token');
        const failure = report.split('\n').filter((l) => l.startsWith('secret scan:') || l.startsWith('  - ')).join('\n');
        for (const { value } of secretRegistry().secrets) expect(failure.includes(value), 'a registered secret in the failure message').toBe(false);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
    120_000,
  );
});
