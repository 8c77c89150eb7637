/**
 * Cold import time: how long `await import(specifier)` takes in a new Node process, for our two entry
 * points and for the peers a user would otherwise pick. Startup of Node itself is not counted: each child
 * reads `performance.now()` just before and just after the import, so the figure is what the package adds
 * to a service's start (module resolution, reading, compiling and evaluating its graph).
 *
 * Processes run interleaved (one of each specifier per round, the order rotated every round) so that a
 * noisy neighbour on this shared machine slows every contender alike; the median of the rounds is
 * reported, with the 90th percentile and the ratio to the first peer measured in the same run.
 *
 *   npm run build && node test/bench/cold-import.ts          # (tsx: node --import tsx ...)
 *   COLD_IMPORT_RUNS=60 node --import tsx test/bench/cold-import.ts
 *   COLD_IMPORT_SPECIFIERS=file:///tmp/old/dist/index.js,got-aws4auth node --import tsx test/bench/cold-import.ts
 *
 * `COLD_IMPORT_SPECIFIERS` (comma-separated) replaces the default list, e.g. to compare another build of
 * the package (a file URL) with this one in the same interleaved run.
 *
 * `got-aws4auth` is imported by its own name (package self-reference), so it resolves through the
 * `exports` map to `dist/`, exactly as an installed copy does: build first.
 *
 * @module
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** The specifiers measured, ours first. */
export const SPECIFIERS = ['got-aws4auth', 'got-aws4auth/signer', 'aws4', '@smithy/signature-v4'] as const;

/** What one specifier measured. */
export interface ColdImportResult {
  readonly specifier: string;
  readonly medianMs: number;
  readonly p90Ms: number;
  readonly runs: number;
}

const CHILD = (specifier: string): string =>
  `const t = performance.now(); await import(${JSON.stringify(specifier)}); process.stdout.write(String(performance.now() - t));`;

/** Imports `specifier` in a new process (cwd: the repository) and returns the milliseconds it took. */
export function timeColdImport(specifier: string, node: string = process.execPath): number {
  const out = execFileSync(node, ['--input-type=module', '-e', CHILD(specifier)], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' } });
  const ms = Number(out);
  if (!Number.isFinite(ms)) throw new Error(`importing ${specifier} printed ${JSON.stringify(out)}, not a duration`);
  return ms;
}

function quantile(sorted: readonly number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

/** Measures every specifier `runs` times, interleaved, after one untimed round that warms the disk cache. */
export function measureColdImports(runs: number, specifiers: readonly string[] = SPECIFIERS): ColdImportResult[] {
  for (const specifier of specifiers) timeColdImport(specifier);
  const samples = new Map(specifiers.map((s) => [s, [] as number[]]));
  for (let round = 0; round < runs; round += 1) {
    for (let i = 0; i < specifiers.length; i += 1) {
      const specifier = specifiers[(i + round) % specifiers.length]!;
      samples.get(specifier)!.push(timeColdImport(specifier));
    }
  }
  return specifiers.map((specifier) => {
    const sorted = samples.get(specifier)!.sort((a, b) => a - b);
    return { specifier, medianMs: quantile(sorted, 0.5), p90Ms: quantile(sorted, 0.9), runs };
  });
}

function report(results: readonly ColdImportResult[]): string {
  const reference = results.find((r) => r.specifier === 'aws4') ?? results[0]!;
  const lines = [`cold import on node ${process.version}, ${results[0]?.runs ?? 0} processes each (median, p90, ratio to ${reference.specifier})`];
  for (const r of results) {
    lines.push(`${r.specifier.padEnd(24)} ${r.medianMs.toFixed(1).padStart(7)} ms  p90 ${r.p90Ms.toFixed(1).padStart(7)} ms  ${(r.medianMs / reference.medianMs).toFixed(2)}x`);
  }
  return `${lines.join('\n')}\n`;
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  if (!existsSync(new URL('../../dist/index.js', import.meta.url))) throw new Error('dist/ is missing: run `npm run build` first');
  const runs = Number(process.env.COLD_IMPORT_RUNS ?? 30);
  const specifiers = (process.env.COLD_IMPORT_SPECIFIERS ?? '').split(',').filter((s) => s !== '');
  process.stdout.write(report(measureColdImports(Number.isInteger(runs) && runs > 0 ? runs : 30, specifiers.length > 0 ? specifiers : SPECIFIERS)));
}
