import type { RosterDatabase } from '../db/database.js';
import type { ListQuery } from '../scim/list-query.js';
import { recordEvent, type ProvisioningEvent } from './activity-log.js';
import type { ScimContext } from './scim-context.js';
import { listTeamPage } from './teams/read-teams.js';
import { createTeam, deleteTeam, getTeam, patchTeam, replaceTeam } from './teams/teams-service.js';
import { listUsers } from './users/read-users.js';
import { createUser, deleteUser, getUser, patchUser, replaceUser } from './users/users-service.js';

/** The provisioning feature bound to a database: what the SCIM routes call. */
export function createProvisioningModule(database: RosterDatabase) {
  return {
    users: {
      create: (context: ScimContext, body: unknown) => createUser(database, context, body),
      get: (context: ScimContext, id: string, withGroups: boolean) => getUser(database, context, id, withGroups),
      list: (context: ScimContext, query: ListQuery, withGroups: boolean) => listUsers(database.db, database.dialect, context, query, withGroups),
      replace: (context: ScimContext, id: string, body: unknown, ifMatch: string | undefined, withGroups: boolean) => replaceUser(database, context, id, body, ifMatch, withGroups),
      patch: (context: ScimContext, id: string, body: unknown, ifMatch: string | undefined, withGroups: boolean) => patchUser(database, context, id, body, ifMatch, withGroups),
      delete: (context: ScimContext, id: string, ifMatch: string | undefined) => deleteUser(database, context, id, ifMatch),
    },
    teams: {
      create: (context: ScimContext, body: unknown) => createTeam(database, context, body),
      get: (context: ScimContext, id: string, withMembers: boolean) => getTeam(database, context, id, withMembers),
      list: (context: ScimContext, query: ListQuery, withMembers: boolean) => listTeamPage(database.db, database.dialect, context, query, withMembers),
      replace: (context: ScimContext, id: string, body: unknown, ifMatch: string | undefined) => replaceTeam(database, context, id, body, ifMatch),
      patch: (context: ScimContext, id: string, body: unknown, ifMatch: string | undefined, httpStatus: 200 | 204) => patchTeam(database, context, id, body, ifMatch, httpStatus),
      delete: (context: ScimContext, id: string, ifMatch: string | undefined) => deleteTeam(database, context, id, ifMatch),
    },
    /** Logs a refused request in its own transaction (the request's own work was rolled back). */
    recordRejection: (context: ScimContext, event: ProvisioningEvent) => recordEvent(database.db, context, event),
  };
}

export type ProvisioningModule = ReturnType<typeof createProvisioningModule>;
