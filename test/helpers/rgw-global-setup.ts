/**
 * vitest globalSetup: one Ceph RGW for the whole test run, started before the first test file and
 * stopped after the last. Tests read it with `inject('rgw')`.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';
import { parseRgwState, startRgw, stopRgw, type RgwServer } from './rgw.js';

declare module 'vitest' {
  export interface ProvidedContext {
    rgw: RgwServer;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  // A developer running many small test runs can start one RGW (`test/servers/rgw.sh start`) and point
  // RGW_REUSE_STATE at its state.json: the run then uses it and leaves it running.
  const reuse = process.env.RGW_REUSE_STATE;
  if (reuse) {
    project.provide('rgw', parseRgwState(readFileSync(reuse, 'utf8')));
    return async () => {};
  }
  // One state dir per run, so two test runs on one machine (CI and a developer, or parallel sessions)
  // never stop each other's server.
  process.env.RGW_STATE_DIR ??= fileURLToPath(new URL(`../../.tmp/rgw/run-${process.pid}`, import.meta.url));
  const started = Date.now();
  let server: RgwServer;
  try {
    server = await startRgw();
  } catch (error) {
    // Leave nothing running if the start failed half-way.
    await stopRgw().catch(() => {});
    throw error;
  }
  process.stderr.write(`[rgw] ${server.endpoint} up in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
  project.provide('rgw', server);
  return async () => {
    await stopRgw();
  };
}
