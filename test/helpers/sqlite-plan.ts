import { CompiledQuery, type Kysely } from 'kysely';
import type { Database } from '../../src/db/schema.js';

/** SQLite's plan of a compiled query (EXPLAIN QUERY PLAN), one step per line. */
export async function sqlitePlan(db: Kysely<Database>, query: CompiledQuery): Promise<string> {
  const result = await db.executeQuery<{ detail: string }>(CompiledQuery.raw(`explain query plan ${query.sql}`, [...query.parameters]));
  return result.rows.map((row) => row.detail).join('\n');
}
