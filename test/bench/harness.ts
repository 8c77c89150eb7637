/**
 * A small benchmark harness: contenders run in INTERLEAVED rounds and are reported as MEDIANS and as
 * RATIOS against a baseline measured in the same run. Absolute numbers depend on the machine; ratios
 * between implementations measured side by side are what we compare and publish.
 *
 * Why not tinybench (installed, v6)? tinybench runs each task to completion before starting the next, so
 * a frequency change, a noisy neighbour (other jobs share this 2-core machine) or a JIT tier-up during one
 * task's window biases that task alone; and it times every single call, which for a 2–10 µs operation adds
 * timer overhead and resolution noise to every sample. Interleaving would mean building a new Bench per
 * round and re-warming, which fights the library rather than using it.
 *
 * So this harness, on `process.hrtime.bigint()`:
 * 1. warms each contender up untimed (`warmupMs`) and guesses a batch size (calls per timed batch);
 * 2. runs a few interleaved settling rounds and fixes each batch size so one batch lasts ~`batchMs`;
 * 3. runs the measured rounds: per round one full GC (if `--expose-gc`, outside the timed region), then
 *    one batch per contender, in an order rotated every round and reversed every other pass; a batch is
 *    timed as a whole (async contenders are awaited call by call inside it);
 * 4. reports, per contender, the median over rounds, and per peer the median of the PAIRED per-round
 *    ratios baseline/peer: batches a few milliseconds apart see the same machine state, so drift that
 *    slows everything cancels out in the ratio.
 *
 * Usage (see signing.bench.ts):
 *
 * ```ts
 * const result = await compare('S3 GET', [
 *   { name: 'ours', run: () => signRequest(req, opts) },
 *   { name: 'peer', run: () => peerSign(req), async: true },
 * ], { baseline: 'ours', targets: [{ peer: 'peer', min: 1.5 }] });
 * ```
 *
 * Configuration (environment):
 * - `BENCH_QUICK=1`      smoke mode for CI: a few short rounds, numbers only roughly meaningful.
 * - `BENCH_TIME_MS`      measured time per contender per scenario (default 3000, quick 150).
 * - `BENCH_BATCH_MS`     target duration of one timed batch (default 25, quick 10).
 * - `BENCH_WARMUP_MS`    untimed warm-up per contender before calibration (default 300, quick 30).
 * - `BENCH_MIN_ROUNDS`   lower bound on rounds, e.g. for slow operations (default 9, quick 3).
 *
 * Run with `node --expose-gc` so a full GC can run between rounds (outside the timed region); without it
 * the harness still works, with more noise. `BENCH_FILTER` / arguments to index.ts select suites.
 *
 * @module
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { arch, cpus, loadavg, platform } from 'node:os';
import { dirname, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** One implementation under test. */
export interface Contender {
  /** Short unique name, used in tables, ratios and JSON (`ours`, `aws4`, …). */
  readonly name: string;
  /** One operation. Its result is kept in a sink so the JIT cannot drop the work. */
  readonly run: () => unknown;
  /** The operation returns a promise that must be awaited (each call is awaited before the next). */
  readonly async?: boolean;
  /** Free text printed under the table and kept in the JSON, e.g. how the peer is configured. */
  readonly note?: string;
}

/** A goal from the issue: `baseline / peer >= min`. Reported PASS/MISS, never fails the process. */
export interface Target {
  readonly peer: string;
  readonly min: number;
}

/** Harness settings; see the module comment for the environment variables. */
export interface BenchConfig {
  readonly quick: boolean;
  readonly timeMs: number;
  readonly batchMs: number;
  readonly warmupMs: number;
  readonly minRounds: number;
}

export interface CompareOptions {
  /** The contender every ratio is taken against (`baseline / peer`). */
  readonly baseline: string;
  /** `ops/s` (default) or `MB/s`, which needs `bytesPerOp`. MB is 10^6 bytes. */
  readonly unit?: 'ops/s' | 'MB/s';
  readonly bytesPerOp?: number;
  readonly targets?: readonly Target[];
  /** Per-scenario overrides of the environment configuration. */
  readonly config?: Partial<BenchConfig>;
  /** Free text describing the scenario, kept in the JSON and printed above the table. */
  readonly description?: string;
}

export interface ContenderResult {
  readonly name: string;
  readonly note: string | undefined;
  /** Median over rounds, in the scenario unit. */
  readonly median: number;
  /** 25th and 75th percentile over rounds, in the scenario unit. */
  readonly p25: number;
  readonly p75: number;
  readonly min: number;
  readonly max: number;
  /** Median time of one operation in nanoseconds. */
  readonly medianNsPerOp: number;
  readonly opsPerBatch: number;
  /** Median duration of one timed batch, in milliseconds. */
  readonly medianBatchMs: number;
  readonly rounds: number;
  /** Every round's value, in the scenario unit, in round order. */
  readonly samples: readonly number[];
}

export interface RatioResult {
  /** `baseline/peer`, e.g. `ours/aws4`. */
  readonly label: string;
  readonly peer: string;
  /** Median of the per-round paired ratios baseline/peer (the number to quote). */
  readonly ratio: number;
  /** Ratio of the two medians, for reference; close to `ratio` when the run was stable. */
  readonly ratioOfMedians: number;
  /** 25th/75th percentile of the per-round ratios. */
  readonly p25: number;
  readonly p75: number;
  readonly target: number | undefined;
  readonly pass: boolean | undefined;
}

export interface ScenarioResult {
  readonly name: string;
  readonly description: string | undefined;
  readonly unit: 'ops/s' | 'MB/s';
  readonly bytesPerOp: number | undefined;
  readonly baseline: string;
  readonly rounds: number;
  /** Wall time of the whole scenario, and the parts of it spent calibrating and in forced GCs. */
  readonly durationSeconds: number;
  readonly calibrationSeconds: number;
  readonly gcSeconds: number;
  readonly config: BenchConfig;
  readonly contenders: readonly ContenderResult[];
  readonly ratios: readonly RatioResult[];
}

/** A bench file's default export: a named group of scenarios, written to `.tmp/bench/<name>.json`. */
export interface BenchSuite {
  readonly name: string;
  readonly run: (config: BenchConfig) => Promise<readonly ScenarioResult[]>;
}

/** Identity helper so bench files get type checking on their default export. */
export function defineSuite(suite: BenchSuite): BenchSuite {
  return suite;
}

function envNumber(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number, got ${JSON.stringify(raw)}`);
  return value;
}

/** Reads the configuration from the environment. */
export function benchConfig(): BenchConfig {
  const quick = process.env.BENCH_QUICK === '1' || process.env.BENCH_QUICK === 'true';
  return {
    quick,
    timeMs: envNumber('BENCH_TIME_MS', quick ? 150 : 3000),
    batchMs: envNumber('BENCH_BATCH_MS', quick ? 10 : 25),
    warmupMs: envNumber('BENCH_WARMUP_MS', quick ? 30 : 300),
    minRounds: Math.round(envNumber('BENCH_MIN_ROUNDS', quick ? 3 : 9)),
  };
}

// Results land here so no operation's output is dead code.
let sink: unknown;
/** The last result of any contender; exported only so the sink cannot be proven unused. */
export function lastSink(): unknown {
  return sink;
}

const gc: (() => void) | undefined = typeof globalThis.gc === 'function' ? globalThis.gc : undefined;

/** Times `n` calls and returns nanoseconds. */
async function timeBatch(contender: Contender, n: number): Promise<number> {
  const fn = contender.run;
  if (contender.async) {
    let last: unknown;
    const start = process.hrtime.bigint();
    for (let i = 0; i < n; i++) last = await fn();
    const end = process.hrtime.bigint();
    sink = last;
    return Number(end - start);
  }
  let last: unknown;
  const start = process.hrtime.bigint();
  for (let i = 0; i < n; i++) last = fn();
  const end = process.hrtime.bigint();
  sink = last;
  return Number(end - start);
}

/**
 * Runs the contender untimed for about `warmupMs` (so the JIT has tiered up), then finds a batch size
 * that makes one batch last roughly `batchMs`. Only a first guess: {@link compare} refines it with
 * interleaved settling rounds, because a single measurement on a busy machine can be far off.
 */
async function warmUpAndGuessBatch(contender: Contender, config: BenchConfig): Promise<number> {
  const warmupEnd = performance.now() + config.warmupMs;
  let n = 1;
  do {
    await timeBatch(contender, n);
    if (n < 1 << 20) n *= 2;
  } while (performance.now() < warmupEnd);
  // Grow until one batch takes a measurable share of the target, then scale linearly.
  n = 1;
  const targetNs = config.batchMs * 1e6;
  for (;;) {
    const ns = await timeBatch(contender, n);
    if (ns >= targetNs / 4 || n >= 1 << 24) return Math.max(1, Math.round((n * targetNs) / Math.max(ns, 1)));
    n *= ns < targetNs / 64 ? 8 : 2;
  }
}

/** Order of the contenders in a round: rotated each round, reversed every other pass. */
function roundOrder(round: number, k: number): number[] {
  // Rotating the start and reversing the direction every k rounds means no contender always runs
  // first, last, or right after the same neighbour.
  const offset = round % k;
  const reversed = Math.floor(round / k) % 2 === 1;
  return Array.from({ length: k }, (_, j) => (reversed ? (offset - j + k) % k : (offset + j) % k));
}

/** Settling rounds run before the measured ones, to fix batch sizes from interleaved timings. */
const SETTLING_ROUNDS = 3;

function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return (sorted[lo] as number) + ((sorted[hi] as number) - (sorted[lo] as number)) * (pos - lo);
}

function stats(values: readonly number[]): { median: number; p25: number; p75: number; min: number; max: number } {
  const sorted = [...values].sort((a, b) => a - b);
  return {
    median: quantile(sorted, 0.5),
    p25: quantile(sorted, 0.25),
    p75: quantile(sorted, 0.75),
    min: sorted[0] as number,
    max: sorted[sorted.length - 1] as number,
  };
}

/**
 * Measures the contenders in interleaved rounds and returns medians and `baseline/peer` ratios. Prints
 * the table as soon as the scenario is done.
 */
export async function compare(name: string, contenders: readonly Contender[], options: CompareOptions): Promise<ScenarioResult> {
  const config: BenchConfig = { ...benchConfig(), ...options.config };
  const unit = options.unit ?? 'ops/s';
  if (unit === 'MB/s' && !(options.bytesPerOp !== undefined && options.bytesPerOp > 0)) throw new Error(`${name}: MB/s needs bytesPerOp`);
  const names = new Set(contenders.map((c) => c.name));
  if (names.size !== contenders.length) throw new Error(`${name}: contender names must be unique`);
  if (!names.has(options.baseline)) throw new Error(`${name}: baseline "${options.baseline}" is not a contender`);
  for (const target of options.targets ?? []) {
    if (!names.has(target.peer)) throw new Error(`${name}: target peer "${target.peer}" is not a contender`);
  }

  process.stdout.write(`\n▶ ${name} … `);
  const scenarioStart = performance.now();
  const k = contenders.length;
  const targetNs = config.batchMs * 1e6;
  const batchSizes: number[] = [];
  for (const contender of contenders) batchSizes.push(await warmUpAndGuessBatch(contender, config));

  let gcMs = 0;
  const collect = (): void => {
    if (gc === undefined) return;
    const gcStart = performance.now();
    gc();
    gcMs += performance.now() - gcStart;
  };
  /** Runs one interleaved round and returns each contender's ns per op. */
  const runRound = async (round: number): Promise<number[]> => {
    // One full GC per round (outside the timed region) keeps each round starting from a similar heap;
    // the minor GCs a contender's own allocations cause inside its batch are part of its cost.
    collect();
    const result = new Array<number>(k).fill(0);
    for (const index of roundOrder(round, k)) {
      const n = batchSizes[index] as number;
      result[index] = (await timeBatch(contenders[index] as Contender, n)) / n;
    }
    return result;
  };

  // Settling: a few interleaved rounds, then each batch size is set from its median time per op, so all
  // batches last about batchMs (a slow operation still runs once per batch).
  const settling: number[][] = [];
  for (let round = 0; round < SETTLING_ROUNDS; round++) settling.push(await runRound(round));
  let longestBatchNs = targetNs;
  for (let index = 0; index < k; index++) {
    const nsPerOpGuess = stats(settling.map((r) => r[index] as number)).median;
    const n = Math.max(1, Math.round(targetNs / nsPerOpGuess));
    batchSizes[index] = n;
    longestBatchNs = Math.max(longestBatchNs, n * nsPerOpGuess);
  }
  // Each contender gets about `timeMs` of measured time.
  const rounds = Math.max(config.minRounds, Math.ceil((config.timeMs * 1e6) / longestBatchNs));
  const calibrationMs = performance.now() - scenarioStart;

  // nsPerOp[contender][round]
  const nsPerOp: number[][] = contenders.map(() => []);
  for (let round = 0; round < rounds; round++) {
    const result = await runRound(round);
    for (let index = 0; index < k; index++) (nsPerOp[index] as number[]).push(result[index] as number);
  }

  const toUnit = (ns: number): number => (unit === 'MB/s' ? ((options.bytesPerOp as number) / 1e6) * (1e9 / ns) : 1e9 / ns);
  const results: ContenderResult[] = contenders.map((contender, index) => {
    const samples = (nsPerOp[index] as number[]).map(toUnit);
    const s = stats(samples);
    return {
      name: contender.name,
      note: contender.note,
      median: s.median,
      p25: s.p25,
      p75: s.p75,
      min: s.min,
      max: s.max,
      medianNsPerOp: stats(nsPerOp[index] as number[]).median,
      opsPerBatch: batchSizes[index] as number,
      medianBatchMs: (stats(nsPerOp[index] as number[]).median * (batchSizes[index] as number)) / 1e6,
      rounds,
      samples,
    };
  });

  const baselineIndex = contenders.findIndex((c) => c.name === options.baseline);
  const baselineNs = nsPerOp[baselineIndex] as number[];
  const baselineResult = results[baselineIndex] as ContenderResult;
  const ratios: RatioResult[] = [];
  contenders.forEach((contender, index) => {
    if (index === baselineIndex) return;
    const peerNs = nsPerOp[index] as number[];
    // A higher throughput is better, so baseline/peer throughput = peer time / baseline time.
    const paired = baselineNs.map((ns, round) => (peerNs[round] as number) / ns);
    const s = stats(paired);
    const target = options.targets?.find((t) => t.peer === contender.name)?.min;
    ratios.push({
      label: `${options.baseline}/${contender.name}`,
      peer: contender.name,
      ratio: s.median,
      ratioOfMedians: baselineResult.median / (results[index] as ContenderResult).median,
      p25: s.p25,
      p75: s.p75,
      target,
      pass: target === undefined ? undefined : s.median >= target,
    });
  });

  const seconds = (performance.now() - scenarioStart) / 1000;
  const result: ScenarioResult = {
    name,
    description: options.description,
    unit,
    bytesPerOp: options.bytesPerOp,
    baseline: options.baseline,
    rounds,
    durationSeconds: Number(seconds.toFixed(2)),
    calibrationSeconds: Number((calibrationMs / 1000).toFixed(2)),
    gcSeconds: Number((gcMs / 1000).toFixed(2)),
    config,
    contenders: results,
    ratios,
  };
  process.stdout.write(`${rounds} rounds, ${seconds.toFixed(1)} s (calibration ${(calibrationMs / 1000).toFixed(1)} s, gc ${(gcMs / 1000).toFixed(1)} s)\n`);
  printScenario(result);
  return result;
}

function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  if (value >= 1000) return Math.round(value).toLocaleString('en-US');
  if (value >= 100) return value.toFixed(0);
  if (value >= 10) return value.toFixed(1);
  return value.toFixed(2);
}

function formatNs(ns: number): string {
  if (ns >= 1e6) return `${(ns / 1e6).toFixed(2)} ms`;
  if (ns >= 1e3) return `${(ns / 1e3).toFixed(2)} µs`;
  return `${ns.toFixed(0)} ns`;
}

function table(rows: readonly (readonly string[])[], rightAligned: readonly boolean[]): string {
  const widths = (rows[0] as readonly string[]).map((_, col) => Math.max(...rows.map((row) => (row[col] ?? '').length)));
  const line = (row: readonly string[]): string =>
    row.map((cell, col) => (rightAligned[col] ? cell.padStart(widths[col] as number) : cell.padEnd(widths[col] as number))).join('  ').trimEnd();
  const [head, ...body] = rows;
  return [line(head as readonly string[]), widths.map((w) => '─'.repeat(w)).join('  '), ...body.map(line)].join('\n');
}

/** Prints one scenario's table: median throughput, spread, time per op and the ratio vs the baseline. */
export function printScenario(result: ScenarioResult): void {
  const rows: string[][] = [[
    'contender',
    `median ${result.unit}`,
    'IQR ±',
    'time/op',
    `${result.baseline}/x`,
    'ratio IQR',
    'target',
  ]];
  for (const c of result.contenders) {
    const ratio = result.ratios.find((r) => r.peer === c.name);
    const spread = c.median > 0 ? ((c.p75 - c.p25) / 2 / c.median) * 100 : 0;
    rows.push([
      c.name,
      formatNumber(c.median),
      `${spread.toFixed(1)}%`,
      formatNs(c.medianNsPerOp),
      ratio === undefined ? '—' : `${ratio.ratio.toFixed(2)}x`,
      ratio === undefined ? '' : `${ratio.p25.toFixed(2)}–${ratio.p75.toFixed(2)}`,
      ratio?.target === undefined ? '' : `>= ${ratio.target}x ${ratio.pass ? 'PASS' : 'MISS'}`,
    ]);
  }
  const out: string[] = [];
  if (result.description !== undefined) out.push(`  ${result.description}`);
  out.push(
    table(rows, [false, true, true, true, true, true, false])
      .split('\n')
      .map((l) => `  ${l}`)
      .join('\n'),
  );
  out.push(`  (${result.rounds} interleaved rounds; ${result.baseline}/x = median of per-round paired ratios, > 1 means ${result.baseline} is faster)`);
  for (const c of result.contenders) if (c.note !== undefined) out.push(`  · ${c.name}: ${c.note}`);
  process.stdout.write(`${out.join('\n')}\n`);
}

/** The repository root (two levels above this file). */
export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Writes a suite's results as JSON to `.tmp/bench/<suite>.json` and returns the path. */
export function writeSuiteJson(suite: string, config: BenchConfig, scenarios: readonly ScenarioResult[], extra?: Record<string, unknown>): string {
  const file = resolve(ROOT, '.tmp', 'bench', `${suite}.json`);
  mkdirSync(dirname(file), { recursive: true });
  const cpuList = cpus();
  const report = {
    suite,
    generatedAt: new Date().toISOString(),
    environment: {
      node: process.version,
      v8: process.versions.v8,
      openssl: process.versions.openssl,
      platform: platform(),
      arch: arch(),
      cpu: cpuList[0]?.model ?? 'unknown',
      cpus: cpuList.length,
      exposeGc: gc !== undefined,
      // Other processes compete for the CPU on shared machines; a load above the core count means
      // absolute numbers are depressed (ratios from interleaved rounds hold up much better).
      loadAverageAtEnd: loadavg().map((l) => Number(l.toFixed(2))),
    },
    config,
    ...extra,
    scenarios,
  };
  writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
  return file;
}

/** Every target of every scenario, for the closing summary. */
export function targetLines(scenarios: readonly ScenarioResult[]): string[] {
  const lines: string[] = [];
  for (const scenario of scenarios) {
    for (const ratio of scenario.ratios) {
      if (ratio.target === undefined) continue;
      lines.push(`${ratio.pass ? 'PASS' : 'MISS'}  ${scenario.name}: ${ratio.label} = ${ratio.ratio.toFixed(2)}x (target >= ${ratio.target}x)`);
    }
  }
  return lines;
}

/**
 * Imports a module from the BUILT package (`dist/`), so benches measure what users get.
 *
 * @param relativePath - e.g. `signer/index.js`
 */
export async function loadBuilt<T>(relativePath: string): Promise<T> {
  const file = resolve(ROOT, 'dist', relativePath);
  if (!existsSync(file)) throw new Error(`${file} is missing: run \`npm run build\` first (npm run bench does)`);
  return (await import(pathToFileURL(file).href)) as T;
}
