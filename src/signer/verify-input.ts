/**
 * The inputs of {@link verifySigV4}, read once into snapshots: the request as Node's HTTP server hands it
 * over, and the verifier's options. Each field is read once and only from own properties, so a getter,
 * Proxy or polluted `Object.prototype` cannot answer one thing to the check and another to the use.
 *
 * @module
 */
import { types } from 'node:util';
import { InvalidInputError, describeValue } from './errors.js';
import { snapshotOwn } from './snapshot.js';
import { arrayCopy, isArrayValue } from './validate.js';

/**
 * A received request to verify, in the shape Node's `http` server gives it.
 *
 * @example
 * ```ts
 * import type { IncomingMessage } from 'node:http';
 * import type { VerifiableRequest } from 'got-aws4auth/signer';
 * declare const req: IncomingMessage;
 * // headersDistinct keeps repeated headers apart, as S3 reads them (req.headers joins some with ", ", drops others)
 * const request: VerifiableRequest = { method: req.method ?? 'GET', url: req.url ?? '/', headers: req.headersDistinct };
 * ```
 * @category Verifying
 */
export interface VerifiableRequest {
  /** The HTTP method. */
  readonly method: string;
  /** The request target as received: `/path?query` (the `host` header names the host) or an absolute URL. */
  readonly url: string;
  /**
   * The headers. Use `req.headersDistinct` (or arrays from `req.rawHeaders`): a repeated header is signed as
   * its values joined with `,`, which `req.headers` does not preserve.
   */
  readonly headers: Readonly<Record<string, string | readonly string[] | undefined>>;
  /**
   * The body, only needed when the signature covers its hash without an `x-amz-content-sha256` header
   * (services other than S3). Absent means empty.
   */
  readonly body?: Uint8Array | string | undefined;
}

/**
 * Options of {@link verifySigV4}.
 *
 * @example
 * ```ts
 * import type { VerifyOptions } from 'got-aws4auth/signer';
 * const options: VerifyOptions = {
 *   clientKeys: new Map([['AKIDCLIENT', process.env.CLIENT_SECRET ?? '']]),
 *   service: 's3',
 *   region: ['us-east-1', 'eu-west-1'],
 * };
 * ```
 * @category Verifying
 */
export interface VerifyOptions {
  /** Returns the secret access key of an access key id, or undefined for an unknown one. */
  readonly lookupSecret?: ((accessKeyId: string) => string | undefined) | undefined;
  /** The accepted keys, access key id to secret: a Map or a plain object (own properties only). */
  readonly clientKeys?: ReadonlyMap<string, string> | Readonly<Record<string, string>> | undefined;
  /** Now, in milliseconds since the epoch, or a clock. Default `Date.now`. */
  readonly now?: number | (() => number) | undefined;
  /** How far the request time may be from now, in milliseconds. Default 15 minutes, as S3. */
  readonly clockToleranceMs?: number | undefined;
  /** The service(s) the credential scope must name, e.g. `s3`. Default: any. */
  readonly service?: string | readonly string[] | undefined;
  /** The region(s) the credential scope must name. Default: any. */
  readonly region?: string | readonly string[] | undefined;
}

/** @internal */
export interface RequestSnapshot {
  readonly method: string;
  readonly url: string;
  /** Lower-case names; a repeated header as an array. */
  readonly headers: ReadonlyMap<string, string | readonly string[]>;
  readonly body: Uint8Array | string | undefined;
}

/** @internal */
export interface OptionsSnapshot {
  readonly lookup: (accessKeyId: string) => string | undefined;
  /** Reads now, checked: milliseconds since the epoch. */
  readonly now: () => number;
  readonly toleranceMs: number;
  readonly services: readonly string[] | undefined;
  readonly regions: readonly string[] | undefined;
}

/** Every own property of a record with dynamic keys (headers, keys by id), each read once. */
function ownRecord(value: unknown, field: string): Readonly<Record<string, unknown>> {
  let keys: string[];
  try {
    keys = value !== null && typeof value === 'object' ? Object.keys(value) : [];
  } catch {
    throw new InvalidInputError(field, 'could not be inspected (it threw when its fields were listed, e.g. a revoked Proxy); pass a plain object');
  }
  return snapshotOwn(value, keys, field);
}

function headerSnapshot(headers: unknown): Map<string, string | readonly string[]> {
  if (headers === null || typeof headers !== 'object' || isArrayValue(headers, 'request.headers')) {
    throw new InvalidInputError('request.headers', `must be an object of header names to values (req.headersDistinct), got ${describeValue(headers)}`);
  }
  const map = new Map<string, string | readonly string[]>();
  const record = ownRecord(headers, 'request.headers');
  for (const name of Object.keys(record)) {
    const value = record[name];
    if (value === undefined) continue;
    const list = typeof value === 'string' ? [value] : arrayCopy(value, `request.headers["${name}"]`);
    const values = list?.every((v) => typeof v === 'string') === true ? (list as string[]) : undefined;
    if (values === undefined) throw new InvalidInputError(`request.headers["${name}"]`, `must be a string or an array of strings, got ${describeValue(value)}`);
    if (values.length === 0) continue;
    const lower = name.toLowerCase();
    const earlier = map.get(lower);
    const merged = earlier === undefined ? values : (typeof earlier === 'string' ? [earlier] : earlier).concat(values);
    map.set(lower, merged.length === 1 ? (merged[0] as string) : Object.freeze([...merged]));
  }
  return map;
}

/** @internal */
export function snapshotRequest(request: VerifiableRequest): RequestSnapshot {
  if (request === null || typeof request !== 'object') throw new InvalidInputError('request', `must be an object with method, url and headers, got ${describeValue(request)}`);
  const { method, url, body, headers } = snapshotOwn(request, ['method', 'url', 'body', 'headers'], 'request');
  if (typeof method !== 'string' || method === '') throw new InvalidInputError('request.method', `must be the request's method, got ${describeValue(method)}`);
  if (typeof url !== 'string' || url === '') throw new InvalidInputError('request.url', `must be the request target (req.url), got ${describeValue(url)}`);
  // Brand checks (isUint8Array, isMap) rather than instanceof, which would run a Proxy's traps.
  if (body !== undefined && typeof body !== 'string' && !types.isUint8Array(body)) {
    throw new InvalidInputError('request.body', `must be a string or Uint8Array when given, got ${describeValue(body)}`);
  }
  return { method, url, headers: headerSnapshot(headers), body };
}

function keyLookup(lookupSecret: unknown, clientKeys: unknown): (accessKeyId: string) => string | undefined {
  if ((lookupSecret === undefined) === (clientKeys === undefined)) {
    throw new InvalidInputError('options', 'must have exactly one of lookupSecret (a function) and clientKeys (a Map or object of access key id to secret)');
  }
  if (lookupSecret !== undefined) {
    if (typeof lookupSecret !== 'function') throw new InvalidInputError('options.lookupSecret', `must be a function, got ${describeValue(lookupSecret)}`);
    return (id) => {
      const secret: unknown = lookupSecret(id);
      return typeof secret === 'string' && secret !== '' ? secret : undefined;
    };
  }
  if (types.isMap(clientKeys)) {
    const copy = new Map<string, string>();
    for (const [id, secret] of clientKeys as Map<unknown, unknown>) if (typeof id === 'string' && typeof secret === 'string' && secret !== '') copy.set(id, secret);
    return (id) => copy.get(id);
  }
  if (clientKeys === null || typeof clientKeys !== 'object') throw new InvalidInputError('options.clientKeys', `must be a Map or an object of access key id to secret, got ${describeValue(clientKeys)}`);
  const copy = new Map<string, string>();
  for (const [id, secret] of Object.entries(ownRecord(clientKeys, 'options.clientKeys'))) if (typeof secret === 'string' && secret !== '') copy.set(id, secret);
  return (id) => copy.get(id);
}

function nameList(value: unknown, field: string): readonly string[] | undefined {
  if (value === undefined) return undefined;
  const list = typeof value === 'string' ? [value] : arrayCopy(value, field);
  if (list === undefined || list.length === 0 || !list.every((v) => typeof v === 'string' && v !== '')) {
    throw new InvalidInputError(field, `must be a non-empty string or array of strings, got ${describeValue(value)}`);
  }
  return list as string[];
}

function clockOf(option: unknown): () => number {
  const clock = option === undefined ? Date.now : typeof option === 'function' ? (option as () => unknown) : () => option;
  return () => {
    const now = clock();
    if (typeof now !== 'number' || !Number.isFinite(now)) throw new InvalidInputError('options.now', `must be milliseconds since the epoch or a clock returning them, got ${describeValue(now)}`);
    return now;
  };
}

/** @internal */
export function snapshotOptions(options: VerifyOptions): OptionsSnapshot {
  if (options === null || typeof options !== 'object') throw new InvalidInputError('options', `must be an object with lookupSecret or clientKeys, got ${describeValue(options)}`);
  const read = snapshotOwn(options, ['lookupSecret', 'clientKeys', 'now', 'clockToleranceMs', 'service', 'region'], 'options');
  const lookup = keyLookup(read.lookupSecret, read.clientKeys);
  const now = clockOf(read.now);
  const tolerance = read.clockToleranceMs ?? 15 * 60_000;
  if (typeof tolerance !== 'number' || !Number.isFinite(tolerance) || tolerance < 0) {
    throw new InvalidInputError('options.clockToleranceMs', `must be a non-negative number of milliseconds, got ${describeValue(tolerance)}`);
  }
  return {
    lookup,
    now,
    toleranceMs: tolerance,
    services: nameList(read.service, 'options.service'),
    regions: nameList(read.region, 'options.region'),
  };
}
