/**
 * Peak memory of a streamed upload through got and the plugin: 1 GiB (configurable) generated on the fly
 * is sent as a signed chunked upload to a sink server in a child process (so only the client's memory is
 * measured), and the client's peak RSS (getrusage maxrss) is compared with its peak before the upload.
 * Target from the issue: less than 64 MiB growth.
 *
 *   npm run build && node --expose-gc --import tsx test/bench/stream-memory.ts [bytes]
 */
import { fork } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import got from 'got';
import { ROOT, loadBuilt } from './harness.js';

type Library = typeof import('../../src/index.js');

if (process.argv[2] === '--sink') {
  // The sink: counts the bytes of each upload and answers with the count.
  const { createServer } = await import('node:http');
  const server = createServer((request, response) => {
    let bytes = 0;
    request.on('data', (chunk: Buffer) => (bytes += chunk.length));
    request.on('end', () => response.end(String(bytes)));
  });
  server.listen(0, '127.0.0.1', () => process.send?.((server.address() as { port: number }).port));
} else {
  const total = Number(process.argv[2] ?? 1024 * 1024 * 1024);
  const { aws4Hooks } = await loadBuilt<Library>('index.js');
  const sink = fork(fileURLToPath(import.meta.url), ['--sink'], { execArgv: ['--import', 'tsx'] });
  const port = await new Promise<number>((done) => sink.once('message', (message) => done(Number(message))));
  const client = got.extend(
    { retry: { limit: 0 } },
    aws4Hooks({ region: 'us-east-1', service: 's3', credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' } }),
  );

  function generated(bytes: number): Readable {
    const block = Buffer.alloc(256 * 1024, 0x61);
    let left = bytes;
    return new Readable({
      read() {
        if (left <= 0) return void this.push(null);
        const size = Math.min(block.length, left);
        left -= size;
        this.push(size === block.length ? block : block.subarray(0, size));
      },
    });
  }

  // Warm up the whole path (module loading, JIT, sockets) with a small upload, then take the baseline.
  await client.put(`http://127.0.0.1:${port}/warmup`, { body: generated(4 * 1024 * 1024), headers: { 'content-length': String(4 * 1024 * 1024) } });
  globalThis.gc?.();
  const before = process.resourceUsage().maxRSS * 1024;
  const started = performance.now();
  const response = await client.put(`http://127.0.0.1:${port}/big.bin`, { body: generated(total), headers: { 'content-length': String(total) } });
  const seconds = (performance.now() - started) / 1000;
  const after = process.resourceUsage().maxRSS * 1024;
  sink.kill();

  const growthMiB = (after - before) / 1024 / 1024;
  const result = {
    decodedBytes: total,
    bytesOnTheWire: Number(response.body),
    seconds: Number(seconds.toFixed(2)),
    throughputMBps: Number((total / 1e6 / seconds).toFixed(1)),
    peakRssBeforeMiB: Number((before / 1024 / 1024).toFixed(1)),
    peakRssAfterMiB: Number((after / 1024 / 1024).toFixed(1)),
    peakRssGrowthMiB: Number(growthMiB.toFixed(1)),
    target: 'growth < 64 MiB',
    pass: growthMiB < 64,
    node: process.version,
    date: new Date().toISOString(),
  };
  console.log(JSON.stringify(result, null, 2));
  mkdirSync(resolve(ROOT, '.tmp', 'bench'), { recursive: true });
  writeFileSync(resolve(ROOT, '.tmp', 'bench', 'stream-memory.json'), `${JSON.stringify(result, null, 2)}\n`);
}
