import { sql, type Kysely, type Migration } from 'kysely';
import type { DialectName } from '../database.js';

/**
 * `accounts.member_list_version`: bumped by the member counters' triggers (0003) whenever a
 * member is added or removed, in the same transaction. While it is unchanged, the account's
 * members in insertion order are the same list, so the seq found at an offset of it stays
 * valid (repositories/member-offsets.ts). The triggers already update the account row on these
 * writes, so keeping it costs nothing more.
 */
const COUNTED = `('invited', 'active')`;

const sqliteTriggers = [
  'drop trigger members_count_insert',
  'drop trigger members_count_delete',
  `create trigger members_count_insert after insert on members begin
     update accounts set member_count = member_count + 1, member_list_version = member_list_version + 1,
       seats_used = seats_used + (new.status in ${COUNTED}) where id = new.account_id;
   end`,
  `create trigger members_count_delete after delete on members begin
     update accounts set member_count = member_count - 1, member_list_version = member_list_version + 1,
       seats_used = seats_used - (old.status in ${COUNTED}) where id = old.account_id;
   end`,
];

const counted = (row: 'new' | 'old') => `(case when ${row}.status in ${COUNTED} then 1 else 0 end)`;

const postgresTriggers = [
  `create or replace function roster_members_count() returns trigger language plpgsql as $$
   begin
     if tg_op = 'INSERT' then
       update accounts set member_count = member_count + 1, member_list_version = member_list_version + 1,
         seats_used = seats_used + ${counted('new')} where id = new.account_id;
     elsif tg_op = 'DELETE' then
       update accounts set member_count = member_count - 1, member_list_version = member_list_version + 1,
         seats_used = seats_used - ${counted('old')} where id = old.account_id;
     else
       update accounts set seats_used = seats_used + ${counted('new')} - ${counted('old')} where id = new.account_id;
     end if;
     return null;
   end $$`,
];

export function memberListVersionMigration(dialect: DialectName): Migration {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema.alterTable('accounts').addColumn('member_list_version', 'integer', (c) => c.notNull().defaultTo(0)).execute();
      for (const statement of dialect === 'postgres' ? postgresTriggers : sqliteTriggers) await sql.raw(statement).execute(db);
    },
  };
}
