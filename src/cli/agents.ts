/**
 * got's `agent` option for each URL the CLI requests: a proxy agent when the environment names a proxy for
 * it (`env-proxy.ts`), got's default agents otherwise. The agents are maintained packages, not code of
 * ours: `http-proxy-agent` sends `http:` requests to the proxy in absolute form, `https-proxy-agent` opens a
 * `CONNECT` tunnel for `https:` and does TLS to the server through it (with the request's own TLS options,
 * so `-k` applies to the server, as in curl). They are imported only when a proxy variable is set.
 *
 * A redirect (`-L`) may lead to another host or scheme, with another proxy or none: got asks again for
 * every hop (see `send.ts`).
 *
 * @module
 */
import type { Agent } from 'node:http';
import { anyProxyVariable, proxyFor, type ProxyChoice } from './env-proxy.js';

/** got's `agent` option: an agent per scheme; none means got's default. */
export interface Agents {
  http?: Agent;
  https?: Agent;
}

/** The agents for a URL and the proxy they go through, if any. */
export interface Route {
  readonly agent: Agents;
  readonly proxy: ProxyChoice | undefined;
}

/** Picks the route for each URL; one agent per proxy and scheme, reused across redirects. */
export type Router = (url: URL) => Route;

const DIRECT: Route = { agent: {}, proxy: undefined };

/**
 * A router for the given environment.
 *
 * @param env - the environment to read the proxy variables from
 */
export async function proxyRouter(env: Readonly<Record<string, string | undefined>>): Promise<Router> {
  if (!anyProxyVariable(env)) return () => DIRECT;
  const [{ HttpProxyAgent }, { HttpsProxyAgent }] = await Promise.all([import('http-proxy-agent'), import('https-proxy-agent')]);
  const made = new Map<string, Agents>();
  return (url) => {
    const proxy = proxyFor(url, env);
    if (proxy === undefined) return DIRECT;
    const key = `${url.protocol} ${proxy.url.href}`;
    let agent = made.get(key);
    if (agent === undefined) {
      agent = url.protocol === 'https:' ? { https: new HttpsProxyAgent(proxy.url) } : { http: new HttpProxyAgent(proxy.url) };
      made.set(key, agent);
    }
    return { agent, proxy };
  };
}
