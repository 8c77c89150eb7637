/**
 * `node:http` and `node:https`, loaded when the proxy first needs them. A static `import` of `node:http`
 * builds its ES module namespace, which evaluates its lazy `WebSocket` and `fetch`-related getters: about
 * 45 ms of CPU at `import('got-aws4auth')` on Node 24 for every app, proxy or not. `getBuiltinModule`
 * returns the CommonJS exports object without that.
 *
 * @internal
 * @module
 */
import type * as Http from 'node:http';
import type * as Https from 'node:https';

/** `node:http`, loaded on first use. @internal */
export function nodeHttp(): typeof Http {
  return process.getBuiltinModule('node:http');
}

/** `node:https`, loaded on first use. @internal */
export function nodeHttps(): typeof Https {
  return process.getBuiltinModule('node:https');
}
