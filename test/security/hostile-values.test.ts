/**
 * A hostile value in every slot of every public function that takes caller input: each argument, and each
 * field (two levels deep) of an object or array argument, replaced in turn by a revoked Proxy or by a Proxy
 * whose every trap throws. Such a value cannot be read at all, and even asking what it is (`instanceof`,
 * `Array.isArray`, `typeof` of a field) runs its traps. The rule: the call answers as it would for any bad
 * value, with a typed `AWS4AuthError` (or succeeds, where the slot is optional and never read), never with
 * the trap's own error or a TypeError from deep inside. Promises are awaited.
 */
import { describe, expect, it } from 'vitest';
import {
  AWS4Auth,
  AWS4AuthError,
  AWS4SigningKey,
  CredentialCache,
  chunkedUploadHeaders,
  createAws4Hooks,
  createChunkedDecoder,
  createChunkedEncoder,
  createSigV4Verifier,
  createSigningProxy,
  deriveSigningKey,
  hashPayload,
  inferEndpoint,
  presignRequest,
  presignUrl,
  signChunkedUpload,
  signRequest,
  verifySigV4,
} from '../../src/index.js';

type Entry = (...args: never[]) => unknown;

// Registered in test/helpers/secrets.ts, so the suite's secret scan checks every error these calls raise.
const SECRET_ACCESS_KEY = 'session/secret/0123456789abcdefghijklmno';
const SESSION_TOKEN = 'SESSION+TOKEN/VALUE==';

const credentials = { accessKeyId: 'AKIDHOSTILEVALUES', secretAccessKey: SECRET_ACCESS_KEY, sessionToken: SESSION_TOKEN };
const url = 'https://examplebucket.s3.us-east-1.amazonaws.com/key?list-type=2&prefix=a';
const request = () => ({ method: 'PUT', url, headers: { 'content-type': 'text/plain', 'x-amz-meta-a': 'v' }, body: 'hello' });
const signOptions = () => ({ region: 'us-east-1', service: 's3', credentials: { ...credentials }, date: new Date(Date.UTC(2026, 11, 6)), includeHeaders: ['*'] });
const signed = signRequest(request(), signOptions());
const verifiable = () => ({ method: 'PUT', url: '/key?list-type=2&prefix=a', headers: { ...signed.headers, host: 'examplebucket.s3.us-east-1.amazonaws.com', 'content-type': 'text/plain', 'x-amz-meta-a': 'v' }, body: 'hello' });
const verifyOptions = () => ({ clientKeys: { [credentials.accessKeyId]: credentials.secretAccessKey }, service: 's3', region: ['us-east-1'], now: Date.UTC(2026, 11, 6), clockToleranceMs: 1000 });

/** Each public function with a call that succeeds, as `[name, function, arguments]`. */
const BASELINES: ReadonlyArray<readonly [string, Entry, () => unknown[]]> = [
  ['signRequest', signRequest as Entry, () => [request(), signOptions()]],
  ['signRequest (SigV4a)', signRequest as Entry, () => [request(), { service: 's3', algorithm: 'sigv4a', regionSet: ['us-*', 'eu-west-1'], credentials: { ...credentials } }]],
  ['presignUrl', presignUrl as Entry, () => [{ method: 'GET', url }, { ...signOptions(), expiresIn: 60 }]],
  ['presignRequest', presignRequest as Entry, () => [{ method: 'GET', url, headers: { 'x-amz-meta-a': 'v' } }, { ...signOptions(), expiresIn: 60 }]],
  ['verifySigV4', verifySigV4 as Entry, () => [verifiable(), verifyOptions()]],
  ['createSigV4Verifier', createSigV4Verifier as Entry, () => [verifyOptions()]],
  ['a verifier', ((r: unknown) => createSigV4Verifier(verifyOptions())(r as never)) as Entry, () => [verifiable()]],
  ['signChunkedUpload', signChunkedUpload as Entry, () => [{ method: 'PUT', url, headers: { 'x-amz-meta-a': 'v' } }, signOptions(), { decodedLength: 5, chunkSize: 8192, checksum: 'crc32' }]],
  ['chunkedUploadHeaders', chunkedUploadHeaders as Entry, () => [5, { chunkSize: 8192, checksum: 'crc32', signed: true }]],
  ['createChunkedDecoder', createChunkedDecoder as Entry, () => [{ payloadHash: 'STREAMING-UNSIGNED-PAYLOAD-TRAILER', trailer: 'x-amz-checksum-crc32', decodedLength: 5, maxChunkSize: 1 << 20 }]],
  ['createChunkedEncoder', createChunkedEncoder as Entry, () => [{ signed: false, decodedLength: 5, chunkSize: 8192, checksum: 'crc32' }]],
  ['createAws4Hooks', createAws4Hooks as Entry, () => [{ region: 'us-east-1', service: 's3', credentials: { ...credentials }, includeHeaders: ['x-amz-*'], allowedRedirectOrigins: ['https://other.example.com'], clock: () => Date.now() }]],
  ['createAws4Hooks (SigV4a)', createAws4Hooks as Entry, () => [{ service: 's3', algorithm: 'sigv4a', regionSet: ['*'], credentials: { ...credentials } }]],
  ['new AWS4Auth', ((o: unknown) => new AWS4Auth(o as never)) as Entry, () => [{ ...credentials, region: 'us-east-1', service: 's3', includeHeaders: ['x-amz-*'] }]],
  ['AWS4Auth#sign', ((r: unknown, o: unknown) => new AWS4Auth({ ...credentials, region: 'us-east-1', service: 's3' }).sign(r as never, o as never)) as Entry, () => [request(), { payloadHash: 'UNSIGNED-PAYLOAD' }]],
  ['new AWS4SigningKey', ((...a: unknown[]) => new AWS4SigningKey(...(a as [string, string, string, string]))) as Entry, () => [SECRET_ACCESS_KEY, 'us-east-1', 's3', '20261206']],
  ['new CredentialCache', ((s: unknown, o: unknown) => new CredentialCache(s as never, o as never)) as Entry, () => [{ ...credentials }, { refreshAheadMs: 60_000, timeoutMs: 1000 }]],
  ['CredentialCache#getCredentials', ((s: unknown) => new CredentialCache(async () => s as never).getCredentials()) as Entry, () => [{ ...credentials, expiration: new Date(Date.now() + 3_600_000) }]],
  ['inferEndpoint', inferEndpoint as Entry, () => ['examplebucket.s3.us-east-1.amazonaws.com']],
  ['hashPayload', hashPayload as Entry, () => ['hello']],
  ['deriveSigningKey', deriveSigningKey as Entry, () => [SECRET_ACCESS_KEY, '20261206', 'us-east-1', 's3']],
  ['createSigningProxy', ((o: unknown) => createSigningProxy(o as never)) as Entry, () => [{ upstreams: ['https://examplebucket.s3.us-east-1.amazonaws.com'], credentials: { ...credentials } }]],
];

function revoked(target: object): object {
  const { proxy, revoke } = Proxy.revocable(target, {});
  revoke();
  return proxy;
}

const TRAPS = ['get', 'set', 'has', 'ownKeys', 'getOwnPropertyDescriptor', 'getPrototypeOf', 'defineProperty', 'deleteProperty', 'isExtensible', 'preventExtensions', 'setPrototypeOf', 'apply', 'construct'] as const;
function trapsThrow(target: object): object {
  return new Proxy(target, Object.fromEntries(TRAPS.map((trap) => [trap, () => { throw new RangeError(`the ${trap} trap threw`); }])));
}

const HOSTILE: ReadonlyArray<readonly [string, () => object]> = [
  ['a revoked Proxy', () => revoked({})],
  ['a revoked Proxy of an array', () => revoked([])],
  ['a Proxy whose every trap throws', () => trapsThrow({})],
];

/** Paths of every slot: each argument, and each own field or element of a plain object or array, two levels down. */
function slots(args: readonly unknown[]): string[][] {
  const paths: string[][] = [];
  const walk = (value: unknown, path: string[]): void => {
    paths.push(path);
    if (path.length > 2 || value === null || typeof value !== 'object') return;
    if (!Array.isArray(value) && Object.getPrototypeOf(value) !== Object.prototype) return;
    for (const key of Object.keys(value)) walk((value as Record<string, unknown>)[key], [...path, key]);
  };
  args.forEach((arg, index) => walk(arg, [String(index)]));
  return paths;
}

function replaced(args: unknown[], path: readonly string[], value: unknown): unknown[] {
  let holder: Record<string, unknown> = args as unknown as Record<string, unknown>;
  for (const key of path.slice(0, -1)) holder = holder[key] as Record<string, unknown>;
  holder[path.at(-1)!] = value;
  return args;
}

/** What a call did: `ok`, `typed <code>`, or the untyped error it threw. */
async function outcome(call: () => unknown): Promise<string> {
  try {
    const result = call();
    if (result instanceof Promise) await result;
    if (result !== null && typeof result === 'object' && 'close' in result && typeof result.close === 'function') (result as { close(): void }).close();
    return 'ok';
  } catch (error) {
    return error instanceof AWS4AuthError ? `typed ${error.code}` : `UNTYPED ${(error as Error)?.constructor?.name}: ${(error as Error)?.message}`;
  }
}

describe('a value that cannot be read, in any slot of any public function, gives a typed error', () => {
  it.each(BASELINES)('%s: the baseline call succeeds', async (_name, entry, args) => {
    expect(await outcome(() => entry(...(args() as never[])))).toBe('ok');
  });

  it.each(BASELINES)('%s: every slot, every hostile value', async (name, entry, args) => {
    const untyped: string[] = [];
    for (const path of slots(args())) {
      for (const [kind, make] of HOSTILE) {
        const result = await outcome(() => entry(...(replaced(args(), path, make()) as never[])));
        if (result.startsWith('UNTYPED')) untyped.push(`${name} argument ${path.join('.')} = ${kind}: ${result}`);
      }
    }
    expect(untyped).toEqual([]);
  });
});
