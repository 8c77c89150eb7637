import { PassThrough, Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { piecesOf } from '../../src/signer/stream-pieces.js';

async function collect(source: AsyncIterable<unknown> | Iterable<unknown>): Promise<unknown[]> {
  const pieces: unknown[] = [];
  for await (const piece of source) pieces.push(piece);
  return pieces;
}

/** A byte stream that pushes `count` pieces of `size` bytes, two at a time, so two are always buffered. */
function burstyStream(count: number, size: number): { stream: Readable; pushed: Buffer[] } {
  const pushed = Array.from({ length: count }, (_, i) => Buffer.alloc(size, i));
  let next = 0;
  const stream = new Readable({
    highWaterMark: size,
    read() {
      for (let k = 0; k < 2 && next < count; k++) this.push(pushed[next++]);
      if (next === count) this.push(null);
    },
  });
  return { stream, pushed };
}

describe('reading a body piece by piece', () => {
  it('yields each piece of a Readable as it was pushed, the same Buffer, never joined into a copy', async () => {
    const { stream, pushed } = burstyStream(20, 1024);
    const pieces = (await collect(piecesOf(stream))) as Buffer[];
    expect(pieces).toHaveLength(20);
    pieces.forEach((piece, i) => expect(piece).toBe(pushed[i]));
  });

  // Node 26 changed the async iterator to hand out buffered pieces one by one; on 22 and 24 it joins them.
  const nodeMajor = Number(process.versions.node.split('.')[0]);
  it.runIf(nodeMajor < 26)('for await over the same stream would join them on Node 22 and 24 (why piecesOf exists)', async () => {
    const { stream } = burstyStream(20, 1024);
    const pieces = (await collect(stream)) as Buffer[];
    expect(pieces.some((piece) => piece.length > 1024)).toBe(true);
  });

  it("delivers the pieces before a stream's error, then throws that error", async () => {
    const stream = new PassThrough();
    stream.write('a');
    stream.write('b');
    const seen: string[] = [];
    const reading = (async () => {
      for await (const piece of piecesOf(stream)) seen.push(String(piece));
    })();
    setImmediate(() => stream.destroy(new Error('disk gone')));
    await expect(reading).rejects.toThrow('disk gone');
    expect(seen.join('')).toBe('ab');
  });

  it('throws a premature close when the stream is destroyed without an error or an end', async () => {
    const stream = new PassThrough();
    const reading = collect(piecesOf(stream));
    setImmediate(() => stream.destroy());
    await expect(reading).rejects.toMatchObject({ code: 'ERR_STREAM_PREMATURE_CLOSE' });
  });

  it('destroys the stream when the consumer stops early, as for await does', async () => {
    const { stream } = burstyStream(20, 16);
    for await (const piece of piecesOf(stream)) {
      expect(piece).toBeInstanceOf(Buffer);
      break;
    }
    expect(stream.destroyed).toBe(true);
  });

  it('reads a stream its owner had paused', async () => {
    const stream = Readable.from([Buffer.from('x'), Buffer.from('y')], { objectMode: false });
    stream.pause();
    expect(Buffer.concat((await collect(piecesOf(stream))) as Buffer[]).toString()).toBe('xy');
  });

  it('passes object-mode streams, async iterables and arrays through unchanged', () => {
    const objects = Readable.from(['a', 'b']);
    const iterable = (async function* () { yield 'a'; })();
    const array = ['a'];
    expect(piecesOf(objects)).toBe(objects);
    expect(piecesOf(iterable)).toBe(iterable);
    expect(piecesOf(array)).toBe(array);
  });
});
