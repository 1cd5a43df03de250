import type { Kysely, Migration } from 'kysely';

/**
 * Indexes the benchmark showed missing (bench/README.md, "Findings"). A user's `groups` are read
 * for every GET /Users and every page of 100: with (account_id, member_id, team_id) that lookup
 * is answered from the index alone, and the planner prefers it over walking the team-ordered
 * primary key. It replaces the two-column index, whose lookups it serves as well (including the
 * foreign key's cascade from members).
 */
export function performanceIndexesMigration(): Migration {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema.createIndex('team_memberships_member_team_idx').on('team_memberships').columns(['account_id', 'member_id', 'team_id']).execute();
      await db.schema.dropIndex('team_memberships_member_idx').execute();
    },
  };
}
