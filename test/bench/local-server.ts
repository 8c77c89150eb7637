/**
 * The server the got benches send to: HTTP on 127.0.0.1, keep-alive, reads each body and answers `ok`;
 * with one keep-alive socket, so every request pays got's and Node's work and none pays a TCP handshake.
 *
 * @module
 */
import { Agent, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A running local server and the agent to reach it. */
export interface LocalServer {
  /** `http://127.0.0.1:<port>` */
  readonly origin: string;
  /** A keep-alive agent with one socket. */
  readonly agent: Agent;
  /** Destroys the agent and closes the server. */
  close(): Promise<void>;
}

export async function startLocalServer(): Promise<LocalServer> {
  const server = createServer((request, response) => {
    request.resume();
    request.on('end', () => response.end('ok'));
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    agent,
    close: async () => {
      agent.destroy();
      await new Promise((done) => server.close(done));
    },
  };
}
