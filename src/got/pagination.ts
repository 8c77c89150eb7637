/**
 * `got.paginate` sends each page as a new request, built from options got keeps for the whole call, not
 * from the last page's: a page would otherwise start a request state of its own, and whatever origin a
 * response's `Link` header (or a caller's `paginate`) names would count as the request's first, signed
 * origin. So every `pagination.paginate` the plugin sees (the instance's default, a caller's own, per
 * instance or per call) is wrapped: the options it returns for the next page carry the next page's state,
 * which keeps the first page's origin. A page on another origin is then a foreign hop, as a redirect there
 * would be: it goes without `authorization`, the token and every `x-amz-*` header, and so does every later
 * page (a foreign server could otherwise page back to any path of the signed origin and have it signed).
 *
 * The wrapping happens in got's `init` hook, which got runs whenever it merges options: once per
 * `extend`, and for each call that passes options.
 *
 * @internal
 * @module
 */
import { existingState, nextPageContext } from './request-state.js';
import type { InitHook } from './types.js';

type Paginate = (input: { response?: { request?: { options?: unknown } } }) => unknown;

const carrying = new WeakSet<object>();

function isPlainObject(value: unknown): value is Record<PropertyKey, unknown> {
  if (value === null || typeof value !== 'object') return false;
  const prototype = Object.getPrototypeOf(value) as unknown;
  return prototype === Object.prototype || prototype === null;
}

type GotOptionsClass = new (input: undefined, options: object, defaults: object) => object;

/**
 * got's `Options` class when the value is one. got 14 merges a next page's `Options` by merging, in order,
 * the option objects it was built from, so the state joins them through got's own constructor
 * (`new Options(undefined, extra, options)` is built from the same objects, then `extra`); got 16 takes its
 * `url` and its own enumerable properties, so the state is one of those too.
 */
function gotOptionsClass(value: object): GotOptionsClass | undefined {
  const candidate = value as { merge?: unknown; createNativeRequestOptions?: unknown; constructor?: unknown };
  const isOptions = typeof candidate.merge === 'function' && typeof candidate.createNativeRequestOptions === 'function';
  return isOptions && typeof candidate.constructor === 'function' ? (candidate.constructor as GotOptionsClass) : undefined;
}

/**
 * The next page's options, with the next page's state in their context, whatever kind of object the
 * paginate returned: a plain object (or a Proxy or class instance, copied as the plain object got would
 * read), or a got `Options` (the state goes last among what got merges from it). Without the state, the
 * next page would start a request of its own, and its origin would count as signed.
 */
function withNextPageState(result: unknown, input: Parameters<Paginate>[0]): unknown {
  const previous = input?.response?.request?.options;
  // The same options object as the last page's (a caller's paginate may return it) keeps its state anyway.
  if (result === null || typeof result !== 'object' || result === previous) return result;
  const optionsClass = gotOptionsClass(result);
  const callerContext = optionsClass === undefined ? (result as { context?: unknown }).context : undefined;
  const context = nextPageContext(existingState(previous as { context?: unknown } | undefined), callerContext);
  if (context === undefined) return result;
  if (optionsClass === undefined) return { ...result, context };
  const next = new optionsClass(undefined, { context }, result);
  return Object.defineProperty(next, 'context', { value: context, enumerable: true, configurable: true, writable: true });
}

/** A `paginate` whose next-page options carry the request state. @internal */
export function carryStateAcrossPages(paginate: Paginate): Paginate {
  if (carrying.has(paginate)) return paginate;
  const wrapped: Paginate = function (this: unknown, input) {
    const result = paginate.call(this, input);
    return result instanceof Promise ? result.then((options: unknown) => withNextPageState(options, input)) : withNextPageState(result, input);
  };
  carrying.add(wrapped);
  return wrapped;
}

/**
 * The plugin's `init` hook: wraps the `paginate` of the options being merged, and the one the options so
 * far hold (the instance's default, when the plugin is merged by `extend`).
 *
 * @internal
 */
export const wrapPagination: InitHook = (init, self) => {
  const given = (init as { pagination?: unknown }).pagination;
  // A request's own options (got merges them for every call) bring no paginate and no hooks: the options
  // they are merged into hold a wrapped one already, since the merge that brought the plugin's hooks.
  if (given === undefined && (init as { hooks?: unknown }).hooks === undefined) return;
  if (isPlainObject(given) && typeof given.paginate === 'function' && !carrying.has(given.paginate)) {
    (init as { pagination?: unknown }).pagination = { ...given, paginate: carryStateAcrossPages(given.paginate as Paginate) };
  }
  const current = (self as { pagination?: { paginate?: unknown } } | undefined)?.pagination;
  if (current !== undefined && typeof current.paginate === 'function' && !carrying.has(current.paginate)) {
    current.paginate = carryStateAcrossPages(current.paginate as Paginate);
  }
};
