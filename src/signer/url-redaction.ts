/**
 * URLs as error messages may show them: without user info, and without the values of the presigned-URL
 * parameters that grant access: SigV4's `X-Amz-Signature`, `X-Amz-Credential` and `X-Amz-Security-Token`,
 * SigV2's `Signature` and `AWSAccessKeyId`, Google's `X-Goog-Signature`/`X-Goog-Credential`, Azure's `sig`,
 * and any `…token`, `…secret` or `…password` (see `SECRET_NAME`). A URL that
 * fails to parse is exactly the one whose parts cannot be trusted to be where a parser would put them
 * (`https:/user:secret@host`, a backslash, a missing `?`), so nothing here parses: user info is everything
 * before the last `@` (or `%40`) of the part before any `?` or `#`, and a secret value is whatever follows an
 * `=` (or `%3D`) whose name, percent-decoded in any letter case, ends with one of those names, up to the next
 * `?`, `&`, `;` or `#`.
 * Over-redacting an error message costs nothing; under-redacting leaks a credential.
 *
 * @internal
 * @module
 */

/**
 * A parameter whose name (percent-decoded, lower case) ends with one of these words is secret: `signature`
 * covers `X-Amz-Signature`, SigV2's `Signature` and `X-Goog-Signature`; `token` every security, session or
 * access token; `accesskeyid` SigV2's `AWSAccessKeyId` (an identifier, but it pairs with the signature);
 * `sig` (Azure's shared-access signature) only as a word of its own. Anchored at the end of a name of at most
 * {@link MAX_NAME} characters: linear.
 */
const SECRET_NAME = /(?:signature|credential|token|secret|password|accesskeyid|(?:^|[^a-z0-9])sig)$/;
// A value runs to the next of these; the delimiter stays in the output.
const PIECE = /[^?&;#]+|[?&;#]/g;
// `=` as written, encoded once or twice.
const EQUALS = /=|%3d|%253d/gi;
const AT = /@|%40|%2540/gi;
const HTTP_SCHEME = /^https?:/i;
const REDACTED = '[redacted]';
// The longest a parameter name can be written: 20 characters, each at most `%25XX` (5) when encoded twice.
const MAX_NAME = 100;

/** Percent-decodes leniently (a `%` that starts no escape stays), up to three times for double encoding. */
function decoded(text: string): string {
  let current = text;
  for (let round = 0; round < 3 && current.includes('%'); round++) {
    const next = current.replace(/%([0-9a-f]{2})/gi, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
    if (next === current) break;
    current = next;
  }
  return current;
}

function withoutUserInfo(url: string): string {
  const end = url.search(/[?#]/);
  const head = end === -1 ? url : url.slice(0, end);
  let at = -1;
  for (const match of head.matchAll(AT)) at = match.index;
  if (at === -1) return url;
  const scheme = HTTP_SCHEME.exec(head)?.[0] ?? '';
  return `${scheme}${REDACTED}${url.slice(at)}`;
}

/** A piece with everything after the first `=` whose name (read backwards from it) is a secret parameter redacted. */
function redactedPiece(piece: string): string {
  for (const equals of piece.matchAll(EQUALS)) {
    const name = decoded(piece.slice(Math.max(0, equals.index - MAX_NAME), equals.index)).toLowerCase();
    if (SECRET_NAME.test(name)) return `${piece.slice(0, equals.index + equals[0].length)}${REDACTED}`;
  }
  return piece;
}

/**
 * The URL with user info and the values of secret parameters (`X-Amz-Signature`, `X-Amz-Credential`,
 * `X-Amz-Security-Token`, SigV2's `Signature`, …) replaced by `[redacted]`, however malformed, encoded or
 * spelled. Linear in the URL's length.
 *
 * @internal
 */
export function redactUrl(url: string): string {
  return redactParameters(withoutUserInfo(url));
}

/**
 * A request target (`/path?query`, which has no user info: an `@` in a path is part of the path) or any
 * text of `name=value` pieces, with the values of secret parameters replaced as {@link redactUrl} does.
 *
 * @internal
 */
export function redactParameters(text: string): string {
  return text.replace(PIECE, (piece) => (piece.length === 1 ? piece : redactedPiece(piece)));
}
