/**
 * The upstream's answer, passed back unchanged: status, status text, headers in their order and letter
 * case (less the hop-by-hop ones, which belong to each connection) and the body, streamed.
 *
 * @module
 */
import type { ClientRequest, IncomingMessage, ServerResponse } from 'node:http';

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'proxy-authenticate', 'proxy-authorization', 'te', 'trailer', 'transfer-encoding', 'upgrade']);

/**
 * The raw header list without hop-by-hop headers and those the response's `Connection` names.
 * @category Proxy
 */
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

/**
 * Counts the body bytes relayed, for the access log.
 * @category Proxy
 */
export interface ByteCount {
  bytes: number;
}

/**
 * What to do with the upstream's answer: relay it, send the request again at once, or read a small error body first.
 * @category Proxy
 */
export interface RelayPolicy {
  decide(response: IncomingMessage): 'relay' | 'retry' | 'inspect';
  /** For an inspected body: true to send the request again instead of relaying it. */
  retryFor(body: string): boolean;
}

/** Error bodies up to this size (with a declared length) may be read before deciding. */
const INSPECT_LIMIT = 64 * 1024;

function streamTo(upstreamResponse: IncomingMessage, res: ServerResponse, count: ByteCount, resolve: (outcome: 'relayed') => void, reject: (error: unknown) => void): void {
  res.writeHead(upstreamResponse.statusCode ?? 502, upstreamResponse.statusMessage, endToEndHeaders(upstreamResponse.rawHeaders));
  upstreamResponse.on('data', (piece: Buffer) => {
    count.bytes += piece.length;
  });
  // pipe rather than stream/promises' pipeline, which builds an AbortController and a DOMException
  // per call: a measurable share of a small request's cost in the proxy.
  upstreamResponse.on('error', (error) => {
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
}

/** Reads a small error body, then either asks for a retry or sends it on as it was. */
function inspectThen(upstreamResponse: IncomingMessage, res: ServerResponse, count: ByteCount, policy: RelayPolicy, resolve: (outcome: 'relayed' | 'retry') => void, reject: (error: unknown) => void): void {
  const pieces: Buffer[] = [];
  upstreamResponse.on('data', (piece: Buffer) => pieces.push(piece));
  upstreamResponse.on('error', reject);
  upstreamResponse.once('end', () => {
    const body = Buffer.concat(pieces);
    if (policy.retryFor(body.toString('utf8'))) return resolve('retry');
    res.writeHead(upstreamResponse.statusCode ?? 502, upstreamResponse.statusMessage, endToEndHeaders(upstreamResponse.rawHeaders));
    count.bytes += body.length;
    res.once('close', () => (res.writableFinished ? resolve('relayed') : reject(new Error('the client closed the connection before the response was complete'))));
    res.end(body);
  });
}

/**
 * Waits for the upstream's response and streams it to the client, unless the policy sends the request
 * again (an answer that taught the upstream's clock, or a small error body saying the credentials expired):
 * that answer is then discarded.
 *
 * @returns a promise settled when the response has been relayed (`relayed`), turned down (`retry`), or failed
 * @category Proxy
 */
export function relayResponse(upstream: ClientRequest, res: ServerResponse, count: ByteCount, policy: RelayPolicy): Promise<'relayed' | 'retry'> {
  return new Promise((resolve, reject) => {
    // Every error of the upstream request is handled: one after the exchange settled changes nothing.
    upstream.on('error', reject);
    upstream.once('response', (upstreamResponse: IncomingMessage) => {
      let decision = policy.decide(upstreamResponse);
      const length = Number(upstreamResponse.headers['content-length'] ?? Number.NaN);
      if (decision === 'inspect' && !(length <= INSPECT_LIMIT)) decision = 'relay';
      if (decision === 'retry') {
        upstreamResponse.resume();
        resolve('retry');
      } else if (decision === 'inspect') inspectThen(upstreamResponse, res, count, policy, resolve, reject);
      else streamTo(upstreamResponse, res, count, resolve, reject);
    });
  });
}
