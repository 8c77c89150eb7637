/**
 * Opens the request body the command line names: text as a string, a file as a read stream (never read
 * into memory here; the plugin buffers it only for services that need the payload hashed), stdin as it is.
 * A file's size is sent as `content-length`, so even S3, which refuses chunked uploads without it, takes it.
 * When the length must be known (S3) and the source cannot tell it (stdin, a pipe), the body is spooled to
 * a temporary file first (`spool.ts`) and sent from there with its size.
 *
 * @module
 */
import { open as openFd } from 'node:fs';
import { open, stat, type FileHandle } from 'node:fs/promises';
import { Socket } from 'node:net';
import type { Readable } from 'node:stream';
import type { DataSource } from './args.js';
import { CliError } from './cli-error.js';
import { ExitCode } from './exit-codes.js';
import { spoolToTemporaryFile } from './spool.js';

/**
 * A body ready to hand to got.
 * @category CLI
 */
export interface OpenedBody {
  /** What got sends: a string, a stream, or nothing. */
  readonly body: string | Readable | undefined;
  /** The body's size in bytes when known up front. */
  readonly contentLength: number | undefined;
  /** Whether reading the body failed (the file went away, an I/O error). */
  readonly readFailed: () => boolean;
  /** Releases the file, if one was opened and not read to the end, and removes a spooled copy. */
  readonly close: () => Promise<void>;
}

const NOTHING: OpenedBody = { body: undefined, contentLength: undefined, readFailed: () => false, close: async () => {} };

function describe(error: unknown): string {
  const code = (error as { code?: unknown }).code;
  return code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : typeof code === 'string' ? code : String(error);
}

/** The body read from an open file, from its start; `release` runs once the stream is closed. */
function fromHandle(handle: FileHandle, size: number | undefined, release: () => Promise<void>): OpenedBody {
  const stream = handle.createReadStream({ start: 0 });
  return {
    body: stream,
    contentLength: size,
    readFailed: () => stream.errored !== null,
    close: async () => {
      if (!stream.closed) {
        // Wait for the handle to close: Windows cannot remove a spooled file that is still open.
        const closed = new Promise<void>((resolve) => stream.once('close', () => resolve()));
        stream.destroy();
        await closed;
      }
      await release();
    },
  };
}

/**
 * A named pipe read through the event loop, as stdin is: a read through the thread pool blocks a worker
 * thread until the producer writes, and that thread holds the process's exit after `--max-time`.
 */
function openPipe(path: string): Promise<Readable> {
  return new Promise((resolve, reject) => {
    openFd(path, 'r', (error, fd) => (error === null ? resolve(new Socket({ fd, readable: true, writable: false })) : reject(error)));
  });
}

/** Whether the path names a pipe (`-d @<(command)`, `-T /dev/stdin` on a pipe, a FIFO); an error is left to `open` to report. */
async function isNamedPipe(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFIFO();
  } catch {
    return false;
  }
}

/** The body read from a named pipe (`-d @<(command)`, `-T /dev/stdin`), spooled first when its length is needed. */
async function fromPipe(path: string, needsLength: boolean, signal: AbortSignal | undefined): Promise<OpenedBody> {
  let pipe: Readable;
  try {
    pipe = await openPipe(path);
  } catch (error) {
    throw new CliError(ExitCode.READ_ERROR, `cannot read ${JSON.stringify(path)}: ${describe(error)}`, { cause: error });
  }
  if (!needsLength) return { body: pipe, contentLength: undefined, readFailed: () => pipe.errored !== null, close: async () => void pipe.destroy() };
  try {
    const spooled = await spoolToTemporaryFile(pipe, JSON.stringify(path), signal);
    return fromHandle(spooled.handle, spooled.size, spooled.release);
  } finally {
    pipe.destroy();
  }
}

/**
 * Opens a body.
 *
 * @param source - where the bytes come from, or undefined for no body
 * @param stdin - the standard input, for `@-` and `-T -`
 * @param needsLength - whether a body of unknown length must be spooled to learn it (uploads to S3)
 * @param signal - stops spooling (`--max-time` ran out; see `deadline.ts`)
 * @throws {@link CliError} with {@link ExitCode.READ_ERROR} when a file cannot be opened, or stdin or a pipe
 * cannot be read while spooling
 * @category CLI
 */
export async function openBody(source: DataSource | undefined, stdin: Readable, needsLength: boolean, signal?: AbortSignal): Promise<OpenedBody> {
  if (source === undefined) return NOTHING;
  if (source.kind === 'text') return { ...NOTHING, body: source.text, contentLength: Buffer.byteLength(source.text) };
  if (source.kind === 'stdin') {
    if (!needsLength) return { ...NOTHING, body: stdin, readFailed: () => stdin.errored !== null && stdin.errored !== undefined };
    const spooled = await spoolToTemporaryFile(stdin, 'stdin', signal);
    return fromHandle(spooled.handle, spooled.size, spooled.release);
  }

  // A named pipe is looked at before it is opened: opening it, closing it and opening it again would leave its
  // writer, for a moment, with no reader (EPIPE).
  if (await isNamedPipe(source.path)) return await fromPipe(source.path, needsLength, signal);
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
  // The read stream closes the file itself, at its end or when destroyed.
  if (stats.isFile() || !needsLength) return fromHandle(handle, stats.isFile() ? stats.size : undefined, async () => {});
  // A pipe or device (-T /dev/stdin, -d @<(command)): its length is known only once it is read.
  try {
    const spooled = await spoolToTemporaryFile(handle.createReadStream({ autoClose: false }), JSON.stringify(source.path), signal);
    return fromHandle(spooled.handle, spooled.size, spooled.release);
  } finally {
    await handle.close();
  }
}
