/**
 * What the plugin costs a got request: requests/s of the same GET (and a small JSON POST) against a local
 * keep-alive HTTP server, with and without `aws4Hooks`, interleaved in one run. The plugin's work per
 * request is a credential-cache lookup, the request view, one signature (cached key) and header writes;
 * the target from the issue is less than 10% loss (ratio >= 0.9).
 *
 * Two more contenders bound what any SigV4 plugin can reach here: `got+floor hook`, a hand-written
 * beforeRequest hook that signs exactly this request from a fixed template (one createHash, one
 * createHmac under a precomputed key, three header writes: no validation, no credentials lookup, no
 * retry or redirect handling), and `got+aws4 hook`, the hook users write by hand around `aws4.sign()`.
 * Inside got every line of a hook runs with cold caches, several times slower than in a signing loop,
 * so even the floor hook costs a measurable share of a ~300 µs loopback request. `got+empty hook` (an async
 * hook that does nothing) separates got's hook machinery from the work done inside a hook.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createHash, createHmac } from 'node:crypto';
import aws4 from 'aws4';
import got, { type BeforeRequestHook } from 'got';

type HookOptions = Parameters<BeforeRequestHook>[0];
import { ROOT, compare, defineSuite, type ScenarioResult } from './harness.js';
import { startLocalServer } from './local-server.js';

type Library = typeof import('../../src/index.js');
const DIST = resolve(ROOT, 'dist', 'index.js');

export default defineSuite({
  name: 'got-overhead',
  async run() {
    if (!existsSync(DIST)) throw new Error(`${DIST} is missing: run \`npm run build\` first (npm run bench does)`);
    const { aws4Hooks, CredentialCache, signRequest } = (await import(pathToFileURL(DIST).href)) as Library;
    const { origin, agent, close } = await startLocalServer();
    const base = got.extend({ agent: { http: agent }, retry: { limit: 0 } });
    const signed = base.extend(
      aws4Hooks({ region: 'eu-west-1', service: 'es', credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' } }),
    );
    const results: ScenarioResult[] = [];
    const floorHook = floorSigningHook(origin);
    const withFloorHook = base.extend({ hooks: { beforeRequest: [floorHook] } });
    const withAws4Hook = base.extend({ hooks: { beforeRequest: [aws4Hook] } });
    const withEmptyHook = base.extend({ hooks: { beforeRequest: [async () => {}] } });
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
            { name: 'got+floor hook', run: () => withFloorHook.get(`${origin}/_cat/indices?v=true`).text(), async: true, note: 'hand-written hook: fixed canonical template, createHash + createHmac (precomputed key), 3 header writes' },
            { name: 'got+aws4 hook', run: () => withAws4Hook.get(`${origin}/_cat/indices?v=true`).text(), async: true, note: 'hand-written hook around aws4.sign(), headers copied onto got\'s' },
            { name: 'got+empty hook', run: () => withEmptyHook.get(`${origin}/_cat/indices?v=true`).text(), async: true, note: 'an async beforeRequest hook that does nothing: what got\'s hook machinery alone costs' },
          ],
          { baseline: 'got+aws4Hooks', targets: [{ peer: 'got', min: 0.9 }, { peer: 'got+floor hook', min: 0.95 }, { peer: 'got+aws4 hook', min: 1 }] },
        ),
      );
      const document = { title: 'got-aws4auth', tags: ['aws', 'sigv4'], n: 42 };
      results.push(
        await compare(
          'got POST with a JSON body, local keep-alive server',
          [
            { name: 'got+aws4Hooks', run: () => signed.post(`${origin}/logs/_doc`, { json: document }).text(), async: true },
            { name: 'got', run: () => base.post(`${origin}/logs/_doc`, { json: document }).text(), async: true },
            { name: 'got+floor hook', run: () => withFloorHook.post(`${origin}/logs/_doc`, { json: document }).text(), async: true, note: 'as for GET, plus one createHash of the body' },
            { name: 'got+aws4 hook', run: () => withAws4Hook.post(`${origin}/logs/_doc`, { json: document }).text(), async: true },
            { name: 'got+empty hook', run: () => withEmptyHook.post(`${origin}/logs/_doc`, { json: document }).text(), async: true },
          ],
          { baseline: 'got+aws4Hooks', targets: [{ peer: 'got', min: 0.9 }, { peer: 'got+floor hook', min: 0.95 }, { peer: 'got+aws4 hook', min: 1 }] },
        ),
      );
    } finally {
      await close();
    }
    return results;
  },
});

const CREDENTIALS = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' };
const REGION = 'eu-west-1';
const EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

/** The floor: what signing these two requests costs at the least, by hand, for today's key. */
function floorSigningHook(origin: string): (options: HookOptions) => void {
  const host = new URL(origin).host;
  const hmac = (key: string | Buffer, data: string): Buffer => createHmac('sha256', key).update(data).digest();
  const shortDate = new Date().toISOString().slice(0, 10).replaceAll('-', '');
  const key = hmac(hmac(hmac(hmac(`AWS4${CREDENTIALS.secretAccessKey}`, shortDate), REGION), 'es'), 'aws4_request');
  const scope = `${shortDate}/${REGION}/es/aws4_request`;
  return (options) => {
    const url = options.url as URL;
    const iso = new Date().toISOString();
    const amzDate = `${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}Z`;
    const body = options.body;
    const payloadHash = typeof body === 'string' ? createHash('sha256').update(body).digest('hex') : EMPTY_SHA256;
    const canonical = `${options.method}\n${url.pathname}\n${url.search.slice(1)}\nhost:${host}\nx-amz-date:${amzDate}\n\nhost;x-amz-date\n${payloadHash}`;
    const toSign = `AWS4-HMAC-SHA256\n${amzDate}\n${scope}\n${createHash('sha256').update(canonical).digest('hex')}`;
    options.headers.host = host;
    options.headers['x-amz-date'] = amzDate;
    options.headers.authorization = `AWS4-HMAC-SHA256 Credential=${CREDENTIALS.accessKeyId}/${scope}, SignedHeaders=host;x-amz-date, Signature=${createHmac('sha256', key).update(toSign).digest('hex')}`;
  };
}

/** A hand-written got hook around aws4, as users of aws4 write it. */
function aws4Hook(options: HookOptions): void {
  const url = options.url as URL;
  const body = typeof options.body === 'string' ? options.body : undefined;
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(options.headers)) if (typeof value === 'string') headers[name] = value;
  const signed = aws4.sign({ host: url.host, path: `${url.pathname}${url.search}`, method: options.method, service: 'es', region: REGION, headers, body }, CREDENTIALS);
  Object.assign(options.headers, signed.headers);
}
