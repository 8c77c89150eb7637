/**
 * Opens the request body the command line names: text as a string, a file as a read stream (never read
 * into memory here; the plugin buffers it only for services that need the payload hashed), stdin as it is.
 * A file's size is sent as `content-length`, so even S3, which refuses chunked uploads without it, takes it.
 *
 * @module
 */
import { open } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import type { DataSource } from './args.js';
import { CliError } from './cli-error.js';
import { ExitCode } from './exit-codes.js';

/** A body ready to hand to got. */
export interface OpenedBody {
  /** What got sends: a string, a stream, or nothing. */
  readonly body: string | Readable | undefined;
  /** The body's size in bytes when known up front. */
  readonly contentLength: number | undefined;
  /** Whether reading the body failed (the file went away, an I/O error). */
  readonly readFailed: () => boolean;
  /** Releases the file, if one was opened and not read to the end. */
  readonly close: () => void;
}

const NOTHING: OpenedBody = { body: undefined, contentLength: undefined, readFailed: () => false, close: () => {} };

function describe(error: unknown): string {
  const code = (error as { code?: unknown }).code;
  return code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : typeof code === 'string' ? code : String(error);
}

/**
 * Opens a body.
 *
 * @param source - where the bytes come from, or undefined for no body
 * @param stdin - the standard input, for `@-` and `-T -`
 * @throws {@link CliError} with {@link ExitCode.READ_ERROR} when a file cannot be opened
 */
export async function openBody(source: DataSource | undefined, stdin: Readable): Promise<OpenedBody> {
  if (source === undefined) return NOTHING;
  if (source.kind === 'text') return { ...NOTHING, body: source.text, contentLength: Buffer.byteLength(source.text) };
  if (source.kind === 'stdin') return { ...NOTHING, body: stdin, readFailed: () => stdin.errored !== null && stdin.errored !== undefined };

  let handle;
  try {
    handle = await open(source.path, 'r');
  } catch (error) {
    throw new CliError(ExitCode.READ_ERROR, `cannot read ${JSON.stringify(source.path)}: ${describe(error)}`, { cause: error });
  }
  const stats = await handle.stat();
  if (stats.isDirectory()) {
    await handle.close();
    throw new CliError(ExitCode.READ_ERROR, `cannot read ${JSON.stringify(source.path)}: it is a directory`);
  }
  const stream = handle.createReadStream();
  return {
    body: stream,
    contentLength: stats.isFile() ? stats.size : undefined,
    readFailed: () => stream.errored !== null,
    close: () => {
      if (!stream.destroyed) stream.destroy();
    },
  };
}
