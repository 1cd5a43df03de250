import type { Generated, Insertable, Selectable, Updateable } from 'kysely';

/**
 * The database as Kysely sees it. Timestamps are ISO-8601 UTC strings with milliseconds in
 * both dialects, so they compare correctly as text and need no dialect-specific handling.
 * Booleans are stored as 0/1 integers for the same reason.
 */
export interface Database {
  accounts: AccountsTable;
  members: MembersTable;
  member_emails: MemberEmailsTable;
  teams: TeamsTable;
  team_memberships: TeamMembershipsTable;
  api_keys: ApiKeysTable;
  provisioning_events: ProvisioningEventsTable;
  console_sessions: ConsoleSessionsTable;
}

export type PlanCode = 'essentials' | 'professional' | 'enterprise';
export type PhoneValidation = 'strict' | 'lenient';
export type MemberStatus = 'invited' | 'active' | 'deactivated';
export type MemberSource = 'manual' | 'scim';
export type AccountRole = 'owner' | 'admin' | 'events_creator' | 'no_access';

export interface AccountsTable {
  id: string;
  name: string;
  plan: PlanCode;
  seat_limit: number;
  phone_validation: PhoneValidation;
  default_role: AccountRole;
  owner_member_id: string | null;
  /** Invited + active members; kept by triggers (migration 0003). */
  seats_used: Generated<number>;
  /** All members; kept by triggers (migration 0003). */
  member_count: Generated<number>;
  /** Bumped whenever a member is added or removed; kept by triggers (migration 0004). */
  member_list_version: Generated<number>;
  created_at: string;
  updated_at: string;
}

export interface MembersTable {
  /** Internal insertion order: the stable, index-backed sort key of SCIM lists. */
  seq: Generated<number>;
  id: string;
  account_id: string;
  user_name: string;
  user_name_lower: string;
  external_id: string | null;
  display_name: string | null;
  given_name: string | null;
  family_name: string | null;
  primary_email: string | null;
  primary_phone: string | null;
  role: AccountRole;
  status: MemberStatus;
  source: MemberSource;
  /** The SCIM representation without id, meta and groups (JSON text). */
  resource: string;
  password_hash: string | null;
  version: number;
  scim_linked_at: string | null;
  deactivated_at: string | null;
  deactivated_by: 'admin' | 'scim' | null;
  last_login_at: string | null;
  created_at: string;
  updated_at: string;
}

/** One row per email of a member, so `emails.value eq` filters are index-backed. */
export interface MemberEmailsTable {
  account_id: string;
  member_id: string;
  position: number;
  value_lower: string;
  type_lower: string | null;
  is_primary: number;
}

export interface TeamsTable {
  seq: Generated<number>;
  id: string;
  account_id: string;
  display_name: string;
  display_name_lower: string;
  external_id: string | null;
  source: MemberSource;
  version: number;
  created_at: string;
  updated_at: string;
}

export interface TeamMembershipsTable {
  account_id: string;
  team_id: string;
  member_id: string;
  source: MemberSource;
  added_at: string;
}

export interface ApiKeysTable {
  id: string;
  account_id: string;
  name: string;
  /** Public part of the key, e.g. `rk_3F9A2C1B`: shown in lists and used to find the row. */
  prefix: string;
  /** SHA-256 (hex) of the whole key; the key itself is never stored. */
  secret_hash: string;
  last4: string;
  created_by: string | null;
  created_at: string;
  last_used_at: string | null;
  last_used_ip: string | null;
  expires_at: string | null;
  revoked_at: string | null;
}

export interface ProvisioningEventsTable {
  seq: Generated<number>;
  account_id: string;
  occurred_at: string;
  actor: string;
  idp: string | null;
  request_id: string | null;
  method: string | null;
  path: string | null;
  resource_type: string;
  resource_id: string | null;
  target_label: string | null;
  action: string;
  outcome: 'success' | 'failure';
  http_status: number;
  scim_type: string | null;
  detail: string | null;
  /** Field-level diff as JSON text, phone numbers masked. */
  changes: string | null;
  duration_ms: number | null;
}

export interface ConsoleSessionsTable {
  /** SHA-256 (hex) of the session token held in the cookie. */
  id: string;
  account_id: string;
  member_id: string;
  csrf_token: string;
  created_at: string;
  expires_at: string;
}

export type AccountRow = Selectable<AccountsTable>;
export type NewAccountRow = Insertable<AccountsTable>;
export type MemberRow = Selectable<MembersTable>;
export type NewMemberRow = Insertable<MembersTable>;
export type MemberUpdate = Updateable<MembersTable>;
export type TeamRow = Selectable<TeamsTable>;
export type NewTeamRow = Insertable<TeamsTable>;
export type ApiKeyRow = Selectable<ApiKeysTable>;
export type NewApiKeyRow = Insertable<ApiKeysTable>;
export type ProvisioningEventRow = Selectable<ProvisioningEventsTable>;
export type NewProvisioningEventRow = Insertable<ProvisioningEventsTable>;
