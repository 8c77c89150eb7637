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

async function* flowingPieces(stream: Readable): AsyncGenerator<unknown, void, undefined> {
  const waiting: unknown[] = [];
  let ended = false;
  let failure: { error: unknown } | undefined;
  let wake: (() => void) | undefined;
  const notify = (): void => {
    const resolve = wake;
    wake = undefined;
    resolve?.();
  };
  const onData = (piece: unknown): void => {
    waiting.push(piece);
    stream.pause();
    notify();
  };
  const onEnd = (): void => {
    ended = true;
    notify();
  };
  const onError = (error: unknown): void => {
    failure ??= { error };
    notify();
  };
  const onClose = (): void => {
    if (!ended) failure ??= { error: stream.errored ?? prematureClose() };
    notify();
  };
  stream.on('data', onData);
  stream.on('end', onEnd);
  stream.on('error', onError);
  stream.on('close', onClose);
  try {
    stream.resume();
    for (;;) {
      if (waiting.length > 0) {
        const piece = waiting.shift();
        // Read the next piece while this one is being used, as for await does.
        if (waiting.length === 0 && !ended) stream.resume();
        yield piece;
        continue;
      }
      if (failure !== undefined) throw failure.error;
      if (ended) return;
      await new Promise<void>((resolve) => {
        wake = resolve;
      });
    }
  } finally {
    stream.off('data', onData);
    stream.off('end', onEnd);
    stream.off('error', onError);
    stream.off('close', onClose);
    // A consumer that stops early (an error, a body longer than announced) releases the stream, as for await does.
    if (!ended && !stream.destroyed) stream.destroy();
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
