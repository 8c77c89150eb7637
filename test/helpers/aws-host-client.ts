/**
 * Sends requests addressed to real AWS host names to a local server instead, by resolving every name to
 * 127.0.0.1: zero-configuration signing infers service and region from the host name, and the local
 * verifying server checks the result.
 */
import type { LookupFunction } from 'node:net';

/** A got `dnsLookup` that answers 127.0.0.1 for every host name. */
export const resolveToLoopback = ((_hostname: string, options: unknown, callback?: unknown) => {
  const done = (typeof options === 'function' ? options : callback) as (error: null, address: string | Array<{ address: string; family: number }>, family?: number) => void;
  const all = typeof options === 'object' && options !== null && (options as { all?: boolean }).all === true;
  if (all) done(null, [{ address: '127.0.0.1', family: 4 }]);
  else done(null, '127.0.0.1', 4);
}) as unknown as LookupFunction;
