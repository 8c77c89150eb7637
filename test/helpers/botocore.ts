/**
 * botocore as a third differential oracle: the Node side of test/helpers/botocore-oracle.py.
 *
 * {@link BotocoreOracle} spawns the oracle once (Debian's python3-botocore under /usr/bin/python3,
 * installed on demand by test/servers/install-botocore.sh), pipes JSON lines to it and matches the
 * answers by id, so thousands of requests can be in flight at once. {@link botocoreRequest} maps a
 * random request of test/helpers/differential.ts to what botocore is given for the SAME request:
 *
 * - Query: botocore signs a query taken from the URL exactly as written (it splits on `&` and the first
 *   `=`, sorts, and neither decodes nor encodes), because its serializers percent-encode the query
 *   (`percent_encode_sequence`, `quote(safe='-_.~')`) before the URL exists. So botocore is given the
 *   query pre-encoded per SigV4, in the random order, as its serializer would build it (`queryVia:
 *   'url'`), or as decoded `AWSRequest(params=[...])` pairs, which it encodes itself with
 *   `quote(safe='-_.~')` (`queryVia: 'params'`). Repeated keys and empty values are kept either way.
 * - Path: `SigV4Auth` normalises (`remove_dot_segments`, empty segments dropped) and quotes the path as
 *   written with `safe='/~'`, i.e. encodes it once more; it is given the same path as our signer.
 *   `S3SigV4Auth` signs the path exactly as written, no normalisation and no encoding, because its
 *   serializer has already quoted the key with `safe='/~'`; it is given the key encoded once
 *   ({@link encodedPath}), which our signer must match whether it is given that or the raw key.
 * - Headers: botocore signs every header but `expect`, `user-agent` and `x-amzn-trace-id`; the random
 *   headers are all `x-…` names, signed by both. Repeated headers are sent as repeated headers.
 *
 * Where botocore's rules differ from SigV4's or ours, docs/signing-rules.md lists the difference and
 * test/signer/botocore-differential.test.ts pins it.
 */
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { signRequest, toAmzDate, type SignedRequest } from '../../src/signer/index.js';
import { CREDENTIALS, awsEncode, encodedPath, queryString, type RandomRequest } from './differential.js';

/** The interpreter whose botocore is the oracle: the system one, never a `python3` found on PATH. */
export const SYSTEM_PYTHON = '/usr/bin/python3';
export const ORACLE_SCRIPT = fileURLToPath(new URL('./botocore-oracle.py', import.meta.url));
export const INSTALL_SCRIPT = fileURLToPath(new URL('../servers/install-botocore.sh', import.meta.url));

/** Time for a fresh machine's `apt-get update` and install; give test hooks at least this long. */
export const INSTALL_TIMEOUT_MS = 170_000;

function botocoreVersion(): string | undefined {
  const result = spawnSync(SYSTEM_PYTHON, ['-c', 'import botocore; print(botocore.__version__)'], { encoding: 'utf8' });
  return result.status === 0 ? result.stdout.trim() : undefined;
}

/**
 * Makes sure `/usr/bin/python3 -c 'import botocore'` works, running install-botocore.sh (apt-get) when
 * it does not, and returns botocore's version.
 */
export function ensureBotocore(): string {
  const present = botocoreVersion();
  if (present !== undefined) return present;
  const install = spawnSync('bash', [INSTALL_SCRIPT], { encoding: 'utf8', timeout: INSTALL_TIMEOUT_MS });
  const installed = botocoreVersion();
  if (installed === undefined) {
    throw new Error(`botocore is not importable by ${SYSTEM_PYTHON} and ${INSTALL_SCRIPT} failed (exit ${install.status ?? install.signal}):\n${install.stderr}${install.error?.message ?? ''}`);
  }
  return installed;
}

/** One request as botocore receives it. */
export interface BotocoreRequest {
  /** `v4`: botocore.auth.SigV4Auth; `s3v4`: botocore.auth.S3SigV4Auth. */
  signer: 'v4' | 's3v4';
  method: string;
  url: string;
  /** Header lines in order; a repeated name is a repeated header. */
  headers: Array<[string, string]>;
  body?: string | Uint8Array | undefined;
  /** Decoded query pairs for `AWSRequest(params=...)`; the URL then carries no query. */
  params?: Array<[string, string]> | undefined;
  region: string;
  service: string;
  credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string | undefined };
  date: Date;
  /** Also return the headers botocore leaves on the request and the URL it would send. */
  detail?: boolean;
}

/** What botocore signed. */
export interface BotocoreResult {
  authorization: string;
  canonicalRequest: string;
  stringToSign: string;
  /** With `detail`: every header on the signed request, in order. */
  headers?: Array<[string, string]>;
  /** With `detail`: `AWSRequest.prepare().url`, the URL botocore would send. */
  preparedUrl?: string;
}

interface Pending {
  resolve: (result: BotocoreResult) => void;
  reject: (error: Error) => void;
}

/** A running oracle process. Start with {@link BotocoreOracle.start}, stop with {@link BotocoreOracle.close}. */
export class BotocoreOracle {
  readonly version: string;
  private readonly child: ChildProcessWithoutNullStreams;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private buffered = '';
  private stderr = '';
  private exited: Error | undefined;
  private readonly exit: Promise<void>;

  private constructor(version: string) {
    this.version = version;
    this.child = spawn(SYSTEM_PYTHON, [ORACLE_SCRIPT], { stdio: ['pipe', 'pipe', 'pipe'] });
    this.child.stdout.setEncoding('utf8');
    this.child.stdout.on('data', (chunk: string) => this.receive(chunk));
    this.child.stderr.setEncoding('utf8');
    this.child.stderr.on('data', (chunk: string) => {
      this.stderr = (this.stderr + chunk).slice(-4000);
    });
    this.child.stdin.on('error', () => {}); // a dead child is reported through 'exit'
    this.exit = new Promise((resolve) => {
      this.child.on('exit', (code, signal) => {
        this.exited = new Error(`botocore oracle exited (${code ?? signal})${this.stderr === '' ? '' : `:\n${this.stderr}`}`);
        for (const waiter of this.pending.values()) waiter.reject(this.exited);
        this.pending.clear();
        resolve();
      });
    });
  }

  /** Installs botocore if needed (see {@link ensureBotocore}) and starts one oracle process. */
  static start(): BotocoreOracle {
    return new BotocoreOracle(ensureBotocore());
  }

  /** Requests sent and not yet answered. */
  get inFlight(): number {
    return this.pending.size;
  }

  private receive(chunk: string): void {
    this.buffered += chunk;
    let newline = this.buffered.indexOf('\n');
    while (newline !== -1) {
      const line = this.buffered.slice(0, newline);
      this.buffered = this.buffered.slice(newline + 1);
      newline = this.buffered.indexOf('\n');
      if (line.trim() === '') continue;
      const answer = JSON.parse(line) as BotocoreResult & { id: number | null; error?: string };
      const waiter = answer.id === null ? undefined : this.pending.get(answer.id);
      if (waiter === undefined) throw new Error(`botocore oracle answered an unknown request: ${line.slice(0, 300)}`);
      this.pending.delete(answer.id as number);
      if (answer.error !== undefined) waiter.reject(new Error(`botocore failed to sign: ${answer.error}`));
      else waiter.resolve(answer);
    }
  }

  private encode(request: BotocoreRequest, id: number): string {
    const body = request.body === undefined ? null : Buffer.from(request.body).toString('base64');
    return JSON.stringify({
      id,
      signer: request.signer,
      method: request.method,
      url: request.url,
      headers: request.headers,
      body,
      params: request.params ?? null,
      region: request.region,
      service: request.service,
      credentials: { ...request.credentials, sessionToken: request.credentials.sessionToken ?? null },
      date: toAmzDate(request.date),
      detail: request.detail === true,
    });
  }

  /**
   * Sends requests without waiting for their answers (one pipe write), returning a promise per request.
   * Callers that send a lot should let the event loop run now and then so the answers are read.
   */
  send(requests: readonly BotocoreRequest[]): Array<Promise<BotocoreResult>> {
    if (this.exited !== undefined) return requests.map(() => Promise.reject(this.exited as Error));
    const promises: Array<Promise<BotocoreResult>> = [];
    const lines: string[] = [];
    for (const request of requests) {
      const id = this.nextId++;
      lines.push(this.encode(request, id));
      promises.push(new Promise((resolve, reject) => this.pending.set(id, { resolve, reject })));
    }
    this.child.stdin.write(`${lines.join('\n')}\n`);
    return promises;
  }

  /** Signs one request. */
  sign(request: BotocoreRequest): Promise<BotocoreResult> {
    return this.send([request])[0] as Promise<BotocoreResult>;
  }

  /** Signs many requests, pipelined. */
  signAll(requests: readonly BotocoreRequest[]): Promise<BotocoreResult[]> {
    return Promise.all(this.send(requests));
  }

  /** Ends the oracle's input and waits for it to exit. */
  async close(): Promise<void> {
    if (this.exited === undefined) this.child.stdin.end();
    await this.exit;
  }
}

/** How botocore receives the query: pre-encoded in the URL (its clients' way) or as decoded params. */
export type QueryVia = 'url' | 'params';

/** The random request's query as botocore's serializers write it: each part SigV4-encoded, in order. */
export function encodedQueryString(request: RandomRequest): string {
  return request.query.map(([k, v]) => `${awsEncode(k)}=${awsEncode(v)}`).join('&');
}

/**
 * The random request as botocore receives it, with the path `path` for SigV4Auth; for S3 botocore is
 * always given the key encoded once ({@link encodedPath}), as its serializer would.
 */
export function botocoreRequest(request: RandomRequest, path: string, queryVia: QueryVia, detail = false): BotocoreRequest {
  const s3 = request.service === 's3';
  const query = queryVia === 'url' ? encodedQueryString(request) : '';
  const headers: Array<[string, string]> = [];
  for (const [name, values] of request.headers) for (const value of values) headers.push([name, value]);
  return {
    signer: s3 ? 's3v4' : 'v4',
    method: request.method,
    url: `http://${request.host}${s3 ? encodedPath(request) : path}${query === '' ? '' : `?${query}`}`,
    headers,
    body: request.body,
    params: queryVia === 'params' ? request.query : undefined,
    region: request.region,
    service: request.service,
    credentials: { ...CREDENTIALS, sessionToken: request.sessionToken },
    date: request.date,
    detail,
  };
}

/**
 * Our signature of the random request with the path `path`: exactly what `ourAuthorization` in
 * differential.ts signs, with every intermediate kept for diagnosis.
 */
export function ourSigned(request: RandomRequest, path: string): SignedRequest {
  const query = queryString(request);
  return signRequest(
    {
      method: request.method,
      url: `http://${request.host}${path}${query === '' ? '' : `?${query}`}`,
      headers: Object.fromEntries(request.headers),
      body: request.body,
    },
    {
      credentials: { ...CREDENTIALS, sessionToken: request.sessionToken },
      region: request.region,
      service: request.service,
      date: request.date,
    },
  );
}

/** The signed parts that are compared and shown. */
export interface SignedParts {
  canonicalRequest: string;
  stringToSign: string;
  authorization: string;
}

/**
 * A side-by-side view of two signatures: each line of the canonical request and string to sign,
 * quoted (so whitespace shows), with differing lines marked `≠`.
 */
export function sideBySide(ours: SignedParts, theirs: SignedParts, names: readonly [string, string] = ['ours', 'botocore']): string {
  const column = (lines: string[], i: number) => (i < lines.length ? JSON.stringify(lines[i]) : '∅');
  const section = (title: string, a: string, b: string) => {
    const left = a.split('\n');
    const right = b.split('\n');
    const rows = Array.from({ length: Math.max(left.length, right.length) }, (_, i) => {
      const l = column(left, i);
      const r = column(right, i);
      return `${l === r ? ' ' : '≠'} ${l.padEnd(60)} │ ${r}`;
    });
    return [`${title}: ${names[0]} │ ${names[1]}`, ...rows].join('\n');
  };
  return [
    section('canonical request', ours.canonicalRequest, theirs.canonicalRequest),
    section('string to sign', ours.stringToSign, theirs.stringToSign),
    section('authorization', ours.authorization, theirs.authorization),
  ].join('\n\n');
}
