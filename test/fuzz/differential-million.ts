/**
 * The differential property tests at scale, on demand: `npm run fuzz -- 1000000` checks that many random
 * requests per mode against @smithy/signature-v4 (non-S3, S3 encoded, S3 written by hand), aws4
 * (where its rules are SigV4's) and botocore (non-S3 and S3, test/helpers/botocore.ts), printing
 * progress, throughput and the first counterexample if any.
 *
 * Environment: FUZZ_SEED (default: from the clock), FUZZ_MODES (comma-separated substrings of the mode
 * names to run, e.g. `botocore`; default all), BOTOCORE_WORKERS (oracle processes, default 1).
 * On a shared machine run it as `nice -n 10 npm run fuzz -- N`.
 */
import fc from 'fast-check';
import { randomRequest, ourAuthorization, smithyAuthorization, aws4Comparison, encodedPath, rawPath, type RandomRequest } from '../helpers/differential.js';
import { BotocoreOracle, botocoreRequest, ourSigned, sideBySide, type BotocoreResult, type QueryVia } from '../helpers/botocore.js';

const total = Number(process.argv[2] ?? 1_000_000);
const seed = Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31);
const only = (process.env.FUZZ_MODES ?? '').split(',').map((s) => s.trim()).filter((s) => s !== '');
const workers = Math.max(1, Number(process.env.BOTOCORE_WORKERS ?? 1));
const batch = 20_000;

/** A mode checked one request at a time (in-process oracles). */
type SingleMode = { name: string; s3: boolean; check: (request: RandomRequest) => Promise<boolean> };

/** A botocore case: the request, whether our path is written raw, and how botocore gets the query. */
type BotocoreCase = [request: RandomRequest, raw: boolean, queryVia: QueryVia];
/** A mode checked a batch at a time against the botocore oracle: the paths we sign and the one botocore signs. */
type BotocoreMode = { name: string; s3: boolean; paths: (c: BotocoreCase) => { ours: string[]; botocore: string } };

const singleModes: SingleMode[] = [
  { name: 'smithy non-S3', s3: false, check: async (r) => ourAuthorization(r, rawPath(r)) === (await smithyAuthorization(r, rawPath(r))) },
  { name: 'smithy S3 encoded', s3: true, check: async (r) => ourAuthorization(r, encodedPath(r)) === (await smithyAuthorization(r, encodedPath(r))) },
  { name: 'smithy S3 by hand', s3: true, check: async (r) => ourAuthorization(r, rawPath(r)) === (await smithyAuthorization(r, encodedPath(r))) },
  { name: 'aws4 non-S3', s3: false, check: async (r) => { const c = aws4Comparison(r); return c === undefined || c.ours === c.theirs; } },
  { name: 'aws4 S3', s3: true, check: async (r) => { const c = aws4Comparison(r); return c === undefined || c.ours === c.theirs; } },
];
const botocoreModes: BotocoreMode[] = [
  // SigV4Auth and we get the same path, raw or encoded; the query goes to botocore encoded in the URL or as params.
  { name: 'botocore non-S3', s3: false, paths: ([r, raw]) => { const p = raw ? rawPath(r) : encodedPath(r); return { ours: [p], botocore: p }; } },
  // S3SigV4Auth gets the key encoded once, as botocore's serializer writes it; we must match it from the raw and the encoded key.
  { name: 'botocore S3 (raw and encoded key)', s3: true, paths: ([r]) => ({ ours: [rawPath(r), encodedPath(r)], botocore: encodedPath(r) }) },
];

const selected = <T extends { name: string }>(modes: T[]) => modes.filter((m) => only.length === 0 || only.some((s) => m.name.includes(s)));

function seconds(ms: number): string {
  return (ms / 1000).toFixed(1);
}

async function runSingle(mode: SingleMode): Promise<boolean> {
  const started = Date.now();
  for (let done = 0; done < total; done += batch) {
    const runs = Math.min(batch, total - done);
    const result = await fc.check(fc.asyncProperty(randomRequest(mode.s3), mode.check), { numRuns: runs, seed: seed + done });
    if (result.failed) {
      console.log(`\n${mode.name}: MISMATCH after ${done + result.numRuns} cases: ${fc.stringify(result.counterexample)}`);
      return false;
    }
    process.stdout.write(`\r${mode.name}: ${done + runs} / ${total}`);
  }
  const ms = Date.now() - started;
  console.log(` (${seconds(ms)} s, ${Math.round((total / ms) * 1000)} cases/s)`);
  return true;
}

const yieldToIo = () => new Promise<void>((resolve) => setImmediate(resolve));

async function runBotocore(mode: BotocoreMode, oracles: BotocoreOracle[]): Promise<boolean> {
  const arbitrary = fc.tuple(randomRequest(mode.s3), fc.boolean(), fc.constantFrom<QueryVia>('url', 'params'));
  const chunk = 500;
  const started = Date.now();
  let oracleMs = 0;
  for (let done = 0; done < total; done += batch) {
    const runs = Math.min(batch, total - done);
    const cases = fc.sample(arbitrary, { numRuns: runs, seed: seed + done });
    const answers: Array<Promise<BotocoreResult>> = [];
    const ours: string[][] = [];
    // Send a chunk, sign it ourselves while botocore works, let the pipes flow, repeat.
    for (let from = 0; from < cases.length; from += chunk) {
      const slice = cases.slice(from, from + chunk);
      const oracle = oracles[(from / chunk) % oracles.length] as BotocoreOracle;
      answers.push(...oracle.send(slice.map((c) => botocoreRequest(c[0], mode.paths(c).botocore, c[2]))));
      for (const c of slice) ours.push(mode.paths(c).ours.map((path) => ourSigned(c[0], path).authorization));
      await yieldToIo();
    }
    const waitStarted = Date.now();
    const results = await Promise.all(answers);
    oracleMs += Date.now() - waitStarted;
    for (let i = 0; i < cases.length; i++) {
      const theirs = results[i] as BotocoreResult;
      const wrong = (ours[i] as string[]).findIndex((authorization) => authorization !== theirs.authorization);
      if (wrong !== -1) {
        const c = cases[i] as BotocoreCase;
        const path = mode.paths(c).ours[wrong] as string;
        console.log(`\n${mode.name}: MISMATCH after ${done + i + 1} cases (our path ${JSON.stringify(path)}, query via ${c[2]}): ${fc.stringify(c[0])}`);
        console.log(sideBySide(ourSigned(c[0], path), theirs));
        return false;
      }
    }
    const ms = Date.now() - started;
    process.stdout.write(`\r${mode.name}: ${done + runs} / ${total} (${Math.round(((done + runs) / ms) * 1000)} cases/s)`);
  }
  const ms = Date.now() - started;
  console.log(`\n${mode.name}: ${total} cases in ${seconds(ms)} s, ${Math.round((total / ms) * 1000)} cases/s (${seconds(oracleMs)} s of it waiting for botocore after our side was done)`);
  return true;
}

const runSingles = selected(singleModes);
const runBotocores = selected(botocoreModes);
const modeCount = runSingles.length + runBotocores.length;
console.log(`differential fuzzing: ${total} cases per mode, ${modeCount} mode(s), seed ${seed}`);
const startedAll = Date.now();
let mismatches = 0;
for (const mode of runSingles) if (!(await runSingle(mode))) mismatches++;
if (runBotocores.length > 0) {
  const oracles = Array.from({ length: workers }, () => BotocoreOracle.start());
  console.log(`botocore ${oracles[0]?.version} (/usr/bin/python3), ${workers} oracle process(es)`);
  try {
    for (const mode of runBotocores) if (!(await runBotocore(mode, oracles))) mismatches++;
  } finally {
    await Promise.all(oracles.map((o) => o.close()));
  }
}
console.log(mismatches === 0 ? `0 mismatches in ${total * modeCount} cases (${seconds(Date.now() - startedAll)} s)` : `${mismatches} mode(s) with mismatches`);
process.exitCode = mismatches === 0 ? 0 : 1;
