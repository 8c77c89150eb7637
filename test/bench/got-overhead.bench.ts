/**
 * What the plugin costs a got request: requests/s of the same GET (and a small JSON POST) against a local
 * keep-alive HTTP server, with and without `aws4Hooks`, interleaved in one run. The plugin's work per
 * request is a credential-cache lookup, the request view, one signature (cached key) and header writes;
 * the target from the issue is less than 10% loss (ratio >= 0.9).
 */
import { createServer, Agent } from 'node:http';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { AddressInfo } from 'node:net';
import got from 'got';
import { ROOT, compare, defineSuite, type ScenarioResult } from './harness.js';

type Library = typeof import('../../src/index.js');
const DIST = resolve(ROOT, 'dist', 'index.js');

export default defineSuite({
  name: 'got-overhead',
  async run() {
    if (!existsSync(DIST)) throw new Error(`${DIST} is missing: run \`npm run build\` first (npm run bench does)`);
    const { aws4Hooks, CredentialCache, signRequest } = (await import(pathToFileURL(DIST).href)) as Library;
    const server = createServer((request, response) => {
      request.resume();
      request.on('end', () => response.end('ok'));
    });
    server.keepAliveTimeout = 60_000;
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const base = got.extend({ agent: { http: agent }, retry: { limit: 0 } });
    const signed = base.extend(
      aws4Hooks({ region: 'eu-west-1', service: 'es', credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' } }),
    );
    const results: ScenarioResult[] = [];
    // What the credential cache adds to each request: a lookup and an await.
    const identity = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY', expiration: new Date(Date.now() + 3600_000) };
    const cache = new CredentialCache(async () => identity);
    await cache.getCredentials();
    const request = { method: 'GET', url: `${origin}/_cat/indices?v=true` };
    results.push(
      await compare(
        'credential cache per request',
        [
          { name: 'cache+sign', run: async () => signRequest(request, { credentials: await cache.getCredentials(), region: 'eu-west-1', service: 'es' }), async: true, note: 'await cache.getCredentials(), then signRequest' },
          { name: 'sign', run: async () => signRequest(request, { credentials: identity, region: 'eu-west-1', service: 'es' }), async: true, note: 'signRequest with the identity at hand (also awaited)' },
        ],
        { baseline: 'cache+sign' },
      ),
    );
    try {
      results.push(
        await compare(
          'got GET, local keep-alive server',
          [
            { name: 'got+aws4Hooks', run: () => signed.get(`${origin}/_cat/indices?v=true`).text(), async: true, note: 'static credentials through the credential cache, es, eu-west-1' },
            { name: 'got', run: () => base.get(`${origin}/_cat/indices?v=true`).text(), async: true, note: 'the same got instance without the plugin' },
          ],
          { baseline: 'got+aws4Hooks', targets: [{ peer: 'got', min: 0.9 }] },
        ),
      );
      const document = { title: 'got-aws4auth', tags: ['aws', 'sigv4'], n: 42 };
      results.push(
        await compare(
          'got POST with a JSON body, local keep-alive server',
          [
            { name: 'got+aws4Hooks', run: () => signed.post(`${origin}/logs/_doc`, { json: document }).text(), async: true },
            { name: 'got', run: () => base.post(`${origin}/logs/_doc`, { json: document }).text(), async: true },
          ],
          { baseline: 'got+aws4Hooks', targets: [{ peer: 'got', min: 0.9 }] },
        ),
      );
    } finally {
      agent.destroy();
      await new Promise((done) => server.close(done));
    }
    return results;
  },
});
