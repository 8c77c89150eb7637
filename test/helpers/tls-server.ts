/**
 * A local HTTPS server with a self-signed certificate made at test time (`openssl req -x509`, an EC P-256
 * key, valid for 127.0.0.1 and localhost, one day), for tests of certificate checks: a client that
 * verifies certificates must refuse it, and one told not to (curl's `-k`) must reach it. The certificate
 * is also written to a file, for a client that should trust it (`--cacert`, `NODE_EXTRA_CA_CERTS`).
 *
 * @example
 * ```ts
 * const server = await startTlsServer((request, response) => response.end('ok'));
 * // curl https://127.0.0.1:PORT/      -> exit 60 (self-signed)
 * // curl -k https://127.0.0.1:PORT/   -> ok
 * await server.close();
 * ```
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import https from 'node:https';
import type { RequestListener } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

/** A running HTTPS server. */
export interface TlsServer {
  /** `https://127.0.0.1:PORT`. */
  readonly origin: string;
  readonly port: number;
  /** A PEM file holding the server's certificate. */
  readonly certificatePath: string;
  close(): Promise<void>;
}

/**
 * A fresh self-signed certificate and its key, in PEM, and the folder they were written to (remove it when
 * done), for a server of another kind (e.g. `http2.createSecureServer`).
 */
export async function selfSignedCertificate(): Promise<{ dir: string; key: string; cert: string; certificatePath: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'got-aws4auth-tls-'));
  const keyPath = join(dir, 'key.pem');
  const certificatePath = join(dir, 'cert.pem');
  await promisify(execFile)('openssl', [
    'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1',
    '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost',
    '-keyout', keyPath, '-out', certificatePath,
  ]);
  return { dir, key: await readFile(keyPath, 'utf8'), cert: await readFile(certificatePath, 'utf8'), certificatePath };
}

/**
 * Starts an HTTPS server on 127.0.0.1 with a free port.
 *
 * @param listener - answers each request
 */
export async function startTlsServer(listener: RequestListener): Promise<TlsServer> {
  const { dir, key, cert, certificatePath } = await selfSignedCertificate();
  const server = https.createServer({ key, cert }, listener);
  const sockets = new Set<Socket>();
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  // A client that refuses the certificate resets the handshake; that is the expected outcome, not a failure.
  server.on('tlsClientError', () => {});
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `https://127.0.0.1:${port}`,
    port,
    certificatePath,
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await rm(dir, { recursive: true, force: true });
    },
  };
}
