/** Makes a row object, as Kysely expects rows, from a row's values in column order. */
export type RowOf = (values: readonly unknown[]) => Record<string, unknown>;

/**
 * The function that turns a row's values into an object keyed by these column names. Both
 * drivers build row objects slowly: better-sqlite3 in C++, re-creating and interning every
 * column name for every row and setting each property through V8's slow path (5.4 µs for the
 * one-row read of GET /Users/{id}, against 4.1 µs for the same row as an array plus this
 * function); node-postgres by spreading a null-prototype template per row (bench/README.md,
 * finding 37). An object literal compiled once per statement gives every row of it one hidden
 * class. The names are the statement's own column names, quoted by JSON.stringify; `__proto__`
 * would set the prototype in a literal, so it takes the slow way.
 */
export function rowFunction(names: readonly string[]): RowOf {
  if (names.includes('__proto__')) return (values) => Object.fromEntries(names.map((name, i) => [name, values[i]]));
  const fields = names.map((name, i) => `${JSON.stringify(name)}: values[${i}]`).join(', ');
  return new Function('values', `return { ${fields} };`) as RowOf;
}
