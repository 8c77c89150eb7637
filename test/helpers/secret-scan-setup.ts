/**
 * vitest setup file: the suite-wide secret scan. In every test file it
 *
 * - subscribes to the `got-aws4auth:error` diagnostics channel and keeps every `AWS4AuthError` created
 *   (by src/ or dist/, thrown or not);
 * - subscribes to every diagnostics channel `src/diagnostics/channels.ts` exports (each `*_CHANNEL` constant,
 *   so a channel added there is scanned without a change here) and renders every event published on them
 *   (`JSON.stringify` and `util.inspect`) as it is published;
 * - captures everything written through `console.*`, `process.stdout`, `process.stderr` and process
 *   warnings (still passing it through);
 * - after the file's tests (`afterAll`), scans each error's `message`, `String(error)`,
 *   `util.inspect(error, { depth: 5 })`, `JSON.stringify(error)`, stack and `cause` chain, and all the
 *   captured output, for every secret in `test/helpers/secrets.ts`, and fails the file naming the secret's
 *   label and where it was found (never the secret itself).
 *
 * Each file appends one line of counts (and findings, by label) to a summary file: the one
 * `test/security/secret-scan-global-setup.ts` provides when it is configured as a globalSetup (it prints the
 * run's total at the end), else `$SECRET_SCAN_SUMMARY`, else `.tmp/secret-scan/files.jsonl`.
 */
import { afterAll, inject } from 'vitest';
import { appendFileSync, mkdirSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { format, inspect } from 'node:util';
import { AWS4AUTH_ERROR_CHANNEL } from '../../src/signer/errors.js';
import { describeFindings, diagnosticsChannels, errorRenderings, scanTexts, type ScanSource } from './secrets.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Where each test file appends its scan counts (set by secret-scan-global-setup.ts). */
    secretScanSummary?: string;
  }
}

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
/** Used when no globalSetup provides a per-run summary file. */
const DEFAULT_SUMMARY = join(ROOT, '.tmp', 'secret-scan', 'files.jsonl');
/** Captured output kept per file; beyond it only the count grows (a secret past it would go unseen, so it is generous). */
const MAX_CAPTURED_CHARS = 64 * 1024 * 1024;

const errors: unknown[] = [];
const output: ScanSource[] = [];
let capturedChars = 0;
let droppedChars = 0;

function capture(where: string, text: string): void {
  if (text.length === 0) return;
  if (capturedChars + text.length > MAX_CAPTURED_CHARS) {
    droppedChars += text.length;
    return;
  }
  capturedChars += text.length;
  output.push({ where, text });
}

function chunkText(chunk: unknown, encoding: unknown): string {
  if (typeof chunk === 'string') return chunk;
  if (chunk instanceof Uint8Array) return Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength).toString(typeof encoding === 'string' && Buffer.isEncoding(encoding) ? encoding : 'utf8');
  return String(chunk);
}

// --- errors, from the first module the test file imports on -------------------------------------
const onError = (message: unknown): void => {
  errors.push(message);
};
subscribe(AWS4AUTH_ERROR_CHANNEL, onError);

// --- diagnostics events, on every channel the library publishes ---------------------------------
const DIAGNOSTICS_CHANNELS = diagnosticsChannels();
let events = 0;
const onEvent = (message: unknown, name: string | symbol): void => {
  events += 1;
  const where = `diagnostics event on ${String(name)}`;
  try {
    capture(`${where} (JSON)`, String(JSON.stringify(message)));
    capture(`${where} (util.inspect)`, inspect(message, { depth: 5 }));
  } catch {
    // An event that cannot be rendered cannot leak through rendering either.
  }
};
for (const name of DIAGNOSTICS_CHANNELS) subscribe(name, onEvent);

// --- output --------------------------------------------------------------------------------------
type Write = typeof process.stdout.write;
const restores: Array<() => void> = [];

for (const [name, stream] of [['process.stdout', process.stdout], ['process.stderr', process.stderr]] as const) {
  const original = stream.write;
  const patched = function (this: NodeJS.WriteStream, chunk: unknown, encoding?: unknown, callback?: unknown): boolean {
    capture(name, chunkText(chunk, encoding));
    return (original as (...args: unknown[]) => boolean).call(this, chunk, encoding, callback);
  } as Write;
  stream.write = patched;
  restores.push(() => {
    if (stream.write === patched) stream.write = original;
  });
}

const CONSOLE_METHODS = ['log', 'info', 'warn', 'error', 'debug', 'trace', 'dir', 'table', 'assert'] as const;
for (const method of CONSOLE_METHODS) {
  const original = console[method] as (...args: unknown[]) => void;
  if (typeof original !== 'function') continue;
  const patched = function (this: Console, ...args: unknown[]): void {
    try {
      if (method === 'dir' || method === 'table') capture(`console.${method}`, inspect(args[0], { depth: 5 }));
      else if (method === 'assert') capture('console.assert', args[0] ? '' : format(...args.slice(1)));
      else capture(`console.${method}`, format(...args));
    } catch {
      // A value that cannot be formatted cannot leak through formatting either.
    }
    original.apply(this, args);
  };
  (console as unknown as Record<string, unknown>)[method] = patched;
  restores.push(() => {
    if ((console as unknown as Record<string, unknown>)[method] === patched) (console as unknown as Record<string, unknown>)[method] = original;
  });
}

const onWarning = (warning: Error & { detail?: unknown }): void => {
  capture('process warning', `${warning.name}: ${warning.message}${warning.detail === undefined ? '' : `\n${String(warning.detail)}`}`);
};
process.on('warning', onWarning);

// --- the scan ------------------------------------------------------------------------------------
// vitest 4 hands hooks a fixture context first (it must be destructured) and the suite, here the file, second.
afterAll(async ({}, suite) => {
  // Let what the last test scheduled (process warnings are emitted on the next tick) arrive first.
  await new Promise((resolve) => setImmediate(resolve));
  unsubscribe(AWS4AUTH_ERROR_CHANNEL, onError);
  for (const name of DIAGNOSTICS_CHANNELS) unsubscribe(name, onEvent);
  process.off('warning', onWarning);
  for (const restore of restores.splice(0)) restore();

  const filepath = 'filepath' in suite && typeof suite.filepath === 'string' ? suite.filepath : suite.name;
  const file = relative(ROOT, filepath);
  const started = performance.now();
  const sources: ScanSource[] = [...output];
  errors.forEach((error, i) => sources.push(...errorRenderings(error, `error #${i + 1}`)));
  const findings = scanTexts(sources);
  const line = {
    file,
    errors: errors.length,
    events,
    outputChars: capturedChars,
    droppedChars,
    findings: findings.map(({ label, kind, where, form }) => ({ label, kind, where, form })),
    scanMs: Math.round(performance.now() - started),
  };
  const summary = (() => {
    try {
      return inject('secretScanSummary') ?? process.env['SECRET_SCAN_SUMMARY'] ?? DEFAULT_SUMMARY;
    } catch {
      return process.env['SECRET_SCAN_SUMMARY'] ?? DEFAULT_SUMMARY;
    }
  })();
  mkdirSync(dirname(summary), { recursive: true });
  appendFileSync(summary, `${JSON.stringify(line)}\n`);
  errors.length = 0;
  output.length = 0;
  if (findings.length > 0) throw new Error(describeFindings(file, findings));
});
