/**
 * The differential property tests at scale, on demand: `npm run fuzz -- 1000000` checks that many random
 * requests per mode against @smithy/signature-v4 (non-S3, S3 encoded, S3 written by hand) and aws4
 * (where its rules are SigV4's), printing progress and the first counterexample if any.
 */
import fc from 'fast-check';
import { randomRequest, ourAuthorization, smithyAuthorization, aws4Comparison, encodedPath, rawPath, type RandomRequest } from '../helpers/differential.js';

const total = Number(process.argv[2] ?? 1_000_000);
const seed = Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31);
const batch = 20_000;

type Mode = { name: string; s3: boolean; check: (request: RandomRequest) => Promise<boolean> };
const modes: Mode[] = [
  { name: 'smithy non-S3', s3: false, check: async (r) => ourAuthorization(r, rawPath(r)) === (await smithyAuthorization(r, rawPath(r))) },
  { name: 'smithy S3 encoded', s3: true, check: async (r) => ourAuthorization(r, encodedPath(r)) === (await smithyAuthorization(r, encodedPath(r))) },
  { name: 'smithy S3 by hand', s3: true, check: async (r) => ourAuthorization(r, rawPath(r)) === (await smithyAuthorization(r, encodedPath(r))) },
  { name: 'aws4 non-S3', s3: false, check: async (r) => { const c = aws4Comparison(r); return c === undefined || c.ours === c.theirs; } },
  { name: 'aws4 S3', s3: true, check: async (r) => { const c = aws4Comparison(r); return c === undefined || c.ours === c.theirs; } },
];

console.log(`differential fuzzing: ${total} cases per mode, seed ${seed}`);
let mismatches = 0;
for (const mode of modes) {
  const started = Date.now();
  for (let done = 0; done < total; done += batch) {
    const runs = Math.min(batch, total - done);
    const result = await fc.check(fc.asyncProperty(randomRequest(mode.s3), mode.check), { numRuns: runs, seed: seed + done });
    if (result.failed) {
      mismatches++;
      console.log(`${mode.name}: MISMATCH after ${done + result.numRuns} cases: ${fc.stringify(result.counterexample)}`);
      break;
    }
    process.stdout.write(`\r${mode.name}: ${done + runs} / ${total}`);
  }
  console.log(` (${((Date.now() - started) / 1000).toFixed(1)} s)`);
}
console.log(mismatches === 0 ? `0 mismatches in ${total * modes.length} cases` : `${mismatches} mode(s) with mismatches`);
process.exitCode = mismatches === 0 ? 0 : 1;
