/**
 * A body whose length is unknown (stdin, a pipe) copied to a temporary file, so that it can be sent with
 * its length: S3's signed chunked upload signs the length before the first byte, and S3 refuses a body
 * without one. The copy runs chunk by chunk with backpressure, so memory stays bounded whatever the size.
 *
 * The file is created in `os.tmpdir()` with mode 0600 and a name no one can have planted (`wx`: a link
 * there fails the open instead of being followed), and is unlinked as soon as it is open: the open handle
 * is all the CLI needs, and nothing is left behind however the process ends, even on a kill. Where an
 * open file cannot be unlinked (Windows), it is removed when the handle is released.
 *
 * @module
 */
import { randomBytes } from 'node:crypto';
import { open, rm, type FileHandle } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { addAbortSignal, type Readable } from 'node:stream';
import { CliError } from './cli-error.js';
import { ExitCode } from './exit-codes.js';

/**
 * A spooled body: an open, readable handle on the copy, and its size.
 * @category CLI
 */
export interface SpooledBody {
  /** The handle to read the copy from, from position 0. */
  readonly handle: FileHandle;
  /** The number of bytes copied. */
  readonly size: number;
  /** Closes the handle and removes the file if it is still there; safe to call more than once. */
  readonly release: () => Promise<void>;
}

function codeOf(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : error instanceof Error ? error.message : String(error);
}

/**
 * Copies `input` to a fresh temporary file.
 *
 * @param input - the stream to copy, read to its end
 * @param what - how messages name the input: `stdin`, or a file name in quotes
 * @param signal - stops the copy (`--max-time` ran out): `input` is destroyed and the file removed
 * @throws {@link CliError} with {@link ExitCode.READ_ERROR} when reading `input` fails, or
 * {@link ExitCode.FAILURE} when the temporary file cannot be written; the file is gone either way
 * @category CLI
 */
export async function spoolToTemporaryFile(input: Readable, what: string, signal?: AbortSignal): Promise<SpooledBody> {
  const path = join(tmpdir(), `got-aws4auth-body-${randomBytes(8).toString('hex')}`);
  let handle: FileHandle;
  try {
    handle = await open(path, 'wx+', 0o600);
  } catch (error) {
    throw new CliError(ExitCode.FAILURE, `cannot create a temporary file for ${what} in ${tmpdir()}: ${codeOf(error)} (set TMPDIR to a writable folder)`, { cause: error });
  }
  let linked = true;
  try {
    await rm(path);
    linked = false;
  } catch {
    // Windows: the file is removed on release instead.
  }
  let released = false;
  const release = async (): Promise<void> => {
    if (released) return;
    released = true;
    await handle.close().catch(() => {});
    if (linked) await rm(path, { force: true }).catch(() => {});
  };

  let size = 0;
  try {
    // Destroying the input ends the loop below with an error, so the copy is released like any failed read.
    if (signal !== undefined) addAbortSignal(signal, input);
    for await (const chunk of input) {
      const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Uint8Array);
      try {
        // A write may take only part of the chunk.
        for (let offset = 0; offset < bytes.byteLength; ) offset += (await handle.write(bytes, offset)).bytesWritten;
      } catch (error) {
        throw new CliError(ExitCode.FAILURE, `cannot copy ${what} to a temporary file in ${tmpdir()}: ${codeOf(error)} (set TMPDIR to a folder with room for it)`, { cause: error });
      }
      size += bytes.byteLength;
    }
  } catch (error) {
    await release();
    if (error instanceof CliError) throw error;
    throw new CliError(ExitCode.READ_ERROR, `reading ${what} failed: ${codeOf(error)}`, { cause: error });
  }
  return { handle, size, release };
}
