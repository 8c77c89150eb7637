/**
 * Listening on 127.0.0.1 with a free port, for the test proxies: every connection is tracked, so `close()`
 * ends open (keep-alive or tunnelled) connections instead of waiting for them.
 */
import type { AddressInfo, Server, Socket } from 'node:net';

/** A server listening on loopback: its port, and a close that destroys every open connection first. */
export interface LoopbackListener {
  readonly port: number;
  readonly close: () => Promise<void>;
}

/** Starts `server` on 127.0.0.1 with a free port, tracking its connections. */
export async function listenOnLoopback(server: Server): Promise<LoopbackListener> {
  const sockets = new Set<Socket>();
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const close = (): Promise<void> =>
    new Promise<void>((resolve) => {
      for (const socket of sockets) socket.destroy();
      server.close(() => resolve());
    });
  return { port, close };
}
