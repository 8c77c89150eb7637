/**
 * The library's errors in the command line's terms, from their structured parts only: one table from the
 * stable `code` to the CLI's message and exit code, and, for a refused value, its `field` through the table
 * in `option-names.ts`. A message of the library is never searched for names or patterns, so rewording it
 * can change neither the exit code nor the name the CLI reports. Codes without a row are described by their
 * field when it names something the user gave, and otherwise by the library's message, with exit code 1.
 *
 * The library's own advice names its options (`maxBufferedBodyBytes`, `payloadHash`, `streamingPayload`);
 * the rows for those failures give the command line's advice instead.
 *
 * @module
 */
import { AWS4AuthError, type AWS4AuthErrorCode } from '../signer/errors.js';
import { BodyTooLargeError, CannotInferError, StreamLengthRequiredError } from '../got/errors.js';
import { ExitCode } from './exit-codes.js';
import { cliName, restate, type CliNames } from './option-names.js';

/**
 * What to print and return.
 * @category CLI
 */
export interface Failure {
  readonly exitCode: ExitCode;
  /** The line (or lines) for stderr, without the program name. */
  readonly message: string;
  /** What the user gave that was refused, as the command line calls it (`--region`, `AWS_ACCESS_KEY_ID`), when the failure names one. */
  readonly subject?: string | undefined;
}

/**
 * What the command line said, for messages in its terms.
 * @category CLI
 */
export interface FailureContext {
  /** `--profile`, named in the advice about credentials. */
  readonly profile: string | undefined;
  /** Where the region and the credentials came from. */
  readonly names: CliNames;
  /** The proxy the request went through, as `describeProxy` shows it (no password), if any. */
  readonly proxy?: string | undefined;
}

type Row = (error: AWS4AuthError, context: FailureContext) => Failure;

const BODY_ADVICE = 'With this CLI: pass --unsigned-payload where the service accepts it, or upload to S3 (which takes streamed bodies).';

/** The `field` of an error that has one (an `InvalidInputError` or any later class that names its input). */
function fieldOf(error: unknown): string | undefined {
  const field = error instanceof AWS4AuthError ? (error as { field?: unknown }).field : undefined;
  return typeof field === 'string' ? field : undefined;
}

/** A refused value, named as the user gave it, with the exit code that goes with it; undefined when the CLI never passes that field. */
function namedFailure(error: AWS4AuthError, names: CliNames): Failure | undefined {
  const field = fieldOf(error);
  const named = field === undefined ? undefined : cliName(field, names);
  if (field === undefined || named === undefined) return undefined;
  return { exitCode: named.exitCode, message: restate(field, error.message, named.name), subject: named.name };
}

/** The first line of what the credential source said: the SDK's messages name the source that failed. */
function providerReason(error: AWS4AuthError): string {
  const cause = error.cause;
  const text = cause instanceof Error && cause.message !== '' ? cause.message : error.message;
  return text.split('\n')[0]!.trim();
}

const credentials: Row = (error, { profile, names }) => {
  // A malformed value the credential source returned is a refused field one level down (see credentials.ts).
  const named = error.cause instanceof AWS4AuthError ? namedFailure(error.cause, names) : undefined;
  const advice =
    profile !== undefined
      ? `check that profile "${profile}" exists in ~/.aws/config or ~/.aws/credentials (or log in to it: aws sso login --profile ${profile})`
      : 'set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (and AWS_SESSION_TOKEN for temporary keys), ' +
        'or pick a profile with --profile NAME or AWS_PROFILE (aws configure / aws sso login create one)';
  return { exitCode: ExitCode.CREDENTIALS, message: `no AWS credentials: ${named?.message ?? providerReason(error)}\n  To fix: ${advice}.`, subject: named?.subject };
};

const unsignableBody: Row = (error) =>
  error instanceof StreamLengthRequiredError
    ? { exitCode: ExitCode.FAILURE, message: "cannot sign a chunked upload to S3 of a body whose length is unknown: give it with -H 'Content-Length: N'" }
    : { exitCode: ExitCode.FAILURE, message: `cannot sign this body: the service needs it hashed, and its bytes are not known before sending.\n  ${BODY_ADVICE}` };

const bodyTooLarge: Row = (error) => {
  const limit = error instanceof BodyTooLargeError ? `${error.limitBytes} bytes` : 'the limit';
  return { exitCode: ExitCode.FAILURE, message: `the body is larger than ${limit}, the most that is read into memory to be hashed for a service other than S3; nothing was sent.\n  ${BODY_ADVICE}` };
};

const cannotInfer: Row = (error) => {
  const missing = error instanceof CannotInferError ? error.missing : 'service';
  const host = error instanceof CannotInferError ? ` from the host "${error.host}"` : '';
  return { exitCode: ExitCode.CANNOT_INFER, message: `cannot tell which AWS ${missing} to sign for${host}: pass --${missing} ${missing === 'service' ? 'NAME' : 'REGION'}`, subject: `--${missing}` };
};

const streamRetry: Row = () => ({
  exitCode: ExitCode.FAILURE,
  message: 'cannot send a streamed body (-T, -d @file, stdin) again after a redirect or retry: the first attempt consumed it; send it to the final URL instead of using -L',
});

/** The library's codes whose failure the CLI words itself; every other code goes by its field (see {@link libraryFailure}). */
const BY_CODE: Readonly<Partial<Record<AWS4AuthErrorCode, Row>>> = {
  ERR_AWS4_CREDENTIALS: credentials,
  ERR_AWS4_CREDENTIALS_TIMEOUT: credentials,
  ERR_AWS4_BODY_TOO_LARGE: bodyTooLarge,
  ERR_AWS4_UNSIGNABLE_BODY: unsignableBody,
  ERR_AWS4_CANNOT_INFER: cannotInfer,
  ERR_AWS4_STREAM_RETRY: streamRetry,
};

/**
 * A library error in the command line's terms.
 *
 * @param error - an error of the library (found by `describeFailure` in got's wrapping)
 * @param context - the `--profile` given and where the region and credentials came from
 * @category CLI
 */
export function libraryFailure(error: AWS4AuthError, context: FailureContext): Failure {
  const row = Object.hasOwn(BY_CODE, error.code) ? BY_CODE[error.code] : undefined;
  if (row !== undefined) return row(error, context);
  return namedFailure(error, context.names) ?? { exitCode: ExitCode.FAILURE, message: error.message };
}
