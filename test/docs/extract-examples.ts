/**
 * Every TypeScript example in README.md and docs/*.md is type-checked, so none can rot.
 *
 * Each ```ts (or ```typescript) block becomes one module under `.tmp/doc-examples/`, and all of them are
 * checked together in a single TypeScript program with the options of test/tsconfig.json, whose `paths`
 * map `got-aws4auth` and `got-aws4auth/signer` to the sources. A block is a module of its own: it may use
 * top-level await, and may declare what it does not define with `declare const name: Type;`. Problems
 * are reported at their place in the Markdown file (`docs/s3.md:42:7`), not in the generated file.
 *
 * Run it alone with `node --import tsx test/docs/extract-examples.ts`; the vitest test
 * test/docs/examples.test.ts runs the same check. The `@example` blocks of the TSDoc comments in src/ are
 * checked the same way by {@link checkCommentExamples} (test/docs/api-examples.test.ts), reported at their
 * place in the `.ts` file.
 *
 * @module
 */
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import ts from 'typescript';

/** The repository root. */
export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** One fenced TypeScript block of a Markdown file. */
export interface DocExample {
  /** The Markdown file, relative to the repository root, with `/` separators. */
  readonly source: string;
  /** The 1-based line of the block's first code line in `source`. */
  readonly line: number;
  /** The indentation removed from every line (blocks inside list items are indented). */
  readonly indent: number;
  /** The code, without the fences. */
  readonly code: string;
}

const OPENING_FENCE = /^( {0,3})(`{3,}|~{3,})[ \t]*([^`\s]*)[^`]*$/;
const TS_LANGUAGES = new Set(['ts', 'typescript', 'mts']);

/**
 * Finds the fenced TypeScript blocks of a Markdown text (CommonMark fences: three or more backticks or
 * tildes, closed by a fence of the same character at least as long).
 */
export function extractExamples(markdown: string, source: string): DocExample[] {
  const lines = markdown.split(/\r?\n/);
  const examples: DocExample[] = [];
  for (let i = 0; i < lines.length; i++) {
    const opening = OPENING_FENCE.exec(lines[i] as string);
    if (opening === null) continue;
    const indent = (opening[1] as string).length;
    const fence = opening[2] as string;
    const closing = new RegExp(`^ {0,3}${fence[0] === '`' ? '`' : '~'}{${fence.length},}[ \\t]*$`);
    const body: string[] = [];
    let end = i + 1;
    while (end < lines.length && !closing.test(lines[end] as string)) {
      const line = lines[end] as string;
      // CommonMark removes up to the opening fence's indentation from each content line.
      const leading = /^ */.exec(line)?.[0].length ?? 0;
      body.push(line.slice(Math.min(indent, leading)));
      end++;
    }
    if (TS_LANGUAGES.has((opening[3] as string).toLowerCase())) {
      examples.push({ source, line: i + 2, indent, code: body.join('\n') });
    }
    i = end;
  }
  return examples;
}

/** README.md and every docs/*.md, relative to `root`, in a stable order. */
export function docFiles(root: string = REPO_ROOT): string[] {
  const guides = readdirSync(join(root, 'docs'), { withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.md'))
    .map((entry) => `docs/${entry.name}`)
    .sort();
  return ['README.md', ...guides];
}

/** What {@link checkDocExamples} found. */
export interface DocExamplesReport {
  /** Every example checked. */
  readonly examples: readonly DocExample[];
  /** One line per problem, `file:line:column error TSxxxx: message`; empty when all type-check. */
  readonly problems: readonly string[];
}

function snippetName(example: DocExample): string {
  return `${example.source.replace(/[^A-Za-z0-9]+/g, '_')}_L${example.line}.ts`;
}

function compilerOptions(root: string): ts.CompilerOptions {
  const configPath = join(root, 'test', 'tsconfig.json');
  const parsed = ts.getParsedCommandLineOfConfigFile(configPath, { noEmit: true }, {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (diagnostic) => {
      throw new Error(ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'));
    },
  });
  if (parsed === undefined) throw new Error(`cannot read ${configPath}`);
  return { ...parsed.options, noEmit: true, incremental: false, tsBuildInfoFile: undefined };
}

/**
 * The fenced TypeScript blocks of the `@example` tags in the TSDoc comments of a TypeScript source text.
 *
 * The comment decoration (`/**`, the leading `*` and one space after it, `*\/`) is removed line by line,
 * so a block's `line` is its first code line in the source file and its `indent` counts the decoration,
 * and problems are reported at their place in the `.ts` file. A block belongs to the last block tag
 * (`@example`, `@remarks`, …) that starts a line before it; blocks under any other tag, or in the summary,
 * are left out.
 */
export function extractCommentExamples(sourceText: string, source: string): DocExample[] {
  const examples: DocExample[] = [];
  for (const comment of sourceText.matchAll(/\/\*\*[\s\S]*?\*\//g)) {
    const firstLine = sourceText.slice(0, comment.index).split('\n').length; // 1-based line of `/**`
    const decorations: number[] = [];
    const lines = comment[0].split(/\r?\n/).map((line, index) => {
      const decoration = index === 0 ? /^\/\*\* ?/.exec(line) : /^[ \t]*(?:\*(?!\/) ?)?/.exec(line);
      decorations.push(decoration?.[0].length ?? 0);
      return line.slice(decorations[index]).replace(/[ \t]*\*\/$/, '');
    });
    for (const example of extractExamples(lines.join('\n'), source)) {
      const codeIndex = example.line - 1; // 0-based index of the first code line among `lines`
      const tag = lines.slice(0, codeIndex).reverse().find((line) => /^@[A-Za-z]/.test(line));
      if (tag === undefined || !/^@example\b/.test(tag)) continue;
      examples.push({
        source,
        line: firstLine + codeIndex,
        indent: (decorations[codeIndex] ?? 0) + example.indent,
        code: example.code,
      });
    }
  }
  return examples;
}

/** Every `.ts` file under src/, relative to `root`, with `/` separators, in a stable order. */
export function sourceFiles(root: string = REPO_ROOT): string[] {
  return readdirSync(join(root, 'src'), { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
    .map((entry) => relative(root, join(entry.parentPath, entry.name)).replace(/\\/g, '/'))
    .sort();
}

/**
 * Writes every example of `files` to `outDir` as a module and type-checks them all in one program.
 *
 * @param root - the repository root
 * @param files - the Markdown files, relative to `root` (default: README.md and docs/*.md)
 * @param outDir - where the generated modules go (emptied first); it must lie inside `root`, so that
 *   `got`, the AWS SDK and the other packages resolve from the repository's node_modules
 */
export function checkDocExamples(
  root: string = REPO_ROOT,
  files: readonly string[] = docFiles(root),
  outDir: string = join(root, '.tmp', 'doc-examples'),
): DocExamplesReport {
  const examples = files.flatMap((file) => extractExamples(readFileSync(join(root, file), 'utf8'), file));
  return checkExamples(examples, root, outDir);
}

/**
 * Type-checks the `@example` blocks of the TSDoc comments in `files` (default: every src/**\/*.ts), the
 * way {@link checkDocExamples} checks the guides; problems are reported at their place in the `.ts` file.
 */
export function checkCommentExamples(
  root: string = REPO_ROOT,
  files: readonly string[] = sourceFiles(root),
  outDir: string = join(root, '.tmp', 'tsdoc-examples'),
): DocExamplesReport {
  const examples = files.flatMap((file) => extractCommentExamples(readFileSync(join(root, file), 'utf8'), file));
  return checkExamples(examples, root, outDir);
}

/**
 * Writes `examples` to `outDir` as modules and type-checks them all in one program.
 *
 * @param examples - the blocks, from any source
 * @param root - the repository root
 * @param outDir - where the generated modules go (emptied first); it must lie inside `root`, so that
 *   `got`, the AWS SDK and the other packages resolve from the repository's node_modules
 */
export function checkExamples(examples: readonly DocExample[], root: string, outDir: string): DocExamplesReport {
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  const bySnippet = new Map<string, DocExample>();
  for (const example of examples) {
    const path = join(outDir, snippetName(example));
    // Appended after the code, so lines keep their numbers; it makes a block without imports a module too.
    writeFileSync(path, `${example.code}\nexport {};\n`);
    bySnippet.set(ts.sys.resolvePath(path), example);
  }

  const options = compilerOptions(root);
  const host = ts.createCompilerHost(options);
  // A relative import in a TSDoc example (`./exit-codes.js` in src/cli) means the module next to the
  // commented source file, so it is resolved from there rather than from the generated module.
  host.resolveModuleNameLiterals = (literals, containingFile, redirectedReference, resolutionOptions, containingSourceFile) => {
    const example = bySnippet.get(ts.sys.resolvePath(containingFile));
    const fromSource = example !== undefined && /\.[cm]?tsx?$/.test(example.source);
    return literals.map((literal) =>
      ts.resolveModuleName(
        literal.text,
        fromSource && literal.text.startsWith('.') ? join(root, example.source) : containingFile,
        resolutionOptions,
        host,
        undefined,
        redirectedReference,
        ts.getModeForUsageLocation(containingSourceFile, literal, resolutionOptions),
      ),
    );
  };
  const program = ts.createProgram({ rootNames: [...bySnippet.keys()], options, host });
  const diagnostics: ts.Diagnostic[] = [...program.getOptionsDiagnostics(), ...program.getGlobalDiagnostics()];
  for (const path of bySnippet.keys()) {
    const sourceFile = program.getSourceFile(path);
    if (sourceFile === undefined) throw new Error(`TypeScript did not load ${path}`);
    diagnostics.push(...program.getSyntacticDiagnostics(sourceFile), ...program.getSemanticDiagnostics(sourceFile));
  }

  const problems = diagnostics.map((diagnostic) => {
    const message = `error TS${diagnostic.code}: ${ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n')}`;
    const file = diagnostic.file;
    if (file === undefined || diagnostic.start === undefined) return message;
    const { line, character } = file.getLineAndCharacterOfPosition(diagnostic.start);
    const example = bySnippet.get(ts.sys.resolvePath(file.fileName));
    // A problem inside a dependency (none expected with skipLibCheck) is reported where it is.
    if (example === undefined) return `${relative(root, file.fileName)}:${line + 1}:${character + 1} ${message}`;
    return `${example.source}:${example.line + line}:${example.indent + character + 1} ${message}`;
  });
  return { examples, problems };
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const started = Date.now();
  const { examples, problems } = checkDocExamples();
  for (const problem of problems) console.error(problem);
  console.log(`${examples.length} examples in ${new Set(examples.map((e) => e.source)).size} files, ${problems.length} problems, ${((Date.now() - started) / 1000).toFixed(1)} s`);
  process.exitCode = problems.length === 0 ? 0 : 1;
}
