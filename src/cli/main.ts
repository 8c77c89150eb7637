#!/usr/bin/env node
/**
 * The `got-aws4auth` executable: runs {@link run} with this process's arguments, streams and environment,
 * then exits with its code as soon as stdout and stderr have taken everything written to them.
 *
 * The exit is explicit because something the command no longer waits for may still hold the event loop:
 * a credential provider that timed out keeps its socket to an endpoint that never answers (the SDK offers
 * no way to abort that request), and a CI step must end with exit code 4, not hang until the endpoint
 * closes. Only this entry point exits; `run()` and the library never end the process.
 *
 * @module
 */
import type { Writable } from 'node:stream';
import { run } from './run.js';

// run() reports a broken stdout (EPIPE from `| head`) as exit code 23; a late repeat of that error must not crash.
process.stdout.on('error', () => {});
process.stderr.on('error', () => {});

/** Resolves once everything written to `stream` so far has been handed to the operating system (or the stream broke). */
function flushed(stream: Writable): Promise<void> {
  if (stream.destroyed || stream.writableLength === 0) return Promise.resolve();
  // An empty write's callback runs after every earlier write's, with an error if the stream broke meanwhile.
  return new Promise((resolve) => void stream.write('', () => resolve()));
}

const code = await run(process.argv.slice(2), {
  // process.stdin is opened on first access; only uploads from stdin touch it.
  get stdin() {
    return process.stdin;
  },
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  isTTY: process.stderr.isTTY === true,
});
process.exitCode = code;
await Promise.all([flushed(process.stdout), flushed(process.stderr)]);
process.exit(code);
