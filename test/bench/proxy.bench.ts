/**
 * The signing proxy (issue 17), two targets:
 *
 * 1. A 1 GiB signed aws-chunked upload through the proxy (client key configured, so every chunk signature
 *    is verified, then the body re-encoded as signed chunks with the real key) to a local keep-alive sink:
 *    at least 300 MB/s, with the proxy process's peak RSS growth under 64 MiB. The proxy runs in a process
 *    of its own and the client and the sink in another, so the proxy's memory is measured alone. The same
 *    upload then goes into a floor, in a fresh process of its own too: a node:http server that only counts
 *    the body. node:http hands every body piece over in a new ArrayBuffer, which only a GC frees: V8 frees
 *    young ones in a scavenge, which comes when the young generation fills with JavaScript objects or, at
 *    the latest, after about 32 MiB of them (64 MiB on Node 24). The floor allocates almost no objects, so
 *    it shows that latest case; the proxy allocates some per chunk, and with a small young generation
 *    (PROXY_BENCH_SERVER_FLAGS below) scavenges much sooner.
 *    Size: PROXY_BENCH_BYTES (default 1 GiB; 64 MiB with BENCH_QUICK).
 * 2. Small GETs through the proxy (plain got to the proxy, which signs for the local server) against the
 *    got plugin signing the same GET directly: at least 0.5x the requests/s. Both clients, the proxy and
 *    the server share this process, so the ratio counts all the proxy's work (a second HTTP hop included).
 *    A third contender is the design not taken: a proxy re-signing through the got plugin.
 *
 *   npm run build && node --expose-gc --import tsx test/bench/index.ts proxy
 *   (PROXY_BENCH_BYTES sets the upload size; PROXY_BENCH_UPLOAD_ONLY=1 skips the GET comparison;
 *   PROXY_BENCH_LIB=.tmp/dist-old/index.js runs a copy of an older build's proxy, for paired before/after runs;
 *   PROXY_BENCH_SERVER_FLAGS='--max-semi-space-size=1' runs the proxy's and the floor's processes with those Node flags)
 */
import { fork, type ChildProcess } from 'node:child_process';
import { Agent, createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createHash, createHmac } from 'node:crypto';
import { PerformanceObserver, constants as perfConstants } from 'node:perf_hooks';
import { getHeapSpaceStatistics } from 'node:v8';
import got from 'got';
import { compare, defineSuite, loadBuilt, type ScenarioResult } from './harness.js';
import { startLocalServer } from './local-server.js';

type Library = typeof import('../../src/index.js');
const CHILD_FLAG = '--proxy-bench-child';
const SERVER_FLAG = '--proxy-bench-server';
const REAL = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' };
const CLIENT = { accessKeyId: 'AKIDBENCHCLIENT', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' };
const MiB = 1024 * 1024;

const CHUNK = 64 * 1024;
const EMPTY_SHA256 = createHash('sha256').digest('hex');

/**
 * The client's signed aws-chunked body, made cheaply: the data is one repeated block, so every full chunk
 * has the same SHA-256 and only the chained HMAC is computed per chunk. The client then costs little, and
 * the wall-clock figure measures the proxy rather than a client doing the same hashing on the same CPUs.
 * The proxy cannot tell: it gets a valid signed upload and checks every chunk in full.
 */
function* cheapSignedBody(bytes: number, seed: { signingKey: Uint8Array; amzDate: string; credentialScope: string; seedSignature: string }): Generator<Buffer> {
  const block = Buffer.alloc(CHUNK, 0x61);
  const blockHash = createHash('sha256').update(block).digest('hex');
  let previous = seed.seedSignature;
  const sign = (dataHash: string): string => {
    previous = createHmac('sha256', seed.signingKey).update(`AWS4-HMAC-SHA256-PAYLOAD\n${seed.amzDate}\n${seed.credentialScope}\n${previous}\n${EMPTY_SHA256}\n${dataHash}`).digest('hex');
    return previous;
  };
  for (let left = bytes; left > 0; left -= CHUNK) {
    const data = left >= CHUNK ? block : block.subarray(0, left);
    yield Buffer.from(`${data.length.toString(16)};chunk-signature=${sign(data === block ? blockHash : createHash('sha256').update(data).digest('hex'))}\r\n`, 'latin1');
    yield data;
    yield CRLF;
  }
  yield Buffer.from(`0;chunk-signature=${sign(EMPTY_SHA256)}\r\n\r\n`, 'latin1');
}

const CRLF = Buffer.from('\r\n', 'latin1');

/** The child: a counting keep-alive sink, and the client that uploads through the proxy when asked. */
async function child(): Promise<void> {
  const { signChunkedUpload, chunkSigningSeed } = await loadBuilt<Library>('index.js');
  const sink = createServer((req, res) => {
    let bytes = 0;
    req.on('data', (piece: Buffer) => (bytes += piece.length));
    req.on('end', () => res.end(String(bytes)));
  });
  await new Promise<void>((done) => sink.listen(0, '127.0.0.1', done));
  process.send?.({ sinkPort: (sink.address() as AddressInfo).port });
  process.on('message', (message: { proxyPort?: number; bytes?: number }) => {
    if (message.proxyPort === undefined) return void sink.close(() => process.exit(0));
    const url = `http://127.0.0.1:${message.proxyPort}/bucket/big.bin`;
    const upload = signChunkedUpload({ method: 'PUT', url }, { credentials: CLIENT, region: 'us-east-1', service: 's3' }, { decodedLength: message.bytes!, chunkSize: CHUNK });
    const seed = chunkSigningSeed(upload.signed, CLIENT);
    const started = performance.now();
    const req = request(url, { method: 'PUT', headers: upload.signed.headers });
    req.on('response', (res) => {
      let text = '';
      res.on('data', (piece: Buffer) => (text += piece.toString()));
      res.on('end', () => process.send?.({ status: res.statusCode, body: text, seconds: (performance.now() - started) / 1000 }));
    });
    void pipeline(Readable.from(cheapSignedBody(message.bytes!, seed)), req).catch((error: Error) => process.send?.({ status: 0, body: error.message, seconds: 0 }));
  });
}

/** The client child's answer to one upload. */
interface UploadResult {
  readonly status: number;
  readonly body: string;
  readonly seconds: number;
}

function ask(worker: ChildProcess, message: object): Promise<UploadResult> {
  return new Promise((done) => {
    worker.once('message', (answer) => done(answer as UploadResult));
    worker.send(message);
  });
}

/** MB/s of one SHA-256 pass over 64 KiB pieces right now: the proxy hashes each byte once (the encoder reuses the verifying decoder's chunk digests), so this bounds it. */
function sha256Reference(): number {
  const block = Buffer.alloc(64 * 1024, 0x61);
  const started = performance.now();
  let n = 0;
  while (performance.now() - started < 500) {
    createHash('sha256').update(block).digest();
    n++;
  }
  return (n * block.length) / 1e6 / ((performance.now() - started) / 1000);
}

/** Memory figures sampled while the upload runs. */
interface SampledMemory {
  /** The largest growth of heap, ArrayBuffer and RSS use over their values at the start. */
  heapUsed: number;
  arrayBuffers: number;
  rss: number;
  /** V8's young generation (both semi-spaces) at the start and at its largest: it decides how often young ArrayBuffers are freed. */
  youngAtStart: number;
  youngPeak: number;
}

const youngGeneration = (): number => getHeapSpaceStatistics().find((space) => space.space_name === 'new_space')?.space_size ?? 0;

function sampleMemory(): { stop: () => SampledMemory } {
  const start = process.memoryUsage();
  const peak: SampledMemory = { heapUsed: 0, arrayBuffers: 0, rss: 0, youngAtStart: youngGeneration(), youngPeak: youngGeneration() };
  const timer = setInterval(() => {
    const now = process.memoryUsage();
    for (const key of ['heapUsed', 'arrayBuffers', 'rss'] as const) peak[key] = Math.max(peak[key], now[key] - start[key]);
    peak.youngPeak = Math.max(peak.youngPeak, youngGeneration());
  }, 10);
  return { stop: () => (clearInterval(timer), peak) };
}

/** Young (scavenge) and full (mark-compact) collections while it runs. */
function countCollections(): { stop: () => { young: number; full: number } } {
  const counts = { young: 0, full: 0 };
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      if (((entry as unknown as { detail?: { kind?: number } }).detail)?.kind === perfConstants.NODE_PERFORMANCE_GC_MAJOR) counts.full++;
      else counts.young++;
    }
  });
  observer.observe({ entryTypes: ['gc'] });
  return { stop: () => (observer.disconnect(), counts) };
}

/** What the measured server's process reports about the upload. */
interface ServerFigures {
  readonly growth: number;
  readonly memory: SampledMemory;
  readonly collections: { young: number; full: number };
  readonly cpuSeconds: number;
}

async function startMeasuredServer(kind: string, sinkPort: number): Promise<Server> {
  if (kind !== 'proxy') {
    // The floor: a plain node:http server that only counts the body it receives.
    return createServer((req, res) => {
      let bytes = 0;
      req.on('data', (piece: Buffer) => (bytes += piece.length));
      req.on('end', () => res.end(String(bytes)));
    });
  }
  // PROXY_BENCH_LIB=<path to a built index.js>: another build's proxy (e.g. a copy of the previous dist), for paired before/after runs.
  const other = process.env.PROXY_BENCH_LIB;
  const lib = other === undefined ? await loadBuilt<Library>('index.js') : ((await import(pathToFileURL(resolve(other)).href)) as Library);
  return lib.createSigningProxy({ upstreams: [{ url: `http://127.0.0.1:${sinkPort}`, service: 's3', region: 'us-east-1' }], credentials: REAL, clientKeys: [CLIENT] });
}

/**
 * The measured server's process (the proxy, or the floor): alone, so that its peak RSS is its own and not
 * raised by the bench's other work. It measures between the parent's 'start' and 'stop'.
 */
async function measuredServer(kind: string): Promise<void> {
  const { sinkPort } = await new Promise<{ sinkPort: number }>((done) => process.once('message', (m) => done(m as { sinkPort: number })));
  const server = await startMeasuredServer(kind, sinkPort);
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  process.send?.({ port: (server.address() as AddressInfo).port });
  let finish: (() => ServerFigures) | undefined;
  process.on('message', (message: { measure: 'start' | 'stop' }) => {
    if (message.measure === 'stop') return void process.send?.(finish?.(), () => process.exit(0));
    globalThis.gc?.();
    const before = process.resourceUsage().maxRSS * 1024;
    const sampler = sampleMemory();
    const collections = countCollections();
    const cpuBefore = process.cpuUsage();
    finish = () => {
      const cpu = process.cpuUsage(cpuBefore);
      return { growth: process.resourceUsage().maxRSS * 1024 - before, memory: sampler.stop(), collections: collections.stop(), cpuSeconds: (cpu.user + cpu.system) / 1e6 };
    };
    process.send?.({});
  });
}

function reply<T>(worker: ChildProcess, message: object): Promise<T> {
  return new Promise((done) => {
    worker.once('message', (answer) => done(answer as T));
    worker.send(message);
  });
}

/** One upload of `total` bytes from the client child into a fresh server process of `kind`, after a 16 MiB warm-up. */
async function measureUpload(kind: 'proxy' | 'floor', client: ChildProcess, sinkPort: number, total: number): Promise<{ result: UploadResult; figures: ServerFigures }> {
  // PROXY_BENCH_SERVER_FLAGS: Node/V8 flags for the measured server's process, e.g. --max-semi-space-size=1.
  const flags = (process.env.PROXY_BENCH_SERVER_FLAGS ?? '').split(' ').filter((f) => f !== '');
  const server = fork(fileURLToPath(import.meta.url), [SERVER_FLAG, kind], { execArgv: ['--expose-gc', ...flags, '--import', 'tsx'] });
  const { port } = await reply<{ port: number }>(server, { sinkPort });
  await ask(client, { proxyPort: port, bytes: 16 * MiB }); // warm-up: modules, JIT, sockets
  await reply(server, { measure: 'start' });
  const result = await ask(client, { proxyPort: port, bytes: total });
  const figures = await reply<ServerFigures>(server, { measure: 'stop' });
  return { result, figures };
}

function memoryLine(figures: ServerFigures): string {
  const { memory, collections } = figures;
  return `sampled every 10 ms: heap used +${(memory.heapUsed / MiB).toFixed(1)} MiB, ArrayBuffers +${(memory.arrayBuffers / MiB).toFixed(1)} MiB, RSS +${(memory.rss / MiB).toFixed(1)} MiB; ${collections.young} young and ${collections.full} full GCs; young generation ${(memory.youngAtStart / MiB).toFixed(0)} -> ${(memory.youngPeak / MiB).toFixed(0)} MiB`;
}

async function uploadScenario(quick: boolean): Promise<void> {
  const total = Number(process.env.PROXY_BENCH_BYTES ?? (quick ? 64 * MiB : 1024 * MiB));
  const client = fork(fileURLToPath(import.meta.url), [CHILD_FLAG], { execArgv: ['--import', 'tsx'] });
  const sinkPort = await new Promise<number>((done) => client.once('message', (m) => done((m as { sinkPort: number }).sinkPort)));
  const { result, figures } = await measureUpload('proxy', client, sinkPort, total);
  const floor = await measureUpload('floor', client, sinkPort, total);
  client.send({});
  const mbs = total / 1e6 / result.seconds;
  const { growth, cpuSeconds } = figures;
  const reference = sha256Reference();
  const flags = process.env.PROXY_BENCH_SERVER_FLAGS ?? '';
  process.stdout.write(
    `\n▶ signed chunked upload through the proxy (verified, re-encoded) ${(total / MiB).toFixed(0)} MiB${flags === '' ? '' : `, server processes run with ${flags}`}\n` +
      `  status ${result.status}, sink received ${result.body} encoded bytes\n` +
      `  ${mbs.toFixed(0)} MB/s (target >= 300: ${mbs >= 300 ? 'PASS' : 'MISS'}), peak RSS growth ${(growth / MiB).toFixed(1)} MiB (target < 64: ${growth < 64 * MiB ? 'PASS' : 'MISS'})\n` +
      `  ${memoryLine(figures)}\n` +
      `  proxy process CPU: ${cpuSeconds.toFixed(2)} s, i.e. ${(total / 1e6 / cpuSeconds).toFixed(0)} MB per CPU-second (the wall-clock figure also waits for the client, which shares the machine)\n` +
      `  floor, same run: a node:http server that only counts the same upload: ${(total / 1e6 / floor.result.seconds).toFixed(0)} MB/s, peak RSS growth ${(floor.figures.growth / MiB).toFixed(1)} MiB\n` +
      `    (${memoryLine(floor.figures)}); node:http hands over every body piece in a new ArrayBuffer, which only a GC frees\n` +
      `  reference, same run: one SHA-256 pass alone ${reference.toFixed(0)} MB/s; the proxy hashes each byte once (chunk digests reused from verification for re-signing)\n`,
  );
}

/**
 * The design alternative, measured: a proxy that re-signs through the got plugin instead of the signer
 * (GETs only, response buffered: the least a got-based proxy would do).
 */
async function startGotBasedProxy(lib: Library, origin: string): Promise<{ origin: string; close: () => Promise<void> }> {
  const agent = new Agent({ keepAlive: true });
  const signed = got.extend({ agent: { http: agent }, retry: { limit: 0 }, throwHttpErrors: false, decompress: false }, lib.aws4Hooks({ region: 'us-east-1', service: 's3', credentials: REAL }));
  const server = createServer((req, res) => {
    void signed(`${origin}${req.url ?? '/'}`, { method: req.method as 'GET', responseType: 'buffer' }).then((upstream) => {
      res.writeHead(upstream.statusCode, { 'content-length': upstream.body.length, 'content-type': upstream.headers['content-type'] ?? 'text/plain' });
      res.end(upstream.body);
    });
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: async () => {
      agent.destroy();
      await new Promise((done) => server.close(done));
    },
  };
}

async function getScenario(lib: Library): Promise<ScenarioResult> {
  const server = await startLocalServer();
  const gotBased = await startGotBasedProxy(lib, server.origin);
  const toGotBased = new Agent({ keepAlive: true, maxSockets: 1 });
  const viaGotBased = got.extend({ agent: { http: toGotBased }, retry: { limit: 0 } });
  const direct = got.extend({ agent: { http: server.agent }, retry: { limit: 0 } }, lib.aws4Hooks({ region: 'us-east-1', service: 's3', credentials: REAL }));
  const proxy = lib.createSigningProxy({ upstreams: [{ url: server.origin, service: 's3', region: 'us-east-1' }], credentials: REAL });
  await new Promise<void>((done) => proxy.listen(0, '127.0.0.1', done));
  const proxyOrigin = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
  const toProxy = new Agent({ keepAlive: true, maxSockets: 1 });
  const viaProxy = got.extend({ agent: { http: toProxy }, retry: { limit: 0 } });
  const result = await compare(
    'small GET: through the proxy vs the got plugin direct',
    [
      { name: 'via proxy', async: true, run: () => viaProxy.get(`${proxyOrigin}/bucket/small.txt`).text(), note: 'plain got -> proxy (signs with the signer + credential cache) -> local server' },
      { name: 'plugin direct', async: true, run: () => direct.get(`${server.origin}/bucket/small.txt`).text(), note: 'got + aws4Hooks -> local server' },
      { name: 'got-based proxy', async: true, run: () => viaGotBased.get(`${gotBased.origin}/bucket/small.txt`).text(), note: 'the alternative design: plain got -> a proxy re-signing through got + aws4Hooks (buffered) -> local server' },
    ],
    { baseline: 'via proxy', targets: [{ peer: 'plugin direct', min: 0.5 }] },
  );
  toProxy.destroy();
  toGotBased.destroy();
  await gotBased.close();
  await lib.closeSigningProxy(proxy, 1_000);
  await server.close();
  return result;
}

if (process.argv.includes(CHILD_FLAG)) await child();
const serverKind = process.argv.indexOf(SERVER_FLAG);
if (serverKind !== -1) await measuredServer(process.argv[serverKind + 1] ?? 'proxy');

export default defineSuite({
  name: 'proxy',
  async run(config) {
    const lib = await loadBuilt<Library>('index.js');
    await uploadScenario(config.quick);
    // PROXY_BENCH_UPLOAD_ONLY=1: the upload alone, e.g. to profile it (node --cpu-prof).
    if (process.env.PROXY_BENCH_UPLOAD_ONLY === '1') return [];
    return [await getScenario(lib)];
  },
});
