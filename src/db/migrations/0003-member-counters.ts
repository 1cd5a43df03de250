import { sql, type Kysely, type Migration } from 'kysely';
import type { DialectName } from '../database.js';

/**
 * `accounts.seats_used` (invited + active members, decision 1) and `accounts.member_count`,
 * kept by triggers so that every code path that writes members — SCIM, the console, the CLI —
 * keeps them exact in the same transaction. Counting 100,000 members took 4 ms on every create
 * and reactivation and on every list (bench/README.md, findings 5 and 7); reading a column takes
 * microseconds. The triggers fire only when a member is added or removed, or when its status
 * moves in or out of the seat-taking set.
 */
const COUNTED = `('invited', 'active')`;

const sqliteTriggers = [
  `create trigger members_count_insert after insert on members begin
     update accounts set member_count = member_count + 1, seats_used = seats_used + (new.status in ${COUNTED}) where id = new.account_id;
   end`,
  `create trigger members_count_delete after delete on members begin
     update accounts set member_count = member_count - 1, seats_used = seats_used - (old.status in ${COUNTED}) where id = old.account_id;
   end`,
  `create trigger members_count_status after update of status on members
     when (old.status in ${COUNTED}) <> (new.status in ${COUNTED}) begin
     update accounts set seats_used = seats_used + (new.status in ${COUNTED}) - (old.status in ${COUNTED}) where id = new.account_id;
   end`,
];

const counted = (row: 'new' | 'old') => `(case when ${row}.status in ${COUNTED} then 1 else 0 end)`;

const postgresTriggers = [
  `create function roster_members_count() returns trigger language plpgsql as $$
   begin
     if tg_op = 'INSERT' then
       update accounts set member_count = member_count + 1, seats_used = seats_used + ${counted('new')} where id = new.account_id;
     elsif tg_op = 'DELETE' then
       update accounts set member_count = member_count - 1, seats_used = seats_used - ${counted('old')} where id = old.account_id;
     else
       update accounts set seats_used = seats_used + ${counted('new')} - ${counted('old')} where id = new.account_id;
     end if;
     return null;
   end $$`,
  `create trigger members_count_insert_delete after insert or delete on members for each row execute function roster_members_count()`,
  `create trigger members_count_status after update of status on members for each row
     when ((old.status in ${COUNTED}) is distinct from (new.status in ${COUNTED})) execute function roster_members_count()`,
];

export function memberCountersMigration(dialect: DialectName): Migration {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema.alterTable('accounts').addColumn('seats_used', 'integer', (c) => c.notNull().defaultTo(0)).execute();
      await db.schema.alterTable('accounts').addColumn('member_count', 'integer', (c) => c.notNull().defaultTo(0)).execute();
      await sql`update accounts set
        seats_used = (select count(*) from members m where m.account_id = accounts.id and m.status in ('invited', 'active')),
        member_count = (select count(*) from members m where m.account_id = accounts.id)`.execute(db);
      for (const statement of dialect === 'postgres' ? postgresTriggers : sqliteTriggers) await sql.raw(statement).execute(db);
    },
  };
}
