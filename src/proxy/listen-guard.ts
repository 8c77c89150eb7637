/**
 * The loopback-only rule. A proxy without client keys signs with real credentials for anyone who can
 * reach its port, so it may only be reachable from this machine: it refuses to serve on any address but
 * loopback unless told otherwise (`allowRemote`), both when it starts listening and, as a second line,
 * for every accepted connection (whatever way `listen` was called).
 *
 * @module
 */
import type { Server } from 'node:http';
import type { Socket } from 'node:net';
import { InvalidInputError } from '../signer/errors.js';

/**
 * True for 127.0.0.0/8, ::1 and their IPv4-mapped forms.
 * @category Proxy
 */
export function isLoopbackAddress(address: string): boolean {
  const plain = address.startsWith('::ffff:') ? address.slice(7) : address;
  if (process.getBuiltinModule('node:net').isIP(plain) === 4) return plain.startsWith('127.');
  return plain === '::1' || plain === '0:0:0:0:0:0:0:1';
}

/**
 * The error a refused non-loopback listen emits.
 * @category Proxy
 */
export function remoteListenError(address: string): InvalidInputError {
  return new InvalidInputError(
    'createSigningProxy listen address',
    `is ${address}, which is not loopback: without client keys anyone who can reach it would sign requests with your credentials. ` +
      'Listen on 127.0.0.1 or ::1, or configure clientKeys (--client-key), or set allowRemote (--allow-remote) if something else guards the port.',
  );
}

/**
 * Installs the rule on a server.
 * @category Proxy
 */
export function guardListen(server: Server): void {
  server.on('listening', () => {
    const address = server.address();
    // A Unix socket path is local by nature.
    if (address === null || typeof address === 'string' || isLoopbackAddress(address.address)) return;
    server.close();
    server.emit('error', remoteListenError(address.address));
  });
  server.on('connection', (socket: Socket) => {
    const local = socket.localAddress;
    if (local !== undefined && !isLoopbackAddress(local)) socket.destroy();
  });
}
