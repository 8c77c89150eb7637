/**
 * The exit codes of the `got-aws4auth` command. Where curl has a code for the same failure the CLI uses
 * curl's number (so scripts written for `curl --fail` keep working); failures curl cannot have (no AWS
 * credentials, no way to tell the service or region) get their own small numbers.
 *
 * | code | name | when |
 * |---:|---|---|
 * | 0 | `OK` | the request was sent and answered (any status without `--fail`), or the URL was presigned |
 * | 1 | `FAILURE` | anything not listed below (an unexpected error, a body the plugin cannot sign, …) |
 * | 2 | `USAGE` | bad command line: unknown option, missing or extra URL, malformed `-H`, conflicting options, an unusable `--region`/`--service`/`-H` value |
 * | 3 | `URL_MALFORMED` | the URL cannot be parsed or is not `http:`/`https:` (curl's 3) |
 * | 4 | `CREDENTIALS` | no AWS credentials could be obtained from the default chain or `--profile` |
 * | 5 | `CANNOT_INFER` | the service or region is neither given nor readable from the host name or config |
 * | 6 | `COULD_NOT_RESOLVE_HOST` | DNS lookup failed (curl's 6) |
 * | 7 | `COULD_NOT_CONNECT` | connection refused or host/network unreachable (curl's 7) |
 * | 22 | `HTTP_ERROR` | `--fail` or `--fail-with-body`, and the server answered with status 400 or more (curl's 22) |
 * | 23 | `WRITE_ERROR` | the response could not be written to stdout or the `-o` file (curl's 23) |
 * | 26 | `READ_ERROR` | the `-d @file` / `-T` file, or stdin, could not be opened or read (curl's 26) |
 * | 28 | `TIMEOUT` | `--max-time` elapsed (curl's 28) |
 * | 56 | `RECEIVE_ERROR` | the connection broke while sending or receiving (curl's 56) |
 * | 60 | `TLS_ERROR` | the server's TLS certificate could not be verified (curl's 60) |
 * | 97 | `PROXY_ERROR` | a SOCKS proxy refused the handshake or the connection to the server (curl's 97) |
 *
 * @module
 */

/**
 * The exit codes, by name. Values are stable: scripts may test for them.
 *
 * @example
 * ```ts
 * import { ExitCode } from './exit-codes.js';
 * if (process.exitCode === ExitCode.CREDENTIALS) console.error('log in first: aws sso login');
 * ```
 * @category CLI
 */
export const ExitCode = {
  /** Success: the request was answered (any status, unless `--fail`), or a URL was presigned. */
  OK: 0,
  /** Any failure without a more specific code, e.g. a body the plugin cannot sign. */
  FAILURE: 1,
  /** The command line is wrong: unknown option, missing or extra URL, malformed header, conflicting options, an unusable value. */
  USAGE: 2,
  /** The URL cannot be parsed, or its scheme is not `http:` or `https:` (curl's 3). */
  URL_MALFORMED: 3,
  /** No AWS credentials: the SDK's default chain (or the `--profile`) gave none. */
  CREDENTIALS: 4,
  /** The service or region to sign for was not given and cannot be inferred from the host name or config. */
  CANNOT_INFER: 5,
  /** The host name could not be resolved (curl's 6). */
  COULD_NOT_RESOLVE_HOST: 6,
  /** The connection was refused, or the host or network is unreachable (curl's 7). */
  COULD_NOT_CONNECT: 7,
  /** With `--fail` or `--fail-with-body`: the server answered with an HTTP status of 400 or more (curl's 22). */
  HTTP_ERROR: 22,
  /** The response body could not be written to stdout or the `-o` file (curl's 23). */
  WRITE_ERROR: 23,
  /** The file to upload (`-d @file`, `--data-binary @file`, `--json @file`, `-T file`), or stdin, could not be read (curl's 26). */
  READ_ERROR: 26,
  /** The `--max-time` limit elapsed (curl's 28). */
  TIMEOUT: 28,
  /** The connection broke while the request or response was in flight (curl's 56). */
  RECEIVE_ERROR: 56,
  /** The server's TLS certificate could not be verified (curl's 60). */
  TLS_ERROR: 60,
  /** A SOCKS proxy refused the handshake or the connection to the server (curl's 97). */
  PROXY_ERROR: 97,
} as const;

/**
 * One of the {@link ExitCode} values.
 * @category CLI
 */
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];
