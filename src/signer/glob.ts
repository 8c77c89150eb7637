/**
 * `*` globs (requests-aws4auth's `include_hdrs` patterns such as `x-amz-*`) matched in linear time. A
 * pattern is split at its stars into literal pieces: the first must begin the name, the last must end it,
 * and each one between is found at its leftmost place after the one before. Leftmost is always right for
 * stars alone (a later place for a piece only leaves less room for the pieces after it), so nothing is ever
 * tried twice: no backtracking, unlike the `^x.*x.*y$` regular expression this replaces, which takes seconds
 * for `x*x*x*x*x*x*x*y` against a name of a hundred `x`.
 *
 * @internal
 * @module
 */

/**
 * Compiles a `*` glob (compared as given: lower-case both sides first for case-insensitive matching) into a
 * predicate. Each piece is searched for once, from where the previous one ended (`indexOf`), so a name is
 * scanned at most once per piece: no backtracking whatever the pattern.
 *
 * @internal
 */
export function globMatcher(pattern: string): (name: string) => boolean {
  const pieces = pattern.split('*');
  if (pieces.length === 1) return (name) => name === pattern;
  const first = pieces[0] as string;
  const last = pieces[pieces.length - 1] as string;
  const middle = pieces.slice(1, -1).filter((piece) => piece !== '');
  const fixed = first.length + last.length;
  return (name) => {
    if (name.length < fixed || !name.startsWith(first) || !name.endsWith(last)) return false;
    let at = first.length;
    const end = name.length - last.length;
    for (const piece of middle) {
      const found = name.indexOf(piece, at);
      if (found === -1 || found + piece.length > end) return false;
      at = found + piece.length;
    }
    return true;
  };
}
