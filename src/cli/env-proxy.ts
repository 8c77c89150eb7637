/**
 * Which proxy a request goes through, from the environment, as curl decides it: `https_proxy` or
 * `HTTPS_PROXY` for an `https:` URL, `http_proxy` or `HTTP_PROXY` for an `http:` URL, else `all_proxy` or
 * `ALL_PROXY`; the lower-case name wins, and an empty value counts as unset. A host that `no_proxy` or
 * `NO_PROXY` exempts (`no-proxy.ts`) is reached directly. A value without a scheme is an `http://` proxy;
 * `https://`, `socks4://`, `socks4a://`, `socks5://` and `socks5h://` (host names resolved by the proxy)
 * proxies work as in curl.
 *
 * One difference from curl, on purpose: curl never reads `HTTP_PROXY` in upper case, because a CGI server
 * puts a request's `Proxy:` header there (httpoxy). Node users expect it to work, so it is read, except
 * when `REQUEST_METHOD` is set, that is, under CGI, where it is ignored as curl (and Go) ignore it.
 *
 * The proxy URL may hold a user name and password; they are sent to the proxy only, and never printed:
 * messages name the variable and the proxy's origin.
 *
 * @module
 */
import { CliError } from './cli-error.js';
import { ExitCode } from './exit-codes.js';
import { bypassesProxy } from './no-proxy.js';

/**
 * A proxy to send a request through.
 * @category CLI
 */
export interface ProxyChoice {
  /** The proxy's URL, credentials included. */
  readonly url: URL;
  /** The variable it came from, e.g. `HTTPS_PROXY`. */
  readonly variable: string;
}

type Env = Readonly<Record<string, string | undefined>>;

const VARIABLES: Readonly<Record<string, readonly string[]>> = {
  'http:': ['http_proxy', 'HTTP_PROXY', 'all_proxy', 'ALL_PROXY'],
  'https:': ['https_proxy', 'HTTPS_PROXY', 'all_proxy', 'ALL_PROXY'],
};

/**
 * Every variable that can name a proxy: when none is set, the proxy agents are never loaded.
 * @category CLI
 */
export const PROXY_VARIABLES: readonly string[] = [...new Set(Object.values(VARIABLES).flat())];

function firstSet(env: Env, names: readonly string[]): { name: string; value: string } | undefined {
  for (const name of names) {
    const value = env[name];
    if (value !== undefined && value !== '') return { name, value };
  }
  return undefined;
}

/**
 * Whether any proxy variable is set, so that proxy support is worth loading.
 *
 * @param env - the environment
 * @category CLI
 */
export function anyProxyVariable(env: Env): boolean {
  return firstSet(env, PROXY_VARIABLES) !== undefined;
}

/**
 * The proxy schemes curl knows and this command goes through.
 * @category CLI
 */
export const PROXY_SCHEMES: readonly string[] = ['http:', 'https:', 'socks4:', 'socks4a:', 'socks5:', 'socks5h:'];

function proxyUrl(variable: string, value: string): URL {
  const text = value.includes('://') ? value : `http://${value}`;
  if (!URL.canParse(text)) throw new CliError(ExitCode.FAILURE, `${variable} is not a proxy URL: write it as http://host:port`);
  const url = new URL(text);
  if (!PROXY_SCHEMES.includes(url.protocol)) {
    throw new CliError(ExitCode.FAILURE, `${variable} names a ${url.protocol.slice(0, -1)} proxy; this command goes through ${PROXY_SCHEMES.map((scheme) => scheme.slice(0, -1)).join(', ')} proxies`);
  }
  return url;
}

/**
 * The proxy for a request, or undefined to connect directly.
 *
 * @param target - the request URL
 * @param env - the environment to read the variables from
 * @throws {@link CliError} when the chosen variable holds no usable proxy URL
 * @category CLI
 */
export function proxyFor(target: URL, env: Env): ProxyChoice | undefined {
  const names = (VARIABLES[target.protocol] ?? []).filter((name) => name !== 'HTTP_PROXY' || env.REQUEST_METHOD === undefined);
  const chosen = firstSet(env, names);
  if (chosen === undefined || bypassesProxy(target.hostname, firstSet(env, ['no_proxy', 'NO_PROXY'])?.value)) return undefined;
  return { url: proxyUrl(chosen.name, chosen.value), variable: chosen.name };
}

/**
 * A proxy as messages show it: its origin, without the user name and password.
 *
 * @param choice - the proxy
 * @category CLI
 */
export function describeProxy(choice: ProxyChoice): string {
  return `${choice.url.protocol}//${choice.url.host} (from ${choice.variable})`;
}
