import type { RosterDatabase } from '../db/database.js';
import { activityPerDay, exportActivity, listActivity, recordConnectionTest, type ActivityFilters } from './activity-queries.js';
import { getMember, getOverview, getTeam, listMembers, listTeams, type MemberListQuery } from './directory-service.js';
import { addManualMember, deactivateMember, editMember, reactivateMember, type Actor, type ManualMemberInput, type MemberChanges } from './manual-members-service.js';

/** The console's directory (members, teams, seats) and activity log bound to a database. */
export function createDirectoryModule(database: RosterDatabase) {
  return {
    overview: (accountId: string) => getOverview(database, accountId),
    listMembers: (accountId: string, query: MemberListQuery) => listMembers(database, accountId, query),
    getMember: (accountId: string, memberId: string) => getMember(database, accountId, memberId),
    addMember: (actor: Actor, input: ManualMemberInput) => addManualMember(database, actor, input),
    editMember: (actor: Actor, memberId: string, changes: MemberChanges) => editMember(database, actor, memberId, changes),
    deactivateMember: (actor: Actor, memberId: string) => deactivateMember(database, actor, memberId),
    reactivateMember: (actor: Actor, memberId: string) => reactivateMember(database, actor, memberId),
    listTeams: (accountId: string) => listTeams(database, accountId),
    getTeam: (accountId: string, teamId: string) => getTeam(database, accountId, teamId),
    listActivity: (accountId: string, filters: ActivityFilters, page: { before?: number | undefined; limit: number }) => listActivity(database, accountId, filters, page),
    exportActivity: (accountId: string, filters: ActivityFilters) => exportActivity(database, accountId, filters),
    activityPerDay: (accountId: string, days: number) => activityPerDay(database, accountId, days),
    recordConnectionTest: (accountId: string, test: Parameters<typeof recordConnectionTest>[2]) => recordConnectionTest(database, accountId, test),
  };
}

export type DirectoryModule = ReturnType<typeof createDirectoryModule>;
