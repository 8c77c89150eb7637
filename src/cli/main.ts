#!/usr/bin/env node
/**
 * The `got-aws4auth` executable: runs {@link run} with this process's arguments, streams and environment,
 * and sets the exit code (without `process.exit`, so stdout drains first).
 *
 * @module
 */
import { run } from './run.js';

// run() reports a broken stdout (EPIPE from `| head`) as exit code 23; a late repeat of that error must not crash.
process.stdout.on('error', () => {});

process.exitCode = await run(process.argv.slice(2), {
  // process.stdin is opened on first access; only uploads from stdin touch it.
  get stdin() {
    return process.stdin;
  },
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  isTTY: process.stderr.isTTY === true,
});
