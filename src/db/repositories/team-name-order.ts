/**
 * The order of a member's teams in its `groups`: by lower-cased display name (as the
 * `display_name_lower` column holds it), code point by code point, which is how SQLite's
 * BINARY collation compares text. Sorted here rather than in SQL: on SQLite an ORDER BY on the
 * team's name made every GET /Users/{id} open, fill and drop a temporary B-tree, about a tenth
 * of the request's instructions (bench/README.md, finding 34), and PostgreSQL would order by its
 * own collation. Here the order is the same on both databases. Sorts `teams` in place.
 */
export function sortByTeamName<T extends { readonly display_name: string }>(teams: T[]): T[] {
  if (teams.length < 2) return teams;
  const keyed = teams.map((team) => ({ team, key: team.display_name.toLowerCase() }));
  keyed.sort((a, b) => compareCodePoints(a.key, b.key));
  keyed.forEach(({ team }, i) => (teams[i] = team));
  return teams;
}

function compareCodePoints(x: string, y: string): number {
  const length = Math.min(x.length, y.length);
  for (let i = 0; i < length; i += 1) {
    const unitX = x.charCodeAt(i);
    const unitY = y.charCodeAt(i);
    if (unitX !== unitY) return codePointRank(unitX) - codePointRank(unitY);
  }
  return x.length - y.length;
}

/**
 * UTF-16 puts the surrogates of astral code points (U+D800–U+DFFF) below U+E000–U+FFFF; in code
 * point order they come after them. Shifting the two ranges past each other fixes the order.
 */
function codePointRank(unit: number): number {
  if (unit >= 0xd800 && unit <= 0xdfff) return unit + 0x2000;
  return unit >= 0xe000 ? unit - 0x800 : unit;
}
