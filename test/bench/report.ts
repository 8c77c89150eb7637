/**
 * Writes docs/performance.md from the JSON the benchmarks leave in .tmp/bench/ (run `npm run bench` and
 * `npm run bench:memory` first, and `npm run bench:profile` for the profile section, or `npm run bench:report`
 * for all of them). Every figure in the page comes from those files: the same-run ratios, medians and the
 * machine they were measured on.
 */
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ROOT } from './harness.js';

interface Contender { name: string; note?: string; median: number; medianNsPerOp: number }
interface Ratio { label: string; peer: string; ratio: number; p25: number; p75: number; target?: number; pass?: boolean }
interface Scenario { name: string; unit: string; baseline: string; rounds: number; contenders: Contender[]; ratios: Ratio[] }
interface Suite { suite: string; generatedAt: string; environment: Record<string, unknown>; scenarios: Scenario[] }

const dir = resolve(ROOT, '.tmp', 'bench');
const suites: Suite[] = existsSync(dir)
  ? readdirSync(dir).filter((f) => f.endsWith('.json') && f !== 'stream-memory.json').sort().map((f) => JSON.parse(readFileSync(resolve(dir, f), 'utf8')) as Suite)
  : [];
if (suites.length === 0) throw new Error('No benchmark results in .tmp/bench: run `npm run bench` first.');

const number = (value: number, digits = 0) => value.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
const lines: string[] = [
  // The title TypeDoc's site lists the page under (it does not read the heading).
  '---',
  'title: Performance',
  'category: Guides',
  '---',
  '',
  '# Performance',
  '',
  'Measured with the harness in `test/bench/` (`npm run bench`, `npm run bench:memory`; this page is written by',
  '`npm run bench:report`). Contenders run in interleaved rounds on the same machine in the same run; a ratio',
  'is the median of the per-round ratios (baseline / peer, so above 1 means the baseline is faster), with its',
  'interquartile range. Absolute numbers depend on the machine and its load; the ratios are what we compare.',
  '',
];
const targets = suites.flatMap((suite) => suite.scenarios.flatMap((scenario) => scenario.ratios.filter((r) => r.target !== undefined).map((r) => ({ suite: suite.suite, scenario, ratio: r }))));
if (targets.length > 0) {
  lines.push('## Targets', '', '| suite | scenario | ratio | measured (IQR) | target | |', '|---|---|---|---:|---|---|');
  for (const { suite, scenario, ratio } of targets) {
    lines.push(`| ${suite} | ${scenario.name} | ${scenario.baseline} / ${ratio.peer} | ${ratio.ratio.toFixed(2)}x (${ratio.p25.toFixed(2)}–${ratio.p75.toFixed(2)}) | >= ${ratio.target}x | ${ratio.pass ? 'PASS' : 'MISS'} |`);
  }
  lines.push('');
}
const gotScenarios = suites.filter((suite) => suite.suite === 'got-overhead').flatMap((suite) => suite.scenarios).filter((scenario) => scenario.contenders.some((c) => c.name === 'got+floor hook'));
if (gotScenarios.length > 0) {
  const share = (scenario: Scenario, name: string): string => {
    const plain = scenario.contenders.find((c) => c.name === 'got');
    const other = scenario.contenders.find((c) => c.name === name);
    return plain === undefined || other === undefined ? '?' : `${(other.median / plain.median).toFixed(2)}x`;
  };
  lines.push(
    '### What a signing hook costs inside got',
    '',
    'Against a keep-alive server on the loopback interface a got request costs a few hundred microseconds, and',
    'a hook runs between got\'s and Node\'s own code with cold caches: the same signature that takes a few',
    'microseconds in a loop takes several times that inside got. An empty async hook shows what got\'s hook',
    'machinery costs by itself; the floor hook (a hard-coded canonical request, one createHash and one',
    'createHmac, three header writes, nothing validated) what any SigV4 plugin costs there at the least. In',
    'this run their requests/s against plain got were:',
    '',
    ...gotScenarios.map((scenario) => `- ${scenario.name}: empty hook ${share(scenario, 'got+empty hook')}, floor hook ${share(scenario, 'got+floor hook')}, aws4 hook ${share(scenario, 'got+aws4 hook')}, aws4Hooks ${share(scenario, 'got+aws4Hooks')} of plain got.`),
    '',
    'So the cost is the work inside a hook, not the hook; the profile at the end of this page shows where it goes.',
    '',
    'A request to a real AWS endpoint takes milliseconds (TLS, network), against which the same tens of microseconds',
    'are about 1% or less: an estimate from these figures, not a measurement (no AWS endpoint is reachable here).',
    '',
  );
}
for (const suite of suites) {
  const env = suite.environment as { node?: string; cpus?: number; loadAverageAtEnd?: number[] };
  lines.push(`## ${suite.suite}`, '', `Run ${suite.generatedAt.slice(0, 16).replace('T', ' ')} UTC, Node ${env.node ?? '?'}, ${env.cpus ?? '?'} CPUs${env.loadAverageAtEnd ? `, load average at the end ${env.loadAverageAtEnd.map((l) => l.toFixed(1)).join(' ')} (2 CPUs shared with other work)` : ''}.`, '');
  for (const scenario of suite.scenarios) {
    lines.push(`### ${scenario.name}`, '', `| contender | median ${scenario.unit} | time per op | ${scenario.baseline} / contender (IQR) | target |`, '|---|---:|---:|---:|---|');
    for (const contender of scenario.contenders) {
      const ratio = scenario.ratios.find((r) => r.peer === contender.name);
      const ratioText = ratio === undefined ? '—' : `${ratio.ratio.toFixed(2)}x (${ratio.p25.toFixed(2)}–${ratio.p75.toFixed(2)})`;
      const target = ratio?.target === undefined ? '' : `>= ${ratio.target}x ${ratio.pass ? 'PASS' : 'MISS'}`;
      const perOp = contender.medianNsPerOp >= 1e6 ? `${number(contender.medianNsPerOp / 1e6, 2)} ms` : `${number(contender.medianNsPerOp / 1e3, 2)} µs`;
      lines.push(`| ${contender.name} | ${number(contender.median, scenario.unit === 'MB/s' ? 0 : 0)} | ${perOp} | ${ratioText} | ${target} |`);
    }
    const notes = scenario.contenders.filter((c) => c.note);
    if (notes.length > 0) lines.push('', ...notes.map((c) => `- ${c.name}: ${c.note}`));
    lines.push(`- ${scenario.rounds} interleaved rounds.`, '');
  }
}
const memoryFile = resolve(dir, 'stream-memory.json');
if (existsSync(memoryFile)) {
  const memory = JSON.parse(readFileSync(memoryFile, 'utf8')) as Record<string, number | string | boolean>;
  lines.push(
    '## Memory of a streamed upload',
    '',
    `A ${number(Number(memory.decodedBytes) / 2 ** 20)} MiB body generated on the fly, sent through got and the plugin as a signed chunked upload to a sink in another process (${memory.date}, Node ${memory.node}):`,
    '',
    '| peak RSS before | peak RSS after | growth | target | wire bytes | throughput |',
    '|---:|---:|---:|---|---:|---:|',
    `| ${memory.peakRssBeforeMiB} MiB | ${memory.peakRssAfterMiB} MiB | ${memory.peakRssGrowthMiB} MiB | < 64 MiB ${memory.pass ? 'PASS' : 'MISS'} | ${number(Number(memory.bytesOnTheWire))} | ${memory.throughputMBps} MB/s |`,
    '',
  );
}
const profileFile = resolve(dir, 'profile.md');
if (existsSync(profileFile)) lines.push(readFileSync(profileFile, 'utf8').trimEnd(), '');
writeFileSync(resolve(ROOT, 'docs', 'performance.md'), `${lines.join('\n')}\n`);
console.log(`wrote docs/performance.md from ${suites.length} suite(s)`);
