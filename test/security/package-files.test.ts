/**
 * What `npm publish` would ship: `npm pack --dry-run --json` must list exactly the intended files, which
 * are `package.json`, `README.md`, `LICENSE` and the compiled `dist/` (JavaScript, declarations and their
 * maps), one set per source module: no tests, fixtures, keys, `.tmp`, build info, or files left in `dist/`
 * by a source that no longer exists.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** Every file the package may contain. */
const ALLOWED = [/^package\.json$/, /^README\.md$/, /^LICENSE$/, /^dist\/(?:[a-z0-9-]+\/)*[a-z0-9-]+(?:\.generated)?\.(?:js|js\.map|d\.ts|d\.ts\.map)$/];
/** Never, whatever the patterns say. */
const FORBIDDEN = [/(?:^|\/)test\//, /\.test\./, /\.fixture\./, /(?:^|\/)\.tmp\//, /\.tsbuildinfo$/, /\.(?:pem|key|crt|p12|pfx)$/, /(?:^|\/)\.env/, /(?:^|\/)\.npmrc$/, /(?:^|\/)node_modules\//, /(?:^|\/)src\//];
/** Without these the package does not work. */
const REQUIRED = ['package.json', 'README.md', 'LICENSE', 'dist/index.js', 'dist/index.d.ts', 'dist/signer/index.js', 'dist/signer/index.d.ts', 'dist/bundle/index.js', 'dist/bundle/signer/index.js', 'dist/bundle/shared.js'];
/** The bundled entry points `exports` serves (test/tools/bundle.ts): one per entry module, and the code they share. */
const BUNDLE = /^dist\/bundle\/(?:index|signer\/index|shared)\.js$/;

interface PackResult {
  readonly files: ReadonlyArray<{ readonly path: string }>;
}

function sourceModules(): string[] {
  const modules: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) modules.push(relative(join(ROOT, 'src'), path).replace(/\.ts$/, ''));
    }
  };
  walk(join(ROOT, 'src'));
  return modules;
}

let files: string[];

beforeAll(async () => {
  if (!existsSync(join(ROOT, 'dist/index.js'))) execFileSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'ignore' });
  const stdout = await new Promise<string>((resolve, reject) => {
    execFile('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: ROOT, maxBuffer: 16 * 1024 * 1024, timeout: 120_000 }, (error, out) => (error ? reject(error) : resolve(out)));
  });
  const [result] = JSON.parse(stdout) as PackResult[];
  files = (result?.files ?? []).map((f) => f.path).sort();
}, 180_000);

describe('npm pack --dry-run', () => {
  it('lists only package.json, README.md, LICENSE and compiled dist files', () => {
    expect(files.filter((path) => !ALLOWED.some((pattern) => pattern.test(path)))).toEqual([]);
  });

  it('lists no test, fixture, key, .tmp, source, build-info or environment file', () => {
    expect(files.filter((path) => FORBIDDEN.some((pattern) => pattern.test(path)))).toEqual([]);
  });

  it('lists the entry points and the files the package needs', () => {
    expect(REQUIRED.filter((path) => !files.includes(path))).toEqual([]);
  });

  it('ships a .js and a .d.ts for every source module, and nothing in dist/ without a source (run `rm -rf dist && npm run build` if this fails)', () => {
    const modules = sourceModules();
    const missing = modules.flatMap((m) => [`dist/${m}.js`, `dist/${m}.d.ts`]).filter((path) => !files.includes(path));
    expect(missing).toEqual([]);
    const known = new Set(modules);
    const orphans = files.filter((path) => path.startsWith('dist/') && !BUNDLE.test(path) && !known.has(path.slice('dist/'.length).replace(/\.(?:js|js\.map|d\.ts|d\.ts\.map)$/, '')));
    expect(orphans).toEqual([]);
  });
});
