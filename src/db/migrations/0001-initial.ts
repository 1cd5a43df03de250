import type { Kysely, Migration } from 'kysely';
import type { DialectName } from '../database.js';
import { autoIncrementKey } from '../dialect.js';

/** The whole product model of domain.md §5.1. Every unique index starts with account_id. */
export function initialMigration(dialect: DialectName): Migration {
  const seq = autoIncrementKey(dialect);
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('accounts')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('plan', 'text', (c) => c.notNull())
        .addColumn('seat_limit', 'integer', (c) => c.notNull())
        .addColumn('phone_validation', 'text', (c) => c.notNull().defaultTo('strict'))
        .addColumn('default_role', 'text', (c) => c.notNull().defaultTo('no_access'))
        .addColumn('owner_member_id', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('members')
        .addColumn('seq', 'integer', seq)
        .addColumn('id', 'text', (c) => c.notNull())
        .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id').onDelete('cascade'))
        .addColumn('user_name', 'text', (c) => c.notNull())
        .addColumn('user_name_lower', 'text', (c) => c.notNull())
        .addColumn('external_id', 'text')
        .addColumn('display_name', 'text')
        .addColumn('given_name', 'text')
        .addColumn('family_name', 'text')
        .addColumn('primary_email', 'text')
        .addColumn('primary_phone', 'text')
        .addColumn('role', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('source', 'text', (c) => c.notNull())
        .addColumn('resource', 'text', (c) => c.notNull())
        .addColumn('password_hash', 'text')
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('scim_linked_at', 'text')
        .addColumn('deactivated_at', 'text')
        .addColumn('deactivated_by', 'text')
        .addColumn('last_login_at', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('members_account_id_uq').on('members').columns(['account_id', 'id']).unique().execute();
      await db.schema.createIndex('members_user_name_uq').on('members').columns(['account_id', 'user_name_lower']).unique().execute();
      await db.schema.createIndex('members_account_seq_idx').on('members').columns(['account_id', 'seq']).execute();
      await db.schema.createIndex('members_external_id_idx').on('members').columns(['account_id', 'external_id']).execute();
      await db.schema.createIndex('members_status_idx').on('members').columns(['account_id', 'status']).execute();

      await db.schema
        .createTable('member_emails')
        .addColumn('account_id', 'text', (c) => c.notNull())
        .addColumn('member_id', 'text', (c) => c.notNull())
        .addColumn('position', 'integer', (c) => c.notNull())
        .addColumn('value_lower', 'text', (c) => c.notNull())
        .addColumn('type_lower', 'text')
        .addColumn('is_primary', 'integer', (c) => c.notNull())
        .addPrimaryKeyConstraint('member_emails_pk', ['account_id', 'member_id', 'position'])
        .addForeignKeyConstraint('member_emails_member_fk', ['account_id', 'member_id'], 'members', ['account_id', 'id'], (fk) => fk.onDelete('cascade'))
        .execute();
      await db.schema.createIndex('member_emails_value_idx').on('member_emails').columns(['account_id', 'value_lower']).execute();

      await db.schema
        .createTable('teams')
        .addColumn('seq', 'integer', seq)
        .addColumn('id', 'text', (c) => c.notNull())
        .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id').onDelete('cascade'))
        .addColumn('display_name', 'text', (c) => c.notNull())
        .addColumn('display_name_lower', 'text', (c) => c.notNull())
        .addColumn('external_id', 'text')
        .addColumn('source', 'text', (c) => c.notNull())
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('teams_account_id_uq').on('teams').columns(['account_id', 'id']).unique().execute();
      await db.schema.createIndex('teams_display_name_uq').on('teams').columns(['account_id', 'display_name_lower']).unique().execute();
      await db.schema.createIndex('teams_account_seq_idx').on('teams').columns(['account_id', 'seq']).execute();
      await db.schema.createIndex('teams_external_id_idx').on('teams').columns(['account_id', 'external_id']).execute();

      // Membership is a relation keyed by account: the composite foreign keys make a
      // membership across accounts impossible, and the cascades keep it consistent.
      await db.schema
        .createTable('team_memberships')
        .addColumn('account_id', 'text', (c) => c.notNull())
        .addColumn('team_id', 'text', (c) => c.notNull())
        .addColumn('member_id', 'text', (c) => c.notNull())
        .addColumn('source', 'text', (c) => c.notNull())
        .addColumn('added_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('team_memberships_pk', ['account_id', 'team_id', 'member_id'])
        .addForeignKeyConstraint('team_memberships_team_fk', ['account_id', 'team_id'], 'teams', ['account_id', 'id'], (fk) => fk.onDelete('cascade'))
        .addForeignKeyConstraint('team_memberships_member_fk', ['account_id', 'member_id'], 'members', ['account_id', 'id'], (fk) => fk.onDelete('cascade'))
        .execute();
      await db.schema.createIndex('team_memberships_member_idx').on('team_memberships').columns(['account_id', 'member_id']).execute();

      await db.schema
        .createTable('api_keys')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id').onDelete('cascade'))
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('prefix', 'text', (c) => c.notNull())
        .addColumn('secret_hash', 'text', (c) => c.notNull())
        .addColumn('last4', 'text', (c) => c.notNull())
        .addColumn('created_by', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('last_used_at', 'text')
        .addColumn('last_used_ip', 'text')
        .addColumn('expires_at', 'text')
        .addColumn('revoked_at', 'text')
        .execute();
      await db.schema.createIndex('api_keys_prefix_idx').on('api_keys').column('prefix').execute();
      await db.schema.createIndex('api_keys_account_idx').on('api_keys').columns(['account_id', 'created_at']).execute();

      await db.schema
        .createTable('provisioning_events')
        .addColumn('seq', 'integer', seq)
        .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id').onDelete('cascade'))
        .addColumn('occurred_at', 'text', (c) => c.notNull())
        .addColumn('actor', 'text', (c) => c.notNull())
        .addColumn('idp', 'text')
        .addColumn('request_id', 'text')
        .addColumn('method', 'text')
        .addColumn('path', 'text')
        .addColumn('resource_type', 'text', (c) => c.notNull())
        .addColumn('resource_id', 'text')
        .addColumn('target_label', 'text')
        .addColumn('action', 'text', (c) => c.notNull())
        .addColumn('outcome', 'text', (c) => c.notNull())
        .addColumn('http_status', 'integer', (c) => c.notNull())
        .addColumn('scim_type', 'text')
        .addColumn('detail', 'text')
        .addColumn('changes', 'text')
        .addColumn('duration_ms', 'integer')
        .execute();
      await db.schema.createIndex('provisioning_events_account_idx').on('provisioning_events').columns(['account_id', 'seq']).execute();
      await db.schema.createIndex('provisioning_events_time_idx').on('provisioning_events').columns(['account_id', 'occurred_at']).execute();

      await db.schema
        .createTable('console_sessions')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id').onDelete('cascade'))
        .addColumn('member_id', 'text', (c) => c.notNull())
        .addColumn('csrf_token', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('expires_at', 'text', (c) => c.notNull())
        .execute();
    },
  };
}
