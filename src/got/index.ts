/**
 * The got plugin. `aws4Hooks` is both a ready plugin (`got.extend(aws4Hooks)`: service and region from
 * the host name, credentials from the SDK's default chain) and a factory (`got.extend(aws4Hooks({...}))`).
 *
 * got's `extend` treats any function as a got instance and reads `fn.defaults.options` and
 * `fn.defaults.handlers`; and it rejects options objects with own enumerable keys other than options. So
 * the callable `aws4Hooks` carries its zero-configuration hooks twice: as the enumerable `hooks` (for
 * `got(url, aws4Hooks)` and spreading) and as a non-enumerable, frozen `defaults` in the shape `extend`
 * reads from an instance. got 14, 15 and 16 accept both forms; a test checks it for each major we support.
 *
 * @module
 */
import { createAws4Hooks } from './hooks.js';
import type { Aws4GotPlugin, Aws4HooksOptions } from './types.js';

/**
 * The plugin as a value and as a factory: `got.extend(aws4Hooks)` or `got.extend(aws4Hooks({...}))`.
 *
 * @example
 * ```ts
 * import got from 'got';
 * import { aws4Hooks, type Aws4Hooks } from 'got-aws4auth';
 * const plugin: Aws4Hooks = aws4Hooks;
 * const inferred = got.extend(plugin); // as a plugin: service and region from each host name
 * const s3 = got.extend(plugin({ region: 'us-east-1', service: 's3' })); // as a factory
 * ```
 * @category Plugin
 */
export type Aws4Hooks = ((options?: Aws4HooksOptions) => Aws4GotPlugin) & Aws4GotPlugin;

function makeAws4Hooks(): Aws4Hooks {
  const zeroConfig = createAws4Hooks();
  const factory = function aws4Hooks(options?: Aws4HooksOptions): Aws4GotPlugin {
    return createAws4Hooks(options);
  };
  const plugin = Object.assign(factory, { hooks: zeroConfig.hooks });
  Object.defineProperty(plugin, 'defaults', {
    value: Object.freeze({ options: Object.freeze({ hooks: zeroConfig.hooks }), handlers: Object.freeze([]), mutableDefaults: false }),
    enumerable: false,
  });
  return plugin;
}

/**
 * Signs got requests with AWS Signature Version 4.
 *
 * Use it as it is for zero configuration: the service and region come from the host name (`AWS_REGION`,
 * `AWS_DEFAULT_REGION` or the profile supply a region the host does not name), credentials from
 * `fromNodeProviderChain()`, cached and refreshed ahead of expiry. Or call it with options for explicit
 * control; see {@link Aws4HooksOptions}.
 *
 * @example
 * ```ts
 * import got from 'got';
 * import { aws4Hooks } from 'got-aws4auth';
 *
 * const aws = got.extend(aws4Hooks);
 * const indices = await aws.get('https://search-logs-abc.eu-west-1.es.amazonaws.com/_cat/indices').text();
 * await aws.put('https://my-bucket.s3.us-west-2.amazonaws.com/report.csv', { body: 'a,b\n1,2\n' });
 *
 * const s3 = got.extend(aws4Hooks({ region: 'us-east-1', service: 's3' }));
 * ```
 * @category Plugin
 */
export const aws4Hooks: Aws4Hooks = makeAws4Hooks();

export { createAws4Hooks } from './hooks.js';
export { ClockSkew, SKEW_THRESHOLD_MS, MAX_CLOCK_OFFSET_MS, type ClockObservation } from './clock-skew.js';
export { OriginClocks, DEFAULT_ORIGIN_CLOCKS } from './origin-clocks.js';
export { BodyTooLargeError, UnsignableBodyError, CannotInferError, StreamLengthRequiredError } from './errors.js';
export type {
  Aws4GotPlugin,
  Aws4HooksOptions,
  CredentialsOption,
  DatePolicy,
  StreamingPayload,
  Aws4RequestContext,
  GotRequestOptions,
  GotResponseLike,
  SigningHook,
  RedirectHook,
  ResponseHook,
  ErrorHook,
  RetryHook,
  InitHook,
} from './types.js';
