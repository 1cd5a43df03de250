import type { DirectoryMemberRow, DirectoryTeamRow } from '../db/repositories/directory-repository.js';
import type { AccountRole, MemberSource, MemberStatus } from '../db/schema.js';

/** A member as the console shows it. */
export interface MemberView {
  readonly id: string;
  readonly userName: string;
  /** displayName, else "given family", else userName. */
  readonly name: string;
  readonly givenName: string | null;
  readonly familyName: string | null;
  readonly email: string | null;
  readonly phone: string | null;
  readonly role: AccountRole;
  readonly status: MemberStatus;
  readonly source: MemberSource;
  readonly externalId: string | null;
  readonly teams: readonly { readonly id: string; readonly name: string }[];
  /** True for owners and admins with a console password. */
  readonly consoleAccess: boolean;
  readonly lastLoginAt: string | null;
  readonly deactivatedAt: string | null;
  readonly deactivatedBy: 'admin' | 'scim' | null;
  readonly createdAt: string;
  readonly updatedAt: string;
}

/** A team as the console shows it. */
export interface TeamView {
  readonly id: string;
  readonly name: string;
  readonly source: MemberSource;
  readonly externalId: string | null;
  readonly memberCount: number;
  readonly createdAt: string;
  readonly updatedAt: string;
}

function displayNameOf(row: DirectoryMemberRow): string {
  const full = [row.given_name, row.family_name].filter(Boolean).join(' ');
  return row.display_name ?? (full || row.user_name);
}

export function toMemberView(row: DirectoryMemberRow, teams: readonly { id: string; name: string }[]): MemberView {
  return {
    id: row.id,
    userName: row.user_name,
    name: displayNameOf(row),
    givenName: row.given_name,
    familyName: row.family_name,
    email: row.primary_email,
    phone: row.primary_phone,
    role: row.role,
    status: row.status,
    source: row.source,
    externalId: row.external_id,
    teams,
    consoleAccess: (row.role === 'owner' || row.role === 'admin') && Number(row.has_password) === 1,
    lastLoginAt: row.last_login_at,
    deactivatedAt: row.deactivated_at,
    deactivatedBy: row.deactivated_by,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export function toTeamView(row: DirectoryTeamRow): TeamView {
  return {
    id: row.id,
    name: row.display_name,
    source: row.source,
    externalId: row.external_id,
    memberCount: row.member_count,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
