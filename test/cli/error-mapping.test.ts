/**
 * The CLI maps a library error to its exit code and to the name it reports from the error's `code` and
 * `field` alone: whatever the library's message says, the outcome is the same. Bounded here; set
 * CLI_ERROR_MAPPING_RUNS to run the properties at scale.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { AWS4AuthError, InvalidInputError, type AWS4AuthErrorCode } from '../../src/signer/errors.js';
import { CredentialsError } from '../../src/credentials/index.js';
import { BodyTooLargeError, CannotInferError, StreamLengthRequiredError, UnsignableBodyError } from '../../src/got/errors.js';
import { describeFailure, type FailureContext } from '../../src/cli/failure.js';
import { ExitCode } from '../../src/cli/exit-codes.js';
import { cliNames } from '../../src/cli/option-names.js';

const RUNS = Number(process.env.CLI_ERROR_MAPPING_RUNS ?? 300);

const ALL_CODES: readonly AWS4AuthErrorCode[] = [
  'ERR_AWS4_INVALID_INPUT', 'ERR_AWS4_INVALID_URL', 'ERR_AWS4_INVALID_HEADER', 'ERR_AWS4_INVALID_CREDENTIALS', 'ERR_AWS4_INVALID_DATE',
  'ERR_AWS4_INVALID_EXPIRY', 'ERR_AWS4_DATE_FORMAT', 'ERR_AWS4_DATE_MISMATCH', 'ERR_AWS4_NO_SECRET_KEY', 'ERR_AWS4_CREDENTIALS',
  'ERR_AWS4_CREDENTIALS_TIMEOUT', 'ERR_AWS4_BODY_TOO_LARGE', 'ERR_AWS4_UNSIGNABLE_BODY', 'ERR_AWS4_CANNOT_INFER', 'ERR_AWS4_STREAM_RETRY',
];

const FIELDS = [
  'options.region', 'aws4Hooks options.region', 'options.service', 'aws4Hooks options.service', 'options.expiresIn', 'options.payloadHash',
  'aws4Hooks options.payloadHash', 'credentials.accessKeyId', 'options.credentials.secretAccessKey', 'sessionToken', 'request.method',
  'request.url', 'request.headers["x-a"]', 'request.headers["content-length"]', 'request.headers', 'options.clock', 'options.regionSet', 'x-amz-date',
];

const field = fc.oneof(fc.constantFrom(...FIELDS), fc.string(), fc.stringMatching(/^[a-z-]{1,12}$/).map((name) => `request.headers["${name}"]`));

const context = fc
  .record({
    profile: fc.option(fc.constantFrom('dev', 'cli'), { nil: undefined }),
    regionFrom: fc.option(fc.constantFrom('--region', 'AWS_REGION', 'the host name', 'the region of profile "dev"'), { nil: undefined }),
    envKeys: fc.boolean(),
  })
  .map(({ profile, regionFrom, envKeys }): FailureContext => ({
    profile,
    names: cliNames(profile, regionFrom, envKeys ? { AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE', AWS_SECRET_ACCESS_KEY: 'x' } : {}),
  }));

/** An error as the library makes it, then reworded. */
function reworded<E extends Error>(error: E, message: string): E {
  error.message = message;
  return error;
}

/** How got hands the library's error over: a RequestError whose `cause` it is and whose `code` is copied from it. */
function throughGot(error: AWS4AuthError): Error {
  return Object.assign(new Error(`got: ${error.message}`, { cause: error }), { code: error.code, name: 'RequestError' });
}

const refused = fc.record({ code: fc.constantFrom(...ALL_CODES), field, first: fc.string(), second: fc.string(), wrapped: fc.boolean() });

describe('the CLI maps library errors by code and field, never by message', () => {
  it('rewording a refused value\'s message changes neither the exit code nor the name reported, and the message names it', () => {
    fc.assert(
      fc.property(refused, context, ({ code, field: name, first, second, wrapped }, ctx) => {
        const make = (message: string): unknown => {
          const error = reworded(new InvalidInputError(name, 'is refused', code), message);
          return wrapped ? throughGot(error) : error;
        };
        const [a, b] = [describeFailure(make(first), ctx), describeFailure(make(second), ctx)];
        expect([b.exitCode, b.subject]).toEqual([a.exitCode, a.subject]);
        if (a.subject !== undefined) expect(a.message).toContain(a.subject);
      }),
      { numRuns: RUNS },
    );
  });

  it('rewording a credential failure, or the refused field under it, changes neither the exit code (4) nor the name reported', () => {
    fc.assert(
      fc.property(fc.constantFrom('credentials.accessKeyId', 'credentials.sessionToken', 'options.clock'), fc.string(), fc.string(), fc.string(), context, (name, outer, inner, other, ctx) => {
        const make = (outerMessage: string, innerMessage: string) =>
          new CredentialsError(outerMessage, { cause: reworded(new InvalidInputError(name, 'is refused', 'ERR_AWS4_INVALID_CREDENTIALS'), innerMessage) });
        const [a, b] = [describeFailure(make(outer, inner), ctx), describeFailure(make(other, other), ctx)];
        expect([a.exitCode, b.exitCode]).toEqual([ExitCode.CREDENTIALS, ExitCode.CREDENTIALS]);
        expect(b.subject).toBe(a.subject);
      }),
      { numRuns: RUNS },
    );
  });

  it('every library code without a field gets one exit code whatever its message says', () => {
    fc.assert(
      fc.property(fc.constantFrom(...ALL_CODES), fc.string(), fc.string(), context, (code, first, second, ctx) => {
        const [a, b] = [describeFailure(new AWS4AuthError(code, first), ctx), describeFailure(new AWS4AuthError(code, second), ctx)];
        expect([b.exitCode, b.subject]).toEqual([a.exitCode, a.subject]);
      }),
      { numRuns: RUNS },
    );
  });
});

describe('the mapping table', () => {
  const fromFlags = { profile: undefined, names: cliNames(undefined, '--region', { AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE', AWS_SECRET_ACCESS_KEY: 'x' }) };
  const fromConfig = { profile: 'dev', names: cliNames('dev', 'the region of profile "dev"', {}) };

  it.each([
    ['aws4Hooks options.region', fromFlags, ExitCode.USAGE, '--region'],
    ['options.region', fromConfig, ExitCode.FAILURE, 'the region of profile "dev"'],
    ['aws4Hooks options.service', fromFlags, ExitCode.USAGE, '--service'],
    ['options.expiresIn', fromFlags, ExitCode.USAGE, '--expires'],
    ['options.payloadHash', fromFlags, ExitCode.USAGE, '--unsigned-payload'],
    ['request.headers["x-note"]', fromFlags, ExitCode.USAGE, 'the -H header "x-note"'],
    ['request.method', fromFlags, ExitCode.USAGE, '-X'],
    ['request.url', fromFlags, ExitCode.URL_MALFORMED, 'the URL'],
    ['credentials.accessKeyId', fromFlags, ExitCode.CREDENTIALS, 'AWS_ACCESS_KEY_ID'],
    ['options.credentials.sessionToken', fromConfig, ExitCode.CREDENTIALS, 'the session token of profile "dev"'],
    ['options.clock', fromFlags, ExitCode.FAILURE, undefined],
  ] as const)('%s (%#) exits %i naming %s', (name, ctx, exitCode, subject) => {
    const failure = describeFailure(new InvalidInputError(name, 'must be something else'), ctx);
    expect([failure.exitCode, failure.subject]).toEqual([exitCode, subject]);
    expect(failure.message).toBe(subject === undefined ? `${name} must be something else` : `${subject} must be something else`);
  });

  it.each([
    [new BodyTooLargeError(1024), ExitCode.FAILURE, 'the body is larger than 1024 bytes'],
    [new UnsignableBodyError('a piped body'), ExitCode.FAILURE, 'pass --unsigned-payload'],
    [new StreamLengthRequiredError(), ExitCode.FAILURE, "-H 'Content-Length: N'"],
    [new CannotInferError('region', 'example.com'), ExitCode.CANNOT_INFER, 'pass --region REGION'],
    [new CredentialsError('Could not load credentials from any providers'), ExitCode.CREDENTIALS, 'no AWS credentials: Could not load credentials from any providers'],
  ])('%s is worded for the command line', (error, exitCode, says) => {
    const failure = describeFailure(error, fromFlags);
    expect(failure.exitCode).toBe(exitCode);
    expect(failure.message).toContain(says);
    expect(failure.message).not.toMatch(/maxBufferedBodyBytes|payloadHash|streamingPayload|aws4Hooks/);
  });
});
