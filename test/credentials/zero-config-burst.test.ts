/**
 * The zero-configuration plugin's first burst, as in a fresh process: 20 concurrent first requests while
 * `@aws-sdk/credential-providers` is not loaded yet (its import takes real time, so every request is under
 * way before it finishes) build one SDK default chain and ask the container credentials endpoint once.
 *
 * Run in a child process: a module hook stands in for `@aws-sdk/credential-providers`, forwarding to the real
 * package and counting `fromNodeProviderChain()` calls. (vitest's module mocks cannot count here: concurrent
 * first imports of a mocked module get the real one.)
 */
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const REAL = pathToFileURL(createRequire(`${ROOT}package.json`).resolve('@aws-sdk/credential-providers')).href;

const shim = [
  `import * as real from ${JSON.stringify(REAL)};`,
  `export * from ${JSON.stringify(REAL)};`,
  'export function fromNodeProviderChain(...args) {',
  '  globalThis.chainsBuilt = (globalThis.chainsBuilt ?? 0) + 1;',
  '  return real.fromNodeProviderChain(...args);',
  '}',
].join('\n');

const hooks = [
  'export async function resolve(specifier, context, next) {',
  "  if (specifier === '@aws-sdk/credential-providers') return { url: 'counting:credential-providers', shortCircuit: true };",
  '  return next(specifier, context);',
  '}',
  'export async function load(url, context, next) {',
  `  if (url === 'counting:credential-providers') return { format: 'module', shortCircuit: true, source: ${JSON.stringify(shim)} };`,
  '  return next(url, context);',
  '}',
].join('\n');

const burst = [
  "import { register } from 'node:module';",
  `register(${JSON.stringify(`data:text/javascript,${encodeURIComponent(hooks)}`)});`,
  "const { createAwsHome, startFakeContainerCredentials } = await import('./test/helpers/fake-aws.ts');",
  "const { startVerifyingServer } = await import('./test/helpers/verifying-server.ts');",
  "const { default: got } = await import('got');",
  "const { createAws4Hooks } = await import('./src/index.ts');",
  'const container = await startFakeContainerCredentials();',
  'const home = await createAwsHome({ env: { AWS_CONTAINER_CREDENTIALS_FULL_URI: container.fullUri } });',
  'const server = await startVerifyingServer({});',
  "const client = got.extend({ retry: { limit: 0 } }, createAws4Hooks({ region: 'us-east-1', service: 'es' }));",
  'await Promise.all(Array.from({ length: 20 }, (_, i) => client.get(`${server.origin}/first/${i}`)));',
  "const keys = new Set(server.requests.map((request) => String(request.headers.authorization).split('/')[0]));",
  'console.log(JSON.stringify({ chainsBuilt: globalThis.chainsBuilt, endpointCalls: container.calls, requests: server.requests.length, keys: keys.size }));',
  'await server.close(); await home.restore(); await container.close();',
].join('\n');

it('20 concurrent first requests of the zero-config plugin build one default chain and ask the endpoint once', () => {
  const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', burst], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
  expect(child.status, child.stderr).toBe(0);
  expect(JSON.parse(child.stdout.trim().split('\n').pop()!)).toEqual({ chainsBuilt: 1, endpointCalls: 1, requests: 20, keys: 1 });
});
