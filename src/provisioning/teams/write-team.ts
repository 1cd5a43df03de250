import { randomUUID } from 'node:crypto';
import type { Db } from '../../db/database.js';
import { fitsIndex, isUniqueViolation, MAX_INDEXED_TEXT_BYTES } from '../../db/dialect.js';
import { insertTeam, updateTeam, type TeamWrite } from '../../db/repositories/teams-repository.js';
import type { TeamRow } from '../../db/schema.js';
import { badRequest, ScimError } from '../../scim/errors.js';
import type { JsonObject } from '../../scim/json.js';
import { nowIso } from '../../shared/clock.js';
import { recordEvent } from '../activity-log.js';
import { diffResources, type FieldChange } from '../change-diff.js';
import type { ScimContext } from '../scim-context.js';
import { VersionConflict } from '../transactions.js';
import { storedTeamAttributes, type TeamAttributes } from './team-mapping.js';

const duplicateName = (displayName: string) =>
  new ScimError(409, 'uniqueness', `A team named "${displayName}" already exists in this account (team names are compared case-insensitively). Rename one of the groups, or link the existing team.`);

/** The attributes as the activity log shows them (an absent externalId is not a change). */
function loggable(attributes: TeamAttributes): JsonObject {
  return attributes.externalId === null ? { displayName: attributes.displayName } : { displayName: attributes.displayName, externalId: attributes.externalId };
}

/**
 * displayName and externalId are indexed columns; a value an index entry cannot hold would
 * fail the write on PostgreSQL (dialect.ts MAX_INDEXED_TEXT_BYTES), so it is a 400.
 */
function checkIndexedValues(attributes: TeamAttributes): void {
  for (const [name, value] of [['displayName', attributes.displayName], ['externalId', attributes.externalId]] as const) {
    if (value === null || fitsIndex(value)) continue;
    throw badRequest('invalidValue', `"${name}" is too long: a group's displayName and externalId may have at most ${MAX_INDEXED_TEXT_BYTES} bytes in UTF-8.`);
  }
}

async function writeOrConflict(write: () => Promise<boolean | void>, displayName: string): Promise<boolean | void> {
  try {
    return await write();
  } catch (error) {
    if (isUniqueViolation(error)) throw duplicateName(displayName);
    throw error;
  }
}

/** Inserts a SCIM-created team (POST /Groups) and logs it; returns its id. */
export async function insertScimTeam(trx: Db, context: ScimContext, attributes: TeamAttributes): Promise<string> {
  checkIndexedValues(attributes);
  const id = randomUUID();
  const now = nowIso();
  const write: TeamWrite = { ...attributes, source: 'scim', version: 1, updatedAt: now };
  await writeOrConflict(() => insertTeam(trx, context.account.id, id, write, now), attributes.displayName);
  await recordEvent(trx, context, {
    action: 'group.created',
    resourceType: 'Group',
    resourceId: id,
    targetLabel: attributes.displayName,
    outcome: 'success',
    httpStatus: 201,
    changes: diffResources(undefined, loggable(attributes)),
  });
  return id;
}

/**
 * Writes a team's new attributes and advances its version and lastModified, so ETags move on
 * any change, membership included (RFC 7644 §3.14). A request that changed nothing writes
 * nothing and keeps `meta` (Okta re-sends the unchanged name with every membership change,
 * okta.md §7.3). The first SCIM write to a manually created team makes it SCIM-managed.
 * Returns the team's version after the request.
 */
export async function saveTeam(trx: Db, context: ScimContext, current: TeamRow, next: TeamAttributes, membershipChanged: boolean, httpStatus: number): Promise<number> {
  const linking = current.source !== 'scim';
  const changes = diffResources(loggable(storedTeamAttributes(current)), loggable(next));
  if (changes.length === 0 && !membershipChanged && !linking) return current.version;
  checkIndexedValues(next);
  const write: TeamWrite = { ...next, source: 'scim', version: current.version + 1, updatedAt: nowIso() };
  const updated = await writeOrConflict(() => updateTeam(trx, context.account.id, current.id, current.version, write), next.displayName);
  if (!updated) throw new VersionConflict();
  const logged: FieldChange[] = linking ? [...changes, { field: 'source', from: current.source, to: 'scim' }] : changes;
  if (logged.length > 0) {
    await recordEvent(trx, context, {
      action: changes.some((c) => c.field === 'displayName') ? 'group.renamed' : 'group.updated',
      resourceType: 'Group',
      resourceId: current.id,
      targetLabel: next.displayName,
      outcome: 'success',
      httpStatus,
      changes: logged,
    });
  }
  return write.version;
}
