/**
 * The API reference cannot rot: every symbol the two entry points export has a TSDoc summary and an
 * `@example`, and every ```ts block of an `@example` in src/ type-checks against the sources, the way
 * test/docs/extract-examples.ts checks the guides.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  Application,
  Comment,
  ReflectionKind,
  TSConfigReader,
  TypeDocReader,
  type DeclarationReflection,
  type ProjectReflection,
} from 'typedoc';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, checkCommentExamples, extractCommentExamples } from './extract-examples.js';

/** Converts the project with typedoc.json's own options (entry points, tsconfig, excludeInternal …), renders nothing. */
async function convertProject(): Promise<ProjectReflection> {
  const app = await Application.bootstrap(
    { options: join(REPO_ROOT, 'typedoc.json'), tsconfig: join(REPO_ROOT, 'tsconfig.json'), logLevel: 'Error' },
    // Explicit readers: the default ones would also read vitest's command line as TypeDoc arguments.
    [new TypeDocReader(), new TSConfigReader()],
  );
  const project = await app.convert();
  if (project === undefined) throw new Error('TypeDoc could not convert the project');
  return project;
}

/** The comment TypeDoc shows for a top-level declaration: its own, or (functions) its first signature's. */
function shownComment(declaration: DeclarationReflection): Comment | undefined {
  return declaration.comment ?? declaration.signatures?.find((signature) => signature.comment !== undefined)?.comment;
}

/** One line per exported symbol that lacks a summary or an `@example`, naming it and what it lacks. */
function undocumented(project: ProjectReflection): string[] {
  // Two entry points: each is a module whose children are its exports. A symbol both export appears once as
  // a declaration and once as a reference to it; each symbol is checked once, under the first module's name.
  const modules = project.getChildrenByKind(ReflectionKind.Module);
  if (modules.length !== 2) throw new Error(`expected the two entry points as modules, got ${modules.map((m) => m.name).join(', ')}`);
  const seen = new Set<number>();
  const problems: string[] = [];
  for (const module of modules) {
    for (const child of module.children ?? []) {
      const target = child.isReference() ? child.tryGetTargetReflectionDeep() : child;
      if (target === undefined || !target.isDeclaration() || seen.has(target.id)) continue;
      seen.add(target.id);
      const comment = shownComment(target);
      const missing: string[] = [];
      if (comment === undefined || Comment.combineDisplayParts(comment.summary).trim() === '') missing.push('a summary');
      if (comment?.getTag('@example') === undefined) missing.push('an @example');
      if (missing.length > 0) problems.push(`${module.name}: ${ReflectionKind.singularString(target.kind)} ${target.name} lacks ${missing.join(' and ')}`);
    }
  }
  return problems;
}

describe('the API reference (TypeDoc, both entry points)', () => {
  let project: ProjectReflection;
  beforeAll(async () => {
    project = await convertProject();
  }, 60_000);

  it('gives every exported symbol a summary and an @example', () => {
    const names = project.getChildrenByKind(ReflectionKind.Module).flatMap((module) => module.children ?? []);
    expect(names.length).toBeGreaterThan(100);
    const problems = undocumented(project);
    expect(problems, `\n${problems.join('\n')}\n`).toEqual([]);
  });
});

describe('extractCommentExamples', () => {
  it('takes the ts blocks of @example tags only, at their line and column in the source file', () => {
    const source = [
      '/**', // 1
      ' * Summary.', // 2
      ' *', // 3
      ' * @remarks', // 4
      ' * ```ts', // 5
      ' * notAnExample();', // 6
      ' * ```', // 7
      ' *', // 8
      ' * @example', // 9
      ' * ```ts', // 10
      " * import { signRequest } from 'got-aws4auth/signer';", // 11
      ' *   indented();', // 12
      ' * ```', // 13
      ' */', // 14
      'export const a = 1;', // 15
      'class B {', // 16
      '  /**', // 17
      '   * @example', // 18
      '   * ```typescript', // 19
      '   * member();', // 20
      '   * ```', // 21
      '   */', // 22
      '  m(): void {}', // 23
      '}', // 24
      '/** @example', // 25
      ' * ```sh', // 26
      ' * npm test', // 27
      ' * ```', // 28
      ' */', // 29
    ].join('\n');
    expect(extractCommentExamples(source, 'src/x.ts')).toEqual([
      { source: 'src/x.ts', line: 11, indent: 3, code: "import { signRequest } from 'got-aws4auth/signer';\n  indented();" },
      { source: 'src/x.ts', line: 20, indent: 5, code: 'member();' },
    ]);
  });
});

describe('checkCommentExamples', () => {
  const dir = join(REPO_ROOT, '.tmp', 'tsdoc-examples-selftest');
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reports a broken example at its line and column in the .ts file, and resolves relative imports from it', () => {
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'helper.ts'), 'export const answer = 42;\n');
    writeFileSync(
      join(dir, 'broken.ts'),
      [
        '/**', // 1
        ' * Broken.', // 2
        ' *', // 3
        ' * @example', // 4
        ' * ```ts', // 5
        " * import { answer } from './helper.js';", // 6
        " * import { signRequest } from 'got-aws4auth/signer';", // 7
        ' * const n: number = answer;', // 8
        " * const s: string = signRequest({ method: 'GET', url: 'https://example.com/' }, { credentials: { accessKeyId: 'a', secretAccessKey: 'b' }, region: 'x', service: 'y' });", // 9
        ' * ```', // 10
        ' */', // 11
        'export const broken = 1;', // 12
      ].join('\n'),
    );
    const source = '.tmp/tsdoc-examples-selftest/broken.ts';
    const { examples, problems } = checkCommentExamples(REPO_ROOT, [source], join(dir, 'out'));
    expect(examples).toHaveLength(1);
    expect(problems).toHaveLength(1);
    // Only the wrong type on line 9, column 10 (` * const s`): `./helper.js` resolved next to broken.ts.
    expect(problems[0]).toMatch(/^\.tmp\/tsdoc-examples-selftest\/broken\.ts:9:10 error TS2322: /);
  });
});

describe('the @example blocks of src/**/*.ts', () => {
  it('type-check against the sources', () => {
    const { examples, problems } = checkCommentExamples();
    expect(examples.length).toBeGreaterThan(100);
    expect(problems, `\n${problems.join('\n')}\n`).toEqual([]);
  }, 120_000);
});
