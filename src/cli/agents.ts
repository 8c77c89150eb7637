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
import type { Agent, ClientRequest } from 'node:http';
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

/** A CONNECT tunnel the proxy would not open: curl's exit 56, not an answer of the server. */
export interface TunnelRefusal {
  readonly status: number;
  readonly proxy: ProxyChoice;
}

/** Picks the route for each URL; one agent per proxy and scheme, reused across redirects. */
export interface Router {
  /** The agents and proxy for a URL. */
  readonly route: (url: URL) => Route;
  /**
   * Whether the proxy refused this request's tunnel. https-proxy-agent then hands Node the proxy's own
   * answer as if the server had sent it (without sending the request: nothing signed reaches the proxy).
   */
  readonly refusal: (request: ClientRequest) => TunnelRefusal | undefined;
}

const DIRECT: Route = { agent: {}, proxy: undefined };
const NO_PROXY: Router = { route: () => DIRECT, refusal: () => undefined };

/**
 * A router for the given environment.
 *
 * @param env - the environment to read the proxy variables from
 */
export async function proxyRouter(env: Readonly<Record<string, string | undefined>>): Promise<Router> {
  if (!anyProxyVariable(env)) return NO_PROXY;
  const [{ HttpProxyAgent }, { HttpsProxyAgent }] = await Promise.all([import('http-proxy-agent'), import('https-proxy-agent')]);
  const made = new Map<string, Agents>();
  const refused = new WeakMap<ClientRequest, TunnelRefusal>();
  const tunnelling = (proxy: ProxyChoice): Agent => {
    const agent = new HttpsProxyAgent(proxy.url);
    agent.on('proxyConnect', ({ statusCode }: { statusCode: number }, request: ClientRequest) => {
      if (statusCode !== 200) refused.set(request, { status: statusCode, proxy });
    });
    return agent;
  };
  const route = (url: URL): Route => {
    const proxy = proxyFor(url, env);
    if (proxy === undefined) return DIRECT;
    const key = `${url.protocol} ${proxy.url.href}`;
    let agent = made.get(key);
    if (agent === undefined) {
      agent = url.protocol === 'https:' ? { https: tunnelling(proxy) } : { http: new HttpProxyAgent(proxy.url) };
      made.set(key, agent);
    }
    return { agent, proxy };
  };
  return { route, refusal: (request) => refused.get(request) };
}
