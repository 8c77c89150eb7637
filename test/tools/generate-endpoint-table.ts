/**
 * Writes src/endpoints/endpoint-table.generated.ts from botocore's data files: which endpoint prefix signs
 * as which service, which hosts name no region (and the region their credential scope uses), the SigV4a
 * host shapes, and each partition's DNS suffixes and region pattern.
 *
 *   npm run generate:endpoints                      # botocore found through python3, else Debian's copy
 *   BOTOCORE_DATA=/path/to/botocore/data npm run generate:endpoints
 *
 * Sources, newest API version of each service: `<service>/<version>/service-2.json` (`metadata.endpointPrefix`,
 * `signingName`, `signatureVersion`, `auth`), `endpoint-rule-set-1.json` (every URL template and its
 * `authSchemes`), `endpoints.json` (explicit host names and `credentialScope`) and `partitions.json`.
 *
 * Then it checks its own work: every host botocore can produce (each rule-set template and each
 * endpoints.json host, in every partition, FIPS and dual-stack included) is run through the real
 * `inferEndpoint` in a child process. A host whose generic reading disagrees with botocore becomes an
 * explicit entry; anything still wrong after that fails the run. S3's own rule sets are left to the
 * hand-written S3 shapes (their templates are built from bucket and ARN parts), but S3's endpoints.json hosts
 * are checked like every other.
 *
 * @module
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { collectExpectations, fixtureLines, type Expectation } from './generate-endpoint-table.expect.js';
import { readBotocore, type BotocoreData } from './generate-endpoint-table.data.js';
import { buildTable, renderTable, type Table } from './generate-endpoint-table.build.js';

const root = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const OUTPUT = join(root, 'src/endpoints/endpoint-table.generated.ts');
const FIXTURE = join(root, 'test/endpoints/fixtures/botocore-hosts.txt');

/** Where botocore's data folder is: `BOTOCORE_DATA`, else python3's botocore, else Debian's python3-botocore. */
function findDataDir(): string {
  const fromEnv = process.env.BOTOCORE_DATA;
  if (fromEnv !== undefined && fromEnv !== '') return fromEnv;
  try {
    const dir = execFileSync('python3', ['-c', 'import botocore, os; print(os.path.dirname(botocore.__file__))'], { encoding: 'utf8' }).trim();
    if (existsSync(join(dir, 'data', 'endpoints.json'))) return join(dir, 'data');
  } catch {
    // No python3 or no botocore module: try Debian's package below.
  }
  const debian = '/usr/lib/python3/dist-packages/botocore/data';
  if (existsSync(join(debian, 'endpoints.json'))) return debian;
  throw new Error('botocore data not found: pip install botocore, apt-get install python3-botocore, or set BOTOCORE_DATA');
}

/** Runs the hosts through the real inferEndpoint in a fresh process (the table module is re-read). */
function failures(expectations: readonly Expectation[]): Expectation[] {
  const input = JSON.stringify(expectations);
  const out = execFileSync(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--verify'], {
    input,
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
  return JSON.parse(out) as Expectation[];
}

async function verifyFromStdin(): Promise<void> {
  const expectations = JSON.parse(readFileSync(0, 'utf8')) as Expectation[];
  const { inferEndpoint } = (await import(pathToFileURL(join(root, 'src/endpoints/infer-endpoint.ts')).href)) as typeof import('../../src/endpoints/infer-endpoint.js');
  const wrong = expectations.filter((e) => {
    const got = inferEndpoint(e.host);
    return got === undefined || got.service !== e.service || got.algorithm !== e.algorithm || (e.region !== undefined && got.region !== e.region);
  });
  process.stdout.write(JSON.stringify(wrong));
}

function write(table: Table, data: BotocoreData): void {
  writeFileSync(OUTPUT, renderTable(table, data));
}

async function main(): Promise<void> {
  if (process.argv.includes('--verify')) return verifyFromStdin();
  const data = readBotocore(findDataDir(), (path) => (path.endsWith('.gz') ? gunzipSync(readFileSync(path)).toString('utf8') : readFileSync(path, 'utf8')), readdirSync);
  const table = buildTable(data);
  write(table, data);
  const expectations = collectExpectations(data);
  const first = failures(expectations);
  // Only a host whose signing region botocore states can be pinned; the others must be read right.
  for (const miss of first) if (miss.region !== undefined && miss.algorithm === undefined) table.globalHosts.set(miss.host, [miss.service, miss.region]);
  write(table, data);
  const second = first.length === 0 ? [] : failures(expectations);
  const fixture = fixtureLines(expectations, data);
  mkdirSync(dirname(FIXTURE), { recursive: true });
  writeFileSync(
    FIXTURE,
    `# Written by test/tools/generate-endpoint-table.ts from botocore ${data.version}: host, signing name, region (- where the\n` +
      `# caller's configuration decides), [sigv4a]. One host per shape that a naive reading (first label, region label) gets wrong.\n` +
      `${fixture.join('\n')}\n`,
  );
  for (const line of table.notes) process.stdout.write(`note: ${line}\n`);
  for (const [host, [name, region]] of table.globalHosts) process.stdout.write(`explicit: ${host} -> ${name} ${region}\n`);
  process.stdout.write(
    `${OUTPUT}: botocore ${data.version}, ${table.signingNames.size} endpoint prefixes, ${table.globalHosts.size} explicit hosts, ` +
      `${table.sigv4a.length} SigV4a shapes; ${expectations.length} botocore hosts checked (${fixture.length} in the test fixture), ${table.globalHosts.size} made explicit, ${second.length} still wrong\n`,
  );
  for (const miss of second) process.stdout.write(`WRONG: ${miss.host} should be ${miss.service} ${miss.region ?? ''} (${miss.from})\n`);
  if (second.length > 0) process.exitCode = 1;
}

await main();
