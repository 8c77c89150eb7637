/**
 * Sends the request through got with the plugin and streams the response to stdout or the `-o` file, in
 * constant memory (`got.stream` piped to the destination). The plugin does the signing; this module only
 * turns the command line into got options and the response into bytes, heads and an exit code.
 *
 * curl's defaults are kept: no retries, redirects followed only with `-L`, no decompression unless
 * `--compressed`, any HTTP status is success unless `--fail` or `--fail-with-body`, TLS certificates
 * verified unless `-k`, and the proxy the environment names (`agents.ts`) for each hop.
 *
 * @module
 */
import { createWriteStream, WriteStream } from 'node:fs';
import { once } from 'node:events';
import type { ClientRequest, IncomingMessage } from 'node:http';
import type { Agents as GotAgents } from 'got';
import type { Readable, Writable } from 'node:stream';
import { finished, pipeline } from 'node:stream/promises';
import { createAws4Hooks } from '../got/hooks.js';
import { UNSIGNED_PAYLOAD } from '../signer/payload-hash.js';
import { rulesFor } from '../signer/service-rules.js';
import { proxyRouter, type Route, type Router } from './agents.js';
import type { CliRequest } from './args.js';
import { openBody, type OpenedBody } from './body-source.js';
import { CliError } from './cli-error.js';
import type { Deadline } from './deadline.js';
import type { LoadedCredentials } from './credentials.js';
import { ExitCode } from './exit-codes.js';
import { TransferProgress } from './progress.js';
import { algorithmChoice, type SigningScope } from './scope.js';
import { describeProxy } from './env-proxy.js';
import { formatRequestHead, formatResponseHead, formatSigning } from './verbose.js';
import { packageVersion } from './version.js';

/**
 * The streams `send` uses, and the environment the proxy variables are read from.
 * @category CLI
 */
export interface SendIo {
  readonly stdin: Readable;
  readonly stdout: Writable;
  readonly stderr: Writable;
  /** Whether stderr is a terminal: progress bars are drawn only then. */
  readonly isTTY: boolean;
  /** Where `HTTPS_PROXY`, `HTTP_PROXY`, `ALL_PROXY` and `NO_PROXY` are read (lower case too). */
  readonly env: Readonly<Record<string, string | undefined>>;
}

const BODYLESS_METHODS = new Set(['GET', 'HEAD', 'OPTIONS', 'DELETE', 'TRACE']);

type Got = typeof import('got').default;
type Client = ReturnType<Got['extend']>;
type GotStream = ReturnType<Client['stream']>;
type Progress = { readonly upload: TransferProgress; readonly download: TransferProgress } | undefined;

async function importGot(): Promise<Got> {
  try {
    return (await import('got')).default;
  } catch (error) {
    throw new CliError(ExitCode.FAILURE, 'the got-aws4auth command needs got, an optional peer dependency: install it beside got-aws4auth (npm install got)', { cause: error });
  }
}

function requestHeaders(request: CliRequest, opened: OpenedBody): Record<string, string | string[] | undefined> {
  const headers: Record<string, string | string[] | undefined> = { 'user-agent': `got-aws4auth/${packageVersion()}` };
  if (request.body?.contentType !== undefined) headers['content-type'] = request.body.contentType;
  if (request.body?.accept !== undefined) headers.accept = request.body.accept;
  if (opened.contentLength !== undefined) headers['content-length'] = String(opened.contentLength);
  const given = new Set<string>();
  for (const [name, value] of request.headers) {
    const lower = name.toLowerCase();
    const previous = headers[lower];
    // A header given twice is sent twice, as curl does; the first -H replaces a default.
    headers[lower] = value === undefined ? undefined : given.has(lower) && previous !== undefined ? [previous, value].flat() : value;
    given.add(lower);
  }
  // A method that may carry a body but has none: say so with content-length 0 (got 16 drops an empty string
  // body and would then wait for a pipe).
  if (opened.body === undefined && !BODYLESS_METHODS.has(request.method) && headers['content-length'] === undefined) headers['content-length'] = '0';
  return headers;
}

/**
 * Whether a body of unknown length must be measured before sending: a service whose streams go up as
 * aws-chunked uploads (the S3 family, by `rulesFor`) signs their length and refuses any upload without one,
 * unless the user gave the length with `-H`.
 */
function lengthNeeded(request: CliRequest, scope: SigningScope): boolean {
  return rulesFor(scope.service).streamingPayload === 'chunked' && !request.headers.some(([name, value]) => name.toLowerCase() === 'content-length' && value !== undefined);
}

/** got with curl's defaults, the plugin, and the route (proxy or direct) chosen again for every redirect. */
function signedClient(got: Got, request: CliRequest, scope: SigningScope, credentials: LoadedCredentials, io: SendIo, router: Router): Client {
  const { identity } = credentials;
  return got.extend(
    {
      retry: { limit: 0 },
      followRedirect: request.location,
      throwHttpErrors: false,
      decompress: request.compressed,
      https: { rejectUnauthorized: !request.insecure },
      hooks: {
        beforeRedirect: [
          async (options) => {
            options.agent = (await router.route(options.url as URL)).agent as GotAgents;
          },
        ],
      },
    },
    createAws4Hooks({
      service: scope.service,
      ...algorithmChoice(scope),
      credentials: credentials.cache,
      // Without the x-amz-content-sha256 header a server could not know the payload was not hashed.
      ...(request.unsignedPayload ? { payloadHash: UNSIGNED_PAYLOAD, contentSha256Header: true } : {}),
      onSigned: request.verbose ? (info) => void io.stderr.write(formatSigning(info, identity.accessKeyId, identity.sessionToken)) : undefined,
    }),
  );
}

/**
 * With `--verbose`, every hop's request head as sent and every redirect's response head (the final
 * response's head is printed once it arrives), the session token signed with hidden wherever it appears.
 */
function traceHops(stream: GotStream, io: SendIo, sessionToken: string | undefined): void {
  stream.on('request', (req: ClientRequest) => void io.stderr.write(formatRequestHead(req.method, req.path, req.getHeaders(), sessionToken)));
  stream.on('redirect', (_options: unknown, response: IncomingMessage & { statusCode: number }) => void io.stderr.write(formatResponseHead(response, 'verbose', sessionToken)));
}

/**
 * Starts the request; nothing is read from the response yet. The deadline's signal, not got's
 * `timeout.request`, bounds it: that timer starts only after the hooks, and the plugin's hook may first
 * read a streamed body to the end to hash it.
 */
function start(client: Client, request: CliRequest, opened: OpenedBody, first: Route, io: SendIo, progress: Progress, sessionToken: string | undefined, deadline: Deadline): GotStream {
  if (request.verbose && first.proxy !== undefined) io.stderr.write(`* Using proxy ${describeProxy(first.proxy)}\n`);
  const body = opened.body;
  const stream = client.stream(request.url, {
    method: request.method as 'GET',
    headers: requestHeaders(request, opened),
    body,
    agent: first.agent as GotAgents,
    // got.stream waits for a piped body when a GET may have one: allow it only when there is one.
    allowGetBody: body !== undefined,
    signal: deadline.signal,
  });
  // Nothing to pipe: end the request side, or got (16 for DELETE and POST) waits for a body.
  if (body === undefined) stream.end();
  if (request.verbose) traceHops(stream, io, sessionToken);
  if (progress !== undefined) {
    stream.on('uploadProgress', (event) => progress.upload.update(event));
    stream.on('downloadProgress', (event) => progress.download.update(event));
  }
  return stream;
}

/**
 * Writes what curl writes for this response: the head with `-i` or `-I`, the body unless `-I`, or, for a
 * status of 400 or more, nothing more with `-f`, the body with `--fail-with-body`, and then exit 22.
 */
async function deliver(stream: GotStream, response: IncomingMessage & { statusCode: number }, request: CliRequest, destination: Writable): Promise<ExitCode> {
  const failed = response.statusCode >= 400 && (request.fail || request.failWithBody);
  if (request.include || request.head) destination.write(formatResponseHead(response, 'include'));
  if (request.head || (failed && request.fail)) {
    stream.destroy();
    if (destination instanceof WriteStream) await finished(destination.end());
  } else {
    await pipeline(stream, destination, { end: destination instanceof WriteStream });
  }
  if (failed) {
    const status = `${response.statusCode}${response.statusMessage ? ` ${response.statusMessage}` : ''}`;
    throw new CliError(ExitCode.HTTP_ERROR, `the server answered ${status} (${request.fail ? '--fail' : '--fail-with-body'})`);
  }
  return ExitCode.OK;
}

/** curl's exit 56 when the proxy would not open the tunnel: its answer is not the server's. */
function checkTunnel(router: Router, sent: ClientRequest | undefined, stream: GotStream): void {
  const refusal = sent === undefined ? undefined : router.refusal(sent);
  if (refusal === undefined) return;
  stream.destroy();
  throw new CliError(ExitCode.RECEIVE_ERROR, `the proxy ${describeProxy(refusal.proxy)} would not open a tunnel to ${sent!.host}: it answered ${refusal.status}`);
}

/** How far a transfer got: what a `--max-time` message says the command was doing. */
interface Stage {
  /** got made the request (its hooks, which may read a streamed body to hash it, are done). */
  sent: boolean;
  /** The response head arrived. */
  answered: boolean;
}

/** Where the body comes from, for messages; undefined when it is text, which needs no reading. */
function bodyOrigin(request: CliRequest): string | undefined {
  const source = request.body?.source;
  return source === undefined || source.kind === 'text' ? undefined : source.kind === 'stdin' ? 'stdin' : JSON.stringify(source.path);
}

function timedOutDuring(request: CliRequest, stage: Stage): string {
  const host = request.url.host;
  if (stage.answered) return `receiving the response from ${host}`;
  if (stage.sent) return `waiting for ${host} to answer`;
  const origin = bodyOrigin(request);
  return origin === undefined ? `before the request to ${host} was sent` : `reading the request body from ${origin}; nothing was sent`;
}

/** The failure to report when writing the response, reading the body or `--max-time` broke the transfer. */
function transferFailure(error: unknown, request: CliRequest, writeError: Error | undefined, opened: OpenedBody, deadline: Deadline, stage: Stage): unknown {
  if (deadline.expired) return deadline.error(timedOutDuring(request, stage), { cause: error });
  if (writeError !== undefined) {
    const where = request.output === undefined ? 'stdout' : JSON.stringify(request.output);
    const code = (writeError as { code?: unknown }).code;
    return new CliError(ExitCode.WRITE_ERROR, `cannot write the response to ${where}: ${typeof code === 'string' ? code : writeError.message}`, { cause: error });
  }
  if (opened.readFailed()) {
    return new CliError(ExitCode.READ_ERROR, `reading the request body failed: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
  return error;
}

/**
 * The first error `stream` reports, from now on. process.stdout keeps `errored` null after EPIPE (the
 * reader of `| head` went away: its destroy does nothing), so its error event is what tells a broken
 * output from a broken connection.
 */
function writeErrors(stream: Writable): () => Error | undefined {
  let first: Error | undefined;
  stream.once('error', (error: Error) => void (first = error));
  return () => stream.errored ?? first;
}

/**
 * Sends the request and writes the response.
 *
 * @param request - what the command line asks for
 * @param scope - the service and region to sign for
 * @param credentials - the cache the plugin signs with
 * @param io - stdin, stdout, stderr, whether stderr is a terminal, and the environment naming a proxy
 * @param deadline - `--max-time`, already running: it bounds reading the body as well as the request
 * @returns {@link ExitCode.OK}
 * @throws {@link CliError} with {@link ExitCode.HTTP_ERROR} for a status of 400 or more with `--fail` or
 * `--fail-with-body`, {@link ExitCode.TIMEOUT} when the deadline passes, and for read and write failures;
 * got's errors as they are
 * @category CLI
 */
export async function send(request: CliRequest, scope: SigningScope, credentials: LoadedCredentials, io: SendIo, deadline: Deadline): Promise<ExitCode> {
  const got = await importGot();
  const router = await proxyRouter(io.env);
  // Made first: an option the plugin refuses fails before stdin is read.
  const client = signedClient(got, request, scope, credentials, io, router);
  const opened = await deadline.within(
    openBody(request.body?.source, io.stdin, lengthNeeded(request, scope), deadline.signal),
    `reading the request body from ${bodyOrigin(request) ?? 'the command line'}; nothing was sent`,
  );
  const progress = io.isTTY && !request.silent ? { upload: new TransferProgress(io.stderr, 'upload'), download: new TransferProgress(io.stderr, 'download') } : undefined;
  let writeError: () => Error | undefined = () => undefined;
  const stage: Stage = { sent: false, answered: false };
  try {
    const sessionToken = credentials.identity.sessionToken;
    const stream = start(client, request, opened, await router.route(request.url), io, progress, sessionToken, deadline);
    let sent: ClientRequest | undefined;
    stream.on('request', (hop: ClientRequest) => void ((sent = hop), (stage.sent = true)));
    const [response] = (await once(stream, 'response')) as [IncomingMessage & { statusCode: number }];
    stage.answered = true;
    checkTunnel(router, sent, stream);
    progress?.upload.stop();
    if (request.verbose) io.stderr.write(formatResponseHead(response, 'verbose', sessionToken));
    // curl -f writes nothing for a failed status, and creates no -o file, unless -i or -I write the head.
    const writesNothing = request.fail && response.statusCode >= 400 && !request.include && !request.head;
    const destination = request.output === undefined || writesNothing ? io.stdout : createWriteStream(request.output);
    writeError = writeErrors(destination);
    return await deliver(stream, response, request, destination);
  } catch (error) {
    throw transferFailure(error, request, writeError(), opened, deadline, stage);
  } finally {
    progress?.upload.stop();
    progress?.download.stop();
    await opened.close();
  }
}
