/**
 * One rendering for objects that hold a secret: `util.inspect` shows the class name and a public view
 * (the same one `toJSON` returns) built without the secret, so no formatting option can reveal it.
 *
 * @internal
 * @module
 */
import { inspect as nodeInspect, type InspectOptions } from 'node:util';

/** `Symbol.for('nodejs.util.inspect.custom')`, the key Node's `util.inspect` looks for. @internal */
export const INSPECT = Symbol.for('nodejs.util.inspect.custom');

/** Renders `view` as `Name { … }` with the caller's inspect options. @internal */
export function inspectView(name: string, view: object, options: InspectOptions | undefined, inspect: typeof nodeInspect | undefined): string {
  const render = typeof inspect === 'function' ? inspect : nodeInspect;
  return `${name} ${render(view, { ...options, customInspect: true })}`;
}
