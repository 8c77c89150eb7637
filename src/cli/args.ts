/**
 * The command line: one table of options (which `node:util`'s `parseArgs` reads and the help text is
 * printed from), and its translation into a {@link CliRequest}, with every usage rule checked here so
 * the rest of the CLI can trust what it gets.
 *
 * curl's meanings are kept where an option shares curl's name. Differences, on purpose: `-d @file` sends the
 * file unchanged (curl strips its newlines; here it is the same as `--data-binary @file`), and the URL must
 * name its scheme.
 *
 * @module
 */
import { parseArgs } from 'node:util';
import { basename } from 'node:path';
import { CliError } from './cli-error.js';
import { ExitCode } from './exit-codes.js';
import type { OptionSpec } from './option-table.js';
import { printableText, quotedArgument, quotedUrl } from './printable.js';
import { MAX_PRESIGN_EXPIRY_SECONDS } from '../signer/presign.js';

/**
 * Every option, in the order the help text lists them.
 * @category CLI
 */
export const OPTIONS = {
  request: { type: 'string', short: 'X', value: 'METHOD', help: 'HTTP method (default GET; POST with data, PUT with -T)' },
  header: { type: 'string', short: 'H', multiple: true, value: 'LINE', help: "Add a header, 'Name: value' ('Name;' sends it empty, 'Name:' removes it); repeatable" },
  data: { type: 'string', short: 'd', multiple: true, value: 'DATA', help: 'Send DATA (POST); @file streams a file unchanged, @- reads stdin; repeats are joined with &' },
  'data-binary': { type: 'string', multiple: true, value: 'DATA', help: 'Same as -d' },
  json: { type: 'string', value: 'DATA', help: 'Send DATA (or @file, @-) as JSON: content-type and accept application/json' },
  'upload-file': { type: 'string', short: 'T', value: 'FILE', help: 'PUT FILE, streamed (- for stdin); a URL ending in / gets the file name appended' },
  output: { type: 'string', short: 'o', value: 'FILE', help: 'Write the response body to FILE instead of stdout' },
  include: { type: 'boolean', short: 'i', help: 'Print the response status line and headers before the body' },
  head: { type: 'boolean', short: 'I', help: 'Send HEAD (unless -X says otherwise) and print only the status line and headers' },
  verbose: { type: 'boolean', short: 'v', help: 'Print the canonical request, string to sign and both heads on stderr (secrets redacted)' },
  fail: { type: 'boolean', short: 'f', help: 'Exit 22, printing no body, when the HTTP status is 400 or more' },
  'fail-with-body': { type: 'boolean', help: 'Exit 22 when the HTTP status is 400 or more, after printing the body' },
  location: { type: 'boolean', short: 'L', help: 'Follow redirects (credentials are never sent to another origin)' },
  compressed: { type: 'boolean', help: 'Ask for a compressed response and decompress it' },
  insecure: { type: 'boolean', short: 'k', help: "Do not verify the server's TLS certificate (the request is still signed)" },
  'max-time': { type: 'string', short: 'm', value: 'SECONDS', help: 'Give up after SECONDS' },
  silent: { type: 'boolean', short: 's', help: 'Print no progress bar and no error message (exit codes are unchanged)' },
  'show-error': { type: 'boolean', short: 'S', help: 'With -s, still print error messages' },
  service: { type: 'string', value: 'NAME', help: 'Signing name, e.g. s3, es, execute-api (default: from the host name)' },
  region: { type: 'string', value: 'REGION', help: 'Region, e.g. eu-west-1 (default: host name, AWS_REGION, profile)' },
  profile: { type: 'string', value: 'NAME', help: 'Take credentials (and region) from this profile of the AWS config' },
  presign: { type: 'boolean', help: 'Print a presigned URL instead of sending the request' },
  expires: { type: 'string', value: 'SECONDS', help: `With --presign: validity, 1 to ${MAX_PRESIGN_EXPIRY_SECONDS} (default 3600)` },
  'unsigned-payload': { type: 'boolean', help: 'Sign the body as UNSIGNED-PAYLOAD instead of hashing it' },
  version: { type: 'boolean', help: 'Print the version and exit' },
  help: { type: 'boolean', short: 'h', help: 'Print this help and exit' },
} as const satisfies Record<string, OptionSpec>;

/**
 * Where request body bytes come from.
 * @category CLI
 */
export type DataSource =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'file'; readonly path: string }
  | { readonly kind: 'stdin' };

/**
 * The body to send and the headers it implies unless the user set them.
 * @category CLI
 */
export interface BodySpec {
  readonly source: DataSource;
  /** The content-type to send when no `-H Content-Type` was given. */
  readonly contentType?: string | undefined;
  /** The accept header to send when no `-H Accept` was given. */
  readonly accept?: string | undefined;
}

/**
 * A request (or presign) the command line describes.
 * @category CLI
 */
export interface CliRequest {
  readonly url: URL;
  readonly method: string;
  /** Headers in order; `undefined` removes a header (curl's `Name:`). */
  readonly headers: ReadonlyArray<readonly [name: string, value: string | undefined]>;
  readonly body: BodySpec | undefined;
  readonly output: string | undefined;
  readonly include: boolean;
  readonly verbose: boolean;
  /** `-f`: exit 22 for a status of 400 or more, writing no body. */
  readonly fail: boolean;
  /** `--fail-with-body`: exit 22 for a status of 400 or more, after writing the body. */
  readonly failWithBody: boolean;
  /** `-I`: write the status line and headers only. */
  readonly head: boolean;
  /** `-k`: do not verify the server's TLS certificate. */
  readonly insecure: boolean;
  readonly location: boolean;
  readonly compressed: boolean;
  readonly silent: boolean;
  /** `-S`: print error messages even with `-s`. */
  readonly showError: boolean;
  readonly maxTimeMs: number | undefined;
  readonly service: string | undefined;
  readonly region: string | undefined;
  readonly profile: string | undefined;
  /** Seconds the presigned URL is valid, when `--presign` was given. */
  readonly presignExpires: number | undefined;
  readonly unsignedPayload: boolean;
}

/**
 * What the command line asks for.
 * @category CLI
 */
export type Command = { readonly kind: 'help' } | { readonly kind: 'version' } | { readonly kind: 'request'; readonly request: CliRequest };

const DEFAULT_PRESIGN_EXPIRY_SECONDS = 3600;
const FORM_CONTENT_TYPE = 'application/x-www-form-urlencoded';
const JSON_CONTENT_TYPE = 'application/json';
/** An HTTP token (RFC 9110): what header names and methods are made of. */
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

function usage(message: string): CliError {
  return new CliError(ExitCode.USAGE, message);
}

function dataSource(value: string): DataSource {
  if (value === '@-') return { kind: 'stdin' };
  if (value.startsWith('@')) return { kind: 'file', path: value.slice(1) };
  return { kind: 'text', text: value };
}

/** What a message may quote of a header line: the name it starts with, never the value (where tokens go), marked as cut. */
function headerNameOf(line: string): string {
  const name = /^[^\s:]{0,64}/.exec(line)?.[0] ?? '';
  return name.length < line.length ? `${name} …` : name;
}

function parseHeader(line: string): [string, string | undefined] {
  const colon = line.indexOf(':');
  if (colon === -1) {
    // curl's `Name;` sends the header with an empty value.
    if (line.endsWith(';') && TOKEN.test(line.slice(0, -1))) return [line.slice(0, -1), ''];
    throw usage(`-H ${quotedArgument(headerNameOf(line))} is not a header: write it as 'Name: value'`);
  }
  const name = line.slice(0, colon).trim();
  if (!TOKEN.test(name)) throw usage(`-H ${quotedArgument(headerNameOf(line))} has no valid header name before the colon`);
  const value = line.slice(colon + 1).trim();
  return [name, value === '' ? undefined : value];
}

function bodySpec(data: readonly string[], json: string | undefined, upload: string | undefined): BodySpec | undefined {
  const given = [data.length > 0 ? '-d/--data-binary' : undefined, json !== undefined ? '--json' : undefined, upload !== undefined ? '-T' : undefined].filter((x) => x !== undefined);
  if (given.length > 1) throw usage(`${given.join(' and ')} cannot be combined: give the body one way`);
  if (upload !== undefined) return { source: upload === '-' ? { kind: 'stdin' } : { kind: 'file', path: upload } };
  if (json !== undefined) return { source: dataSource(json), contentType: JSON_CONTENT_TYPE, accept: JSON_CONTENT_TYPE };
  if (data.length === 0) return undefined;
  const sources = data.map(dataSource);
  if (sources.length === 1) return { source: sources[0]!, contentType: FORM_CONTENT_TYPE };
  if (sources.some((s) => s.kind !== 'text')) throw usage('-d @file and -d @- must be the only -d: a file or stdin is streamed, not joined with other data');
  return { source: { kind: 'text', text: sources.map((s) => (s.kind === 'text' ? s.text : '')).join('&') }, contentType: FORM_CONTENT_TYPE };
}

function parseUrl(text: string, upload: string | undefined): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new CliError(ExitCode.URL_MALFORMED, `${quotedUrl(text)} is not a URL: write it in full, e.g. https://my-bucket.s3.eu-west-1.amazonaws.com/key`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new CliError(ExitCode.URL_MALFORMED, `${quotedUrl(text)} is not an http: or https: URL`);
  }
  // curl -T: a URL ending in a slash names a folder; the file keeps its own name there.
  if (upload !== undefined && upload !== '-' && url.pathname.endsWith('/')) url.pathname += encodeURIComponent(basename(upload));
  return url;
}

function wholeNumber(text: string, option: string, min: number, max: number): number {
  const n = Number(text);
  if (!/^\d+$/.test(text.trim()) || !Number.isSafeInteger(n) || n < min || n > max) throw usage(`${option} takes a whole number from ${min} to ${max}, got ${quotedArgument(text)}`);
  return n;
}

function seconds(text: string, option: string): number {
  const n = Number(text);
  if (text.trim() === '' || !Number.isFinite(n) || n <= 0) throw usage(`${option} takes a positive number of seconds, got ${quotedArgument(text)}`);
  return Math.ceil(n * 1000);
}

function nonEmpty(value: string | undefined, option: string): string | undefined {
  if (value !== undefined && value.trim() === '') throw usage(`${option} needs a non-empty value`);
  return value;
}

/**
 * The command line as `parseArgs` read it, before its meaning is checked.
 * @category CLI
 */
export type ParsedCommandLine = ReturnType<typeof readOptions>;

function readOptions(argv: readonly string[]) {
  return parseArgs({ args: [...argv], options: OPTIONS, allowPositionals: true, strict: true });
}

/**
 * Reads the options and positionals, without checking what they mean together.
 *
 * @param argv - the arguments after the program name
 * @throws {@link CliError} with {@link ExitCode.USAGE} for an unknown option or a missing value
 * @category CLI
 */
export function readCommandLine(argv: readonly string[]): ParsedCommandLine {
  try {
    return readOptions(argv);
  } catch (error) {
    // parseArgs quotes the option it did not know, which may be a mistyped secret such as --token=....
    throw usage(printableText(error instanceof Error ? error.message : String(error)));
  }
}

/**
 * Whether error messages are printed: always, unless `-s` was given without `-S` (curl's rule; the exit code
 * says what failed either way).
 *
 * @param parsed - the command line as read
 * @category CLI
 */
export function errorsShown(parsed: ParsedCommandLine): boolean {
  return parsed.values.silent !== true || parsed.values['show-error'] === true;
}

/** Options that cannot go together, as curl refuses them; and those that do not apply to `--presign`. */
function checkCombinations(values: ParsedCommandLine['values'], body: BodySpec | undefined): void {
  if (values.fail === true && values['fail-with-body'] === true) throw usage('--fail and --fail-with-body cannot be combined: pick one');
  if (values.head === true && body !== undefined) throw usage('-I sends a HEAD request, which has no body: it takes no -d, --json or -T');
  if (values.presign !== true) {
    if (values.expires !== undefined) throw usage('--expires only applies to --presign');
    return;
  }
  if (body !== undefined) throw usage('--presign prints a URL and sends nothing: it takes no -d, --json or -T (the URL user sends the body)');
  const sending = { '-o': values.output !== undefined, '-i': values.include, '-I': values.head, '--fail': values.fail, '--fail-with-body': values['fail-with-body'], '-L': values.location, '-k': values.insecure };
  const given = Object.entries(sending).filter(([, set]) => set === true).map(([flag]) => flag);
  if (given.length > 0) throw usage(`--presign sends nothing, so ${given.join(', ')} ${given.length === 1 ? 'does' : 'do'} not apply (for a HEAD URL, pass -X HEAD)`);
}

function requestMethod(values: ParsedCommandLine['values'], body: BodySpec | undefined): string {
  const given = nonEmpty(values.request, '-X')?.toUpperCase();
  const method = given ?? (values.head === true ? 'HEAD' : values['upload-file'] !== undefined ? 'PUT' : body !== undefined ? 'POST' : 'GET');
  if (!TOKEN.test(method)) throw usage(`-X ${quotedArgument(values.request ?? method)} is not an HTTP method`);
  return method;
}

/**
 * What a command line, as read, asks for.
 *
 * @param parsed - the result of {@link readCommandLine}
 * @throws {@link CliError} with {@link ExitCode.USAGE} (or `URL_MALFORMED`) saying what is wrong
 * @category CLI
 */
export function commandFrom(parsed: ParsedCommandLine): Command {
  const { values, positionals } = parsed;
  if (values.help === true) return { kind: 'help' };
  if (values.version === true) return { kind: 'version' };
  if (positionals.length === 0) throw usage('no URL given');
  if (positionals.length > 1) throw usage(`one URL at a time, got ${positionals.length}: ${positionals.map(quotedUrl).join(' ')}`);
  const upload = values['upload-file'];
  const body = bodySpec([...(values.data ?? []), ...(values['data-binary'] ?? [])], values.json, upload);
  checkCombinations(values, body);
  return { kind: 'request', request: requestFrom(values, positionals[0]!, body) };
}

function requestFrom(values: ParsedCommandLine['values'], url: string, body: BodySpec | undefined): CliRequest {
  const presign = values.presign === true;
  return {
    url: parseUrl(url, values['upload-file']),
    method: requestMethod(values, body),
    headers: (values.header ?? []).map(parseHeader),
    body,
    output: values.output === '-' ? undefined : nonEmpty(values.output, '-o'),
    include: values.include === true,
    head: values.head === true,
    verbose: values.verbose === true,
    fail: values.fail === true,
    failWithBody: values['fail-with-body'] === true,
    location: values.location === true,
    compressed: values.compressed === true,
    insecure: values.insecure === true,
    silent: values.silent === true,
    showError: values['show-error'] === true,
    maxTimeMs: values['max-time'] === undefined ? undefined : seconds(values['max-time'], '--max-time'),
    service: nonEmpty(values.service, '--service'),
    region: nonEmpty(values.region, '--region'),
    profile: nonEmpty(values.profile, '--profile'),
    presignExpires: presign ? (values.expires === undefined ? DEFAULT_PRESIGN_EXPIRY_SECONDS : wholeNumber(values.expires, '--expires', 1, MAX_PRESIGN_EXPIRY_SECONDS)) : undefined,
    unsignedPayload: values['unsigned-payload'] === true,
  };
}
