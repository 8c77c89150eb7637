/**
 * Runs every `test/bench/*.bench.ts` in sequence (alphabetical), prints each scenario's table and writes
 * one JSON per suite to `.tmp/bench/<suite>.json`.
 *
 *   npm run bench                                   # build, then everything
 *   node --expose-gc --import tsx test/bench/index.ts signing   # only suites whose file or name matches
 *   BENCH_QUICK=1 npm run bench                     # smoke run in seconds
 *
 * To add a bench, drop a `<name>.bench.ts` here whose default export is `defineSuite({ name, run })` and
 * whose `run` returns the results of `compare()` calls (see harness.ts). Targets are reported as
 * PASS/MISS and never fail the process; a thrown error (e.g. a peer signing differently) does.
 *
 * @module
 */
import { readdirSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { benchConfig, targetLines, writeSuiteJson, type BenchSuite, type ScenarioResult } from './harness.js';

const here = dirname(fileURLToPath(import.meta.url));
const filters = [...process.argv.slice(2), ...(process.env.BENCH_FILTER ?? '').split(',')].filter((f) => f !== '');
const files = readdirSync(here)
  .filter((file) => file.endsWith('.bench.ts'))
  .sort()
  .filter((file) => filters.length === 0 || filters.some((f) => file.includes(f)));

const config = benchConfig();
const started = performance.now();
process.stdout.write(
  `got-aws4auth benchmarks — node ${process.version}, ${files.length} suite(s): ${files.join(', ') || 'none'}\n` +
    `config: ${JSON.stringify(config)}${typeof globalThis.gc === 'function' ? '' : '  (no --expose-gc: expect more noise)'}\n` +
    `load average ${loadavg().map((l) => l.toFixed(2)).join(' ')} on ${cpus().length} CPUs${loadavg()[0]! > cpus().length ? ' — the machine is busy: absolute numbers will be low, ratios less affected' : ''}\n`,
);

const allScenarios: ScenarioResult[] = [];
for (const file of files) {
  const module = (await import(pathToFileURL(join(here, file)).href)) as { default?: BenchSuite };
  const suite = module.default;
  if (suite === undefined || typeof suite.run !== 'function') throw new Error(`${file} must default-export defineSuite({ name, run })`);
  process.stdout.write(`\n══ ${suite.name} (${file}) ══\n`);
  const suiteStart = performance.now();
  const scenarios = await suite.run(config);
  const seconds = (performance.now() - suiteStart) / 1000;
  const json = writeSuiteJson(suite.name, config, scenarios, { durationSeconds: Number(seconds.toFixed(1)) });
  process.stdout.write(`\n  ${suite.name}: ${seconds.toFixed(1)} s, results in ${json}\n`);
  allScenarios.push(...scenarios);
}

const targets = targetLines(allScenarios);
if (targets.length > 0) process.stdout.write(`\nTargets (reported, never enforced):\n${targets.map((l) => `  ${l}`).join('\n')}\n`);
process.stdout.write(`\nDone in ${((performance.now() - started) / 1000).toFixed(1)} s (load average now ${loadavg().map((l) => l.toFixed(2)).join(' ')}).\n`);
