/**
 * Moving a body to the upstream request: in memory (bounded in size, in idle time, and before verification
 * in the bytes all requests hold together), or streamed so that the upstream request can never complete
 * with a body the client did not fully and validly send. On any failure of the inbound side (a bad chunk, a
 * short body, a closed connection) the upstream request is destroyed, so S3 sees a broken request and
 * stores nothing.
 *
 * @module
 */
import type { ClientRequest } from 'node:http';
import type { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { ProxyRefusal } from './refusal.js';
import type { BudgetRefusal, ByteBudget } from './byte-budget.js';

/**
 * The bounds of one body read into memory.
 * @category Proxy
 */
export interface ReadLimits {
  /** The most bytes of this body. */
  readonly limit: number;
  /** Whether the body declared its length (decides 413 or 411 past the limit). */
  readonly lengthKnown: boolean;
  /** A body that sends nothing for this long is refused with 400 RequestTimeout; 0 waits for ever. */
  readonly idleMs: number;
  /** Shared with other requests' unverified bodies: past it, or past this client's share of it, 503 SlowDown. */
  readonly budget?: ByteBudget | undefined;
  /** The client the bytes are counted against in `budget` (see `clientAddressKey`). */
  readonly client?: string | undefined;
  /** The whole read may take at most this long, however steadily bytes arrive (400 RequestTimeout); 0 or absent: no limit. */
  readonly deadlineMs?: number | undefined;
  /** Leave the source open on failure (the inbound request itself: the refusal must still reach the client). */
  readonly keepSource?: boolean | undefined;
}

function tooLarge(limits: ReadLimits): ProxyRefusal {
  return limits.lengthKnown
    ? new ProxyRefusal(413, 'EntityTooLarge', `The body is larger than the ${limits.limit} bytes the proxy buffers for this service; raise maxBufferedBodyBytes (--max-buffer), or for S3 use --upstream-streaming signed or unsigned.`)
    : new ProxyRefusal(411, 'MissingContentLength', `The body has no declared length and is larger than the ${limits.limit} bytes the proxy buffers; send Content-Length (or x-amz-decoded-content-length) so it can be streamed.`);
}

/**
 * The refusal for a body that stopped arriving (S3's code and status for the same).
 * @category Proxy
 */
export function idleRefusal(idleMs: number): ProxyRefusal {
  return new ProxyRefusal(400, 'RequestTimeout', `Your socket connection to the server was not read from or written to within the timeout period: no body bytes for ${idleMs} ms (bodyIdleTimeoutMs).`);
}

/**
 * The refusal for a body held before verification that took longer than `unverifiedBodyTimeoutMs` in all.
 * @category Proxy
 */
export function deadlineRefusal(deadlineMs: number): ProxyRefusal {
  return new ProxyRefusal(400, 'RequestTimeout', `Your socket connection to the server was not read from or written to within the timeout period: the body took more than ${deadlineMs} ms to arrive before its signature could be checked (unverifiedBodyTimeoutMs); send it faster, or sign x-amz-content-sha256 so it can be streamed.`);
}

function overBudget(bound: BudgetRefusal): ProxyRefusal {
  return bound === 'client'
    ? new ProxyRefusal(503, 'SlowDown', 'This client holds its share (a quarter of maxUnverifiedBytes) of the request bodies the proxy reads before their signatures are checked; retry once its other requests finish.')
    : new ProxyRefusal(503, 'SlowDown', 'The proxy is holding as many request bodies as it may before their signatures are checked (maxUnverifiedBytes); retry the request shortly.');
}

/** Starts the idle timer (refreshed by each piece) and the total deadline (never refreshed). */
function startTimers(limits: ReadLimits, fail: (error: unknown, keep: boolean) => void): { idle?: NodeJS.Timeout; total?: NodeJS.Timeout } {
  const deadline = limits.deadlineMs ?? 0;
  return {
    idle: limits.idleMs > 0 ? setTimeout(() => fail(idleRefusal(limits.idleMs), true), limits.idleMs) : undefined,
    total: deadline > 0 ? setTimeout(() => fail(deadlineRefusal(deadline), true), deadline) : undefined,
  };
}

/**
 * Reads a body into one Buffer within `limits`.
 *
 * @throws {@link ProxyRefusal} 413 (length declared) or 411 (length unknown) past the limit, 400
 *   RequestTimeout when the body stalls or passes its deadline, 503 SlowDown past the shared budget or
 *   this client's share of it; the source's own error
 * @category Proxy
 */
export function readBounded(source: Readable, limits: ReadLimits): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const pieces: Buffer[] = [];
    let total = 0;
    let taken = 0;
    const client = limits.client ?? '';
    // A timed-out body is only paused: destroying it would destroy the inbound request before the refusal
    // reaches the client; the handler then drains it and closes the connection.
    const timers = startTimers(limits, (error, keep) => fail(error, keep));
    const settle = (): void => {
      clearTimeout(timers.idle);
      clearTimeout(timers.total);
      source.off('data', onData).off('end', onEnd).off('error', fail).off('close', onClose);
      limits.budget?.give(taken, client);
    };
    function fail(error: unknown, keep = limits.keepSource === true): void {
      settle();
      if (keep) source.pause();
      else source.destroy();
      reject(error);
    }
    function onData(piece: Buffer): void {
      total += piece.length;
      if (total > limits.limit) return fail(tooLarge(limits));
      if (limits.budget !== undefined) {
        const refused = limits.budget.take(piece.length, client);
        if (refused !== undefined) return fail(overBudget(refused));
        taken += piece.length;
      }
      timers.idle?.refresh();
      pieces.push(piece);
    }
    // A client that leaves mid-body gives back what it held at once, whether or not an error is emitted.
    function onClose(): void {
      fail(new ProxyRefusal(400, 'IncompleteBody', 'The connection closed before the whole body arrived.'));
    }
    function onEnd(): void {
      settle();
      resolve(pieces.length === 1 ? pieces[0]! : Buffer.concat(pieces, total));
    }
    source.on('data', onData).once('end', onEnd).once('error', fail).once('close', onClose);
  });
}

/**
 * Streams `stages` into the upstream request; any failure destroys it (the pipeline does) and rejects.
 * @category Proxy
 */
export async function streamInto(upstream: ClientRequest, source: Readable, ...stages: Transform[]): Promise<void> {
  await pipeline([source, ...stages, upstream]);
}
