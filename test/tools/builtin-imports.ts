/**
 * An esbuild plugin for test/tools/bundle.ts: in the bundle, a Node built-in module that the sources import by
 * name (`import { types } from 'node:util'`) is taken from `process.getBuiltinModule('node:util')` instead.
 *
 * Why: an ES import of a built-in makes Node build an ES module namespace of all its exports, which reads
 * every property, including the lazy ones. For `node:util` that loads `worker_threads` and more: about
 * 4-5 ms of CPU per cold import on Node 24, for names we never use (`node:fs` costs a little too). The
 * object `getBuiltinModule` returns is the module itself, so `types`, `inspect` or `ReadStream` are the
 * very same functions and classes either way; only the unused lazy properties stay unread.
 *
 * How: the names come from the sources themselves (value imports only; `import type` is erased), so the
 * stand-in module exports exactly the names some module imports and reads nothing else (esbuild keeps a
 * property read even when no one uses its result). A built-in imported as a namespace (`import * as
 * crypto`) or re-exported is left as an ordinary import: its users may read any property.
 *
 * @module
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Plugin } from 'esbuild';
import ts from 'typescript';

/** What the sources import from one built-in: the names, or `'any'` when some module may read any property. */
export type BuiltinUse = ReadonlySet<string> | 'any';

/** Adds what one top-level statement imports from a `node:` built-in to `uses`. */
function recordStatement(statement: ts.Statement, uses: Map<string, Set<string> | 'any'>): void {
  const declaration = ts.isImportDeclaration(statement) || ts.isExportDeclaration(statement) ? statement : undefined;
  const specifier = declaration?.moduleSpecifier;
  if (declaration === undefined || specifier === undefined || !ts.isStringLiteral(specifier) || !specifier.text.startsWith('node:')) return;
  if (ts.isExportDeclaration(declaration)) {
    if (!declaration.isTypeOnly) uses.set(specifier.text, 'any');
    return;
  }
  const clause = declaration.importClause;
  if (clause?.isTypeOnly === true) return;
  const names = uses.get(specifier.text) ?? new Set<string>();
  if (names === 'any') return;
  uses.set(specifier.text, names);
  if (clause?.name !== undefined) names.add('default');
  const bindings = clause?.namedBindings;
  if (bindings !== undefined && ts.isNamespaceImport(bindings)) uses.set(specifier.text, 'any');
  else for (const element of bindings?.elements ?? []) if (!element.isTypeOnly) names.add((element.propertyName ?? element.name).text);
}

/**
 * What the given source files (paths relative to `root`) import from each `node:` built-in.
 *
 * @param root - the directory the paths are relative to
 * @param files - TypeScript sources, e.g. the inputs of an esbuild metafile
 */
export function builtinUses(root: string, files: Iterable<string>): Map<string, BuiltinUse> {
  const uses = new Map<string, Set<string> | 'any'>();
  for (const file of files) {
    if (!/\.[cm]?ts$/.test(file)) continue;
    const source = ts.createSourceFile(file, readFileSync(join(root, file), 'utf8'), ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
    for (const statement of source.statements) recordStatement(statement, uses);
  }
  return uses;
}

/** The stand-in for a built-in imported by name only: the module object, and each imported name read from it once. */
export function standInSource(specifier: string, names: ReadonlySet<string>): string {
  const named = [...names].filter((name) => name !== 'default').sort();
  return [
    `const builtin = process.getBuiltinModule(${JSON.stringify(specifier)});`,
    ...(names.has('default') ? ['export default builtin;'] : []),
    ...(named.length > 0 ? [`export const { ${named.join(', ')} } = builtin;`] : []),
  ].join('\n');
}

/**
 * The plugin: each built-in in `uses` with a set of names resolves to its stand-in; the others (`'any'`, or
 * not in `uses`) stay external imports, as esbuild's `platform: 'node'` leaves them.
 *
 * @param uses - from {@link builtinUses} over every module the bundle holds
 */
export function builtinsByName(uses: ReadonlyMap<string, BuiltinUse>): Plugin {
  return {
    name: 'builtins-by-name',
    setup(build) {
      build.onResolve({ filter: /^node:/ }, (args) => (uses.get(args.path) instanceof Set ? { path: args.path, namespace: 'builtin-by-name' } : undefined));
      build.onLoad({ filter: /.*/, namespace: 'builtin-by-name' }, (args) => {
        const names = uses.get(args.path);
        return { contents: standInSource(args.path, names instanceof Set ? names : new Set()), loader: 'js' };
      });
    },
  };
}
