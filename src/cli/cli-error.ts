/**
 * The one error the CLI's own modules throw: a message for the terminal and the exit code that goes with
 * it. `run` prints the message on stderr, prefixed with the program name, and returns the code.
 *
 * @module
 */
import type { ExitCode } from './exit-codes.js';

/**
 * A failure the CLI has already put into words; `message` never holds a secret.
 * @category Errors
 */
export class CliError extends Error {
  /** The process exit code for this failure. */
  readonly exitCode: ExitCode;

  constructor(exitCode: ExitCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'CliError';
    this.exitCode = exitCode;
  }
}
