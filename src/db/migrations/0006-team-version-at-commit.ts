import { sql, type Kysely, type Migration } from 'kysely';
import type { DialectName } from '../database.js';

/**
 * PostgreSQL: a team's version (its ETag) and `updated_at` advance at commit, once per
 * transaction that added or removed any of its members (docs/decisions/0001-concurrency.md,
 * point 3).
 *
 * Before, a membership-only PATCH advanced the version with its last statement, and held the
 * team's row lock from there across Roster's turn to the commit, so the parallel PATCHes of one
 * team (okta.md §7.4) committed one per round trip (bench/README.md, findings 25 and 27). Run
 * by a deferred constraint trigger, the update takes the lock inside the commit and holds it
 * only while the commit runs. The trigger fires for every membership row; `xmin` tells whether
 * this transaction already wrote the team row (its own update, this trigger for an earlier row,
 * or the insert of a new team), so a transaction advances each team once, whatever the number of
 * rows (still a call per row at commit: about 4 µs each, 0.2 s for a PUT of 50,000 members).
 * Rows deleted by a cascade (pg_trigger_depth() > 0) are skipped: their team is being deleted,
 * or their member is, and deleteUser advances that member's teams itself (touchTeamsOfMember).
 *
 * A PATCH with `If-Match` still advances the version itself, under the row lock, with `where
 * version =` (teams-service.ts): this trigger then finds the row already written. The timestamp
 * has the form of JavaScript's `toISOString()`, which Roster writes everywhere else.
 *
 * SQLite has no such trigger: one connection writes at a time, and the service advances the
 * version with its last statement.
 */
const postgresStatements = [
  `create or replace function roster_team_changed() returns trigger language plpgsql as $$
   declare
     changed team_memberships%rowtype;
   begin
     if tg_op = 'DELETE' then changed := old; else changed := new; end if;
     update teams set version = version + 1,
       updated_at = to_char(clock_timestamp() at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')
     where account_id = changed.account_id and id = changed.team_id and xmin <> pg_current_xact_id()::text::xid;
     return null;
   end $$`,
  `create constraint trigger team_memberships_version after insert or delete on team_memberships
     deferrable initially deferred for each row when (pg_trigger_depth() = 0) execute function roster_team_changed()`,
];

export function teamVersionAtCommitMigration(dialect: DialectName): Migration {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      if (dialect !== 'postgres') return;
      for (const statement of postgresStatements) await sql.raw(statement).execute(db);
    },
  };
}
