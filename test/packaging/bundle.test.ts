/**
 * The bundle the package's `exports` serve (`dist/bundle/`, written by test/tools/bundle.ts) is the same library
 * as the per-module build in `dist/` that the declarations, the command, the other tests and the benches use:
 * the same names from each entry point, each of the same kind, one instance of each shared export, the same
 * signatures, presigned URLs, verdicts, endpoints and errors for random input; and it loads a handful of files
 * where the per-module build loads a hundred (issue 16's cold import; `npm run bench:cold-import` times it).
 *
 * The random comparisons run 150 cases per property; `BUNDLE_PROPERTY_RUNS=100000` runs more.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import * as nodeModule from 'node:module';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { inspect } from 'node:util';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { CREDENTIALS, encodedPath, queryString, randomRequest, rawPath, type RandomRequest } from '../helpers/differential.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const RUNS = Number(process.env.BUNDLE_PROPERTY_RUNS ?? 150);

type Library = typeof import('../../src/index.js');
type Signer = typeof import('../../src/signer/index.js');

/** The four builds of the two entry points, imported as Node imports them (no bundler of the test runner's). */
let bundled: { main: Library; signer: Signer };
let perModule: { main: Library; signer: Signer };

const load = async <T>(path: string): Promise<T> => (await import(pathToFileURL(join(ROOT, path)).href)) as T;

beforeAll(async () => {
  if (!existsSync(join(ROOT, 'dist/bundle/index.js')) || !existsSync(join(ROOT, 'dist/index.js'))) execFileSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'ignore' });
  bundled = { main: await load('dist/bundle/index.js'), signer: await load('dist/bundle/signer/index.js') };
  perModule = { main: await load('dist/index.js'), signer: await load('dist/signer/index.js') };
}, 180_000);

/** What a value is, as a user of it can tell: kind, name, arity, own keys, prototype members and rendering. */
function shape(value: unknown): unknown {
  if (typeof value !== 'function') return { type: typeof value, rendered: inspect(value, { depth: 4, showHidden: true }) };
  const fn = value as { name: string; length: number; prototype?: object };
  const proto = fn.prototype === undefined ? [] : Object.getOwnPropertyNames(fn.prototype).sort();
  return { type: 'function', name: fn.name, length: fn.length, keys: Object.keys(fn).sort(), proto, rendered: inspect(value, { depth: 2 }) };
}

/** What a call did: its value, or the error it threw, by class name, code, field and message. */
function outcome(call: () => unknown): unknown {
  try {
    return { value: JSON.parse(JSON.stringify(call() ?? null)) as unknown };
  } catch (error) {
    const e = error as { name?: string; code?: string; field?: string; message?: string; constructor?: { name: string } };
    return { threw: e.constructor?.name, name: e.name, code: e.code, field: e.field, message: e.message };
  }
}

describe('package.json', () => {
  it('serves the bundle from both entry points and from main, with the per-module declarations as types', () => {
    const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { main: string; exports: Record<string, { types: string; default: string }> };
    expect(manifest.exports['.']).toEqual({ types: './dist/index.d.ts', default: './dist/bundle/index.js' });
    expect(manifest.exports['./signer']).toEqual({ types: './dist/signer/index.d.ts', default: './dist/bundle/signer/index.js' });
    expect(manifest.main).toBe(manifest.exports['.']!.default);
  });
});

describe('the bundled entry points export what the per-module build exports', () => {
  it('the same names from each entry point', () => {
    expect(Object.keys(bundled.main).sort()).toEqual(Object.keys(perModule.main).sort());
    expect(Object.keys(bundled.signer).sort()).toEqual(Object.keys(perModule.signer).sort());
    expect(Object.keys(bundled.main).length).toBeGreaterThan(Object.keys(bundled.signer).length);
  });

  it('each of the same kind: functions and classes keep their names (no `parse2`), arity, keys and members; constants render alike', () => {
    const differ = Object.keys(perModule.main).filter((name) => !isDeepEqual(shape(bundled.main[name as keyof Library]), shape(perModule.main[name as keyof Library])));
    expect(differ).toEqual([]);
  });

  it("shares one instance of every export of ./signer with the main entry point, as the per-module build does", () => {
    const differ = Object.keys(bundled.signer).filter((name) => bundled.signer[name as keyof Signer] !== bundled.main[name as keyof Library]);
    expect(differ).toEqual([]);
  });

  it('throws errors that are instances of the exported classes of both entry points', () => {
    const thrown = outcomeError(() => bundled.main.signRequest({ method: 'GET', url: 'not a url' }, { credentials: CREDENTIALS, region: 'us-east-1', service: 's3' }));
    expect(thrown).toBeInstanceOf(bundled.signer.InvalidUrlError);
    expect(thrown).toBeInstanceOf(bundled.main.AWS4AuthError);
    expect(thrown).toMatchObject({ name: 'InvalidUrlError', code: 'ERR_AWS4_INVALID_URL' });
  });
});

describe('the bundle behaves as the per-module build (random input)', () => {
  const extras = fc.record({
    s3Style: fc.boolean(),
    region: fc.oneof({ weight: 8, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: fc.string({ maxLength: 12 }) }),
    expiresIn: fc.oneof(fc.integer({ min: 1, max: 604_800 }), fc.integer({ min: -5, max: 700_000 })),
  });

  it('signs and presigns alike, and each build verifies what the other signed', () => {
    fc.assert(
      fc.property(fc.boolean().chain((s3) => randomRequest(s3)), extras, (request, extra) => {
        const signable = toSignable(request, extra.s3Style);
        const options = { credentials: { ...CREDENTIALS, sessionToken: request.sessionToken }, region: extra.region ?? request.region, service: request.service, date: request.date };
        const sign = (lib: Signer) => outcome(() => lib.signRequest(signable, options));
        const presign = (lib: Signer) => outcome(() => lib.presignRequest(signable, { ...options, expiresIn: extra.expiresIn }));
        expect(sign(bundled.signer)).toEqual(sign(perModule.signer));
        expect(presign(bundled.signer)).toEqual(presign(perModule.signer));
        const verdicts = crossVerdicts(signable, options);
        expect(verdicts.bundleVerifiesPerModule).toEqual(verdicts.perModuleVerifiesPerModule);
        expect(verdicts.perModuleVerifiesBundle).toEqual(verdicts.bundleVerifiesBundle);
      }),
      { numRuns: RUNS },
    );
  });

  it('infers the same service and region from a host name', () => {
    const label = fc.stringMatching(/^[a-z0-9-]{1,12}$/);
    const host = fc.oneof(
      fc.tuple(label, fc.constantFrom('s3', 'es', 'sts', 'execute-api', 'lambda', 's3-control'), fc.constantFrom('us-east-1', 'eu-west-1', 'cn-north-1', 'us-gov-west-1', ''), fc.constantFrom('amazonaws.com', 'amazonaws.com.cn', 'api.aws', 'example.com')).map((parts) => parts.filter((p) => p !== '').join('.')),
      fc.string({ maxLength: 40 }),
    );
    fc.assert(
      fc.property(host, (name) => {
        expect(outcome(() => bundled.main.inferEndpoint(name))).toEqual(outcome(() => perModule.main.inferEndpoint(name)));
      }),
      { numRuns: RUNS },
    );
  });
});

describe('cold import', () => {
  it.skipIf(!('registerHooks' in nodeModule))('loads 2 files of ours for each entry point (its own and the shared one), no per-module file and no dependency', () => {
    const loaded = (specifier: string): string[] => {
      const script = [
        "import { registerHooks } from 'node:module';",
        'const urls = [];',
        'registerHooks({ load(url, context, next) { urls.push(url); return next(url, context); } });',
        `await import(${JSON.stringify(specifier)});`,
        "console.log(JSON.stringify(urls.filter((u) => !u.startsWith('node:'))));",
      ].join('\n');
      const urls = JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: ROOT, encoding: 'utf8' })) as string[];
      return urls.map((url) => url.slice(pathToFileURL(ROOT).href.length).replace(/^\//, ''));
    };
    expect(loaded('got-aws4auth').sort()).toEqual(['dist/bundle/index.js', 'dist/bundle/shared.js']);
    expect(loaded('got-aws4auth/signer').sort()).toEqual(['dist/bundle/shared.js', 'dist/bundle/signer/index.js']);
  });

  it('takes node:util by name without building its ES namespace, whose lazy exports load worker_threads (Node >= 22)', () => {
    for (const specifier of ['got-aws4auth', 'got-aws4auth/signer']) {
      const script = `await import(${JSON.stringify(specifier)}); console.log(JSON.stringify(process.moduleLoadList.filter((m) => m === 'NativeModule worker_threads')));`;
      const env = { ...process.env, NODE_OPTIONS: '' };
      expect(JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: ROOT, encoding: 'utf8', env })), specifier).toEqual([]);
    }
  });
});

function isDeepEqual(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function outcomeError(call: () => unknown): unknown {
  try {
    call();
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to throw');
}

/** A random request as a client sends it: an S3-style path (each segment encoded) or one written by hand. */
function toSignable(request: RandomRequest, s3Style: boolean): { method: string; url: string; headers: Record<string, string[]>; body: string | undefined } {
  const query = queryString(request);
  const path = s3Style ? encodedPath(request) : rawPath(request);
  return { method: request.method, url: `http://${request.host}${path}${query === '' ? '' : `?${query}`}`, headers: Object.fromEntries(request.headers), body: request.body };
}

type SignInput = ReturnType<typeof toSignable>;
type SignOptions = { credentials: { accessKeyId: string; secretAccessKey: string; sessionToken: string | undefined }; region: string; service: string; date: Date };

/** Signs with each build and verifies with each build; a verdict is `ok` and the scope, or the failure's reason. */
function crossVerdicts(request: SignInput, options: SignOptions): Record<string, unknown> {
  const signedBy = (lib: Signer) => {
    try {
      return lib.signRequest(request, options);
    } catch {
      return undefined;
    }
  };
  const verdict = (lib: Signer, signed: ReturnType<Signer['signRequest']> | undefined): unknown => {
    if (signed === undefined) return 'unsigned';
    const target = new URL(request.url);
    const result = lib.verifySigV4(
      { method: request.method, url: `${target.pathname}${target.search}`, headers: { ...signed.headers, host: target.host }, body: request.body },
      { clientKeys: { [CREDENTIALS.accessKeyId]: CREDENTIALS.secretAccessKey }, now: options.date.getTime() },
    );
    return result.ok ? { ok: true, scope: result.credentialScope, signedHeaders: result.signedHeaders } : { ok: false, reason: result.reason };
  };
  const fromBundle = signedBy(bundled.signer);
  const fromPerModule = signedBy(perModule.signer);
  return {
    bundleVerifiesBundle: verdict(bundled.signer, fromBundle),
    bundleVerifiesPerModule: verdict(bundled.signer, fromPerModule),
    perModuleVerifiesBundle: verdict(perModule.signer, fromBundle),
    perModuleVerifiesPerModule: verdict(perModule.signer, fromPerModule),
  };
}
