/**
 * Reading a Node `Readable` piece by piece as it was pushed. `for await` over a Readable reads it in paused
 * mode with `read()`, which hands over everything buffered at once, joined into a new Buffer whenever more
 * than one piece is waiting: measured on a 1 GiB upload, every byte was copied once more that way and the
 * garbage it left decided the process's peak memory. In flowing mode a Readable emits each piece as it is,
 * so the stream is read through `data` events, paused while a piece waits to be taken.
 *
 * @module
 */
import { Readable } from 'node:stream';

function prematureClose(): Error {
  return Object.assign(new Error('Premature close'), { code: 'ERR_STREAM_PREMATURE_CLOSE' });
}

/** What the listeners have seen so far, and a way to wait for more. */
interface Flow {
  readonly waiting: unknown[];
  ended: boolean;
  failure: { error: unknown } | undefined;
  /** Resolves at the stream's next event. */
  next(): Promise<void>;
  /** Removes the listeners. */
  stop(): void;
}

/** Listens to a stream's events, pausing it at each piece until that piece is taken. */
function follow(stream: Readable): Flow {
  let wake: (() => void) | undefined;
  const notify = (): void => {
    const resolve = wake;
    wake = undefined;
    resolve?.();
  };
  const flow: Flow = {
    waiting: [],
    ended: false,
    failure: undefined,
    next: () => new Promise<void>((resolve) => { wake = resolve; }),
    stop: () => {
      stream.off('data', onData);
      stream.off('end', onEnd);
      stream.off('error', onError);
      stream.off('close', onClose);
    },
  };
  const onData = (piece: unknown): void => {
    flow.waiting.push(piece);
    stream.pause();
    notify();
  };
  const onEnd = (): void => {
    flow.ended = true;
    notify();
  };
  const onError = (error: unknown): void => {
    flow.failure ??= { error };
    notify();
  };
  const onClose = (): void => {
    if (!flow.ended) flow.failure ??= { error: stream.errored ?? prematureClose() };
    notify();
  };
  stream.on('data', onData).on('end', onEnd).on('error', onError).on('close', onClose);
  return flow;
}

async function* flowingPieces(stream: Readable): AsyncGenerator<unknown, void, undefined> {
  const flow = follow(stream);
  try {
    stream.resume();
    for (;;) {
      if (flow.waiting.length > 0) {
        const piece = flow.waiting.shift();
        // Read the next piece while this one is being used, as for await does.
        if (flow.waiting.length === 0 && !flow.ended) stream.resume();
        yield piece;
        continue;
      }
      if (flow.failure !== undefined) throw flow.failure.error;
      if (flow.ended) return;
      await flow.next();
    }
  } finally {
    flow.stop();
    // A consumer that stops early (an error, a body longer than announced) releases the stream, as for await does.
    if (!flow.ended && !stream.destroyed) stream.destroy();
  }
}

/**
 * The pieces of a body: a byte-mode Node Readable read through `data` events (no joining copies), anything
 * else as it iterates.
 *
 * @internal
 */
export function piecesOf<T>(source: AsyncIterable<T> | Iterable<T>): AsyncIterable<T> | Iterable<T> {
  if (!(source instanceof Readable) || source.readableObjectMode || source.destroyed || source.readableEnded) return source;
  return flowingPieces(source) as AsyncIterable<T>;
}
