/**
 * The upstream's answer, passed back unchanged: status, status text, headers in their order and letter
 * case (less the hop-by-hop ones, which belong to each connection) and the body, streamed.
 *
 * @module
 */
import type { ClientRequest, IncomingMessage, ServerResponse } from 'node:http';

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'proxy-authenticate', 'proxy-authorization', 'te', 'trailer', 'transfer-encoding', 'upgrade']);

/** The raw header list without hop-by-hop headers and those the response's `Connection` names. */
export function endToEndHeaders(rawHeaders: readonly string[]): string[] {
  let perHop: Set<string> | undefined;
  for (let i = 0; i < rawHeaders.length; i += 2) {
    if (rawHeaders[i]!.toLowerCase() === 'connection') {
      perHop ??= new Set();
      for (const token of rawHeaders[i + 1]!.split(',')) perHop.add(token.trim().toLowerCase());
    }
  }
  const out: string[] = [];
  for (let i = 0; i < rawHeaders.length; i += 2) {
    const lower = rawHeaders[i]!.toLowerCase();
    if (HOP_BY_HOP.has(lower) || perHop?.has(lower) === true) continue;
    out.push(rawHeaders[i]!, rawHeaders[i + 1]!);
  }
  return out;
}

/** Counts the body bytes relayed, for the access log. */
export interface ByteCount {
  bytes: number;
}

/**
 * Waits for the upstream's response and streams it to the client, unless `accept` turns it down (the
 * request is then sent again, e.g. once the upstream's clock is known): its body is discarded.
 *
 * @returns a promise settled when the response has been relayed (`relayed`), turned down (`retry`), or failed
 */
export function relayResponse(upstream: ClientRequest, res: ServerResponse, count: ByteCount, accept: (response: IncomingMessage) => boolean): Promise<'relayed' | 'retry'> {
  return new Promise((resolve, reject) => {
    upstream.once('error', reject);
    upstream.once('response', (upstreamResponse: IncomingMessage) => {
      if (!accept(upstreamResponse)) {
        upstreamResponse.resume();
        return resolve('retry');
      }
      res.writeHead(upstreamResponse.statusCode ?? 502, upstreamResponse.statusMessage, endToEndHeaders(upstreamResponse.rawHeaders));
      upstreamResponse.on('data', (piece: Buffer) => {
        count.bytes += piece.length;
      });
      // pipe rather than stream/promises' pipeline, which builds an AbortController and a DOMException
      // per call: a measurable share of a small request's cost in the proxy.
      upstreamResponse.once('error', (error) => {
        res.destroy(error);
        reject(error);
      });
      res.once('finish', () => resolve('relayed'));
      res.once('close', () => {
        if (res.writableFinished) return;
        upstreamResponse.destroy();
        reject(new Error('the client closed the connection before the response was complete'));
      });
      upstreamResponse.pipe(res);
    });
  });
}
