/**
 * Chunk digests passed from the verifying decoder to the re-signing encoder, so a signed upload through
 * the proxy hashes each byte once: the decoder must hash every chunk to check the client's chunk
 * signature, and the encoder would hash it again to sign its own. The decoder records each verified
 * chunk's decoded offset, length and SHA-256; the encoder asks for the digest of the chunk it is about to
 * sign and gets one only when its chunk is exactly an inbound chunk (same offset and length; with the
 * default 64 KiB on both sides, every chunk but none of a client that cuts differently). Both count decoded
 * bytes from the start of the same stream, and the decoder records a chunk before passing its bytes on, so
 * the digest is always there when the encoder needs it. Entries the encoder has passed are dropped:
 * memory stays at a few entries.
 *
 * @module
 */

interface Entry {
  readonly offset: number;
  readonly length: number;
  readonly sha256: string;
}

/**
 * The shared queue of verified chunk digests for one request.
 * @category Proxy
 */
export class ChunkDigestRelay {
  #entries: Entry[] = [];
  #head = 0;

  /** The decoder's side (`onChunkDigest`). */
  record(offset: number, length: number, sha256: string): void {
    this.#entries.push({ offset, length, sha256 });
  }

  /** The encoder's side (`chunkDigest`): the digest of exactly this span, if a verified chunk was it. */
  digestOf(offset: number, length: number): string | undefined {
    const entries = this.#entries;
    while (this.#head < entries.length && entries[this.#head]!.offset < offset) this.#head++;
    if (this.#head > 64) {
      this.#entries = entries.slice(this.#head);
      this.#head = 0;
    }
    const entry = this.#entries[this.#head];
    return entry !== undefined && entry.offset === offset && entry.length === length ? entry.sha256 : undefined;
  }
}
