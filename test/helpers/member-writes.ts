import type { MemberWrite } from '../../src/db/repositories/members-repository.js';

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
