/**
 * Cold import time: how long `await import(specifier)` takes in a new Node process, for our two entry
 * points and for the peers a user would otherwise pick. Startup of Node itself is not counted: each child
 * reads `performance.now()` just before and just after the import, so the figure is what the package adds
 * to a service's start (module resolution, reading, compiling and evaluating its graph).
 *
 * Processes run interleaved (one of each specifier per round, the order rotated every round) so that a
 * noisy neighbour on this shared machine slows every contender alike; the median of the rounds is
 * reported, with the 90th percentile and the ratio to aws4 measured in the same run, and how many files (modules
 * that are not Node built-ins) the import loads, counted once, untimed (Node >= 22.15). Each child reports its wall
 * time and its CPU time (user + system): on a busy machine the wall time stretches with everyone else's
 * work, while the CPU time stays close to what the import costs.
 *
 *   npm run build && node test/bench/cold-import.ts          # (tsx: node --import tsx ...)
 *   COLD_IMPORT_RUNS=60 node --import tsx test/bench/cold-import.ts
 *   COLD_IMPORT_SPECIFIERS=file:///tmp/old/dist/index.js,got-aws4auth node --import tsx test/bench/cold-import.ts
 *
 * `COLD_IMPORT_SPECIFIERS` (comma-separated) replaces the default list, e.g. to compare another build of
 * the package (a file URL) with this one in the same interleaved run. `COLD_IMPORT_AFTER=got` imports got
 * first, untimed, in every child: what the package adds to an app that already loads got.
 *
 * `got-aws4auth` is imported by its own name (package self-reference), so it resolves through the
 * `exports` map to the bundle in `dist/bundle/` (test/tools/bundle.ts), exactly as an installed copy does: build
 * first. The per-module build of the same sources (`dist/index.js`, what the bundle replaced: one file per
 * source module, 108 files for the main entry point) can run beside it for comparison:
 *
 *   COLD_IMPORT_SPECIFIERS=got-aws4auth,file://$PWD/dist/index.js,aws4,@smithy/signature-v4 node --import tsx test/bench/cold-import.ts
 *
 * Another Node runs it in the same way, e.g. `npx -p node@24 node --import tsx test/bench/cold-import.ts`:
 * the children run on the Node that runs this script. The figures differ most between Node majors in what an
 * ES import of a built-in costs (see test/tools/builtin-imports.ts).
 *
 * @module
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import * as nodeModule from 'node:module';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** The specifiers measured, ours first. */
export const SPECIFIERS = ['got-aws4auth', 'got-aws4auth/signer', 'aws4', '@smithy/signature-v4'] as const;

/** One import in one process. */
export interface ColdImportSample {
  /** Wall-clock milliseconds: what a service's start waits. */
  readonly wallMs: number;
  /** CPU milliseconds (user + system) the process spent on it: far less disturbed by other load on the machine. */
  readonly cpuMs: number;
}

/** What one specifier measured: medians and 90th percentiles over the runs. */
export interface ColdImportResult {
  readonly specifier: string;
  readonly wall: { readonly median: number; readonly p90: number };
  readonly cpu: { readonly median: number; readonly p90: number };
  readonly runs: number;
  /** How many files (not Node built-ins) the import loaded; undefined on a Node without `module.registerHooks` (< 22.15). */
  readonly files: number | undefined;
}

/** Imported untimed before each measured import, e.g. `got` to see what the plugin adds to an app that has got. */
const AFTER = (process.env.COLD_IMPORT_AFTER ?? '').split(',').filter((s) => s !== '');

const CHILD = (specifier: string): string =>
  AFTER.map((first) => `await import(${JSON.stringify(first)}); `).join('') +
  'const c = process.cpuUsage(); const t = performance.now(); ' +
  `await import(${JSON.stringify(specifier)}); ` +
  'const wallMs = performance.now() - t; const u = process.cpuUsage(c); ' +
  'process.stdout.write(JSON.stringify({ wallMs, cpuMs: (u.user + u.system) / 1000 }));';

/** Imports `specifier` in a new process (cwd: the repository) and returns what it took. */
export function timeColdImport(specifier: string, node: string = process.execPath): ColdImportSample {
  const out = execFileSync(node, ['--input-type=module', '-e', CHILD(specifier)], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' } });
  const sample = JSON.parse(out) as ColdImportSample;
  if (!Number.isFinite(sample.wallMs) || !Number.isFinite(sample.cpuMs)) throw new Error(`importing ${specifier} printed ${JSON.stringify(out)}, not durations`);
  return sample;
}

function summary(values: number[]): { median: number; p90: number } {
  const sorted = values.sort((a, b) => a - b);
  const at = (q: number): number => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
  return { median: at(0.5), p90: at(0.9) };
}

/**
 * Counts the files (modules that are not Node built-ins) importing `specifier` loads in a new process, after
 * the `COLD_IMPORT_AFTER` imports; untimed, since the counting hook costs time of its own.
 */
export function countLoadedFiles(specifier: string, node: string = process.execPath): number | undefined {
  if (!('registerHooks' in nodeModule)) return undefined;
  const script =
    AFTER.map((first) => `await import(${JSON.stringify(first)}); `).join('') +
    "const { registerHooks } = await import('node:module'); let files = 0; " +
    "registerHooks({ load(url, context, next) { if (!url.startsWith('node:')) files += 1; return next(url, context); } }); " +
    `await import(${JSON.stringify(specifier)}); process.stdout.write(String(files));`;
  return Number(execFileSync(node, ['--input-type=module', '-e', script], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' } }));
}

/** Measures every specifier `runs` times, interleaved, after one untimed round that counts its files and warms the disk cache. */
export function measureColdImports(runs: number, specifiers: readonly string[] = SPECIFIERS): ColdImportResult[] {
  const files = new Map(specifiers.map((s) => [s, countLoadedFiles(s)]));
  for (const specifier of specifiers) timeColdImport(specifier);
  const samples = new Map(specifiers.map((s) => [s, [] as ColdImportSample[]]));
  for (let round = 0; round < runs; round += 1) {
    for (let i = 0; i < specifiers.length; i += 1) {
      const specifier = specifiers[(i + round) % specifiers.length]!;
      samples.get(specifier)!.push(timeColdImport(specifier));
    }
  }
  return specifiers.map((specifier) => {
    const taken = samples.get(specifier)!;
    return { specifier, wall: summary(taken.map((s) => s.wallMs)), cpu: summary(taken.map((s) => s.cpuMs)), runs, files: files.get(specifier) };
  });
}

function report(results: readonly ColdImportResult[]): string {
  const reference = results.find((r) => r.specifier === 'aws4') ?? results[0]!;
  const ms = (value: number): string => `${value.toFixed(1).padStart(7)} ms`;
  const lines = [
    `cold import on node ${process.version}, ${results[0]?.runs ?? 0} processes each${AFTER.length > 0 ? `, after ${AFTER.join(', ')}` : ''}; medians (p90), ratio to ${reference.specifier}`,
    `${'specifier'.padEnd(32)} ${'wall'.padStart(22)} ${'cpu'.padStart(22)}  ${'files'.padStart(5)}  ratio wall / cpu`,
  ];
  for (const r of results) {
    const ratios = `${(r.wall.median / reference.wall.median).toFixed(2)}x / ${(r.cpu.median / reference.cpu.median).toFixed(2)}x`;
    lines.push(`${r.specifier.padEnd(32)} ${ms(r.wall.median)} (${ms(r.wall.p90)}) ${ms(r.cpu.median)} (${ms(r.cpu.p90)})  ${String(r.files ?? '?').padStart(5)}  ${ratios}`);
  }
  return `${lines.join('\n')}\n`;
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  if (!existsSync(new URL('../../dist/index.js', import.meta.url))) throw new Error('dist/ is missing: run `npm run build` first');
  const runs = Number(process.env.COLD_IMPORT_RUNS ?? 30);
  const specifiers = (process.env.COLD_IMPORT_SPECIFIERS ?? '').split(',').filter((s) => s !== '');
  process.stdout.write(report(measureColdImports(Number.isInteger(runs) && runs > 0 ? runs : 30, specifiers.length > 0 ? specifiers : SPECIFIERS)));
}
