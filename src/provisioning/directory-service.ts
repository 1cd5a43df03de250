import { PLANS } from '../accounts/plans.js';
import type { Db, RosterDatabase } from '../db/database.js';
import { findAccount } from '../db/repositories/accounts-repository.js';
import {
  countMembersByStatus,
  findDirectoryMember,
  findLatestSeatRefusal,
  listTeamMembers,
  listTeamsWithCounts,
  searchMembers,
  type MemberSearch,
} from '../db/repositories/directory-repository.js';
import { listTeamsOfMembers } from '../db/repositories/memberships-repository.js';
import type { PlanCode } from '../db/schema.js';
import { AppError } from '../shared/app-error.js';
import { toMemberView, toTeamView, type MemberView, type TeamView } from './member-views.js';

/** The console's read side: members with their teams, teams with counts, plan and seats. */

export interface MemberListQuery extends Omit<MemberSearch, 'offset' | 'limit'> {
  /** 1-based page number. */
  readonly page: number;
  readonly pageSize: number;
}

export interface MemberList {
  readonly items: readonly MemberView[];
  readonly total: number;
  readonly page: number;
  readonly pageSize: number;
}

async function withTeams(db: Db, accountId: string, rows: Parameters<typeof toMemberView>[0][]): Promise<MemberView[]> {
  const memberships = await listTeamsOfMembers(db, accountId, rows.map((row) => row.id));
  const byMember = new Map<string, { id: string; name: string }[]>();
  for (const m of memberships) byMember.set(m.member_id, [...(byMember.get(m.member_id) ?? []), { id: m.team_id, name: m.display_name }]);
  return rows.map((row) => toMemberView(row, byMember.get(row.id) ?? []));
}

export async function listMembers(database: RosterDatabase, accountId: string, query: MemberListQuery): Promise<MemberList> {
  const { page, pageSize, ...filters } = query;
  const { rows, total } = await searchMembers(database.db, accountId, { ...filters, offset: (page - 1) * pageSize, limit: pageSize });
  return { items: await withTeams(database.db, accountId, rows), total, page, pageSize };
}

export async function getMember(database: RosterDatabase, accountId: string, memberId: string): Promise<MemberView> {
  const row = await findDirectoryMember(database.db, accountId, memberId);
  if (!row) throw new AppError('not_found', 'No such member in this account.');
  const [view] = await withTeams(database.db, accountId, [row]);
  if (!view) throw new AppError('not_found', 'No such member in this account.');
  return view;
}

export async function listTeams(database: RosterDatabase, accountId: string): Promise<TeamView[]> {
  return (await listTeamsWithCounts(database.db, accountId)).map(toTeamView);
}

export async function getTeam(database: RosterDatabase, accountId: string, teamId: string): Promise<TeamView & { members: MemberView[] }> {
  const [team] = await listTeamsWithCounts(database.db, accountId, teamId);
  if (!team) throw new AppError('not_found', 'No such team in this account.');
  const rows = await listTeamMembers(database.db, accountId, teamId);
  return { ...toTeamView(team), members: await withTeams(database.db, accountId, rows) };
}

export interface AccountOverview {
  readonly account: { readonly id: string; readonly name: string; readonly plan: PlanCode; readonly planLabel: string; readonly scimEnabled: boolean };
  readonly seats: { readonly used: number; readonly limit: number; readonly invited: number; readonly active: number; readonly deactivated: number };
  /** The newest SCIM write refused for lack of seats in the last 7 days, for a banner. */
  readonly seatRefusal: { readonly occurredAt: string; readonly target: string | null; readonly detail: string | null } | null;
}

const REFUSAL_WINDOW_MS = 7 * 86_400_000;

export async function getOverview(database: RosterDatabase, accountId: string): Promise<AccountOverview> {
  const account = await findAccount(database.db, accountId);
  if (!account) throw new AppError('not_found', 'This account no longer exists.');
  const counts = await countMembersByStatus(database.db, accountId);
  const refusal = await findLatestSeatRefusal(database.db, accountId, new Date(Date.now() - REFUSAL_WINDOW_MS).toISOString());
  const plan = PLANS[account.plan];
  return {
    account: { id: account.id, name: account.name, plan: account.plan, planLabel: plan.label, scimEnabled: plan.scim },
    seats: { used: counts.invited + counts.active, limit: account.seat_limit, ...counts },
    seatRefusal: refusal ? { occurredAt: refusal.occurred_at, target: refusal.target_label, detail: refusal.detail } : null,
  };
}
