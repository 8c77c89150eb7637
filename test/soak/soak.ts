/**
 * The full soak, on demand:
 *
 *   node --import tsx test/soak/soak.ts [--requests 10000] [--concurrency 50] [--rotations 20] [--lifetime-ms 4000]
 *
 * Starts its own Ceph RGW (state in .tmp/soak/rgw, so it never disturbs a test run's server), runs the
 * workload of ./workload.ts against it, prints the summary, writes it to .tmp/soak/summary.json, stops
 * RGW and exits 0 when every target and invariant held, 1 otherwise.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { startRgw, stopRgw } from '../helpers/rgw.js';
import { formatSummary, runSoak } from './workload.js';

const OUT_DIR = fileURLToPath(new URL('../../.tmp/soak/', import.meta.url));

const { values } = parseArgs({
  options: {
    requests: { type: 'string', default: '10000' },
    concurrency: { type: 'string', default: '50' },
    rotations: { type: 'string', default: '20' },
    'lifetime-ms': { type: 'string', default: '4000' },
    'max-duration-s': { type: 'string', default: '900' },
  },
});

function positive(name: string, text: string | undefined): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value <= 0) throw new Error(`--${name} must be a positive whole number, got ${String(text)}`);
  return value;
}

const options = {
  requests: positive('requests', values.requests),
  concurrency: positive('concurrency', values.concurrency),
  rotations: positive('rotations', values.rotations),
  lifetimeMs: positive('lifetime-ms', values['lifetime-ms']),
  maxDurationMs: positive('max-duration-s', values['max-duration-s']) * 1000,
};

const log = (line: string): void => void process.stderr.write(`${new Date().toISOString().slice(11, 23)} ${line}\n`);

process.env.RGW_STATE_DIR = `${OUT_DIR}rgw`;
await mkdir(OUT_DIR, { recursive: true });
let stopping = false;
const stop = async (): Promise<void> => {
  if (stopping) return;
  stopping = true;
  log('stopping RGW');
  await stopRgw().catch((error: unknown) => log(`rgw stop failed: ${String(error)}`));
};
process.once('SIGINT', () => void stop().then(() => process.exit(130)));

log(`starting RGW (state in ${process.env.RGW_STATE_DIR})`);
const rgw = await startRgw();
let ok = false;
try {
  const summary = await runSoak(rgw, { ...options, log });
  ok = summary.ok;
  console.log(formatSummary(summary));
  const file = `${OUT_DIR}summary.json`;
  await writeFile(file, `${JSON.stringify(summary, null, 2)}\n`);
  log(`summary written to ${file}`);
} finally {
  await stop();
}
process.exitCode = ok ? 0 : 1;
