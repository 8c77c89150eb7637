/**
 * The package as npm users receive it: HEAD cloned afresh and packed (`prepack` builds it), the tarball
 * installed in a new app beside got, and in a bare project with nothing else. From there: `import`,
 * `require`, the README's first example against a local server that verifies every signature, the
 * `got-aws4auth` command, a single got, and the package linters (publint, @arethetypeswrong/cli).
 *
 * This tests committed work only: commit before running it.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import * as nodeModule from 'node:module';
import { join } from 'node:path';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startVerifyingServer, type VerifyingServer } from '../helpers/verifying-server.js';
import { ROOT, exec, installApp, installedVersion, packCleanTree, removePacked, type PackedTree } from './packed-app.js';

const ACCESS_KEY_ID = 'AKIDEXAMPLE';
const SECRET_ACCESS_KEY = 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY';
const NODE = process.execPath;

let packed: PackedTree | undefined;
let app: string;
let bare: string;
let server: VerifyingServer;

/** Credentials from the environment only: no profile, no metadata service, nothing from this machine. */
function childEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME, TMPDIR: process.env.TMPDIR };
  return {
    ...env,
    AWS_ACCESS_KEY_ID: ACCESS_KEY_ID,
    AWS_SECRET_ACCESS_KEY: SECRET_ACCESS_KEY,
    AWS_CONFIG_FILE: '/nonexistent/config',
    AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/credentials',
    AWS_EC2_METADATA_DISABLED: 'true',
  };
}

async function runNode(cwd: string, file: string, source: string): Promise<string> {
  writeFileSync(join(cwd, file), source);
  return exec(NODE, [file], cwd, childEnv());
}

beforeAll(async () => {
  packed = await packCleanTree();
  [app, bare] = await Promise.all([
    installApp(packed.work, 'app', [packed.tarball, `got@${installedVersion('got')}`]),
    installApp(packed.work, 'bare', [packed.tarball, '--omit=optional']),
  ]);
  server = await startVerifyingServer({ [ACCESS_KEY_ID]: SECRET_ACCESS_KEY });
}, 240_000);

afterAll(async () => {
  await server?.close();
  removePacked(packed);
});

describe('the tarball packed from a fresh clone', () => {
  it('holds the compiled entry points, the command, README and LICENSE, and no source map', () => {
    const files = packed!.files;
    expect(files).toEqual(expect.arrayContaining(['package.json', 'README.md', 'LICENSE', 'dist/index.js', 'dist/index.d.ts', 'dist/signer/index.js', 'dist/signer/index.d.ts', 'dist/cli/main.js']));
    expect(files.filter((path) => path.endsWith('.map'))).toEqual([]);
  });

  it('declares a bin path npm keeps as it is, and where the project lives', () => {
    const manifest = JSON.parse(readFileSync(join(app, 'node_modules/got-aws4auth/package.json'), 'utf8')) as Record<string, unknown>;
    expect(manifest.bin).toEqual({ 'got-aws4auth': 'dist/cli/main.js' });
    expect(manifest.repository).toEqual({ type: 'git', url: 'git+https://github.com/got-aws4auth/got-aws4auth.git' });
    expect(manifest.homepage).toBe('https://github.com/got-aws4auth/got-aws4auth#readme');
    expect(manifest.bugs).toEqual({ url: 'https://github.com/got-aws4auth/got-aws4auth/issues' });
  });

  it('passes publint --strict', async () => {
    const output = await exec(join(ROOT, 'node_modules/.bin/publint'), ['run', packed!.tarball, '--strict'], packed!.work);
    expect(output).toContain('All good!');
  }, 60_000);

  it('passes @arethetypeswrong/cli under the esm-only profile: its only findings are require() of ESM, which Node >= 22.12 does', async () => {
    // attw exits non-zero on any problem its profile does not ignore; exec throws on that.
    const output = await exec(join(ROOT, 'node_modules/.bin/attw'), [packed!.tarball, '--profile', 'esm-only', '--format', 'json'], packed!.work);
    const { problems } = JSON.parse(output) as { problems: Record<string, Array<{ kind: string; entrypoint: string; resolutionKind: string }>> };
    const found = Object.values(problems).flat().map((p) => `${p.kind} ${p.entrypoint} ${p.resolutionKind}`);
    expect(found.sort()).toEqual(['CJSResolvesToESM . node16-cjs', 'CJSResolvesToESM ./signer node16-cjs']);
  }, 60_000);
});

describe('an app that installs got-aws4auth and got', () => {
  it('imports both entry points', async () => {
    const output = await runNode(app, 'imports.mjs', [
      "const main = await import('got-aws4auth');",
      "const signer = await import('got-aws4auth/signer');",
      "console.log(JSON.stringify([typeof main.aws4Hooks, typeof main.createAws4Hooks, typeof main.signRequest, typeof signer.signRequest, typeof signer.presignUrl, 'aws4Hooks' in signer]));",
    ].join('\n'));
    expect(JSON.parse(output)).toEqual(['function', 'function', 'function', 'function', 'function', false]);
  });

  it('requires both entry points from CommonJS (require(esm), Node >= 20.19 and 22.12)', async () => {
    const output = await runNode(app, 'requires.cjs', [
      "const main = require('got-aws4auth');",
      "const { signRequest } = require('got-aws4auth/signer');",
      "const signed = signRequest({ method: 'GET', url: 'https://sts.amazonaws.com/' }, { credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: process.env.AWS_SECRET_ACCESS_KEY }, region: 'us-east-1', service: 'sts' });",
      "console.log(JSON.stringify([typeof main.aws4Hooks, /^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\\//.test(signed.headers.authorization)]));",
    ].join('\n'));
    expect(JSON.parse(output)).toEqual(['function', true]);
  });

  it('gives one instance of every export: import and require, main entry and ./signer share each class and function', async () => {
    const output = await runNode(app, 'identity.mjs', [
      "import { createRequire } from 'node:module';",
      'const require = createRequire(import.meta.url);',
      "const main = await import('got-aws4auth');",
      "const signer = await import('got-aws4auth/signer');",
      "const required = require('got-aws4auth');",
      "const requiredSigner = require('got-aws4auth/signer');",
      'const names = Object.keys(signer);',
      'const differ = names.filter((n) => main[n] !== signer[n] || required[n] !== signer[n] || requiredSigner[n] !== signer[n]);',
      'const mainDiffers = Object.keys(main).filter((n) => required[n] !== main[n]);',
      'console.log(JSON.stringify({ count: names.length, differ, mainDiffers }));',
    ].join('\n'));
    const { count, differ, mainDiffers } = JSON.parse(output) as { count: number; differ: string[]; mainDiffers: string[] };
    expect(count).toBeGreaterThan(10);
    expect(differ).toEqual([]);
    expect(mainDiffers).toEqual([]);
  });

  it("runs the README's first example, every request verified by the server", async () => {
    writeFileSync(join(app, 'local-got.mjs'), localGot(server.port));
    const example = readmeFirstExample(readFileSync(join(app, 'node_modules/got-aws4auth/README.md'), 'utf8'));
    await runNode(app, 'readme-example.mjs', example.replace(/from 'got';/, "from './local-got.mjs';"));
    expect(server.requests.length).toBeGreaterThan(0);
    expect(server.requests.filter((r) => !r.verified).map((r) => r.problem)).toEqual([]);
    expect(server.requests.every((r) => r.accessKeyId === ACCESS_KEY_ID && /\.amazonaws\.com$/.test(r.headers.host ?? ''))).toBe(true);
  });

  it.skipIf(!('registerHooks' in nodeModule))('resolves one got for the app and got-aws4auth; importing the package loads no got, no CLI dependency and no AWS SDK until they are needed', async () => {
    expect(existsSync(join(app, 'node_modules/got-aws4auth/node_modules/got'))).toBe(false);
    const loaded = await runNode(app, 'loads.mjs', [
      "import { registerHooks } from 'node:module';",
      'const urls = [];',
      'registerHooks({ load(url, context, next) { urls.push(url); return next(url, context); } });',
      "await import('got-aws4auth');",
      "console.log(JSON.stringify(urls.filter((u) => /\\/node_modules\\/(?:got|cli-progress|@aws-sdk|@smithy\\/shared-ini-file-loader)\\//.test(u))));",
    ].join('\n'));
    expect(JSON.parse(loaded)).toEqual([]);
  });

  it('type-checks a CommonJS TypeScript file that imports both entry points (module nodenext)', async () => {
    writeFileSync(join(app, 'tsconfig.json'), JSON.stringify({ compilerOptions: { module: 'nodenext', strict: true, noEmit: true, skipLibCheck: true, typeRoots: [join(ROOT, 'node_modules/@types')], types: ['node'] }, files: ['consumer.cts'] }));
    writeFileSync(join(app, 'consumer.cts'), [
      "import got from 'got';",
      "import { aws4Hooks, AWS4AuthError } from 'got-aws4auth';",
      "import { signRequest, type SignedRequest } from 'got-aws4auth/signer';",
      'export const client = got.extend(aws4Hooks);',
      "export const signed: SignedRequest = signRequest({ method: 'GET', url: 'https://sts.amazonaws.com/' }, { credentials: { accessKeyId: 'A', secretAccessKey: 'B' }, region: 'us-east-1', service: 'sts' });",
      'export const isOurs = (e: unknown): boolean => e instanceof AWS4AuthError;',
    ].join('\n'));
    await exec(NODE, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json'], app);
  }, 60_000);

  it('runs the got-aws4auth command against the local server', async () => {
    const bin = join(app, 'node_modules/.bin/got-aws4auth');
    const version = await exec(bin, ['--version'], app, childEnv());
    expect(version).toContain(installedPackageVersion());
    const before = server.requests.length;
    await exec(bin, ['--service', 'es', '--region', 'eu-west-1', '-s', `${server.origin}/_cat/indices`], app, childEnv());
    expect(server.requests.slice(before).map((r) => [r.verified, r.service, r.region])).toEqual([[true, 'es', 'eu-west-1']]);
  });
});

describe('a project with nothing but got-aws4auth installed, optional dependencies left out (npx got-aws4auth)', () => {
  it('has got through the dependency, no cli-progress, and runs the command', async () => {
    expect(existsSync(join(bare, 'node_modules/got/package.json'))).toBe(true);
    expect(existsSync(join(bare, 'node_modules/cli-progress'))).toBe(false);
    const before = server.requests.length;
    const output = await exec('npx', ['--no-install', 'got-aws4auth', '--service', 'es', '--region', 'eu-west-1', '-s', `${server.origin}/`], bare, childEnv());
    expect(output).toBe('ok');
    expect(server.requests.slice(before).map((r) => r.verified)).toEqual([true]);
  });
});

function installedPackageVersion(): string {
  return (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
}

/** The README's first TypeScript block, compiled to JavaScript (types stripped) so Node runs it as is. */
function readmeFirstExample(readme: string): string {
  const block = /^```ts\n([\s\S]*?)^```$/m.exec(readme)?.[1];
  if (block === undefined) throw new Error('README.md has no ```ts block');
  return ts.transpileModule(block, { compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 } }).outputText;
}

/**
 * A got that sends every request to the local server whatever the URL says: the URL, and so the Host
 * header and the signature, stay those of the AWS endpoint, as they would be through a forward proxy.
 */
function localGot(port: number): string {
  return [
    "import http from 'node:http';",
    "import got from 'got';",
    'export default got.extend({',
    '  request: (url, options, callback) =>',
    `    http.request(url, { ...options, protocol: 'http:', hostname: '127.0.0.1', host: '127.0.0.1', port: ${port}, agent: undefined, servername: undefined }, callback),`,
    '});',
  ].join('\n');
}
