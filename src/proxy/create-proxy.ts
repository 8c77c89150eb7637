/**
 * `createSigningProxy`: the library face of the proxy.
 *
 * @module
 */
import type { IncomingMessage, Server } from 'node:http';
import { nodeHttp } from './node-http.js';
import type { Duplex } from 'node:stream';
import { resolveProxyOptions } from './options.js';
import { handleRequest, type ProxyState } from './handler.js';
import { createAgents } from './send-upstream.js';
import { UpstreamSigner } from './upstream-signer.js';
import { createClientVerifier } from './client-auth.js';
import { guardListen } from './listen-guard.js';
import { ProxyRefusal, newRequestId, refusalXml } from './refusal.js';
import type { SigningProxyOptions } from './types.js';
import { ByteBudget } from './byte-budget.js';

const HEADERS_TIMEOUT_MS = 60_000;

const CONNECT_REFUSAL = new ProxyRefusal(
  405,
  'MethodNotAllowed',
  'CONNECT is refused: this proxy signs requests for its configured upstreams only and never opens tunnels to other hosts. Point the client\'s endpoint at the proxy instead of using it as an HTTP proxy.',
);

function refuseConnect(_req: IncomingMessage, socket: Duplex): void {
  const body = refusalXml(CONNECT_REFUSAL, '', newRequestId());
  socket.end(`HTTP/1.1 405 Method Not Allowed\r\ncontent-type: application/xml\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`);
}

/**
 * Creates a re-signing SigV4 proxy: an `http.Server` that forwards each request to one of the configured
 * upstreams, signed with the real credentials. Unsigned requests are signed; SigV4-signed ones (header,
 * presigned query, aws-chunked bodies) have the client's signature removed and are re-signed; with
 * `clientKeys`, a request must be validly signed by one of them first. Only the configured upstreams are
 * ever contacted; CONNECT is refused. Without client keys it serves on loopback only unless `allowRemote`.
 * Call `listen` on it; close it with {@link closeSigningProxy}.
 *
 * @param options - upstreams (required), credentials, client keys and the rest; see {@link SigningProxyOptions}
 * @returns the server, not yet listening
 * @throws {@link InvalidInputError} (or `InvalidCredentialsError`) for bad options, naming the field
 *
 * @example
 * ```ts
 * import { createSigningProxy } from 'got-aws4auth';
 * const proxy = createSigningProxy({
 *   upstreams: [{ url: 'http://127.0.0.1:7480', service: 's3', region: 'us-east-1' }],
 *   credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' },
 * });
 * proxy.listen(8080, '127.0.0.1', () => console.log('signing proxy on http://127.0.0.1:8080'));
 * ```
 * @category Proxy
 */
export function createSigningProxy(options: SigningProxyOptions): Server {
  const resolved = resolveProxyOptions(options);
  const client = createClientVerifier(resolved);
  const state: ProxyState = {
    options: resolved,
    signer: new UpstreamSigner(resolved.credentials, resolved.clock, resolved.upstreams.length),
    agents: createAgents(),
    verify: client?.verify,
    precheck: client?.precheck,
    unverified: new ByteBudget(resolved.maxUnverifiedBytes),
  };
  // Long uploads are bounded by their own progress (bodyIdleTimeoutMs for a body read into memory, the
  // upstream's backpressure otherwise), not by a total time: Node's 5-minute default would cut a large one.
  // The head of a request must arrive within a minute (Node's default, stated so it cannot drift).
  const server = nodeHttp().createServer({ requestTimeout: 0, headersTimeout: HEADERS_TIMEOUT_MS }, (req, res) => handleRequest(state, req, res));
  // Answered by the handler, which sends 100 Continue only once the request is accepted.
  server.on('checkContinue', (req, res) => handleRequest(state, req, res));
  server.on('connect', refuseConnect);
  if (resolved.clientKeys === undefined && !resolved.allowRemote) guardListen(server);
  server.on('close', () => {
    state.agents.http.destroy();
    state.agents.https.destroy();
  });
  return server;
}
