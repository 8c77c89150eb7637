/**
 * got's `agent` option for each URL the CLI requests: a proxy agent when the environment names a proxy for
 * it (`env-proxy.ts`), got's default agents otherwise. The agents are maintained packages, not code of
 * ours: `http-proxy-agent` sends `http:` requests to the proxy in absolute form, `https-proxy-agent` opens a
 * `CONNECT` tunnel for `https:` and does TLS to the server through it (with the request's own TLS options,
 * so `-k` applies to the server, as in curl), and `socks-proxy-agent` does both through a SOCKS proxy.
 * Each is imported only when a proxy of its kind is chosen.
 *
 * A redirect (`-L`) may lead to another host or scheme, with another proxy or none: got asks again for
 * every hop (see `send.ts`).
 *
 * @module
 */
import type { Agent, ClientRequest } from 'node:http';
// Types only: the package itself is imported when a SOCKS proxy is first chosen.
import type { SocksProxyAgent as SocksAgent } from 'socks-proxy-agent';
import { CliError } from './cli-error.js';
import { anyProxyVariable, describeProxy, proxyFor, type ProxyChoice } from './env-proxy.js';
import { ExitCode } from './exit-codes.js';

/**
 * got's `agent` option: an agent per scheme; none means got's default.
 * @category CLI
 */
export interface Agents {
  http?: Agent;
  https?: Agent;
}

/**
 * The agents for a URL and the proxy they go through, if any.
 * @category CLI
 */
export interface Route {
  readonly agent: Agents;
  readonly proxy: ProxyChoice | undefined;
}

/**
 * A CONNECT tunnel the proxy would not open: curl's exit 56, not an answer of the server.
 * @category CLI
 */
export interface TunnelRefusal {
  readonly status: number;
  readonly proxy: ProxyChoice;
}

/**
 * Picks the route for each URL; one agent per proxy and scheme, reused across redirects.
 * @category CLI
 */
export interface Router {
  /** The agents and proxy for a URL (a proxy agent's package is imported on first use). */
  readonly route: (url: URL) => Promise<Route>;
  /**
   * Whether the proxy refused this request's tunnel. https-proxy-agent then hands Node the proxy's own
   * answer as if the server had sent it (without sending the request: nothing signed reaches the proxy).
   */
  readonly refusal: (request: ClientRequest) => TunnelRefusal | undefined;
}

const DIRECT: Route = { agent: {}, proxy: undefined };
const NO_PROXY: Router = { route: async () => DIRECT, refusal: () => undefined };

/**
 * A router for the given environment.
 *
 * @param env - the environment to read the proxy variables from
 * @category CLI
 */
export async function proxyRouter(env: Readonly<Record<string, string | undefined>>): Promise<Router> {
  if (!anyProxyVariable(env)) return NO_PROXY;
  const routes = new Map<string, Promise<Route>>();
  const refused = new WeakMap<ClientRequest, TunnelRefusal>();
  const route = (url: URL): Promise<Route> => {
    const proxy = proxyFor(url, env);
    if (proxy === undefined) return Promise.resolve(DIRECT);
    const key = `${url.protocol} ${proxy.url.href}`;
    let made = routes.get(key);
    if (made === undefined) {
      made = agentFor(url, proxy, refused).then((agent) => ({ agent, proxy }));
      routes.set(key, made);
    }
    return made;
  };
  return { route, refusal: (request) => refused.get(request) };
}

/** The agent for one proxy and scheme, its package imported on first use. */
async function agentFor(url: URL, proxy: ProxyChoice, refused: WeakMap<ClientRequest, TunnelRefusal>): Promise<Agents> {
  const agent = await (proxy.url.protocol.startsWith('socks') ? socksAgent(proxy) : url.protocol === 'https:' ? tunnellingAgent(proxy, refused) : forwardingAgent(proxy));
  return url.protocol === 'https:' ? { https: agent } : { http: agent };
}

/**
 * A SOCKS agent whose failures carry curl's exit codes: 7 when the proxy cannot be reached, 97 when it
 * refuses the handshake or the target. The `socks` package reports both as a `SocksClientError` with no
 * `code`; a socket that never connected is the one whose message is Node's `connect E…` text.
 */
async function socksAgent(proxy: ProxyChoice): Promise<Agent> {
  const { SocksProxyAgent } = await import('socks-proxy-agent');
  const where = describeProxy(proxy);
  return new (class extends SocksProxyAgent {
    override async connect(...args: Parameters<SocksAgent['connect']>): Promise<Awaited<ReturnType<SocksAgent['connect']>>> {
      try {
        return await super.connect(...args);
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        if (reason.startsWith('connect ')) throw new CliError(ExitCode.COULD_NOT_CONNECT, `could not connect to the proxy ${where}: ${reason}`, { cause: error });
        throw new CliError(ExitCode.PROXY_ERROR, `the SOCKS proxy ${where} failed: ${reason}`, { cause: error });
      }
    }
  })(proxy.url);
}

async function forwardingAgent(proxy: ProxyChoice): Promise<Agent> {
  const { HttpProxyAgent } = await import('http-proxy-agent');
  return new HttpProxyAgent(proxy.url);
}

async function tunnellingAgent(proxy: ProxyChoice, refused: WeakMap<ClientRequest, TunnelRefusal>): Promise<Agent> {
  const { HttpsProxyAgent } = await import('https-proxy-agent');
  const agent = new HttpsProxyAgent(proxy.url);
  agent.on('proxyConnect', ({ statusCode }: { statusCode: number }, request: ClientRequest) => {
    if (statusCode !== 200) refused.set(request, { status: statusCode, proxy });
  });
  return agent;
}
