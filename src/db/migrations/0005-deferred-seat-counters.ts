import { sql, type Kysely, type Migration } from 'kysely';
import type { DialectName } from '../database.js';

/**
 * PostgreSQL: the members counters' trigger (0003, 0004) runs at commit instead of at each
 * write, and refuses a seat taken past the account's limit there (decision 1).
 *
 * Updating `accounts` at the write locked the account row from the first member write to the
 * commit, across Roster's round trips, so every create, deactivation and reactivation of an
 * account queued for all of them (bench/README.md, finding 26). Deferred to commit, the row is
 * held only while the commit runs. The seat check moves with it: a request reads the account
 * without a lock for an early refusal (seats.ts), and two requests that both saw the last seat
 * free are decided here, where the second one's update waits for the first one's commit and then
 * finds the seat taken. Only a change that takes a seat is refused, so an account over its
 * limit after a downgrade can still free seats. `check_violation` with the constraint name
 * `roster_seat_limit` is how the services recognise it (dialect.ts isSeatLimitViolation).
 *
 * SQLite keeps the immediate triggers: one connection writes at a time, so the early read is
 * exact and the row is not held across anything.
 */
const COUNTED = `('invited', 'active')`;
const counted = (row: 'new' | 'old') => `(case when ${row}.status in ${COUNTED} then 1 else 0 end)`;

const postgresStatements = [
  `create or replace function roster_members_count() returns trigger language plpgsql as $$
   declare
     taken integer := 0;
     used integer;
     seat_limit_ integer;
   begin
     if tg_op = 'INSERT' then
       taken := ${counted('new')};
       update accounts set member_count = member_count + 1, member_list_version = member_list_version + 1,
         seats_used = seats_used + taken where id = new.account_id returning seats_used, seat_limit into used, seat_limit_;
     elsif tg_op = 'DELETE' then
       update accounts set member_count = member_count - 1, member_list_version = member_list_version + 1,
         seats_used = seats_used - ${counted('old')} where id = old.account_id;
     else
       taken := ${counted('new')} - ${counted('old')};
       update accounts set seats_used = seats_used + taken where id = new.account_id returning seats_used, seat_limit into used, seat_limit_;
     end if;
     if taken > 0 and used > seat_limit_ then
       raise exception 'no seat is free: % of % in use', used - taken, seat_limit_ using errcode = 'check_violation', constraint = 'roster_seat_limit';
     end if;
     return null;
   end $$`,
  'drop trigger members_count_insert_delete on members',
  'drop trigger members_count_status on members',
  `create constraint trigger members_count_insert_delete after insert or delete on members
     deferrable initially deferred for each row execute function roster_members_count()`,
  `create constraint trigger members_count_status after update of status on members
     deferrable initially deferred for each row
     when ((old.status in ${COUNTED}) is distinct from (new.status in ${COUNTED})) execute function roster_members_count()`,
];

export function deferredSeatCountersMigration(dialect: DialectName): Migration {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      if (dialect !== 'postgres') return;
      for (const statement of postgresStatements) await sql.raw(statement).execute(db);
    },
  };
}
