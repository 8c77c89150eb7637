/**
 * `got-aws4auth proxy`: runs {@link createSigningProxy} with the CLI's credentials (the SDK's default
 * chain or `--profile`, fetched once up front so a missing login fails at start), prints a banner and one
 * access-log line per request on stdout, and shuts down gracefully (within 10 s) on SIGTERM or SIGINT.
 *
 * @module
 */
import { readFile } from 'node:fs/promises';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { closeSigningProxy, createSigningProxy, type AccessLogEntry, type SigningProxyOptions } from '../proxy/index.js';
import { isLoopbackAddress } from '../proxy/listen-guard.js';
import { CliError } from './cli-error.js';
import { credentialFailure, loadCredentials } from './credentials.js';
import { ExitCode } from './exit-codes.js';
import { describeFailure } from './failure.js';
import { cliNames } from './option-names.js';
import { parseClientKey, parseProxyCommandLine, proxyHelpText, type ProxyCommandLine } from './proxy-args.js';
import type { CliIo } from './run.js';

const PROGRAM = 'got-aws4auth';
const SHUTDOWN_MS = 10_000;

/**
 * Test hooks: stop the proxy with a signal instead of SIGTERM, learn the bound address.
 * @category CLI
 */
export interface ProxyRunControl {
  readonly signal?: AbortSignal | undefined;
  readonly onListening?: ((url: string) => void) | undefined;
}

/**
 * One access-log line: time, method, path, status, bytes, milliseconds, service, and the proxy's own error code.
 * @category CLI
 */
function accessLine(entry: AccessLogEntry, now = new Date()): string {
  const error = entry.error === undefined ? '' : ` ${entry.error}`;
  return `${now.toISOString()} ${entry.method} ${entry.path} ${entry.status} ${entry.bytes}B ${entry.ms.toFixed(1)}ms ${entry.service ?? '-'}${error}\n`;
}

function proxyOptions(line: ProxyCommandLine, credentials: SigningProxyOptions['credentials'], io: CliIo): SigningProxyOptions {
  return {
    upstreams: line.upstreams.map((url) => ({ url, service: line.service, region: line.region })),
    credentials,
    clientKeys: line.clientKeys,
    allowServices: line.allowServices,
    allowRegions: line.allowRegions,
    allowHosts: line.allowHosts,
    allowOrigins: line.allowOrigins,
    upstreamStreaming: line.upstreamStreaming,
    maxBufferedBodyBytes: line.maxBufferedBodyBytes,
    maxUnverifiedBytes: line.maxUnverifiedBytes,
    bodyIdleTimeoutMs: line.bodyIdleTimeoutMs,
    unverifiedBodyTimeoutMs: line.unverifiedBodyTimeoutMs,
    upstreamResponseTimeoutMs: line.upstreamResponseTimeoutMs,
    allowRemote: line.allowRemote,
    accessLog: line.quiet ? undefined : (entry) => io.stdout.write(accessLine(entry)),
  };
}

function banner(url: string, line: ProxyCommandLine, accessKeyId: string): string {
  const upstreams = line.upstreams.map((u) => `  upstream ${u}${line.service !== undefined ? ` (service ${line.service})` : ''}\n`).join('');
  const guard =
    line.clientKeys !== undefined
      ? `  client keys: ${line.clientKeys.map((k) => k.accessKeyId).join(', ')}: every request must be signed with one of them\n`
      : '  no client keys: listening on loopback only, and anyone on this machine can sign through it\n';
  const hosts = ['127.0.0.1', 'localhost', ...(line.allowHosts ?? [])].join(', ');
  const pages = line.allowOrigins === undefined ? 'requests from web pages are refused (--allow-origin to allow one)' : `web pages allowed from ${line.allowOrigins.join(', ')}`;
  const addressed = `  answers requests addressed to ${hosts} (--allow-host for other names); ${pages}\n`;
  return `${PROGRAM} proxy listening on ${url}\n${upstreams}  signing as ${accessKeyId}\n${guard}${addressed}`;
}

function listen(server: Server, host: string, port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      const address = server.address() as AddressInfo;
      const shown = address.family === 'IPv6' ? `[${address.address}]` : address.address;
      resolve(`http://${shown}:${address.port}`);
    });
  });
}

function stopped(control: ProxyRunControl): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      process.off('SIGTERM', done);
      process.off('SIGINT', done);
      resolve();
    };
    if (control.signal !== undefined) {
      if (control.signal.aborted) return resolve();
      control.signal.addEventListener('abort', done, { once: true });
    } else {
      process.once('SIGTERM', done);
      process.once('SIGINT', done);
    }
  });
}

/** The client keys of --client-key and every --client-key-file (one AKID:SECRET a line, # comments). */
async function allClientKeys(line: ProxyCommandLine): Promise<ProxyCommandLine['clientKeys']> {
  const keys = [...(line.clientKeys ?? [])];
  for (const file of line.clientKeyFiles) {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      throw new CliError(ExitCode.READ_ERROR, `--client-key-file ${file} could not be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
    }
    const before = keys.length;
    text.split(/\r?\n/).forEach((raw, i) => {
      const entry = raw.trim();
      if (entry !== '' && !entry.startsWith('#')) keys.push(parseClientKey(entry, `${file} line ${i + 1}`));
    });
    // An empty file must not quietly turn client-key checking off.
    if (keys.length === before) throw new CliError(ExitCode.USAGE, `--client-key-file ${file} holds no ACCESS_KEY_ID:SECRET line`);
  }
  return keys.length === 0 ? undefined : keys;
}

async function serve(given: ProxyCommandLine, io: CliIo, control: ProxyRunControl): Promise<ExitCode> {
  const line = { ...given, clientKeys: await allClientKeys(given) };
  const resolvedHost = line.host === 'localhost' ? '127.0.0.1' : line.host;
  if (line.clientKeys === undefined && !line.allowRemote && !isLoopbackAddress(resolvedHost)) {
    throw new CliError(ExitCode.USAGE, `--listen ${line.host} is not a loopback address: without --client-key anyone who can reach it would sign with your credentials. Listen on 127.0.0.1, give --client-key, or pass --allow-remote if something else guards the port.`);
  }
  let credentials;
  try {
    credentials = await loadCredentials(line.profile);
  } catch (error) {
    throw credentialFailure(error, line.profile, cliNames(line.profile, undefined, io.env));
  }
  const server = createSigningProxy(proxyOptions(line, credentials.cache, io));
  const url = await listen(server, resolvedHost, line.port);
  io.stderr.write(banner(url, line, credentials.identity.accessKeyId));
  control.onListening?.(url);
  await stopped(control);
  io.stderr.write(`${PROGRAM} proxy: shutting down (up to ${SHUTDOWN_MS / 1000} s for requests in flight)\n`);
  const graceful = await closeSigningProxy(server, SHUTDOWN_MS);
  if (!graceful) io.stderr.write(`${PROGRAM} proxy: requests still in flight after ${SHUTDOWN_MS / 1000} s were cut\n`);
  return ExitCode.OK;
}

/**
 * Runs `got-aws4auth proxy` until SIGTERM/SIGINT (or `control.signal`).
 *
 * @param argv - the arguments after the word `proxy`
 * @returns the exit code
 * @category CLI
 */
export async function runProxyCommand(argv: readonly string[], io: CliIo, control: ProxyRunControl = {}): Promise<ExitCode> {
  let profile: string | undefined;
  try {
    const line = parseProxyCommandLine(argv);
    if (line.help) {
      io.stdout.write(proxyHelpText(PROGRAM));
      return ExitCode.OK;
    }
    profile = line.profile;
    return await serve(line, io, control);
  } catch (error) {
    const failure = describeFailure(error, { profile, names: cliNames(profile, undefined, io.env) });
    io.stderr.write(`${PROGRAM} proxy: ${failure.message}\n`);
    if (failure.exitCode === ExitCode.USAGE) io.stderr.write(`Try '${PROGRAM} proxy --help' for more information.\n`);
    return failure.exitCode;
  }
}
