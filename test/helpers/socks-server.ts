/**
 * A minimal local SOCKS5 proxy (RFC 1928: no authentication, `CONNECT` only) that records what it was asked,
 * for tests of `ALL_PROXY=socks5://…` and `socks5h://…`. It listens on 127.0.0.1, port 0, and only connects
 * to loopback targets (`127.x`, `::1`, `localhost`); anything else is answered "connection not allowed"
 * (reply 2), so a client pointed at a remote host by mistake sends no traffic.
 *
 * @example
 * ```ts
 * const socks = await startSocksServer();
 * // ALL_PROXY=socks5h://127.0.0.1:PORT curl http://localhost:8080/  ->  socks.seen: ['localhost:8080']
 * await socks.close();
 * ```
 */
import { connect, createServer, type Socket } from 'node:net';
import { listenOnLoopback } from './loopback-listen.js';

/** A running SOCKS5 proxy. */
export interface SocksServer {
  /** `socks5://127.0.0.1:PORT`; use `socks5h:` for host names resolved by the proxy. */
  readonly url: string;
  /** The `host:port` of every CONNECT received, in order. */
  readonly seen: string[];
  close(): Promise<void>;
}

const LOOPBACK = /^(?:127\.\d+\.\d+\.\d+|::1|localhost)$/;

/** The CONNECT target in `request` (VER CMD RSV ATYP ADDR PORT), or undefined while incomplete. */
function parseRequest(request: Buffer): { host: string; port: number; length: number } | undefined {
  if (request.length < 5) return undefined;
  const type = request[3];
  const addressLength = type === 1 ? 4 : type === 4 ? 16 : type === 3 ? 1 + request[4]! : 0;
  const length = 4 + addressLength + 2;
  if (addressLength === 0 || request.length < length) return undefined;
  const address = request.subarray(4, 4 + addressLength);
  const host =
    type === 1 ? [...address].join('.') : type === 3 ? address.subarray(1).toString('latin1') : (address.toString('hex').match(/.{4}/g) ?? []).map((group) => Number.parseInt(group, 16).toString(16)).join(':').replace(/^(0:)+/, '::');
  return { host, port: request.readUInt16BE(length - 2), length };
}

function serve(client: Socket, seen: string[]): void {
  let buffered = Buffer.alloc(0);
  let greeted = false;
  const onData = (chunk: Buffer): void => {
    buffered = Buffer.concat([buffered, chunk]);
    if (!greeted) {
      if (buffered.length < 2 || buffered.length < 2 + buffered[1]!) return;
      buffered = buffered.subarray(2 + buffered[1]!);
      greeted = true;
      client.write(Buffer.from([5, 0]));
    }
    const target = parseRequest(buffered);
    if (target === undefined) return;
    client.off('data', onData);
    seen.push(`${target.host}:${target.port}`);
    if (buffered[1] !== 1 || !LOOPBACK.test(target.host)) {
      client.end(Buffer.from([5, 2, 0, 1, 0, 0, 0, 0, 0, 0]));
      return;
    }
    const upstream = connect(target.port, target.host === 'localhost' ? '127.0.0.1' : target.host, () => {
      client.write(Buffer.from([5, 0, 0, 1, 0, 0, 0, 0, 0, 0]));
      upstream.write(buffered.subarray(target.length));
      upstream.pipe(client).pipe(upstream);
    });
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
  };
  client.on('data', onData);
}

/** Starts a SOCKS5 proxy on 127.0.0.1 with a free port. */
export async function startSocksServer(): Promise<SocksServer> {
  const seen: string[] = [];
  const server = createServer((client) => {
    client.on('error', () => {});
    serve(client, seen);
  });
  const { port, close } = await listenOnLoopback(server);
  return { url: `socks5://127.0.0.1:${port}`, seen, close };
}
