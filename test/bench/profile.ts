/**
 * A CPU profile of the hot paths, summarised: where a signature's time goes in a signing loop, and where a
 * signed got request's time goes. `npm run bench:profile` (builds first) prints three Markdown sections:
 *
 * - **signing loop**: `signRequest` for the S3 GET and the `es` POST of signing.bench.ts, alternately, for a
 *   few seconds under the V8 sampling profiler (50 µs interval);
 * - **got request**: `got.extend(aws4Hooks(…))` GETs against a local keep-alive server, as in
 *   got-overhead.bench.ts, alternating in slices with the same GETs without the plugin;
 * - **with and without the plugin**: the CPU time per request of each layer, and the functions whose self
 *   time grew most: where the plugin's overhead goes.
 *
 * Layers are our code, got, other packages, Node's own JavaScript, native code (crypto, syscalls) and the
 * garbage collector. Sampling shares are estimates; the ratios in docs/performance.md are the measurements.
 *
 * The summary is also written to `.tmp/bench/profile.md`, which `npm run bench:report` appends to
 * docs/performance.md. Environment: `PROFILE_MS` (per workload, default 4000), `PROFILE_OUT` (a directory:
 * also write the `.cpuprofile` files there, for Chrome DevTools or speedscope).
 *
 * `PROFILE_BASELINE` (another build's `dist/index.js`, e.g. of an earlier commit: `git archive <commit> src
 * tsconfig.json package.json | tar -x -C /tmp/base`, link `node_modules`, `npx tsc -p /tmp/base`) adds a
 * fourth section: this build's plugin and that one's, GETs in alternating slices of one profile, in
 * `PROFILE_ROUNDS` rounds (default 5): the CPU time per GET spent inside each plugin (its hooks and all they
 * call) and the median ratio. On a shared, noisy machine this is steadier than timing whole requests: both
 * sides see the same load, and only the plugin's own samples are compared.
 *
 * @module
 */
import { Session } from 'node:inspector/promises';
import { mkdirSync, writeFileSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import got from 'got';
import { ROOT, loadBuilt } from './harness.js';
import { startLocalServer } from './local-server.js';

type Library = typeof import('../../src/index.js');

/** The subset of V8's `Profiler.Profile` this summary reads. */
interface CpuProfile {
  startTime: number;
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] }[];
  samples: number[];
  timeDeltas: number[];
}

const durationMs = Number(process.env.PROFILE_MS ?? 4000);
const outDir = process.env.PROFILE_OUT;

/** Which layer a frame belongs to, from its script URL. */
function layerOf(url: string, name: string): string {
  if (url.includes('/dist/') && !url.includes('node_modules')) return 'got-aws4auth';
  if (url.includes('node_modules/got/')) return 'got';
  if (url.includes('node_modules/')) return `other package (${/node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url)?.[1] ?? '?'})`;
  if (url.startsWith('node:')) return 'Node.js JavaScript';
  if (url === '') return name === '(garbage collector)' ? 'garbage collector' : 'native (crypto, program, …)';
  return 'this script';
}

function frameKey(frame: CpuProfile['nodes'][number]['callFrame']): string {
  if (frame.url === '') return frame.functionName;
  const packaged = frame.url.lastIndexOf('node_modules/');
  const file = packaged >= 0 ? frame.url.slice(packaged + 'node_modules/'.length) : frame.url.startsWith('file://') ? relative(ROOT, fileURLToPath(frame.url)) : frame.url;
  return `${frame.functionName || '(anonymous)'} ${file}:${frame.lineNumber + 1}`;
}

interface Summary {
  totalMs: number;
  self: [key: string, ms: number][];
  layers: [layer: string, ms: number][];
  inside: (predicate: (key: string) => boolean) => number;
}

function summarise(profile: CpuProfile): Summary {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const self = new Map<string, number>();
  const layers = new Map<string, number>();
  const stacks: { ms: number; keys: Set<string> }[] = [];
  let totalMs = 0;
  profile.samples.forEach((id, index) => {
    const ms = (profile.timeDeltas[index] ?? 0) / 1000;
    const node = byId.get(id);
    if (node === undefined || node.callFrame.functionName === '(idle)') return;
    totalMs += ms;
    const key = frameKey(node.callFrame);
    self.set(key, (self.get(key) ?? 0) + ms);
    const layer = layerOf(node.callFrame.url, node.callFrame.functionName);
    layers.set(layer, (layers.get(layer) ?? 0) + ms);
    const keys = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const frame = byId.get(at);
      if (frame !== undefined) keys.add(frameKey(frame.callFrame));
    }
    stacks.push({ ms, keys });
  });
  const sorted = (map: Map<string, number>) => [...map].sort((a, b) => b[1] - a[1]);
  return {
    totalMs,
    self: sorted(self),
    layers: sorted(layers),
    inside: (predicate) => stacks.reduce((sum, { ms, keys }) => sum + ([...keys].some(predicate) ? ms : 0), 0),
  };
}

/** Runs `work` under the sampling profiler; `name` names the `.cpuprofile` file kept when PROFILE_OUT is set. */
async function profile(name: string, work: () => Promise<number>): Promise<{ profile: CpuProfile; operations: number }> {
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 50 });
  await session.post('Profiler.start');
  const operations = await work();
  const { profile: taken } = (await session.post('Profiler.stop')) as { profile: CpuProfile };
  session.disconnect();
  if (outDir !== undefined) {
    mkdirSync(outDir, { recursive: true });
    writeFileSync(resolve(outDir, `${name}.cpuprofile`), JSON.stringify(taken));
  }
  return { profile: taken, operations };
}

async function profiled(name: string, work: () => Promise<number>): Promise<{ summary: Summary; operations: number }> {
  const { profile: taken, operations } = await profile(name, work);
  return { summary: summarise(taken), operations };
}

/**
 * Profiles two workloads in alternating slices (a, b, b, a, …) in one profiler session and splits the
 * samples by the slice they fell in: the machine's speed drifts over seconds, and alternating spreads the
 * drift over both sides. V8 stamps samples with the monotonic clock `process.hrtime` reads.
 */
async function profiledAlternately(
  slices: number,
  a: { name: string; work: () => Promise<number> },
  b: { name: string; work: () => Promise<number> },
): Promise<[{ summary: Summary; operations: number }, { summary: Summary; operations: number }]> {
  const windows: { side: 'a' | 'b'; from: number; to: number }[] = [];
  const operations = { a: 0, b: 0 };
  const micros = () => Number(process.hrtime.bigint() / 1000n);
  const { profile: taken } = await profile(`${a.name}-and-${b.name}`, async () => {
    for (let slice = 0; slice < slices; slice++) {
      for (const side of slice % 2 === 0 ? (['a', 'b'] as const) : (['b', 'a'] as const)) {
        const from = micros();
        operations[side] += await (side === 'a' ? a : b).work();
        windows.push({ side, from, to: micros() });
      }
    }
    return operations.a + operations.b;
  });
  const split = { a: { ...taken, samples: [] as number[], timeDeltas: [] as number[] }, b: { ...taken, samples: [] as number[], timeDeltas: [] as number[] } };
  let at = taken.startTime;
  let window = 0;
  taken.samples.forEach((id, index) => {
    const delta = taken.timeDeltas[index] ?? 0;
    at += delta;
    while (window < windows.length && (windows[window] as { to: number }).to < at) window++;
    const current = windows[window];
    if (current === undefined || at < current.from) return;
    split[current.side].samples.push(id);
    split[current.side].timeDeltas.push(delta);
  });
  return [
    { summary: summarise(split.a), operations: operations.a },
    { summary: summarise(split.b), operations: operations.b },
  ];
}

const written: string[] = [];
/** Prints a line and keeps it for `.tmp/bench/profile.md`, which `npm run bench:report` puts in docs/performance.md. */
function out(text: string): void {
  console.log(text);
  written.push(text);
}

const percent = (part: number, whole: number) => `${((100 * part) / whole).toFixed(1)}%`;

function printSection(title: string, { summary, operations }: { summary: Summary; operations: number }, top: number): void {
  out(`\n### ${title}\n`);
  out(`${operations.toLocaleString('en-US')} operations, ${summary.totalMs.toFixed(0)} ms sampled (idle excluded).\n`);
  out('| layer | self time |\n|---|---:|');
  for (const [layer, ms] of summary.layers) out(`| ${layer} | ${percent(ms, summary.totalMs)} |`);
  out(`\n| function (self time, top ${top}) | share |\n|---|---:|`);
  for (const [key, ms] of summary.self.slice(0, top)) out(`| \`${key}\` | ${percent(ms, summary.totalMs)} |`);
}

const { aws4Hooks, signRequest } = await loadBuilt<Library>('index.js');
const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' };
const s3 = { method: 'GET', url: 'https://my-bucket.s3.us-east-1.amazonaws.com/path/to/object.txt' };
const body = JSON.stringify({ query: { match: { title: { query: 'sigv4 signing benchmark', operator: 'and' } } }, size: 10 });
const es = { method: 'POST', url: 'https://search-my-domain-abc123xyz.us-east-1.es.amazonaws.com/my-index/_search', headers: { 'content-type': 'application/json' }, body };
const date = new Date('2024-05-01T12:34:56Z');
const s3Options = { credentials, region: 'us-east-1', service: 's3', date };
const esOptions = { credentials, region: 'us-east-1', service: 'es', date };

out(`## Profile of the hot path\n\n\`npm run bench:profile\`: Node ${process.version}, V8's sampling profiler every 50 µs, ${durationMs} ms per workload. Sampled CPU time: the shares and per-request figures are estimates that say where time goes; the ratios above are the measurements.`);

const signing = await profiled('signing-loop', async () => {
  let operations = 0;
  let sink = 0;
  const until = Date.now() + durationMs;
  while (Date.now() < until) {
    for (let i = 0; i < 500; i++) {
      sink += signRequest(s3, s3Options).authorization.length;
      sink += signRequest(es, esOptions).authorization.length;
    }
    operations += 1000;
  }
  if (sink === 0) throw new Error('unreachable');
  return operations;
});
printSection('Signing loop: S3 GET and es POST, alternately', signing, 15);

const { origin, agent, close } = await startLocalServer();
const plain = got.extend({ agent: { http: agent }, retry: { limit: 0 } });
const client = plain.extend(aws4Hooks({ region: 'eu-west-1', service: 'es', credentials }));
const SLICES = 20;
/** GETs in a loop for one slice of the profile's duration; each awaited, as in the got-overhead bench. */
const getsWith = (instance: typeof got) => async () => {
  let operations = 0;
  const until = Date.now() + durationMs / SLICES;
  while (Date.now() < until) {
    await instance.get(`${origin}/_cat/indices?v=true`).text();
    operations += 1;
  }
  return operations;
};
for (let i = 0; i < 2000; i++) {
  await plain.get(`${origin}/_cat/indices?v=true`).text();
  await client.get(`${origin}/_cat/indices?v=true`).text();
}
const [request, unsigned] = await profiledAlternately(SLICES, { name: 'got-request', work: getsWith(client) }, { name: 'got-request-unsigned', work: getsWith(plain) });
await close();
printSection('A signed got GET against a local keep-alive server', request, 20);
const ours = request.summary.inside((key) => key.includes('dist/got/'));
const signer = request.summary.inside((key) => key.includes('dist/signer/'));
out(
  `\nInside the plugin's hooks (inclusive, anything under a frame of \`dist/got/\`): ${percent(ours, request.summary.totalMs)} of the request's CPU time; ` +
    `inside the signer (\`dist/signer/\`): ${percent(signer, request.summary.totalMs)}.`,
);

// Where the difference goes: CPU time per request by layer, with and without the plugin (the server is in
// this process too, so both sides of the loopback are counted).
out('\n### The same GET with and without the plugin: CPU time per request by layer\n');
const perRequest = ({ summary, operations }: { summary: Summary; operations: number }, layer?: string) =>
  (1000 * (layer === undefined ? summary.totalMs : (summary.layers.find(([name]) => name === layer)?.[1] ?? 0))) / operations;
const layerNames = [...new Set([...request.summary.layers, ...unsigned.summary.layers].map(([name]) => name))];
out(`${unsigned.operations.toLocaleString('en-US')} GETs without the plugin, ${request.operations.toLocaleString('en-US')} with it, each side for ${durationMs} ms in ${SLICES} alternating slices.\n`);
out('| layer | without (µs) | with (µs) | difference (µs) |\n|---|---:|---:|---:|');
const micro = (value: number) => value.toFixed(1);
for (const layer of layerNames) {
  const without = perRequest(unsigned, layer);
  const withPlugin = perRequest(request, layer);
  out(`| ${layer} | ${micro(without)} | ${micro(withPlugin)} | ${withPlugin >= without ? '+' : ''}${micro(withPlugin - without)} |`);
}
const totalWithout = perRequest(unsigned);
const totalWith = perRequest(request);
out(`| **all** | **${micro(totalWithout)}** | **${micro(totalWith)}** | **+${micro(totalWith - totalWithout)}** |`);
const selfPerRequest = ({ summary, operations }: { summary: Summary; operations: number }) => new Map(summary.self.map(([key, ms]) => [key, (1000 * ms) / operations]));
const selfWith = selfPerRequest(request);
const selfWithout = selfPerRequest(unsigned);
const growth = [...new Set([...selfWith.keys(), ...selfWithout.keys()])]
  .map((key) => [key, (selfWith.get(key) ?? 0) - (selfWithout.get(key) ?? 0)] as const)
  .sort((x, y) => y[1] - x[1])
  .slice(0, 15);
out('\n| function (self time per request, largest growth) | with (µs) | difference (µs) |\n|---|---:|---:|');
for (const [key, difference] of growth) out(`| \`${key}\` | ${micro(selfWith.get(key) ?? 0)} | +${micro(difference)} |`);

/** µs of CPU per GET inside the plugin's frames (`dist/got/`, of either build) and whatever they call. */
const pluginMicros = ({ summary, operations }: { summary: Summary; operations: number }) => (1000 * summary.inside((key) => key.includes('dist/got/'))) / operations;

/** The `PROFILE_BASELINE` section: this build's plugin against another build's, alternating, in rounds. */
async function compareWithBaseline(baselinePath: string): Promise<void> {
  const baseline = (await import(pathToFileURL(resolve(baselinePath)).href)) as Library;
  const server = await startLocalServer();
  const base = got.extend({ agent: { http: server.agent }, retry: { limit: 0 } });
  const options = { region: 'eu-west-1', service: 'es', credentials };
  const current = base.extend(aws4Hooks(options));
  const previous = base.extend(baseline.aws4Hooks(options));
  const gets = (instance: typeof got) => async () => {
    let operations = 0;
    for (const until = Date.now() + durationMs / SLICES; Date.now() < until; operations++) await instance.get(`${server.origin}/_cat/indices?v=true`).text();
    return operations;
  };
  for (let i = 0; i < 2000; i++) await Promise.all([current.get(`${server.origin}/warm`).text(), previous.get(`${server.origin}/warm`).text()]);
  out(`\n### This build's plugin against ${baselinePath}: CPU per GET inside the plugin\n`);
  out('| round | this build (µs) | baseline (µs) | this / baseline |\n|---|---:|---:|---:|');
  const ratios: number[] = [];
  for (let round = 1; round <= Number(process.env.PROFILE_ROUNDS ?? 5); round++) {
    const [mine, theirs] = await profiledAlternately(SLICES, { name: `current-${round}`, work: gets(current) }, { name: `baseline-${round}`, work: gets(previous) });
    ratios.push(pluginMicros(mine) / pluginMicros(theirs));
    out(`| ${round} | ${pluginMicros(mine).toFixed(2)} | ${pluginMicros(theirs).toFixed(2)} | ${(ratios.at(-1) as number).toFixed(3)} |`);
  }
  const sorted = [...ratios].sort((x, y) => x - y);
  out(`\nMedian this / baseline: **${(sorted[Math.floor(sorted.length / 2)] as number).toFixed(3)}** (below 1: this build's plugin costs less).`);
  await server.close();
}

if (process.env.PROFILE_BASELINE !== undefined) await compareWithBaseline(process.env.PROFILE_BASELINE);
mkdirSync(resolve(ROOT, '.tmp', 'bench'), { recursive: true });
writeFileSync(resolve(ROOT, '.tmp', 'bench', 'profile.md'), `${written.join('\n')}\n`);
