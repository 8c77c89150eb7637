/**
 * test/tools/builtin-imports.ts, the bundle's stand-ins for Node built-ins imported by name: which names the
 * sources import, what the stand-in exports, and that it hands out the built-in's own functions and classes.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as util from 'node:util';
import * as fs from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { builtinUses, standInSource } from '../tools/builtin-imports.js';

const dir = mkdtempSync(join(tmpdir(), 'builtin-imports-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Writes the sources and returns what they import from each built-in, names sorted. */
function usesOf(sources: Record<string, string>): Record<string, string[] | 'any'> {
  for (const [name, text] of Object.entries(sources)) writeFileSync(join(dir, name), text);
  const uses = builtinUses(dir, Object.keys(sources));
  return Object.fromEntries([...uses].map(([specifier, use]) => [specifier, use === 'any' ? 'any' : [...use].sort()]));
}

describe('builtinUses', () => {
  it('collects the value names each built-in is imported by, across files, under their own names (not the local alias)', () => {
    expect(
      usesOf({
        'a.ts': "import { types } from 'node:util';\nimport { stat } from 'node:fs/promises';\n",
        'b.ts': "import { inspect as nodeInspect, type InspectOptions } from 'node:util';\nimport { ReadStream } from 'node:fs';\n",
      }),
    ).toEqual({ 'node:util': ['inspect', 'types'], 'node:fs/promises': ['stat'], 'node:fs': ['ReadStream'] });
  });

  it('skips type-only imports and non-built-ins; records a default import as `default` and a bare import with no name', () => {
    expect(
      usesOf({
        'c.ts': "import type { IncomingMessage } from 'node:http';\nimport { type Hash } from 'node:crypto';\nimport got from 'got';\nimport { x } from './x.js';\nimport assert from 'node:assert';\nimport 'node:net';\n",
      }),
    ).toEqual({ 'node:crypto': [], 'node:assert': ['default'], 'node:net': [] });
  });

  it('marks a built-in imported as a namespace or re-exported anywhere as `any`, whatever other files import by name', () => {
    expect(
      usesOf({
        'd.ts': "import * as crypto from 'node:crypto';\nexport { pipeline } from 'node:stream/promises';\n",
        'e.ts': "import { createHash } from 'node:crypto';\nimport { finished } from 'node:stream/promises';\n",
      }),
    ).toEqual({ 'node:crypto': 'any', 'node:stream/promises': 'any' });
  });

  it('ignores files that are not TypeScript (the metafile lists package.json files too)', () => {
    writeFileSync(join(dir, 'package.json'), '{}');
    expect(builtinUses(dir, ['package.json']).size).toBe(0);
  });
});

describe('standInSource', () => {
  const load = async (source: string): Promise<Record<string, unknown>> => (await import(`data:text/javascript,${encodeURIComponent(source)}`)) as Record<string, unknown>;

  it("exports exactly the imported names, each the built-in's own value", async () => {
    const standIn = await load(standInSource('node:util', new Set(['types', 'inspect'])));
    expect(Object.keys(standIn).sort()).toEqual(['inspect', 'types']);
    expect(standIn.types).toBe(util.types);
    expect(standIn.inspect).toBe(util.inspect);
  });

  it('exports the module object as the default export when a source imports the default', async () => {
    const standIn = await load(standInSource('node:fs', new Set(['default', 'ReadStream'])));
    expect(standIn.default).toBe(process.getBuiltinModule('node:fs'));
    expect(standIn.ReadStream).toBe(fs.ReadStream);
  });

  it('loads the built-in and exports nothing for a bare import', async () => {
    expect(Object.keys(await load(standInSource('node:net', new Set())))).toEqual([]);
  });
});
