/** Shapes of the console API (see /api/v1/openapi.json). */

export type Role = 'owner' | 'admin' | 'events_creator' | 'no_access';
export type MemberStatus = 'invited' | 'active' | 'deactivated';
export type Source = 'manual' | 'scim';

export interface Session {
  account: { id: string; name: string; plan: 'essentials' | 'professional' | 'enterprise' };
  user: { id: string; email: string; name: string | null; role: 'owner' | 'admin' };
  csrfToken: string;
  expiresAt: string;
}

export interface Overview {
  account: { id: string; name: string; plan: string; planLabel: string; scimEnabled: boolean };
  seats: { used: number; limit: number; invited: number; active: number; deactivated: number };
  seatRefusal: { occurredAt: string; target: string | null; detail: string | null } | null;
  scimBaseUrl: string;
}

export interface Member {
  id: string;
  userName: string;
  name: string;
  givenName: string | null;
  familyName: string | null;
  email: string | null;
  phone: string | null;
  role: Role;
  status: MemberStatus;
  source: Source;
  externalId: string | null;
  teams: { id: string; name: string }[];
  consoleAccess: boolean;
  lastLoginAt: string | null;
  deactivatedAt: string | null;
  deactivatedBy: 'admin' | 'scim' | null;
  createdAt: string;
  updatedAt: string;
}

export interface MemberPage {
  items: Member[];
  total: number;
  page: number;
  pageSize: number;
}

export interface MemberWrite {
  member: Member;
  initialPassword?: string;
}

export interface Team {
  id: string;
  name: string;
  source: Source;
  externalId: string | null;
  memberCount: number;
  createdAt: string;
  updatedAt: string;
}

export interface ApiKey {
  id: string;
  name: string;
  prefix: string;
  last4: string;
  status: 'active' | 'expiring' | 'expired' | 'revoked';
  createdAt: string;
  createdBy: { id: string; name: string } | null;
  lastUsedAt: string | null;
  expiresAt: string | null;
  revokedAt: string | null;
}

export interface CreatedKey {
  key: ApiKey;
  secret: string;
}

export interface ConnectionTest {
  ok: boolean;
  httpStatus: number | null;
  durationMs: number;
  request: { method: string; url: string; authorization: string };
  totalResults: number | null;
  itemsPerPage: number | null;
  detail: string;
}

export interface FieldChange {
  field: string;
  from?: unknown;
  to?: unknown;
}

export interface ActivityEvent {
  id: number;
  occurredAt: string;
  actor: string;
  idp: string | null;
  method: string | null;
  path: string | null;
  resourceType: string;
  resourceId: string | null;
  target: string | null;
  action: string;
  outcome: 'success' | 'failure';
  httpStatus: number;
  scimType: string | null;
  detail: string | null;
  changes: unknown;
  durationMs: number | null;
}

export interface ActivityPage {
  items: ActivityEvent[];
  nextCursor: number | null;
}

export interface ActivityDay {
  day: string;
  success: number;
  failure: number;
}
