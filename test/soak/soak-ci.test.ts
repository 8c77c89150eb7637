/**
 * The soak's CI variant: the workload of ./workload.ts at a tenth of the full run (at least 1,000 requests,
 * 50 concurrent, 5 rotations) against the RGW this test run started. The full run is on demand:
 * `node --import tsx test/soak/soak.ts` (see docs/reliability.md).
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { expect, inject, it } from 'vitest';
import { formatSummary, runSoak } from './workload.js';

it('holds 1,000+ requests, 50 concurrent, across 5+ credential rotations: no rejection, no stale signature, one STS call per rotation', { timeout: 40_000 }, async () => {
  const summary = await runSoak(inject('rgw'), { requests: 1000, concurrency: 50, rotations: 5, lifetimeMs: 2000, maxDurationMs: 25_000 });
  const text = formatSummary(summary);
  console.log(text);
  const dir = fileURLToPath(new URL('../../.tmp/soak/', import.meta.url));
  await mkdir(dir, { recursive: true });
  await writeFile(`${dir}summary-ci.json`, `${JSON.stringify(summary, null, 2)}\n`);

  expect(summary.failures, text).toEqual([]);
  expect(summary.requests).toBeGreaterThanOrEqual(1000);
  expect(summary.credentials.rotations).toBeGreaterThanOrEqual(5);
  expect(summary.signatureRejections).toBe(0);
  expect(summary.unexpectedStatuses).toEqual({});
  expect(summary.errors).toEqual({});
  expect(summary.contentMismatches).toBe(0);
  expect(summary.credentials.signedWithExpiredCredentials).toBe(0);
  expect(summary.credentials.missingOrUnknownSignature).toBe(0);
  expect(summary.credentials.providerCalls).toBe(summary.credentials.rotations + 1);
  expect(summary.credentials.stsCalls).toBe(summary.credentials.providerCalls);
  expect(summary.credentials.distinctAccessKeys).toBe(summary.credentials.providerCalls);
  expect(summary.attempts).toBe(summary.requests);
});
