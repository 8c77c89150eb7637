/**
 * RFC 9112 section 3.2: the proxy answers 400 to a request with more than one Host header, whatever their
 * order, letter case or values, and forwards nothing; a request with exactly one Host is unaffected.
 */
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startVerifyingServer, type VerifyingServer } from '../helpers/verifying-server.js';
import { startProxy, REAL, type RunningProxy } from './support.js';


/** Sends a raw request with the given header lines and returns the status code of the answer. */
function rawStatus(port: number, headerLines: readonly string[]): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    let text = '';
    socket.on('data', (chunk: Buffer) => {
      text += chunk.toString('latin1');
      const match = /^HTTP\/1\.1 (\d{3})/.exec(text);
      if (match !== null) {
        socket.destroy();
        resolve(Number(match[1]));
      }
    });
    socket.on('error', reject);
    socket.write(`GET /bucket/key HTTP/1.1\r\n${headerLines.map((line) => `${line}\r\n`).join('')}Connection: close\r\n\r\n`);
  });
}

describe('the proxy refuses more than one Host header', () => {
  let storage: VerifyingServer;
  let proxy: RunningProxy;

  beforeAll(async () => {
    storage = await startVerifyingServer({ [REAL.accessKeyId]: REAL.secretAccessKey });
    proxy = await startProxy({ upstreams: [{ url: storage.origin, service: 's3', region: 'eu-west-1' }], credentials: REAL });
  });
  afterAll(() => Promise.all([proxy.close(), storage.close()]));

  it('answers 400 to two or three Host headers in any order and letter case, and forwards nothing', async () => {
    const own = `localhost:${proxy.port}`;
    const other = `attacker.example:${proxy.port}`;
    const before = storage.requests.length;
    for (const lines of [
      [`Host: ${own}`, `Host: ${other}`],
      [`Host: ${other}`, `Host: ${own}`],
      [`Host: ${own}`, `host: ${own}`],
      [`HOST: ${own}`, 'X-Other: 1', `hOsT: ${other}`],
      [`Host: ${own}`, `Host: ${own}`, `Host: ${other}`],
    ]) {
      expect(await rawStatus(proxy.port, lines), lines.join(' | ')).toBe(400);
    }
    expect(storage.requests.length).toBe(before);
  });

  it('still forwards a request with exactly one Host naming the proxy', async () => {
    expect(await rawStatus(proxy.port, [`Host: localhost:${proxy.port}`, 'X-Host: attacker.example'])).toBe(200);
  });
});
