import type { Insertable } from 'kysely';
import type { AccountRole, MemberEmailsTable, MembersTable, TeamMembershipsTable, TeamsTable } from '../src/db/schema.js';
import type { JsonObject } from '../src/scim/json.js';
import { ENTERPRISE_USER_SCHEMA, USER_SCHEMA, userResourceType } from '../src/scim/schemas/registry.js';
import { validateResource } from '../src/scim/validate-resource.js';
import { requestedStatus, storedUserResource } from '../src/provisioning/user-mapping.js';
import { newMemberRows } from '../src/db/repositories/members-repository.js';
import { newScimMemberWrite } from '../src/provisioning/users/write-user.js';

/**
 * The synthetic directory: user i is `user<6 digits>@bench.example`, so `userName sw "userNNNN"`
 * matches exactly 100 users, and its email is on another domain, so the `emails.value` filter
 * cannot be answered from the userName.
 */
const GIVEN = ['Ada', 'Grace', 'Alan', 'Edsger', 'Barbara', 'Donald', 'Frances', 'Ken', 'Radia', 'Tim'];
const FAMILY = ['Lovelace', 'Hopper', 'Turing', 'Dijkstra', 'Liskov', 'Knuth', 'Allen', 'Thompson', 'Perlman', 'Berners-Lee'];
const DEPARTMENTS = ['Events', 'Check-in', 'Catering', 'Security', 'Logistics'];

const pad = (i: number): string => String(i).padStart(6, '0');

export const userNameOf = (i: number): string => `user${pad(i)}@bench.example`;

export function emailOf(i: number): string {
  return `${(GIVEN[i % 10] ?? '').toLowerCase()}.${(FAMILY[Math.floor(i / 10) % 10] ?? '').toLowerCase()}.${pad(i)}@mail.bench.example`;
}

/** The body Okta would POST for user i (core + enterprise extension, about 500 bytes). */
export function userBody(i: number, userName = userNameOf(i)): JsonObject {
  const given = GIVEN[i % 10] ?? 'Ada';
  const family = FAMILY[Math.floor(i / 10) % 10] ?? 'Lovelace';
  return {
    schemas: [USER_SCHEMA, ENTERPRISE_USER_SCHEMA],
    userName,
    externalId: `00u${pad(i)}bench`,
    name: { givenName: given, familyName: family },
    displayName: `${given} ${family}`,
    emails: [{ value: emailOf(i), type: 'work', primary: true }],
    active: true,
    [ENTERPRISE_USER_SCHEMA]: { employeeNumber: pad(i), department: DEPARTMENTS[i % DEPARTMENTS.length] ?? 'Events' },
  };
}

/**
 * The rows POST /Users would write for `body`: the same validation and stored resource as the
 * SCIM path, and the derived columns of members-repository.ts `insertMember` (the benchmark
 * checks the two agree on one member before it bulk-inserts the rest).
 */
export function memberRows(
  account: { readonly id: string; readonly default_role: AccountRole },
  memberId: string,
  body: JsonObject,
  now: string,
): { member: Insertable<MembersTable>; emails: Insertable<MemberEmailsTable>[] } {
  const validated = validateResource(userResourceType, body);
  const write = newScimMemberWrite(storedUserResource(validated), requestedStatus(validated, undefined), account.default_role, now);
  return newMemberRows(account.id, memberId, write, { createdAt: now });
}

/** The row POST /Groups writes for a team named `displayName` (teams-repository.ts `insertTeam`). */
export function teamRow(accountId: string, teamId: string, displayName: string, now: string): Insertable<TeamsTable> {
  return {
    id: teamId,
    account_id: accountId,
    display_name: displayName,
    display_name_lower: displayName.toLowerCase(),
    external_id: null,
    source: 'scim',
    version: 1,
    created_at: now,
    updated_at: now,
  };
}

export function membershipRow(accountId: string, teamId: string, memberId: string, now: string): Insertable<TeamMembershipsTable> {
  return { account_id: accountId, team_id: teamId, member_id: memberId, source: 'scim', added_at: now };
}
