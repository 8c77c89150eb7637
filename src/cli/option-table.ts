/**
 * The shape of a command's option table (read by `node:util`'s `parseArgs` and printed as its help), shared
 * by the request command (args.ts) and the proxy command (proxy-args.ts) so their help rows cannot drift.
 *
 * @internal
 * @module
 */

/** One row of an option table. @internal */
export interface OptionSpec {
  readonly type: 'string' | 'boolean';
  readonly short?: string;
  readonly multiple?: boolean;
  /** The value's placeholder in the help text. */
  readonly value?: string;
  /** The help text. */
  readonly help: string;
}

/**
 * An option as the help shows it: `-X, --request METHOD`, or `    --json DATA` when it has no short form.
 *
 * @internal
 */
export function optionFlag(name: string, spec: OptionSpec): string {
  const short = spec.short !== undefined ? `-${spec.short}, ` : '    ';
  return `${short}--${name}${spec.value !== undefined ? ` ${spec.value}` : ''}`;
}
