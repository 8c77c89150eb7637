/**
 * The package version, read from `package.json` (two folders up from both `src/cli/` and `dist/cli/`).
 *
 * @module
 */
import { readFileSync } from 'node:fs';

let cached: string | undefined;

/**
 * The version of got-aws4auth, e.g. `0.1.0`.
 * @category CLI
 */
export function packageVersion(): string {
  cached ??= (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
  return cached;
}
