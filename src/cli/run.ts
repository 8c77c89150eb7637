/**
 * The `got-aws4auth` command as a function: arguments and streams in, an exit code out. `main.ts` calls it
 * with the process's own; tests call it with fakes.
 *
 * The steps, each in its own module: read the command line (`args.ts`), decide the service and region
 * (`scope.ts`), get credentials from the SDK's default chain (`credentials.ts`), then either presign
 * (`presign.ts`) or send through the got plugin (`send.ts`). Any failure becomes one line on stderr (none
 * after `-s` without `-S`, as in curl) and an exit code (`failure.ts`, `exit-codes.ts`).
 *
 * @module
 */
import type { Readable, Writable } from 'node:stream';
import { commandFrom, errorsShown, readCommandLine, type CliRequest } from './args.js';
import { loadCredentials } from './credentials.js';
import { Deadline } from './deadline.js';
import { ExitCode } from './exit-codes.js';
import { describeProxy, proxyFor } from './env-proxy.js';
import { describeFailure } from './failure.js';
import { helpText } from './help.js';
import { cliNames } from './option-names.js';
import { presign } from './presign.js';
import { resolveScope } from './scope.js';
import { send } from './send.js';
import { packageVersion } from './version.js';
import { runProxyCommand } from './proxy-command.js';

/**
 * The program name in messages.
 * @category CLI
 */
export const PROGRAM = 'got-aws4auth';

/**
 * The outside world the command sees.
 * @category CLI
 */
export interface CliIo {
  /** Read for `-d @-`, `--json @-` and `-T -` only. */
  readonly stdin: Readable;
  /** The response body (unless `-o`), `-i` heads, the presigned URL, `--help` and `--version`. */
  readonly stdout: Writable;
  /** Errors, `--verbose` output and progress bars. */
  readonly stderr: Writable;
  /**
   * The environment the CLI reads `AWS_REGION`, `AWS_DEFAULT_REGION` and `AWS_PROFILE` from for the region,
   * and the proxy variables (`HTTPS_PROXY`, `HTTP_PROXY`, `ALL_PROXY`, `NO_PROXY`, in either case) from.
   * The AWS SDK's credential providers read `process.env` and the shared config files themselves.
   */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Whether stderr is a terminal: progress bars are drawn only then. */
  readonly isTTY: boolean;
}

/**
 * Runs the command.
 *
 * @param argv - the arguments after the program name
 * @param io - the streams and environment to use
 * @returns the exit code; see `exit-codes.ts`
 * @category CLI
 */
export async function run(argv: readonly string[], io: CliIo): Promise<ExitCode> {
  // `got-aws4auth proxy …` is a command of its own (src/cli/proxy-command.ts).
  if (argv[0] === 'proxy') return runProxyCommand(argv.slice(1), io);
  // What a failure is described with, filled in as the steps learn it.
  const learned: Learned = { profile: undefined, regionFrom: undefined, proxy: undefined };
  // An unreadable command line is always reported, as curl does, even after -s.
  let showErrors = true;
  try {
    const parsed = readCommandLine(argv);
    showErrors = errorsShown(parsed);
    const command = commandFrom(parsed);
    if (command.kind === 'help') {
      io.stdout.write(helpText(PROGRAM));
      return ExitCode.OK;
    }
    if (command.kind === 'version') {
      io.stdout.write(`${PROGRAM} ${packageVersion()} (node ${process.version})\n`);
      return ExitCode.OK;
    }
    return await execute(command.request, io, learned);
  } catch (error) {
    const failure = describeFailure(error, { profile: learned.profile, names: cliNames(learned.profile, learned.regionFrom, io.env), proxy: learned.proxy });
    if (showErrors) {
      io.stderr.write(`${PROGRAM}: ${failure.message}\n`);
      if (failure.exitCode === ExitCode.USAGE) io.stderr.write(`Try '${PROGRAM} --help' for more information.\n`);
    }
    return failure.exitCode;
  }
}

/** What the steps learned that a failure message names. */
interface Learned {
  profile: string | undefined;
  regionFrom: string | undefined;
  proxy: string | undefined;
}

/**
 * Resolves the scope and credentials, then presigns or sends, all within one `--max-time` deadline: the
 * limit is for the whole command (`deadline.ts`).
 */
async function execute(request: CliRequest, io: CliIo, learned: Learned): Promise<ExitCode> {
  const deadline = new Deadline(request.maxTimeMs);
  try {
    return await signOrSend(request, io, learned, deadline);
  } finally {
    deadline.dispose();
  }
}

async function signOrSend(request: CliRequest, io: CliIo, learned: Learned, deadline: Deadline): Promise<ExitCode> {
  learned.profile = request.profile;
  const scope = await resolveScope(request.url, request, io.env);
  learned.regionFrom = scope.regionFrom;
  const credentials = await loadCredentials(request.profile, deadline.remainingMs());
  if (request.presignExpires !== undefined) {
    presign(request, scope, credentials.identity, io);
    return ExitCode.OK;
  }
  const proxy = proxyFor(request.url, io.env);
  learned.proxy = proxy === undefined ? undefined : describeProxy(proxy);
  return await send(request, scope, credentials, io, deadline);
}
