/**
 * The one way the command shows what it was given: every message that quotes a URL or an argument, and
 * every `--verbose` line that shows a request target or query, goes through here. A URL loses its user info
 * and the values of its secret parameters (`X-Amz-Signature`, `X-Amz-Security-Token`, SigV2's `Signature`,
 * …) by the library's own rule (src/signer/url-redaction.ts); an argument that is not a URL (a header line,
 * a method, a number) also loses whatever looks like a key, token or signature (the rule credential errors
 * use). A secret key contains `/` and `+`, so a URL with one in its user info never parses: the text quoted
 * in "is not a URL" is exactly the one that must not be repeated as typed.
 *
 * @module
 */
import { redactSecrets } from '../credentials/redact-text.js';
import { redactParameters, redactUrl } from '../signer/url-redaction.js';

/** The longest argument quoted in a message, after redaction; a message need not repeat a whole body. */
const MAX_QUOTED = 200;
/** How much of an argument the secret-looking-run patterns look at (they are not linear in one word's length). */
const MAX_SCANNED = 1024;

/** Methods, numbers and header names are shorter than this; tokens and keys are longer. */
const MAX_WORD = 24;
const LONG_WORD = new RegExp(`[^\\s"]{${MAX_WORD + 1},}`, 'g');
const REDACTED = '[redacted]';

function cut(text: string): string {
  return text.length > MAX_QUOTED ? `${text.slice(0, MAX_QUOTED - 1)}…` : text;
}

/**
 * A URL, or text meant as one, as any message or verbose line may show it.
 *
 * @param url - the URL as typed, or as parsed
 * @category CLI
 */
function printableUrl(url: string | URL): string {
  return redactUrl(typeof url === 'string' ? url : url.href);
}

/**
 * A request target (`/path?query`) as a verbose line may show it: an `@` in the path stays, secret query
 * values go.
 *
 * @param target - the path and query sent
 * @category CLI
 */
export function printableTarget(target: string): string {
  return redactParameters(target);
}

/**
 * A URL quoted in a message: redacted, cut short, in double quotes.
 *
 * @param url - the URL as typed
 * @category CLI
 */
export function quotedUrl(url: string): string {
  return JSON.stringify(cut(printableUrl(url)));
}

/**
 * Text that may repeat arguments (a message of `parseArgs`): URL parts and secret-looking runs redacted, its
 * first {@link MAX_SCANNED} characters only.
 *
 * @param text - the text
 * @category CLI
 */
export function printableText(text: string): string {
  return redactSecrets(redactUrl(text).slice(0, MAX_SCANNED));
}

/**
 * Any other argument quoted in a message (a header name, a method, a number): URL parts and secret-looking
 * runs redacted, and every word longer than {@link MAX_WORD} characters replaced whole, cut short, in double
 * quotes. What such a message names is short; a long word is more likely a token typed in the wrong place,
 * and redacting only its secret-looking part would still print the rest of it.
 *
 * @param text - the argument as typed
 * @category CLI
 */
export function quotedArgument(text: string): string {
  return JSON.stringify(cut(printableText(text).replace(LONG_WORD, REDACTED)));
}
