/**
 * The `got-aws4auth proxy` command line: one option table (read by `parseArgs` and printed as the help)
 * and its translation into a {@link ProxyCommandLine}, every usage rule checked here.
 *
 * @module
 */
import { parseArgs } from 'node:util';
import { CliError } from './cli-error.js';
import { ExitCode } from './exit-codes.js';
import { optionFlag, type OptionSpec } from './option-table.js';
// Node's timers fire at once (after 1 ms) past it, so a longer limit would be no limit at all.
import { MAX_TIMER_MS } from '../credentials/bounded-wait.js';

/**
 * The proxy command's options, in help order.
 * @category CLI
 */
export const PROXY_OPTIONS = {
  listen: { type: 'string', value: 'HOST:PORT', help: 'Address to listen on (default 127.0.0.1:8080); a bare PORT means 127.0.0.1' },
  upstream: { type: 'string', multiple: true, value: 'URL', help: 'An upstream to sign for, e.g. https://my-bucket.s3.eu-west-1.amazonaws.com; repeatable, the first is the default' },
  service: { type: 'string', value: 'NAME', help: 'Signing name for the upstreams (default: from the host name, else from a signed request)' },
  region: { type: 'string', value: 'REGION', help: 'Region for the upstreams (default: from the host name, else from a signed request)' },
  profile: { type: 'string', value: 'NAME', help: 'Take the real credentials from this profile of the AWS config' },
  'client-key': { type: 'string', multiple: true, value: 'AKID:SECRET', help: 'Accept only requests signed with this key (header, presigned or chunked); repeatable' },
  'client-key-file': { type: 'string', multiple: true, value: 'FILE', help: 'Client keys from FILE, one AKID:SECRET a line (# comments): keeps secrets out of the process list' },
  'allow-service': { type: 'string', multiple: true, value: 'NAME', help: 'Sign only for this service; repeatable' },
  'allow-region': { type: 'string', multiple: true, value: 'REGION', help: 'Sign only for this region; repeatable' },
  'allow-host': { type: 'string', multiple: true, value: 'NAME[:PORT]', help: 'Also accept requests whose Host is this name (loopback names and the listen address always are); repeatable' },
  'allow-origin': { type: 'string', multiple: true, value: 'ORIGIN', help: 'Accept requests from web pages of this origin, e.g. http://localhost:3000 (others are refused); repeatable' },
  'upstream-streaming': { type: 'string', value: 'MODE', help: 'Streamed S3 bodies upstream: signed (aws-chunked, default), unsigned (UNSIGNED-PAYLOAD) or buffered' },
  'max-buffer': { type: 'string', value: 'BYTES', help: 'Most bytes of a body held in memory (default 16777216)' },
  'max-unverified': { type: 'string', value: 'BYTES', help: 'Most bytes of bodies held before their client-key signature is checked, all requests together (default 4 x --max-buffer); past it 503 SlowDown' },
  'body-idle-timeout': { type: 'string', value: 'SECONDS', help: 'Refuse a body read into memory that sends nothing for SECONDS with 400 RequestTimeout (default 20; 0: no limit)' },
  'unverified-timeout': { type: 'string', value: 'SECONDS', help: 'Refuse a body read before its client-key signature is checked that takes longer than SECONDS in all, 400 RequestTimeout (default 60; 0: no limit)' },
  'upstream-timeout': { type: 'string', value: 'SECONDS', help: 'Cancel an upstream request with no response head SECONDS after it was sent, 504 GatewayTimeout (default 960; 0: no limit)' },
  'allow-remote': { type: 'boolean', help: 'Listen on a non-loopback address without client keys (anyone reaching it signs as you)' },
  quiet: { type: 'boolean', short: 'q', help: 'No access log lines' },
  help: { type: 'boolean', short: 'h', help: 'Print this help and exit' },
} as const satisfies Record<string, OptionSpec>;

/**
 * What `got-aws4auth proxy …` asks for.
 * @category CLI
 */
export interface ProxyCommandLine {
  readonly help: boolean;
  readonly host: string;
  readonly port: number;
  readonly upstreams: readonly string[];
  readonly service: string | undefined;
  readonly region: string | undefined;
  readonly profile: string | undefined;
  readonly clientKeys: readonly { accessKeyId: string; secretAccessKey: string }[] | undefined;
  /** Files of client keys, read when the proxy starts. */
  readonly clientKeyFiles: readonly string[];
  readonly allowServices: readonly string[] | undefined;
  readonly allowRegions: readonly string[] | undefined;
  readonly allowHosts: readonly string[] | undefined;
  readonly allowOrigins: readonly string[] | undefined;
  readonly upstreamStreaming: 'signed' | 'unsigned' | 'buffered' | undefined;
  readonly maxBufferedBodyBytes: number | undefined;
  readonly maxUnverifiedBytes: number | undefined;
  /** 0: no limit. */
  readonly bodyIdleTimeoutMs: number | undefined;
  /** The whole read of a body held before its signature is checked; 0: no limit. */
  readonly unverifiedBodyTimeoutMs: number | undefined;
  /** 0: no limit. */
  readonly upstreamResponseTimeoutMs: number | undefined;
  readonly allowRemote: boolean;
  readonly quiet: boolean;
}

const usage = (message: string): CliError => new CliError(ExitCode.USAGE, message);

function parseListen(text: string): { host: string; port: number } {
  const match = /^(?:(\[[0-9a-fA-F:.]+\]|[^:[\]]+):)?(\d{1,5})$/.exec(text.trim());
  const port = Number(match?.[2]);
  if (match === null || port > 65535) throw usage(`--listen takes HOST:PORT, [IPV6]:PORT or PORT, got ${JSON.stringify(text)}`);
  const host = match[1] === undefined ? '127.0.0.1' : match[1].replace(/^\[|\]$/g, '');
  return { host, port };
}

/**
 * Reads one `ACCESS_KEY_ID:SECRET`.
 *
 * @param where - how to name its origin in an error (`--client-key`, `keys.txt line 3`); the value holds a
 *   secret and is never repeated
 * @category CLI
 */
export function parseClientKey(text: string, where = '--client-key'): { accessKeyId: string; secretAccessKey: string } {
  const colon = text.indexOf(':');
  if (colon <= 0 || colon === text.length - 1) throw usage(`${where} takes ACCESS_KEY_ID:SECRET (the value given has no colon or an empty part)`);
  return { accessKeyId: text.slice(0, colon), secretAccessKey: text.slice(colon + 1) };
}

function streamingMode(value: string | undefined): ProxyCommandLine['upstreamStreaming'] {
  if (value === undefined || value === 'signed' || value === 'unsigned' || value === 'buffered') return value;
  throw usage(`--upstream-streaming takes signed, unsigned or buffered, got ${JSON.stringify(value)}`);
}

function byteCount(value: string | undefined, option: string): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d{1,15}$/.test(value)) throw usage(`${option} takes a whole number of bytes, got ${JSON.stringify(value)}`);
  return Number(value);
}

/** Seconds as curl takes them (decimals allowed), in whole milliseconds, never rounded down to 0 (no limit). */
function timeoutMs(value: string | undefined, option: string): number | undefined {
  if (value === undefined) return undefined;
  const ms = /^(?:\d+(?:\.\d*)?|\.\d+)$/.test(value) ? Math.ceil(Number(value) * 1000) : Number.NaN;
  if (!(ms <= MAX_TIMER_MS)) throw usage(`${option} takes a number of seconds from 0 (no limit) to ${Math.floor(MAX_TIMER_MS / 1000)}, got ${JSON.stringify(value)}`);
  return ms;
}

/**
 * Reads the proxy command's arguments (after the word `proxy`).
 *
 * @throws {@link CliError} with {@link ExitCode.USAGE} saying what is wrong (never repeating a client secret)
 * @category CLI
 */
export function parseProxyCommandLine(argv: readonly string[]): ProxyCommandLine {
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], options: PROXY_OPTIONS, allowPositionals: false, strict: true });
  } catch (error) {
    // parseArgs quotes the offending argument, which may be a --client-key value: name the option only.
    const message = error instanceof Error ? error.message : String(error);
    throw usage(message.includes(':') && argv.some((a) => a.includes(':') && message.includes(a)) ? 'unexpected argument; see --help' : message);
  }
  const { values } = parsed;
  const help = values.help === true;
  const upstreams = values.upstream ?? [];
  if (!help && upstreams.length === 0) throw usage('give at least one --upstream URL: the proxy signs only for the upstreams it is told');
  const { host, port } = parseListen(values.listen ?? '127.0.0.1:8080');
  return {
    help,
    host,
    port,
    upstreams,
    service: values.service,
    region: values.region,
    profile: values.profile,
    clientKeys: values['client-key']?.map((key) => parseClientKey(key)),
    clientKeyFiles: values['client-key-file'] ?? [],
    allowServices: values['allow-service'],
    allowRegions: values['allow-region'],
    allowHosts: values['allow-host'],
    allowOrigins: values['allow-origin'],
    upstreamStreaming: streamingMode(values['upstream-streaming']),
    maxBufferedBodyBytes: byteCount(values['max-buffer'], '--max-buffer'),
    maxUnverifiedBytes: byteCount(values['max-unverified'], '--max-unverified'),
    bodyIdleTimeoutMs: timeoutMs(values['body-idle-timeout'], '--body-idle-timeout'),
    unverifiedBodyTimeoutMs: timeoutMs(values['unverified-timeout'], '--unverified-timeout'),
    upstreamResponseTimeoutMs: timeoutMs(values['upstream-timeout'], '--upstream-timeout'),
    allowRemote: values['allow-remote'] === true,
    quiet: values.quiet === true,
  };
}

/**
 * The proxy command's help text.
 * @category CLI
 */
export function proxyHelpText(program: string): string {
  const rows = Object.entries(PROXY_OPTIONS).map(([name, spec]) => `  ${optionFlag(name, spec).padEnd(34)} ${spec.help}`);
  return (
    `Usage: ${program} proxy --upstream URL [--upstream URL ...] [options]\n\n` +
    'A local endpoint that signs requests for the upstreams with your AWS credentials (the same ones the rest\n' +
    `of ${program} uses). Point curl, an SDK (endpoint + forcePathStyle) or the AWS CLI (--endpoint-url) at it.\n\n` +
    `Options:\n${rows.join('\n')}\n`
  );
}
