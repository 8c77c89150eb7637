/**
 * Bundles the two public entry points into `dist/bundle/`, which the `exports` map serves: the second step
 * of `npm run build`, after `tsc` has compiled every module into `dist/` (and written the declarations).
 *
 * Why: Node's ES module loader pays for each file it resolves, reads, compiles and links, far more than
 * for the bytes in it. Compiled one file per source module, `import('got-aws4auth')` loaded 108 of our
 * files and took 3 to 4 times the CPU of a bundle of the same code (issue 16; figures in the commit that pointed
 * `exports` here, and from `npm run bench:cold-import`). So the package's `.` and `./signer` load
 * `dist/bundle/index.js` and `dist/bundle/signer/index.js`, with the code both need in one shared file
 * (`dist/bundle/shared.js`): one instance of every class, whichever entry point an app imports, or both.
 *
 * What stays as it was: `dist/<module>.js` and `.d.ts` for every source module. The declarations are the
 * package's types (`exports[...].types`); the command (`dist/cli/main.js`), the tests and the benches use
 * the per-module files. Both are built from the same sources in the same `npm run build`, and
 * test/packaging/bundle.test.ts checks that the bundle exports the same names, of the same kinds, and
 * behaves the same on random input.
 *
 * Settings, and why:
 * - `packages: 'external'`: dependencies (got, the AWS SDK, the proxy agents) are imported from
 *   node_modules as before, still lazily where the source imports them with `import()`.
 * - `splitting` with `chunkNames: 'shared'`: exactly one shared file (two entries, one a subset of the
 *   other); a dynamic import of our own code would need a second name, and esbuild stops with a path
 *   collision rather than overwrite it.
 * - `keepNames`: a function or class whose name esbuild changes to avoid a clash (`parse` -> `parse2`)
 *   keeps its own `name`, as error names, stack traces and `util.inspect` show it.
 * - `target: 'es2023'`: the syntax tsconfig.json's `target` emits, so both builds run the same code.
 * - no source maps: the package ships none (their sources are not shipped).
 * - Node built-ins imported by name come from `process.getBuiltinModule` (test/tools/builtin-imports.ts):
 *   an ES import of `node:util` builds its whole namespace, a few ms of every cold import on Node 24.
 *
 *   node --import tsx test/tools/bundle.ts     # npm run build runs it after tsc
 *
 * @module
 */
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build, type BuildOptions } from 'esbuild';
import { builtinUses, builtinsByName } from './builtin-imports.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** Where the bundle goes, relative to the repository; `package.json`'s `exports` and `main` point into it. */
export const BUNDLE_DIR = 'dist/bundle';

/** The public entry points, as source files; each becomes `dist/bundle/<same path>.js`. */
export const ENTRY_POINTS = ['src/index.ts', 'src/signer/index.ts'] as const;

/** The settings of both passes (see the list at the top). */
const OPTIONS = {
  absWorkingDir: ROOT,
  entryPoints: [...ENTRY_POINTS],
  outbase: 'src',
  outdir: BUNDLE_DIR,
  bundle: true,
  splitting: true,
  chunkNames: 'shared',
  format: 'esm',
  platform: 'node',
  target: 'es2023',
  packages: 'external',
  keepNames: true,
  tsconfig: 'tsconfig.json',
  sourcemap: false,
  legalComments: 'none',
  banner: { js: '// got-aws4auth, bundled by test/tools/bundle.ts from src/ (dist/<module>.js holds each module as tsc compiled it).' },
  logLevel: 'warning',
  // A name imported from a module that does not export it would be undefined at run time: stop instead.
  logOverride: { 'import-is-undefined': 'error' },
} satisfies BuildOptions;

/**
 * Removes the previous bundle (a renamed entry must not leave its old file behind) and writes a new one: a
 * first pass in memory lists the modules the bundle holds, whose imports of Node built-ins the second pass
 * serves through `process.getBuiltinModule` (test/tools/builtin-imports.ts).
 */
export async function bundleEntryPoints(): Promise<void> {
  const { metafile } = await build({ ...OPTIONS, write: false, metafile: true });
  rmSync(new URL(`../../${BUNDLE_DIR}`, import.meta.url), { recursive: true, force: true });
  await build({ ...OPTIONS, plugins: [builtinsByName(builtinUses(ROOT, Object.keys(metafile.inputs)))] });
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) await bundleEntryPoints();
