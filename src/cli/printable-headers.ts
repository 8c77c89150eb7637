/**
 * The one rule for header values in everything `--verbose` prints: the header lines of the canonical
 * request, the `>` request head and the `<` response head all go through {@link blockPrinter}, so a value
 * is hidden in every block or in none.
 *
 * - By name: a header the plugin's error redaction treats as a credential (`isSecretHeaderName`, in any
 *   letter case: `authorization`, `proxy-authorization`, every `…token…` such as `x-amz-security-token`
 *   and S3 Express's `x-amz-s3session-token`, every `…secret…`, the SSE-C `…customer-key` headers) shows as
 *   `<redacted>`. A SigV4 or SigV4a `Authorization` keeps its credential scope and signed header names,
 *   which comparing with a server's `SignatureDoesNotMatch` answer needs; only its `Signature=` goes.
 * - By value: the values of those headers, and the session token the command signs with, are hidden
 *   wherever else they appear (raw or percent-encoded), e.g. a token the user also put in `X-Custom-Auth:`.
 * - By shape: every other value loses presigned-URL secrets and URL user info (the plugin's `redactText`),
 *   e.g. a `Location:` that points at a presigned URL.
 *
 * @module
 */
import { isSecretHeaderName, redactText } from '../got/redact-error.js';

/**
 * The value printed in place of a secret.
 * @category CLI
 */
export const REDACTED = '<redacted>';

/**
 * A header value hidden wherever else it appears must be at least this long: a header whose name only
 * happens to contain `token` (`x-token-count: 1`) must not blank out every `1` of the output.
 */
const MIN_MASKED_LENGTH = 8;

/** What URL redaction leaves before a masked value: it redacts the (now empty) value of a secret parameter. */
const URL_REDACTED_BEFORE_MASK = '[redacted]<redacted>';

/** A SigV4 or SigV4a `Authorization`: what it says up to its signature is not secret. */
const AWS_AUTHORIZATION = /^(AWS4-HMAC-SHA256|AWS4-ECDSA-P256-SHA256) (Credential=[^\s,]+, ?SignedHeaders=[^\s,]+, ?)Signature=[0-9a-fA-F]+$/;

/**
 * How one block of verbose output (a canonical request, a request head, a response head) is printed.
 * @category CLI
 */
export interface BlockPrinter {
  /** A header's value as the block may show it. */
  header(name: string, value: string): string;
  /** Any other text of the block (a request target, a path or query line), the block's secret values hidden. */
  text(text: string): string;
}

/** Every form a secret value may take in the output, longest first so a whole value goes before a part. */
function formsOf(values: Iterable<string>): string[] {
  const forms = new Set<string>();
  for (const value of values) {
    forms.add(value);
    forms.add(encodeURIComponent(value));
  }
  return [...forms].sort((a, b) => b.length - a.length);
}

/**
 * Replaces every known secret value in `text` with {@link REDACTED}.
 *
 * @param text - any text of the verbose output
 * @param forms - the secret values, as {@link formsOf} gives them
 */
function masked(text: string, forms: readonly string[]): string {
  let out = text;
  for (const form of forms) if (out.includes(form)) out = out.replaceAll(form, REDACTED);
  return out;
}

function printableAuthorization(value: string): string {
  const aws = AWS_AUTHORIZATION.exec(value.trim());
  return aws === null ? REDACTED : `${aws[1]} ${aws[2]}Signature=${REDACTED}`;
}

/**
 * The printer for one block of headers: the rule of this module, with the values of the block's own
 * secret-named headers and `known` as the values hidden by value.
 *
 * @param headers - every header of the block, as name and value pairs (names in any case)
 * @param known - values secret whatever their header (the session token signed with); empty ones are ignored
 * @category CLI
 */
export function blockPrinter(headers: Iterable<readonly [string, string]>, known: readonly (string | undefined)[] = []): BlockPrinter {
  const secrets: string[] = known.filter((value): value is string => value !== undefined && value !== '');
  for (const [name, value] of headers) if (isSecretHeaderName(name.toLowerCase()) && value.trim().length >= MIN_MASKED_LENGTH && value !== REDACTED) secrets.push(value, value.trim());
  const forms = formsOf(secrets);
  return {
    header(name, value) {
      const lower = name.toLowerCase();
      if (lower === 'authorization') return printableAuthorization(value);
      if (isSecretHeaderName(lower)) return REDACTED;
      // Known values first (URL redaction would cut a `…TOKEN=…` token in two and leave its first half), then
      // URL secrets; a parameter whose whole value was a known secret reads `<redacted>`, not `[redacted]<redacted>`.
      return redactText(masked(value, forms)).replaceAll(URL_REDACTED_BEFORE_MASK, REDACTED);
    },
    text: (text) => masked(text, forms),
  };
}
