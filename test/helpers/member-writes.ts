import type { MemberWrite } from '../../src/db/repositories/members-repository.js';
import type { NewAccountRow } from '../../src/db/schema.js';

/** The write of an active SCIM-provisioned member, for tests that insert members below the services. */
export function activeScimMember(userName: string, at: string, resource: Record<string, unknown> = {}): MemberWrite {
  return {
    resource: { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName, ...resource },
    role: 'no_access',
    status: 'active',
    source: 'scim',
    version: 1,
    updatedAt: at,
    scimLinkedAt: at,
    deactivatedAt: null,
    deactivatedBy: null,
  };
}

/** An Enterprise account with lenient phone numbers, for tests that insert rows below the services. */
export function enterpriseAccountRow(id: string, seatLimit: number, at: string): NewAccountRow {
  return { id, name: id, plan: 'enterprise', seat_limit: seatLimit, phone_validation: 'lenient', default_role: 'no_access', owner_member_id: null, created_at: at, updated_at: at };
}
