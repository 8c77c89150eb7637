/**
 * Every error that reaches the top of the CLI, as a line for stderr and an exit code: the CLI's own
 * {@link CliError}s as they are; got's request errors by their Node error code, with curl's numbers; the
 * library's errors (which got wraps, keeping them as `cause`) by their `code` and `field`, in the command
 * line's terms (`library-failure.ts`).
 *
 * @module
 */
import { AWS4AuthError } from '../signer/errors.js';
import { CliError } from './cli-error.js';
import { ExitCode } from './exit-codes.js';
import { printableText } from './printable.js';
import { libraryFailure, type Failure, type FailureContext } from './library-failure.js';

export type { Failure, FailureContext } from './library-failure.js';

const NETWORK_CODES: ReadonlyMap<string, [ExitCode, string]> = new Map([
  ['ENOTFOUND', [ExitCode.COULD_NOT_RESOLVE_HOST, 'could not resolve host']],
  ['EAI_AGAIN', [ExitCode.COULD_NOT_RESOLVE_HOST, 'could not resolve host (temporary DNS failure)']],
  ['ECONNREFUSED', [ExitCode.COULD_NOT_CONNECT, 'could not connect: connection refused']],
  ['EHOSTUNREACH', [ExitCode.COULD_NOT_CONNECT, 'could not connect: host unreachable']],
  ['ENETUNREACH', [ExitCode.COULD_NOT_CONNECT, 'could not connect: network unreachable']],
  ['EADDRNOTAVAIL', [ExitCode.COULD_NOT_CONNECT, 'could not connect: address not available']],
  ['ETIMEDOUT', [ExitCode.TIMEOUT, 'timed out']],
  ['ECONNRESET', [ExitCode.RECEIVE_ERROR, 'the connection was reset']],
  ['EPIPE', [ExitCode.RECEIVE_ERROR, 'the server closed the connection while the request was being sent']],
  ['ERR_STREAM_PREMATURE_CLOSE', [ExitCode.RECEIVE_ERROR, 'the connection closed before the response was complete']],
  ['HPE_INVALID_CONSTANT', [ExitCode.RECEIVE_ERROR, 'the server did not answer with HTTP']],
]);

const TLS_CODES = /^(?:ERR_TLS_|CERT_|DEPTH_ZERO_SELF_SIGNED_CERT$|SELF_SIGNED_CERT_IN_CHAIN$|UNABLE_TO_(?:VERIFY|GET_ISSUER))/;

function causeChain(error: unknown): unknown[] {
  const chain: unknown[] = [];
  for (let e = error; e !== undefined && e !== null && chain.length < 8; e = (e as { cause?: unknown }).cause) chain.push(e);
  return chain;
}

/**
 * Describes a failure.
 *
 * @param error - what was thrown
 * @param context - the `--profile` given and where the region and credentials came from
 * @category CLI
 */
export function describeFailure(error: unknown, context: FailureContext): Failure {
  const chain = causeChain(error);
  const own = chain.find((e): e is CliError => e instanceof CliError);
  if (own !== undefined) return { exitCode: own.exitCode, message: own.message };

  const library = chain.find((e): e is AWS4AuthError => e instanceof AWS4AuthError);
  if (library !== undefined) return libraryFailure(library, context);

  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string') {
    const known = NETWORK_CODES.get(code);
    const url = (error as { options?: { url?: unknown } }).options?.url;
    const where = url instanceof URL ? ` (${url.host}${context.proxy === undefined ? '' : ` through the proxy ${context.proxy}`})` : '';
    if (known !== undefined) return { exitCode: known[0], message: `${known[1]}${where}` };
    if (TLS_CODES.test(code)) return { exitCode: ExitCode.TLS_ERROR, message: `the server's TLS certificate was not accepted${where}: ${code}` };
  }
  // Not a failure the CLI knows: its message may quote a URL (got's, Node's), so it is shown by the URL rule.
  const message = printableText(error instanceof Error ? error.message : String(error));
  return { exitCode: ExitCode.FAILURE, message };
}
