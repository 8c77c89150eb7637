/**
 * The guides cannot rot: every TypeScript example in README.md and docs/*.md type-checks against the
 * sources, and every relative link between them leads to a file and a heading that exist.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, checkDocExamples, docFiles, extractExamples } from './extract-examples.js';

describe('extractExamples', () => {
  it('finds ts and typescript blocks with the line of their first code line, and skips other languages', () => {
    const markdown = [
      '# Title', // 1
      '```ts', // 2
      'const a = 1;', // 3
      '```', // 4
      '```sh', // 5
      'npm test', // 6
      '```', // 7
      '~~~typescript', // 8
      'const b = 2;', // 9
      'const c = 3;', // 10
      '~~~', // 11
      '```python', // 12
      'x = 1', // 13
      '```', // 14
    ].join('\n');
    expect(extractExamples(markdown, 'x.md')).toEqual([
      { source: 'x.md', line: 3, indent: 0, code: 'const a = 1;' },
      { source: 'x.md', line: 9, indent: 0, code: 'const b = 2;\nconst c = 3;' },
    ]);
  });

  it('removes the indentation of a block inside a list item, and reads a longer fence to its own end', () => {
    const markdown = ['- item', '  ````ts', '  const s = "```";', '    nested();', '  ````', 'after'].join('\n');
    expect(extractExamples(markdown, 'y.md')).toEqual([{ source: 'y.md', line: 3, indent: 2, code: 'const s = "```";\n  nested();' }]);
  });

  it('treats a fence line inside another block as content', () => {
    expect(extractExamples('```text\n```ts\nnot code\n```\n', 'z.md')).toEqual([]);
  });
});

describe('checkDocExamples', () => {
  const dir = join(REPO_ROOT, '.tmp', 'doc-examples-selftest');
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reports a broken example at its line and column in the Markdown file', () => {
    mkdirSync(dir, { recursive: true });
    writeFileSync(
      join(dir, 'broken.md'),
      [
        '# Broken', // 1
        '', // 2
        '```ts', // 3
        "import { signRequest } from 'got-aws4auth/signer';", // 4
        "declare const url: string;", // 5
        "const signed = signRequest({ method: 'GET', url }, { region: 'eu-west-1', service: 's3' });", // 6
        'const n: number = await Promise.resolve(signed.authorization);', // 7
        '```', // 8
      ].join('\n'),
    );
    const source = '.tmp/doc-examples-selftest/broken.md';
    const { examples, problems } = checkDocExamples(REPO_ROOT, [source], join(dir, 'out'));
    expect(examples).toHaveLength(1);
    expect(problems).toHaveLength(2);
    expect(problems[0]).toMatch(/^\.tmp\/doc-examples-selftest\/broken\.md:6:\d+ error TS2345: .*credentials/s);
    expect(problems[1]).toMatch(/^\.tmp\/doc-examples-selftest\/broken\.md:7:7 error TS2322: /);
  });
});

describe('README.md and docs/*.md', () => {
  it('type-check every TypeScript example against the sources', () => {
    const { examples, problems } = checkDocExamples();
    const sources = new Set(examples.map((example) => example.source));
    expect(sources).toContain('README.md');
    expect(sources).toContain('docs/getting-started.md');
    expect(examples.length).toBeGreaterThan(30);
    expect(problems, `\n${problems.join('\n')}\n`).toEqual([]);
  }, 120_000);

  /**
   * GitHub's heading anchors: lower case, punctuation dropped, spaces as hyphens, `-1`, `-2` for repeats.
   * Headings with code spans are refused as link targets, since TypeDoc leaves the code out of its anchors.
   */
  function anchors(markdown: string): Map<string, string> {
    const found = new Map<string, string>();
    const counts = new Map<string, number>();
    let fence: string | undefined;
    for (const line of markdown.split('\n')) {
      const marker = /^ {0,3}(`{3,}|~{3,})/.exec(line)?.[1];
      if (marker !== undefined && (fence === undefined || marker.startsWith(fence))) {
        fence = fence === undefined ? marker : undefined;
        continue;
      }
      const heading = fence === undefined ? /^#{1,6} +(.*?) *#* *$/.exec(line)?.[1] : undefined;
      if (heading === undefined) continue;
      const base = heading.replace(/`/g, '').toLowerCase().replace(/[^\p{L}\p{N} _-]/gu, '').replace(/ /g, '-');
      const seen = counts.get(base) ?? 0;
      counts.set(base, seen + 1);
      found.set(seen === 0 ? base : `${base}-${seen}`, heading);
    }
    return found;
  }

  const REPOSITORY_FILES = 'https://github.com/got-aws4auth/got-aws4auth/blob/main/';

  it('link only to files and headings that exist, and to headings TypeDoc anchors the same way', () => {
    const problems: string[] = [];
    for (const file of docFiles()) {
      const markdown = readFileSync(join(REPO_ROOT, file), 'utf8').replace(/^( {0,3})(`{3,}|~{3,})[\s\S]*?^ {0,3}\2`*[ \t]*$/gm, '');
      for (const match of markdown.matchAll(/\]\(([^)\s]+)\)/g)) {
        const target = match[1] as string;
        // README.md links to the repository by absolute URL (they must work on the npm page): check those as files too.
        const inRepository = target.startsWith(REPOSITORY_FILES) ? target.slice(REPOSITORY_FILES.length) : undefined;
        if (inRepository === undefined && /^[a-z][a-z0-9+.-]*:/i.test(target)) continue;
        const [path, anchor] = (inRepository ?? target).split('#') as [string, string | undefined];
        const targetFile = inRepository !== undefined ? path : path === '' ? file : normalize(join(dirname(file), path)).replace(/\\/g, '/');
        let text: string;
        try {
          text = readFileSync(join(REPO_ROOT, targetFile), 'utf8');
        } catch {
          problems.push(`${file}: ${target}: no file ${targetFile}`);
          continue;
        }
        if (anchor === undefined) continue;
        const heading = anchors(text).get(anchor);
        if (heading === undefined) problems.push(`${file}: ${target}: no heading in ${targetFile} has the anchor #${anchor}`);
        else if (heading.includes('`')) problems.push(`${file}: ${target}: the heading "${heading}" holds code, which TypeDoc's anchor leaves out`);
      }
    }
    expect(problems, `\n${problems.join('\n')}\n`).toEqual([]);
  });
});
