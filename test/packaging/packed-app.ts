/**
 * What an npm user gets: the committed tree, as a fresh clone has it, packed with `npm pack` (whose `prepack` must
 * build it), and the tarball installed into new projects, as `npm install got-aws4auth` would.
 *
 * The clone borrows this checkout's node_modules (a symlink) instead of running `npm ci`, which would only
 * install the same lockfile again; the apps install from the local npm cache first (`--prefer-offline`),
 * reaching the registry only for what the cache lacks.
 *
 * @module
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** The repository this test runs in. */
export const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** The packed tarball and where it came from. */
export interface PackedTree {
  /** A temporary folder holding everything; remove it with {@link removePacked}. */
  readonly work: string;
  /** The fresh clone that was packed. */
  readonly clone: string;
  /** Absolute path of the `.tgz`. */
  readonly tarball: string;
  /** The paths inside the tarball, as `npm pack --json` lists them. */
  readonly files: readonly string[];
}

/** Runs a command and returns its stdout; a failure carries stdout and stderr in its message. */
export async function exec(file: string, args: readonly string[], cwd: string, env: NodeJS.ProcessEnv = process.env): Promise<string> {
  try {
    const { stdout } = await run(file, args, { cwd, env, maxBuffer: 64 * 1024 * 1024, timeout: 240_000 });
    return stdout;
  } catch (error) {
    const failed = error as { stdout?: string; stderr?: string; message: string };
    throw new Error(`${file} ${args.join(' ')} failed in ${cwd}: ${failed.message}\n${failed.stdout ?? ''}\n${failed.stderr ?? ''}`);
  }
}

/**
 * Exports HEAD's tree (what a fresh clone checks out; `git archive` works from a shallow clone too) into a
 * new temporary folder and packs it there; `npm pack` runs `prepack`.
 */
export async function packCleanTree(): Promise<PackedTree> {
  const work = mkdtempSync(join(tmpdir(), 'got-aws4auth-pack-'));
  const clone = join(work, 'clone');
  mkdirSync(clone);
  await exec('git', ['archive', '--format=tar', '-o', join(work, 'head.tar'), 'HEAD'], ROOT);
  await exec('tar', ['-xf', join(work, 'head.tar'), '-C', clone], work);
  symlinkSync(join(ROOT, 'node_modules'), join(clone, 'node_modules'), 'dir');
  const stdout = await exec('npm', ['pack', '--json', '--pack-destination', work], clone);
  // npm prints prepack's own output before the JSON.
  const [result] = JSON.parse(stdout.slice(stdout.indexOf('\n[') + 1)) as Array<{ filename: string; files: Array<{ path: string }> }>;
  if (result === undefined) throw new Error(`npm pack printed no result: ${stdout}`);
  return { work, clone, tarball: join(work, result.filename), files: result.files.map((f) => f.path) };
}

/** The version of a package installed in this checkout, e.g. got's, so an app can pin the same. */
export function installedVersion(name: string): string {
  return (JSON.parse(readFileSync(join(ROOT, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version;
}

/** Creates `work/<name>` with a package.json and installs `specs` (the tarball and anything else) into it. */
export async function installApp(work: string, name: string, specs: readonly string[]): Promise<string> {
  const app = join(work, name);
  mkdirSync(app);
  writeFileSync(join(app, 'package.json'), `${JSON.stringify({ name, version: '1.0.0', private: true }, null, 2)}\n`);
  await exec('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error', ...specs], app);
  return app;
}

/** Removes everything {@link packCleanTree} and {@link installApp} made. */
export function removePacked(packed: PackedTree | undefined): void {
  if (packed !== undefined) rmSync(packed.work, { recursive: true, force: true });
}
